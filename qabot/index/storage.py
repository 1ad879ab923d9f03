"""Writing an index folder so that a crash never leaves half of one.

A build writes a complete new folder beside the index, then swaps it in with
renames. If the process dies between the two renames, the next build, or the
next reader that finds no build running, puts the old folder back. A lock
file keeps two builds from interleaving, and readers from undoing a live
build's swap.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from qabot.errors import IndexPathError


def _sibling(folder: Path, suffix: str) -> Path:
    return folder.with_name(folder.name + suffix)


def old_folder(folder: Path) -> Path:
    return _sibling(folder, ".qabot-old")


def _lock_path(folder: Path) -> Path:
    return _sibling(folder, ".qabot-lock")


def recover(folder: Path) -> None:
    """Put back the previous index if a swap was interrupted half-way.

    Call under :func:`build_lock`: without it, a live build's swap looks
    exactly like an interrupted one.
    """
    old = old_folder(folder)
    if old.is_dir():
        if folder.is_dir():
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(old, folder)


def readable_folder(folder: Path) -> Path:
    """Where a reader finds the index of ``folder`` now.

    An interrupted swap is recovered first when no build holds the lock;
    while a build is between its two renames, the previous index (the
    ``.qabot-old`` folder) is read in place, never moved.
    """
    old = old_folder(folder)
    if not old.is_dir():
        return folder
    try:
        with open(_lock_path(folder), "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            try:
                recover(folder)
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
    except OSError:  # a build holds the lock (or the lock cannot be made): read without moving
        pass
    return folder if folder.is_dir() or not old.is_dir() else old


def refuse_non_folder(folder: Path) -> None:
    """IndexPathError when ``folder`` exists but is not a folder: a build
    would otherwise move the user's file aside and delete it."""
    if folder.exists() and not folder.is_dir():
        raise IndexPathError(
            f"index path {str(folder)!r} is not a folder: pass --index with the name of a folder "
            "(it is created if missing)"
        )


def _holder(handle) -> str:
    """The process id the lock's holder wrote into the lock file, if any."""
    handle.seek(0)
    written = handle.read(32).strip()
    return written if written.isdigit() else "unknown"


@contextmanager
def build_lock(folder: Path, waiting: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold an exclusive lock for building ``folder``.

    When another build holds it, ``waiting`` is told so (with that build's
    process id) and the lock is waited for. The holder's id is kept in the
    lock file.
    """
    folder.parent.mkdir(parents=True, exist_ok=True)
    with open(_lock_path(folder), "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if waiting:
                waiting(f"waiting for another build of {str(folder)!r} (pid {_holder(handle)}) to finish")
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            handle.truncate(0)
            handle.write(str(os.getpid()))
            handle.flush()
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _fsync_tree(folder: Path) -> None:
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())


@contextmanager
def new_folder(folder: Path) -> Iterator[Path]:
    """Yield an empty folder to write into; on success swap it in for ``folder``.

    Call under :func:`build_lock`. On an exception the new folder is removed
    and ``folder`` is left as it was.
    """
    refuse_non_folder(folder)
    staging = _sibling(folder, f".qabot-new-{os.getpid()}")
    for stale in folder.parent.glob(folder.name + ".qabot-new-*"):
        shutil.rmtree(stale, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        yield staging
        _fsync_tree(staging)
        recover(folder)
        old = old_folder(folder)
        if folder.exists():
            os.rename(folder, old)
        os.rename(staging, folder)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def link_tree(source: Path, target: Path) -> None:
    """Give ``target`` the files of ``source`` as hard links (copies where
    the file system has none). Only for files never changed in place."""
    for path in sorted(source.rglob("*")):
        if path.is_file():
            destination = target / path.relative_to(source)
            destination.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(path, destination)
            except OSError:
                shutil.copy2(path, destination)


def write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def write_jsonl(path: Path, rows) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
