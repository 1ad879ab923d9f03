"""The ONNX export that embeds questions without PyTorch: it must give the
model's vectors, be used when it sits beside the index, and be ignored (the
normal path taken) when it is missing or does not match."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import numpy as np
import pytest
from support import REPO

from qabot.embedding.embedder import BundledModel
from qabot.embedding.fast_encoder import META_FILE, ONNX_FILE, OnnxEncoder, onnx_folder

QUESTIONS = [
    "Where is the Al-Asad base?",
    "Who is Iran's foreign minister?",
    "What did he say Iran does not seek?",
    "How do I bake sourdough bread?",
    "x",
    "A much longer question that goes on and on about ballistic missiles, air bases, casualties, "
    "statements on Twitter and what the Pentagon said early on Wednesday morning?",
]


@pytest.fixture(scope="module")
def exported(tmp_path_factory, real_model):
    folder = tmp_path_factory.mktemp("fast") / "embeddings.qabot-onnx"
    assert real_model.export_fast_path(folder)
    return folder


@pytest.mark.model
def test_the_export_gives_the_models_vectors(exported, real_model):
    encoder = OnnxEncoder.load(exported, real_model.name, real_model.dimension)
    assert encoder is not None
    expected = real_model.model.encode(QUESTIONS, normalize_embeddings=True, convert_to_numpy=True)
    for got in (encoder.encode(QUESTIONS), np.concatenate([encoder.encode([q]) for q in QUESTIONS])):
        assert got.shape == expected.shape
        assert float((got * expected).sum(axis=1).min()) >= 0.9999


@pytest.mark.model
def test_questions_go_through_the_export_once_attached(exported, real_model):
    model = BundledModel()
    model._model = real_model.model  # share the loaded weights
    assert model.attach_fast_path(exported)
    calls = []
    original = model._fast.encode
    model._fast.encode = lambda texts: calls.append(list(texts)) or original(texts)
    model.encode(["Where is the Al-Asad base?"])
    assert calls == [["Where is the Al-Asad base?"]]
    model.encode([f"text {n}" for n in range(model.fast_batch + 1)])  # a build batch: the normal path
    assert len(calls) == 1


@pytest.mark.model
def test_ask_beside_an_export_never_imports_torch_or_scipy(exported, shipped_copy):
    seeds, index = shipped_copy
    shutil.copytree(exported, onnx_folder(index))
    script = (
        "import sys, json; from qabot.cli.main import main; "
        "code = main(['ask', 'How many missiles did Iran fire?', '--json']); "
        "heavy = sorted(m for m in ('torch', 'sentence_transformers', 'scipy', 'bm25s', 'trafilatura', 'ray', 'pymilvus') "
        "if m in sys.modules); "
        "print(json.dumps({'code': code, 'heavy': heavy}))"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=seeds.parent, capture_output=True, text=True,
                            timeout=120, env={"PYTHONPATH": str(REPO), "HF_HUB_OFFLINE": "1", "PATH": "/usr/bin"})
    answer, status = (json.loads(line) for line in result.stdout.splitlines())
    assert status == {"code": 0, "heavy": []}
    assert answer["answer"].startswith("PENTAGON - Iran fired more than a dozen")
    assert answer["source"]["line"] == 7


def test_no_export_means_the_normal_path(tmp_path):
    model = BundledModel()
    assert not model.attach_fast_path(tmp_path / "nothing-here")
    assert model._fast is None


def test_an_export_for_another_model_is_ignored(tmp_path):
    folder = tmp_path / "embeddings.qabot-onnx"
    folder.mkdir()
    (folder / META_FILE).write_text(json.dumps({"model": "another", "dimension": 384, "checked": True}))
    (folder / ONNX_FILE).write_bytes(b"not a model")
    assert OnnxEncoder.load(folder, BundledModel.name, BundledModel.dimension) is None


def test_a_damaged_export_is_ignored(tmp_path):
    folder = tmp_path / "embeddings.qabot-onnx"
    folder.mkdir()
    (folder / META_FILE).write_text(json.dumps({"model": BundledModel.name, "dimension": 384, "checked": True}))
    (folder / ONNX_FILE).write_bytes(b"not a model")
    assert OnnxEncoder.load(folder, BundledModel.name, BundledModel.dimension) is None


def test_an_attached_export_stays_when_another_folder_has_none(tmp_path):
    model = BundledModel()
    model._fast = sentinel = object()
    assert model.attach_fast_path(tmp_path / "nothing-here")
    assert model._fast is sentinel


def test_the_export_sits_beside_the_index(tmp_path):
    assert onnx_folder(tmp_path / "embeddings") == tmp_path / "embeddings.qabot-onnx"
