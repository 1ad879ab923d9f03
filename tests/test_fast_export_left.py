"""Every path that builds an index leaves the model export for fast
questions beside it (issue 22, item 3): a bot that builds the index on
opening (`qabot eval`, `qabot ask`, the chat window), and the chat window's
rebuild, not only `qabot index`. A fresh index is not exported again."""

from __future__ import annotations

from pathlib import Path

from qabot.bot import Bot
from qabot.embedding.embedder import HashingEmbedder
from qabot.embedding.fast_encoder import onnx_folder
from support import article, model_stand_in, write_seeds


class ExportingEmbedder(HashingEmbedder):
    """The test embedder with a fast path, as the bundled model has one: an
    export is a folder holding meta.json, and exports are counted."""

    def __init__(self) -> None:
        super().__init__()
        self.exported: list[Path] = []
        self.attached: Path | None = None

    def attach_fast_path(self, folder) -> bool:
        if (Path(folder) / "meta.json").is_file():
            self.attached = Path(folder)
        return self.attached is not None

    @property
    def has_fast_path(self) -> bool:
        return self.attached is not None

    def export_fast_path(self, folder) -> bool:
        self.exported.append(Path(folder))
        Path(folder).mkdir(parents=True, exist_ok=True)
        (Path(folder) / "meta.json").write_text("{}", encoding="utf-8")
        return True


def _seeds(tmp_path: Path) -> Path:
    return write_seeds(tmp_path / "seeds", {"a.txt": article("Alpha", "weather", 2)})


def test_a_bot_that_builds_the_index_leaves_the_export_beside_it(tmp_path):
    seeds, folder, embedder = _seeds(tmp_path), tmp_path / "index", ExportingEmbedder()
    notices = []
    bot = Bot.open(seeds, folder, embedder=embedder, notice=notices.append)
    assert bot.last_build is not None
    assert embedder.exported == [onnx_folder(folder)]
    assert (onnx_folder(folder) / "meta.json").is_file() and embedder.has_fast_path
    assert any("for fast questions" in notice for notice in notices)


def test_a_fresh_index_with_its_export_is_not_exported_again(tmp_path):
    seeds, folder = _seeds(tmp_path), tmp_path / "index"
    Bot.open(seeds, folder, embedder=ExportingEmbedder())
    again = ExportingEmbedder()
    bot = Bot.open(seeds, folder, embedder=again)
    assert bot.last_build is None and again.exported == [] and again.has_fast_path


def test_the_chat_windows_rebuild_restores_a_missing_export(tmp_path):
    seeds, folder, embedder = _seeds(tmp_path), tmp_path / "index", ExportingEmbedder()
    bot = Bot.open(seeds, folder, embedder=embedder)
    (onnx_folder(folder) / "meta.json").unlink()
    embedder.attached = None
    (seeds / "b.txt").write_text(article("Beta", "garden", 2), encoding="utf-8")
    bot.rebuild()
    assert embedder.exported == [onnx_folder(folder)] * 2
    assert (onnx_folder(folder) / "meta.json").is_file()


def test_an_embedder_without_an_export_is_left_alone(tmp_path):
    seeds, folder = _seeds(tmp_path), tmp_path / "index"
    bot = Bot.open(seeds, folder, embedder=HashingEmbedder())
    assert bot.last_build is not None and not onnx_folder(folder).exists()


def test_a_scratch_index_is_not_exported(tmp_path):
    seeds, folder, embedder = _seeds(tmp_path), tmp_path / "index", ExportingEmbedder()
    bot = Bot.open(seeds, folder, embedder=embedder, export=False)
    assert bot.last_build is not None and embedder.exported == [] and not onnx_folder(folder).exists()


class FailingExport(ExportingEmbedder):
    """A model whose export always fails; every try is counted."""

    tries: list[Path] = []

    def export_fast_path(self, folder) -> bool:
        FailingExport.tries.append(Path(folder))
        return False


def test_qabot_index_exports_once_and_says_so_only_in_text(cli, monkeypatch, tmp_path):
    seeds = _seeds(tmp_path)
    model_stand_in(monkeypatch, ExportingEmbedder)
    said = cli("index", "--seeds", seeds, "--index", tmp_path / "index")
    assert said.code == 0 and said.err.count("for fast questions") == 1
    assert (onnx_folder(tmp_path / "index") / "meta.json").is_file()
    quiet = cli("index", "--seeds", seeds, "--index", tmp_path / "other", "--json")
    assert quiet.code == 0 and "exporting" not in quiet.err
    assert (onnx_folder(tmp_path / "other") / "meta.json").is_file()


def test_a_failing_export_is_tried_once_and_said(cli, monkeypatch, tmp_path):
    seeds = _seeds(tmp_path)
    model_stand_in(monkeypatch, FailingExport)
    FailingExport.tries.clear()
    result = cli("index", "--seeds", seeds, "--index", tmp_path / "index", "--json")
    assert result.code == 0 and FailingExport.tries == [onnx_folder(tmp_path / "index")]
    assert result.err.count("the fast question path is unavailable") == 1
