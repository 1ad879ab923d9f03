"""Records in columns: the same records as the chunker made, made on demand
from memory-mapped files; an index from before columns is rewritten from
its own vectors, embedding nothing."""

from __future__ import annotations

import json
import shutil

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from support import CountingEmbedder, article, write_seeds

import qabot.index.vectors
from qabot.answering import Answerer
from qabot.articles.files import read_articles
from qabot.embedding.embedder import HashingEmbedder
from qabot.index.build import _records, update_index
from qabot.index.columns import RecordColumns, record_from, write_columns
from qabot.index.loaded import Index, data_file_sizes
from qabot.index.records import Passage, Sentence
from qabot.index.storage import write_json, write_jsonl

TEXT = st.text(alphabet=st.sampled_from("ab é中🚀\n\"'"), max_size=30)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(TEXT, TEXT, st.sampled_from(["a.txt", "b/c.md", "ü.txt"]), st.integers(0, 10**9)),
                max_size=12))
def test_columns_give_back_every_field(tmp_path_factory, rows):
    folder = tmp_path_factory.mktemp("segment")
    passages = [Passage(i, file, f"Title of {file}", n, n + 5, i + 1, text, f"{i:032d}", 2 * i, 2, heading)
                for i, (text, heading, file, n) in enumerate(rows)]
    sentences = [Sentence(i, i, file, n, n + 1, i + 7, text) for i, (text, _, file, n) in enumerate(rows)]
    write_columns(folder, "passages", passages)
    write_columns(folder, "sentences", sentences)
    read_passages = RecordColumns.load(folder, "passages", len(passages))
    read_sentences = RecordColumns.load(folder, "sentences", len(sentences))
    assert [record_from("passages", read_passages.row(i)) for i in range(len(passages))] == passages
    assert [record_from("sentences", read_sentences.row(i)) for i in range(len(sentences))] == sentences


CORPUS = {f"story-{n}.txt": article(f"Story Number {n}", topic)
          for n, topic in enumerate(["weather", "music", "trains", "garden", "weather", "music"])}


def _chunked(seeds):
    passages, sentences, *_ = _records(read_articles(seeds))
    return passages, sentences


def test_the_index_holds_exactly_the_chunked_records_after_updates(tmp_path, monkeypatch):
    monkeypatch.setattr(qabot.index.vectors, "APPROXIMATE_ABOVE", 12)  # segments are kept, not folded
    seeds = write_seeds(tmp_path / "seeds", CORPUS)
    folder = tmp_path / "index"
    update_index(seeds, folder, HashingEmbedder())
    write_seeds(seeds, {"story-2.txt": article("Story Number 2", "garden", paragraphs=2),
                        "story-9.txt": article("Story Number 9", "trains")})
    update_index(seeds, folder, HashingEmbedder())
    index = Index.load(folder)
    assert len(index.segments) == 2
    expected_passages, expected_sentences = _chunked(seeds)
    by_file = sorted(index.passages, key=lambda p: (p.file, p.start))
    assert [(p.file, p.start, p.end, p.line, p.text, p.hash, p.title) for p in by_file] == sorted(
        (p.file, p.start, p.end, p.line, p.text, p.hash, p.title) for p in expected_passages)
    assert sorted((s.file, s.start, s.end, s.line, s.text) for s in index.sentences) == sorted(
        (s.file, s.start, s.end, s.line, s.text) for s in expected_sentences)
    for sentence in index.sentences:  # numbers hold across segments
        passage = index.passages[sentence.passage]
        assert passage.file == sentence.file and passage.start <= sentence.start < sentence.end <= passage.end
        assert index.passages[passage.id] == passage
    assert index.sentences[-1] == index.sentences[len(index.sentences) - 1]  # the real id, not -1
    parents = index.sentences.numbers("passage")
    assert parents.tolist() == [s.passage for s in index.sentences]
    names, places = index.passages.files()
    assert [names[place] for place in places] == [p.file for p in index.passages]


def _as_jsonl_layout(folder):
    """Rewrite an index's segments the way indexes were written before
    records were kept in columns (JSON Lines, no hashes)."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    for name, entry in manifest["segments"].items():
        segment = folder / "segments" / name
        for records in ("passages", "sentences"):
            columns = RecordColumns.load(segment, records, entry[records])
            rows = [record_from(records, columns.row(i)).to_json() for i in range(entry[records])]
            for row in rows:
                row.pop("heading", None)
            write_jsonl(segment / f"{records}.jsonl", rows)
            shutil.rmtree(segment / records)
        del entry["layout"]
    manifest["file_sizes"] = data_file_sizes(folder)
    del manifest["file_hashes"]
    write_json(folder / "manifest.json", manifest)


def test_an_index_in_the_older_layout_is_rewritten_without_embedding(tmp_path):
    seeds = write_seeds(tmp_path / "seeds", CORPUS)
    folder = tmp_path / "index"
    update_index(seeds, folder, HashingEmbedder())
    before = Index.load(folder)
    answers = [Answerer(before, HashingEmbedder(), seeds).ask(q).text for q in ("When does the train leave?",
                                                                            "What grows in the garden?")]
    vectors = before.vectors("sentences").copy()
    _as_jsonl_layout(folder)
    counting = CountingEmbedder()
    report = update_index(seeds, folder, counting)
    assert report.changed and counting.texts == [] and report.texts_embedded == 0
    after = Index.load(folder)
    assert all(entry["layout"] == "columns" for entry in after.manifest["segments"].values())
    assert list(after.passages) == list(before.passages)
    assert np.array_equal(after.vectors("sentences"), vectors)
    assert [Answerer(after, HashingEmbedder(), seeds).ask(q).text for q in ("When does the train leave?",
                                                                          "What grows in the garden?")] == answers


def test_an_older_index_that_cannot_be_rewritten_says_so(tmp_path, monkeypatch):
    import pytest

    from qabot.bot import Bot
    from qabot.errors import IndexLoadError

    seeds = write_seeds(tmp_path / "seeds", CORPUS)
    folder = tmp_path / "index"
    update_index(seeds, folder, HashingEmbedder())
    _as_jsonl_layout(folder)
    notices = []

    def refuse(folder):
        raise PermissionError(13, "Permission denied", str(folder) + ".qabot-new-1")

    with monkeypatch.context() as patch:  # the folder cannot be written
        patch.setattr("qabot.index.build.new_folder", refuse)
        with pytest.raises(IndexLoadError, match="Permission denied.*rewritten once in the new layout"):
            Bot.open(seeds, folder, HashingEmbedder(), notice=notices.append)
    assert notices[0] == "the index is in an older layout; rewriting it once (nothing is re-embedded)"
    assert Bot.open(seeds, folder, HashingEmbedder()).ask("When does the train leave?").question
