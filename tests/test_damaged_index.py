"""Damaged vectors are never used silently (issue 22, item 2): `qabot index`
checks every file it reuses and writes again what is damaged, `qabot check`
says what is wrong with an index, and a bot whose background check finds
its vectors damaged rebuilds before it answers again."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from support import CountingEmbedder, article, model_stand_in, write_seeds

import qabot.bot
import qabot.index.update
from qabot.bot import Bot
from qabot.embedding.embedder import HashingEmbedder
from qabot.errors import IndexLoadError, IndexWriteError
from qabot.index.build import update_index
from qabot.index.check import check_index
from qabot.index.loaded import ContentCheck, Index, check_file_hashes, read_manifest

ARTICLES = {
    "trains.txt": article("Night Trains Return", "trains"),
    "garden.md": article("A Year In The Garden", "garden"),
    "music.txt": article("The Orchestra Season", "music"),
}
QUESTION = "What did the orchestra rehearse for the concert?"


class HashingModel(HashingEmbedder):
    """Stands in for the bundled model in the commands: no model, no export."""

    def attach_fast_path(self, folder) -> bool:
        return False

    def export_fast_path(self, folder) -> bool:
        return False


@pytest.fixture
def built(tmp_path):
    """Three articles indexed with the hashing embedder: (seeds, index)."""
    seeds = write_seeds(tmp_path / "seeds", ARTICLES)
    update_index(seeds, tmp_path / "index", HashingEmbedder())
    return seeds, tmp_path / "index"


@pytest.fixture
def hashing_commands(monkeypatch, no_model):
    """The commands run with the hashing embedder in place of the model."""
    model_stand_in(monkeypatch, HashingModel)


def vector_files(folder: Path, name: str = "sentences") -> list[str]:
    """The index's files of vector set ``name`` (paths inside the folder)."""
    return [f"segments/{segment}/{name}.npy" for segment in read_manifest(folder)["segments"]]


def damage(folder: Path, name: str = "sentences") -> list[str]:
    """Overwrite the vector files ``name`` with random unit vectors of the
    same size (what the user did); return the files damaged."""
    rng = np.random.default_rng(7)
    files = vector_files(folder, name)
    for file in files:
        rows = np.load(folder / file)
        fake = rng.standard_normal(rows.shape).astype(np.float32)
        np.save(folder / file, fake / np.linalg.norm(fake, axis=1, keepdims=True))
    return files


def all_vectors(folder: Path) -> dict[str, np.ndarray]:
    index = Index.load(folder)
    return {which: index.vectors(which) for which in ("passages", "sentences", "windows")}


# --- the build ---------------------------------------------------------------------------------------

def test_a_verifying_build_rewrites_a_damaged_vector_file_and_names_it(built):
    seeds, folder = built
    before = all_vectors(folder)
    damaged = damage(folder)
    embedder = CountingEmbedder()
    report = update_index(seeds, folder, embedder, verify=True)
    assert report.changed and report.repaired == tuple(damaged)
    assert report.to_json()["repaired"] == damaged
    check_file_hashes(folder, read_manifest(folder))
    after = all_vectors(folder)
    for which in before:
        np.testing.assert_allclose(after[which], before[which], atol=1e-6)
    # Only what the damaged file held was embedded again; passages and windows were reused.
    index = Index.load(folder)
    assert len(embedder.texts) <= len(index.sentences) and report.embedded == 0


def test_a_build_never_copies_vectors_from_a_damaged_file(built):
    """Without ``verify`` too: an article changed, and the vectors of its
    unchanged sentences would be copied from a damaged file into the new
    segment, hashed there as sound and never found again."""
    seeds, folder = built
    damaged = damage(folder)
    (seeds / "music.txt").write_text(ARTICLES["music.txt"] + "\nA late paragraph about the choir and its tempo "
                                     "and the audience that stayed for the melody after the concert.\n",
                                     encoding="utf-8")
    report = update_index(seeds, folder, HashingEmbedder())
    clean = folder.parent / "clean"
    update_index(seeds, clean, HashingEmbedder())
    np.testing.assert_allclose(Index.load(folder).vectors("sentences"), Index.load(clean).vectors("sentences"),
                               atol=1e-6)
    assert report.repaired == tuple(damaged)


def test_qabot_index_repairs_a_damaged_vector_file_and_says_so(cli, built, hashing_commands):
    seeds, folder = built
    before = all_vectors(folder)
    damaged = damage(folder)
    result = cli("index", "--seeds", seeds, "--index", folder, "--json")
    assert result.code == 0, result
    np.testing.assert_allclose(all_vectors(folder)["sentences"], before["sentences"], atol=1e-6)
    counts = json.loads(result.out)
    assert counts["repaired"] == damaged and counts["texts_embedded"] > 0
    damaged = damage(folder, "windows")
    said = cli("index", "--seeds", seeds, "--index", folder)
    assert said.code == 0, said
    assert f"repaired 1 damaged file, written again from the articles: {damaged[0]}" in said.out
    again = cli("index", "--seeds", seeds, "--index", folder, "--json")
    assert again.code == 0 and json.loads(again.out)["repaired"] == []


# --- qabot check -------------------------------------------------------------------------------------

def test_qabot_check_says_a_sound_index_is_sound(cli, built, hashing_commands):
    seeds, folder = built
    result = cli("check", "--seeds", seeds, "--index", folder)
    assert result.code == 0, result
    assert result.out.startswith(f"index {str(folder)!r} is sound: ")
    files = len(read_manifest(folder)["file_sizes"])
    assert f"{files} files" in result.out and "SHA-256" in result.out
    as_json = cli("--seeds", seeds, "--index", folder, "check", "--json")  # options before the command too
    assert as_json.code == 0, as_json
    found = json.loads(as_json.out)
    assert found["sound"] is True and found["problems"] == [] and found["files_checked"] == files


def test_qabot_check_names_the_damaged_file_and_exits_1(cli, built, hashing_commands):
    seeds, folder = built
    damaged = damage(folder)
    result = cli("check", "--seeds", seeds, "--index", folder)
    assert result.code == 1, result
    assert f"index {str(folder)!r} is not sound:" in result.out
    assert f"{str(folder / damaged[0])!r}: its content changed" in result.out
    assert "`qabot index` repairs it" in result.out
    found = json.loads(cli("check", "--seeds", seeds, "--index", folder, "--json").out)
    assert found["sound"] is False and found["damaged_files"] == {damaged[0]: "its content changed"}


def test_qabot_check_finds_a_truncated_file_a_missing_index_and_a_damaged_export(cli, built, hashing_commands):
    seeds, folder = built
    graph = folder / vector_files(folder, "passages")[0]
    graph.write_bytes(graph.read_bytes()[:-4])
    result = cli("check", "--seeds", seeds, "--index", folder, "--json")
    assert result.code == 1 and "not the" in json.loads(result.out)["problems"][0]
    missing = cli("check", "--seeds", seeds, "--index", folder.parent / "none")
    assert missing.code == 1 and "manifest.json missing" in missing.out and "Traceback" not in missing.err
    shutil.rmtree(folder)
    update_index(seeds, folder, HashingEmbedder())
    export = folder.with_name(folder.name + ".qabot-onnx")
    absent = cli("check", "--seeds", seeds, "--index", folder)
    assert absent.code == 0 and "note: no model export for fast questions" in absent.out
    export.mkdir()
    (export / "meta.json").write_text("{}", encoding="utf-8")  # there, but it no longer checks out
    damaged_export = cli("check", "--seeds", seeds, "--index", folder)
    assert damaged_export.code == 1 and "export for fast questions" in damaged_export.out


def test_check_index_notes_changed_articles_without_calling_them_damage(built):
    seeds, folder = built
    (seeds / "trains.txt").unlink()
    check = check_index(seeds, folder, HashingEmbedder())
    assert check.sound and any("changed since the index was built" in note for note in check.notes)


# --- questions ---------------------------------------------------------------------------------------

def test_the_bot_checks_its_vectors_after_the_first_answer_and_rebuilds_before_the_next(built):
    seeds, folder = built
    clean = Bot.open(seeds, folder, HashingEmbedder()).ask(QUESTION)
    before = all_vectors(folder)
    damage(folder)
    notices = []
    bot = Bot.open(seeds, folder, HashingEmbedder(), notice=notices.append)
    assert bot._content_check is None  # nothing is read before the first answer
    bot.ask(QUESTION)
    assert bot._content_check.done.wait(30)
    assert "sentences.npy" in bot._content_check.damage
    answer = bot.ask(QUESTION)
    assert any(notice.startswith("the index is damaged; rebuilding it before answering (index file ")
               and "sentences.npy' is damaged (its content changed)" in notice for notice in notices), notices
    np.testing.assert_allclose(bot.answerer.index.vectors("sentences"), before["sentences"], atol=1e-6)
    assert answer.sentence == clean.sentence and answer.confidence == pytest.approx(clean.confidence)
    check_file_hashes(folder, read_manifest(folder))


def test_a_bot_refuses_to_answer_from_damaged_vectors_it_cannot_rebuild(built, monkeypatch):
    seeds, folder = built
    damage(folder)
    bot = Bot.open(seeds, folder, HashingEmbedder())
    bot.ask(QUESTION)
    assert bot._content_check.done.wait(30) and bot._content_check.damage

    def cannot_write(*args, **kwargs):
        raise IndexWriteError(f"cannot write the index {str(folder)!r} (Read-only file system)")

    monkeypatch.setattr(qabot.index.update, "update_index", cannot_write)
    for _ in range(2):  # not this question, nor the next
        with pytest.raises(IndexLoadError, match="sentences.npy' is damaged .*cannot be rebuilt"):
            bot.ask(QUESTION)


def test_damage_seen_while_another_build_replaced_the_index_is_not_reported(built):
    seeds, folder = built
    index = Index.load(folder)
    (seeds / "trains.txt").unlink()
    update_index(seeds, folder, HashingEmbedder())  # the folder now holds another index
    check = ContentCheck(index).start()
    assert check.done.wait(30) and check.damage is None
