"""The judge: does the chosen sentence answer the question?

It reads the question with the best-ranked sentence (and the sentence before
it), not only with the topic: whether the sentence holds the question's
names and numbers or other ones in their place, whether it offers the kind
of answer asked for, whether one of them is negated and the other not, and
how far the sentence stands above the rest. A logistic model over that
evidence, trained by ``evals/train_judge.py`` and calibrated on held-out
articles, gives the chance that the sentence answers; two more tell
questions the articles do not answer (off-topic ones, and near-misses that
look answerable). The models are one small JSON file whose SHA-256 is
checked when it is loaded.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from qabot.answering.candidates import standout
from qabot.answering.evidence import answer_kind, coverage, offers_kind
from qabot.answering.features import FEATURES, Evidence, SentenceTerms
from qabot.answering.missing import key_runs, name_terms, writings
from qabot.errors import QabotError
from qabot.index.lexical import terms, words
from qabot.reader.spans import MARGIN_BOUNDS

MODEL_FILE = Path(__file__).with_name("judge.json")
# The SHA-256 of each model file, checked on load (written by the trainer).
HASHES_FILE = Path(__file__).with_name("models.sha256")
# The judge learnt from documents of these sizes (in sentences) and holds
# the size constant outside them.
SENTENCES_LEARNT = (20, 500)
_NEGATION = re.compile(r"\b(not|never|no|none|nor|without)\b|n't\b", re.IGNORECASE)
_NAME = re.compile(r"(?<!^)(?<![.!?]\s)\b[A-Z][\w'’-]*")
_NUMBER = re.compile(r"\d[\d,.]*")

# Evidence about the top sentence beyond its ranking features.
EXTRA_FEATURES = (
    "rank_score", "rank_margin", "best_sentence_dense", "best_passage_dense", "corpus_coverage",
    # Chance matches score higher among more sentences: how far the best
    # cosines stand out, and the number of sentences.
    "sentence_standout", "passage_standout", "log_sentences", "asks_kind",
    "names_in_window", "numbers_in_window", "name_conflict", "number_conflict",
    "negation_mismatch", "log_question_terms", "rarest_missing", "missing_in_passage",
    # Asks for a number, a time or a name, and the sentence with the one
    # before it offers none.
    "kind_not_offered",
)
# What the reader found (qabot.reader.spans: margins over "no answer"): in
# the chosen sentence, in its window, and the most in the other sentences read.
READER_FEATURES = ("reader_margin", "reader_window_margin", "reader_other_margin", "reader_no_answer")
JUDGE_FEATURES = tuple(f"top_{name}" for name in FEATURES) + EXTRA_FEATURES + READER_FEATURES


class ModelFileError(QabotError):
    """A model file is missing or is not the one the project ships."""


def _share_found(keys: list[list[tuple[str, ...]]], found: frozenset[str]) -> float:
    """Share of key terms found in ``found`` (each as one of its writings,
    a tuple of terms that must all be there); 1 with none."""
    return sum(any(set(w) <= found for w in k) for k in keys) / len(keys) if keys else 1.0


def judge_features(evidence: Evidence, ranked: np.ndarray, scores: np.ndarray, known: SentenceTerms) -> np.ndarray:
    """The judge's evidence about the best-ranked sentence ``ranked[0]``."""
    best = int(ranked[0])
    row = evidence.features[int(np.flatnonzero(evidence.candidates == best)[0])]
    weight = evidence.term_weights
    question = set(evidence.question_terms)
    window_text = known.window_text(best)
    # Dots dropped, so that "U.S." is found as "US" (and "American" through it).
    window = known.window(best) | frozenset(terms(window_text.replace(".", "")))
    passage = known.of_passage(int(known.parent[best]))
    runs = [" ".join(run) for run in key_runs(evidence.query) if name_terms(" ".join(run))]
    numbers = [[name_terms(r)] for r in runs if any(ch.isdigit() for ch in r)]
    names = [writings(r) for r in runs if not any(ch.isdigit() for ch in r)]
    other_names = {t for n in _NAME.findall(window_text) for t in terms(n)} - question
    other_numbers = {t for n in _NUMBER.findall(window_text) for t in terms(n)} - question
    absent = [weight[t] for t in question if t not in window]
    in_corpus = {t for t, f in evidence.term_frequencies.items() if f > 0}
    kind = answer_kind(evidence.query)
    size = min(max(len(known.index.sentences), SENTENCES_LEARNT[0]), SENTENCES_LEARNT[1])
    names_found, numbers_found = _share_found(names, window), _share_found(numbers, window)
    extra = (
        scores[0], scores[0] - scores[1] if len(scores) > 1 else 0.0,
        evidence.sentence_dense.highest(), evidence.passage_dense.highest(),
        coverage(question, in_corpus, weight),
        standout(evidence.sentence_dense.values), standout(evidence.passage_dense.values), math.log(size),
        float(kind is not None),
        names_found, numbers_found,
        float(names_found < 1 and bool(other_names)), float(numbers_found < 1 and bool(other_numbers)),
        float(bool(_NEGATION.search(evidence.query)) != bool(_NEGATION.search(window_text))),
        math.log1p(len(question)),
        max(absent, default=0.0) / max(weight.values(), default=1.0),
        coverage([t for t in question if t not in window], passage, weight) if absent else 0.0,
        float(kind is not None and not offers_kind(window_text, kind, set(words(evidence.query)))),
    )
    return np.r_[row, np.asarray(extra, dtype=np.float64)]


def chosen_features(evidence: Evidence, ranked: np.ndarray, scores: np.ndarray, place: int,
                    known: SentenceTerms) -> np.ndarray:
    """:func:`judge_features` of the sentence at ``place`` in the ranking,
    measured as if it were first (the others after it, in order)."""
    order = np.r_[place, np.delete(np.arange(len(ranked)), place)]
    return judge_features(evidence, ranked[order], scores[order], known)


def reader_features(readings, place: int) -> np.ndarray:
    """:data:`READER_FEATURES` of the reader's ``readings`` (of the best-ranked
    sentences, in order) when the sentence at ``place`` is chosen."""
    if not readings:
        return np.array([MARGIN_BOUNDS[0], MARGIN_BOUNDS[0], MARGIN_BOUNDS[0], 0.0])
    chosen = readings[place]
    others = [r.center_margin for n, r in enumerate(readings) if n != place]
    return np.array([chosen.center_margin, chosen.margin, max(others, default=MARGIN_BOUNDS[0]),
                     min(max(chosen.no_answer, -20.0), 20.0)])


@dataclass(frozen=True)
class Logistic:
    """A logistic model over standardised features."""

    coefficients: np.ndarray
    bias: float

    def chance(self, standardised: np.ndarray) -> float:
        z = float(standardised @ self.coefficients) + self.bias
        return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))

    def to_json(self) -> dict:
        return {"coefficients": self.coefficients.tolist(), "bias": self.bias}

    @classmethod
    def from_json(cls, data: dict) -> "Logistic":
        return cls(np.asarray(data["coefficients"], dtype=np.float64), float(data["bias"]))


@dataclass(frozen=True)
class Verdict:
    """What the judge makes of the best sentence."""

    chance: float  # calibrated chance that it answers the question
    off_topic: bool  # the question is about something else than the articles
    near_miss: bool  # the articles are close to the question but do not answer it

    @property
    def declines(self) -> bool:
        return self.off_topic or self.near_miss


@dataclass(frozen=True)
class Judge:
    """Three logistic models over :data:`JUDGE_FEATURES`: the chance that the
    sentence answers (then calibrated), and two detectors of questions the
    articles do not answer: off-topic ones, and near-misses."""

    mean: np.ndarray
    scale: np.ndarray
    answers: Logistic
    on_topic: Logistic
    answerable: Logistic
    # Calibration: raw chance -> share right on held-out articles.
    calibration_x: np.ndarray
    calibration_y: np.ndarray
    # Decline when a detector's chance of answerable is below its threshold.
    on_topic_threshold: float
    answerable_threshold: float

    def verdict(self, features: np.ndarray) -> Verdict:
        x = (features - self.mean) / self.scale
        chance = float(np.interp(self.answers.chance(x), self.calibration_x, self.calibration_y))
        return Verdict(chance, self.on_topic.chance(x) < self.on_topic_threshold,
                       self.answerable.chance(x) < self.answerable_threshold)

    def to_json(self) -> dict:
        return {
            "features": list(JUDGE_FEATURES), "mean": self.mean.tolist(), "scale": self.scale.tolist(),
            "answers": self.answers.to_json(), "on_topic": self.on_topic.to_json(),
            "answerable": self.answerable.to_json(),
            "calibration": {"raw": self.calibration_x.tolist(), "calibrated": self.calibration_y.tolist()},
            "thresholds": {"on_topic": self.on_topic_threshold, "answerable": self.answerable_threshold},
        }

    @classmethod
    def from_json(cls, data: dict) -> "Judge":
        if tuple(data["features"]) != JUDGE_FEATURES:
            raise ModelFileError("the judge model was trained on other features; run evals/train_judge.py")
        return cls(np.asarray(data["mean"]), np.asarray(data["scale"]), Logistic.from_json(data["answers"]),
                   Logistic.from_json(data["on_topic"]), Logistic.from_json(data["answerable"]),
                   np.asarray(data["calibration"]["raw"]), np.asarray(data["calibration"]["calibrated"]),
                   float(data["thresholds"]["on_topic"]), float(data["thresholds"]["answerable"]))


def expected_hash(name: str) -> str | None:
    for line in HASHES_FILE.read_text(encoding="utf-8").splitlines():
        digest, _, file = line.partition("  ")
        if file.strip() == name:
            return digest.strip()
    return None


@lru_cache(maxsize=4)
def load_judge(path: Path = MODEL_FILE) -> Judge:
    """The shipped judge, refused unless its SHA-256 is the recorded one."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ModelFileError(f"the judge model {path} cannot be read ({error.strerror})") from None
    if hashlib.sha256(raw).hexdigest() != expected_hash(path.name):
        raise ModelFileError(f"the judge model {path} is not the one recorded in {HASHES_FILE.name}; "
                             "reinstall qabot or run evals/train_judge.py")
    return Judge.from_json(json.loads(raw))
