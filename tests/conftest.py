"""Fixtures shared by the core tests: fake and real embedders, a private copy
of the shipped seeds and index, and the command line run in-process.

With ``QABOT_TEST_STORE=milvus-lite`` in the environment, every bot the
tests open searches a Milvus Lite store (one per index folder) instead
of the index folder: how CI runs the answering tests against each store.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import sys

import pytest
from support import SHIPPED_INDEX, SHIPPED_SEEDS, CliResult, CountingEmbedder

from qabot.embedding.embedder import BundledModel, HashingEmbedder

STORE_UNDER_TEST = os.environ.get("QABOT_TEST_STORE", "embedded")


@pytest.fixture(scope="session", autouse=True)
def store_under_test(tmp_path_factory):
    """Bots opened without a store get the store under test, if any."""
    if STORE_UNDER_TEST == "embedded":
        yield None
        return
    if STORE_UNDER_TEST != "milvus-lite":
        raise pytest.UsageError(f"QABOT_TEST_STORE={STORE_UNDER_TEST!r}: expected embedded or milvus-lite")
    from qabot.bot import Bot
    from qabot.stores import parse_store

    files = tmp_path_factory.mktemp("stores")
    opener = Bot.open.__func__

    def open_with_store(cls, seeds=None, folder=None, *args, store=None, **kwargs):
        from qabot.bot import DEFAULT_INDEX, DEFAULT_SEEDS

        folder = DEFAULT_INDEX if folder is None else folder
        if store is None:
            name = hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:16]
            store = parse_store(f"milvus-lite:{files / name}.db")
        return opener(cls, DEFAULT_SEEDS if seeds is None else seeds, folder, *args, store=store, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Bot, "open", classmethod(open_with_store))
        yield STORE_UNDER_TEST


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
    """Run ``qabot.cli.main.main(args)`` in-process; ``stdin`` feeds standard input."""
    from qabot.cli.main import main

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
