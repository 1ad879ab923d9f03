"""Rows of float32 in a plain ``.npy`` file, written and read by position.

A build copies and writes hundreds of megabytes of vectors. Going through
a memory map would count every page it touched in the build's memory;
reading and writing rows with plain file calls keeps the vectors out of
it, whatever their number. The files are ordinary ``.npy`` files:
``numpy.load`` reads them as any other.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

_FLOAT32 = np.dtype("<f4")


class RowFile:
    """An open ``.npy`` file of float32 rows (shape: rows x width)."""

    def __init__(self, path: Path, writable: bool = False) -> None:
        self.path = path
        self._fd = os.open(path, os.O_RDWR if writable else os.O_RDONLY)
        try:
            with open(path, "rb") as stream:
                major, _ = np.lib.format.read_magic(stream)
                read_header = (np.lib.format.read_array_header_1_0 if major == 1
                               else np.lib.format.read_array_header_2_0)
                shape, fortran, dtype = read_header(stream)
                self._data_start = stream.tell()
        except Exception:
            os.close(self._fd)
            raise
        if fortran or dtype != _FLOAT32 or len(shape) != 2:
            os.close(self._fd)
            raise ValueError(f"{path} does not hold rows of float32")
        self.rows, self.width = int(shape[0]), int(shape[1])
        self._row_bytes = self.width * _FLOAT32.itemsize

    @classmethod
    def create(cls, path: Path, rows: int, width: int) -> "RowFile":
        """A new file of ``rows`` zero rows, open for writing."""
        with open(path, "wb") as stream:
            np.lib.format.write_array_header_1_0(
                stream, {"descr": _FLOAT32.str, "fortran_order": False, "shape": (rows, width)})
            stream.truncate(stream.tell() + rows * width * _FLOAT32.itemsize)
        return cls(path, writable=True)

    def read(self, start: int, end: int) -> np.ndarray:
        """Rows ``start`` to ``end`` (a new array)."""
        end = min(end, self.rows)
        if start >= end:
            return np.zeros((0, self.width), dtype=np.float32)
        wanted = (end - start) * self._row_bytes
        raw = os.pread(self._fd, wanted, self._data_start + start * self._row_bytes)
        if len(raw) != wanted:
            raise ValueError(f"{self.path} is shorter than its header says")
        return np.frombuffer(raw, dtype=_FLOAT32).reshape(end - start, self.width).copy()

    def write(self, start: int, rows: np.ndarray) -> None:
        """Write ``rows`` from row ``start`` on."""
        rows = np.ascontiguousarray(rows, dtype=_FLOAT32).reshape(-1, self.width)
        if start < 0 or start + len(rows) > self.rows:
            raise IndexError(f"rows {start}-{start + len(rows)} are outside {self.path}")
        data = memoryview(rows.tobytes())
        offset = self._data_start + start * self._row_bytes
        while data:  # a write may be cut short (a full disk raises on the next one)
            written = os.pwrite(self._fd, data, offset)
            data, offset = data[written:], offset + written

    def slices(self, step: int):
        """The rows, ``step`` at a time: (first row, array)."""
        for first in range(0, self.rows, step):
            yield first, self.read(first, first + step)

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def __enter__(self) -> "RowFile":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
