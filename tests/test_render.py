"""How an answer with a short answer is written out: the `short_answer` field
of `qabot ask --json`, and the `A:` line of the text form (no model needed)."""

from __future__ import annotations

import dataclasses
import json

import pytest

from qabot.answering import Answer, Citation, ScoredPassage, ShortAnswer
from qabot.cli.render import answer_json, answer_text
from qabot.index.records import Passage, Sentence

ARTICLE = (
    "Harbour News\n\n"
    "The cranes were painted bright orange by the port workers last spring. Workers liked the colour.\n"
)
SENTENCE = "The cranes were painted bright orange by the port workers last spring."
SHORT = "bright orange"


def short_of(text: str) -> ShortAnswer:
    start = ARTICLE.index(text)
    return ShortAnswer(text, start, start + len(text))


@pytest.fixture
def answer() -> Answer:
    """An answer citing SENTENCE, with no short answer yet."""
    text = ARTICLE.split("\n\n")[1].rstrip("\n")
    start = ARTICLE.index(text)
    passage = Passage(0, "harbour.txt", "Harbour News", start, start + len(text), 3, text, "h0", 0, 2)
    at = ARTICLE.index(SENTENCE)
    sentence = Sentence(0, 0, "harbour.txt", at, at + len(SENTENCE), 3, SENTENCE)
    citation = Citation("seeds/harbour.txt", "Harbour News", 3, sentence.start, sentence.end)
    return Answer("What colour were the cranes painted?", sentence, passage, citation, 0.91,
                  [ScoredPassage(passage, "seeds/harbour.txt", 0.8)])


@pytest.fixture
def short(answer: Answer) -> Answer:
    return dataclasses.replace(answer, short_answer=short_of(SHORT))


# --- JSON --------------------------------------------------------------------------------------

def test_json_has_the_short_answer_right_after_the_answer(short: Answer):
    obj = answer_json(short)
    assert list(obj)[:3] == ["question", "answer", "short_answer"]
    assert obj["short_answer"] == {"text": SHORT, "start": ARTICLE.index(SHORT), "end": ARTICLE.index(SHORT) + len(SHORT)}
    found = obj["short_answer"]
    assert ARTICLE[found["start"]:found["end"]] == found["text"]
    assert obj["source"]["start"] <= found["start"] < found["end"] <= obj["source"]["end"]
    assert json.loads(json.dumps(obj)) == obj


def test_json_short_answer_is_null_without_one(answer: Answer):
    obj = answer_json(answer)
    assert list(obj) == ["question", "answer", "short_answer", "abstained", "unsure", "confidence", "truncated",
                         "source", "passages"]
    assert obj["short_answer"] is None


def test_json_short_answer_is_null_for_a_refusal(short: Answer):
    refusal = dataclasses.replace(short, sentence=None, passage=None, citation=None, reason="The article doesn't say.")
    obj = answer_json(refusal)
    assert list(obj)[:3] == ["question", "answer", "short_answer"]
    assert obj["answer"] is None and obj["short_answer"] is None and obj["abstained"] is True


# --- text --------------------------------------------------------------------------------------

def test_text_prints_the_short_answer_first_then_the_sentence(short: Answer):
    lines = answer_text(short).splitlines()
    assert lines[:4] == [
        "Q: What colour were the cranes painted?",
        f"A: {SHORT}",
        f"   sentence: {SENTENCE}",
        "   source: seeds/harbour.txt:3 (characters 14-84) · Harbour News",
    ]


def test_text_without_a_short_answer_is_unchanged(answer: Answer):
    lines = answer_text(answer).splitlines()
    assert lines[:3] == [
        "Q: What colour were the cranes painted?",
        f"A: {SENTENCE}",
        "   source: seeds/harbour.txt:3 (characters 14-84) · Harbour News",
    ]
    assert not any("sentence:" in line for line in lines)


def test_a_blank_short_answer_is_not_printed(answer: Answer):
    blank = dataclasses.replace(answer, short_answer=ShortAnswer("  ", 14, 16))
    assert answer_text(blank) == answer_text(answer)


def test_the_short_answer_cannot_drive_the_terminal(answer: Answer):
    nasty = dataclasses.replace(answer, short_answer=ShortAnswer("\x1b[2Jorange\u202e\x07\nnow", 38, 44))
    out = answer_text(nasty)
    assert "\x1b" not in out and "\u202e" not in out and "\x07" not in out
    assert out.splitlines()[1] == "A: ␛[2Jorange\ufffd␇ now"


# --- the command, in-process, with the bot replaced ----------------------------------------------

class ScriptedBot:
    """Stands in for the Bot: answers every question with ``answer``."""

    embedder = None

    def __init__(self, answer: Answer) -> None:
        self.answer = answer

    def ask(self, question: str, k: int = 3, context: str | None = None, articles=()) -> Answer:
        return dataclasses.replace(self.answer, question=question)

    def close(self) -> None:
        pass


@pytest.fixture
def scripted(monkeypatch):
    from qabot.bot import Bot

    def use(answer: Answer) -> None:
        monkeypatch.setattr(Bot, "open", classmethod(lambda cls, *args, **kwargs: ScriptedBot(answer)))

    return use


def test_ask_prints_the_short_answer_first(workdir, cli, no_model, scripted, short: Answer):
    scripted(short)
    result = cli("ask", "What colour were the cranes painted?")
    assert result.code == 0, result
    assert result.out.splitlines()[1:3] == [f"A: {SHORT}", f"   sentence: {SENTENCE}"]


def test_ask_json_carries_the_short_answer(workdir, cli, no_model, scripted, short: Answer, answer: Answer):
    scripted(short)
    [obj] = [json.loads(line) for line in cli("ask", "What colour?", "--json").out.splitlines()]
    assert obj["short_answer"]["text"] == SHORT
    scripted(answer)
    [obj] = [json.loads(line) for line in cli("ask", "What colour?", "--json").out.splitlines()]
    assert "short_answer" in obj and obj["short_answer"] is None
