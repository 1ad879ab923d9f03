"""Questions limited to some articles (`Bot.ask(..., articles=...)`,
`qabot ask --article FILE`): the candidates come from those articles only,
in retrieval, not by filtering an answer found elsewhere."""

from __future__ import annotations

import json
import shutil

import pytest
from support import REPO, SHIPPED_NAME, article, write_seeds

from qabot.answering import Weights
from qabot.bot import Bot
from qabot.embedding.embedder import HashingEmbedder
from qabot.errors import UnknownArticleError

# Every question gets an answer (no refusal), so that where it comes from shows.
ALWAYS_ANSWER = Weights(abstain_below=0.0)
TRAINS_QUESTION = "When does the railway timetable change for passengers at the station platform?"


@pytest.fixture(scope="module")
def two_topics(tmp_path_factory):
    """A bot over a long article about trains and a short one about gardens."""
    root = tmp_path_factory.mktemp("limit")
    seeds = write_seeds(root / "seeds", {
        "trains.txt": article("Railway Timetable Report", "trains", paragraphs=6),
        "garden.txt": article("Garden Report", "garden", paragraphs=2),
        "empty.txt": "",
    })
    return Bot.open(seeds, root / "index", HashingEmbedder(), weights=ALWAYS_ANSWER)


def test_without_a_limit_the_answer_and_every_ranked_sentence_come_from_the_other_article(two_topics):
    answer = two_topics.ask(TRAINS_QUESTION)
    assert answer.sentence.file == "trains.txt"
    # Filtering the best few afterwards would leave nothing from the garden.
    assert {s.file for s in answer.ranked_sentences} == {"trains.txt"}
    assert {p.passage.file for p in answer.passages} == {"trains.txt"}
    assert answer.limited_to == ()


def test_a_limit_takes_the_answer_and_passages_from_the_article_named(two_topics):
    answer = two_topics.ask(TRAINS_QUESTION, articles=["garden.txt"])
    assert answer.sentence.file == "garden.txt"
    assert answer.citation.file.endswith("garden.txt")
    assert answer.ranked_sentences and {s.file for s in answer.ranked_sentences} == {"garden.txt"}
    assert answer.passages and {p.passage.file for p in answer.passages} == {"garden.txt"}
    assert answer.limited_to == (str(two_topics.seeds / "garden.txt"),)


def test_a_limit_to_both_articles_answers_as_without_one(two_topics):
    free = two_topics.ask(TRAINS_QUESTION)
    both = two_topics.ask(TRAINS_QUESTION, articles=["garden.txt", "trains.txt"])
    assert both.sentence == free.sentence


def test_a_follow_up_keeps_the_limit(two_topics):
    chat = two_topics.conversation()
    chat.ask(TRAINS_QUESTION, articles=["garden.txt"])
    answer = chat.ask("What did it say about the timetable?", articles=["garden.txt"])
    assert {s.file for s in answer.ranked_sentences} == {"garden.txt"}


def test_an_article_the_index_does_not_hold_is_refused_listing_those_it_does(two_topics):
    with pytest.raises(UnknownArticleError) as error:
        two_topics.ask(TRAINS_QUESTION, articles=["nowhere.txt"])
    assert "nowhere.txt" in str(error.value)
    assert "garden.txt" in str(error.value) and "trains.txt" in str(error.value)
    with pytest.raises(UnknownArticleError, match="left out of the index"):
        two_topics.ask(TRAINS_QUESTION, articles=["empty.txt"])


def test_files_are_named_as_paths_or_names_in_the_seeds_folder(two_topics, monkeypatch):
    monkeypatch.chdir(two_topics.seeds.parent)
    assert two_topics.article_names(["seeds/garden.txt", "garden.txt", "trains.txt"]) == ("garden.txt", "trains.txt")
    with pytest.raises(UnknownArticleError):
        two_topics.article_names(["../seeds/garden.txt"])


# --- the command line ------------------------------------------------------------------------------

def test_ask_with_an_unknown_article_is_exit_2_listing_the_articles_without_loading_the_model(workdir, cli,
                                                                                               no_model):
    result = cli("ask", "How many missiles did Iran fire?", "--article", "seeds/nowhere.txt")
    assert result.code == 2, result
    assert result.out == ""
    assert "'seeds/nowhere.txt' is not one of the articles" in result.err
    assert f"seeds/{SHIPPED_NAME}" in result.err


def test_article_before_the_command_name_is_refused_for_commands_that_do_not_take_it(workdir, cli, no_model):
    result = cli("--article", SHIPPED_NAME, "index")
    assert result.code == 2
    assert "--article is for the chat window and qabot ask" in result.err


@pytest.mark.model
def test_ask_article_limits_answers_in_ask_and_chat_mode(workdir, cli, shared_model):
    bridge = REPO / "tests" / "pages" / "riverton-bridge.expected.txt"
    shutil.copy(bridge, workdir / "seeds" / "riverton-bridge.txt")
    ribbon = "Who cut a ribbon?"
    free = json.loads(cli("ask", ribbon, "--json").out)
    assert free["source"]["file"] == "seeds/riverton-bridge.txt"
    assert "limited_to" not in free
    limited = cli("ask", ribbon, "--json", "--article", f"seeds/{SHIPPED_NAME}")
    assert limited.code == 0, limited
    answer = json.loads(limited.out)
    assert answer["limited_to"] == [f"seeds/{SHIPPED_NAME}"]
    assert answer["source"] is None or answer["source"]["file"] == f"seeds/{SHIPPED_NAME}"
    assert {p["file"] for p in answer["passages"]} == {f"seeds/{SHIPPED_NAME}"}
    # In chat mode (before the command name, as a name in the seeds folder), each line keeps the limit.
    chat = cli("--article", "riverton-bridge.txt", "ask", "--chat", "--json",
               stdin="How many missiles did Iran fire?\nWho cut a ribbon?\n")
    first, second = (json.loads(line) for line in chat.out.splitlines())
    assert first["source"] is None or first["source"]["file"] == "seeds/riverton-bridge.txt"
    assert second["source"]["file"] == "seeds/riverton-bridge.txt"
    assert first["limited_to"] == second["limited_to"] == ["seeds/riverton-bridge.txt"]
    text = cli("ask", ribbon, "--article", "riverton-bridge.txt").out
    assert "(asked only about seeds/riverton-bridge.txt)" in text
