"""A built index, loaded from its folder of plain files.

Layout of the folder (no pickle anywhere):

- ``manifest.json``: format, model, chunking settings, counts, and a content
  hash per article file and per passage; the sizes of the other files.
- ``passages.jsonl`` / ``sentences.jsonl``: one record per line.
- ``passages.faiss`` / ``sentences.faiss``: unit vectors, inner product.
- ``bm25-passages/`` / ``bm25-sentences/``: BM25 arrays (.npy) and JSON.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from qabot import __version__
from qabot.chunking import MAX_PASSAGE_WORDS, MIN_PASSAGE_WORDS
from qabot.errors import IndexLoadError
from qabot.lexical import LexicalIndex
from qabot.records import Passage, Sentence
from qabot.storage import read_jsonl, recover

FORMAT = 1
MANIFEST = "manifest.json"
DATA_FILES = ("passages.jsonl", "sentences.jsonl", "passages.faiss", "sentences.faiss")
# What the model is shown for each record; part of the settings, since a
# change must re-embed everything.
EMBEDDING_TEXT_VERSION = 1


def chunking_settings() -> dict:
    return {
        "min_passage_words": MIN_PASSAGE_WORDS,
        "max_passage_words": MAX_PASSAGE_WORDS,
        "embedding_text": EMBEDDING_TEXT_VERSION,
        "qabot": __version__,
    }


def passage_embedding_text(title: str, text: str) -> str:
    """The passage as the model sees it: its article's title, then the text."""
    return f"{title}\n{text}" if title else text


def sentence_embedding_text(title: str, text: str) -> str:
    return text


def read_manifest(folder: Path) -> dict:
    """The manifest, or IndexLoadError saying what is wrong with it."""
    recover(folder)
    path = folder / MANIFEST
    if not path.is_file():
        raise IndexLoadError(f"no index in {str(folder)!r} (manifest.json missing)")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        raise IndexLoadError(f"index manifest {str(path)!r} is unreadable or corrupt") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise IndexLoadError(f"index in {str(folder)!r} has an unknown format")
    return manifest


def _read_faiss(path: Path, rows: int, dimension: int):
    import faiss

    try:
        vectors = faiss.read_index(str(path))
    except RuntimeError:
        raise IndexLoadError(f"{str(path)!r} is not a readable FAISS index") from None
    if vectors.ntotal != rows or vectors.d != dimension:
        raise IndexLoadError(f"{str(path)!r} does not match the index records")
    return vectors


@dataclass
class Index:
    """Passages and sentences with their vectors and BM25 indexes."""

    folder: Path
    manifest: dict
    passages: list[Passage]
    sentences: list[Sentence]
    passage_vectors: object  # faiss.Index
    sentence_vectors: object
    passage_bm25: LexicalIndex
    sentence_bm25: LexicalIndex

    @property
    def model_name(self) -> str:
        return self.manifest["model"]["name"]

    @property
    def dimension(self) -> int:
        return int(self.manifest["model"]["dimension"])

    @property
    def file_titles(self) -> dict[str, str]:
        return {name: entry["title"] for name, entry in self.manifest["files"].items()}

    def sentences_of(self, passage: Passage) -> list[Sentence]:
        return self.sentences[passage.first_sentence:passage.first_sentence + passage.sentence_count]

    @classmethod
    def load(cls, folder: Path, model_name: str | None = None) -> "Index":
        """Read the index in ``folder``; IndexLoadError if it is incomplete,
        corrupt, or built with another model than ``model_name``."""
        manifest = read_manifest(folder)
        try:
            return cls._load(folder, manifest, model_name)
        except IndexLoadError:
            raise
        except (OSError, ValueError, KeyError, TypeError, RuntimeError) as error:
            raise IndexLoadError(f"index in {str(folder)!r} is damaged ({error.__class__.__name__})") from None

    @classmethod
    def _load(cls, folder: Path, manifest: dict, model_name: str | None) -> "Index":
        model = manifest["model"]
        if model_name is not None and model["name"] != model_name:
            raise IndexLoadError(f"index in {str(folder)!r} was built with {model['name']}, not {model_name}")
        for name, size in manifest["file_sizes"].items():
            path = folder / name
            if not path.is_file() or path.stat().st_size != size:
                raise IndexLoadError(f"index file {str(path)!r} is missing or truncated")
        passages = [Passage(**row) for row in read_jsonl(folder / "passages.jsonl")]
        sentences = [Sentence(**row) for row in read_jsonl(folder / "sentences.jsonl")]
        dimension = int(model["dimension"])
        index = cls(
            folder=folder,
            manifest=manifest,
            passages=passages,
            sentences=sentences,
            passage_vectors=_read_faiss(folder / "passages.faiss", len(passages), dimension),
            sentence_vectors=_read_faiss(folder / "sentences.faiss", len(sentences), dimension),
            passage_bm25=LexicalIndex.load(folder / "bm25-passages"),
            sentence_bm25=LexicalIndex.load(folder / "bm25-sentences"),
        )
        if index.passage_bm25.size != len(passages) or index.sentence_bm25.size != len(sentences):
            raise IndexLoadError(f"BM25 files in {str(folder)!r} do not match the index records")
        return index

    def vectors(self, which: str) -> np.ndarray:
        """All vectors of ``"passages"`` or ``"sentences"`` as a numpy array."""
        store = self.passage_vectors if which == "passages" else self.sentence_vectors
        if store.ntotal == 0:
            return np.zeros((0, store.d), dtype=np.float32)
        return store.reconstruct_n(0, store.ntotal)
