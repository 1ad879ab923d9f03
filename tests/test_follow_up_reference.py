"""A follow-up says what its pointing word was taken to mean (issue 22,
item 9): "What did he say next?" after an unsure answer tells the reader
which "he" the bot searched for, in the Answer, the text of `qabot ask
--chat`, and its JSON. Answers are scripted: no model."""

from __future__ import annotations

import json

import pytest

from qabot.answering import Answer, AssumedReference, Citation, ScoredPassage, ShortAnswer
from qabot.cli.render import answer_json, answer_text
from qabot.conversation import Conversation, meaning_of, pointing_word
from qabot.index.records import Passage, Sentence

ARTICLE = (
    "Strike near Baghdad\n\n"
    "On Friday, a U.S. airstrike killed Qassem Soleimani, the commander of the Quds force, near the airport. "
    "Trump met with Secretary of State Mike Pompeo at the White House.\n"
)
KILLED = "On Friday, a U.S. airstrike killed Qassem Soleimani, the commander of the Quds force, near the airport."
MET = "Trump met with Secretary of State Mike Pompeo at the White House."


def answered(question: str, text: str, confidence: float, short: str | None = None) -> Answer:
    body = ARTICLE.split("\n\n")[1].rstrip("\n")
    start = ARTICLE.index(body)
    passage = Passage(0, "strike.txt", "Strike near Baghdad", start, start + len(body), 3, body, "h0", 0, 2)
    at = ARTICLE.index(text)
    sentence = Sentence(0, 0, "strike.txt", at, at + len(text), 3, text)
    short_answer = None
    if short:
        where = ARTICLE.index(short, at)
        short_answer = ShortAnswer(short, where, where + len(short))
    return Answer(question, sentence, passage, Citation("seeds/strike.txt", passage.title, 3, at, at + len(text)),
                  confidence, [ScoredPassage(passage, "seeds/strike.txt", 0.8)], short_answer=short_answer)


def declined(question: str) -> Answer:
    return Answer(question, None, None, None, 0.04, [], reason="The article doesn't say.")


class ScriptedAsker:
    """Answers each question as scripted ({question: Answer}), remembering the context."""

    def __init__(self, script: dict[str, Answer]) -> None:
        self.script = script
        self.contexts: list[str | None] = []

    def ask(self, question: str, k: int = 3, context: str | None = None, articles=()) -> Answer:
        self.contexts.append(context)
        return self.script[question]

    def conversation(self) -> Conversation:
        return Conversation(self)

    def article_names(self, files) -> tuple[str, ...]:
        return tuple(files)

    def close(self) -> None:
        pass


WHO = "Who is the commander of the Quds force?"
NEXT = "What did he say next?"
SCRIPT = {
    WHO: answered(WHO, KILLED, 0.12, short="Qassem Soleimani"),  # unsure
    NEXT: answered(NEXT, MET, 0.3),
    "Who met Pompeo?": answered("Who met Pompeo?", MET, 0.93, short="Trump"),
    "What did Soleimani command?": declined("What did Soleimani command?"),
    "How many missiles were fired?": answered("How many missiles were fired?", KILLED, 0.9),
}


def test_a_follow_up_after_an_unsure_answer_says_whom_it_took_he_to_mean():
    chat = Conversation(ScriptedAsker(SCRIPT))
    first = chat.ask(WHO)
    assert first.unsure and first.assumed_reference is None  # no follow-up: nothing assumed
    follow = chat.ask(NEXT)
    assert follow.assumed_reference == AssumedReference("he", "Qassem Soleimani", "unsure")


@pytest.mark.parametrize("first, follow, reference", [
    ("Who met Pompeo?", "Where did he meet him?", AssumedReference("he", "Trump", "sure")),
    ("What did Soleimani command?", "When did he die?", AssumedReference("he", "Soleimani", "declined")),
    ("How many missiles were fired?", "Where did they land?",  # the answer's names, its short answer aside
     AssumedReference("they", "U.S., Qassem Soleimani or Quds", "sure")),  # no weekday
])
def test_the_reference_says_how_the_earlier_answer_stood(first, follow, reference):
    script = {**SCRIPT, follow: answered(follow, MET, 0.6)}
    chat = Conversation(ScriptedAsker(script))
    chat.ask(first)
    assert chat.ask(follow).assumed_reference == reference


def test_a_question_that_names_its_subject_assumes_nothing():
    asker = ScriptedAsker({**SCRIPT, "What did Trump say?": answered("What did Trump say?", MET, 0.9)})
    chat = Conversation(asker)
    chat.ask(WHO)
    assert chat.ask("What did Trump say?").assumed_reference is None
    assert asker.contexts == [None, None]


@pytest.mark.parametrize("question, word", [
    ("What did he say next?", "he"),
    ("How far from Baghdad is it?", "it"),
    ("What happened there?", "there"),
    ("What did they say about its base?", "they"),  # the first of several
    ("Is there a base?", None),
    ("Did Zarif make his statement?", None),  # "his" is Zarif
    ("Who is Iran's foreign minister?", None),
])
def test_the_pointing_word(question, word):
    assert pointing_word(question) == word


@pytest.mark.parametrize("previous, meaning", [
    (answered(WHO, KILLED, 0.9, short="Qassem Soleimani"), "Qassem Soleimani"),  # asked who: the answer
    (answered("Who did Trump meet?", MET, 0.9, short="Secretary of State Mike Pompeo"), "Trump"),
    (answered("What did Iran's minister say?", MET, 0.9), "Trump, Secretary or State Mike Pompeo"),
    (declined("What did Iran's minister say?"), "Iran"),
    (declined("How many were there?"), "the subject of “How many were there?”"),
])
def test_what_the_pointing_word_is_taken_to_mean(previous, meaning):
    assert meaning_of(previous) == meaning


def followed_up() -> Answer:
    chat = Conversation(ScriptedAsker(SCRIPT))
    chat.ask(WHO)
    return chat.ask(NEXT)


def test_text_says_whom_he_was_taken_to_mean():
    lines = answer_text(followed_up()).splitlines()
    assert lines[:2] == [f"Q: {NEXT}",
                         "   Taking “he” to mean Qassem Soleimani (from an unsure earlier answer)."]
    assert "Taking" not in answer_text(SCRIPT[WHO])


def test_json_carries_the_reference_only_for_a_follow_up():
    obj = answer_json(followed_up())
    assert obj["assumed_reference"] == {"word": "he", "meaning": "Qassem Soleimani", "earlier": "unsure"}
    assert "assumed_reference" not in answer_json(SCRIPT[WHO])


def test_what_the_earlier_question_said_is_shown_literally():
    odd = "How many were \x1b[2J[bold]hit[/bold] there?"
    chat = Conversation(ScriptedAsker({odd: declined(odd), NEXT: declined(NEXT)}))
    chat.ask(odd)
    follow = chat.ask(NEXT)
    assert follow.assumed_reference.meaning == f"the subject of “{odd}”"
    text = answer_text(follow)
    assert "\x1b" not in text and "[bold]hit[/bold]" in text


def test_ask_chat_prints_and_exports_the_reference(cli, no_model, monkeypatch):
    import qabot.cli.ask

    monkeypatch.setattr(qabot.cli.ask, "_open_bot", lambda args: ScriptedAsker(SCRIPT))
    result = cli("ask", "--chat", stdin=f"{WHO}\n{NEXT}\n")
    assert result.code == 0, result
    assert "\n   Taking “he” to mean Qassem Soleimani (from an unsure earlier answer).\n" in result.out
    objects = [json.loads(line) for line in cli("ask", "--chat", "--json", stdin=f"{WHO}\n{NEXT}\n").out.splitlines()]
    assert "assumed_reference" not in objects[0]
    assert objects[1]["assumed_reference"] == {"word": "he", "meaning": "Qassem Soleimani", "earlier": "unsure"}
    alone = cli("ask", "--json", stdin=f"{WHO}\n{NEXT}\n").out.splitlines()  # without --chat: no follow-ups
    assert all("assumed_reference" not in json.loads(line) for line in alone)
