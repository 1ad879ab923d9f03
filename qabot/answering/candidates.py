"""The first stage: a cheap hybrid score for a pool of sentences.

Cosine similarity of the model's vectors (dense, from the index's search)
and BM25 (lexical), for the sentence and for its passage, fused with fixed
weights; the best few sentences go on to the second stage. Only a pool is
scored: the dense hits, the best texts by BM25, and the sentences of the
best passages. A sentence outside it has no dense hit, is not among the
256 best by BM25, and neither is its passage, so it is hardly ever among
the best 40 (a test checks the pool gives the same 40 as scoring every
sentence), and nothing per question grows with the number of sentences.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from qabot.index.lexical import Bm25, Match
from qabot.index.loaded import Index

MODES = ("hybrid", "dense", "bm25")
# How many nearest vectors the dense search returns (the rest score 0), and
# how many of the best BM25 texts join them in the pool.
DENSE_HITS = 256


@dataclass(frozen=True)
class Hits:
    """Scores of some rows of a set (``ids``, each once); every other row
    scores 0."""

    ids: np.ndarray
    values: np.ndarray

    def at(self, rows: np.ndarray) -> np.ndarray:
        """The score of each of ``rows`` (a row may repeat)."""
        rows = np.asarray(rows, dtype=np.int64)
        wanted, where = np.unique(rows, return_inverse=True)
        found = np.zeros(len(wanted), dtype=self.values.dtype)
        if len(wanted) and len(self.ids):
            place = np.minimum(np.searchsorted(wanted, self.ids), len(wanted) - 1)
            named = wanted[place] == self.ids
            found[place[named]] = self.values[named]
        return found[where]

    def highest(self) -> float:
        return float(self.values.max(initial=0.0))


def _best_positive(scores: np.ndarray, count: int) -> np.ndarray:
    """Positions of the ``count`` highest of ``scores`` (all positive),
    highest first, ties in order of position."""
    if count < len(scores):
        scores_at = np.argpartition(scores, len(scores) - count)[len(scores) - count:]
    else:
        scores_at = np.arange(len(scores))
    return scores_at[np.lexsort((scores_at, -scores[scores_at]))]


def union(*rows: np.ndarray) -> np.ndarray:
    """Every row named in ``rows``, once, in ascending order."""
    return np.unique(np.concatenate([np.asarray(r, dtype=np.int64) for r in rows]))


def top(scores: np.ndarray, count: int) -> np.ndarray:
    """Positions of the ``count`` highest scores, highest first. Looks among
    the positive scores when there are enough (most are 0 in a large index,
    and partitioning many equal values is slow)."""
    count = min(count, len(scores))
    pool = np.flatnonzero(scores > 0) if len(scores) > 4 * count else np.arange(len(scores))
    if len(pool) < count:
        pool = np.arange(len(scores))
    if count < len(pool):
        pool = pool[np.argpartition(-scores[pool], count - 1)[:count]]
    return pool[np.argsort(-scores[pool], kind="stable")]


def standout(scores: np.ndarray) -> float:
    """How far the best score stands above the others (in standard deviations
    of the top hits): an answer stands out, a chance match does not.

    ``scores`` are the search's top hits (or, in an array of every row, 0
    beyond them: those zeros are left out)."""
    if len(scores) > DENSE_HITS:
        scores = scores[np.flatnonzero(scores)]
    if len(scores) > DENSE_HITS:
        scores = np.partition(scores, len(scores) - DENSE_HITS)[-DENSE_HITS:]
    best = np.sort(scores)[::-1]
    if len(best) < 2:
        return 0.0
    return float((best[0] - best.mean()) / (best.std() + 1e-6))


def dense_hits(index: Index, which: str, vector: np.ndarray, among: np.ndarray | None = None) -> Hits:
    """Cosine of ``vector`` with its nearest passages or sentences; with
    ``among`` (row numbers), its nearest among those rows only, each
    scored (the questions limited to some articles)."""
    if among is not None:
        sims = index.vectors_of(which, among) @ np.asarray(vector, dtype=np.float32)
        best = np.argsort(-sims, kind="stable")[:DENSE_HITS]
        return Hits(np.asarray(among, dtype=np.int64)[best], sims[best])
    sims, ids = index.search(which, vector, min(index.rows(which), DENSE_HITS))
    keep = ids[0] >= 0
    return Hits(ids[0][keep], sims[0][keep])


@dataclass(frozen=True)
class LexicalHits:
    """A question's BM25 over a set, scaled to [0, 1] by the best score:
    the best rows (``ids``, best first, with ``values``), and any row's
    score looked up in the question terms' postings."""

    match: Match
    ids: np.ndarray
    values: np.ndarray
    most: float

    def at(self, rows: np.ndarray) -> np.ndarray:
        found = self.match.of(rows)
        return found / self.most if self.most > 0 else found

    def best(self, count: int) -> np.ndarray:
        return self.ids[:count]


def lexical_hits(bm25: Bm25, query_terms, count: int = DENSE_HITS, among: np.ndarray | None = None) -> LexicalHits:
    """The question's BM25 over ``bm25``'s texts; the ``count`` best kept.
    ``among``: the texts a store found best (the rest are not looked at),
    scored here as in the index folder."""
    match = bm25.match(query_terms)
    if among is None:
        ids, scores = match.found()
    else:
        ids = np.asarray(among, dtype=np.int64)
        scores = match.of(ids)
        ids, scores = ids[scores > 0], scores[scores > 0]
    best = _best_positive(scores, count)
    most = float(scores[best[0]]) if len(best) else 0.0
    values = scores[best] / most if most > 0 else scores[best]
    return LexicalHits(match, ids[best], values, most)


def fuse(mode: str, weights, sd, sb, pd, pb) -> np.ndarray:
    """First-stage scores from the four similarities of some sentences
    (their own, and their passages')."""
    if mode == "dense":
        return sd + weights[2] * pd
    if mode == "bm25":
        return sb + weights[3] * pb
    return weights[0] * sd + weights[1] * sb + weights[2] * pd + weights[3] * pb


@dataclass(frozen=True)
class FirstStage:
    sentences: np.ndarray  # the pool's best sentences, best first
    scores: np.ndarray  # their first-stage scores
    passages: Hits  # how well each passage of the pool matches (see passage_hits)


def first_stage(mode: str, weights, known, sd: Hits, sb: LexicalHits, pd: Hits, pb: LexicalHits,
                count: int) -> FirstStage:
    """The ``count`` best sentences by fused score, among the pool: the
    nearest sentences, the best by BM25, and the sentences of the nearest
    and best passages. ``known`` holds each sentence's passage (``parent``)
    and each passage's sentences."""
    passages = union(pd.ids, pb.best(DENSE_HITS))
    pool = union(sd.ids, sb.best(DENSE_HITS), known.sentences_of(passages))
    # Each passage of the pool measured once, then spread to its sentences.
    parents, of_sentence = np.unique(known.parent[pool], return_inverse=True)
    passage_dense, passage_bm25 = pd.at(parents), pb.at(parents)
    scores = fuse(mode, weights, sd.at(pool), sb.at(pool), passage_dense[of_sentence], passage_bm25[of_sentence])
    best = top(scores, count)
    listed = np.isin(parents, passages, assume_unique=True)
    return FirstStage(pool[best], scores[best],
                      passage_hits(mode, parents[listed], passage_dense[listed], passage_bm25[listed]))


def passage_hits(mode: str, passages: np.ndarray, dense: np.ndarray, lexical: np.ndarray) -> Hits:
    """How well each of ``passages`` matches (from its two similarities):
    what the closest passages are listed by."""
    if mode == "dense":
        return Hits(passages, dense)
    if mode == "bm25":
        return Hits(passages, lexical)
    return Hits(passages, (dense + 0.5 * lexical) / 1.5)
