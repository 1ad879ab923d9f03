"""The missing-term rule: a key name or number of the question that no
article mentions declines the question, and says which."""

from __future__ import annotations

import shutil

import pytest
from support import SHIPPED_SEEDS, write_seeds

from qabot.answering.answerer import not_answered, not_mentioned
from qabot.answering.missing import MissingTerms, alias_groups, key_runs
from qabot.bot import Bot
from qabot.embedding.embedder import HashingEmbedder


@pytest.fixture(scope="module")
def shipped_bot(tmp_path_factory):
    root = tmp_path_factory.mktemp("missing")
    shutil.copytree(SHIPPED_SEEDS, root / "seeds")
    return Bot.open(root / "seeds", root / "index", HashingEmbedder())


@pytest.mark.parametrize("question, runs", [
    ("When did Iran attack Bahrain?", [["Iran"], ["Bahrain"]]),
    ("Did Iran fire missiles at Japan?", [["Iran"], ["Japan"]]),
    ("What did Defense Secretary Mark Esper's aide say in 2019?", [["Defense", "Secretary", "Mark", "Esper"], ["2019"]]),
    ("Where is the Al-Asad base?", [["Al-Asad"]]),
    ("Bahrain?", []),  # the first word may be capitalised only because it opens the question
    ("how many missiles were fired?", []),
    ("Is it The base or a city?", []),  # capitalised stop words are not names
])
def test_key_runs(question, runs):
    assert key_runs(question) == runs


@pytest.mark.parametrize("question, missing", [
    ("When did Iran attack Bahrain?", ["Bahrain"]),
    ("What did the German chancellor say about the strikes?", ["German"]),
    ("How many missiles did Iran fire in 2019?", ["2019"]),
    ("What did Angela Merkel say?", ["Angela Merkel"]),
    ("How many missiles did Iran fire?", []),
    ("What did the Iranian foreign minister say?", []),
    ("What did Iran's foreign minister say?", []),  # possessive
    ("Which Iraqi bases were hit?", []),
    ("Which bases house U.S. troops?", []),
    ("Where do American troops serve?", []),  # "American" is another name of the U.S.
    ("What did Tehran say it does not seek?", []),  # the capital stands for Iran
    ("Who did the Americans blame?", []),  # plural
    ("What did Pompei say?", []),  # one letter away from Pompeo
    ("What did the Iraqis say?", []),  # the people of Iraq
    ("What did Soleimany command?", []),  # Soleimani, misspelt
    ("How many TV crews were at the base?", []),  # short abbreviations are not looked for
    ("How many of the 14 missiles hit?", []),  # nor small numbers
    ("How many missiles hit the base in 1998?", ["1998"]),
])
def test_missing_terms_of_the_shipped_article(shipped_bot, question, missing):
    assert MissingTerms(shipped_bot.answerer.index).of(question) == missing


def test_a_missing_name_declines_and_says_which(shipped_bot):
    answer = shipped_bot.ask("When did Iran attack Bahrain?")
    assert answer.abstained and answer.missing == ("Bahrain",)
    assert answer.reason == "The article doesn't mention Bahrain."
    assert answer.passages and answer.ranked_sentences  # the closest passages are still listed


def test_several_articles_are_spoken_of_in_the_plural(tmp_path, shipped_bot):
    seeds = write_seeds(tmp_path / "seeds", {
        "a.txt": "Harbour News\n\nThe harbour master is Ada Lovelace, who took office in May.\n",
        "b.txt": "Mountain News\n\nThe ski lift opened in December after a long repair.\n",
    })
    answer = Bot.open(seeds, tmp_path / "index", HashingEmbedder()).ask("What did Grace Hopper say?")
    assert answer.reason == "The articles don't mention Grace Hopper."


def test_refusal_wording():
    assert not_mentioned(["Bahrain"], several=False) == "The article doesn't mention Bahrain."
    assert not_mentioned(["Bahrain", "Kuwait"], several=True) == "The articles don't mention Bahrain or Kuwait."
    assert not_mentioned(["Angela Merkel", "Oman"], several=False) == \
        "The article doesn't mention “Angela Merkel” or Oman."
    assert not_answered(several=False) == "The article doesn't say."
    assert not_answered(several=True) == "The articles don't say."


@pytest.mark.parametrize("a, b, most, near", [
    ("genghis", "ghengis", 2, True), ("genghis", "ghengis", 1, False), ("pompeo", "pompei", 1, True),
    ("bahrain", "iran", 2, False), ("", "ab", 2, True), ("abc", "abc", 0, True),
])
def test_within_edits(a, b, most, near):
    from qabot.answering.missing import within_edits

    assert within_edits(a, b, most) is near and within_edits(b, a, most) is near


def test_alias_groups_are_well_formed():
    number_of, groups = alias_groups()
    assert len(groups) > 150 and all(len(group) >= 2 for group in groups)
    united_states = number_of[("american",)]
    assert number_of[("us",)] == number_of[("washington",)] == united_states
    assert number_of[("tehran",)] == number_of[("iran",)] != united_states
