"""From the reader's scores to answers: the best span of a window, the best
inside its candidate sentence, and the score of "no answer here"."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# The longest span, in tokens, the reader may give.
MAX_ANSWER_TOKENS = 30
# A span is the short answer unless it is most of its sentence (then the
# sentence is the answer: a "why" or "how" question).
SHORT_ANSWER_MOST = 0.8
# Margins over "no answer" are held within these bounds (beyond them the
# reader is sure either way; a window with no span scores the lowest).
MARGIN_BOUNDS = (-10.0, 10.0)


def _margin(span: "Span | None", no_answer: float) -> float:
    if span is None:
        return MARGIN_BOUNDS[0]
    return float(min(max(span.score - no_answer, MARGIN_BOUNDS[0]), MARGIN_BOUNDS[1]))


@dataclass(frozen=True)
class Span:
    start: int  # characters in the window's text
    end: int
    score: float  # start score + end score


@dataclass(frozen=True)
class Reading:
    """What the reader made of one window. ``no_answer`` is the score of the
    first ([CLS]) position: above a span's score, the window likely holds
    no answer."""

    no_answer: float
    best: Span | None
    in_center: Span | None

    @property
    def center_margin(self) -> float:
        """The candidate sentence's best span over "no answer" (bounded)."""
        return _margin(self.in_center, self.no_answer)

    @property
    def margin(self) -> float:
        """The window's best span over "no answer" (bounded)."""
        return _margin(self.best, self.no_answer)


def best_span(start_scores: np.ndarray, end_scores: np.ndarray, starts: np.ndarray, ends: np.ndarray,
              allowed: np.ndarray) -> Span | None:
    """The highest start + end over spans of ``allowed`` tokens (their
    characters ``starts``/``ends``), end not before start, at most
    MAX_ANSWER_TOKENS long."""
    places = np.flatnonzero(allowed)
    if not len(places):
        return None
    s, e = start_scores[places], end_scores[places]
    total = s[:, None] + e[None, :]
    gap = places[None, :] - places[:, None]
    total = np.where((gap >= 0) & (gap < MAX_ANSWER_TOKENS), total, -np.inf)
    first, last = np.unravel_index(int(np.argmax(total)), total.shape)
    return Span(int(starts[places[first]]), int(ends[places[last]]), float(total[first, last]))


def read_window(start_scores: np.ndarray, end_scores: np.ndarray, starts: np.ndarray, ends: np.ndarray,
                center: tuple[int, int]) -> Reading:
    """The reading of one window's row of scores; ``center`` is the
    candidate sentence's (start, end) in the window's text."""
    text = starts >= 0
    inside = text & (starts >= center[0]) & (ends <= center[1])
    return Reading(float(start_scores[0] + end_scores[0]),
                   best_span(start_scores, end_scores, starts, ends, text),
                   best_span(start_scores, end_scores, starts, ends, inside))


def short_range(text: str, center: tuple[int, int], span: Span | None) -> tuple[int, int] | None:
    """Where the short answer is in ``text`` (a window): ``span`` without
    its outer spaces; None when there is no span or it is most of the
    candidate sentence at ``center``."""
    if span is None:
        return None
    found = text[span.start:span.end]
    start = span.start + len(found) - len(found.lstrip())
    end = span.start + len(found.rstrip())
    sentence = text[center[0]:center[1]].strip()
    if end <= start or end - start >= SHORT_ANSWER_MOST * len(sentence):
        return None
    return start, end
