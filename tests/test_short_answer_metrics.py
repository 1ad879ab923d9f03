"""Short-answer scoring: SQuAD's normalisation, exact match and token F1,
how `qabot eval` scores what the user is shown, and its --min-f1 bar."""

from __future__ import annotations

import json

import pytest
from support import model_stand_in, write_seeds

from qabot.answering.answer import Answer, ShortAnswer
from qabot.embedding.embedder import HashingEmbedder
from qabot.evaluation.datasets import Case
from qabot.evaluation.metrics import Outcome, exact_match, normalize, summarize, token_f1
from qabot.evaluation.report import PredictionWriter
from qabot.evaluation.runner import short_answer_scores, shown_text
from qabot.index.records import Sentence

# --- normalisation and the two scores ----------------------------------------------------------

@pytest.mark.parametrize("text, normalized", [
    ("The Cat!", "cat"),
    ("cat", "cat"),
    ("A  dozen\tmissiles.", "dozen missiles"),
    ("the-end", "theend"),  # punctuation goes before the articles, as in SQuAD's script
    ("Anthem, then", "anthem then"),  # articles only as whole words
    ("The", ""),
])
def test_normalize_is_squads(text, normalized):
    assert normalize(text) == normalized


@pytest.mark.parametrize("prediction, golds, em", [
    ("The Cat!", ["cat"], 1.0),
    ("cat", ["The Cat!"], 1.0),
    ("the cat sat", ["cat"], 0.0),
    ("cat", ["dog", "a cat"], 1.0),
    ("", ["cat"], 0.0),
    ("cat", [], 0.0),
])
def test_exact_match(prediction, golds, em):
    assert exact_match(prediction, golds) == em


@pytest.mark.parametrize("prediction, golds, f1", [
    ("The Cat!", ["cat"], 1.0),
    # cat sat on mat / cat on mat: 3 shared, precision 3/4, recall 1
    ("the cat sat on the mat", ["a cat on a mat"], 6 / 7),
    # new york new york / new york: 2 shared (each word as often as both have it)
    ("new york new york", ["New York"], 2 / 3),
    # against "Lovelace" 2/3, "Ada King Lovelace" 0.8 (precision 1, recall 2/3), "Charles Babbage" 0
    ("Ada Lovelace", ["Lovelace", "Ada King Lovelace", "Charles Babbage"], 0.8),
    ("dog", ["cat"], 0.0),
    ("", ["cat"], 0.0),
    ("!!!", ["cat"], 0.0),
    ("cat", [], 0.0),
    ("the", ["a"], 1.0),  # both normalise to nothing: they agree (SQuAD v2.0)
])
def test_token_f1(prediction, golds, f1):
    assert token_f1(prediction, golds) == pytest.approx(f1)


# --- scoring one answer ------------------------------------------------------------------------

SENTENCE = "Iran fired more than a dozen missiles."


def answer(sentence: str | None = SENTENCE, short: ShortAnswer | None = None) -> Answer:
    said = Sentence(0, 0, "a.txt", 100, 100 + len(sentence), 3, sentence) if sentence else None
    return Answer("How many?", said, None, None, 0.9 if said else 0.1, [], short_answer=short)


def case(answers=("more than a dozen",)) -> Case:
    return Case("q", ("How many?",), tuple(answers), bool(answers))


def test_the_short_answer_is_scored_when_there_is_one():
    given = answer(short=ShortAnswer("more than a dozen", 110, 127))
    assert shown_text(given) == "more than a dozen"
    assert short_answer_scores(given, case()) == (1.0, 1.0)


def test_without_a_short_answer_the_whole_sentence_is_scored():
    assert shown_text(answer()) == SENTENCE
    em, f1 = short_answer_scores(answer(), case())
    # iran fired more than dozen missiles / more than dozen: precision 1/2, recall 1
    assert em == 0.0 and f1 == pytest.approx(2 / 3)


def test_a_declined_answerable_question_scores_0():
    assert shown_text(answer(None)) is None
    assert short_answer_scores(answer(None), case()) == (0.0, 0.0)
    # even when a gold answer normalises to nothing, as an empty prediction does
    assert short_answer_scores(answer(None), case(["The"])) == (0.0, 0.0)


def test_an_unanswerable_question_is_not_scored():
    assert short_answer_scores(answer(), case(())) == (None, None)
    assert short_answer_scores(answer(None), case(())) == (None, None)


def test_summary_averages_over_the_answerable_questions_only():
    def outcome(answerable, abstained, em, f1):
        return Outcome(answerable, abstained, False, None, None, 10.0, exact_match=em, f1=f1)

    report = summarize([
        outcome(True, False, 1.0, 1.0),
        outcome(True, False, 0.0, 0.5),
        outcome(True, True, 0.0, 0.0),  # declined
        outcome(False, False, None, None),  # unanswerable, answered: not in the averages
        outcome(False, True, None, None),
    ])
    assert report["exact_match"] == 0.3333 and report["f1"] == 0.5
    nothing = summarize([outcome(False, True, None, None)])
    assert nothing["exact_match"] is None and nothing["f1"] is None


def test_predictions_carry_the_short_answer_and_its_scores(tmp_path):
    path = tmp_path / "out.jsonl"
    short = ShortAnswer("more than a dozen", 110, 127)
    with PredictionWriter(path) as writer:
        writer.write(case(), answer(short=short), Outcome(True, False, True, 1, 1, 5.0, exact_match=1.0, f1=1.0))
        writer.write(case(), answer(), Outcome(True, False, True, 1, 1, 5.0, exact_match=0.0, f1=2 / 3))
        writer.write(case(()), answer(None), Outcome(False, True, False, None, None, 5.0))
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert rows[0]["short_answer"] == {"text": "more than a dozen", "start": 110, "end": 127}
    assert (rows[0]["em"], rows[0]["f1"]) == (1.0, 1.0)
    assert rows[1]["short_answer"] is None and (rows[1]["em"], rows[1]["f1"]) == (0.0, 0.6667)
    assert rows[2]["short_answer"] is None and (rows[2]["em"], rows[2]["f1"]) == (None, None)


# --- `qabot eval --min-f1`, with the hashing embedder --------------------------------------------

class HashingModel(HashingEmbedder):
    """Stands in for the bundled model in `qabot eval`: no model, no export."""

    def attach_fast_path(self, folder) -> bool:
        return False


@pytest.fixture
def hashing_eval(cli, tmp_path, monkeypatch, no_model):
    """Run `qabot eval` on a small article with the hashing embedder."""
    model_stand_in(monkeypatch, HashingModel)
    seeds = write_seeds(tmp_path / "seeds", {"harbour.txt": (
        "Harbour Town\n\nHarbour Town is a small fishing port on the north coast. Its harbour master "
        "is Ada Lovelace, who took office in May 2019 after a long career at sea.\n")})
    questions = tmp_path / "questions.jsonl"

    def run(rows, *args):
        questions.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
        return cli("eval", questions, "--seeds", seeds, "--index", tmp_path / "index", *args)

    return run


def test_eval_min_f1(hashing_eval):
    impossible = [{"question": "Who is the harbour master?", "answers": ["zebra crossing"]}]
    below = hashing_eval(impossible, "--min-f1", "0.5")
    assert below.code == 1, below
    assert "short answer F1 0.0 is below 0.5" in below.err
    assert "short answer EM" in below.out and "short answer F1" in below.out  # the table is still printed
    met = hashing_eval(impossible, "--min-f1", "0", "--json")
    assert met.code == 0, met
    report = json.loads(met.out)
    assert (report["exact_match"], report["f1"]) == (0.0, 0.0)
    out_of_range = hashing_eval(impossible, "--min-f1", "1.5")
    assert out_of_range.code == 2 and "not between 0 and 1" in out_of_range.err
    nothing = hashing_eval([{"question": "Who won the cup?", "answerable": False}], "--min-f1", "0.1")
    assert nothing.code == 1 and "no answerable questions" in nothing.err and "None" not in nothing.err

