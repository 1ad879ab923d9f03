"""Building and updating the index: only changed text is embedded, removed
articles disappear everywhere, and an unchanged rebuild writes nothing."""

from __future__ import annotations

import numpy as np
import pytest
from support import CountingEmbedder, article, prose, write_seeds

from qabot.embedding.embedder import HashingEmbedder
from qabot.index.build import update_index
from qabot.index.loaded import Index, embedding_texts, passage_embedding_text
from qabot.index.records import Passage, Sentence

ARTICLES = {
    "trains.txt": article("Night Trains Return", "trains"),
    "garden.md": article("A Year In The Garden", "garden"),
    "music.txt": article("The Orchestra Season", "music"),
}
PER_FILE = 3  # paragraphs of 60 words: one passage each


@pytest.fixture
def built(tmp_path):
    """Seeds with three articles, indexed once: (seeds, index folder, embedder)."""
    seeds = write_seeds(tmp_path / "seeds", ARTICLES)
    embedder = CountingEmbedder()
    report = update_index(seeds, tmp_path / "index", embedder)
    assert report.changed and report.files == 3 and report.passages == 3 * PER_FILE
    assert report.embedded == report.passages and report.reused == 0 and report.removed == 0
    embedder.reset()
    return seeds, tmp_path / "index", embedder


def records(folder):
    """The index's passages and sentences, as stored records."""
    index = Index.load(folder)
    return [p.to_json() for p in index.passages], [s.to_json() for s in index.sentences]


def model_texts(folder) -> set[str]:
    """Every distinct text the model is shown for the index in ``folder``:
    passages, sentences, and sentences read after the one before them."""
    passages, sentences = records(folder)
    sets = embedding_texts([Passage(**p) for p in passages], [Sentence(**s) for s in sentences])
    return {text for texts in sets.values() for text in texts}


def test_first_build_embeds_every_passage_and_sentence_once(tmp_path):
    seeds = write_seeds(tmp_path / "seeds", ARTICLES)
    embedder = CountingEmbedder()
    report = update_index(seeds, tmp_path / "index", embedder)
    passages, sentences = records(tmp_path / "index")
    assert sorted(embedder.texts) == sorted(model_texts(tmp_path / "index"))
    assert {passage_embedding_text(p["title"], p["text"]) for p in passages} <= set(embedder.texts)
    assert (report.passages, report.sentences) == (len(passages), len(sentences))
    assert report.to_json().keys() == {"files", "passages", "sentences", "embedded", "texts_embedded", "reused",
                                       "removed", "skipped", "repaired", "seconds"}
    assert report.texts_embedded == len(set(embedder.texts)) > report.embedded


def test_changing_one_paragraph_embeds_only_that_passage(built):
    seeds, folder, embedder = built
    before, before_sentences = records(folder)
    texts_before = model_texts(folder)
    old_vectors = Index.load(folder).vectors("passages")
    old_paragraph = prose("garden", 1)
    new_paragraph = prose("finance", 7)
    path = seeds / "garden.md"
    path.write_text(path.read_text(encoding="utf-8").replace(old_paragraph, new_paragraph), encoding="utf-8")

    report = update_index(seeds, folder, embedder)

    assert report.changed
    assert (report.embedded, report.reused, report.removed) == (1, 3 * PER_FILE - 1, 1)
    after, after_sentences = records(folder)
    changed = [p for p in after if p["text"] == new_paragraph]
    assert len(changed) == 1
    assert sorted(embedder.texts) == sorted(model_texts(folder) - texts_before)
    assert passage_embedding_text("A Year In The Garden", new_paragraph) in embedder.texts
    assert old_paragraph not in {p["text"] for p in after}
    assert not {s["text"] for s in after_sentences if s["passage"] == changed[0]["id"]} & {
        s["text"] for s in before_sentences}
    # reused passages keep their vectors exactly
    index = Index.load(folder)
    new_vectors = index.vectors("passages")
    old_by_text = {p["text"]: old_vectors[p["id"]] for p in before}
    for p in after:
        if p["text"] != new_paragraph:
            np.testing.assert_array_equal(new_vectors[p["id"]], old_by_text[p["text"]])
    fresh = HashingEmbedder().encode([passage_embedding_text(changed[0]["title"], new_paragraph)])[0]
    np.testing.assert_allclose(new_vectors[changed[0]["id"]], fresh, rtol=1e-6)


def test_changing_a_title_re_embeds_that_article_only(built):
    """The model reads every passage and sentence after its article's title."""
    seeds, folder, embedder = built
    path = seeds / "music.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("The Orchestra Season", "Concert Hall News"),
                    encoding="utf-8")
    report = update_index(seeds, folder, embedder)
    assert (report.embedded, report.reused) == (PER_FILE, 2 * PER_FILE)
    assert embedder.texts and all(text.startswith("Concert Hall News") for text in embedder.texts)
    assert sorted(embedder.texts) == sorted(t for t in model_texts(folder) if t.startswith("Concert Hall News"))


def test_removing_a_file_removes_its_records_everywhere(built):
    seeds, folder, embedder = built
    (seeds / "music.txt").unlink()
    report = update_index(seeds, folder, embedder)
    assert (report.files, report.passages, report.embedded, report.removed) == (2, 2 * PER_FILE, 0, PER_FILE)
    assert report.reused == 2 * PER_FILE
    assert embedder.texts == []
    passages, sentences = records(folder)
    assert {p["file"] for p in passages} == {"trains.txt", "garden.md"}
    assert {s["file"] for s in sentences} == {"trains.txt", "garden.md"}
    assert [p["id"] for p in passages] == list(range(len(passages)))
    assert [s["id"] for s in sentences] == list(range(len(sentences)))
    index = Index.load(folder)
    assert len(index.vectors("passages")) == len(passages) == index.passage_bm25.size
    assert len(index.vectors("windows")) == len(sentences) == index.sentence_bm25.size
    assert "music.txt" not in index.manifest["files"]
    assert not index.passage_bm25.scores("violin orchestra symphony").any()
    assert not index.sentence_bm25.scores("violin orchestra symphony").any()
    assert index.passage_bm25.scores("railway locomotive").any()


def test_removed_counts_passages_even_when_another_file_has_the_same_text(tmp_path):
    """``removed`` is the number of passages that left the index."""
    seeds = write_seeds(tmp_path / "seeds", {"a.txt": ARTICLES["trains.txt"], "copy.txt": ARTICLES["trains.txt"]})
    update_index(seeds, tmp_path / "index", HashingEmbedder())
    (seeds / "copy.txt").unlink()
    report = update_index(seeds, tmp_path / "index", HashingEmbedder())
    assert report.passages == PER_FILE
    assert report.removed == PER_FILE


def test_renamed_file_reuses_every_vector(built):
    seeds, folder, embedder = built
    (seeds / "trains.txt").rename(seeds / "railways.txt")
    report = update_index(seeds, folder, embedder)
    assert report.changed and report.embedded == 0 and embedder.texts == []
    assert {p["file"] for p in records(folder)[0]} == {"railways.txt", "garden.md", "music.txt"}


def test_added_file_embeds_only_its_passages(built):
    seeds, folder, embedder = built
    write_seeds(seeds, {"sub/weather.txt": article("Storm Warning", "weather", paragraphs=2)})
    report = update_index(seeds, folder, embedder)
    assert (report.files, report.embedded, report.reused, report.removed) == (4, 2, 3 * PER_FILE, 0)
    assert all("weather" in text.lower() or "storm" in text.lower() for text in embedder.texts)


def test_unchanged_rebuild_writes_and_embeds_nothing(built):
    seeds, folder, embedder = built
    stamps = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    inode = folder.stat().st_ino
    report = update_index(seeds, folder, embedder)
    assert not report.changed
    assert (report.embedded, report.reused, report.removed) == (0, 3 * PER_FILE, 0)
    assert embedder.texts == []
    assert folder.stat().st_ino == inode
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == stamps


def test_force_re_embeds_everything(built):
    seeds, folder, embedder = built
    report = update_index(seeds, folder, embedder, force=True)
    assert report.changed and report.embedded == 3 * PER_FILE and report.reused == 0
    assert sorted(embedder.texts) == sorted(model_texts(folder))


def test_another_model_re_embeds_everything(built):
    seeds, folder, _ = built

    class OtherModel(CountingEmbedder):
        pass

    other = OtherModel()
    other.name = "another-model"
    report = update_index(seeds, folder, other)
    assert report.embedded == 3 * PER_FILE
    assert Index.load(folder, model_name="another-model").model_name == "another-model"


def test_progress_reports_every_embedded_text(tmp_path):
    seeds = write_seeds(tmp_path / "seeds", ARTICLES)
    calls = []
    update_index(seeds, tmp_path / "index", HashingEmbedder(), progress=lambda *a: calls.append(a))
    total = len(model_texts(tmp_path / "index"))
    assert calls[0] == ("embedding", 0, total)
    assert calls[-1] == ("embedding", total, total)
    assert [done for _, done, _ in calls] == sorted(done for _, done, _ in calls)


def test_an_article_without_prose_still_builds(tmp_path):
    seeds = write_seeds(tmp_path / "seeds", {"furniture.txt": "Title only\n\n字号 +\nShare\n"})
    notices = []
    report = update_index(seeds, tmp_path / "index", HashingEmbedder(), notice=notices.append)
    assert (report.files, report.passages, report.sentences, report.skipped) == (0, 0, 0, ("furniture.txt",))
    assert notices == [f"skipped {seeds / 'furniture.txt'}: it has no prose to answer from (empty, or only a title)"]
    index = Index.load(tmp_path / "index")
    assert index.passages == [] and index.file_titles == {}
    again = update_index(seeds, tmp_path / "index", HashingEmbedder(), notice=notices.append)
    assert not again.changed and again.skipped == ("furniture.txt",) and again.files == 0
    assert notices[1:] == notices[:1]  # said on every update


@pytest.mark.parametrize("content, why", [
    (b"\x89PNG\r\n\x1a\n\x00\x00binary", "not a text file (it contains NUL bytes)"),
    ("Caf\u00e9 Notes\n\nThe caf\u00e9 opened today.\n".encode("latin-1"), "not valid UTF-8 (byte 3)"),
])
def test_an_unreadable_article_is_skipped_by_name_until_fixed(tmp_path, content, why):
    """A file that is not UTF-8 text does not stop the build: the others are
    indexed, and every update names it (with its folder) until it is fixed."""
    seeds = write_seeds(tmp_path / "seeds", {"trains.txt": ARTICLES["trains.txt"], "news/bad.txt": content})
    folder, notices = tmp_path / "index", []
    report = update_index(seeds, folder, HashingEmbedder(), notice=notices.append)
    assert report.changed and (report.files, report.skipped) == (1, ("news/bad.txt",))
    assert notices == [f"skipped {seeds / 'news' / 'bad.txt'}: {why}; save it as UTF-8 text" + (
        ", or remove it" if "NUL" in why else "")]
    assert [(f.name, f.unreadable) for f in report.skipped_files] == [("news/bad.txt", True)]
    assert Index.load(folder).file_titles == {"trains.txt": "Night Trains Return"}
    again = update_index(seeds, folder, HashingEmbedder(), notice=notices.append)
    assert not again.changed and again.skipped == ("news/bad.txt",) and notices[1:] == notices[:1]
    (seeds / "news" / "bad.txt").write_text(article("Cafe Notes", "music"), encoding="utf-8")
    fixed = update_index(seeds, folder, HashingEmbedder(), notice=notices.append)
    assert fixed.changed and (fixed.files, fixed.skipped) == (2, ()) and len(notices) == 2
    assert Index.load(folder).file_titles == {"news/bad.txt": "Cafe Notes", "trains.txt": "Night Trains Return"}


def test_line_ending_change_reuses_every_vector(built):
    seeds, folder, embedder = built
    path = seeds / "garden.md"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    report = update_index(seeds, folder, embedder)
    assert report.changed and report.embedded == 0 and embedder.texts == []
    text = path.read_text(encoding="utf-8")
    for record in records(folder)[1]:
        if record["file"] == "garden.md":
            assert text[record["start"]:record["end"]] == record["text"]


def test_another_dimension_re_embeds_everything(built):
    """Same model name, other vector size: the stored vectors cannot be used."""
    seeds, folder, _ = built
    smaller = CountingEmbedder(HashingEmbedder(dimension=64))
    report = update_index(seeds, folder, smaller)
    assert report.changed and report.embedded == 3 * PER_FILE
    index = Index.load(folder)
    assert index.dimension == 64 == index.vectors("passages").shape[1]


class CrashingEmbedder(CountingEmbedder):
    """Stops the build (as a crash or Ctrl-C would) after ``limit`` texts."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def encode(self, texts, progress=None):
        if len(self.texts) + len(list(texts)) > self.limit:
            raise KeyboardInterrupt
        return super().encode(texts, progress)


def test_an_interrupted_build_keeps_what_it_embedded(tmp_path, monkeypatch):
    import qabot.index.build
    from qabot.index.embedding_cache import cache_folder

    monkeypatch.setattr(qabot.index.build, "CHUNK", 4)
    seeds = write_seeds(tmp_path / "seeds", ARTICLES)
    crashing = CrashingEmbedder(limit=10)
    with pytest.raises(KeyboardInterrupt):
        update_index(seeds, tmp_path / "index", crashing)
    assert len(crashing.texts) == 8 and not (tmp_path / "index").exists()
    embedder = CountingEmbedder()
    update_index(seeds, tmp_path / "index", embedder)
    every = model_texts(tmp_path / "index")
    assert set(embedder.texts) == every - set(crashing.texts) and len(embedder.texts) == len(every) - 8
    assert not cache_folder(tmp_path / "index").exists(), "a finished build removes what it kept"
    fresh = tmp_path / "fresh"
    update_index(seeds, fresh, HashingEmbedder())
    assert np.array_equal(Index.load(fresh).vectors("windows"), Index.load(tmp_path / "index").vectors("windows"))


def test_kept_vectors_of_another_model_are_not_used(tmp_path, monkeypatch):
    import qabot.index.build

    monkeypatch.setattr(qabot.index.build, "CHUNK", 4)
    seeds = write_seeds(tmp_path / "seeds", ARTICLES)
    with pytest.raises(KeyboardInterrupt):
        update_index(seeds, tmp_path / "index", CrashingEmbedder(limit=10))
    other = CountingEmbedder(HashingEmbedder(dimension=64))
    update_index(seeds, tmp_path / "index", other)
    assert len(other.texts) == len(model_texts(tmp_path / "index"))
    assert not (tmp_path / "index.qabot-embedding-cache").exists()


def test_a_resumed_build_keeps_few_files_open(tmp_path, monkeypatch):
    """A long first build leaves many saved chunks; reading them back must
    not hold a file open for each (a large archive would run out)."""
    import gc
    import os

    import qabot.index.build

    monkeypatch.setattr(qabot.index.build, "CHUNK", 4)
    seeds = write_seeds(tmp_path / "seeds", ARTICLES)
    gc.collect()  # files that earlier tests' objects still hold are closed now, not while counting
    at_start = len(os.listdir("/proc/self/fd"))
    with pytest.raises(KeyboardInterrupt):
        update_index(seeds, tmp_path / "index", CrashingEmbedder(limit=60))
    cache = tmp_path / "index.qabot-embedding-cache"
    assert len(list(cache.glob("vectors-*.npy"))) >= 12
    with pytest.raises(KeyboardInterrupt):  # a resumed build that stops too
        update_index(seeds, tmp_path / "index", CrashingEmbedder(limit=8))
    assert len(list(cache.glob("vectors-*.npy"))) >= 12, "the saved chunks are kept"
    assert not (cache / "rows").exists() and not (cache / "joined.npy").exists(), "its own scratch files are not"
    before = len(os.listdir("/proc/self/fd"))
    assert before == at_start, "a stopped build closes what it opened"
    open_during = []

    class Watching(CountingEmbedder):
        def encode(self, texts, progress=None):
            open_during.append(len(os.listdir("/proc/self/fd")))
            return super().encode(texts, progress)

    embedder = Watching()
    update_index(seeds, tmp_path / "index", embedder)
    assert open_during and max(open_during) - before <= 6  # the joined chunks and the three new vector files
    fresh = tmp_path / "fresh"
    update_index(seeds, fresh, HashingEmbedder())
    for vector_set in ("passages", "sentences", "windows"):
        assert np.array_equal(Index.load(fresh).vectors(vector_set), Index.load(tmp_path / "index").vectors(vector_set))
