"""Build or update the index from the articles, re-embedding only what changed."""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from qabot.articles import Article, file_hashes, read_articles
from qabot.chunking import chunk_article
from qabot.embedder import Embedder
from qabot.errors import IndexLoadError
from qabot.index import (
    FORMAT, MANIFEST, VECTOR_SETS, Index, chunking_settings, data_file_sizes, embedding_texts,
    passage_embedding_text, read_manifest,
)
from qabot.lexical import LexicalIndex
from qabot.records import Passage, Sentence
from qabot.storage import build_lock, new_folder, recover, refuse_non_folder, write_json, write_jsonl

# progress(stage, done, total): stage is "embedding"; called as work is done.
BuildProgress = Callable[[str, int, int], None]


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

    def to_json(self) -> dict:
        return {
            "files": self.files, "passages": self.passages, "sentences": self.sentences,
            "embedded": self.embedded, "reused": self.reused, "removed": self.removed,
            "seconds": round(self.seconds, 3),
        }


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _records(articles: list[Article]) -> tuple[list[Passage], list[Sentence], dict]:
    passages: list[Passage] = []
    sentences: list[Sentence] = []
    files = {}
    for article in articles:
        chunked = chunk_article(article.text)
        hashes = []
        for chunk in chunked.passages:
            first = len(sentences)
            for span in chunk.sentences:
                sentences.append(Sentence(
                    len(sentences), len(passages), article.name, span.start, span.end, span.line, span.text,
                ))
            digest = content_hash(passage_embedding_text(chunked.title, chunk.text))
            passages.append(Passage(
                len(passages), article.name, chunked.title, chunk.start, chunk.end, chunk.line,
                chunk.text, digest, first, len(chunk.sentences),
            ))
            hashes.append(digest)
        files[article.name] = {"sha256": article.sha256, "title": chunked.title, "passages": hashes}
    return passages, sentences, files


def is_fresh(manifest: dict, seeds: Path, embedder: Embedder, hashes: dict[str, str] | None = None) -> bool:
    """True when the manifest was built from exactly these articles and settings.

    ``manifest`` is one :func:`~qabot.index.read_manifest` checked; ``hashes``
    are the articles' hashes when already known (else the files are read).
    """
    recorded = {name: entry["sha256"] for name, entry in manifest["files"].items()}
    return (
        manifest["model"]["name"] == embedder.name
        and manifest["model"]["dimension"] == embedder.dimension
        and manifest["chunking"] == chunking_settings()
        and recorded == (file_hashes(seeds) if hashes is None else hashes)
    )


def _load_current(folder: Path, embedder: Embedder) -> Index:
    """The index in ``folder`` if built by ``embedder``; else IndexLoadError."""
    return Index.load(folder, model_name=embedder.name, dimension=embedder.dimension)


def _previous_vectors(folder: Path, embedder: Embedder) -> dict[str, np.ndarray]:
    """Vectors of the current index by hash of the text embedded; empty if none."""
    try:
        old = _load_current(folder, embedder)
    except IndexLoadError:
        return {}
    reuse: dict[str, np.ndarray] = {}
    for name, texts in embedding_texts(old.passages, old.sentences).items():
        for text, vector in zip(texts, old.vectors(name)):
            reuse[content_hash(text)] = vector
    return reuse


def _embed(texts_by_set, reuse, embedder, progress) -> dict[str, np.ndarray]:
    """Vectors for every text: reused by content hash where possible, and
    each distinct new text embedded once."""
    keys = {name: [content_hash(t) for t in texts] for name, texts in texts_by_set.items()}
    missing: dict[str, str] = {}
    for name, texts in texts_by_set.items():
        for key, text in zip(keys[name], texts):
            if key not in reuse:
                missing.setdefault(key, text)
    done = [0]

    def step(n: int) -> None:
        done[0] += n
        if progress:
            progress("embedding", done[0], len(missing))

    if progress:
        progress("embedding", 0, len(missing))
    fresh = embedder.encode(list(missing.values()), progress=step)
    known = dict(reuse)
    known.update(zip(missing, fresh))
    return {
        name: np.array([known[key] for key in keys[name]], dtype=np.float32).reshape(-1, embedder.dimension)
        for name in texts_by_set
    }


def _write_faiss(path: Path, vectors: np.ndarray, dimension: int) -> None:
    import faiss

    store = faiss.IndexFlatIP(dimension)
    if len(vectors):
        store.add(np.ascontiguousarray(vectors, dtype=np.float32))
    faiss.write_index(store, str(path))


def update_index(
    seeds: Path,
    folder: Path,
    embedder: Embedder,
    force: bool = False,
    progress: BuildProgress | None = None,
) -> BuildReport:
    """Bring the index in ``folder`` up to date with the articles in ``seeds``.

    Only passages and sentences whose text is new are embedded; the rest
    reuse their stored vectors. Nothing is written when all is current,
    unless ``force``.
    """
    began = time.perf_counter()
    refuse_non_folder(folder)
    with build_lock(folder):
        recover(folder)
        articles = read_articles(seeds)
        passages, sentences, files = _records(articles)
        try:
            manifest = read_manifest(folder)
        except IndexLoadError:
            manifest = {}
        old_passages = Counter(h for entry in manifest.get("files", {}).values() for h in entry["passages"])
        hashes = {article.name: article.sha256 for article in articles}
        if not force and manifest and is_fresh(manifest, seeds, embedder, hashes):
            try:
                _load_current(folder, embedder)
                return BuildReport(len(files), len(passages), len(sentences), 0, len(passages), 0,
                                   time.perf_counter() - began, changed=False)
            except IndexLoadError:
                pass  # damaged: rebuild below
        reuse = {} if force else _previous_vectors(folder, embedder)
        embedded = sum(p.hash not in reuse for p in passages)
        vectors = _embed(embedding_texts(passages, sentences), reuse, embedder, progress)
        with new_folder(folder) as staging:
            write_jsonl(staging / "passages.jsonl", (p.to_json() for p in passages))
            write_jsonl(staging / "sentences.jsonl", (s.to_json() for s in sentences))
            for name in VECTOR_SETS:
                _write_faiss(staging / f"{name}.faiss", vectors[name], embedder.dimension)
            LexicalIndex.build([p.text for p in passages]).save(staging / "bm25-passages")
            LexicalIndex.build([s.text for s in sentences]).save(staging / "bm25-sentences")
            write_json(staging / MANIFEST, {
                "format": FORMAT,
                "model": {"name": embedder.name, "dimension": embedder.dimension},
                "chunking": chunking_settings(),
                "counts": {"files": len(files), "passages": len(passages), "sentences": len(sentences)},
                "file_sizes": data_file_sizes(staging),
                "files": files,
            })
        removed = old_passages - Counter(p.hash for p in passages)
        return BuildReport(
            files=len(files), passages=len(passages), sentences=len(sentences),
            embedded=embedded, reused=len(passages) - embedded,
            removed=removed.total(), seconds=time.perf_counter() - began, changed=True,
        )
