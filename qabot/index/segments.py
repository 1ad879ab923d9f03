"""Segments: the unit an index is written in.

A segment is a folder under ``segments/`` holding the records, vectors and
BM25 counts of some articles, numbered from 0 within the segment. It is never
changed once written: a build that changes a few articles writes them into a
new segment and carries the other segments over unchanged (hard links). The
manifest says which segment holds each article now, so rows of an article
that has since changed or gone are simply not live.
"""

from __future__ import annotations

import bisect
import ctypes
import gc
import itertools
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from qabot.index.columns import RecordColumns, column_files, record_from, write_columns
from qabot.index.lexical import TERM_FILES, TermCounts
from qabot.index.records import Passage, Sentence
from qabot.index.vectors import EXACT, HNSW, VectorStore, search_kind, vector_files, write_vectors

SEGMENTS = "segments"
VECTOR_SETS = ("passages", "sentences", "windows")
# Sets looked up by similarity; windows are only read by row.
SEARCHED = ("passages", "sentences")
# Which records number each vector set's rows.
RECORDS_OF = {"passages": "passages", "sentences": "sentences", "windows": "sentences"}
RECORD_SETS = ("passages", "sentences")
# How a segment stores its records: "columns" (memory-mapped, see
# qabot.index.columns); a segment without it is an older one with JSON Lines,
# read only to carry its vectors into a new segment.
COLUMNS = "columns"
# The texts of web-page articles, extracted when the segment was written.
PAGES = "pages"
_NAME = re.compile(r"^s\d{6}$")


def segment_name(number: int) -> str:
    return f"s{number:06d}"


def is_segment_name(name) -> bool:
    return isinstance(name, str) and bool(_NAME.match(name))


def has_columns(entry: dict) -> bool:
    return entry.get("layout") == COLUMNS


def record_files(entry: dict) -> list[str]:
    """The files holding a segment's records."""
    if has_columns(entry):
        return [file for records in RECORD_SETS for file in column_files(records)]
    return [f"{records}.jsonl" for records in RECORD_SETS]


def segment_files(entry: dict) -> list[str]:
    """Files of a segment (relative to its folder) as its manifest entry says."""
    files = record_files(entry)
    for name in VECTOR_SETS:
        files += vector_files(name, entry["search"][name])
    files += [f"bm25-{records}/{file}" for records in RECORD_SETS for file in TERM_FILES]
    return files + list(entry.get(PAGES, {}).values())


def checked_at_load(entry: dict) -> list[str]:
    """Files of a segment whose content is checked at every load: the BM25
    counts and the lists of article files, which loading reads whole. The
    records are checked where they are used (every quote against its
    article), and everything when a build verifies the index."""
    listed = [f"{records}/files.json" for records in RECORD_SETS] if has_columns(entry) else record_files(entry)
    return listed + [f"bm25-{records}/{file}" for records in RECORD_SETS for file in TERM_FILES]


@dataclass
class NewRecords:
    """The records of a segment being written. :func:`write_segment` lets
    go of them once they are on disk, so that the search graphs, built
    after, do not share memory with them."""

    passages: list[Passage]
    sentences: list[Sentence]
    # {article name: text} of the web pages among the articles.
    pages: dict[str, str] = field(default_factory=dict)

    def release(self) -> None:
        self.passages, self.sentences, self.pages = [], [], {}


def _give_back_memory() -> None:
    """Hand memory freed by Python back to the system: glibc keeps freed
    heap for reuse, which would count in the graphs' peak. Elsewhere, or
    without glibc, nothing is done."""
    gc.collect()
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError, TypeError):
        pass


def write_segment(folder: Path, records: NewRecords, vectors: dict[str, Path], progress=None) -> dict:
    """Write one segment; return its manifest entry. Records are numbered
    from 0 within the segment; ``vectors`` are the files of each vector set
    (moved in); ``progress`` hears of search graphs built."""
    folder.mkdir(parents=True)
    rows = {"passages": len(records.passages), "sentences": len(records.sentences)}
    write_columns(folder, "passages", records.passages)
    write_columns(folder, "sentences", records.sentences)
    TermCounts.build([p.text for p in records.passages]).save(folder / "bm25-passages")
    TermCounts.build([s.text for s in records.sentences]).save(folder / "bm25-sentences")
    pages = write_pages(folder, records.pages)
    records.release()
    kinds = {name: search_kind(rows[RECORDS_OF[name]], name in SEARCHED) for name in VECTOR_SETS}
    if HNSW in kinds.values():  # a large segment: its graphs take hundreds of megabytes
        _give_back_memory()
    for name in VECTOR_SETS:
        write_vectors(folder, name, vectors[name], kinds[name], progress)
    entry = {**rows, "search": kinds, "layout": COLUMNS}
    return {**entry, PAGES: pages} if pages else entry


def page_file(manifest: dict, name: str) -> str | None:
    """Where the index keeps the text of web-page article ``name`` (a path
    relative to the index folder, as the manifest's file hashes name it),
    or None when it keeps none."""
    entry = manifest["files"].get(name)
    kept = entry and manifest["segments"][entry["segment"]].get(PAGES, {}).get(name)
    return f"{SEGMENTS}/{entry['segment']}/{kept}" if kept else None


def write_pages(folder: Path, texts: dict[str, str]) -> dict[str, str]:
    """Write the text of each web page (what its citations count in) into
    ``folder``; return ``{article name: file}``, files relative to it."""
    files = {}
    for number, (name, text) in enumerate(sorted(texts.items())):
        file = f"{PAGES}/{number:06d}.txt"
        path = folder / file
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        files[name] = file
    return files


def read_rows(folder: Path, entry: dict, records: str, spans: list[tuple[int, int]]) -> list[list[dict]]:
    """The records of each span ``(start, end)`` of one record set, as
    dicts numbered within the segment; a JSON Lines file is read once,
    however many spans are asked for."""
    if has_columns(entry):
        columns = RecordColumns.load(folder, records, entry[records])
        return [[columns.row(number) for number in range(start, end)] for start, end in spans]
    import json

    wanted = np.zeros(max((end for _, end in spans), default=0), dtype=bool)
    for start, end in spans:
        wanted[start:end] = True
    found: dict[int, dict] = {}
    with open(folder / f"{records}.jsonl", encoding="utf-8") as handle:
        for number, line in enumerate(itertools.islice(handle, len(wanted))):
            if wanted[number]:
                found[number] = json.loads(line)
    return [[found[number] for number in range(start, end)] for start, end in spans]


@dataclass
class LoadedSegment:
    """A segment as part of a loaded index.

    ``numbers[records]`` gives each row's number in the whole index (-1 when
    the row is no longer live); the live rows of one segment are numbered
    consecutively from ``first[records]``, in ``live[records]`` order.
    """

    name: str
    numbers: dict[str, np.ndarray]
    live: dict[str, np.ndarray]
    first: dict[str, int]
    stores: dict[str, VectorStore]
    counts: dict[str, TermCounts]
    columns: dict[str, RecordColumns]


def load_segment(folder: Path, name: str, entry: dict, live: dict[str, np.ndarray],
                 first: dict[str, int], dimension: int, graphs: bool = True) -> LoadedSegment:
    """Open one segment whose ``live`` rows get numbers from ``first`` on
    (nothing is parsed: records and vectors are memory-mapped; the search
    graphs' links are read unless not ``graphs``: then sets are only
    scanned, when asked for exact search). ValueError
    when its files do not fit its manifest entry, or it is an older segment
    without columns."""
    if not has_columns(entry):
        raise ValueError("a segment from before records were stored in columns")
    numbers = {}
    for records in RECORD_SETS:
        numbers[records] = np.full(entry[records], -1, dtype=np.int64)
        numbers[records][live[records]] = np.arange(first[records], first[records] + len(live[records]))
    columns = {records: RecordColumns.load(folder, records, entry[records]) for records in RECORD_SETS}
    stores = {
        vector_set: VectorStore.load(folder, vector_set, entry["search"][vector_set] if graphs else EXACT,
                                     entry[RECORDS_OF[vector_set]], dimension)
        for vector_set in VECTOR_SETS
    }
    counts = {records: TermCounts.load(folder / f"bm25-{records}", entry[records]) for records in RECORD_SETS}
    return LoadedSegment(name, numbers, live, first, stores, counts, columns)


class RecordList:
    """The live passages (or sentences) of an index, numbered as one list
    over its segments. A record is made when asked for; number fields of
    all rows come as arrays without making any."""

    def __init__(self, records: str, segments: list[LoadedSegment]) -> None:
        self.records = records
        self.segments = segments
        # Where to look a number up: the segments that hold live rows of this set.
        self._holding = [segment for segment in segments if len(segment.live[records])]
        self._firsts = [segment.first[records] for segment in self._holding]
        self._count = sum(len(segment.live[records]) for segment in segments)
        # Questions come back to the same rows (neighbours, passages): keep
        # the recently made records.
        self._made = lru_cache(maxsize=20_000)(self._make)

    def __len__(self) -> int:
        return self._count

    def _locate(self, number: int) -> tuple[LoadedSegment, int]:
        segment = self._holding[bisect.bisect_right(self._firsts, number) - 1]
        return segment, int(segment.live[self.records][number - segment.first[self.records]])

    def __getitem__(self, number: int):
        number = int(number)
        if number < 0:
            number += self._count
        if not 0 <= number < self._count:
            raise IndexError(f"{self.records} {number} out of range")
        return self._made(number)

    def _make(self, number: int):
        segment, row = self._locate(number)
        values = segment.columns[self.records].row(row)
        values["id"] = int(number)
        if self.records == "passages":
            values["first_sentence"] = int(segment.numbers["sentences"][values["first_sentence"]])
        else:
            values["passage"] = int(segment.numbers["passages"][values["passage"]])
        return record_from(self.records, values)

    def __iter__(self):
        return (self[number] for number in range(self._count))

    def __eq__(self, other) -> bool:
        return list(self) == list(other)

    def numbers(self, field: str) -> np.ndarray:
        """Field ``field`` (a number field) of every live row, in order; a
        record number (``passage``, ``first_sentence``) is renumbered for
        the whole index."""
        parts = []
        for segment in self.segments:
            values = np.asarray(segment.columns[self.records].numbers[field])[segment.live[self.records]]
            if field == "passage":
                values = segment.numbers["passages"][values]
            elif field == "first_sentence":
                values = segment.numbers["sentences"][values]
            parts.append(values.astype(np.int64))
        return np.concatenate(parts) if parts else np.zeros(0, np.int64)

    def files(self) -> tuple[list[str], np.ndarray]:
        """The article files, and for every live row the place of its file
        in that list."""
        places: dict[str, int] = {}
        parts = []
        for segment in self.segments:
            columns = segment.columns[self.records]
            mapping = np.array([places.setdefault(name, len(places)) for name, _ in columns.files], dtype=np.int64)
            local = np.asarray(columns.numbers["file"])[segment.live[self.records]]
            parts.append(mapping[local] if len(local) else np.zeros(0, np.int64))
        return list(places), (np.concatenate(parts) if parts else np.zeros(0, np.int64))
