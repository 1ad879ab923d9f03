"""How a store keys the rows it holds: by segment number and row."""

from __future__ import annotations

import numpy as np

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
