"""A damaged index is refused with IndexLoadError (never another exception),
and opening the bot rebuilds it and answers."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
from support import SHIPPED_INDEX, SHIPPED_SEEDS

from qabot.bot import Bot, index_state, load_fresh_index
from qabot.embedding.embedder import BundledModel, HashingEmbedder
from qabot.errors import IndexLoadError
from qabot.index.build import update_index
from qabot.index.loaded import Index

QUESTION = "Who chairs the House Foreign Affairs Committee?"
ANSWER_START = "Eliot Engel, chairman of the House Foreign Affairs Committee"


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    """The shipped article indexed with the hashing embedder, built once."""
    root = tmp_path_factory.mktemp("pristine")
    shutil.copytree(SHIPPED_SEEDS, root / "seeds")
    update_index(root / "seeds", root / "index", HashingEmbedder())
    return root


@pytest.fixture
def copy(pristine, tmp_path):
    """A private copy of the pristine seeds and index: (seeds, index)."""
    shutil.copytree(pristine / "seeds", tmp_path / "seeds")
    shutil.copytree(pristine / "index", tmp_path / "index")
    return tmp_path / "seeds", tmp_path / "index"


def truncate(path, keep=0.5):
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])


def segment(folder):
    """The one segment of a freshly built index."""
    (found,) = (folder / "segments").iterdir()
    return found


def _same_size_save(path, change):
    np.save(path, change(np.load(path)))


def _rename_segment(folder, name):
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    (old,) = manifest["segments"]
    manifest["segments"] = {name: manifest["segments"][old]}
    for entry in manifest["files"].values():
        entry["segment"] = name
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def manifest_with(**changes):
    def damage(folder):
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        manifest.update(changes)
        (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return damage


DAMAGE = {
    "passage texts truncated": lambda f: truncate(segment(f) / "passages" / "text.bin"),
    "passage texts emptied": lambda f: (segment(f) / "passages" / "text.bin").write_bytes(b""),
    "sentence offsets garbage of the same size": lambda f: (segment(f) / "sentences" / "text-offsets.npy").write_bytes(
        b"\x93" + b" " * ((segment(f) / "sentences" / "text-offsets.npy").stat().st_size - 1)),
    "article list of the same size, not JSON": lambda f: (segment(f) / "sentences" / "files.json").write_bytes(
        b"[" + b" " * ((segment(f) / "sentences" / "files.json").stat().st_size - 2) + b"]"),
    "manifest.json garbage": lambda f: (f / "manifest.json").write_bytes(b"\x00\x9f garbage {{{"),
    "manifest.json empty": lambda f: (f / "manifest.json").write_bytes(b""),
    "manifest.json truncated": lambda f: truncate(f / "manifest.json"),
    "manifest.json a list": lambda f: (f / "manifest.json").write_text("[1, 2]"),
    "manifest.json other format": manifest_with(format=99),
    "manifest file_sizes a list": manifest_with(file_sizes=[]),
    "manifest file_sizes null": manifest_with(file_sizes=None),
    "manifest files a list": manifest_with(files=[]),
    "manifest files entry empty": manifest_with(files={"iran-missiles-iraq-bases.txt": {}}),
    "manifest model null": manifest_with(model=None),
    "manifest model a string": manifest_with(model="all-MiniLM"),
    "manifest chunking missing": manifest_with(chunking=None, model={"name": "x", "dimension": 3}),
    "manifest.json deleted": lambda f: (f / "manifest.json").unlink(),
    "manifest segments a list": manifest_with(segments=[]),
    "manifest segment with a path for a name": lambda f: _rename_segment(f, "../s000001"),
    "sentences.npy deleted": lambda f: (segment(f) / "sentences.npy").unlink(),
    "passages.npy garbage of the same size": lambda f: (segment(f) / "passages.npy").write_bytes(
        b"\x01" * (segment(f) / "passages.npy").stat().st_size),
    "windows.npy another shape of the same size": lambda f: np.save(
        segment(f) / "windows.npy", np.load(segment(f) / "windows.npy").reshape(-1, 2, 128)),
    "bm25 counts .npy truncated": lambda f: truncate(segment(f) / "bm25-passages" / "counts.npy"),
    "bm25 texts .npy empty": lambda f: (segment(f) / "bm25-sentences" / "texts.npy").write_bytes(b""),
    "bm25 texts .npy garbage": lambda f: (segment(f) / "bm25-passages" / "texts.npy").write_bytes(b"junk" * 50),
    "bm25 offsets .npy another array": lambda f: np.save(segment(f) / "bm25-sentences" / "offsets.npy",
                                                          np.arange(3, dtype=np.int64)),
    "bm25 texts .npy out of range": lambda f: _same_size_save(segment(f) / "bm25-passages" / "texts.npy",
                                                              lambda a: np.full_like(a, 10**6)),
    "bm25 counts .npy deleted": lambda f: (segment(f) / "bm25-passages" / "counts.npy").unlink(),
    "bm25 vocabulary a list of numbers": lambda f: (segment(f) / "bm25-passages" / "terms.json").write_text("[1, 2]"),
    "bm25 vocabulary garbage": lambda f: (segment(f) / "bm25-sentences" / "terms.json").write_text("{"),
    "bm25 folder deleted": lambda f: shutil.rmtree(segment(f) / "bm25-sentences"),
    "segment folder deleted": lambda f: shutil.rmtree(segment(f)),
}


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_damaged_index_raises_index_load_error(copy, damage):
    _, index = copy
    damage(index)
    with pytest.raises(IndexLoadError):
        Index.load(index)


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_damaged_index_is_rebuilt_and_answers(copy, damage):
    seeds, index = copy
    damage(index)
    notices = []
    bot = Bot.open(seeds, index, HashingEmbedder(), notice=notices.append)
    assert bot.last_build is not None and bot.last_build.changed
    assert len(notices) == 1
    answer = bot.ask(QUESTION)
    assert answer.text and answer.text.startswith(ANSWER_START)
    Index.load(index, model_name=HashingEmbedder.name)


def test_load_fresh_index_rebuilds_a_truncated_index(copy):
    seeds, index = copy
    truncate(segment(index) / "passages" / "text.bin")
    notices = []
    loaded, report, _ = load_fresh_index(seeds, index, HashingEmbedder(), notice=notices.append)
    assert report is not None and report.passages == len(loaded.passages) > 0
    assert "truncated" in notices[0] and "building" in notices[0]


def test_fresh_index_is_loaded_without_a_build(copy):
    seeds, index = copy
    notices = []
    _, report, _ = load_fresh_index(seeds, index, HashingEmbedder(), notice=notices.append)
    assert report is None and notices == []


def test_index_of_another_model_is_refused(copy):
    _, index = copy
    with pytest.raises(IndexLoadError, match="built with"):
        Index.load(index, model_name="some-other-model")


def test_committed_index_is_fresh_for_the_shipped_seeds():
    model = BundledModel()
    assert index_state(SHIPPED_SEEDS, SHIPPED_INDEX, model) == "fresh"
    assert model._model is None, "index_state must not load the model"
    loaded = Index.load(SHIPPED_INDEX, model_name=model.name)
    assert loaded.dimension == model.dimension
    assert {p.file for p in loaded.passages} == {"iran-missiles-iraq-bases.txt"}


def test_editing_a_seed_makes_the_index_stale(shipped_copy):
    seeds, index = shipped_copy
    model = BundledModel()
    assert index_state(seeds, index, model) == "fresh"
    article = seeds / "iran-missiles-iraq-bases.txt"
    article.write_text(article.read_text(encoding="utf-8") + "\nOne more closing line was added here.\n",
                       encoding="utf-8")
    assert index_state(seeds, index, model) == "stale"
    assert index_state(seeds, index.parent / "nowhere", model) == "missing"
    assert model._model is None


def test_index_state_of_a_broken_index_is_missing(shipped_copy):
    """``index_state`` reports a broken index as "missing", as it says."""
    seeds, index = shipped_copy
    truncate(segment(index) / "passages" / "text.bin")
    model = BundledModel()
    assert index_state(seeds, index, model) == "missing"
    assert model._model is None
