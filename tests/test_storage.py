"""A build that dies never leaves half an index: the folder is swapped in
with renames, an interrupted swap is recovered, and builds take a lock."""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from support import REPO, TOPICS, article, snapshot, write_seeds

import qabot.index.storage
from qabot.embedding.embedder import HashingEmbedder
from qabot.errors import IndexLoadError, QabotError
from qabot.index.build import update_index
from qabot.index.loaded import Index
from qabot.index.storage import build_lock, new_folder, old_folder, recover


@pytest.fixture
def indexed(tmp_path):
    """A seeds folder with two articles and its index: (seeds, index)."""
    seeds = write_seeds(tmp_path / "seeds", {
        "trains.txt": article("Night Trains Return", "trains"),
        "garden.txt": article("A Year In The Garden", "garden"),
    })
    update_index(seeds, tmp_path / "index", HashingEmbedder())
    return seeds, tmp_path / "index"


# A build in a child process whose embedder (or manifest writer) announces
# that it started, then works slowly, so the test can kill it part-way.
BUILD_SCRIPT = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    import qabot.index.build
    from qabot.embedding.embedder import HashingEmbedder

    seeds, index, marker, where = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4]

    class SlowEmbedder(HashingEmbedder):
        def encode(self, texts, progress=None):
            if where == "embedding":
                marker.write_text("started")
                time.sleep(0.05 * len(texts))
            return super().encode(texts, progress)

    if where == "writing":
        write_json = qabot.index.build.write_json
        def slow_write_json(path, data):
            marker.write_text("started")
            time.sleep(60)
            write_json(path, data)
        qabot.index.build.write_json = slow_write_json

    qabot.index.build.update_index(seeds, index, SlowEmbedder())
    print("finished")
""")


@pytest.mark.parametrize("where", ["embedding", "writing"])
def test_killed_build_leaves_the_old_index_intact(indexed, tmp_path, where):
    seeds, index = indexed
    before = snapshot(index)
    old = Index.load(index)
    for number in range(150):
        topic = TOPICS[number % len(TOPICS)]
        write_seeds(seeds, {f"generated/{number:03d}.txt": article(f"Report {number}", topic, paragraphs=4)
                            + f"Closing note number {number} for this generated report.\n"})
    script = tmp_path / "slow_build.py"
    script.write_text(BUILD_SCRIPT, encoding="utf-8")
    marker = tmp_path / "started"
    env = dict(os.environ, PYTHONPATH=str(REPO))
    child = subprocess.Popen([sys.executable, str(script), str(seeds), str(index), str(marker), where],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert child.poll() is None, child.communicate()
            assert time.monotonic() < deadline, "the build never started"
            time.sleep(0.02)
        time.sleep(0.2)
        assert child.poll() is None, "the build finished before it could be killed"
    finally:
        child.send_signal(signal.SIGKILL)
        out, _ = child.communicate(timeout=30)
    assert b"finished" not in out

    if where == "writing":  # the half-written staging folder is there
        assert list(index.parent.glob(index.name + ".qabot-new-*"))
    assert snapshot(index) == before
    loaded = Index.load(index)
    assert [p.text for p in loaded.passages] == [p.text for p in old.passages]

    # the dead build's lock is gone, and a new build succeeds
    with open(index.with_name(index.name + ".qabot-lock"), "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        fcntl.flock(handle, fcntl.LOCK_UN)
    report = update_index(seeds, index, HashingEmbedder())
    assert report.changed and report.files == 152
    assert len(Index.load(index).manifest["files"]) == 152
    assert not list(index.parent.glob(index.name + ".qabot-new-*"))
    assert not old_folder(index).exists()


def test_crash_between_the_renames_is_recovered(indexed):
    """The first rename moved the index aside; the process died before the
    second: the next reader puts the old index back."""
    _, index = indexed
    before = snapshot(index)
    os.rename(index, old_folder(index))
    assert not index.exists()
    loaded = Index.load(index)
    assert snapshot(index) == before
    assert not old_folder(index).exists()
    assert loaded.passages


def test_leftover_old_folder_beside_a_complete_index_is_removed(indexed):
    """Died after the second rename, before removing the old folder."""
    _, index = indexed
    shutil.copytree(index, old_folder(index))
    (old_folder(index) / "manifest.json").write_text("stale")
    before = snapshot(index)
    Index.load(index)
    assert not old_folder(index).exists()
    assert snapshot(index) == before


def test_recover_does_nothing_without_a_swap(tmp_path):
    folder = tmp_path / "index"
    recover(folder)
    assert not folder.exists() and not old_folder(folder).exists()
    with pytest.raises(IndexLoadError):
        Index.load(folder)


def test_failed_build_body_leaves_folder_as_it_was(indexed):
    _, index = indexed
    before = snapshot(index)
    with pytest.raises(RuntimeError):
        with build_lock(index), new_folder(index) as staging:
            (staging / "manifest.json").write_text("{}")
            raise RuntimeError("disk full")
    assert snapshot(index) == before
    assert not list(index.parent.glob(index.name + ".qabot-new-*"))


def test_new_folder_replaces_the_index_and_cleans_up(tmp_path):
    folder = tmp_path / "index"
    folder.mkdir()
    (folder / "old.txt").write_text("old")
    with build_lock(folder), new_folder(folder) as staging:
        (staging / "new.txt").write_text("new")
    assert sorted(p.name for p in folder.iterdir()) == ["new.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index", "index.qabot-lock"]


def test_a_second_build_waits_for_the_lock(indexed):
    seeds, index = indexed
    write_seeds(seeds, {"music.txt": article("The Orchestra Season", "music")})
    done = threading.Event()
    reports, notices = [], []

    def build():
        reports.append(update_index(seeds, index, HashingEmbedder(), notice=notices.append))
        done.set()

    with build_lock(index):
        worker = threading.Thread(target=build, daemon=True)
        worker.start()
        assert not done.wait(0.5), "the build did not wait for the lock"
        assert "music.txt" not in Index.load(index).manifest["files"]
        assert notices == [f"waiting for another build of {str(index)!r} (pid {os.getpid()}) to finish"]
    assert done.wait(30)
    assert reports[0].files == 3


def test_a_reader_during_the_swap_does_not_break_the_build(indexed, monkeypatch):
    """Readers recover an interrupted swap; a reader that looks at the index
    while a live build is between its two renames must not undo that build."""
    seeds, index = indexed
    write_seeds(seeds, {"music.txt": article("The Orchestra Season", "music")})
    real_rename = os.rename
    readers = []

    def rename_then_read(src, dst):
        real_rename(src, dst)
        if Path(dst) == old_folder(index):
            try:  # another process (the chat window, a second `qabot ask`) opens the index now
                readers.append(len(Index.load(index).passages))
            except IndexLoadError:
                readers.append(None)

    monkeypatch.setattr(qabot.index.storage.os, "rename", rename_then_read)
    report = update_index(seeds, index, HashingEmbedder())
    monkeypatch.undo()
    assert readers, "the swap did not happen"
    assert report.files == 3
    assert {p["file"] for p in (p.to_json() for p in Index.load(index).passages)} == {"trains.txt", "garden.txt", "music.txt"}
    assert not old_folder(index).exists()


def test_index_path_that_is_a_file_is_refused_and_kept(indexed, tmp_path):
    """``--index notes.txt`` must not move the user's file aside."""
    seeds, _ = indexed
    notes = tmp_path / "notes.txt"
    notes.write_text("my own notes")
    with pytest.raises(QabotError):
        update_index(seeds, notes, HashingEmbedder())
    assert notes.is_file() and notes.read_text() == "my own notes"
    assert not old_folder(notes).exists()
