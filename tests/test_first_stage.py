"""The first stage scores only the rows some evidence names (the dense hits,
the texts holding a question term, the sentences of the best passages), and
finds the same best sentences as scoring every sentence would."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from support import NONSENSE_WORDS, nonsense_corpus, write_seeds

from qabot.answering import Answerer
from qabot.answering.candidates import Hits, dense_hits, top
from qabot.bot import Bot
from qabot.embedding.embedder import HashingEmbedder
from qabot.index.lexical import Bm25, terms

WORDS = NONSENSE_WORDS


def _corpus(seed: int = 7, articles: int = 40) -> dict[str, str]:
    return nonsense_corpus(seed, articles)


@pytest.fixture(scope="module")
def answerer(tmp_path_factory):
    root = tmp_path_factory.mktemp("first-stage")
    seeds = write_seeds(root / "seeds", _corpus())
    bot = Bot.open(seeds, root / "embeddings", embedder=HashingEmbedder())
    assert len(bot.answerer.index.sentences) > 3 * 256  # more rows than any hit list
    return bot.answerer


def _every_sentence(answerer: Answerer, question: str) -> np.ndarray:
    """The best candidates when every sentence is scored (as before)."""
    index, known, weights = answerer.index, answerer.known, answerer.weights.first_stage
    vector = answerer.embedder.encode([question])[0]
    question_terms = terms(question)
    every = []
    for which, bm25 in (("sentences", index.sentence_bm25), ("passages", index.passage_bm25)):
        hits = dense_hits(index, which, vector)
        dense = np.zeros(index.rows(which), np.float32)
        dense[hits.ids] = hits.values
        lexical = bm25.scores(question_terms)
        every += [dense, lexical / lexical.max() if lexical.max() > 0 else lexical]
    sd, sb, pd, pb = every
    scores = weights[0] * sd + weights[1] * sb + (weights[2] * pd + weights[3] * pb)[known.parent]
    return top(scores, answerer.weights.candidates)


def test_the_pool_finds_the_best_sentences_of_all(answerer):
    rng = random.Random(3)
    questions = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 6))) + "?" for _ in range(60)]
    same = 0
    for question in questions:
        evidence = answerer.evidence(question)
        expected = _every_sentence(answerer, question)
        same += list(evidence.candidates) == list(expected)
        assert evidence.candidates[0] == expected[0], question
    assert same == len(questions)


def test_no_question_scores_every_text(answerer, monkeypatch):
    def refuse(self, query):
        raise AssertionError("every text was scored")

    monkeypatch.setattr(Bm25, "scores", refuse)
    answer = answerer.ask("talak morib venon kasur?")
    assert answer.passages


@given(st.lists(st.tuples(st.integers(0, 40), st.floats(0.01, 1.0)), unique_by=lambda pair: pair[0]),
       st.lists(st.integers(0, 60), max_size=30))
def test_hits_give_each_row_its_score_or_zero(pairs, rows):
    ids = np.array([i for i, _ in pairs], dtype=np.int64)
    values = np.array([v for _, v in pairs], dtype=np.float32)
    scores = dict(pairs)
    found = Hits(ids, values).at(np.array(rows, dtype=np.int64))
    assert found.tolist() == [np.float32(scores.get(row, 0.0)) for row in rows]


@given(st.lists(st.lists(st.sampled_from(WORDS[:12]), min_size=1, max_size=8), min_size=1, max_size=30),
       st.lists(st.sampled_from(WORDS[:14]), min_size=1, max_size=5),
       st.lists(st.integers(0, 29), max_size=12))
def test_a_match_scores_like_scoring_every_text(texts, query, rows):
    from qabot.index.lexical import TermCounts

    counts = TermCounts.build([" ".join(text) for text in texts])
    bm25 = Bm25([(counts, np.arange(len(texts), dtype=np.int64))])
    every = bm25.scores(query)
    match = bm25.match(query)
    ids, values = match.found()
    assert len(set(ids.tolist())) == len(ids)
    assert sorted(ids.tolist()) == np.flatnonzero(every).tolist()
    assert np.array_equal(values, every[ids])
    rows = np.array([row for row in rows if row < len(texts)], dtype=np.int64)
    assert np.array_equal(match.of(rows), every[rows])  # any text's score, looked up
    ids_again, values_again = bm25.match(query).found()  # the scratch arrays were cleared
    assert np.array_equal(np.sort(ids_again), np.sort(ids)) and np.array_equal(np.sort(values_again), np.sort(values))


def test_sentences_of_passages_are_their_runs(answerer):
    known, index = answerer.known, answerer.index
    passages = np.array([0, 5, 17, len(index.passages) - 1])
    expected = [s.id for p in passages for s in index.sentences if s.passage == p]
    assert known.sentences_of(passages).tolist() == expected
