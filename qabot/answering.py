"""Pick the sentence that answers a question, or decline.

Retrieval is hybrid: cosine similarity of the model's vectors (dense) and
BM25 (lexical), for passages and for sentences. A sentence's score mixes its
own evidence with its passage's, so a sentence that only makes sense in its
context can still win. When even the best sentence is weak evidence, the
answer is a refusal, and the closest passages are still listed.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from qabot.embedder import Embedder
from qabot.errors import BadQuestionError
from qabot.index import Index
from qabot.lexical import terms
from qabot.records import Passage, Sentence

MODES = ("hybrid", "dense", "bm25")
# Questions longer than this are cut: the model reads at most 256 word
# pieces, and nobody asks a question this long on purpose.
MAX_QUESTION_CHARS = 1000


@dataclass(frozen=True)
class Weights:
    """How evidence is mixed. Fitted on SQuAD half A (see README)."""

    passage_dense: float = 1.0
    passage_lexical: float = 0.5
    sentence_dense: float = 1.0
    sentence_lexical: float = 0.5
    sentence_passage: float = 0.5
    candidate_passages: int = 8
    candidate_sentences: int = 30
    # Confidence is a logistic curve over the evidence; below
    # ``abstain_below`` the bot declines.
    confidence_scale: float = 12.0
    confidence_centre: float = 0.35
    abstain_below: float = 0.5


@dataclass(frozen=True)
class Citation:
    file: str
    title: str
    line: int
    start: int
    end: int


@dataclass(frozen=True)
class ScoredPassage:
    passage: Passage
    file: str
    score: float


@dataclass(frozen=True)
class Answer:
    """What the bot says: a sentence with its source, or a refusal."""

    question: str
    sentence: Sentence | None
    passage: Passage | None
    citation: Citation | None
    confidence: float
    passages: list[ScoredPassage]
    # Best sentences, best first, even when the bot declines (for evaluation).
    ranked_sentences: list[Sentence] = field(default_factory=list)

    @property
    def abstained(self) -> bool:
        return self.sentence is None

    @property
    def text(self) -> str | None:
        return self.sentence.text if self.sentence else None


def clean_question(question: str) -> str:
    """Drop control characters, fold white space, cut to a sane length."""
    visible = "".join(
        " " if unicodedata.category(ch).startswith("C") else ch for ch in question[: MAX_QUESTION_CHARS * 4]
    )
    cleaned = re.sub(r"\s+", " ", visible).strip()[:MAX_QUESTION_CHARS]
    if not re.search(r"\w", cleaned):
        raise BadQuestionError("the question is empty: ask something in words")
    return cleaned


def _scaled(scores: np.ndarray) -> np.ndarray:
    """BM25 scores divided by the best one, so they lie in [0, 1]."""
    top = float(scores.max()) if len(scores) else 0.0
    return scores / top if top > 0 else scores


class Answerer:
    """Answers questions from one index with one embedder."""

    def __init__(self, index: Index, embedder: Embedder, seeds: Path,
                 mode: str = "hybrid", weights: Weights = Weights()) -> None:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}")
        self.index = index
        self.embedder = embedder
        self.seeds = seeds
        self.mode = mode
        self.weights = weights

    def display_path(self, name: str) -> str:
        return str(self.seeds / name)

    def _mix(self, dense: np.ndarray, lexical: np.ndarray, w_dense: float, w_lexical: float) -> np.ndarray:
        if self.mode == "dense":
            return dense
        if self.mode == "bm25":
            return lexical
        return (w_dense * dense + w_lexical * lexical) / (w_dense + w_lexical)

    def _dense(self, store, vector: np.ndarray) -> np.ndarray:
        """Cosine of ``vector`` with every stored vector (0 beyond the top hits)."""
        scores = np.zeros(store.ntotal, dtype=np.float32)
        if store.ntotal == 0:
            return scores
        hits = min(store.ntotal, 256)
        sims, ids = store.search(vector[None, :], hits)
        keep = ids[0] >= 0
        scores[ids[0][keep]] = sims[0][keep]
        return scores

    def evidence(self, query: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Passage scores, sentence scores and raw sentence cosines for ``query``."""
        w = self.weights
        vector = self.embedder.encode([query])[0]
        passage_dense = self._dense(self.index.passage_vectors, vector)
        sentence_dense = self._dense(self.index.sentence_vectors, vector)
        passage = self._mix(passage_dense, _scaled(self.index.passage_bm25.scores(query)),
                            w.passage_dense, w.passage_lexical)
        own = self._mix(sentence_dense, _scaled(self.index.sentence_bm25.scores(query)),
                        w.sentence_dense, w.sentence_lexical)
        parents = np.array([s.passage for s in self.index.sentences], dtype=np.int64)
        sentence = (own + w.sentence_passage * passage[parents]) / (1 + w.sentence_passage)
        return passage, sentence, sentence_dense

    def confidence(self, best_sentence: float) -> float:
        w = self.weights
        return 1.0 / (1.0 + math.exp(-w.confidence_scale * (best_sentence - w.confidence_centre)))

    def ask(self, question: str, k: int = 3, query: str | None = None) -> Answer:
        """Answer ``question``; ``query`` (when given) is what is searched for,
        such as the question with its conversation context."""
        question = clean_question(question)
        query = clean_question(query) if query else question
        if not self.index.sentences:
            return Answer(question, None, None, None, 0.0, [])
        passage_scores, sentence_scores, _ = self.evidence(query)
        order = np.argsort(-sentence_scores, kind="stable")
        ranked = [self.index.sentences[i] for i in order[:10]]
        top_passages = np.argsort(-passage_scores, kind="stable")[:max(k, 0)]
        scored = [
            ScoredPassage(self.index.passages[i], self.display_path(self.index.passages[i].file),
                          float(passage_scores[i]))
            for i in top_passages
        ]
        best = ranked[0]
        confidence = self.confidence(float(sentence_scores[order[0]]))
        if confidence < self.weights.abstain_below:
            return Answer(question, None, None, None, confidence, scored, ranked)
        passage = self.index.passages[best.passage]
        citation = Citation(self.display_path(best.file), passage.title, best.line, best.start, best.end)
        return Answer(question, best, passage, citation, confidence, scored, ranked)
