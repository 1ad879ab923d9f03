"""The judge's rows with the reader's findings joined: the questions
``evals/reader_data.py`` asked, each candidate read by the fold's reader
that never saw its article (``readings.json.gz`` of
``evals/train_reader.py``), the sentence chosen among the candidates read,
and the judge's evidence about it.

Also fits how much the reader's finding weighs in the choice
(:func:`fit_ranking`), by article fold.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from qabot.answering.answerer import chosen_place
from qabot.answering.judge import reader_features
from qabot.evaluation.metrics import exact_match, token_f1
from qabot.reader.spans import Reading, Span, short_range

# Weights of the reader's finding tried when fitting the choice.
RANKING_GRID = tuple(np.round(np.arange(0.0, 0.61, 0.02), 3))


@dataclass
class Asked:
    """One asked question with its candidates' scores and readings."""

    row: dict
    scores: np.ndarray
    readings: list[Reading]
    right: np.ndarray  # each candidate holds a gold answer
    texts: list[str]  # each candidate's window
    centers: list[tuple[int, int]]  # where the candidate is in its window

    def shown(self, place: int) -> str:
        """What the user is shown when the candidate at ``place`` is chosen:
        the short answer, or else the sentence."""
        text, center = self.texts[place], self.centers[place]
        found = short_range(text, center, self.readings[place].in_center) if place < len(self.readings) else None
        return text[found[0]:found[1]] if found else text[center[0]:center[1]]

    def choice(self, reads: int, weight: float) -> int:
        """The place chosen when the reader reads ``reads`` sentences, as the
        answerer chooses it."""
        return chosen_place(self.scores, self.readings[:reads], weight)


def _span(values) -> Span | None:
    return None if values is None else Span(int(values[0]), int(values[1]), float(values[2]))


def load(rows_path: Path, pairs_path: Path, readings_path: Path) -> list[Asked]:
    with gzip.open(rows_path, "rt", encoding="utf-8") as source:
        content = json.load(source)
    rows, windows = content["rows"], content["windows"]
    with gzip.open(pairs_path, "rt", encoding="utf-8") as source:
        pairs = json.load(source)["pairs"]
    with gzip.open(readings_path, "rt", encoding="utf-8") as source:
        readings = json.load(source)["readings"]
    by_pair = {(pairs[r["pair"]]["question"], pairs[r["pair"]]["window"]):
               Reading(r["no_answer"], _span(r["best"]), _span(r["center"])) for r in readings}
    asked = []
    for row in rows:
        candidates = row["candidates"]
        found = [by_pair.get((row["question"], c["window"])) for c in candidates]
        if any(f is None for f in found):
            raise SystemExit(f"no reading of a candidate of {row['question']!r}: readings of another data set?")
        asked.append(Asked(row, np.array([c["score"] for c in candidates]), found,
                           np.array([c["right"] for c in candidates], dtype=bool),
                           [windows[c["window"]]["text"] for c in candidates],
                           [tuple(c["center"]) for c in candidates]))
    return asked


def judged(row) -> bool:
    return not row["declined_by_rule"]


def answer_at_1(asked: list[Asked], reads: int, weight: float) -> float:
    picked = [a for a in asked if a.row["kind"] == "answerable" and a.row["source"] == "v2-style" and judged(a.row)]
    return float(np.mean([a.right[a.choice(reads, weight)] if len(a.right) else False for a in picked]))


def fit_ranking(asked: list[Asked], reads: int, folds: int) -> tuple[float, list[dict]]:
    """The weight of the reader's finding that picks the right sentence most
    often on the other folds, per fold (held-out figures), and on all."""
    per_fold = []
    for fold in range(folds):
        train = [a for a in asked if a.row["fold"] != fold]
        test = [a for a in asked if a.row["fold"] == fold]
        weight = max(RANKING_GRID, key=lambda w: (answer_at_1(train, reads, w), -w))
        per_fold.append({"fold": fold, "weight": float(weight), "before": answer_at_1(test, reads, 0.0),
                         "after": answer_at_1(test, reads, weight),
                         "questions": sum(a.row["kind"] == "answerable" and a.row["source"] == "v2-style"
                                          and judged(a.row) for a in test)})
    weight = max(RANKING_GRID, key=lambda w: (answer_at_1(asked, reads, w), -w))
    return float(weight), per_fold


def judge_rows(asked: list[Asked], reads: int, weight: float, row_type) -> list:
    """The judge's rows: the evidence about the sentence chosen."""
    made = []
    for a in asked:
        r = a.row
        if not r["candidates"]:
            raise SystemExit(f"no candidate for {r['question']!r}: an empty document?")
        place = a.choice(reads, weight)
        features = np.r_[np.asarray(r["candidates"][place]["features"], dtype=np.float64),
                         reader_features(a.readings[:reads], place)]
        made.append(row_type(r["group"], r["document"], r["source"], r["size"], r["kind"], r["question"],
                             r["declined_by_rule"], features, bool(a.right[place])))
    return made


def short_answer_scores(asked: list[Asked], reads: int, weight: float, declined) -> dict:
    """Exact match and F1 of what is shown, per fold and over all answerable
    v2-style questions of both sizes: always answering, and with the
    held-out declines (``declined[i]`` for ``asked[i]``; a declined
    question scores 0)."""
    scores = {}
    for fold in [*sorted({a.row["fold"] for a in asked}), "all"]:
        em, f1, em_d, f1_d = [], [], [], []
        for a, gone in zip(asked, declined):
            r = a.row
            if r["kind"] != "answerable" or r["source"] != "v2-style" or (fold != "all" and r["fold"] != fold):
                continue
            if not r["candidates"]:
                em.append(0.0), f1.append(0.0), em_d.append(0.0), f1_d.append(0.0)
                continue
            shown = a.shown(a.choice(reads, weight))
            em.append(exact_match(shown, r["answers"]))
            f1.append(token_f1(shown, r["answers"]))
            em_d.append(0.0 if gone else em[-1])
            f1_d.append(0.0 if gone else f1[-1])
        scores[fold] = {"questions": len(em), "em": np.mean(em), "f1": np.mean(f1),
                        "em_declining": np.mean(em_d), "f1_declining": np.mean(f1_d)}
    return scores
