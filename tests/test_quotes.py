"""Every quote is the article's own text: records are checked against the
article before an answer is shown, and every index file's content against
the hash the manifest keeps."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from support import write_seeds

from qabot.answering import Answerer
from qabot.articles.quotes import ArticleTexts
from qabot.bot import Bot
from qabot.embedding.embedder import HashingEmbedder
from qabot.errors import IndexLoadError, QuoteMismatchError
from qabot.index.build import update_index
from qabot.index.loaded import Index, check_file_hashes

ARTICLE = ("Harbour News\n\nThe harbour master Ada Lovelace voted 7-2 on Tuesday to close the old pier "
           "for repairs before the winter storms arrive on the northern coast.\n\n"
           "The repairs will cost four million crowns and take two years, the council said in a statement.\n")
QUESTION = "How did the harbour master vote on Tuesday?"


@pytest.fixture
def built(tmp_path):
    seeds = write_seeds(tmp_path / "seeds", {"harbour.txt": ARTICLE})
    folder = tmp_path / "index"
    update_index(seeds, folder, HashingEmbedder())
    return seeds, folder


def _overwrite_in_place(path: Path, needle: bytes, width: int = 20) -> None:
    """Damage a file without changing its size."""
    data = bytearray(path.read_bytes())
    at = data.index(needle)
    data[at:at + width] = b"#" * width
    path.write_bytes(bytes(data))


def _segment(folder: Path) -> Path:
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return folder / "segments" / next(iter(manifest["segments"]))


def test_the_manifest_keeps_a_content_hash_of_every_file(built):
    _, folder = built
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["file_hashes"]) == set(manifest["file_sizes"])
    check_file_hashes(folder, manifest)  # nothing damaged: no error


def test_a_record_damaged_in_place_is_refused_where_it_is_used(built):
    """Records are not hashed at load (that would cost a third of a large
    index's load); a damaged one is caught when an answer would show it, and
    a verifying build finds it by its hash."""
    seeds, folder = built
    _overwrite_in_place(_segment(folder) / "passages" / "text.bin", b"voted 7-2")
    answerer = Answerer(Index.load(folder), HashingEmbedder(), seeds)
    with pytest.raises(QuoteMismatchError):
        answerer.ask(QUESTION, k=3)
    with pytest.raises(IndexLoadError, match="damaged"):
        check_file_hashes(folder, Index.load(folder).manifest)


def test_term_counts_damaged_in_place_are_refused_at_load(built):
    _, folder = built
    path = _segment(folder) / "bm25-sentences" / "counts.npy"
    data = bytearray(path.read_bytes())
    data[-4:] = b"\x07\x00\x00\x00"
    path.write_bytes(bytes(data))
    with pytest.raises(IndexLoadError, match="damaged"):
        Index.load(folder)


def test_a_vector_file_damaged_in_place_is_found_when_a_build_verifies(built):
    seeds, folder = built
    path = _segment(folder) / "sentences.npy"
    data = bytearray(path.read_bytes())
    data[-8:] = b"\x7f" * 8
    path.write_bytes(bytes(data))
    embedder = HashingEmbedder()
    assert not update_index(seeds, folder, embedder).changed  # sizes match: current
    report = update_index(seeds, folder, embedder, verify=True)
    assert report.changed
    check_file_hashes(folder, Index.load(folder).manifest)


def test_the_bot_never_quotes_a_damaged_record(built):
    seeds, folder = built
    _overwrite_in_place(_segment(folder) / "passages" / "text.bin", b"voted 7-2")
    notices = []
    bot = Bot.open(seeds, folder, HashingEmbedder(), notice=notices.append)
    answer = bot.ask(QUESTION)
    assert any("does not match" in notice and "rebuilding" in notice for notice in notices)
    for shown in [answer.sentence, answer.passage] + [p.passage for p in answer.passages]:
        if shown is not None:
            assert ARTICLE[shown.start:shown.end] == shown.text and "#" not in shown.text


def _damage_without_hashes(folder: Path) -> None:
    """Damage a record and drop the hashes that would catch it at load, as
    an index written before hashes were kept would be."""
    _overwrite_in_place(_segment(folder) / "sentences" / "text.bin", b"voted 7-2", width=9)
    manifest_path = folder / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    del manifest["file_hashes"]
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")


def test_the_answerer_refuses_to_show_a_record_its_article_does_not_hold(built):
    seeds, folder = built
    _damage_without_hashes(folder)
    answerer = Answerer(Index.load(folder), HashingEmbedder(), seeds)
    with pytest.raises(QuoteMismatchError, match="harbour.txt"):
        for question in (QUESTION, "What did Ada Lovelace vote to close?", "voted"):
            answerer.ask(question, k=3)


def test_the_bot_rebuilds_when_a_quote_does_not_match_and_answers_from_the_article(built):
    seeds, folder = built
    _damage_without_hashes(folder)
    notices = []
    bot = Bot(seeds, folder, HashingEmbedder(), Answerer(Index.load(folder), HashingEmbedder(), seeds),
              notice=notices.append)
    answer = bot.ask(QUESTION, k=3)
    assert any("does not match harbour.txt" in notice and "rebuilding" in notice for notice in notices)
    assert answer.sentence is None or ARTICLE[answer.sentence.start:answer.sentence.end] == answer.sentence.text
    assert all("#" not in s.text for s in bot.answerer.index.sentences)


def test_an_article_edited_after_indexing_is_never_quoted_stale(built):
    """The index was built, then the article changed under it (before any
    rebuild): the old record no longer matches, so it is not shown."""
    seeds, folder = built
    answerer = Answerer(Index.load(folder), HashingEmbedder(), seeds)
    (seeds / "harbour.txt").write_text(ARTICLE.replace("7-2", "5-4"), encoding="utf-8")
    with pytest.raises(QuoteMismatchError):
        answerer.ask(QUESTION, k=3)


def test_article_texts_are_read_once_and_again_when_the_file_changes(tmp_path, monkeypatch):
    seeds = write_seeds(tmp_path / "seeds", {"a.txt": "Alpha beta gamma."})
    texts = ArticleTexts(seeds)
    reads = []
    original = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: reads.append(self.name) or original(self))
    assert texts.holds("a.txt", 6, 10, "beta") and texts.holds("a.txt", 0, 5, "Alpha")
    assert reads == ["a.txt"]
    (seeds / "a.txt").write_text("Alpha delta gamma, longer now.")
    assert not texts.holds("a.txt", 6, 10, "beta") and texts.holds("a.txt", 6, 11, "delta")
    assert reads == ["a.txt", "a.txt"]
    assert not texts.holds("missing.txt", 0, 1, "A")
    (seeds / "a.txt").write_text("Title\n\nAlpha beta.")
    assert texts.holds("a.txt", 7, 12, "Alpha", line=3) and not texts.holds("a.txt", 7, 12, "Alpha", line=2)


def test_a_citation_with_a_wrong_line_is_never_shown(built):
    seeds, folder = built
    lines = _segment(folder) / "sentences" / "line.npy"
    np.save(lines, np.load(lines) + 1)  # every sentence cited one line too far down
    manifest_path = folder / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    del manifest["file_hashes"]  # as an index written before hashes were kept
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    answerer = Answerer(Index.load(folder), HashingEmbedder(), seeds)
    with pytest.raises(QuoteMismatchError):
        for question in (QUESTION, "What will the repairs cost?", "voted"):
            answer = answerer.ask(question, k=0)
            assert answer.sentence is None  # only a refusal may get through


def test_a_sentence_shown_inside_another_passage_is_never_shown(tmp_path):
    long = " ".join(["The harbour repairs will cost four million crowns and take two full years to finish."] * 5)
    other = " ".join(["The ferry timetable changes in spring when the new terminal opens to the public."] * 5)
    seeds = write_seeds(tmp_path / "seeds", {"harbour.txt": f"Harbour News\n\n{long}\n\n{other}\n"})
    folder = tmp_path / "index"
    update_index(seeds, folder, HashingEmbedder())
    assert len(Index.load(folder).passages) == 2
    parents = _segment(folder) / "sentences" / "passage.npy"
    np.save(parents, np.zeros_like(np.load(parents)))  # every sentence claims the first passage
    answerer = Answerer(Index.load(folder), HashingEmbedder(), seeds)
    with pytest.raises(QuoteMismatchError, match="not in its passage"):
        for question in ("When does the ferry timetable change?", "When does the new terminal open?"):
            answerer.ask(question, k=0)
