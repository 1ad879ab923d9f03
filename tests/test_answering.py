"""Answering: the answer is a verbatim sentence whose citation slices the
article; weak evidence is declined; questions are cleaned."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from support import SHIPPED_SEEDS, write_seeds

from qabot.answering import MAX_QUESTION_CHARS, Answerer, Weights, clean_question
from qabot.bot import Bot
from qabot.embedding.embedder import HashingEmbedder
from qabot.errors import BadQuestionError
from qabot.index.build import update_index
from qabot.index.loaded import Index

ENGEL = "Who chairs the House Foreign Affairs Committee?"


@pytest.fixture(scope="module")
def hashing_bot(tmp_path_factory):
    """A bot over a copy of the shipped article, with the hashing embedder."""
    root = tmp_path_factory.mktemp("answering")
    shutil.copytree(SHIPPED_SEEDS, root / "seeds")
    return Bot.open(root / "seeds", root / "index", HashingEmbedder())


def answerer(bot, **weights) -> Answerer:
    return Answerer(bot.answerer.index, bot.embedder, bot.seeds, weights=Weights(**weights))


# --- clean_question -----------------------------------------------------------------

@pytest.mark.parametrize("raw, cleaned", [
    ("  Who   is\tZarif?\n", "Who is Zarif?"),
    ("Who\x00is\x07Zarif\x1b?", "Who is Zarif ?"),
    ("Wer ist Zarif\u200b?", "Wer ist Zarif ?"),
    ("Où est la base ?", "Où est la base ?"),
])
def test_clean_question(raw, cleaned):
    assert clean_question(raw) == cleaned


@pytest.mark.parametrize("raw", ["", "   ", "\n\t", "\x00\x01\x02", "?!", "…"])
def test_empty_questions_are_refused(raw):
    with pytest.raises(BadQuestionError):
        clean_question(raw)


def test_long_questions_are_cut():
    cleaned = clean_question("why " * 25_000)
    assert len(cleaned) <= MAX_QUESTION_CHARS and cleaned.startswith("why why")


def test_question_after_a_long_run_of_control_characters_is_kept():
    """Control characters count as nothing: the words after them are the question."""
    assert clean_question("\x00" * 10_000 + "Who is Zarif?") == "Who is Zarif?"


# --- answers ---------------------------------------------------------------------------

def test_answer_is_a_cited_verbatim_sentence(hashing_bot):
    answer = hashing_bot.ask(ENGEL)
    assert not answer.abstained and answer.text.startswith("Eliot Engel, chairman")
    c = answer.citation
    assert c.file == str(hashing_bot.seeds / "iran-missiles-iraq-bases.txt")
    text = Path(c.file).read_text(encoding="utf-8")
    assert text[c.start:c.end] == answer.text
    assert c.line == text.count("\n", 0, c.start) + 1 == 27
    assert c.title == "Iran Fires Missiles at 2 Iraqi Air Bases Housing US Forces, Pentagon Says"
    assert answer.sentence.passage == answer.passage.id
    assert answer.passage.start <= c.start < c.end <= answer.passage.end
    assert answer.ranked_sentences[0] == answer.sentence
    assert 0.5 <= answer.confidence <= 1.0


@pytest.mark.parametrize("k, expected", [(0, 0), (1, 1), (3, 3), (5, 5), (100, None)])
def test_k_passages_best_first(hashing_bot, k, expected):
    answer = hashing_bot.ask(ENGEL, k=k)
    expected = len(hashing_bot.answerer.index.passages) if expected is None else expected
    assert len(answer.passages) == expected
    scores = [p.score for p in answer.passages]
    assert scores == sorted(scores, reverse=True)
    assert len({p.passage.id for p in answer.passages}) == expected
    for scored in answer.passages:
        text = Path(scored.file).read_text(encoding="utf-8")
        assert text[scored.passage.start:scored.passage.end] == scored.passage.text


def test_off_topic_question_is_declined_with_closest_passages(hashing_bot):
    answer = hashing_bot.ask("Who painted the Mona Lisa?")
    assert answer.abstained and answer.text is None and answer.citation is None and answer.passage is None
    assert answer.reason == "The article doesn't mention Mona Lisa."
    assert len(answer.passages) == 3 and answer.ranked_sentences


def test_threshold_decides_between_answer_and_refusal(hashing_bot):
    never = answerer(hashing_bot, abstain_below=1.01).ask(ENGEL)
    always = answerer(hashing_bot, abstain_below=0.0).ask("How do I change a flat tire?")
    assert never.abstained and never.passages and never.ranked_sentences
    assert never.reason == "The article doesn't say." and never.missing == ()
    assert not always.abstained and always.text == always.ranked_sentences[0].text
    # a key term no article mentions declines whatever the threshold
    assert answerer(hashing_bot, abstain_below=0.0).ask("Who painted the Mona Lisa?").missing == ("Mona Lisa",)


@pytest.mark.parametrize("mode", ["hybrid", "dense", "bm25"])
def test_every_mode_finds_the_sentence(hashing_bot, mode):
    a = Answerer(hashing_bot.answerer.index, hashing_bot.embedder, hashing_bot.seeds, mode=mode)
    assert a.ask(ENGEL).ranked_sentences[0].text.startswith("Eliot Engel")


def test_unknown_mode_is_refused(hashing_bot):
    with pytest.raises(ValueError):
        Answerer(hashing_bot.answerer.index, hashing_bot.embedder, hashing_bot.seeds, mode="magic")


def test_answers_are_deterministic(hashing_bot):
    first, second = hashing_bot.ask(ENGEL), hashing_bot.ask(ENGEL)
    assert (first.text, first.confidence, [p.passage.id for p in first.passages]) == (
        second.text, second.confidence, [p.passage.id for p in second.passages])


def test_huge_and_control_character_questions_are_answered(hashing_bot):
    huge = hashing_bot.ask(ENGEL + " committee" * 12_000)
    assert len(huge.question) <= MAX_QUESTION_CHARS
    noisy = hashing_bot.ask("\x1b\x00Who\x07 chairs\x08 the House\r\nForeign Affairs Committee?\x7f")
    assert noisy.question == "Who chairs the House Foreign Affairs Committee?"
    assert noisy.text == hashing_bot.ask(ENGEL).text


def test_bad_question_raises(hashing_bot):
    with pytest.raises(BadQuestionError):
        hashing_bot.ask(" \x00 ")


def test_index_without_sentences_declines(tmp_path):
    seeds = write_seeds(tmp_path / "seeds", {"a.txt": "Title only\n\nShare\n"})
    update_index(seeds, tmp_path / "index", HashingEmbedder())
    index = Index.load(tmp_path / "index")
    assert len(index.sentences) == 0
    answer = Answerer(index, HashingEmbedder(), seeds).ask("Anything at all?")
    assert answer.abstained and answer.confidence == 0.0 and answer.passages == []


def test_rebuild_swaps_in_the_new_index(hashing_bot, tmp_path):
    seeds = write_seeds(tmp_path / "seeds", {"a.txt": "Harbour News\n\nThe harbour master is Ada Lovelace, who took office in May.\n"})
    bot = Bot.open(seeds, tmp_path / "index", HashingEmbedder())
    assert "Lovelace" in bot.ask("Who is the harbour master?").text
    (seeds / "a.txt").write_text("Harbour News\n\nThe harbour master is Grace Hopper, who took office in June.\n")
    report = bot.rebuild()
    assert report.changed and report.embedded == 1
    assert "Hopper" in bot.ask("Who is the harbour master?").text


# --- the real model ---------------------------------------------------------------------

@pytest.mark.model
def test_model_answers_the_missile_question_with_its_citation(shipped_copy, real_model):
    seeds, index = shipped_copy
    bot = Bot.open(seeds, index, real_model)
    assert bot.last_build is None  # the committed index was used as it is
    answer = bot.ask("How many missiles did Iran fire?")
    assert answer.text.startswith("PENTAGON - Iran fired more than a dozen")
    c = answer.citation
    assert c.line == 7
    assert Path(c.file).read_text(encoding="utf-8")[c.start:c.end] == answer.text


def test_top_scores_are_found_among_many_zeros_and_negatives():
    from qabot.answering.candidates import top as _top

    rng = np.random.default_rng(3)
    for positives in (0, 5, 40, 500):
        scores = np.zeros(5000, dtype=np.float32)
        scores[rng.choice(5000, 300, replace=False)] = -rng.random(300)
        scores[rng.choice(np.flatnonzero(scores == 0), positives, replace=False)] = rng.random(positives) + 0.01
        expected = np.argsort(-scores, kind="stable")[:40]
        assert list(scores[_top(scores, 40)]) == list(scores[expected])
