"""The first stage: a cheap hybrid score for every sentence and passage.

Cosine similarity of the model's vectors (dense, from the index's search)
and BM25 (lexical), for the sentence and for its passage, fused with fixed
weights; the best few sentences go on to the second stage.
"""

from __future__ import annotations

import numpy as np

from qabot.index import Index

MODES = ("hybrid", "dense", "bm25")
# How many nearest vectors the dense search returns; the rest score 0.
DENSE_HITS = 256


def scaled(scores: np.ndarray) -> np.ndarray:
    """BM25 scores divided by the best one, so they lie in [0, 1]."""
    top = float(scores.max()) if len(scores) else 0.0
    return scores / top if top > 0 else scores


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

    ``scores`` is 0 beyond the search's top hits; those zeros are left out
    (partitioning a large array of equal values is slow)."""
    if len(scores) > DENSE_HITS:
        scores = scores[np.flatnonzero(scores)]
    if len(scores) > DENSE_HITS:
        scores = np.partition(scores, len(scores) - DENSE_HITS)[-DENSE_HITS:]
    best = np.sort(scores)[::-1]
    if len(best) < 2:
        return 0.0
    return float((best[0] - best.mean()) / (best.std() + 1e-6))


def dense_scores(index: Index, which: str, vector: np.ndarray) -> np.ndarray:
    """Cosine of ``vector`` with each passage or sentence (0 beyond the top hits)."""
    count = index.rows(which)
    scores = np.zeros(count, dtype=np.float32)
    sims, ids = index.search(which, vector, min(count, DENSE_HITS))
    keep = ids[0] >= 0
    scores[ids[0][keep]] = sims[0][keep]
    return scores


def fuse(mode: str, weights, parent: np.ndarray, sd, sb, pd, pb) -> np.ndarray:
    """Every sentence's first-stage score from its four similarities
    (``parent`` maps a sentence to its passage)."""
    if mode == "dense":
        return sd + weights[2] * pd[parent]
    if mode == "bm25":
        return sb + weights[3] * pb[parent]
    # The passages' share is summed over passages, then spread to their
    # sentences in one step (there are several sentences per passage).
    return weights[0] * sd + weights[1] * sb + (weights[2] * pd + weights[3] * pb)[parent]


def passage_scores(mode: str, pd: np.ndarray, pb: np.ndarray) -> np.ndarray:
    """How well each passage matches: what the closest passages are listed by."""
    if mode == "dense":
        return pd
    if mode == "bm25":
        return pb
    return (pd + 0.5 * pb) / 1.5
