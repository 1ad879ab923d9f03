"""Word-level matching: the tokenizer shared by BM25 and the answer rules,
and BM25 over term counts stored as plain numpy and JSON files.

Each segment of an index stores the raw counts of its texts
(:class:`TermCounts`); :class:`Bm25` scores a query over several segments
at once, with document frequencies and lengths taken over the live texts of
all of them, so a small new segment scores like the rest of the corpus.
"""

from __future__ import annotations

import json
import math
import re
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np

_TOKEN = re.compile(r"(?u)\b\w\w+\b|\b\d\b")
# Which rule made an index's terms: part of its settings, so an index whose
# terms another rule made is rebuilt. 2: Unicode case folding (``folded``).
TERMS_VERSION = 2
# A dot above left on an "i" by case folding ("İ" folds to "i" and U+0307).
_DOTTED_I = re.compile("i\u0307")
# BM25's term-frequency saturation and length normalisation (the usual values).
K1 = 1.5
B = 0.75
# Postings naming more than one text in this many make a query's sums one
# count over every text (quicker than touching each named row twice).
DENSE_SHARE = 8
# Stands for a text with no content word, so that it still has a length.
EMPTY_TEXT_TERM = "\u2400"


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


# The short English stop list that search engines commonly use (Lucene's),
# plus question words: they say what is asked, not what to match.
_STOPWORDS = frozenset("""
a an and are as at be but by for if in into is it no not of on or such that the their then there
these they this to was will with
who whom whose what when where which why how
""".split())


def stopwords() -> frozenset[str]:
    return _STOPWORDS


def folded(text: str) -> str:
    """``text`` case-folded by Unicode's rules, so "İran", "IRAN" and
    "Iran" are one word, as are "STRASSE" and "Straße": composed first
    (NFC, so an accent typed as a separate mark stays inside its word),
    and the dot that folding leaves on an "i" from "İ" dropped. Text in
    ASCII is only lower-cased (folding changes nothing there)."""
    if text.isascii():
        return text.lower()
    return _DOTTED_I.sub("i", unicodedata.normalize("NFC", text).casefold())


def words(text: str) -> list[str]:
    """Case-folded words of ``text`` (see :func:`folded`), stop words included."""
    return _TOKEN.findall(folded(text))


def terms(text: str) -> list[str]:
    """Stemmed content words: what BM25 matches on."""
    kept = [word for word in words(text) if word not in _STOPWORDS]
    return _stemmer().stemWords(kept)


TERM_FILES = ("terms.json", "offsets.npy", "texts.npy", "counts.npy", "lengths.npy")


class TermCounts:
    """How often each term occurs in each text of one segment.

    Stored per term (a posting list): ``texts[offsets[t]:offsets[t + 1]]``
    are the texts holding term ``t`` and ``counts[...]`` how often;
    ``lengths`` is each text's number of terms.
    """

    def __init__(self, vocabulary: list[str], offsets: np.ndarray, texts: np.ndarray,
                 counts: np.ndarray, lengths: np.ndarray) -> None:
        self.vocabulary = {term: number for number, term in enumerate(vocabulary)}
        self.offsets = offsets
        self.texts = texts
        self.counts = counts
        self.lengths = lengths

    @classmethod
    def build(cls, texts: Sequence[str]) -> "TermCounts":
        vocabulary: dict[str, int] = {}
        pairs: list[tuple[int, int, int]] = []  # (term, text, count)
        lengths = np.zeros(len(texts), dtype=np.int32)
        for row, text in enumerate(texts):
            found = terms(text) or [EMPTY_TEXT_TERM]
            lengths[row] = len(found)
            for term, count in _tally(found).items():
                pairs.append((vocabulary.setdefault(term, len(vocabulary)), row, count))
        table = np.array(pairs, dtype=np.int64).reshape(-1, 3)
        table = table[np.lexsort((table[:, 1], table[:, 0]))]
        offsets = np.searchsorted(table[:, 0], np.arange(len(vocabulary) + 1)).astype(np.int64)
        return cls(list(vocabulary), offsets, table[:, 1].astype(np.int32),
                   table[:, 2].astype(np.int32), lengths)

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        ordered = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        (folder / "terms.json").write_text(json.dumps(ordered, ensure_ascii=False) + "\n", encoding="utf-8")
        for name in ("offsets", "texts", "counts", "lengths"):
            np.save(folder / f"{name}.npy", getattr(self, name), allow_pickle=False)

    @classmethod
    def load(cls, folder: Path, size: int) -> "TermCounts":
        """The counts saved in ``folder`` for ``size`` texts; ValueError if
        the files do not fit together."""
        vocabulary = json.loads((folder / "terms.json").read_text(encoding="utf-8"))
        arrays = {name: np.load(folder / f"{name}.npy", allow_pickle=False)
                  for name in ("offsets", "texts", "counts", "lengths")}
        _check(vocabulary, size, **arrays)
        return cls(vocabulary, **arrays)

    def postings(self, term: str) -> tuple[np.ndarray, np.ndarray]:
        """The texts holding ``term`` and its count in each."""
        number = self.vocabulary.get(term)
        if number is None:
            return self.texts[:0], self.counts[:0]
        first, last = self.offsets[number], self.offsets[number + 1]
        return self.texts[first:last], self.counts[first:last]


def _tally(found: list[str]) -> dict[str, int]:
    tally: dict[str, int] = {}
    for term in found:
        tally[term] = tally.get(term, 0) + 1
    return tally


def _check(vocabulary, size: int, offsets, texts, counts, lengths) -> None:
    if not (isinstance(vocabulary, list) and all(isinstance(term, str) for term in vocabulary)):
        raise ValueError("BM25 vocabulary is not a list of terms")
    if len(set(vocabulary)) != len(vocabulary):
        raise ValueError("BM25 vocabulary repeats a term")
    if any(a.ndim != 1 or not np.issubdtype(a.dtype, np.integer) for a in (offsets, texts, counts, lengths)):
        raise ValueError("BM25 arrays are not flat integer arrays")
    if len(lengths) != size or len(offsets) != len(vocabulary) + 1:
        raise ValueError("BM25 arrays do not match the index records")
    if offsets[0] != 0 or offsets[-1] != len(texts) or np.any(np.diff(offsets) < 0) or len(counts) != len(texts):
        raise ValueError("BM25 offsets are not a list of positions")
    if len(texts) and (texts.min() < 0 or texts.max() >= size or counts.min() < 1):
        raise ValueError("BM25 postings point past the texts")


class Bm25:
    """BM25 over the live texts of several segments, numbered globally.

    ``parts`` pairs each segment's counts with the global number of each of
    its texts (-1 for a text no longer live).
    """

    def __init__(self, parts: list[tuple[TermCounts, np.ndarray]]) -> None:
        self.parts = parts
        self.size = sum(int((numbers >= 0).sum()) for _, numbers in parts)
        self._lengths = np.zeros(self.size, dtype=np.float32)
        for counts, numbers in parts:
            live = numbers >= 0
            self._lengths[numbers[live]] = counts.lengths[live]
        self._average_length = float(self._lengths.mean()) if self.size else 1.0
        # Each text's length normalisation, the part of a weight that is not the term's.
        self._norms = K1 * (1 - B + B * self._lengths / self._average_length)
        self._all_live = [bool((numbers >= 0).all()) for _, numbers in parts]
        # A question's terms are looked up for its scores and again for their
        # document frequencies; recent ones are kept (they never change), with
        # their weights (which share the postings' arrays).
        self._live_postings = lru_cache(maxsize=32)(self._find_live_postings)
        self._weighted = lru_cache(maxsize=32)(self._find_weighted)
        self._scratch_lock = threading.Lock()
        self._sums: np.ndarray | None = None  # see _summed
        self._places: np.ndarray | None = None

    def _find_live_postings(self, term: str) -> tuple[np.ndarray, np.ndarray]:
        """Global numbers of the live texts holding ``term``, and its counts."""
        found_texts, found_counts = [], []
        for (counts, numbers), all_live in zip(self.parts, self._all_live):
            texts, tallies = counts.postings(term)
            if len(texts):
                ids = numbers[texts]
                if not all_live:
                    live = ids >= 0
                    ids, tallies = ids[live], tallies[live]
                found_texts.append(ids)
                found_counts.append(tallies)
        if not found_texts:
            return np.zeros(0, np.int64), np.zeros(0, np.int32)
        if len(found_texts) == 1:
            return found_texts[0], found_counts[0]
        return np.concatenate(found_texts), np.concatenate(found_counts)

    def document_frequencies(self, query_terms) -> dict[str, int]:
        """How many live texts hold each term (0 for terms never seen)."""
        return {term: len(self._live_postings(term)[0]) for term in query_terms}

    def _find_weighted(self, term: str) -> tuple[np.ndarray, np.ndarray]:
        """The live texts holding ``term`` (ascending) and the term's BM25
        weight in each."""
        texts, counts = self._live_postings(term)
        idf = math.log(1 + (self.size - len(texts) + 0.5) / (len(texts) + 0.5))
        norm = self._norms[texts]
        return texts, idf * counts / (norm + counts)

    def match(self, query: str | list[str]) -> "Match":
        """``query`` (a text, or its :func:`terms`; a repeated term counts
        again) against the live texts."""
        query_terms = terms(query) if isinstance(query, str) else query
        found = {term: self._weighted(term) for term in query_terms}
        return Match(self, [found[term] for term in query_terms if len(found[term][0])],
                     {term: texts for term, (texts, _) in found.items()})

    def scores(self, query: str | list[str]) -> np.ndarray:
        """BM25 score of every live text for ``query``; zeros when nothing
        matches. (Questions use :meth:`match`, which never builds this.)"""
        weighted = self.match(query).weighted
        if not weighted:
            return np.zeros(self.size, dtype=np.float32)
        return np.bincount(np.concatenate([texts for texts, _ in weighted]),
                           weights=np.concatenate([weights for _, weights in weighted]),
                           minlength=self.size).astype(np.float32)

    def summed(self, weighted: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
        """Each text named in ``weighted`` (per term: texts, weights) once,
        in ascending order, with its weights summed over the terms.

        When the postings are few beside the texts, two arrays over all
        texts, kept for the purpose, are touched only at the rows named (and
        cleared after); when they name a good share of all texts anyway,
        one count over every text is quicker.
        """
        if len(weighted) == 1:  # a term's postings name each text once, in order
            return weighted[0][0], weighted[0][1].astype(np.float32)
        every = np.concatenate([texts for texts, _ in weighted])
        if len(every) * DENSE_SHARE > self.size:
            sums = np.bincount(every, weights=np.concatenate([weights for _, weights in weighted]),
                               minlength=self.size)
            once = np.flatnonzero(sums > 0)  # every weight is positive (and a mask is ten times quicker)
            return once, sums[once].astype(np.float32)
        with self._scratch_lock:
            if self._sums is None:
                self._sums = np.zeros(self.size, dtype=np.float64)
                self._places = np.zeros(self.size, dtype=np.int64)
            for texts, weights in weighted:
                self._sums[texts] += weights  # no text twice within one term
            positions = np.arange(len(every))
            self._places[every] = positions  # a repeated text keeps one of its positions
            once = np.sort(every[self._places[every] == positions])
            scores = self._sums[once].astype(np.float32)
            self._sums[once] = 0.0
        return once, scores


def _looked_up(texts: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each of ``rows`` is (or would be) in the ascending, non-empty
    ``texts``, and whether it is there."""
    place = np.minimum(np.searchsorted(texts, rows), len(texts) - 1)
    return place, texts[place] == rows


class Match:
    """One query's BM25 weights, term by term (each term's live texts in
    ascending order, with its weight in each): the score of any text, and
    the texts holding any term. The work grows with the query terms'
    postings, never with the number of texts."""

    def __init__(self, bm25: Bm25, weighted: list[tuple[np.ndarray, np.ndarray]],
                 holders: dict[str, np.ndarray] | None = None) -> None:
        self.bm25 = bm25
        self.weighted = weighted
        self._holders = holders or {}  # each query term's texts

    def holds(self, term: str, rows: np.ndarray) -> np.ndarray:
        """Whether each of ``rows`` holds ``term`` (a term of the query;
        False for any other)."""
        texts = self._holders.get(term)
        if texts is None or not len(texts):
            return np.zeros(len(rows), dtype=bool)
        return _looked_up(texts, rows)[1]

    def of(self, rows: np.ndarray) -> np.ndarray:
        """The BM25 score of each of ``rows`` (0 where no term is found)."""
        rows = np.asarray(rows, dtype=np.int64)
        total = np.zeros(len(rows), dtype=np.float64)
        for texts, weights in self.weighted:
            place, held = _looked_up(texts, rows)
            total += np.where(held, weights[place], 0.0)
        return total.astype(np.float32)

    def found(self) -> tuple[np.ndarray, np.ndarray]:
        """Every text holding a term of the query (each once) and its score."""
        if not self.weighted:
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        return self.bm25.summed(self.weighted)
