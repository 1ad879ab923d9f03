"""The judge: its model file is the recorded one, its evidence is what it
was trained on, and its chance decides between an answer and a refusal."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
from support import SHIPPED_SEEDS

from qabot.answering.judge import (
    HASHES_FILE,
    JUDGE_FEATURES,
    MODEL_FILE,
    Judge,
    ModelFileError,
    expected_hash,
    load_judge,
)
from qabot.bot import Bot
from qabot.embedding.embedder import HashingEmbedder


@pytest.fixture(scope="module")
def shipped_bot(tmp_path_factory):
    root = tmp_path_factory.mktemp("judge")
    shutil.copytree(SHIPPED_SEEDS, root / "seeds")
    return Bot.open(root / "seeds", root / "index", HashingEmbedder())


def test_shipped_judge_loads_and_is_small():
    judge = load_judge()
    assert MODEL_FILE.stat().st_size < 20_000
    for model in (judge.answers, judge.on_topic, judge.answerable):
        assert len(model.coefficients) == len(judge.mean) == len(judge.scale) == len(JUDGE_FEATURES)
    assert 0.0 < judge.on_topic_threshold < 0.9 and 0.0 < judge.answerable_threshold < 0.9
    assert list(judge.calibration_x) == sorted(judge.calibration_x)
    assert list(judge.calibration_y) == sorted(judge.calibration_y)  # a higher raw chance never reads lower


def test_a_changed_model_file_is_refused(tmp_path):
    changed = tmp_path / MODEL_FILE.name
    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    data["answers"]["bias"] += 1.0
    changed.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    with pytest.raises(ModelFileError, match="not the one recorded"):
        load_judge(changed)
    with pytest.raises(ModelFileError, match="cannot be read"):
        load_judge(tmp_path / "absent.json")
    assert expected_hash(MODEL_FILE.name) in HASHES_FILE.read_text(encoding="utf-8")


def test_a_model_of_other_features_is_refused():
    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    data["features"] = data["features"][:-1]
    with pytest.raises(ModelFileError, match="other features"):
        Judge.from_json(data)


def test_judge_features_of_an_answer(shipped_bot):
    answerer = shipped_bot.answerer
    evidence = answerer.evidence("Who chairs the House Foreign Affairs Committee?")
    ranked, scores = answerer.rank(evidence)
    features = dict(zip(JUDGE_FEATURES, answerer.judge_features(evidence, ranked, scores)))
    assert len(features) == len(JUDGE_FEATURES) and all(np.isfinite(list(features.values())))
    assert features["names_in_window"] == 1.0  # "House Foreign Affairs Committee" is in the sentence
    assert features["rank_margin"] >= 0.0


def test_a_swapped_name_is_seen_as_a_conflict(shipped_bot):
    """The sentence names someone else than the question: evidence against it."""
    answerer = shipped_bot.answerer
    zarif = next(s.id for s in answerer.index.sentences if s.text.startswith('"We do not seek escalation'))
    features = {}
    for question in ("What did Zarif say Iran does not seek?", "What did Pompeo say Iran does not seek?"):
        evidence = answerer.evidence(question)
        assert zarif in evidence.candidates
        ranked = np.r_[zarif, evidence.candidates[evidence.candidates != zarif]]  # judge Zarif's sentence
        scores = np.linspace(1.0, 0.0, len(ranked))
        features[question] = dict(zip(JUDGE_FEATURES, answerer.judge_features(evidence, ranked, scores)))
    right, swapped = features.values()
    assert right["names_in_window"] == 1.0 and right["name_conflict"] == 0.0
    assert swapped["names_in_window"] == 0.5 and swapped["name_conflict"] == 1.0  # Iran is there, Pompeo not


def test_verdicts_are_chances_between_0_and_1():
    judge = load_judge()
    rng = np.random.default_rng(0)
    for _ in range(20):
        x = judge.mean + judge.scale * rng.normal(size=len(judge.mean))
        verdict = judge.verdict(x)
        assert 0.0 <= verdict.chance <= 1.0
        assert verdict.declines == (verdict.off_topic or verdict.near_miss)
