"""Scoring answers against gold answers, SQuAD style."""

from __future__ import annotations

import re
import string
from collections import Counter
from dataclasses import dataclass

import numpy as np

K_VALUES = (1, 3, 5)
_ARTICLES = re.compile(r"\b(a|an|the)\b")
_PUNCTUATION = str.maketrans("", "", string.punctuation)


def normalize(text: str) -> str:
    """SQuAD's official answer normalisation, in its order: lower case, remove
    punctuation, remove the articles a/an/the, single spaces."""
    return " ".join(_ARTICLES.sub(" ", text.lower().translate(_PUNCTUATION)).split())


def exact_match(prediction: str, golds) -> float:
    """1.0 when ``prediction`` normalises to the same text as one of ``golds``, else 0.0."""
    return float(any(normalize(prediction) == normalize(gold) for gold in golds))


def _f1(prediction: list[str], gold: list[str]) -> float:
    if not prediction or not gold:
        return float(prediction == gold)  # SQuAD v2.0: two empty answers agree
    shared = sum((Counter(prediction) & Counter(gold)).values())
    if not shared:
        return 0.0
    precision, recall = shared / len(prediction), shared / len(gold)
    return 2 * precision * recall / (precision + recall)


def token_f1(prediction: str, golds) -> float:
    """SQuAD's token F1: the harmonic mean of the precision and recall of the
    normalised words ``prediction`` shares with a gold answer (each word
    counted as often as both have it), the best over ``golds``; 0.0 without golds."""
    words = normalize(prediction).split()
    return max((_f1(words, normalize(gold).split()) for gold in golds), default=0.0)


def holds_answer(text: str | None, answers) -> bool:
    """True when ``text`` contains one of the gold ``answers`` as whole words."""
    if not text:
        return False
    padded = f" {normalize(text)} "
    return any(f" {normalize(a)} " in padded for a in answers if normalize(a))


@dataclass
class Outcome:
    """What happened to one question."""

    answerable: bool
    abstained: bool
    correct: bool  # the answer holds a gold answer
    sentence_rank: int | None  # 1-based rank of the first sentence holding one
    passage_rank: int | None
    latency_ms: float
    confidence: float = 0.0
    kind: str | None = None  # for an unanswerable question: foreign, near-miss or None
    # The text shown (short answer, else the sentence) against the gold
    # answers; None for an unanswerable question; 0.0 when declined.
    exact_match: float | None = None
    f1: float | None = None


def _share(flags) -> float | None:
    flags = list(flags)
    return round(sum(flags) / len(flags), 4) if flags else None


def _mean(scores) -> float | None:
    scores = list(scores)
    return round(float(np.mean(scores)), 4) if scores else None


def reliability(confidences, rights, bins: int = 10) -> list[dict]:
    """Answers by confidence bin: how many, how confident, the share right."""
    pairs = list(zip(confidences, rights))
    table = []
    for b in range(bins):
        low, high = b / bins, (b + 1) / bins
        inside = [(c, r) for c, r in pairs if low <= c < high or (b == bins - 1 and c == 1.0)]
        if inside:
            table.append({"from": low, "to": high, "count": len(inside),
                          "confidence": round(float(np.mean([c for c, _ in inside])), 4),
                          "right": round(sum(bool(r) for _, r in inside) / len(inside), 4)})
    return table


def calibration_error(table: list[dict]) -> float | None:
    """Expected calibration error: the count-weighted gap between confidence and share right."""
    total = sum(row["count"] for row in table)
    if not total:
        return None
    return round(sum(row["count"] * abs(row["confidence"] - row["right"]) for row in table) / total, 4)


def summarize(outcomes: list[Outcome]) -> dict:
    answerable = [o for o in outcomes if o.answerable]
    unanswerable = [o for o in outcomes if not o.answerable]
    latencies = np.array([o.latency_ms for o in outcomes]) if outcomes else np.zeros(1)
    given = [o for o in outcomes if not o.abstained]
    by_confidence = reliability([o.confidence for o in given], [o.correct for o in given])
    return {
        "questions": len(outcomes),
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
        "answer_at_1": _share(o.correct and not o.abstained for o in answerable),
        "exact_match": _mean(o.exact_match or 0.0 for o in answerable),
        "f1": _mean(o.f1 or 0.0 for o in answerable),
        "sentence_recall": {str(k): _share(o.sentence_rank is not None and o.sentence_rank <= k
                                           for o in answerable) for k in K_VALUES},
        "passage_recall": {str(k): _share(o.passage_rank is not None and o.passage_rank <= k
                                          for o in answerable) for k in K_VALUES},
        "mrr": round(float(np.mean([1 / o.sentence_rank if o.sentence_rank else 0.0 for o in answerable])), 4)
        if answerable else None,
        "answerable_refused": _share(o.abstained for o in answerable),
        "unanswerable_refused": _share(o.abstained for o in unanswerable),
        "unanswerable_refused_by_kind": {
            kind: _share(o.abstained for o in unanswerable if o.kind == kind)
            for kind in sorted({o.kind for o in unanswerable if o.kind})},
        "calibration_error": calibration_error(by_confidence),
        "reliability": by_confidence,
        "latency_ms": {"median": round(float(np.median(latencies)), 2),
                       "p95": round(float(np.percentile(latencies, 95)), 2)},
    }
