"""The seed question set over the shipped article, with the real model:
the quality bar the bot is held to."""

from __future__ import annotations

import shutil

import pytest

from qabot.evaluation.datasets import load_question_set
from qabot.evaluation.runner import run_eval
from support import REPO, SHIPPED_INDEX, SHIPPED_SEEDS

SEED_SET = REPO / "evals" / "seed.jsonl"


@pytest.fixture(scope="module")
def seed_report(tmp_path_factory, real_model):
    """Metrics of the seed set, and the questions that went wrong."""
    root = tmp_path_factory.mktemp("seed-set")
    shutil.copytree(SHIPPED_SEEDS, root / "seeds")
    shutil.copytree(SHIPPED_INDEX, root / "embeddings")
    wrong = []

    def on_result(case, answer, outcome):
        if outcome.answerable != (outcome.correct and not outcome.abstained) or (
                not outcome.answerable and not outcome.abstained):
            wrong.append(f"{' / '.join(case.turns)!r} -> {answer.text!r} (confidence {answer.confidence:.2f})")

    questions = load_question_set(SEED_SET)
    report = run_eval(questions, root / "seeds", root / "embeddings", real_model, on_result=on_result)
    return questions, report, wrong


def test_seed_set_is_well_formed():
    questions = load_question_set(SEED_SET)
    answerable = [c for c in questions.cases if c.answerable]
    off_topic = [c for c in questions.cases if not c.answerable]
    assert len(answerable) >= 50 and len(off_topic) >= 10
    assert any(len(c.turns) > 1 for c in answerable)
    article = (REPO / "seeds" / "iran-missiles-iraq-bases.txt").read_text(encoding="utf-8")
    for case in answerable:
        assert any(answer in article for answer in case.answers), case


@pytest.mark.model
def test_seed_set_answer_at_1(seed_report):
    _, report, wrong = seed_report
    assert report["answerable"] >= 50
    assert report["answer_at_1"] >= 0.90, (
        f"answer@1 {report['answer_at_1']}; wrong or refused:\n" + "\n".join(wrong))


@pytest.mark.model
def test_seed_set_off_topic_questions_are_all_refused(seed_report):
    _, report, wrong = seed_report
    assert report["unanswerable"] >= 10
    assert report["unanswerable_refused"] == 1.0, (
        f"unanswerable refused {report['unanswerable_refused']}; wrong or answered:\n" + "\n".join(wrong))

