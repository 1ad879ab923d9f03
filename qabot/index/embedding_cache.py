"""Vectors a build has embedded but not yet written into the index.

A first build of a large archive embeds for hours. The build saves what it
has embedded every :data:`CHUNK` texts into a folder beside the index, so
that a crash or Ctrl-C loses at most one chunk: the next build reads them
back instead of embedding again. A finished build removes the folder.
Plain ``.npy`` files: the text hashes of each chunk, and their vectors.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import numpy as np

from qabot.index.row_files import RowFile

# Texts embedded between two saves.
CHUNK = 2048
META = "meta.json"
# Every saved chunk joined into one file when a build reads them back.
JOINED = "joined.npy"


def cache_folder(index_folder: Path) -> Path:
    return index_folder.with_name(index_folder.name + ".qabot-embedding-cache")


class EmbeddingCache:
    """Chunks of (text hash, vector) made by one model."""

    def __init__(self, folder: Path, model: str, dimension: int) -> None:
        self.folder = folder
        self.meta = {"model": model, "dimension": dimension}

    def load(self, opened: list[RowFile]) -> dict[str, tuple[RowFile, int]]:
        """Where each saved vector is, by text hash: a row of one file that
        joins every saved chunk (opened and added to ``opened``, for the
        caller to close; one file, however many chunks a long build left).
        Empty when there are none, or they were made by another model, or
        the files are damaged."""
        try:
            meta = json.loads((self.folder / META).read_text(encoding="utf-8"))
        except (OSError, ValueError, UnicodeDecodeError):
            meta = None
        if meta != self.meta:
            self.clear()  # another model's, or unreadable: start afresh
            return {}
        chunks = []
        for keys_path in sorted(self.folder.glob("keys-*.npy")):
            vectors_path = keys_path.with_name(keys_path.name.replace("keys-", "vectors-"))
            try:
                keys = [key.decode("ascii") for key in np.load(keys_path, allow_pickle=False)]
                with RowFile(vectors_path) as vectors:
                    if (vectors.rows, vectors.width) == (len(keys), self.meta["dimension"]):
                        chunks.append((keys, vectors_path))
            except (OSError, ValueError, UnicodeDecodeError):
                continue  # a chunk the crash cut short
        if not chunks:
            return {}
        joined = RowFile.create(self.folder / JOINED, sum(len(keys) for keys, _ in chunks), self.meta["dimension"])
        opened.append(joined)
        found: dict[str, tuple[RowFile, int]] = {}
        row = 0
        for keys, vectors_path in chunks:
            with RowFile(vectors_path) as vectors:
                joined.write(row, vectors.read(0, vectors.rows))
            found.update((key, (joined, row + number)) for number, key in enumerate(keys))
            row += len(keys)
        return found

    def add(self, keys: list[str], vectors: np.ndarray) -> None:
        """Save one chunk; the vectors file is renamed into place last, so a
        half-written chunk is never read."""
        self.folder.mkdir(parents=True, exist_ok=True)
        meta = self.folder / META
        if not meta.is_file():
            meta.write_text(json.dumps(self.meta) + "\n", encoding="utf-8")
        number = len(list(self.folder.glob("keys-*.npy")))
        np.save(self.folder / f"keys-{number:06d}.npy", np.array(keys, dtype="S"), allow_pickle=False)
        partial = self.folder / f"partial-{number:06d}.npy"
        np.save(partial, np.asarray(vectors, dtype=np.float32), allow_pickle=False)
        os.replace(partial, self.folder / f"vectors-{number:06d}.npy")

    def clear(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
