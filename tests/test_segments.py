"""An index in segments: an update writes only the changed articles, carries
the other segments over untouched, and answers exactly like a full rebuild."""

from __future__ import annotations

import numpy as np
import pytest
from support import TOPICS, CountingEmbedder, article, prose, write_seeds

import qabot.index.vectors
from qabot.embedding.embedder import HashingEmbedder
from qabot.index.build import MAX_SEGMENTS, update_index
from qabot.index.lexical import Bm25, TermCounts
from qabot.index.loaded import Index

ARTICLES = {f"{topic}-{n}.txt": article(f"{topic.title()} Desk {n}", topic, paragraphs=4)
            for n in range(3) for topic in TOPICS}


@pytest.fixture
def small_graphs(monkeypatch):
    """Segments of more than 12 sentences count as large (approximate search)."""
    monkeypatch.setattr(qabot.index.vectors, "APPROXIMATE_ABOVE", 12)


def segments(folder) -> dict:
    return Index.load(folder).manifest["segments"]


def inodes(folder, segment: str) -> dict[str, int]:
    root = folder / "segments" / segment
    return {p.relative_to(root).as_posix(): p.stat().st_ino for p in root.rglob("*") if p.is_file()}


def keyed(index: Index, which: str) -> dict:
    """Per record, keyed by where it is in its article: its vector, its BM25
    score for a few queries; and the keys of each query's best rows."""
    records = index.passages if which == "passages" else index.sentences
    keys = [(r.file, r.start, r.end, r.text) for r in records]
    bm25 = index.passage_bm25 if which == "passages" else index.sentence_bm25
    scores = [bm25.scores(q) for q in ("railway locomotive timetable", "violin orchestra", "budget deficit")]
    vector_sets = ("passages",) if which == "passages" else ("sentences", "windows")
    vectors = [index.vectors(name) for name in vector_sets]
    queries = HashingEmbedder().encode(["railway locomotive timetable", "violin orchestra concert"])
    best_scores, _ = index.search(which, queries, 5, exact=True)
    return {
        "rows": {key: ([v[i].tolist() for v in vectors], [round(float(s[i]), 4) for s in scores])
                 for i, key in enumerate(keys)},
        # Keys differ only among rows of equal score (the test articles repeat).
        "best": [[round(float(x), 5) for x in row] for row in best_scores],
    }


def same_answers(one: Index, other: Index) -> None:
    """Both indexes hold the same records, vectors, BM25 scores and search
    results (in whatever order their segments put the articles)."""
    for p in one.passages:
        assert one.sentences[p.first_sentence].passage == p.id
    for which in ("passages", "sentences"):
        assert keyed(one, which) == keyed(other, which)


def test_one_changed_article_goes_into_a_new_segment(tmp_path, small_graphs):
    seeds = write_seeds(tmp_path / "seeds", ARTICLES)
    update_index(seeds, tmp_path / "index", HashingEmbedder())
    (first,) = segments(tmp_path / "index")
    before = inodes(tmp_path / "index", first)
    (seeds / "music-1.txt").write_text(article("Music Desk 1", "music", paragraphs=5), encoding="utf-8")
    embedder = CountingEmbedder()
    report = update_index(seeds, tmp_path / "index", embedder)
    assert report.changed and report.embedded == 1  # the new fifth paragraph
    after = segments(tmp_path / "index")
    assert list(after) == [first, "s000002"]
    assert inodes(tmp_path / "index", first) == before, "the large segment is carried over as hard links"
    assert after["s000002"]["passages"] == 5
    update_index(seeds, tmp_path / "full", HashingEmbedder())
    same_answers(Index.load(tmp_path / "index"), Index.load(tmp_path / "full"))


def test_rows_of_a_changed_article_are_never_found(tmp_path, small_graphs):
    seeds = write_seeds(tmp_path / "seeds", ARTICLES)
    update_index(seeds, tmp_path / "index", HashingEmbedder())
    (seeds / "garden-2.txt").write_text("Garden Desk 2\n\n" + prose("weather", 9) + "\n", encoding="utf-8")
    update_index(seeds, tmp_path / "index", HashingEmbedder())
    index = Index.load(tmp_path / "index")
    garden = [s.id for s in index.sentences if s.file == "garden-2.txt"]
    assert garden and all("weather" in index.sentences[i].text for i in garden)
    vector = HashingEmbedder().encode([index.sentences[garden[0]].text])
    _, ids = index.search("sentences", vector, len(index.sentences))
    assert sorted(ids[0]) == list(range(len(index.sentences))), "every live row once, no dead row"


def test_a_mostly_dead_segment_is_folded_into_the_new_one(tmp_path, small_graphs):
    seeds = write_seeds(tmp_path / "seeds", ARTICLES)
    update_index(seeds, tmp_path / "index", HashingEmbedder())
    names = sorted(ARTICLES)
    for name in names[: len(names) // 4]:
        (seeds / name).unlink()
    update_index(seeds, tmp_path / "index", HashingEmbedder())
    assert list(segments(tmp_path / "index")) == ["s000001"], "a quarter dead: kept"
    (seeds / names[-1]).unlink()
    embedder = CountingEmbedder()
    update_index(seeds, tmp_path / "index", embedder)
    assert list(segments(tmp_path / "index")) == ["s000002"] and embedder.texts == []
    update_index(seeds, tmp_path / "full", HashingEmbedder())
    same_answers(Index.load(tmp_path / "index"), Index.load(tmp_path / "full"))


def test_many_updates_keep_few_segments(tmp_path, small_graphs):
    seeds = write_seeds(tmp_path / "seeds", ARTICLES)
    update_index(seeds, tmp_path / "index", HashingEmbedder())
    for round_number in range(MAX_SEGMENTS + 4):
        topic = TOPICS[round_number % len(TOPICS)]
        (seeds / f"new-{round_number}.txt").write_text(article(f"Late {round_number}", topic, 4), encoding="utf-8")
        update_index(seeds, tmp_path / "index", HashingEmbedder())
        assert len(segments(tmp_path / "index")) <= MAX_SEGMENTS
    update_index(seeds, tmp_path / "full", HashingEmbedder())
    same_answers(Index.load(tmp_path / "index"), Index.load(tmp_path / "full"))


def test_small_segments_are_rewritten_whole(tmp_path):
    """Below the size for approximate search, an index stays one segment."""
    seeds = write_seeds(tmp_path / "seeds", ARTICLES)
    update_index(seeds, tmp_path / "index", HashingEmbedder())
    (seeds / "trains-0.txt").write_text(article("Trains Desk 0", "trains", 2), encoding="utf-8")
    update_index(seeds, tmp_path / "index", HashingEmbedder())
    (only,) = segments(tmp_path / "index").values()
    assert only["search"] == {"passages": "exact", "sentences": "exact", "windows": "exact"}


def test_search_kind_is_recorded_and_the_graph_finds_what_exact_search_finds(tmp_path, small_graphs):
    seeds = write_seeds(tmp_path / "seeds", ARTICLES)
    update_index(seeds, tmp_path / "index", HashingEmbedder())
    index = Index.load(tmp_path / "index")
    (entry,) = index.manifest["segments"].values()
    assert entry["search"] == {"passages": "hnsw", "sentences": "hnsw", "windows": "exact"}
    queries = index.vectors("sentences")[::7]
    approximate = index.search("sentences", queries, 10)[1]
    exact = index.search("sentences", queries, 10, exact=True)[1]
    overlap = np.mean([len(set(a) & set(e)) / 10 for a, e in zip(approximate, exact)])
    assert overlap >= 0.9
    assert all(e[0] == a[0] for a, e in zip(approximate, exact))


TEXTS = [prose(topic, n, words=20 + 7 * n) for n in range(6) for topic in TOPICS] + ["", "the of and"]


def test_bm25_scores_as_the_reference_library_does():
    """Our BM25 gives the scores of bm25s (Lucene variant, k1 1.5, b 0.75)."""
    import bm25s

    from qabot.index.lexical import terms

    tokenized = [terms(text) or ["\u2400"] for text in TEXTS]
    vocab: dict[str, int] = {}
    ids = [[vocab.setdefault(t, len(vocab)) for t in doc] for doc in tokenized]
    reference = bm25s.BM25()
    reference.index(bm25s.tokenization.Tokenized(ids=ids, vocab=vocab), show_progress=False)
    ours = Bm25([(TermCounts.build(TEXTS), np.arange(len(TEXTS)))])
    for query in ("railway locomotive", "violin violin orchestra", "budget report number 3", "nothing matches"):
        query_ids = [vocab[t] for t in terms(query) if t in vocab]
        expected = reference.get_scores_from_ids(query_ids) if query_ids else np.zeros(len(TEXTS))
        assert np.allclose(ours.scores(query), expected, rtol=1e-5, atol=1e-6)


def test_bm25_over_segments_equals_bm25_over_all_texts(tmp_path):
    whole = Bm25([(TermCounts.build(TEXTS), np.arange(len(TEXTS)))])
    half = len(TEXTS) // 2
    extra = [prose("music", 50)]  # a dead row: counted nowhere
    first, second = TermCounts.build(TEXTS[:half] + extra), TermCounts.build(TEXTS[half:])
    first.save(tmp_path / "first")
    parts = Bm25([(TermCounts.load(tmp_path / "first", half + 1), np.r_[np.arange(half), -1]),
                  (second, np.arange(half, len(TEXTS)))])
    assert parts.size == whole.size == len(TEXTS)
    for query in ("violin orchestra rehearsal", "storm coast", "treasury"):
        assert np.allclose(parts.scores(query), whole.scores(query), rtol=1e-5)
        assert parts.document_frequencies(query.split()) == whole.document_frequencies(query.split())


def test_an_unchanged_corpus_is_checked_without_loading_the_index(tmp_path, monkeypatch):
    """`qabot index` on a current index stays instant however large it is;
    a reader that failed to load the index asks for the full check."""
    seeds = write_seeds(tmp_path / "seeds", ARTICLES)
    update_index(seeds, tmp_path / "index", HashingEmbedder())
    segment = next((tmp_path / "index" / "segments").iterdir())
    (segment / "passages" / "text.bin").write_bytes(b"\xff" * (segment / "passages" / "text.bin").stat().st_size)
    assert not update_index(seeds, tmp_path / "index", HashingEmbedder()).changed
    assert update_index(seeds, tmp_path / "index", HashingEmbedder(), verify=True).changed
    Index.load(tmp_path / "index")


def test_building_a_search_graph_reports_progress(tmp_path, small_graphs, monkeypatch):
    monkeypatch.setattr(qabot.index.vectors, "GRAPH_STEP", 10)
    seeds = write_seeds(tmp_path / "seeds", ARTICLES)
    calls = []
    update_index(seeds, tmp_path / "index", HashingEmbedder(), progress=lambda *a: calls.append(a))
    index = Index.load(tmp_path / "index")
    graph = [(done, total) for stage, done, total in calls if stage == "search graph of sentences"]
    assert graph[-1] == (len(index.sentences), len(index.sentences))
    assert [done for done, _ in graph] == list(range(10, len(index.sentences), 10)) + [len(index.sentences)]
    assert {stage for stage, _, _ in calls} == {"embedding", "search graph of passages", "search graph of sentences"}


@pytest.mark.parametrize("damage", ["garbage", "another graph"])
def test_a_damaged_search_graph_is_refused(tmp_path, small_graphs, damage):
    from qabot.errors import IndexLoadError

    seeds = write_seeds(tmp_path / "seeds", ARTICLES)
    update_index(seeds, tmp_path / "index", HashingEmbedder())
    graph = next((tmp_path / "index" / "segments").iterdir()) / "sentences.hnsw"
    other = next((tmp_path / "index" / "segments").iterdir()) / "passages.hnsw"
    size = graph.stat().st_size
    if damage == "garbage":
        graph.write_bytes(b"\x07" * size)
    else:  # a readable graph of the wrong rows, padded to the recorded size
        graph.write_bytes(other.read_bytes()[:size].ljust(size, b"\0"))
    with pytest.raises(IndexLoadError):
        Index.load(tmp_path / "index")
