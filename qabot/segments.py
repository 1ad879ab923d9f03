"""Segments: the unit an index is written in.

A segment is a folder under ``segments/`` holding the records, vectors and
BM25 counts of some articles, numbered from 0 within the segment. It is never
changed once written: a build that changes a few articles writes them into a
new segment and carries the other segments over unchanged (hard links). The
manifest says which segment holds each article now, so rows of an article
that has since changed or gone are simply not live.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from qabot.lexical import TERM_FILES, TermCounts
from qabot.records import Passage, Sentence
from qabot.storage import read_jsonl, write_jsonl
from qabot.vectors import VectorStore, search_kind, vector_files, write_vectors

SEGMENTS = "segments"
VECTOR_SETS = ("passages", "sentences", "windows")
# Sets looked up by similarity; windows are only read by row.
SEARCHED = ("passages", "sentences")
# Which records number each vector set's rows.
RECORDS_OF = {"passages": "passages", "sentences": "sentences", "windows": "sentences"}
RECORD_SETS = ("passages", "sentences")
_NAME = re.compile(r"^s\d{6}$")


def segment_name(number: int) -> str:
    return f"s{number:06d}"


def is_segment_name(name) -> bool:
    return isinstance(name, str) and bool(_NAME.match(name))


def segment_files(entry: dict) -> list[str]:
    """Files of a segment (relative to its folder) as its manifest entry says."""
    files = [f"{records}.jsonl" for records in RECORD_SETS]
    for name in VECTOR_SETS:
        files += vector_files(name, entry["search"][name])
    files += [f"bm25-{records}/{file}" for records in RECORD_SETS for file in TERM_FILES]
    return files


def read_in_full() -> list[str]:
    """Files of a segment that loading reads whole: its records and BM25 counts."""
    return [f"{records}.jsonl" for records in RECORD_SETS] + [
        f"bm25-{records}/{file}" for records in RECORD_SETS for file in TERM_FILES]


def write_segment(folder: Path, passages: list[Passage], sentences: list[Sentence],
                  vectors: dict[str, np.ndarray], progress=None) -> dict:
    """Write one segment; return its manifest entry. Records are numbered
    from 0 within the segment; ``progress`` hears of search graphs built."""
    folder.mkdir(parents=True)
    write_jsonl(folder / "passages.jsonl", (p.to_json() for p in passages))
    write_jsonl(folder / "sentences.jsonl", (s.to_json() for s in sentences))
    kinds = {name: search_kind(len(vectors[name]), name in SEARCHED) for name in VECTOR_SETS}
    for name in VECTOR_SETS:
        write_vectors(folder, name, vectors[name], kinds[name], progress)
    TermCounts.build([p.text for p in passages]).save(folder / "bm25-passages")
    TermCounts.build([s.text for s in sentences]).save(folder / "bm25-sentences")
    return {"passages": len(passages), "sentences": len(sentences), "search": kinds}


def read_rows(folder: Path, records: str, spans: list[tuple[int, int]]) -> list[list[dict]]:
    """The records of each span ``(start, end)`` of one record set, parsed;
    the file is read once, however many spans are asked for."""
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


def load_segment(folder: Path, name: str, entry: dict, live: dict[str, np.ndarray],
                 first: dict[str, int], dimension: int) -> tuple[LoadedSegment, list[Passage], list[Sentence]]:
    """Read one segment whose ``live`` rows get numbers from ``first`` on;
    return it with its live records, numbered for the whole index.
    ValueError when its files do not fit its manifest entry."""
    numbers = {}
    for records in RECORD_SETS:
        numbers[records] = np.full(entry[records], -1, dtype=np.int64)
        numbers[records][live[records]] = np.arange(first[records], first[records] + len(live[records]))
    passages = _live_records(folder / "passages.jsonl", entry["passages"], live["passages"])
    sentences = _live_records(folder / "sentences.jsonl", entry["sentences"], live["sentences"])
    passage_numbers, sentence_numbers = numbers["passages"], numbers["sentences"]
    for row in passages:
        row["id"] = int(passage_numbers[row["id"]])
        row["first_sentence"] = int(sentence_numbers[row["first_sentence"]])
    for row in sentences:
        row["id"] = int(sentence_numbers[row["id"]])
        row["passage"] = int(passage_numbers[row["passage"]])
    stores = {
        vector_set: VectorStore.load(folder, vector_set, entry["search"][vector_set],
                                     entry[RECORDS_OF[vector_set]], dimension)
        for vector_set in VECTOR_SETS
    }
    counts = {records: TermCounts.load(folder / f"bm25-{records}", entry[records]) for records in RECORD_SETS}
    segment = LoadedSegment(name, numbers, live, first, stores, counts)
    return segment, [Passage(**row) for row in passages], [Sentence(**row) for row in sentences]


def _live_records(path: Path, count: int, live: np.ndarray) -> list[dict]:
    rows = read_jsonl(path)
    if len(rows) != count or any(row.get("id") != number for number, row in enumerate(rows)):
        raise ValueError(f"{path.name} does not match the manifest")
    return [rows[i] for i in live]
