"""Evaluation: answer matching, the summary metrics, question-set loaders,
and the `qabot eval` command's predictions file and CI threshold."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support import SHARED

from qabot.embedding.embedder import HashingEmbedder
from qabot.evaluation.datasets import EvalFileError, load_question_set
from qabot.evaluation.metrics import Outcome, holds_answer, normalize, summarize
from qabot.evaluation.runner import run_eval

# --- metrics -----------------------------------------------------------------------------

@pytest.mark.parametrize("text, normalized", [
    ("The Quick, Brown Fox!", "quick brown fox"),
    ("an apple a day", "apple day"),
    ("  U.S.  troops\n", "us troops"),
    ("Theatre: the anthem", "theatre anthem"),
    ("", ""),
])
def test_normalize(text, normalized):
    assert normalize(text) == normalized


@pytest.mark.parametrize("text, answers, held", [
    ("Jeff Seldin contributed to this report.", ["jeff seldin"], True),
    ('but that "So far, so good!"', ["So far, so good!"], True),
    ("The Iranians fired missiles.", ["Iran"], False),  # whole words only
    ("Iran fired missiles.", ["Iraq", "Iran"], True),
    ("He left on Friday.", ["the"], False),  # an answer that normalizes to nothing
    (None, ["Iran"], False),
    ("", ["Iran"], False),
    ("about 60 kilometers west", ["60 kilometers"], True),
])
def test_holds_answer(text, answers, held):
    assert holds_answer(text, answers) is held


def outcome(answerable, abstained, correct=False, sentence=None, passage=None, ms=10.0, confidence=0.0, kind=None):
    return Outcome(answerable, abstained, correct, sentence, passage, ms, confidence, kind)


def test_summarize_hand_made_outcomes():
    report = summarize([
        outcome(True, False, True, 1, 1, 10, confidence=0.95),
        outcome(True, False, False, 3, 2, 20, confidence=0.91),
        outcome(True, True, False, None, 5, 30, confidence=0.05),
        outcome(True, False, True, 1, None, 40, confidence=0.35),
        outcome(False, True, ms=50, kind="foreign"),
        outcome(False, False, ms=60, confidence=0.32, kind="near-miss"),
    ])
    assert report == {
        "questions": 6, "answerable": 4, "unanswerable": 2,
        "answer_at_1": 0.5,
        "exact_match": 0.0, "f1": 0.0,  # not scored here: an answerable question counts 0
        "sentence_recall": {"1": 0.5, "3": 0.75, "5": 0.75},
        "passage_recall": {"1": 0.25, "3": 0.5, "5": 0.75},
        "mrr": 0.5833,
        "answerable_refused": 0.25,
        "unanswerable_refused": 0.5,
        "unanswerable_refused_by_kind": {"foreign": 1.0, "near-miss": 0.0},
        # answers given: two at 0.3-0.4 (one right), two at 0.9-1.0 (one right)
        "reliability": [
            {"from": 0.3, "to": 0.4, "count": 2, "confidence": 0.335, "right": 0.5},
            {"from": 0.9, "to": 1.0, "count": 2, "confidence": 0.93, "right": 0.5},
        ],
        "calibration_error": round((2 * 0.165 + 2 * 0.43) / 4, 4),
        "latency_ms": {"median": 35.0, "p95": 57.5},
    }


def test_summarize_without_answerable_or_any_questions():
    only_off_topic = summarize([outcome(False, True), outcome(False, True)])
    assert only_off_topic["answer_at_1"] is None and only_off_topic["mrr"] is None
    assert only_off_topic["unanswerable_refused"] == 1.0
    assert only_off_topic["sentence_recall"] == {"1": None, "3": None, "5": None}
    empty = summarize([])
    assert empty["questions"] == 0 and empty["answerable_refused"] is None
    assert empty["calibration_error"] is None and empty["reliability"] == []


def test_unanswerable_kinds_are_read_and_checked(tmp_path, squad_file):
    path = tmp_path / "kinds.jsonl"
    path.write_text("\n".join(json.dumps(row) for row in [
        {"question": "Who is it?", "answers": ["x"]},
        {"question": "What is the capital of France?", "answerable": False, "kind": "foreign"},
        {"question": "When did Iran attack Bahrain?", "answerable": False, "kind": "near-miss"},
        {"question": "Who painted it?", "answerable": False},
    ]) + "\n", encoding="utf-8")
    assert [c.kind for c in load_question_set(path).cases] == [None, "foreign", "near-miss", None]
    for bad in ({"question": "Who?", "answerable": False, "kind": "far-fetched"},
                {"question": "Who?", "answers": ["x"], "kind": "foreign"}):
        path.write_text(json.dumps(bad) + "\n", encoding="utf-8")
        with pytest.raises(EvalFileError, match="kinds.jsonl:1"):
            load_question_set(path)
    data = json.loads(squad_file.read_text(encoding="utf-8"))
    data["data"][0]["paragraphs"][0]["qas"][1]["id"] = "h2-foreign"
    squad_file.write_text(json.dumps(data), encoding="utf-8")
    kinds = {c.id: c.kind for c in load_question_set(squad_file).cases}
    assert kinds == {"h1": None, "h2-foreign": "foreign", "h3": None, "h4": None, "m1": None, "m2": None}


# --- question sets -------------------------------------------------------------------------

SQUAD_V2 = {
    "version": "v2.0",
    "data": [
        {"title": "Harbour_Town", "paragraphs": [
            {"context": "Harbour Town is a small fishing port on the north coast. Its harbour master "
                        "is Ada Lovelace, who took office in May 2019 after a long career at sea.",
             "qas": [
                 {"id": "h1", "question": "Who is the harbour master of Harbour Town?",
                  "answers": [{"text": "Ada Lovelace", "answer_start": -1}], "is_impossible": False},
                 {"id": "h2", "question": "Who painted the Mona Lisa?", "answers": [],
                  "plausible_answers": [], "is_impossible": True},
             ]},
            {"context": "The port ships mackerel and herring to markets in the south every morning. "
                        "A lighthouse built in 1871 guards the entrance to the harbour.",
             "qas": [
                 {"id": "h3", "question": "When was the lighthouse built?",
                  "answers": [{"text": "1871", "answer_start": -1}, {"text": "1871", "answer_start": -1}]},
                 {"id": "h4", "question": "What is the boiling point of water at sea level?", "answers": [],
                  "is_impossible": True},
             ]},
        ]},
        {"title": "Mountain_Railway", "paragraphs": [
            {"context": "The mountain railway climbs 1,200 metres from the valley station to the summit. "
                        "Its steam locomotives were built in Switzerland and still run every summer.",
             "qas": [
                 {"id": "m1", "question": "Where were the steam locomotives built?",
                  "answers": [{"text": "Switzerland", "answer_start": -1}]},
                 {"id": "m2", "question": "Who won the 2018 World Cup?", "answers": [], "is_impossible": True},
             ]},
        ]},
    ],
}

for _paragraph in (p for a in SQUAD_V2["data"] for p in a["paragraphs"]):
    for _qa in _paragraph["qas"]:
        for _answer in _qa["answers"]:
            _answer["answer_start"] = _paragraph["context"].index(_answer["text"])


@pytest.fixture
def squad_file(tmp_path) -> Path:
    path = tmp_path / "tiny-squad.json"
    path.write_text(json.dumps(SQUAD_V2), encoding="utf-8")
    return path


def test_squad_loader(squad_file):
    questions = load_question_set(squad_file)
    assert questions.format == "squad"
    assert [c.id for c in questions.cases] == ["h1", "h2", "h3", "h4", "m1", "m2"]
    assert [c.answerable for c in questions.cases] == [True, False, True, False, True, False]
    assert questions.cases[2].answers == ("1871",)  # duplicates dropped
    assert questions.cases[1].answers == ()
    assert [c.document for c in questions.cases] == ["000", "000", "000", "000", "001", "001"]
    name, text = questions.documents["000"]
    assert name == "000.txt" and text.startswith("Harbour Town\n\nHarbour Town is a small fishing port")
    for paragraph in SQUAD_V2["data"][0]["paragraphs"]:
        assert paragraph["context"] in text
    assert questions.documents["001"][1].startswith("Mountain Railway\n\n")


def test_squad_run_eval_gives_each_article_its_own_index(squad_file, tmp_path):
    questions = load_question_set(squad_file)
    seen = []
    report = run_eval(questions, tmp_path / "unused-seeds", tmp_path / "unused-index", HashingEmbedder(),
                      on_result=lambda case, answer, outcome: seen.append((case.id, answer)))
    assert [case_id for case_id, _ in seen] == ["h1", "h2", "h3", "h4", "m1", "m2"]
    for case_id, answer in seen:
        article = "Harbour" if case_id[0] == "h" else "Mountain"
        assert all(article in p.passage.title for p in answer.passages)
    assert (report["questions"], report["answerable"], report["unanswerable"]) == (6, 3, 3)
    assert report["format"] == "squad" and report["mode"] == "hybrid"
    assert not (tmp_path / "unused-index").exists()


@pytest.mark.model
def test_squad_impossible_questions_are_refused(squad_file, tmp_path, real_model):
    outcomes = {}
    report = run_eval(load_question_set(squad_file), tmp_path / "s", tmp_path / "i", real_model,
                      on_result=lambda case, answer, outcome: outcomes.update({case.id: (answer.text, outcome)}))
    refused_wrongly = {cid: text for cid, (text, o) in outcomes.items() if not o.answerable and not o.abstained}
    assert not refused_wrongly, f"impossible questions answered: {refused_wrongly}"
    assert report["unanswerable_refused"] == 1.0
    assert report["answer_at_1"] == 1.0, outcomes


def test_jsonl_loader(tmp_path):
    path = tmp_path / "set.jsonl"
    path.write_text("\n".join([
        json.dumps({"question": "Who?", "answers": ["Zarif", 7]}),
        "",
        json.dumps({"id": "off", "question": "Capital of France?", "answerable": False}),
        json.dumps({"turns": ["Who chairs it?", "What did he say?"], "answers": ["war"]}),
    ]) + "\n", encoding="utf-8")
    questions = load_question_set(path)
    assert questions.format == "jsonl" and questions.documents == {}
    first, off, chat = questions.cases
    assert (first.id, first.turns, first.answers, first.answerable) == ("set-1", ("Who?",), ("Zarif", "7"), True)
    assert (off.id, off.answerable, off.answers) == ("off", False, ())
    assert chat.turns == ("Who chairs it?", "What did he say?") and chat.question == "What did he say?"


@pytest.mark.parametrize("content, message", [
    ("", "no questions"),
    ("not json\n", ":1:"),
    ('{"answers": ["x"]}\n', ":1:"),
    ('{"question": "Who?"}\n{"question": "  ", "answers": ["x"]}\n', ":2:"),
    ('{"question": "Who?", "answerable": true}\n', ":1:"),
    ('{"question": "Who?", "answers": ["x"]}\n{"turns": [], "answers": ["x"]}\n', ":2:"),
    ('{"question": "Who?", "answer": ["x"]}\n', r":1: .*unknown key 'answer'"),
    ('{"question": "Who?", "answers": []}\n', r":1: .*'answers' is empty"),
    ('{"question": "Who?", "answerable": "no"}\n', r":1: .*true or false"),
    ('{"question": "Who?", "turns": ["Who?"], "answers": ["x"]}\n', r":1: .*either"),
])
def test_jsonl_loader_errors_name_the_line(tmp_path, content, message):
    path = tmp_path / "bad.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(EvalFileError, match=message):
        load_question_set(path)


@pytest.mark.parametrize("content", [
    '{"data": 5}',
    '{"data": [{"title": "No paragraphs"}]}',
    '{"data": [{"title": "T", "paragraphs": [{"context": "Text.", "qas": [{"id": "q"}]}]}]}',
    '{"data": [{"title": "T", "paragraphs": [{"qas": []}]}]}',
    '{"data": "not a list"}',
    '{"version": "v2.0"}',
])
def test_malformed_squad_raises_eval_file_error(tmp_path, content):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(EvalFileError):
        load_question_set(path, "squad")


def test_missing_question_file(tmp_path):
    with pytest.raises(EvalFileError, match="missing.json"):
        load_question_set(tmp_path / "missing.json")


# --- the shared SQuAD files (skipped when ../shared is absent) --------------------------------

@pytest.mark.parametrize("name, version", [
    ("squad-v2-style-half-a-foreign.json", "v2"),
    ("squad-v1.1-dev-half-a.json", "v1"),
])
def test_shared_squad_files_load(name, version):
    path = SHARED / "squad" / name
    if not path.is_file():
        pytest.skip(f"{path} is not available")
    raw = json.loads(path.read_text(encoding="utf-8"))
    qas = [qa for a in raw["data"] for p in a["paragraphs"] for qa in p["qas"]]
    questions = load_question_set(path)
    assert questions.format == "squad" and len(questions.documents) == len(raw["data"])
    assert len(questions.cases) == len(qas)
    assert sum(not c.answerable for c in questions.cases) == sum(bool(qa.get("is_impossible")) for qa in qas)
    if version == "v1":
        assert all(c.answerable for c in questions.cases)
    for case in questions.cases:
        text = questions.documents[case.document][1]
        if case.answerable:
            assert any(answer in text for answer in case.answers), case.id


# --- the `qabot eval` command --------------------------------------------------------------

@pytest.fixture
def question_file(tmp_path) -> Path:
    path = tmp_path / "questions.jsonl"
    path.write_text("\n".join(json.dumps(row) for row in [
        {"question": "How many missiles did Iran fire?", "answers": ["more than a dozen"]},
        {"id": "zarif-war", "turns": ["Who is Iran's foreign minister?", "What did he say Iran does not seek?"],
         "answers": ["escalation or war"]},
        {"question": "What is the capital of France?", "answerable": False},
    ]) + "\n", encoding="utf-8")
    return path


@pytest.mark.model
def test_eval_writes_one_prediction_per_question(workdir, cli, shared_model, question_file, tmp_path):
    out = tmp_path / "predictions.jsonl"
    result = cli("eval", question_file, "--predictions", out, "--json")
    assert result.code == 0, result
    report = json.loads(result.out)
    assert report["questions"] == 3 and report["format"] == "jsonl" and report["file"] == str(question_file)
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 3
    for row in rows:
        assert list(row) == ["id", "question", "answer", "short_answer", "gold", "answerable", "kind", "right",
                             "em", "f1", "abstained", "reason", "confidence", "source", "passages", "latency_ms"]
        assert row["short_answer"] is None or set(row["short_answer"]) == {"text", "start", "end"}
        assert (row["em"] is None) == (row["f1"] is None) == (not row["answerable"])
        assert (row["reason"] is None) == (not row["abstained"]) and isinstance(row["confidence"], float)
        assert (row["source"] is None) == row["abstained"]
        assert isinstance(row["abstained"], bool) and isinstance(row["latency_ms"], float)
        assert row["answer"] is None or isinstance(row["answer"], str)
        assert row["abstained"] == (row["answer"] is None)
        assert row["passages"] and all(isinstance(p, str) for p in row["passages"])
    assert [r["id"] for r in rows] == ["questions-1", "zarif-war", "questions-3"]
    assert [r["question"] for r in rows] == ["How many missiles did Iran fire?",
                                           "What did he say Iran does not seek?",
                                           "What is the capital of France?"]
    assert rows[0]["answer"].startswith("PENTAGON - Iran fired more than a dozen")
    assert rows[0]["gold"] == ["more than a dozen"] and rows[0]["right"] is True
    assert rows[0]["f1"] > 0 and rows[2]["f1"] is None
    assert report["f1"] is not None and report["exact_match"] is not None
    assert rows[2]["answerable"] is False and rows[2]["right"] is True  # declined, as it should be
    assert rows[2]["reason"] == "The article doesn't mention France."


@pytest.mark.model
def test_eval_min_answer_at_1(workdir, cli, shared_model, tmp_path):
    path = tmp_path / "impossible-gold.jsonl"
    path.write_text(json.dumps({"question": "How many missiles did Iran fire?", "answers": ["zebra crossing"]})
                    + "\n", encoding="utf-8")
    below = cli("eval", path, "--min-answer-at-1", "0.5")
    assert below.code == 1
    assert "answer@1" in below.err and "0.5" in below.err
    assert "answer@1" in below.out  # the table is still printed
    met = cli("eval", path, "--min-answer-at-1", "0", "--json")
    assert met.code == 0 and json.loads(met.out)["answer_at_1"] == 0.0
    out_of_range = cli("eval", path, "--min-answer-at-1", "1.5")
    assert out_of_range.code == 2 and "not between 0 and 1" in out_of_range.err
    path.write_text(json.dumps({"question": "Who won the cup?", "answerable": False}) + "\n", encoding="utf-8")
    nothing = cli("eval", path, "--min-answer-at-1", "0.9")
    assert nothing.code == 1 and "no answerable questions" in nothing.err and "None" not in nothing.err


@pytest.mark.model
def test_eval_min_unanswerable_refused(workdir, cli, shared_model, tmp_path):
    path = tmp_path / "near.jsonl"
    path.write_text(json.dumps({"question": "When did Iran attack Bahrain?", "answerable": False,
                                "kind": "near-miss"}) + "\n", encoding="utf-8")
    met = cli("eval", path, "--min-unanswerable-refused", "1.0", "--json")
    assert met.code == 0, met
    assert json.loads(met.out)["unanswerable_refused_by_kind"] == {"near-miss": 1.0}
    path.write_text(json.dumps({"question": "How many missiles did Iran fire?", "answerable": False}) + "\n",
                    encoding="utf-8")
    below = cli("eval", path, "--min-unanswerable-refused", "0.5")
    assert below.code == 1 and "unanswerable refused 0.0 is below 0.5" in below.err



@pytest.mark.parametrize("line", [
    {"question": "Who?", "answers": "Zarif"},
    {"question": "?!", "answers": ["Zarif"]},
])
def test_jsonl_lines_that_cannot_be_scored_name_their_line(tmp_path, line):
    path = tmp_path / "set.jsonl"
    path.write_text(json.dumps({"question": "Who is it?", "answers": ["x"]}) + "\n" + json.dumps(line) + "\n",
                    encoding="utf-8")
    with pytest.raises(EvalFileError, match=r"set.jsonl:2"):
        load_question_set(path)
