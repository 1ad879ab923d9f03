"""Word-level matching: the tokenizer shared by BM25 and the answer rules,
and a BM25 index stored as plain numpy and JSON files (through bm25s)."""

from __future__ import annotations

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


class LexicalIndex:
    """BM25 over a list of texts, rebuilt whole (it needs no model)."""

    def __init__(self, retriever) -> None:
        self._retriever = retriever
        self._vocab = retriever.vocab_dict
        self.size = int(retriever.scores["num_docs"])

    @classmethod
    def build(cls, texts: Sequence[str]) -> "LexicalIndex":
        import bm25s

        tokenized = [terms(text) or ["\u2400"] for text in texts]
        vocab: dict[str, int] = {}
        ids = [[vocab.setdefault(t, len(vocab)) for t in doc] for doc in tokenized]
        retriever = bm25s.BM25()
        retriever.index(bm25s.tokenization.Tokenized(ids=ids, vocab=vocab), show_progress=False)
        return cls(retriever)

    def save(self, folder: Path) -> None:
        self._retriever.save(str(folder), allow_pickle=False)

    @classmethod
    def load(cls, folder: Path) -> "LexicalIndex":
        import bm25s

        return cls(bm25s.BM25.load(str(folder), allow_pickle=False, load_corpus=False))

    def document_frequencies(self, query_terms) -> dict[str, int]:
        """How many texts hold each term (0 for terms never seen)."""
        indptr = self._retriever.scores["indptr"]
        frequencies = {}
        for term in query_terms:
            token = self._vocab.get(term)
            frequencies[term] = 0 if token is None else int(indptr[token + 1] - indptr[token])
        return frequencies

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every text for ``query`` (zeros when nothing matches)."""
        ids = [self._vocab[t] for t in terms(query) if t in self._vocab]
        if not ids:
            return np.zeros(self.size, dtype=np.float32)
        return self._retriever.get_scores_from_ids(ids).astype(np.float32)
