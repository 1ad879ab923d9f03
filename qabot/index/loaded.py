"""A built index, loaded from its folder of plain files.

Layout of the folder (no pickle anywhere):

- ``manifest.json``: format, model, chunking settings, counts; per article
  file its content hash, its passages' hashes, the segment holding it and
  its rows there; per segment its sizes and how each vector set is
  searched; the size and SHA-256 of every other file.
- ``segments/<name>/`` (see :mod:`qabot.index.segments`): ``passages/`` and
  ``sentences/``, the records in columns (see :mod:`qabot.index.columns`,
  memory-mapped); ``passages.npy`` /
  ``sentences.npy`` / ``windows.npy``: unit vectors of each passage, each
  sentence, and each sentence read together with the one before it, plus an
  HNSW graph (``.hnsw``) for a large searched set; ``bm25-passages/`` /
  ``bm25-sentences/``: term counts (.npy) and vocabulary (JSON).
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from qabot import __version__
from qabot.articles.chunking import CHUNKING_RULES, MAX_PASSAGE_WORDS, MIN_PASSAGE_WORDS
from qabot.articles.pages.extract import is_page
from qabot.errors import IndexLoadError, StoreOutOfStepError
from qabot.index.lexical import TERMS_VERSION, Bm25
from qabot.index.records import Passage, Sentence
from qabot.index.segments import (
    PAGES,
    RECORD_SETS,
    RECORDS_OF,
    SEGMENTS,
    VECTOR_SETS,
    LoadedSegment,
    RecordList,
    checked_at_load,
    is_segment_name,
    load_segment,
    page_file,
    segment_files,
)
from qabot.index.storage import readable_folder
from qabot.index.vectors import SEARCH_KINDS
from qabot.stores.keys import marks_of, segment_number, split_keys

FORMAT = 2
MANIFEST = "manifest.json"
# The key of an article's manifest entry saying when it was indexed (UTC,
# ISO 8601); indexes built before it was recorded have none.
INDEXED = "indexed"
# What the model is shown for each record; part of the settings, since a
# change must re-embed everything.
EMBEDDING_TEXT_VERSION = 2


def chunking_settings() -> dict:
    return {
        "min_passage_words": MIN_PASSAGE_WORDS,
        "max_passage_words": MAX_PASSAGE_WORDS,
        "embedding_text": EMBEDDING_TEXT_VERSION,
        "rules": CHUNKING_RULES,
        "terms": TERMS_VERSION,
        "qabot": __version__,
    }


def passage_embedding_text(title: str, text: str, heading: str = "") -> str:
    """The passage as the model sees it: its article's title, its section's
    heading (if any), then the text."""
    return "\n".join(part for part in (title, heading, text) if part)


def sentence_embedding_text(title: str, text: str) -> str:
    """The sentence as the model sees it: after its article's title."""
    return f"{title}. {text}" if title else text


def window_embedding_text(title: str, previous: str, text: str) -> str:
    """The sentence read after the one before it in its passage (if any)."""
    return sentence_embedding_text(title, f"{previous} {text}" if previous else text)


def embedding_texts(passages: list[Passage], sentences: list[Sentence]) -> dict[str, list[str]]:
    """What the model is shown for each vector set (see VECTOR_SETS)."""
    titles = [p.title for p in passages]
    windows = []
    for i, sentence in enumerate(sentences):
        previous = sentences[i - 1].text if i and sentences[i - 1].passage == sentence.passage else ""
        windows.append(window_embedding_text(titles[sentence.passage], previous, sentence.text))
    return {
        "passages": [passage_embedding_text(p.title, p.text, p.heading) for p in passages],
        "sentences": [sentence_embedding_text(titles[s.passage], s.text) for s in sentences],
        "windows": windows,
    }


def read_manifest(folder: Path) -> dict:
    """The manifest, or IndexLoadError saying what is wrong with it.

    Reads the previous index instead while a build is swapping in a new one.
    """
    folder = readable_folder(folder)
    path = folder / MANIFEST
    if not path.is_file():
        raise IndexLoadError(f"no index in {str(folder)!r} (manifest.json missing)")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        raise IndexLoadError(f"index manifest {str(path)!r} is unreadable or corrupt") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise IndexLoadError(f"index in {str(folder)!r} has an unknown format")
    problem = manifest_problem(manifest)
    if problem:
        raise IndexLoadError(f"index manifest {str(path)!r} is damaged ({problem})")
    return manifest


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_data_file_name(name) -> bool:
    """A relative path inside the index folder, other than the manifest."""
    if not isinstance(name, str) or not name or name.startswith("/") or name == MANIFEST:
        return False
    return ".." not in name.split("/")


def manifest_problem(manifest: dict) -> str | None:
    """What is wrong with the structure of ``manifest``, or None."""
    model = manifest.get("model")
    if not (isinstance(model, dict) and isinstance(model.get("name"), str)
            and _is_int(model.get("dimension")) and model["dimension"] > 0):
        return "model"
    if not isinstance(manifest.get("chunking"), dict):
        return "chunking"
    if not isinstance(manifest.get("index_id", ""), str):
        return "index_id"
    segments = manifest.get("segments")
    if not (isinstance(segments, dict) and all(
        is_segment_name(name) and _is_segment_entry(entry) for name, entry in segments.items()
    )):
        return "segments"
    if not _is_int(manifest.get("next_segment")):
        return "next_segment"
    sizes = manifest.get("file_sizes")
    if not (isinstance(sizes, dict)
            and all(_is_data_file_name(name) and _is_int(size) and size >= 0 for name, size in sizes.items())):
        return "file_sizes"
    if not all(f"{SEGMENTS}/{name}/{file}" in sizes
               for name, entry in segments.items() for file in segment_files(entry)):
        return "file_sizes"
    hashes = manifest.get("file_hashes", {})  # indexes before hashes were kept have none
    if not (isinstance(hashes, dict) and set(hashes) <= set(sizes) and all(
        isinstance(digest, str) and len(digest) == 64 for digest in hashes.values()
    )):
        return "file_hashes"
    skipped = manifest.get("skipped", {})
    if not (isinstance(skipped, dict) and all(isinstance(v, str) for v in skipped.values())):
        return "skipped"
    files = manifest.get("files")
    if not (isinstance(files, dict) and all(
        isinstance(name, str) and _is_file_entry(entry, segments)
        and (not is_page(name) or name in segments[entry["segment"]].get(PAGES, {}))  # a page's text is kept
        for name, entry in files.items()
    )):
        return "files"
    return None


def _is_segment_entry(entry) -> bool:
    return (
        isinstance(entry, dict)
        and all(_is_int(entry.get(records)) and entry[records] >= 0 for records in RECORD_SETS)
        and isinstance(entry.get("search"), dict)
        and all(entry["search"].get(name) in SEARCH_KINDS for name in VECTOR_SETS)
        and isinstance(entry.get(PAGES, {}), dict)
        and all(isinstance(name, str) and _is_data_file_name(file) for name, file in entry.get(PAGES, {}).items())
    )


def _is_file_entry(entry, segments: dict) -> bool:
    if not (
        isinstance(entry, dict)
        and isinstance(entry.get("sha256"), str)
        and isinstance(entry.get("title"), str)
        and isinstance(entry.get("passages"), list)
        and all(isinstance(digest, str) for digest in entry["passages"])
        and entry.get("segment") in segments
        and isinstance(entry.get("rows"), dict)
        and isinstance(entry.get(INDEXED, ""), str)
    ):
        return False
    segment = segments[entry["segment"]]
    for records in RECORD_SETS:
        rows = entry["rows"].get(records)
        if not (isinstance(rows, list) and len(rows) == 2 and all(_is_int(r) for r in rows)
                and 0 <= rows[0] <= rows[1] <= segment[records]):
            return False
    return entry["rows"]["passages"][1] - entry["rows"]["passages"][0] == len(entry["passages"])


@dataclass(frozen=True)
class IndexedArticle:
    """An article as the index holds it: what `qabot list` shows."""

    name: str  # relative to the seeds folder
    title: str
    passages: int
    indexed: str | None  # when (UTC, ISO 8601); None for an index that did not record it

    def to_json(self, seeds: Path) -> dict:
        return {"file": str(seeds / self.name), "title": self.title, "passages": self.passages,
                "indexed": self.indexed}


def indexed_articles(folder: Path) -> list[IndexedArticle]:
    """The articles in the index in ``folder``, by name; cheap: reads the
    manifest only. IndexLoadError when there is no index or it is damaged."""
    manifest = read_manifest(folder)
    return [IndexedArticle(name, entry["title"], len(entry["passages"]), entry.get(INDEXED))
            for name, entry in sorted(manifest["files"].items())]


def data_file_sizes(folder: Path) -> dict[str, int]:
    """``{relative path: size}`` of every file in ``folder`` but the manifest."""
    return {
        path.relative_to(folder).as_posix(): path.stat().st_size
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.relative_to(folder).as_posix() != MANIFEST
    }


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def data_file_hashes(folder: Path, names) -> dict[str, str]:
    """``{relative path: sha256}`` of the files ``names`` in ``folder``."""
    return {name: file_digest(folder / name) for name in sorted(names)}


def check_file_hashes(folder: Path, manifest: dict, names=None) -> None:
    """IndexLoadError unless each file of ``names`` (default: every file
    the manifest hashed) has its recorded content."""
    hashes = manifest.get("file_hashes", {})
    for name in hashes if names is None else names:
        if name in hashes and file_digest(folder / name) != hashes[name]:
            raise IndexLoadError(f"index file {str(folder / name)!r} is damaged (its content changed)")


# What file_problems says of a file whose bytes are not those the manifest hashed.
CONTENT_CHANGED = "its content changed"


def file_problems(folder: Path, manifest: dict, names=None, stop: threading.Event | None = None) -> dict[str, str]:
    """``{relative path: what is wrong}`` for each file of ``names`` (default:
    every file the manifest lists) that is missing, not of its recorded size,
    or, where the manifest keeps its hash, not of its recorded content (read
    whole). Stops early, with what it found so far, once ``stop`` is set."""
    sizes, hashes = manifest["file_sizes"], manifest.get("file_hashes", {})
    problems = {}
    for name in sorted(sizes if names is None else names):
        if stop is not None and stop.is_set():
            break
        path = folder / name
        try:
            if not path.is_file():
                problems[name] = "missing"
            elif name in sizes and path.stat().st_size != sizes[name]:
                problems[name] = f"{path.stat().st_size:,} bytes, not the {sizes[name]:,} recorded"
            elif name in hashes and file_digest(path) != hashes[name]:
                problems[name] = CONTENT_CHANGED
        except OSError as error:
            problems[name] = f"unreadable ({error.strerror or error})"
    return problems


def damage_line(folder: Path, problems: dict[str, str]) -> str:
    """One line naming the damaged files of the index in ``folder`` (the
    first three, and how many more)."""
    if len(problems) == 1:
        (name, why), = problems.items()
        return f"index file {str(folder / name)!r} is damaged ({why})"
    named = [f"{str(folder / name)!r} ({why})" for name, why in list(problems.items())[:3]]
    more = f" and {len(problems) - 3} more" if len(problems) > 3 else ""
    return f"{len(problems)} index files are damaged: {', '.join(named)}{more}"


def unchecked_at_load(manifest: dict) -> list[str]:
    """The files a load does not check by hash (vectors, search graphs,
    records, page texts): what :class:`ContentCheck` reads."""
    at_load = {f"{SEGMENTS}/{name}/{file}" for name, entry in manifest["segments"].items()
               for file in checked_at_load(entry)}
    return [name for name in manifest.get("file_hashes", {}) if name not in at_load]


class ContentCheck:
    """Checks, on a background thread, that the files a load did not check
    (see :func:`unchecked_at_load`; mostly vectors) hold what the manifest
    recorded: too slow for a cold question on a large index (a second or
    more at 100,000 passages), so it runs beside the answers instead.

    ``damage`` is None while it runs and when all is sound, else one line
    naming what is damaged. Damage seen while the index folder was
    replaced by another build is not damage of this index, and is dropped.
    """

    def __init__(self, index: "Index") -> None:
        self.index = index
        self.damage: str | None = None
        self.problems: dict[str, str] = {}
        self.done = threading.Event()
        self._stop = threading.Event()

    def start(self) -> "ContentCheck":
        threading.Thread(target=self._run, name="qabot-content-check", daemon=True).start()
        return self

    def stop(self) -> None:
        """Ask the check to end after the file it is reading."""
        self._stop.set()

    def _run(self) -> None:
        try:
            folder, manifest = self.index.folder, self.index.manifest
            problems = file_problems(readable_folder(folder), manifest, unchecked_at_load(manifest), self._stop)
            if problems and not self._stop.is_set() and read_manifest(folder) == manifest:
                self.problems, self.damage = problems, damage_line(folder, problems)
        except Exception:  # noqa: BLE001 - a folder gone or replaced meanwhile: nothing to report
            pass
        finally:
            self.done.set()


def check_file_sizes(folder: Path, manifest: dict) -> None:
    """IndexLoadError unless every file the manifest lists has its recorded
    size (cheap: one stat() per file, nothing is read)."""
    for name, size in manifest["file_sizes"].items():
        path = folder / name
        if not path.is_file() or path.stat().st_size != size:
            raise IndexLoadError(f"index file {str(path)!r} is missing or truncated")


def live_rows(manifest: dict) -> dict[str, dict[str, np.ndarray]]:
    """Per segment, the rows of each record set that belong to an article
    the manifest lists there (in order)."""
    spans: dict[str, dict[str, list]] = {name: {r: [] for r in RECORD_SETS} for name in manifest["segments"]}
    for entry in manifest["files"].values():
        for records in RECORD_SETS:
            spans[entry["segment"]][records].append(entry["rows"][records])
    return {
        name: {records: _union(found[records]) for records in RECORD_SETS}
        for name, found in spans.items()
    }


def _union(spans: list[list[int]]) -> np.ndarray:
    """The rows of ``spans`` ([start, end) pairs), in order; IndexLoadError
    when two overlap (one pass over the sorted spans, not over the rows)."""
    ordered = sorted(spans)
    if any(start < previous_end for (_, previous_end), (start, _) in zip(ordered, ordered[1:])):
        raise IndexLoadError("index manifest lists two articles in the same rows")
    rows = [np.arange(start, end, dtype=np.int64) for start, end in ordered]
    return np.concatenate(rows) if rows else np.zeros(0, np.int64)


@dataclass
class Index:
    """Passages and sentences with their vectors and BM25 counts, gathered
    from the index's segments and numbered as one list each."""

    folder: Path
    manifest: dict
    passages: RecordList  # a sequence of Passage, made on demand
    sentences: RecordList  # a sequence of Sentence
    segments: list[LoadedSegment]
    passage_bm25: Bm25
    sentence_bm25: Bm25
    # A Milvus store (qabot.stores) the first stage searches instead of
    # the segments' own vectors, or None.
    store: object | None = None

    @property
    def model_name(self) -> str:
        return self.manifest["model"]["name"]

    @property
    def dimension(self) -> int:
        return int(self.manifest["model"]["dimension"])

    @cached_property
    def file_titles(self) -> dict[str, str]:
        return {name: entry["title"] for name, entry in self.manifest["files"].items()}

    @classmethod
    def load(cls, folder: Path, model_name: str | None = None, dimension: int | None = None,
             store=None) -> "Index":
        """Read the index in ``folder``; IndexLoadError if it is incomplete,
        corrupt, or built with another model than ``model_name`` or with
        vectors of another size than ``dimension``. With a ``store``, the
        searches of the first stage go there, and the segments' search
        graphs are not read."""
        try:
            source = readable_folder(folder)
            manifest = read_manifest(source)
            index = cls._load(folder, source, manifest, model_name, dimension, graphs=store is None)
            index.store = store
            return index
        except IndexLoadError:
            raise
        except Exception as error:  # noqa: BLE001 - whatever a damaged file makes a reader raise
            raise IndexLoadError(f"index in {str(folder)!r} is damaged ({error.__class__.__name__})") from None

    @classmethod
    def _load(cls, folder: Path, source: Path, manifest: dict, model_name: str | None,
              dimension: int | None, graphs: bool = True) -> "Index":
        """The index whose files are in ``source`` (``folder``, or the
        previous index while a build swaps ``folder``)."""
        model = manifest["model"]
        if model_name is not None and model["name"] != model_name:
            raise IndexLoadError(f"index in {str(folder)!r} was built with {model['name']}, not {model_name}")
        if dimension is not None and model["dimension"] != dimension:
            raise IndexLoadError(
                f"index in {str(folder)!r} holds vectors of size {model['dimension']}, not {dimension}")
        check_file_sizes(source, manifest)
        # What loading reads whole is checked whole; records are checked as
        # they are used (qabot.articles.quotes), everything when a build verifies.
        check_file_hashes(source, manifest, [
            f"{SEGMENTS}/{name}/{file}" for name, entry in manifest["segments"].items()
            for file in checked_at_load(entry)])
        segments = []
        first = {records: 0 for records in RECORD_SETS}
        for name, live in live_rows(manifest).items():
            segments.append(load_segment(source / SEGMENTS / name, name, manifest["segments"][name], live,
                                         dict(first), model["dimension"], graphs))
            first = {records: first[records] + len(live[records]) for records in RECORD_SETS}
        return cls(
            folder=folder, manifest=manifest, passages=RecordList("passages", segments),
            sentences=RecordList("sentences", segments), segments=segments,
            passage_bm25=Bm25([(s.counts["passages"], s.numbers["passages"]) for s in segments]),
            sentence_bm25=Bm25([(s.counts["sentences"], s.numbers["sentences"]) for s in segments]),
        )

    def article_rows(self, names) -> dict[str, np.ndarray]:
        """The numbers (in the whole index) of the passages and of the
        sentences of the articles ``names`` (each one the index holds), in
        ascending order."""
        segments = {segment.name: segment for segment in self.segments}
        found: dict[str, list[np.ndarray]] = {records: [np.zeros(0, np.int64)] for records in RECORD_SETS}
        for name in names:
            entry = self.manifest["files"][name]
            segment = segments[entry["segment"]]
            for records in RECORD_SETS:
                start, end = entry["rows"][records]
                found[records].append(segment.numbers[records][start:end])
        return {records: np.unique(np.concatenate(parts)) for records, parts in found.items()}

    def page_text(self, name: str, sha256: str) -> str | None:
        """The text extracted from web-page article ``name`` when it was
        indexed (what its citations count in), or None when the index holds
        no such page, holds it from another version of the file (``sha256``
        is the file's now), or its text cannot be read."""
        kept = page_file(self.manifest, name)
        if kept is None or self.manifest["files"][name]["sha256"] != sha256:
            return None
        try:
            return (readable_folder(self.folder) / kept).read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def search(self, which: str, vectors: np.ndarray, k: int,
               exact: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """Inner products and numbers of the ``k`` best live rows of vector set
        ``which`` (passages or sentences) for each query vector, best first;
        ids are -1 where fewer exist. ``exact`` scans every row even where
        the set is searched through an approximate graph."""
        vectors = np.atleast_2d(np.asarray(vectors, dtype=np.float32))
        scores = np.full((len(vectors), k), -np.inf, dtype=np.float32)
        ids = np.full((len(vectors), k), -1, dtype=np.int64)
        in_store = self.store is not None and not exact
        for row, vector in enumerate(vectors):
            if in_store:
                found_scores, found_ids = self._search_store(which, vector, k)
            else:
                found_scores, found_ids = self._search_one(which, vector, k, exact)
            scores[row, :len(found_ids)] = found_scores
            ids[row, :len(found_ids)] = found_ids
        return scores, ids

    def _search_one(self, which: str, vector: np.ndarray, k: int, exact: bool):
        records = RECORDS_OF[which]
        found_scores, found_ids = [], []
        for segment in self.segments:
            store, numbers = segment.stores[which], segment.numbers[records]
            # Ask for as many more as there are rows no longer live.
            scores, rows = store.search(vector, k + len(numbers) - len(segment.live[records]), exact)
            ids = numbers[rows]
            found_scores.append(scores[ids >= 0])
            found_ids.append(ids[ids >= 0])
        scores = np.concatenate(found_scores) if found_scores else np.zeros(0, np.float32)
        ids = np.concatenate(found_ids) if found_ids else np.zeros(0, np.int64)
        best = np.argsort(-scores, kind="stable")[:k]
        return scores[best], ids[best]

    def check_store(self) -> None:
        """StoreOutOfStepError unless the store (if any) still holds every
        segment of this index whole (a later build may have folded them
        away): one look at the store's marks, before a question searches."""
        if self.store is not None and not self.store.holds(self.store_marks):
            raise StoreOutOfStepError(f"the Milvus store {self.store.address} no longer holds this index whole")

    @cached_property
    def store_marks(self) -> dict[int, str]:
        return marks_of(self.manifest)

    def _search_store(self, which: str, vector: np.ndarray, k: int):
        """The store's nearest rows, scored here from the index's own
        vectors (so a store's rounding never changes an answer)."""
        records = RECORDS_OF[which]
        _, keys = self.store.nearest(records, vector, k + self._store_margin(records, k), self.segment_numbers)
        if not len(keys) and k > 0 and self.rows(which):  # any vector has neighbours among rows it holds
            raise StoreOutOfStepError(f"the Milvus store {self.store.address} holds none of this index's {which}")
        ids = self.numbers_of(records, keys)
        ids = ids[ids >= 0]
        scores = self.vectors_of(which, ids) @ np.asarray(vector, dtype=np.float32)
        best = np.argsort(-scores, kind="stable")[:k]
        return scores[best], ids[best]

    def best_by_terms(self, records: str, question_terms: list[str], count: int) -> np.ndarray | None:
        """Numbers of the rows whose terms the store finds best for
        ``question_terms`` (twice ``count``: the store's BM25 weighs terms a
        little differently from :mod:`qabot.index.lexical`, which then picks the
        best ``count`` among them), or None when the index has no store."""
        if self.store is None:
            return None
        wanted = 2 * count
        keys = self.store.matching(records, question_terms, wanted + self._store_margin(records, wanted),
                                   self.segment_numbers)
        ids = self.numbers_of(records, keys)
        return ids[ids >= 0][:wanted]

    @cached_property
    def segment_numbers(self) -> list[int]:
        """The number in each segment's name (how a store keys its rows)."""
        return [segment_number(segment.name) for segment in self.segments]

    def _store_margin(self, records: str, k: int) -> int:
        """How many more rows to ask a store for than are wanted: as many as
        the segments hold rows no longer live, at most ``k`` (a build deletes
        them from the store once the new index is in; they are there only
        meanwhile)."""
        return min(k, sum(len(s.numbers[records]) - len(s.live[records]) for s in self.segments))

    def numbers_of(self, records: str, keys: np.ndarray) -> np.ndarray:
        """The number in the whole index of each store key (see
        qabot.stores.keys.row_key); -1 for a row not live here."""
        owners, rows = split_keys(keys)
        found = np.full(len(keys), -1, dtype=np.int64)
        for number, segment in zip(self.segment_numbers, self.segments):
            mine = np.flatnonzero((owners == number) & (rows < len(segment.numbers[records])))
            found[mine] = segment.numbers[records][rows[mine]]
        return found

    def vectors_of(self, which: str, ids) -> np.ndarray:
        """The stored vectors of rows ``ids`` (numbers in the whole index)."""
        ids = np.asarray(ids, dtype=np.int64)
        records = RECORDS_OF[which]
        result = np.zeros((len(ids), self.dimension), dtype=np.float32)
        starts = np.array([segment.first[records] for segment in self.segments])
        owners = np.searchsorted(starts, ids, side="right") - 1
        for number, segment in enumerate(self.segments):
            mine = np.flatnonzero(owners == number)
            if len(mine):
                rows = segment.live[records][ids[mine] - segment.first[records]]
                result[mine] = segment.stores[which].rows[rows]
        return result

    def rows(self, which: str) -> int:
        """How many live rows vector set ``which`` has (one per record)."""
        return len(self.passages) if RECORDS_OF[which] == "passages" else len(self.sentences)

    def vectors(self, which: str) -> np.ndarray:
        """All live vectors of one of VECTOR_SETS, in record order."""
        return self.vectors_of(which, np.arange(self.rows(which)))
