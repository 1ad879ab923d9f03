"""The one order in which an update keeps a store in step with the index
folder (qabot.index.update.IndexUpdate), checked with a store that only
records what it is asked: copy before the switch, then what it lacks, then
the new index put to use, and only then old rows forgotten. The bot's paths
(a question that finds the index stale, a rebuild) are checked the same way."""

from __future__ import annotations

from support import article, write_seeds

from qabot.bot import Bot, load_fresh_index
from qabot.embedding.embedder import HashingEmbedder
from qabot.index.build import update_index
from qabot.index.loaded import read_manifest
from qabot.index.update import IndexUpdate


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


class RecordingUpdate(IndexUpdate):
    """An update that notes in ``calls`` when its build runs."""

    def __init__(self, seeds, folder, store, calls, take_over=False):
        super().__init__(seeds, folder, HashingEmbedder(), store, take_over=take_over)
        self.calls = calls

    def build(self, force=False, verify=False):
        self.calls.append(("build",))
        return super().build(force=force, verify=verify)


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
    report = RecordingUpdate(seeds, folder, store, calls).run(use=lambda: calls.append(("switch",)))
    after = read_manifest(folder)
    assert report.changed and after["segments"] != before["segments"]
    assert [c[0] for c in calls] == ["build", "add", "claim", "switch", "forget"]
    assert calls[1] == ("add", sorted(after["segments"]), False)
    assert calls[-1] == ("forget", sorted(after["segments"]), sorted(before["segments"]))


def test_no_build_no_forgetting_unless_the_store_is_taken_over(tmp_path):
    seeds, folder, manifest, store = _built(tmp_path)
    update = IndexUpdate(seeds, folder, HashingEmbedder(), store)
    update.fill_store()
    update.forget_old_rows()
    assert update.report is None and store.calls == [("claim", False)]

    taken = RecordingStore()
    update = IndexUpdate(seeds, folder, HashingEmbedder(), taken, take_over=True)
    update.fill_store()
    update.forget_old_rows()
    # Segments it lacks are copied; then, taken over, every row of an article
    # its segment no longer lists is swept (no manifest before to compare).
    assert [c[0] for c in taken.calls] == ["add", "forget"]
    assert taken.calls[-1] == ("forget", sorted(manifest["segments"]), None)


def test_a_build_that_changed_nothing_still_forgets_against_the_manifest_before(tmp_path):
    seeds, folder, manifest, store = _built(tmp_path)
    report = RecordingUpdate(seeds, folder, store, store.calls).run()
    assert not report.changed
    assert store.calls == [("build",), ("claim", False), ("forget", sorted(manifest["segments"]),
                                                            sorted(manifest["segments"]))]


def test_without_a_store_only_the_update_and_the_switch_run(tmp_path):
    seeds, folder = _seeds(tmp_path), tmp_path / "index"
    calls = []
    report = RecordingUpdate(seeds, folder, None, calls).run(use=lambda: calls.append(("switch",)))
    assert report.changed and calls == [("build",), ("switch",)]


def test_a_stale_index_found_by_the_bot_is_built_copied_used_then_forgotten(tmp_path):
    seeds, folder, before, store = _built(tmp_path)
    (seeds / "a.txt").write_text(article("Alpha", "weather", 4), encoding="utf-8")
    used = []
    index, report, stale = load_fresh_index(seeds, folder, HashingEmbedder(), store=store,
                                            use=lambda index: store.calls.append(("switch",)) or used.append(index))
    after = read_manifest(folder)
    assert report.changed and stale is None and used == [index]
    assert [c[0] for c in store.calls] == ["add", "claim", "switch", "forget"]
    assert store.calls[-1] == ("forget", sorted(after["segments"]), sorted(before["segments"]))


def test_a_rebuild_puts_the_new_index_to_use_before_the_store_forgets(tmp_path, monkeypatch):
    seeds, folder, before, store = _built(tmp_path)
    (seeds / "b.txt").write_text(article("Beta", "garden", 5), encoding="utf-8")
    monkeypatch.setattr(Bot, "_use_new_index", lambda bot: store.calls.append(("switch",)))
    bot = Bot(seeds, folder, HashingEmbedder(), answerer=None, store=store)
    report = bot.rebuild()
    assert report.changed and bot.stale_because is None
    assert [c[0] for c in store.calls] == ["add", "claim", "switch", "forget"]
