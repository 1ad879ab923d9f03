"""Checking a whole index (`qabot check`): the manifest, every file's size
and SHA-256, that it loads, the model export beside it, and a store's copy.
What it finds is said, never repaired here: `qabot index` repairs."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from qabot.embedding.embedder import Embedder
from qabot.embedding.fast_encoder import onnx_folder
from qabot.errors import IndexLoadError, QabotError
from qabot.index.build import is_fresh
from qabot.index.loaded import Index, file_problems, read_manifest
from qabot.index.storage import readable_folder
from qabot.stores import StoreAddress, open_store


@dataclass
class IndexCheck:
    """What :func:`check_index` found. ``problems``: what is wrong, one line
    each (none when the index is sound); ``notes``: what is worth knowing
    but not wrong (articles changed since the build, no export for fast
    questions)."""

    folder: Path
    problems: list[str] = field(default_factory=list)
    # {file inside the index folder: what is wrong with it}
    damaged: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    files: int = 0  # files checked
    bytes: int = 0  # and their size
    seconds: float = 0.0

    @property
    def sound(self) -> bool:
        return not self.problems

    def to_json(self) -> dict:
        return {"index": str(self.folder), "sound": self.sound, "problems": self.problems,
                "damaged_files": self.damaged, "notes": self.notes, "files_checked": self.files,
                "bytes_checked": self.bytes, "seconds": round(self.seconds, 3)}


def check_index(seeds: Path, folder: Path, embedder: Embedder, store: StoreAddress | None = None) -> IndexCheck:
    """Check the whole index in ``folder``: its manifest, every file's size
    and SHA-256 against it, that it loads for ``embedder``, the model export
    for fast questions beside it (which checks itself against the vector it
    gave when exported), and with a ``store``, that the store holds it whole.
    Whether the articles in ``seeds`` changed since the build is a note:
    an index behind its articles is not damaged. Reads every byte: a
    second or more at 100,000 passages."""
    began = time.perf_counter()
    check = IndexCheck(folder)
    try:
        _check_files(check, seeds, folder, embedder, store)
    finally:
        check.seconds = time.perf_counter() - began
    return check


def _check_files(check: IndexCheck, seeds: Path, folder: Path, embedder: Embedder,
                 store: StoreAddress | None) -> None:
    try:
        source = readable_folder(folder)
        manifest = read_manifest(source)
    except IndexLoadError as error:
        check.problems.append(f"{error}; `qabot index` builds it")
        return
    sizes = manifest["file_sizes"]
    check.files, check.bytes = len(sizes), sum(sizes.values())
    if "file_hashes" not in manifest:
        check.problems.append("the index predates content hashes, so its files cannot be checked; `qabot index` "
                              "rewrites it once (nothing is re-embedded)")
    check.damaged = file_problems(source, manifest)
    check.problems += [f"{str(folder / name)!r}: {why}" for name, why in check.damaged.items()]
    if not check.damaged:
        _check_loading(check, folder, embedder, store)
    try:
        if not is_fresh(manifest, seeds, embedder):
            check.notes.append(f"the articles in {str(seeds)!r} changed since the index was built (or it was "
                               "built with another model); `qabot index` updates it")
    except QabotError as error:
        check.notes.append(f"the articles cannot be compared with the index: {error}")
    _check_export(check, folder, embedder)


def _check_loading(check: IndexCheck, folder: Path, embedder: Embedder, store: StoreAddress | None) -> None:
    """That the index loads for ``embedder`` and the store (if any) holds it."""
    opened = None
    try:
        opened = open_store(store, embedder.dimension) if store is not None else None
        Index.load(folder, model_name=embedder.name, dimension=embedder.dimension, store=opened).check_store()
    except QabotError as error:
        check.problems.append(str(error))
    finally:
        if opened is not None:
            opened.close()


def _check_export(check: IndexCheck, folder: Path, embedder: Embedder) -> None:
    """Whether the model export for fast questions beside the index is
    there, and still gives the vector it was checked to give."""
    attach = getattr(embedder, "attach_fast_path", None)
    if attach is None:
        return
    export = onnx_folder(folder)
    if not export.is_dir():
        check.notes.append(f"no model export for fast questions in {str(export)!r}, so questions load PyTorch "
                           "(seconds slower); `qabot index` makes it")
    elif not attach(export):
        check.problems.append(f"the model export for fast questions in {str(export)!r} is damaged (it no longer "
                              "gives the vector it gave when exported); `qabot index` exports it again")
