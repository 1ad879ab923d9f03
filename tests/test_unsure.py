"""Honest about uncertainty: an answer below the unsure threshold is shown as
the closest sentence, not as the answer (`"unsure": true` in JSON); the
confidence words have three levels set from the judge's reliability table;
`--min-confidence X` declines, saying why, what is below X (ask, eval).
All with scripted answers: no model is loaded."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from qabot.answering import Answer, Citation, ScoredPassage, ShortAnswer, declined_below
from qabot.cli.render import answer_json, answer_text
from qabot.conversation import Conversation
from qabot.index.records import Passage, Sentence
from qabot.wording import HIGH_CONFIDENCE, UNSURE_BELOW, below_minimum, confidence_label, confidence_level, is_unsure

ARTICLE = (
    "Harbour News\n\n"
    "The cranes were painted bright orange by the port workers last spring. Workers liked the colour.\n\n"
    "A second paragraph about ships and the tides in the bay.\n"
)
SENTENCE = "The cranes were painted bright orange by the port workers last spring."
QUESTION = "What colour were the cranes painted?"


def scripted(question: str = QUESTION, confidence: float = 0.91, short: str | None = "bright orange") -> Answer:
    """An answer citing SENTENCE of ARTICLE (seeds/harbour.txt) at ``confidence``."""
    paragraphs = [ARTICLE.index(text) for text in ("The cranes", "A second")]
    texts = [part.rstrip("\n") for part in ARTICLE.split("\n\n")[1:]]
    passages = [Passage(n, "harbour.txt", "Harbour News", at, at + len(text), 3 + 2 * n, text, f"h{n}", 0, 2)
                for n, (at, text) in enumerate(zip(paragraphs, texts))]
    at = ARTICLE.index(SENTENCE)
    sentence = Sentence(0, 0, "harbour.txt", at, at + len(SENTENCE), 3, SENTENCE)
    citation = Citation("seeds/harbour.txt", "Harbour News", 3, sentence.start, sentence.end)
    words = ShortAnswer(short, ARTICLE.index(short), ARTICLE.index(short) + len(short)) if short else None
    return Answer(question, sentence, passages[0], citation, confidence,
                  [ScoredPassage(p, "seeds/harbour.txt", 0.8 - 0.2 * n) for n, p in enumerate(passages)],
                  short_answer=words)


def refusal(confidence: float = 0.03) -> Answer:
    answer = scripted("What is the capital of Peru?", confidence)
    return dataclasses.replace(answer, sentence=None, passage=None, citation=None, short_answer=None,
                               reason="The article doesn't say.")


# --- the three levels, at their cut points -----------------------------------------------------

@pytest.mark.parametrize("confidence, label", [
    (0.12, "low confidence, 12%"),
    (0.4999, "low confidence, 49%"),
    (0.5, "medium confidence, 50%"),
    (0.64, "medium confidence, 64%"),
    (0.7999, "medium confidence, 79%"),
    (0.8, "high confidence, 80%"),
    (0.93, "high confidence, 93%"),
])
def test_three_levels_cut_where_the_reliability_table_says(confidence, label):
    assert confidence_label(confidence) == label
    assert confidence_level(confidence) == label.split()[0]


def test_low_is_exactly_unsure_and_the_cut_points_are_the_documented_ones():
    assert (UNSURE_BELOW, HIGH_CONFIDENCE) == (0.5, 0.8)
    for confidence in (0.0, 0.22, 0.4999, 0.5, 0.64, 0.8, 1.0):
        assert is_unsure(confidence) == (confidence_level(confidence) == "low")
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    assert "### How sure an answer is" in readme  # where the cut points are explained


def test_an_answer_is_unsure_below_one_half_and_a_refusal_never_is():
    assert scripted(confidence=0.22).unsure and scripted(confidence=0.4999).unsure
    assert not scripted(confidence=0.5).unsure and not scripted(confidence=0.93).unsure
    assert not refusal(0.03).unsure


# --- JSON --------------------------------------------------------------------------------------

def test_json_says_unsure_right_after_abstained_and_keeps_every_field():
    unsure, sure = answer_json(scripted(confidence=0.22)), answer_json(scripted(confidence=0.93))
    for obj in (unsure, sure):
        assert list(obj) == ["question", "answer", "short_answer", "abstained", "unsure", "confidence",
                             "truncated", "source", "passages"]
    assert unsure["unsure"] is True and sure["unsure"] is False
    assert unsure["answer"] == SENTENCE and unsure["short_answer"]["text"] == "bright orange"
    assert unsure["source"]["line"] == 3 and unsure["confidence"] == 0.22 and unsure["abstained"] is False
    declined = answer_json(refusal())
    assert declined["unsure"] is False and list(declined)[3:5] == ["abstained", "unsure"]


# --- text --------------------------------------------------------------------------------------

def test_text_of_an_unsure_answer_gives_the_closest_sentence_not_an_answer():
    lines = answer_text(scripted(confidence=0.22)).splitlines()
    assert lines[:4] == [
        f"Q: {QUESTION}",
        f"A: The article may not say; the closest sentence is “{SENTENCE}”",
        "   source: seeds/harbour.txt:3 (characters 14-84) · Harbour News",
        "   low confidence, 22%",
    ]
    assert "A: bright orange" not in lines  # the short answer is not given as the answer


def test_text_of_a_sure_answer_is_unchanged():
    lines = answer_text(scripted(confidence=0.64)).splitlines()
    assert lines[1:3] == ["A: bright orange", f"   sentence: {SENTENCE}"]
    assert lines[4] == "   medium confidence, 64%"


# --- declining below a minimum -----------------------------------------------------------------

def test_declined_below_gives_the_reason_and_keeps_the_passages():
    answer = scripted(confidence=0.23)
    declined = declined_below(answer, 0.5)
    assert declined.abstained and not declined.unsure
    assert declined.reason == "The closest sentence has 23% confidence, below the 50% asked for."
    assert declined.citation is None and declined.short_answer is None and declined.missing == ()
    assert declined.confidence == 0.23 and declined.passages == answer.passages
    assert declined.question == answer.question


@pytest.mark.parametrize("answer, minimum", [
    (scripted(confidence=0.5), 0.5),  # at the minimum: kept
    (scripted(confidence=0.22), None),  # no minimum asked for
    (scripted(confidence=0.22), 0.0),
    (refusal(0.03), 0.9),  # a refusal keeps its own reason
])
def test_declined_below_leaves_the_others_alone(answer, minimum):
    assert declined_below(answer, minimum) is answer


def test_the_minimum_is_written_as_given():
    assert below_minimum(0.991, 0.995) == "The closest sentence has 99% confidence, below the 99.5% asked for."
    assert below_minimum(0.285, 0.29) == "The closest sentence has 28% confidence, below the 29% asked for."


# --- qabot ask, scripted -----------------------------------------------------------------------

class ScriptedBot:
    """Stands in for qabot.bot.Bot: answers each question as ``script`` says
    ({question: confidence}), citing SENTENCE."""

    def __init__(self, script: dict[str, float]) -> None:
        self.script = script
        self.closed = False

    def ask(self, question: str, k: int = 3, context: str | None = None, articles=()) -> Answer:
        return scripted(question, self.script[question])

    def conversation(self) -> Conversation:
        return Conversation(self)

    def close(self) -> None:
        self.closed = True


@pytest.fixture
def scripted_ask(monkeypatch, no_model):
    """`qabot ask` answers from a ScriptedBot: 22% for QUESTION, 93% for SURE."""
    import qabot.cli.ask

    monkeypatch.setattr(qabot.cli.ask, "_open_bot", lambda args: ScriptedBot({QUESTION: 0.22, SURE: 0.93}))


SURE = "Who painted the cranes?"


def test_ask_prints_an_unsure_answer_as_the_closest_sentence(cli, scripted_ask):
    result = cli("ask", QUESTION)
    assert result.code == 0, result
    assert f"A: The article may not say; the closest sentence is “{SENTENCE}”" in result.out
    assert "low confidence, 22%" in result.out
    objects = [json.loads(line) for line in cli("ask", "--json", stdin=f"{QUESTION}\n{SURE}\n").out.splitlines()]
    assert [(o["unsure"], o["abstained"]) for o in objects] == [(True, False), (False, False)]


@pytest.mark.parametrize("place", ["after", "before"])
def test_ask_min_confidence_declines_with_the_reason(cli, scripted_ask, place):
    option = ["--min-confidence", "0.5"]
    args = [*option, "ask", QUESTION] if place == "before" else ["ask", QUESTION, *option]
    result = cli(*args)
    assert result.code == 0, result
    assert result.out.splitlines()[:3] == [
        f"Q: {QUESTION}",
        "A: The closest sentence has 22% confidence, below the 50% asked for.",
        "   closest passages:",
    ]
    assert "seeds/harbour.txt:3" in result.out and "seeds/harbour.txt:5" in result.out
    [declined, kept] = [json.loads(line) for line in
                        cli("ask", "--json", *option, stdin=f"{QUESTION}\n{SURE}\n").out.splitlines()]
    assert declined["abstained"] is True and declined["unsure"] is False and declined["answer"] is None
    assert declined["reason"] == "The closest sentence has 22% confidence, below the 50% asked for."
    assert declined["confidence"] == 0.22 and len(declined["passages"]) == 2 and declined["not_mentioned"] == []
    assert kept["abstained"] is False and kept["answer"] == SENTENCE


def test_min_confidence_on_a_follow_up_conversation(cli, scripted_ask):
    result = cli("ask", "--chat", "--min-confidence", "0.9", "--json", stdin=f"{SURE}\n{QUESTION}\n")
    assert [json.loads(line)["abstained"] for line in result.out.splitlines()] == [False, True]


@pytest.mark.parametrize("value", ["1.5", "-0.1", "half"])
def test_min_confidence_out_of_range_is_a_usage_error(cli, scripted_ask, value):
    result = cli("ask", QUESTION, "--min-confidence", value)
    assert result.code == 2 and "--min-confidence" in result.err and result.out == ""


@pytest.mark.parametrize("command", [["index"], ["add", "page.html"]])
def test_min_confidence_is_refused_before_a_command_that_does_not_answer(cli, no_model, command):
    result = cli("--min-confidence", "0.5", *command)
    assert result.code == 2 and result.out == ""
    assert result.err == (f"qabot: --min-confidence is for the chat window, qabot ask and qabot eval; "
                          f"qabot {command[0]} does not take it\n")
    assert cli(*command, "--min-confidence", "0.5").code == 2  # not an option of theirs after the name either


@pytest.mark.parametrize("args", [["--min-confidence", "0.7"], ["--min-confidence", "0.7", "chat"],
                                  ["chat", "--min-confidence", "0.7"]])
def test_the_chat_window_gets_min_confidence(cli, no_model, monkeypatch, args):
    import qabot.cli.chat

    seen = {}

    def chat(seeds, index, exports, store=None, min_confidence=None):
        seen["min_confidence"] = min_confidence
        return 0

    monkeypatch.setattr(qabot.cli.chat, "run_chat", chat)
    assert cli(*args).code == 0
    assert seen == {"min_confidence": 0.7}


# --- qabot eval, scripted ----------------------------------------------------------------------

def test_eval_min_confidence_declines_what_is_below_it(cli, monkeypatch, no_model, tmp_path):
    import qabot.evaluation.runner as runner

    class Embedder:
        def encode(self, texts):
            return None

    bot = ScriptedBot({QUESTION: 0.22, SURE: 0.93})
    bot.embedder = Embedder()
    monkeypatch.setattr(runner.Bot, "open", classmethod(lambda cls, *args, **kwargs: bot))
    questions = tmp_path / "q.jsonl"
    questions.write_text(json.dumps({"question": QUESTION, "answers": ["bright orange"]}) + "\n"
                         + json.dumps({"question": SURE, "answers": ["port workers"]}) + "\n", encoding="utf-8")
    out = tmp_path / "predictions.jsonl"

    plain = json.loads(cli("eval", questions, "--json", "--index", tmp_path / "none").out)
    assert plain["answer_at_1"] == 1.0 and plain["answerable_refused"] == 0.0 and plain["min_confidence"] is None

    result = cli("eval", questions, "--json", "--min-confidence", "0.5", "--predictions", out,
                 "--index", tmp_path / "none")
    assert result.code == 0, result
    report = json.loads(result.out)
    assert report["min_confidence"] == 0.5
    assert report["answer_at_1"] == 0.5 and report["answerable_refused"] == 0.5
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["abstained"], r["reason"]) for r in rows] == [
        (True, "The closest sentence has 22% confidence, below the 50% asked for."), (False, None)]
    assert rows[0]["confidence"] == 0.22 and rows[0]["passages"]
    table = cli("eval", questions, "--min-confidence", "0.5", "--index", tmp_path / "none").out
    assert "min confidence" in table and "0.500" in table
