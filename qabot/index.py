"""A built index, loaded from its folder of plain files.

Layout of the folder (no pickle anywhere):

- ``manifest.json``: format, model, chunking settings, counts, and a content
  hash per article file and per passage; the size of every other file.
- ``passages.jsonl`` / ``sentences.jsonl``: one record per line.
- ``passages.faiss`` / ``sentences.faiss`` / ``windows.faiss``: unit
  vectors (inner product) of each passage, each sentence, and each sentence
  read together with the one before it.
- ``bm25-passages/`` / ``bm25-sentences/``: BM25 arrays (.npy) and JSON.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from qabot import __version__
from qabot.chunking import CHUNKING_RULES, MAX_PASSAGE_WORDS, MIN_PASSAGE_WORDS
from qabot.errors import IndexLoadError
from qabot.lexical import LexicalIndex
from qabot.records import Passage, Sentence
from qabot.storage import read_jsonl, readable_folder

FORMAT = 1
MANIFEST = "manifest.json"
VECTOR_SETS = ("passages", "sentences", "windows")
DATA_FILES = ("passages.jsonl", "sentences.jsonl") + tuple(f"{name}.faiss" for name in VECTOR_SETS)
BM25_FOLDERS = ("bm25-passages", "bm25-sentences")
# What the model is shown for each record; part of the settings, since a
# change must re-embed everything.
EMBEDDING_TEXT_VERSION = 2


def chunking_settings() -> dict:
    return {
        "min_passage_words": MIN_PASSAGE_WORDS,
        "max_passage_words": MAX_PASSAGE_WORDS,
        "embedding_text": EMBEDDING_TEXT_VERSION,
        "rules": CHUNKING_RULES,
        "qabot": __version__,
    }


def passage_embedding_text(title: str, text: str) -> str:
    """The passage as the model sees it: its article's title, then the text."""
    return f"{title}\n{text}" if title else text


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
        "passages": [passage_embedding_text(p.title, p.text) for p in passages],
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
    sizes = manifest.get("file_sizes")
    if not (isinstance(sizes, dict)
            and all(_is_data_file_name(name) and _is_int(size) and size >= 0 for name, size in sizes.items())):
        return "file_sizes"
    if not set(DATA_FILES) <= sizes.keys() or not all(
        any(name.startswith(bm25 + "/") for name in sizes) for bm25 in BM25_FOLDERS
    ):
        return "file_sizes"
    files = manifest.get("files")
    if not (isinstance(files, dict) and all(
        isinstance(name, str) and _is_file_entry(entry) for name, entry in files.items()
    )):
        return "files"
    return None


def _is_file_entry(entry) -> bool:
    return (
        isinstance(entry, dict)
        and isinstance(entry.get("sha256"), str)
        and isinstance(entry.get("title"), str)
        and isinstance(entry.get("passages"), list)
        and all(isinstance(digest, str) for digest in entry["passages"])
    )


def data_file_sizes(folder: Path) -> dict[str, int]:
    """``{relative path: size}`` of every file in ``folder`` but the manifest."""
    return {
        path.relative_to(folder).as_posix(): path.stat().st_size
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.relative_to(folder).as_posix() != MANIFEST
    }


def check_file_sizes(folder: Path, manifest: dict) -> None:
    """IndexLoadError unless every file the manifest lists has its recorded
    size (cheap: one stat() per file, nothing is read)."""
    for name, size in manifest["file_sizes"].items():
        path = folder / name
        if not path.is_file() or path.stat().st_size != size:
            raise IndexLoadError(f"index file {str(path)!r} is missing or truncated")


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
    window_vectors: object
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

    @classmethod
    def load(cls, folder: Path, model_name: str | None = None, dimension: int | None = None) -> "Index":
        """Read the index in ``folder``; IndexLoadError if it is incomplete,
        corrupt, or built with another model than ``model_name`` or with
        vectors of another size than ``dimension``."""
        try:
            source = readable_folder(folder)
            manifest = read_manifest(source)
            return cls._load(folder, source, manifest, model_name, dimension)
        except IndexLoadError:
            raise
        except Exception as error:  # noqa: BLE001 - whatever a damaged file makes a reader raise
            raise IndexLoadError(f"index in {str(folder)!r} is damaged ({error.__class__.__name__})") from None

    @classmethod
    def _load(cls, folder: Path, source: Path, manifest: dict, model_name: str | None,
              dimension: int | None) -> "Index":
        """The index whose files are in ``source`` (``folder``, or the
        previous index while a build swaps ``folder``)."""
        model = manifest["model"]
        if model_name is not None and model["name"] != model_name:
            raise IndexLoadError(f"index in {str(folder)!r} was built with {model['name']}, not {model_name}")
        if dimension is not None and model["dimension"] != dimension:
            raise IndexLoadError(
                f"index in {str(folder)!r} holds vectors of size {model['dimension']}, not {dimension}")
        check_file_sizes(source, manifest)
        passages = [Passage(**row) for row in read_jsonl(source / "passages.jsonl")]
        sentences = [Sentence(**row) for row in read_jsonl(source / "sentences.jsonl")]
        index = cls(
            folder=folder,
            manifest=manifest,
            passages=passages,
            sentences=sentences,
            passage_vectors=_read_faiss(source / "passages.faiss", len(passages), model["dimension"]),
            sentence_vectors=_read_faiss(source / "sentences.faiss", len(sentences), model["dimension"]),
            window_vectors=_read_faiss(source / "windows.faiss", len(sentences), model["dimension"]),
            passage_bm25=LexicalIndex.load(source / "bm25-passages"),
            sentence_bm25=LexicalIndex.load(source / "bm25-sentences"),
        )
        if index.passage_bm25.size != len(passages) or index.sentence_bm25.size != len(sentences):
            raise IndexLoadError(f"BM25 files in {str(folder)!r} do not match the index records")
        return index

    def vectors(self, which: str) -> np.ndarray:
        """All vectors of one of VECTOR_SETS as a numpy array."""
        store = {"passages": self.passage_vectors, "sentences": self.sentence_vectors,
                 "windows": self.window_vectors}[which]
        if store.ntotal == 0:
            return np.zeros((0, store.d), dtype=np.float32)
        return store.reconstruct_n(0, store.ntotal)
