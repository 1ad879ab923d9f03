"""The one order in which an update keeps a store in step with the index
folder (qabot.stores.update_keeping_store), checked with a store that only
records what it is asked: copy before the switch, then what it lacks, then
the new index put to use, and only then old rows forgotten."""

from __future__ import annotations

from qabot.build import update_index
from qabot.embedder import HashingEmbedder
from qabot.index import read_manifest
from qabot.stores import update_keeping_store
from support import article, write_seeds


class RecordingStore:
    """Holds nothing; records each call, and which segments it was given."""

    address = "recording"

    def __init__(self) -> None:
        self.calls: list[tuple] = []
        self.held: set[str] = set()

    def add(self, source, manifest, progress=None, take_over=False) -> int:
        self.calls.append(("add", sorted(manifest["segments"]), take_over))
        self.held |= set(manifest["segments"])
        return 1

    def missing(self, manifest) -> list[str]:
        return [name for name in manifest["segments"] if name not in self.held]

    def claim(self, manifest, take_over=False) -> None:
        self.calls.append(("claim", take_over))

    def forget(self, manifest, previous=None) -> None:
        self.calls.append(("forget", sorted(manifest["segments"]),
                           None if previous is None else sorted(previous["segments"])))


def _seeds(tmp_path):
    return write_seeds(tmp_path / "seeds", {"a.txt": article("Alpha", "weather", 2),
                                            "b.txt": article("Beta", "garden", 2)})


def _update(seeds, folder, calls, force=False):
    def update(before_switch=None):
        calls.append(("build",))
        return update_index(seeds, folder, HashingEmbedder(), force=force, before_switch=before_switch)
    return update


def _built(tmp_path):
    """Articles, their index, its manifest, and a store holding it whole."""
    seeds, folder = _seeds(tmp_path), tmp_path / "index"
    update_index(seeds, folder, HashingEmbedder())
    manifest = read_manifest(folder)
    store = RecordingStore()
    store.held |= set(manifest["segments"])
    return seeds, folder, manifest, store


def test_a_build_copies_before_the_switch_and_forgets_after_the_new_index_is_in_use(tmp_path):
    seeds, folder, before, store = _built(tmp_path)
    (seeds / "a.txt").write_text(article("Alpha", "weather", 4), encoding="utf-8")
    calls = store.calls
    report = update_keeping_store(store, folder, _update(seeds, folder, calls),
                                  switch=lambda: calls.append(("switch",)))
    after = read_manifest(folder)
    assert report.changed and after["segments"] != before["segments"]
    assert [c[0] for c in calls] == ["build", "add", "claim", "switch", "forget"]
    assert calls[1] == ("add", sorted(after["segments"]), False)
    assert calls[-1] == ("forget", sorted(after["segments"]), sorted(before["segments"]))


def test_no_build_no_forgetting_unless_the_store_is_taken_over(tmp_path):
    seeds, folder, manifest, store = _built(tmp_path)
    assert update_keeping_store(store, folder, lambda before_switch: None) is None
    assert store.calls == [("claim", False)]

    taken = RecordingStore()
    update_keeping_store(taken, folder, lambda before_switch: None, take_over=True)
    # Segments it lacks are copied; then, taken over, every row of an article
    # its segment no longer lists is swept (no manifest before to compare).
    assert [c[0] for c in taken.calls] == ["add", "forget"]
    assert taken.calls[-1] == ("forget", sorted(manifest["segments"]), None)


def test_a_build_that_changed_nothing_still_forgets_against_the_manifest_before(tmp_path):
    seeds, folder, manifest, store = _built(tmp_path)
    report = update_keeping_store(store, folder, _update(seeds, folder, store.calls))
    assert not report.changed
    assert store.calls == [("build",), ("claim", False), ("forget", sorted(manifest["segments"]),
                                                            sorted(manifest["segments"]))]


def test_without_a_store_only_the_update_and_the_switch_run(tmp_path):
    seeds, folder = _seeds(tmp_path), tmp_path / "index"
    calls = []
    report = update_keeping_store(None, folder, _update(seeds, folder, calls), switch=lambda: calls.append(("switch",)))
    assert report.changed and calls == [("build",), ("switch",)]
