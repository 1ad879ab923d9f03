"""The second stage's evidence: what each candidate sentence shows about
the question, one row of :data:`FEATURES` per candidate."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from qabot.answering.candidates import Hits, LexicalHits
from qabot.answering.evidence import answer_kind, coverage, idf, offers_kind
from qabot.index.lexical import terms, words
from qabot.index.loaded import Index

FEATURES = (
    "sentence_bm25", "passage_dense", "passage_bm25", "coverage", "novelty", "answer_kind",
    "log_length", "window_coverage", "sentence_dense", "window_dense", "bigram_coverage",
    "opens_passage", "passage_coverage",
    # Share of the question's weight found in the candidate's whole article,
    # and in its title: with several articles, the one the question names.
    "article_coverage", "title_coverage",
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


def bigrams(text: str) -> frozenset[tuple[str, str]]:
    tokens = words(text)
    return frozenset(zip(tokens, tokens[1:]))


@dataclass
class Evidence:
    """Everything measured about one query: its similarities to the rows
    (by vector, the nearest rows, every other scoring 0; by BM25, any row,
    looked up), the candidates and their evidence."""

    query: str
    question_terms: list[str]  # stemmed content words, in order
    term_frequencies: dict[str, int]  # sentences holding each question term
    term_weights: dict[str, float]  # idf of each question term over the sentences
    vector: np.ndarray  # the query's embedding
    sentence_dense: Hits
    sentence_bm25: LexicalHits
    passage_dense: Hits
    passage_bm25: LexicalHits
    passage_scores: Hits
    candidates: np.ndarray  # sentence ids, best first-stage score first
    first_stage: np.ndarray  # the candidates' first-stage scores
    features: np.ndarray  # one row per candidate, columns as FEATURES


class SentenceTerms:
    """The terms of sentences, their neighbours and passages, cached."""

    def __init__(self, index: Index) -> None:
        self.index = index
        sentences = index.sentences
        self.parent = sentences.numbers("passage")
        self._first_sentence = index.passages.numbers("first_sentence")
        self._sentence_count = index.passages.numbers("sentence_count")
        same = self.parent[1:] == self.parent[:-1] if len(sentences) else np.zeros(0, bool)
        ids = np.arange(len(sentences))
        self.previous = np.where(np.r_[False, same], ids - 1, ids)
        self.next = np.where(np.r_[same, False], ids + 1, ids)
        self.of_sentence = lru_cache(maxsize=100_000)(lambda i: frozenset(terms(sentences[i].text)))
        self.of_passage = lru_cache(maxsize=100_000)(lambda p: frozenset(terms(index.passages[p].text)))
        self.bigrams_of = lru_cache(maxsize=100_000)(lambda i: bigrams(sentences[i].text))
        self.of_article = lru_cache(maxsize=10_000)(self._article_terms)
        self.of_title = lru_cache(maxsize=10_000)(lambda file: frozenset(terms(index.file_titles.get(file, ""))))
        self.files, self._file_of_passage = index.passages.files()
        self._file_place = {name: place for place, name in enumerate(self.files)}
        self.articles_with = lru_cache(maxsize=10_000)(self._find_articles_with)

    def sentences_of(self, passages: np.ndarray) -> np.ndarray:
        """The sentences of ``passages`` (a passage's are numbered in a run)."""
        counts = self._sentence_count[passages]
        starts = np.repeat(self._first_sentence[passages] - np.cumsum(counts) + counts, counts)
        return starts + np.arange(int(counts.sum()))

    def _find_articles_with(self, term: str) -> frozenset[int]:
        """The places (in ``files``) of the articles with ``term`` in a passage."""
        found = []
        for counts, numbers in self.index.passage_bm25.parts:
            passages = numbers[counts.postings(term)[0]]
            found.append(self._file_of_passage[passages[passages >= 0]])
        return frozenset(np.unique(np.concatenate(found)).tolist()) if found else frozenset()

    def _article_terms(self, file: str) -> "ArticleTerms":
        return ArticleTerms(self, self._file_place.get(file, -1))

    def window(self, i: int) -> frozenset[str]:
        """Terms of sentence ``i`` and of its neighbours in the passage."""
        return self.of_sentence(i) | self.of_sentence(int(self.previous[i])) | self.of_sentence(int(self.next[i]))

    def window_text(self, i: int) -> str:
        """Sentence ``i`` after the one before it in its passage."""
        sentences = self.index.sentences
        before = int(self.previous[i])
        return sentences[i].text if before == i else f"{sentences[before].text} {sentences[i].text}"


class ArticleTerms:
    """The terms of one article's passages, as a set to test terms against
    (``term in it``), answered from the BM25 postings: nothing is read per
    passage, however long the article."""

    def __init__(self, known: SentenceTerms, place: int) -> None:
        self._known = known
        self._place = place

    def __contains__(self, term: str) -> bool:
        return self._place in self._known.articles_with(term)


def term_statistics(index: Index, question_terms) -> tuple[dict[str, int], dict[str, float]]:
    """How many sentences hold each question term, and its inverse document frequency."""
    frequencies = index.sentence_bm25.document_frequencies(set(question_terms))
    size = len(index.sentences)
    return frequencies, {t: idf(f, size) for t, f in frequencies.items()}


def _coverage_by_postings(question_terms: set[str], weight: dict[str, float], lexical: LexicalHits,
                          *rows: np.ndarray) -> np.ndarray:
    """:func:`coverage` of the terms of each row of ``rows[0]`` together
    with the same place in the other arrays (rows of the set ``lexical``
    searched), read from the question terms' posting lists instead of the
    rows' text; summed in the same order, so to the same values."""
    total, found = 0.0, np.zeros(len(rows[0]), dtype=np.float64)
    for term in sorted(question_terms):
        total += weight[term]
        held = np.logical_or.reduce([lexical.match.holds(term, some) for some in rows])
        found += np.where(held, weight[term], 0.0)
    return found / total if total else found


def candidate_features(query: str, question_terms, weight: dict[str, float], vector: np.ndarray,
                       candidates: np.ndarray, known: SentenceTerms, sd: Hits, sb: LexicalHits, pd: Hits,
                       pb: LexicalHits) -> np.ndarray:
    """One row of :data:`FEATURES` per candidate sentence."""
    index = known.index
    parents = known.parent[candidates]
    sentence_dense, sentence_bm25 = sd.at(candidates), sb.at(candidates)
    passage_dense, passage_bm25 = pd.at(parents), pb.at(parents)
    question_terms = set(question_terms)
    question_words = set(words(query))
    question_bigrams = bigrams(query)
    kind = answer_kind(query)
    window_dense = index.vectors_of("windows", candidates) @ vector
    # Read from the posting lists: no passage or neighbouring sentence is stemmed.
    passage_coverage = _coverage_by_postings(question_terms, weight, pb, parents)
    window_coverage = _coverage_by_postings(question_terms, weight, sb, candidates,
                                            known.previous[candidates], known.next[candidates])
    by_file: dict[str, tuple[float, float]] = {}  # article and title coverage, once per article
    rows = []
    for n, (i, window_sim) in enumerate(zip(candidates, window_dense)):
        i = int(i)
        own = known.of_sentence(i)
        sentence = index.sentences[i]
        text, file = sentence.text, sentence.file
        if file not in by_file:
            by_file[file] = (coverage(question_terms, known.of_article(file), weight),
                             coverage(question_terms, known.of_title(file), weight))
        rows.append((
            sentence_bm25[n], passage_dense[n], passage_bm25[n],
            coverage(question_terms, own, weight),
            len(own - question_terms) / max(len(own), 1),
            float(offers_kind(text, kind, question_words)),
            math.log1p(len(text.split())),
            window_coverage[n],
            sentence_dense[n], window_sim,
            len(question_bigrams & known.bigrams_of(i)) / max(len(question_bigrams), 1),
            float(known.previous[i] == i),
            passage_coverage[n],
            *by_file[file],
        ))
    made = len(_SIMILARITIES) + len(_SQUARED)
    plain = np.array(rows, dtype=np.float64).reshape(len(rows), len(FEATURES) - made)
    unmatched = 1.0 - plain[:, _COVERAGE].max(initial=0.0)
    return np.hstack([plain, unmatched * plain[:, _SIMILARITIES], plain[:, _SQUARED] ** 2])
