"""How a store keys the rows it holds (by segment number and row) and
marks the segments it holds whole."""

from __future__ import annotations

import hashlib
import json

import numpy as np

from qabot.index.segments import SEGMENTS

# How rows are stored; part of every segment's mark.
STORE_FORMAT = 1
# A store keys each row by its segment's number and its row there.
ROW_BITS = 32


def segment_number(name: str) -> int:
    """The number in a segment's name (``s000012`` is 12)."""
    return int(name[1:])


def row_key(segment: int, rows) -> np.ndarray:
    """The store keys of ``rows`` of segment number ``segment``."""
    return (np.int64(segment) << ROW_BITS) | np.asarray(rows, dtype=np.int64)


def split_keys(keys) -> tuple[np.ndarray, np.ndarray]:
    """Segment numbers and rows of store keys."""
    keys = np.asarray(keys, dtype=np.int64)
    return keys >> ROW_BITS, keys & ((1 << ROW_BITS) - 1)


def fingerprint(manifest: dict, name: str) -> str:
    """What identifies segment ``name``'s copy: its files' hashes (or, in
    an index without them, their sizes) and how rows are stored
    (STORE_FORMAT), so that a copy made another way is made again."""
    prefix = f"{SEGMENTS}/{name}/"
    hashes = manifest.get("file_hashes", {})
    files = {file: hashes.get(file, manifest["file_sizes"][file])
             for file in manifest["file_sizes"] if file.startswith(prefix)}
    return hashlib.sha256(json.dumps([STORE_FORMAT, files], sort_keys=True).encode()).hexdigest()


def marks_of(manifest: dict) -> dict[int, str]:
    """The mark a store must hold for each segment of ``manifest``."""
    return {segment_number(name): fingerprint(manifest, name) for name in manifest["segments"]}
