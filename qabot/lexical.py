"""Word-level matching: the tokenizer shared by BM25 and the answer rules,
and a BM25 index stored as plain numpy and JSON files (through bm25s)."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np

_TOKEN = re.compile(r"(?u)\b\w\w+\b|\b\d\b")


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_EN

    # Question words say what is asked, not what to match.
    return frozenset(STOPWORDS_EN) | {"who", "whom", "whose", "what", "when", "where", "which", "why", "how"}


def words(text: str) -> list[str]:
    """Lower-cased words of ``text``, stop words included."""
    return _TOKEN.findall(text.lower())


def terms(text: str) -> list[str]:
    """Stemmed content words: what BM25 matches on."""
    kept = [word for word in words(text) if word not in stopwords()]
    return _stemmer().stemWords(kept)


# Written instead of bm25s's files for an index of no texts, which bm25s
# cannot build.
EMPTY_MARKER = "empty.index.json"


class LexicalIndex:
    """BM25 over a list of texts, rebuilt whole (it needs no model).

    An index of no texts is allowed: it has size 0 and scores nothing.
    """

    def __init__(self, retriever=None) -> None:
        self._retriever = retriever
        vocab = retriever.vocab_dict if retriever is not None else {}
        self._vocab = {term: token for term, token in vocab.items() if term}
        self.size = int(retriever.scores["num_docs"]) if retriever is not None else 0

    @classmethod
    def build(cls, texts: Sequence[str]) -> "LexicalIndex":
        import bm25s

        if not texts:
            return cls()
        tokenized = [terms(text) or ["\u2400"] for text in texts]
        vocab: dict[str, int] = {}
        ids = [[vocab.setdefault(t, len(vocab)) for t in doc] for doc in tokenized]
        retriever = bm25s.BM25()
        retriever.index(bm25s.tokenization.Tokenized(ids=ids, vocab=vocab), show_progress=False)
        return cls(retriever)

    def save(self, folder: Path) -> None:
        if self._retriever is None:
            folder.mkdir(parents=True, exist_ok=True)
            (folder / EMPTY_MARKER).write_text(json.dumps({"num_docs": 0}) + "\n", encoding="utf-8")
        else:
            self._retriever.save(str(folder), allow_pickle=False)

    @classmethod
    def load(cls, folder: Path) -> "LexicalIndex":
        """The index saved in ``folder``; ValueError (or OSError) if its
        files are missing or do not fit together."""
        import bm25s

        marker = folder / EMPTY_MARKER
        if marker.is_file():
            if json.loads(marker.read_text(encoding="utf-8")) != {"num_docs": 0}:
                raise ValueError(f"{marker}: not an empty BM25 index")
            return cls()
        retriever = bm25s.BM25.load(str(folder), allow_pickle=False, load_corpus=False, show_progress=False)
        _check_arrays(retriever.scores, retriever.vocab_dict)
        return cls(retriever)

    def document_frequencies(self, query_terms) -> dict[str, int]:
        """How many texts hold each term (0 for terms never seen)."""
        if self._retriever is None:
            return {term: 0 for term in query_terms}
        indptr = self._retriever.scores["indptr"]
        frequencies = {}
        for term in query_terms:
            token = self._vocab.get(term)
            frequencies[term] = 0 if token is None else int(indptr[token + 1] - indptr[token])
        return frequencies

    def scores(self, query: str | list[str]) -> np.ndarray:
        """BM25 score of every text for ``query`` (a text, or its :func:`terms`);
        zeros when nothing matches."""
        query_terms = terms(query) if isinstance(query, str) else query
        ids = [self._vocab[t] for t in query_terms if t in self._vocab]
        if not ids:
            return np.zeros(self.size, dtype=np.float32)
        return self._retriever.get_scores_from_ids(ids).astype(np.float32)


def _check_arrays(scores: dict, vocab) -> None:
    """ValueError unless the loaded BM25 arrays form one sparse matrix of
    ``num_docs`` rows and one column per vocabulary entry."""
    num_docs = scores.get("num_docs")
    if not isinstance(num_docs, int) or isinstance(num_docs, bool) or num_docs < 0:
        raise ValueError("BM25 num_docs is not a count")
    if not isinstance(vocab, dict) or not all(
        isinstance(term, str) and isinstance(token, int) and not isinstance(token, bool)
        for term, token in vocab.items()
    ):
        raise ValueError("BM25 vocabulary is not a map of terms to ids")
    data, indices, indptr = (np.asarray(scores[name]) for name in ("data", "indices", "indptr"))
    if any(array.ndim != 1 for array in (data, indices, indptr)):
        raise ValueError("BM25 arrays are not flat")
    if not (np.issubdtype(indices.dtype, np.integer) and np.issubdtype(indptr.dtype, np.integer)
            and np.issubdtype(data.dtype, np.floating)):
        raise ValueError("BM25 arrays have the wrong types")
    columns = len(indptr) - 1
    if columns < 0 or indptr[0] != 0 or np.any(np.diff(indptr) < 0):
        raise ValueError("BM25 indptr is not a list of offsets")
    if indptr[-1] != len(data) or len(indices) != len(data):
        raise ValueError("BM25 arrays differ in length")
    if len(indices) and (indices.min() < 0 or indices.max() >= num_docs):
        raise ValueError("BM25 indices point past the documents")
    # bm25s adds an entry for "" past the last column; no query holds it.
    tokens = [token for term, token in vocab.items() if term]
    if tokens and (min(tokens) < 0 or max(tokens) >= columns):
        raise ValueError("BM25 vocabulary points past the arrays")
