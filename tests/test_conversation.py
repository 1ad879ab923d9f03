"""Conversations: follow-ups are searched with the turn they lean on;
stand-alone questions are answered as if asked alone."""

from __future__ import annotations

import json

import pytest
from support import REPO

from qabot.bot import Bot
from qabot.conversation import MAX_TURNS, Conversation, leans_on_context


class RecordingAsker:
    """Stands in for an Answerer: remembers each question and its context."""

    def __init__(self) -> None:
        self.queries: list[tuple[str, str | None]] = []

    def ask(self, question, k=3, context=None, articles=()):
        from qabot.answering import Answer

        self.queries.append((question, context))
        return Answer(question, None, None, None, 0.0, [])


@pytest.mark.parametrize("question", [
    "What did he say Iran does not seek?",
    "Where was she born?",
    "How far from Baghdad is it?",
    "What did they call the attack?",
    "Where were its positions hit?",
    "When did HE plan to make a statement?",
    "What happened there?",
    "Why did that happen to them?",
])
def test_questions_that_lean_on_context(question):
    assert leans_on_context(question)


@pytest.mark.parametrize("question", [
    "Who is Iran's foreign minister?",
    "How many missiles did Iran fire?",
    "Where is Ithaca?",            # "it" inside a word
    "What is the theme of the Hebrides?",  # "the", "he" inside words
    "Which base lies west of Baghdad?",
    "Who won the 2018 World Cup?",
])
def test_stand_alone_questions(question):
    assert not leans_on_context(question)


def test_follow_up_is_asked_with_the_previous_question_as_context():
    asker = RecordingAsker()
    chat = Conversation(asker)
    chat.ask("Who is Iran's foreign minister?")
    chat.ask("What did he say?")
    assert asker.queries == [
        ("Who is Iran's foreign minister?", None),
        ("What did he say?", "Who is Iran's foreign minister?"),
    ]


def test_context_carries_the_names_the_previous_answer_gave():
    from qabot.answering import Answer
    from qabot.conversation import context_of
    from qabot.index.records import Sentence

    sentence = Sentence(0, 0, "a.txt", 0, 10, 1, "Foreign Minister Mohammad Javad Zarif spoke in Tehran.")
    previous = Answer("Who is Iran's foreign minister?", sentence, None, None, 0.9, [])
    context = context_of(previous)
    assert context.startswith("Who is Iran's foreign minister?")
    assert "Mohammad Javad Zarif" in context and "Tehran" in context


def test_stand_alone_question_ignores_history():
    asker = RecordingAsker()
    chat = Conversation(asker)
    chat.ask("Who is Iran's foreign minister?")
    chat.ask("How many missiles did Iran fire?")
    assert asker.queries[-1] == ("How many missiles did Iran fire?", None)


def test_first_question_never_leans_and_reset_forgets():
    asker = RecordingAsker()
    chat = Conversation(asker)
    chat.ask("What did he say?")
    assert asker.queries[-1][1] is None
    chat.ask("Who chairs the committee?")
    chat.reset()
    assert chat.turns == []
    chat.ask("What did he say?")
    assert asker.queries[-1][1] is None


def test_history_is_capped():
    chat = Conversation(RecordingAsker())
    for n in range(MAX_TURNS + 4):
        chat.ask(f"Question number {n}?")
    assert len(chat.turns) == MAX_TURNS
    assert chat.turns[-1].question == f"Question number {MAX_TURNS + 3}?"


# --- the real model ---------------------------------------------------------------------

@pytest.fixture
def model_bot(shipped_copy, real_model):
    seeds, index = shipped_copy
    return Bot.open(seeds, index, real_model)


def seed_questions() -> list[str]:
    rows = [json.loads(line) for line in (REPO / "evals" / "seed.jsonl").read_text().splitlines() if line.strip()]
    return [row["question"] for row in rows if "question" in row and row.get("answerable", True)]


@pytest.mark.model
def test_stand_alone_questions_get_the_same_answer_after_other_turns(model_bot):
    """Every answerable seed question names what it asks about: an earlier
    turn on another subject must not change its answer."""
    earlier_turns = ("Who is Iran's foreign minister?", "Where is the Al-Asad base?",
                     "What is the capital of France?")
    changed = []
    for number, question in enumerate(seed_questions()):
        alone = model_bot.ask(question)
        earlier = earlier_turns[number % len(earlier_turns)]
        chat = model_bot.conversation()
        chat.ask(earlier)
        after = chat.ask(question)
        if (after.text, after.abstained) != (alone.text, alone.abstained):
            changed.append(f"{question!r} after {earlier!r}: {alone.text!r} -> {after.text!r}")
    assert not changed, "\n".join(changed)


@pytest.mark.model
def test_follow_up_resolves_the_pronoun(model_bot):
    chat = model_bot.conversation()
    first = chat.ask("Who is Iran's foreign minister?")
    assert "Zarif" in first.text
    follow_up = chat.ask("What did he say Iran does not seek?")
    assert follow_up.text and "escalation or war" in follow_up.text
