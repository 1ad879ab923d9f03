"""A segment's passages and sentences stored in columns.

Loading an index must not parse every record: each field is a plain file
read memory-mapped, and a :class:`~qabot.index.records.Passage` or
:class:`~qabot.index.records.Sentence` is made only for the rows an answer uses.

In ``<segment>/<records>/`` (records is ``passages`` or ``sentences``):

- ``files.json``: the article files the rows belong to, as
  ``[name, title]`` pairs; ``file.npy`` gives each row's place in it;
- one ``.npy`` (int64) per number field: ``start.npy``, ``line.npy``, ...;
- ``hash.npy`` (passages): the content hash, 32 ASCII characters a row;
- per text field, the UTF-8 bytes of every row one after another
  (``text.bin``) and where each row's bytes start (``text-offsets.npy``,
  one more entry than rows).
"""

from __future__ import annotations

import json
from dataclasses import fields
from functools import lru_cache
from pathlib import Path

import numpy as np

from qabot.index.records import Passage, Sentence

RECORD_TYPES = {"passages": Passage, "sentences": Sentence}
NUMBER_FIELDS = {
    "passages": ("start", "end", "line", "first_sentence", "sentence_count"),
    "sentences": ("passage", "start", "end", "line"),
}
TEXT_FIELDS = {"passages": ("text", "heading"), "sentences": ("text",)}
HASH_WIDTH = 32


def column_files(records: str) -> list[str]:
    """The files of one record set's columns (relative to its segment)."""
    names = ["files.json", "file.npy"] + [f"{name}.npy" for name in NUMBER_FIELDS[records]]
    if records == "passages":
        names.append("hash.npy")
    for name in TEXT_FIELDS[records]:
        names += [f"{name}.bin", f"{name}-offsets.npy"]
    return [f"{records}/{name}" for name in names]


def _save(path: Path, array: np.ndarray) -> None:
    np.save(path, array, allow_pickle=False)


def write_columns(segment: Path, records: str, rows: list) -> None:
    """Write ``rows`` (Passages or Sentences numbered from 0) as columns."""
    folder = segment / records
    folder.mkdir(parents=True)
    files: dict[str, int] = {}
    titles: dict[str, str] = {}
    for row in rows:
        files.setdefault(row.file, len(files))
        titles.setdefault(row.file, getattr(row, "title", ""))
    (folder / "files.json").write_text(
        json.dumps([[name, titles[name]] for name in files], ensure_ascii=False) + "\n", encoding="utf-8")
    _save(folder / "file.npy", np.array([files[row.file] for row in rows], dtype=np.int32))
    for name in NUMBER_FIELDS[records]:
        _save(folder / f"{name}.npy", np.array([getattr(row, name) for row in rows], dtype=np.int64))
    if records == "passages":
        _save(folder / "hash.npy", np.array([row.hash.encode("ascii") for row in rows], dtype=f"S{HASH_WIDTH}"))
    for name in TEXT_FIELDS[records]:
        encoded = [getattr(row, name).encode("utf-8") for row in rows]
        offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum([len(data) for data in encoded], out=offsets[1:])
        (folder / f"{name}.bin").write_bytes(b"".join(encoded))
        _save(folder / f"{name}-offsets.npy", offsets)


def _mapped(path: Path) -> np.ndarray:
    """The array in ``path``, memory-mapped (as a plain array view: reading
    one element of a memmap object costs several times more)."""
    return np.asarray(np.load(path, mmap_mode="r", allow_pickle=False))


class RecordColumns:
    """One record set of one segment, memory-mapped; rows numbered from 0."""

    def __init__(self, records: str, files: list[tuple[str, str]], numbers: dict[str, np.ndarray],
                 hashes: np.ndarray | None, texts: dict[str, tuple[np.ndarray, np.ndarray]]) -> None:
        self.records = records
        self.files = files
        self.numbers = numbers
        self.hashes = hashes
        self.texts = texts

    @classmethod
    def load(cls, segment: Path, records: str, count: int) -> "RecordColumns":
        """The columns of ``count`` rows; ValueError when a file does not fit."""
        folder = segment / records
        files = [(str(name), str(title)) for name, title in json.loads(
            (folder / "files.json").read_text(encoding="utf-8"))]
        numbers = {name: _mapped(folder / f"{name}.npy") for name in ("file", *NUMBER_FIELDS[records])}
        hashes = _mapped(folder / "hash.npy") if records == "passages" else None
        texts = {}
        for name in TEXT_FIELDS[records]:
            offsets = _mapped(folder / f"{name}-offsets.npy")
            size = (folder / f"{name}.bin").stat().st_size
            # A plain array view of the map, as in _mapped: a memmap object's slicing is slow.
            blob = (np.asarray(np.memmap(folder / f"{name}.bin", dtype=np.uint8, mode="r")) if size
                    else np.zeros(0, np.uint8))
            if offsets.shape != (count + 1,) or offsets[0] != 0 or offsets[-1] != size:
                raise ValueError(f"{records}/{name} does not match the manifest")
            texts[name] = (blob, offsets)
        columns = [*numbers.values()] + ([hashes] if hashes is not None else [])
        if any(array.shape != (count,) for array in columns):
            raise ValueError(f"{records} columns do not match the manifest")
        if count and not 0 <= int(numbers["file"].max()) < len(files):
            raise ValueError(f"{records}/file.npy points past files.json")
        return cls(records, files, numbers, hashes, texts)

    def text(self, name: str, row: int) -> str:
        blob, offsets = self.texts[name]
        return bytes(blob[int(offsets[row]):int(offsets[row + 1])]).decode("utf-8")

    def row(self, row: int) -> dict:
        """Row ``row``'s fields as the record type takes them (numbered
        within the segment)."""
        file, title = self.files[int(self.numbers["file"][row])]
        values = {"id": row, "file": file}
        values.update({name: int(self.numbers[name][row]) for name in NUMBER_FIELDS[self.records]})
        values.update({name: self.text(name, row) for name in TEXT_FIELDS[self.records]})
        if self.records == "passages":
            values["title"] = title
            values["hash"] = self.hashes[row].decode("ascii")
        return values


def record_from(records: str, values: dict):
    """A Passage or a Sentence from a row's values (extra keys ignored)."""
    kind = RECORD_TYPES[records]
    return kind(**{name: values[name] for name in _field_names(kind) if name in values})


@lru_cache(maxsize=None)
def _field_names(kind) -> tuple[str, ...]:
    # dataclasses.fields() is slow enough to matter for every record made.
    return tuple(f.name for f in fields(kind))
