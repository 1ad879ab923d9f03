"""Fixtures shared by the core tests: fake and real embedders, a private copy
of the shipped seeds and index, and the command line run in-process."""

from __future__ import annotations

import io
import shutil
import sys

import pytest

from qabot.embedder import BundledModel, HashingEmbedder
from support import SHIPPED_INDEX, SHIPPED_SEEDS, CliResult, CountingEmbedder


@pytest.fixture
def embedder() -> HashingEmbedder:
    return HashingEmbedder()


@pytest.fixture
def counting_embedder() -> CountingEmbedder:
    return CountingEmbedder()


@pytest.fixture
def shipped_copy(tmp_path):
    """A private copy of the shipped seeds and committed index: (seeds, index)."""
    seeds, index = tmp_path / "seeds", tmp_path / "embeddings"
    shutil.copytree(SHIPPED_SEEDS, seeds)
    shutil.copytree(SHIPPED_INDEX, index)
    return seeds, index


@pytest.fixture
def workdir(shipped_copy, monkeypatch):
    """The current directory is a folder holding copies of ``seeds/`` and
    ``embeddings/``, as in a checkout of the project."""
    seeds, _ = shipped_copy
    monkeypatch.chdir(seeds.parent)
    return seeds.parent


@pytest.fixture(scope="session")
def real_model() -> BundledModel:
    """The bundled model, loaded once for the whole session."""
    model = BundledModel()
    model.encode(["warm up"])
    return model


@pytest.fixture(scope="session")
def model_export(real_model, tmp_path_factory):
    """The model exported for fast questions once for the session, as
    `qabot index` exports it beside an index."""
    folder = tmp_path_factory.mktemp("export") / "embeddings.qabot-onnx"
    assert real_model.export_fast_path(folder)
    return folder


@pytest.fixture
def shared_model(real_model, model_export, monkeypatch) -> BundledModel:
    """Every BundledModel created during the test (for instance by the CLI)
    runs the session's already-loaded model instead of loading its own, and
    finds the session's export where an index has none of its own (as
    after `qabot index`)."""
    monkeypatch.setattr(BundledModel, "_load", lambda self: real_model.model)
    attach = BundledModel.attach_fast_path
    monkeypatch.setattr(BundledModel, "attach_fast_path",
                        lambda self, folder: attach(self, folder) or attach(self, model_export))
    return real_model


@pytest.fixture
def no_model(monkeypatch):
    """Fail the test if anything loads the real model."""
    def refuse(self):
        raise AssertionError("the model was loaded")
    monkeypatch.setattr(BundledModel, "_load", refuse)


@pytest.fixture
def cli(capsys, monkeypatch):
    """Run ``qabot.cli.main(args)`` in-process; ``stdin`` feeds standard input."""
    from qabot.cli import main

    def run(*args, stdin: str | None = None) -> CliResult:
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        capsys.readouterr()
        try:
            code = main([str(a) for a in args])
        except SystemExit as exit_:
            code = exit_.code
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run
