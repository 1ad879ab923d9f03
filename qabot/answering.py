"""Pick the sentence that answers a question, or decline.

Two stages. First, every sentence gets a cheap hybrid score: cosine
similarity of the model's vectors (dense) and BM25 (lexical), for the
sentence and for its passage. Then the best few candidates are ranked on
richer evidence (see :func:`candidate_features`) with weights fitted on
SQuAD, and a small logistic model of the evidence gives the confidence that
the articles answer at all. Below a threshold the bot declines, and still
lists the closest passages.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from qabot.embedder import Embedder
from qabot.errors import BadQuestionError
from qabot.evidence import answer_kind, coverage, idf, offers_kind
from qabot.index import Index
from qabot.lexical import terms, words
from qabot.records import Passage, Sentence

MODES = ("hybrid", "dense", "bm25")
# Questions longer than this are cut: the model reads at most 256 word
# pieces, and nobody asks a question this long on purpose.
MAX_QUESTION_CHARS = 1000
# Input beyond this is not even looked at (1 MB of pasted text).
MAX_INPUT_CHARS = 1_000_000
DENSE_HITS = 256
FEATURES = (
    "sentence_bm25", "passage_dense", "passage_bm25", "coverage", "novelty", "answer_kind",
    "log_length", "window_coverage", "sentence_dense", "window_dense", "bigram_coverage",
    "opens_passage", "passage_coverage",
    # The three similarities again, scaled by how little of the question's
    # words the best candidate holds: paraphrases lean on meaning.
    "passage_dense_paraphrase", "sentence_dense_paraphrase", "window_dense_paraphrase",
    # The sentence's two similarities squared: a close match counts for
    # more than its cosine alone says.
    "sentence_dense_squared", "window_dense_squared",
)
# Columns of FEATURES that the paraphrase and squared features are made from.
_COVERAGE = FEATURES.index("coverage")
_SIMILARITIES = [FEATURES.index(name) for name in ("passage_dense", "sentence_dense", "window_dense")]
_SQUARED = [FEATURES.index(name) for name in ("sentence_dense", "window_dense")]
CONFIDENCE_FEATURES = (
    "best_sentence_dense", "best_passage_dense", "best_coverage", "corpus_coverage",
    "sentence_dense_standout", "passage_dense_standout", "log_sentences",
)
# Chance matches score higher among more sentences; the confidence model
# learnt that between 20 and 500 sentences, and holds it constant outside.
SENTENCES_LEARNT = (20, 500)


@dataclass(frozen=True)
class Weights:
    """How evidence is weighed. Fitted on SQuAD half A (see README)."""

    # First stage: sentence dense, sentence BM25, passage dense, passage BM25.
    first_stage: tuple[float, ...] = (1.0, 0.75, 1.0, 0.1)
    candidates: int = 40
    # Second stage: one weight per name in FEATURES.
    ranking: tuple[float, ...] = (
        1.13, 2.53, 0.83, 3.35, 1.61, 1.83, 0.05, 2.19, -2.59, -2.52, 2.37, -0.3, 2.01, 6.23, 5.67, 5.83,
        6.51, 4.92)
    # Confidence: logistic over CONFIDENCE_FEATURES, then a bias.
    # Fitted on SQuAD half A and the project's own questions (which are
    # harder paraphrases), so that 0.5 keeps both kinds answered.
    confidence: tuple[float, ...] = (11.38, 11.49, 9.67, 3.03, 0.48, -0.13, -2.24, -2.32)
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
        " " if unicodedata.category(ch).startswith("C") else ch for ch in question[:MAX_INPUT_CHARS]
    )
    cleaned = re.sub(r"\s+", " ", visible).strip()[:MAX_QUESTION_CHARS]
    if not re.search(r"\w", cleaned):
        raise BadQuestionError("the question is empty: ask something in words")
    return cleaned


def _scaled(scores: np.ndarray) -> np.ndarray:
    """BM25 scores divided by the best one, so they lie in [0, 1]."""
    top = float(scores.max()) if len(scores) else 0.0
    return scores / top if top > 0 else scores


def _bigrams(text: str) -> frozenset[tuple[str, str]]:
    tokens = words(text)
    return frozenset(zip(tokens, tokens[1:]))


def _standout(scores: np.ndarray) -> float:
    """How far the best score stands above the others (in standard deviations
    of the top hits): an answer stands out, a chance match does not.

    ``scores`` is 0 beyond the search's top hits; those zeros are left out
    (partitioning a large array of equal values is slow)."""
    if len(scores) > DENSE_HITS:
        scores = scores[np.flatnonzero(scores)]
    if len(scores) > DENSE_HITS:
        scores = np.partition(scores, len(scores) - DENSE_HITS)[-DENSE_HITS:]
    top = np.sort(scores)[::-1]
    if len(top) < 2:
        return 0.0
    return float((top[0] - top.mean()) / (top.std() + 1e-6))


def _top(scores: np.ndarray, count: int) -> np.ndarray:
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


def _logistic(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(min(x, 50.0), -50.0)))


@dataclass
class Evidence:
    """Everything measured about one query, over the whole index."""

    query: str
    sentence_dense: np.ndarray
    sentence_bm25: np.ndarray
    passage_dense: np.ndarray
    passage_bm25: np.ndarray
    passage_scores: np.ndarray
    candidates: np.ndarray  # sentence ids, best first-stage score first
    first_stage: np.ndarray  # the candidates' first-stage scores
    features: np.ndarray  # one row per candidate, columns as FEATURES
    confidence_features: np.ndarray


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
        sentences = index.sentences
        self._parent = np.array([s.passage for s in sentences], dtype=np.int64)
        same = self._parent[1:] == self._parent[:-1] if len(sentences) else np.zeros(0, bool)
        ids = np.arange(len(sentences))
        self._previous = np.where(np.r_[False, same], ids - 1, ids)
        self._next = np.where(np.r_[same, False], ids + 1, ids)
        self._terms = lru_cache(maxsize=100_000)(self._sentence_terms)
        self._bigrams = lru_cache(maxsize=100_000)(self._sentence_bigrams)
        self._passage_terms = lru_cache(maxsize=100_000)(self._terms_of_passage)

    def _sentence_terms(self, sentence_id: int) -> frozenset[str]:
        return frozenset(terms(self.index.sentences[sentence_id].text))

    def _terms_of_passage(self, passage_id: int) -> frozenset[str]:
        return frozenset(terms(self.index.passages[passage_id].text))

    def _sentence_bigrams(self, sentence_id: int) -> frozenset[tuple[str, str]]:
        return _bigrams(self.index.sentences[sentence_id].text)

    def display_path(self, name: str) -> str:
        return str(self.seeds / name)

    def _dense(self, which: str, vector: np.ndarray) -> np.ndarray:
        """Cosine of ``vector`` with each passage or sentence (0 beyond the
        top hits)."""
        count = self.index.rows(which)
        scores = np.zeros(count, dtype=np.float32)
        sims, ids = self.index.search(which, vector, min(count, DENSE_HITS))
        keep = ids[0] >= 0
        scores[ids[0][keep]] = sims[0][keep]
        return scores

    def _first_stage(self, sd, sb, pd, pb) -> np.ndarray:
        w = self.weights.first_stage
        par = self._parent
        if self.mode == "dense":
            return sd + w[2] * pd[par]
        if self.mode == "bm25":
            return sb + w[3] * pb[par]
        # The passages' share is summed over passages, then spread to their
        # sentences in one step (there are several sentences per passage).
        return w[0] * sd + w[1] * sb + (w[2] * pd + w[3] * pb)[par]

    def evidence(self, query: str, context: str | None = None) -> Evidence:
        """Measure ``query`` against the index (see :data:`FEATURES`).

        ``context`` (earlier turns of a conversation) helps find the passage,
        read together with the query; sentences are judged on the query alone.
        """
        where = f"{query} {context}" if context else query
        vectors = self.embedder.encode([query, where] if context else [query])
        vector, where_vector = vectors[0], vectors[-1]
        sd = self._dense("sentences", vector)
        pd = self._dense("passages", where_vector)
        question_terms = terms(query)
        sb = _scaled(self.index.sentence_bm25.scores(question_terms))
        pb = _scaled(self.index.passage_bm25.scores(terms(where) if context else question_terms))
        first = self._first_stage(sd, sb, pd, pb)
        candidates = _top(first, self.weights.candidates)
        passage_scores = self._passage_scores(pd, pb)
        features, confidence_features = self._features(query, question_terms, vector, candidates, sd, sb, pd, pb)
        return Evidence(query, sd, sb, pd, pb, passage_scores, candidates, first[candidates],
                        features, confidence_features)

    def _passage_scores(self, pd: np.ndarray, pb: np.ndarray) -> np.ndarray:
        if self.mode == "dense":
            return pd
        if self.mode == "bm25":
            return pb
        return (pd + 0.5 * pb) / 1.5

    def _features(self, query, query_terms, vector, candidates, sd, sb, pd, pb):
        question_terms = set(query_terms)
        question_words = set(words(query))
        question_bigrams = _bigrams(query)
        frequencies = self.index.sentence_bm25.document_frequencies(question_terms)
        size = len(self.index.sentences)
        weight = {t: idf(f, size) for t, f in frequencies.items()}
        kind = answer_kind(query)
        window_dense = self.index.vectors_of("windows", candidates) @ vector
        rows = []
        for i, window_sim in zip(candidates, window_dense):
            own = self._terms(int(i))
            window = own | self._terms(int(self._previous[i])) | self._terms(int(self._next[i]))
            text = self.index.sentences[i].text
            p = self._parent[i]
            rows.append((
                sb[i], pd[p], pb[p],
                coverage(question_terms, own, weight),
                len(own - question_terms) / max(len(own), 1),
                float(offers_kind(text, kind, question_words)),
                math.log1p(len(text.split())),
                coverage(question_terms, window, weight),
                sd[i], window_sim,
                len(question_bigrams & self._bigrams(int(i))) / max(len(question_bigrams), 1),
                float(self._previous[i] == i),
                coverage(question_terms, self._passage_terms(int(p)), weight),
            ))
        made = len(_SIMILARITIES) + len(_SQUARED)
        plain = np.array(rows, dtype=np.float64).reshape(len(rows), len(FEATURES) - made)
        unmatched = 1.0 - plain[:, _COVERAGE].max(initial=0.0)
        features = np.hstack([plain, unmatched * plain[:, _SIMILARITIES], plain[:, _SQUARED] ** 2])
        in_corpus = {t for t, f in frequencies.items() if f > 0}
        confidence_features = np.array([
            float(sd.max(initial=0.0)), float(pd.max(initial=0.0)),
            1.0 - unmatched, coverage(question_terms, in_corpus, weight),
            _standout(sd), _standout(pd), math.log(min(max(size, SENTENCES_LEARNT[0]), SENTENCES_LEARNT[1])),
        ])
        return features, confidence_features

    def rank(self, evidence: Evidence) -> tuple[np.ndarray, np.ndarray]:
        """Candidate sentence ids, best first, and their scores."""
        if self.mode == "hybrid":
            scores = evidence.features @ np.asarray(self.weights.ranking)
        else:
            scores = evidence.first_stage
        order = np.argsort(-scores, kind="stable")
        return evidence.candidates[order], scores[order]

    def confidence(self, evidence: Evidence) -> float:
        """Probability-like belief that the articles answer the question."""
        *weights, bias = self.weights.confidence
        return _logistic(float(evidence.confidence_features @ np.asarray(weights)) + bias)

    def ask(self, question: str, k: int = 3, context: str | None = None) -> Answer:
        """Answer ``question``; ``context`` (earlier turns it leans on, if
        any) helps find the passage."""
        question = clean_question(question)
        context = clean_question(context) if context and context.strip() else None
        if not self.index.sentences:
            return Answer(question, None, None, None, 0.0, [])
        evidence = self.evidence(question, context)
        ranked_ids, _ = self.rank(evidence)
        ranked = [self.index.sentences[i] for i in ranked_ids[:10]]
        scored = self._top_passages(evidence.passage_scores, k)
        confidence = self.confidence(evidence)
        if confidence < self.weights.abstain_below:
            return Answer(question, None, None, None, confidence, scored, ranked)
        best = ranked[0]
        passage = self.index.passages[best.passage]
        citation = Citation(self.display_path(best.file), passage.title, best.line, best.start, best.end)
        return Answer(question, best, passage, citation, confidence, scored, ranked)

    def _top_passages(self, scores: np.ndarray, k: int) -> list[ScoredPassage]:
        top = _top(scores, max(k, 0))
        passages = self.index.passages
        return [ScoredPassage(passages[i], self.display_path(passages[i].file), float(scores[i])) for i in top]
