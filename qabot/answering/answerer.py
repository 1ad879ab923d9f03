"""The answerer: the stages of answering, composed.

1. The first stage scores the sentences some evidence names, cheaply
   (:mod:`.candidates`).
2. The best few are ranked on richer evidence (:mod:`.features`) with
   weights fitted on SQuAD (:mod:`.weights`).
3. A key term of the question that no article mentions declines at once,
   saying which (:mod:`.missing`).
4. The reader (:mod:`qabot.reader`) reads the best few sentences, each
   with its neighbours: where the answer is in each, or that there is
   none. Its finding joins the ranking of those few, and gives the short
   answer inside the chosen sentence.
5. The judge gives the chance that the chosen sentence answers
   (:mod:`.judge`), from the word evidence and the reader's; below the
   threshold the bot declines, and still lists the closest passages.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from functools import cached_property
from pathlib import Path

import numpy as np

from qabot.answering.answer import Answer, Citation, ScoredPassage, ShortAnswer
from qabot.answering.candidates import DENSE_HITS, MODES, Hits, LexicalHits, dense_hits, first_stage, lexical_hits, top
from qabot.answering.features import Evidence, SentenceTerms, candidate_features, term_statistics
from qabot.answering.judge import Judge, chosen_features, load_judge, reader_features
from qabot.answering.missing import MissingTerms
from qabot.answering.question import clean_question, cleaned_question
from qabot.answering.weights import Weights
from qabot.articles.files import known_articles
from qabot.articles.quotes import ArticleTexts
from qabot.embedding.embedder import Embedder
from qabot.errors import UnknownArticleError
from qabot.index.lexical import terms
from qabot.index.loaded import Index
from qabot.reader.model import OnnxReader, shipped_reader
from qabot.reader.spans import Reading, short_range
from qabot.reader.tokens import bundled_tokenizer, token_counter
from qabot.reader.windows import Window, window_around
from qabot.wording import not_answered, not_mentioned


class Answerer:
    """Answers questions from one index with one embedder."""

    def __init__(self, index: Index, embedder: Embedder, seeds: Path,
                 mode: str = "hybrid", weights: Weights = Weights(), judge: Judge | None = None,
                 reader: OnnxReader | None = None) -> None:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}")
        self.index = index
        self.embedder = embedder
        self.seeds = seeds
        self.mode = mode
        self.weights = weights
        self._judge = judge
        self._reader = reader
        self.known = SentenceTerms(index)
        self.missing = MissingTerms(index)
        self.articles = ArticleTexts(seeds, extracted=index.page_text)

    @cached_property
    def _helpers(self) -> ThreadPoolExecutor:
        """Threads for the work of a question that need not wait in line:
        BM25 (which does not need the question's vector, so it runs while
        the model embeds the question) and the passage search (beside the
        sentence search). Most of it is numpy and FAISS, which let go of
        the interpreter lock, so the second core does its share."""
        return ThreadPoolExecutor(2, thread_name_prefix="qabot-evidence")

    @property
    def judge(self) -> Judge:
        """The judge given, or the shipped one (read on first use)."""
        if self._judge is None:
            self._judge = load_judge()
        return self._judge

    @property
    def reader(self) -> OnnxReader:
        """The reader given, or the shipped one (read on first use)."""
        if self._reader is None:
            self._reader = shipped_reader()
        return self._reader

    @cached_property
    def _count_tokens(self):
        return token_counter(bundled_tokenizer())

    def window(self, sentence: int) -> Window:
        """What the reader reads for ``sentence``: it and its neighbours."""
        known = self.known
        return window_around(sentence, self.index.sentences, int(known.previous[sentence]),
                             int(known.next[sentence]), self._count_tokens)

    def read(self, question: str, ranked: np.ndarray) -> tuple[list[Window], list[Reading]]:
        """The reader's readings of the best-ranked sentences."""
        windows = [self.window(int(i)) for i in ranked[:self.weights.reader_reads]]
        return windows, self.reader.read(question, windows)

    def choose(self, scores: np.ndarray, readings: list[Reading]) -> int:
        return chosen_place(scores, readings, self.weights.reader_ranking)

    @property
    def several_articles(self) -> bool:
        return len(self.index.file_titles) > 1

    def display_path(self, name: str) -> str:
        return str(self.seeds / name)

    def evidence(self, query: str, context: str | None = None, articles: tuple[str, ...] = ()) -> Evidence:
        """Measure ``query`` against the index (see :data:`FEATURES`).

        ``context`` (earlier turns of a conversation) helps find the passage,
        read together with the query; sentences are judged on the query alone.
        ``articles`` (names the index holds): only their passages and
        sentences are candidates; () for all.
        """
        self.index.check_store()
        rows = self.index.article_rows(articles) if articles else {}
        where = f"{query} {context}" if context else query
        question_terms = terms(query)
        lexical = self._helpers.submit(self._lexical, question_terms, terms(where) if context else question_terms,
                                       rows)
        vectors = self.embedder.encode([query, where] if context else [query])
        vector, where_vector = vectors[0], vectors[-1]
        passages = self._helpers.submit(dense_hits, self.index, "passages", where_vector, rows.get("passages"))
        sd = dense_hits(self.index, "sentences", vector, rows.get("sentences"))
        pd = passages.result()
        sb, pb = lexical.result()
        first = first_stage(self.mode, self.weights.first_stage, self.known, sd, sb, pd, pb, self.weights.candidates)
        frequencies, weight = term_statistics(self.index, question_terms)
        features = candidate_features(query, question_terms, weight, vector, first.sentences, self.known,
                                      sd, sb, pd, pb)
        return Evidence(query, question_terms, frequencies, weight, vector, sd, sb, pd, pb,
                        first.passages, first.sentences, first.scores, features)

    def _lexical(self, sentence_terms, passage_terms, rows: dict[str, np.ndarray]) -> tuple[LexicalHits, LexicalHits]:
        """BM25 of the sentences and of the passages (among ``rows`` when
        the question is limited to some articles, else among those a store
        finds best, when the index has one)."""
        index = self.index

        def among(records: str, query_terms) -> np.ndarray | None:
            if records in rows:
                return rows[records]
            return index.best_by_terms(records, query_terms, DENSE_HITS)

        return (lexical_hits(index.sentence_bm25, sentence_terms, among=among("sentences", sentence_terms)),
                lexical_hits(index.passage_bm25, passage_terms, among=among("passages", passage_terms)))

    def rank(self, evidence: Evidence) -> tuple[np.ndarray, np.ndarray]:
        """Candidate sentence ids, best first, and their scores."""
        if self.mode == "hybrid":
            scores = evidence.features @ np.asarray(self.weights.ranking)
        else:
            scores = evidence.first_stage
        order = np.argsort(-scores, kind="stable")
        return evidence.candidates[order], scores[order]

    def judge_features(self, evidence: Evidence, ranked: np.ndarray, scores: np.ndarray,
                       place: int = 0, readings: list[Reading] = ()) -> np.ndarray:
        """The judge's evidence about the sentence at ``place`` in the ranking
        (measured as if it were first), with the reader's ``readings`` of the
        best-ranked sentences."""
        words = chosen_features(evidence, ranked, scores, place, self.known)
        return np.r_[words, reader_features(readings, place)]

    def ask(self, question: str, k: int = 3, context: str | None = None, articles=()) -> Answer:
        """Answer ``question``; ``context`` (earlier turns it leans on, if
        any) helps find the passage; ``articles`` (names relative to the
        seeds folder) limits it to those articles (UnknownArticleError for
        one the index does not hold).

        Every passage and sentence in the answer is checked against its
        article first: QuoteMismatchError when one is not the article's own
        text (the index is damaged or out of date), so a wrong quote is
        never shown.
        """
        question, truncated = cleaned_question(question)
        articles = self.indexed(articles)
        answer = self._answer(question, k, context, articles)
        shown = [scored.passage for scored in answer.passages]
        if answer.sentence is not None:
            shown += [answer.sentence, answer.passage]
            self.articles.check_inside(answer.sentence, answer.passage)
        self.articles.check(shown)
        if articles:
            answer = replace(answer, limited_to=tuple(self.display_path(name) for name in articles))
        return replace(answer, truncated=truncated) if truncated else answer

    def indexed(self, articles) -> tuple[str, ...]:
        """``articles`` (names relative to the seeds folder), each once;
        UnknownArticleError naming one the index does not hold (and the
        ones it does)."""
        articles = tuple(dict.fromkeys(articles))
        known = self.index.file_titles
        for name in articles:
            if name not in known:
                why = ("it was left out of the index (no prose, or not text)"
                       if name in self.index.manifest.get("skipped", {}) else "it is not in the index")
                raise UnknownArticleError(f"{self.display_path(name)!r} cannot be asked about: {why}; "
                                          f"{known_articles(self.seeds, sorted(known))}")
        return articles

    def _answer(self, question: str, k: int, context: str | None, articles: tuple[str, ...] = ()) -> Answer:
        context = clean_question(context) if context and context.strip() else None
        if not self.index.sentences:
            return Answer(question, None, None, None, 0.0, [], reason=not_answered(False))
        several = len(articles) > 1 if articles else self.several_articles
        evidence = self.evidence(question, context, articles)
        ranked_ids, scores = self.rank(evidence)
        ranked = [self.index.sentences[i] for i in ranked_ids[:10]]
        scored = self._top_passages(evidence.passage_scores, k)
        missing = self.missing.of(question)
        if not missing and not len(ranked_ids):  # every row a store returned was no longer live
            return Answer(question, None, None, None, 0.0, scored, ranked, reason=not_answered(several))
        if missing:
            return Answer(question, None, None, None, 0.0, scored, ranked,
                          reason=not_mentioned(missing, several), missing=tuple(missing))
        windows, readings = self.read(question, ranked_ids)
        place = self.choose(scores, readings)
        verdict = self.judge.verdict(self.judge_features(evidence, ranked_ids, scores, place, readings))
        confidence = verdict.chance
        threshold = self.weights.abstain_below
        if verdict.declines if threshold is None else confidence < threshold:
            return Answer(question, None, None, None, confidence, scored, ranked,
                          reason=not_answered(several))
        best = self.index.sentences[int(ranked_ids[place])]
        if place:
            ranked = [best] + [s for s in ranked if s.id != best.id]
        passage = self.index.passages[best.passage]
        citation = Citation(self.display_path(best.file), passage.title, best.line, best.start, best.end)
        short = short_answer(windows[place], readings[place]) if readings else None
        return Answer(question, best, passage, citation, confidence, scored, ranked, short_answer=short)

    def _top_passages(self, scores: Hits, k: int) -> list[ScoredPassage]:
        best = top(scores.values, max(k, 0))
        passages = self.index.passages
        return [ScoredPassage(passages[i], self.display_path(passages[i].file), float(score))
                for i, score in zip(scores.ids[best], scores.values[best])]


def chosen_place(scores: np.ndarray, readings: list[Reading], weight: float) -> int:
    """The place (in the ranking) of the sentence chosen among those read:
    the ranking's score with the reader's finding (its best span in the
    sentence over "no answer") added with ``weight``."""
    if not readings:
        return 0
    found = np.array([r.center_margin for r in readings])
    return int(np.argmax(scores[:len(readings)] + weight * found))


def short_answer(window: Window, reading: Reading) -> ShortAnswer | None:
    """The reader's span inside the chosen sentence, in the article's
    characters (see :func:`qabot.reader.spans.short_range`)."""
    found = short_range(window.text, window.center_range, reading.in_center)
    if found is None:
        return None
    start, end = window.in_article(found[0]), window.in_article(found[1])
    return ShortAnswer(window.text[found[0]:found[1]], start, end)
