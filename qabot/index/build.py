"""Build or update the index from the articles, re-embedding only what changed."""

from __future__ import annotations

import hashlib
import json
import shutil
import time
import uuid
from array import array
from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from qabot.articles.chunking import chunk_article
from qabot.articles.files import Article, file_hashes, read_articles
from qabot.embedding.embedder import Embedder
from qabot.errors import IndexLoadError, IndexWriteError
from qabot.index.loaded import (
    FORMAT,
    INDEXED,
    MANIFEST,
    Index,
    check_file_sizes,
    chunking_settings,
    data_file_hashes,
    data_file_sizes,
    embedding_texts,
    file_problems,
    passage_embedding_text,
    read_manifest,
)
from qabot.index.embedding_cache import CHUNK, JOINED, EmbeddingCache, cache_folder
from qabot.index.records import Passage, Sentence
from qabot.index.row_files import RowFile
from qabot.index.segments import (
    RECORD_SETS,
    RECORDS_OF,
    SEGMENTS,
    VECTOR_SETS,
    NewRecords,
    has_columns,
    page_file,
    read_rows,
    record_files,
    segment_name,
    write_segment,
)
from qabot.index.storage import build_lock, link_tree, new_folder, recover, refuse_non_folder, write_json
from qabot.index.vectors import EXACT

# progress(stage, done, total): stage is "embedding", then "search graph of
# <set>" for a large set; called as work is done.
BuildProgress = Callable[[str, int, int], None]
# before_switch(staging folder, its manifest, progress): see update_index.
BeforeSwitch = Callable[[Path, dict, "BuildProgress | None"], None]
# A build carries over at most this many segments (besides its new one).
MAX_SEGMENTS = 8
# A segment is folded into the new one once fewer of its rows are live.
LIVE_SHARE = 0.75
# Where a build writes its new vector files (inside the embedding cache
# folder, so on the index's file system; removed with it).
SCRATCH = "rows"


# Why an article with no prose is left out.
NO_PROSE = "it has no prose to answer from (empty, or only a title)"


@dataclass(frozen=True)
class SkippedFile:
    """An article the index leaves out, and why: it has no prose, or it is
    not text at all (``unreadable``). Every update names it until it changes."""

    name: str  # relative to the seeds folder, as the index records it
    path: Path  # where it is, as the user named the folder
    why: str
    unreadable: bool = False

    @classmethod
    def of(cls, article: Article) -> "SkippedFile":
        if article.unreadable:
            return cls(article.name, article.path, article.unreadable, unreadable=True)
        return cls(article.name, article.path, NO_PROSE)

    def __str__(self) -> str:
        return f"{self.path}: {self.why}"


@dataclass(frozen=True)
class BuildReport:
    files: int
    passages: int
    sentences: int
    embedded: int
    reused: int
    removed: int
    seconds: float
    changed: bool
    # Texts the model embedded: passages, sentences and sentence windows
    # (``embedded`` counts passages only).
    texts_embedded: int = 0
    # Articles left out: no prose (empty, or only a title), or not text at
    # all; their names, and each with where it is and why.
    skipped: tuple[str, ...] = ()
    skipped_files: tuple[SkippedFile, ...] = ()
    # Files of the old index found damaged (paths inside the index folder):
    # nothing was reused from them, and what they held was written again.
    repaired: tuple[str, ...] = ()

    def to_json(self) -> dict:
        return {
            "files": self.files, "passages": self.passages, "sentences": self.sentences,
            "embedded": self.embedded, "texts_embedded": self.texts_embedded, "reused": self.reused,
            "removed": self.removed, "skipped": list(self.skipped), "repaired": list(self.repaired),
            "seconds": round(self.seconds, 3),
        }


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _records(articles: list[Article]) -> tuple[list[Passage], list[Sentence], dict, dict, dict]:
    """Records of ``articles``, numbered from 0; the text of each web page
    among them (the index keeps what its citations count in); each
    article's manifest entry (its rows among them; the segment is filled in
    by the caller); and ``{name: sha256}`` of the articles skipped for
    having no prose or not being text."""
    passages: list[Passage] = []
    sentences: list[Sentence] = []
    pages: dict[str, str] = {}
    files, skipped = {}, {}
    for article in articles:
        if article.unreadable:
            skipped[article.name] = article.sha256
            continue
        chunked = chunk_article(article.text, markdown=article.name.lower().endswith(".md"))
        if not chunked.passages:
            skipped[article.name] = article.sha256
            continue
        first_passage, first_sentence = len(passages), len(sentences)
        hashes = []
        for chunk in chunked.passages:
            first = len(sentences)
            for span in chunk.sentences:
                sentences.append(Sentence(
                    len(sentences), len(passages), article.name, span.start, span.end, span.line, span.text,
                ))
            digest = content_hash(passage_embedding_text(chunked.title, chunk.text, chunk.heading))
            passages.append(Passage(
                len(passages), article.name, chunked.title, chunk.start, chunk.end, chunk.line,
                chunk.text, digest, first, len(chunk.sentences), chunk.heading,
            ))
            hashes.append(digest)
        files[article.name] = {
            "sha256": article.sha256, "title": chunked.title, "passages": hashes,
            "rows": {"passages": [first_passage, len(passages)], "sentences": [first_sentence, len(sentences)]},
        }
        if article.is_page:
            pages[article.name] = article.text
    return passages, sentences, pages, files, skipped


def indexed_now() -> str:
    """The time now, as a manifest records when an article was indexed
    (UTC, to the second: ``2026-12-04T18:29:28Z``)."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def stamped(files: dict[str, dict], old_files: dict[str, dict]) -> dict[str, dict]:
    """``files`` (new manifest entries), each with when it was indexed: now,
    unless the same content was indexed before (its segment is only folded
    into a new one), which keeps the old entry's time, or none when an
    older index did not record it."""
    now = indexed_now()
    result = {}
    for name, entry in files.items():
        old = old_files.get(name, {})
        if old.get("sha256") != entry["sha256"]:
            result[name] = {**entry, INDEXED: now}
        else:
            result[name] = {**entry, **({INDEXED: old[INDEXED]} if INDEXED in old else {})}
    return result


def is_current_layout(manifest: dict) -> bool:
    """True unless the index predates content hashes or records in columns
    (then the next build rewrites it from its own vectors)."""
    return "file_hashes" in manifest and all(has_columns(entry) for entry in manifest["segments"].values())


def is_fresh(manifest: dict, seeds: Path, embedder: Embedder, hashes: dict[str, str] | None = None) -> bool:
    """True when the manifest was built from exactly these articles and settings.

    ``manifest`` is one :func:`~qabot.index.loaded.read_manifest` checked; ``hashes``
    are the articles' hashes when already known (else the files are read).
    """
    recorded = {name: entry["sha256"] for name, entry in manifest["files"].items()}
    recorded.update(manifest.get("skipped", {}))
    return (
        is_current_layout(manifest)
        and _same_model(manifest, embedder)
        and manifest["chunking"] == chunking_settings()
        and recorded == (file_hashes(seeds) if hashes is None else hashes)
    )


def _same_model(manifest: dict, embedder: Embedder) -> bool:
    return manifest["model"]["name"] == embedder.name and manifest["model"]["dimension"] == embedder.dimension


def _segments_of(names) -> set[str]:
    """The segments holding the index files ``names``."""
    return {name.split("/")[1] for name in names if name.startswith(f"{SEGMENTS}/")}


def _source_files(reusable: dict[str, dict]) -> list[str]:
    """The files a build copies vectors from for the ``reusable`` articles:
    the vector files of the segments holding them. (Their records need no
    check: a vector is reused only where the text its record gives has the
    hash of a text to embed now, so a damaged record reuses nothing.)"""
    segments = {entry["segment"] for entry in reusable.values()}
    return [f"{SEGMENTS}/{name}/{vectors}.npy" for name in sorted(segments) for vectors in VECTOR_SETS]


def _file_hashes(staging: Path, names, manifest: dict, kept: list[str]) -> dict[str, str]:
    """Content hashes of the files ``names`` in ``staging``; the files of a
    kept segment (links to the old index's) keep their recorded hashes."""
    old = manifest.get("file_hashes", {})
    carried = {name: old[name] for name in names if name in old and name.split("/")[1] in kept}
    return {**carried, **data_file_hashes(staging, [name for name in names if name not in carried])}


def index_id(folder: Path) -> str:
    """The id the index in ``folder`` goes by: the one its manifest names
    (even a manifest otherwise unusable: an index rebuilt in its folder is
    still the same index), or a new one."""
    try:
        found = json.loads((folder / MANIFEST).read_text(encoding="utf-8")).get("index_id")
    except (OSError, ValueError, AttributeError):
        found = None
    return found if isinstance(found, str) and found else uuid.uuid4().hex


def _usable_manifest(folder: Path, embedder: Embedder) -> dict:
    """The current manifest if its vectors can be reused (same model, files
    whole); else an empty dict."""
    try:
        manifest = read_manifest(folder)
        check_file_sizes(folder, manifest)
    except IndexLoadError:
        return {}
    return manifest if _same_model(manifest, embedder) else {}


@dataclass
class Plan:
    """What a build keeps and what it writes into its new segment."""

    kept_segments: list[str]
    kept_files: dict[str, dict]  # manifest entries carried over as they are
    rebuilt: list[Article]  # articles written into the new segment
    reusable: dict[str, dict]  # old entries whose vectors may be reused


def plan_update(manifest: dict, articles: list[Article], force: bool, damaged=frozenset()) -> Plan:
    """Keep every segment that still earns its place; rebuild the rest.

    Without a usable ``manifest`` (or with ``force``) everything goes into one
    new segment. Otherwise an unchanged article stays where it is, unless its
    segment is folded into the new one: small segments always are (rewriting
    them is cheap, and it keeps their number down), as are segments whose
    rows are mostly dead, the segments ``damaged`` names (a file of theirs
    is not what was written) and, past MAX_SEGMENTS, the smallest large ones.
    """
    old_files = manifest.get("files", {})
    if force or not manifest or manifest["chunking"] != chunking_settings():
        return Plan([], {}, list(articles), {} if force else old_files)
    unchanged = {a.name for a in articles if a.name in old_files and old_files[a.name]["sha256"] == a.sha256}
    live = Counter()
    for name in unchanged:
        rows = old_files[name]["rows"]["sentences"]
        live[old_files[name]["segment"]] += rows[1] - rows[0]
    kept = [
        name for name, entry in manifest["segments"].items()
        if live[name] and entry["search"]["sentences"] != EXACT and live[name] >= LIVE_SHARE * entry["sentences"]
        and has_columns(entry) and name not in damaged
    ]
    kept = sorted(kept, key=lambda name: -live[name])[:MAX_SEGMENTS - 1]
    kept_files = {name: old_files[name] for name in unchanged if old_files[name]["segment"] in kept}
    rebuilt = [a for a in articles if a.name not in kept_files]
    reusable = {name: entry for name, entry in old_files.items() if name not in kept_files}
    order = list(manifest["segments"])
    return Plan(sorted(kept, key=order.index), kept_files, rebuilt, reusable)


def _previous_vectors(folder: Path, manifest_segments: dict, reusable: dict[str, dict], dimension: int,
                      opened: list[RowFile], damaged=()) -> dict[str, tuple[RowFile, int]]:
    """Where the vectors of the old index's ``reusable`` articles are (in
    the segments ``manifest_segments`` describes), by hash of the text
    embedded for them: a vector file (opened and added to ``opened``, for
    the caller to close) and a row. Nothing comes from a file ``damaged``
    names, nor from a segment whose records it names."""
    by_segment: dict[str, list[dict]] = {}
    for entry in reusable.values():
        by_segment.setdefault(entry["segment"], []).append(entry)
    reuse: dict[str, tuple[RowFile, int]] = {}
    for name, entries in by_segment.items():
        segment = folder / SEGMENTS / name
        spans = {records: [tuple(e["rows"][records]) for e in entries] for records in RECORD_SETS}
        layout = manifest_segments[name]
        if any(f"{SEGMENTS}/{name}/{file}" in damaged for file in record_files(layout)):
            continue  # its texts cannot be trusted to say which vector is which
        passage_rows = read_rows(segment, layout, "passages", spans["passages"])
        sentence_rows = read_rows(segment, layout, "sentences", spans["sentences"])
        stored = {}
        for vector_set in VECTOR_SETS:
            if f"{SEGMENTS}/{name}/{vector_set}.npy" in damaged:
                continue
            stored[vector_set] = RowFile(segment / f"{vector_set}.npy")
            opened.append(stored[vector_set])
        if any(rows.width != dimension for rows in stored.values()):
            continue
        for entry, passages, sentences in zip(entries, passage_rows, sentence_rows):
            _add_reusable(reuse, stored, entry, passages, sentences)
    return reuse


def _add_reusable(reuse: dict, stored: dict[str, RowFile], entry: dict, passage_rows: list[dict],
                  sentence_rows: list[dict]) -> None:
    """Add where one old article's vectors are (rows of ``stored``, its
    segment's vector files) to ``reuse``, keyed by text hash."""
    first_passage, first_sentence = entry["rows"]["passages"][0], entry["rows"]["sentences"][0]
    passages = [Passage(**{**row, "id": row["id"] - first_passage,
                           "first_sentence": row["first_sentence"] - first_sentence}) for row in passage_rows]
    sentences = [Sentence(**{**row, "id": row["id"] - first_sentence, "passage": row["passage"] - first_passage})
                 for row in sentence_rows]
    for name, texts in embedding_texts(passages, sentences).items():
        start, end = entry["rows"][RECORDS_OF[name]]
        if name in stored and end <= stored[name].rows:
            for row, text in zip(range(start, end), texts):
                reuse[content_hash(text)] = (stored[name], row)


def _remove_scratch(scratch: Path, joined: Path) -> None:
    """Remove what a build wrote for itself only; the cache folder too when
    nothing else is in it."""
    shutil.rmtree(scratch, ignore_errors=True)
    joined.unlink(missing_ok=True)
    try:
        scratch.parent.rmdir()
    except OSError:
        pass  # saved chunks are kept for the next build (or it is gone)


def _embed(texts_by_set, reuse, embedder, progress, cache: EmbeddingCache, scratch: Path,
           opened: list[RowFile]) -> tuple[dict[str, Path], int]:
    """A vector file in ``scratch`` for each set of texts: vectors reused by
    content hash where possible (from ``reuse`` or the cache), and each
    distinct new text embedded once, saved to ``cache`` as it goes; and
    how many texts the model embedded. Rows are copied one at a time and
    new vectors written as each chunk is embedded, so memory holds no
    vectors beyond one chunk, whatever the number of texts."""
    known = dict(reuse)
    known.update(cache.load(opened))  # first: it may clear the cache folder, scratch included
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    new: dict[str, int] = {}  # hash of a new text: its number among them
    new_texts: list[str] = []
    wanted: list[tuple[RowFile, np.ndarray, np.ndarray]] = []  # per set: rows, and the new text each wants
    for name, texts in texts_by_set.items():
        output = RowFile.create(scratch / f"{name}.npy", len(texts), embedder.dimension)
        opened.append(output)
        rows, numbers = array("q"), array("q")
        for row, text in enumerate(texts):
            key = content_hash(text)
            if key in known:
                source, source_row = known[key]
                output.write(row, source.read(source_row, source_row + 1))
                continue
            number = new.setdefault(key, len(new_texts))
            if number == len(new_texts):
                new_texts.append(text)
            rows.append(row)
            numbers.append(number)
        order = np.argsort(numbers, kind="stable")
        wanted.append((output, np.asarray(rows)[order], np.asarray(numbers)[order]))
    _embed_new(list(new), new_texts, wanted, embedder, progress, cache)
    return {name: scratch / f"{name}.npy" for name in texts_by_set}, len(new_texts)


def _embed_new(keys: list[str], texts: list[str], wanted, embedder, progress, cache: EmbeddingCache) -> None:
    """Embed ``texts`` (hashes ``keys``) a chunk at a time, writing each
    vector into the rows ``wanted`` for it."""
    done = [0]

    def step(n: int) -> None:
        done[0] += n
        if progress:
            progress("embedding", done[0], len(texts))

    if progress:
        progress("embedding", 0, len(texts))
    for first in range(0, len(texts), CHUNK):
        end = min(first + CHUNK, len(texts))
        vectors = embedder.encode(texts[first:end], progress=step)
        for output, rows, numbers in wanted:
            low, high = np.searchsorted(numbers, [first, end])
            for row, number in zip(rows[low:high], numbers[low:high]):
                output.write(int(row), vectors[number - first])
        if len(texts) > CHUNK:  # worth keeping: more than one chunk to do
            cache.add(keys[first:end], vectors)


def update_index(
    seeds: Path,
    folder: Path,
    embedder: Embedder,
    force: bool = False,
    progress: BuildProgress | None = None,
    verify: bool = False,
    notice: Callable[[str], None] | None = None,
    before_switch: BeforeSwitch | None = None,
) -> BuildReport:
    """Bring the index in ``folder`` up to date with the articles in ``seeds``.

    Only passages and sentences whose text is new are embedded; the rest
    reuse their stored vectors, and segments of unchanged articles are
    carried over untouched (see :func:`plan_update`). Nothing is written when
    all is current, unless ``force``. "Current" means the manifest matches
    the articles and every file has its recorded size; with ``verify`` the
    index must also load and every file hold its recorded content (`qabot
    index` asks for this, and a reader that found damage). A file found
    damaged is never reused: what it held is written again (embedded again,
    where vectors were lost), and the report names it (``repaired``). The
    files vectors are copied from are checked even without ``verify``.
    ``notice`` hears of a wait for another build. ``before_switch(staging, manifest, progress)`` runs once
    the new index is written in ``staging`` and before it replaces the old
    one (a store copies the new segments then); if it raises, the old index
    stays. A folder that cannot be written is an IndexWriteError naming it.
    """
    try:
        return _update(seeds, folder, embedder, force, progress, verify, notice, before_switch)
    except OSError as error:
        raise IndexWriteError(
            f"cannot write the index {str(folder)!r} ({error.strerror or error}): make "
            f"{str(folder.parent.resolve())!r} writable, or pass --index DIR"
        ) from error


def _with_kept_text(article: Article, folder: Path, manifest: dict) -> Article:
    """``article``, or for a web page the index holds from the same file
    (rewritten only because its segment is folded), that page with the text
    the index kept: the citations stay the same, and the page is not read
    again."""
    entry = manifest.get("files", {}).get(article.name)
    if not article.is_page or not entry or entry["sha256"] != article.sha256:
        return article
    kept = page_file(manifest, article.name)
    if kept is None:
        return article
    try:
        data = (folder / kept).read_bytes()
        if manifest.get("file_hashes", {}).get(kept) != hashlib.sha256(data).hexdigest():
            return article  # damaged: take the page's text again
        return Article(article.name, article.path, article.sha256, decoded=data.decode("utf-8"))
    except (OSError, UnicodeDecodeError):
        return article


def _update(seeds: Path, folder: Path, embedder: Embedder, force: bool, progress: BuildProgress | None,
            verify: bool, notice: Callable[[str], None] | None, before_switch: BeforeSwitch | None) -> BuildReport:
    began = time.perf_counter()
    refuse_non_folder(folder)
    with build_lock(folder, waiting=notice):
        recover(folder)
        articles = read_articles(seeds)
        manifest = _usable_manifest(folder, embedder)
        hashes = {article.name: article.sha256 for article in articles}
        # {file: what is wrong} of the old index's damaged files: with
        # ``verify`` all are checked, else those vectors are copied from.
        damaged = file_problems(folder, manifest) if verify and manifest and not force else {}
        if not force and manifest and not damaged and is_fresh(manifest, seeds, embedder, hashes):
            try:
                if verify:
                    Index.load(folder, model_name=embedder.name, dimension=embedder.dimension)
                skipped = tuple(manifest.get("skipped", {}))
                skipped_files = _tell_skipped(articles, skipped, notice)
                return BuildReport(len(articles) - len(skipped), manifest["counts"]["passages"],
                                   manifest["counts"]["sentences"], 0, manifest["counts"]["passages"], 0,
                                   time.perf_counter() - began, changed=False, skipped=skipped,
                                   skipped_files=skipped_files)
            except IndexLoadError:
                manifest = {}  # damaged inside: rebuild it all
        plan = _checked_plan(folder, manifest, articles, force, damaged, checked=verify)
        rebuilt = plan.rebuilt if force else [_with_kept_text(a, folder, manifest) for a in plan.rebuilt]
        *new_records, files, skipped = _records(rebuilt)
        files = stamped(files, manifest.get("files", {}))
        # Held only here: the segment writer lets go of them once written.
        records = NewRecords(*new_records)
        del new_records
        skipped_files = _tell_skipped(articles, skipped, notice)
        with ExitStack() as files_open:
            opened: list[RowFile] = []
            scratch = cache_folder(folder) / SCRATCH
            # Last in, first out: the files are closed, then the scratch
            # vectors removed, whether the build finished or failed (the
            # saved chunks stay for the next build).
            files_open.callback(_remove_scratch, scratch, cache_folder(folder) / JOINED)
            files_open.callback(lambda: [rows.close() for rows in opened])
            try:
                reuse = _previous_vectors(folder, manifest.get("segments", {}), plan.reusable, embedder.dimension,
                                          opened, damaged)
            except (OSError, ValueError, KeyError, TypeError):
                reuse = {}  # unreadable old rows: embed again
            embedded = sum(p.hash not in reuse for p in records.passages)
            cache = EmbeddingCache(cache_folder(folder), embedder.name, embedder.dimension)
            if force:
                cache.clear()
            vectors, texts_embedded = _embed(embedding_texts(records.passages, records.sentences), reuse, embedder,
                                             progress, cache, scratch, opened)
            new_manifest = _write(folder, manifest, plan, records, files, skipped, vectors, embedder, progress,
                                  before_switch)
        cache.clear()
        old_passages = Counter(h for entry in manifest.get("files", {}).values() for h in entry["passages"])
        removed = old_passages - Counter(h for entry in new_manifest["files"].values() for h in entry["passages"])
        counts = new_manifest["counts"]
        return BuildReport(
            files=len(articles) - len(skipped), passages=counts["passages"], sentences=counts["sentences"],
            embedded=embedded, reused=counts["passages"] - embedded,
            removed=removed.total(), seconds=time.perf_counter() - began, changed=True,
            texts_embedded=texts_embedded, skipped=tuple(skipped), skipped_files=skipped_files,
            repaired=tuple(sorted(damaged)),
        )


def _checked_plan(folder: Path, manifest: dict, articles: list[Article], force: bool, damaged: dict[str, str],
                  checked: bool) -> Plan:
    """The update's plan, reusing nothing from a damaged file: a segment
    with a file ``damaged`` names is written again, and unless every file
    was ``checked`` already, the files vectors are copied from are checked
    first (what they find is added to ``damaged``). Whatever ``verify``
    says: a damaged vector copied into a new segment would be hashed there
    as sound, and never found again."""
    plan = plan_update(manifest, articles, force, _segments_of(damaged))
    if manifest and not checked:
        found = file_problems(folder, manifest, _source_files(plan.reusable))
        if found:
            damaged.update(found)
            plan = plan_update(manifest, articles, force, _segments_of(damaged))
    return plan


def _tell_skipped(articles: list[Article], names, notice: Callable[[str], None] | None) -> tuple[SkippedFile, ...]:
    """The articles ``names`` left out of the index, each named to
    ``notice`` with its folder and why (on every update, until it changes)."""
    wanted = set(names)
    skipped = tuple(SkippedFile.of(article) for article in articles if article.name in wanted)
    for file in skipped if notice else ():
        notice(f"skipped {file}")
    return skipped


def _write(folder: Path, manifest: dict, plan: Plan, records: NewRecords, files, skipped, vectors, embedder,
           progress: BuildProgress | None, before_switch: BeforeSwitch | None) -> dict:
    """Swap in a new index folder: the kept segments linked from the old
    one, a new segment for the rebuilt articles; return its manifest."""
    segments = {name: manifest["segments"][name] for name in plan.kept_segments}
    number = manifest.get("next_segment", 1)
    with new_folder(folder) as staging:
        for name in plan.kept_segments:
            link_tree(folder / SEGMENTS / name, staging / SEGMENTS / name)
        if files:
            name = segment_name(number)
            segments[name] = write_segment(staging / SEGMENTS / name, records, vectors, progress)
            files = {file: {**entry, "segment": name} for file, entry in files.items()}
            number += 1
        all_files = {**plan.kept_files, **files}
        all_files = {name: all_files[name] for name in sorted(all_files)}
        live = {records: sum(e["rows"][records][1] - e["rows"][records][0] for e in all_files.values())
                for records in RECORD_SETS}
        sizes = data_file_sizes(staging)
        new_manifest = {
            "format": FORMAT,
            # Names this index (kept across updates and copies of the folder),
            # so that a Milvus store holding another one is refused.
            "index_id": index_id(folder),
            "model": {"name": embedder.name, "dimension": embedder.dimension},
            "chunking": chunking_settings(),
            "counts": {"files": len(all_files), **live},
            "segments": segments,
            "next_segment": number,
            "file_sizes": sizes,
            "file_hashes": _file_hashes(staging, sizes, manifest, plan.kept_segments),
            "files": all_files,
            "skipped": dict(sorted(skipped.items())),
        }
        write_json(staging / MANIFEST, new_manifest)
        if before_switch:
            before_switch(staging, new_manifest, progress)
    return new_manifest
