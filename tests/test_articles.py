"""Finding and reading articles, and the shipped article's chunks."""

from __future__ import annotations

import hashlib

import pytest
from support import SHIPPED_ARTICLE, write_seeds

from qabot.articles.chunking import chunk_article
from qabot.articles.files import article_paths, decode_article, file_hashes, read_articles
from qabot.errors import ArticleError, NoArticlesError


@pytest.fixture(scope="module")
def shipped():
    text = SHIPPED_ARTICLE.read_text(encoding="utf-8")
    return text, chunk_article(text)


def test_shipped_title_is_the_first_line(shipped):
    text, chunked = shipped
    assert chunked.title == text.split("\n")[0]
    assert chunked.title == "Iran Fires Missiles at 2 Iraqi Air Bases Housing US Forces, Pentagon Says"


def test_shipped_boilerplate_is_dropped(shipped):
    text, chunked = shipped
    cjk_line = text.split("\n")[3]
    assert cjk_line.strip() and not cjk_line.isascii()  # the UI line is there in the file
    for passage in chunked.passages:
        assert "字号" not in passage.text
        assert cjk_line.strip() not in passage.text
        assert "WATCH:" not in passage.text
        assert not any(ord(ch) > 0x2E80 for ch in passage.text), passage.text


def test_shipped_sentences(shipped):
    text, chunked = shipped
    sentences = [s for p in chunked.passages for s in p.sentences]
    texts = [s.text for s in sentences]
    assert "Jeff Seldin contributed to this report." in texts
    assert texts[0].startswith("PENTAGON - Iran fired more than a dozen ballistic missiles")
    assert sentences[0].line == 7
    assert texts[-1] == "Jeff Seldin contributed to this report."
    # every prose line of the file is in some sentence
    prose_lines = [line for line in text.split("\n")[6:] if line.strip() and not line.startswith("WATCH")]
    joined = " ".join(texts)
    for line in prose_lines:
        for piece in line.replace("\u00a0", " ").split("  "):
            assert piece.strip() in joined.replace("\u00a0", " ")
    for s in sentences:
        assert text[s.start:s.end] == s.text


def test_article_paths_finds_txt_and_md_in_stable_order(tmp_path):
    seeds = write_seeds(tmp_path / "seeds", {
        "b.txt": "x", "a.md": "x", "sub/c.TXT": "x", ".hidden.txt": "x", "notes.rst": "x", "d.json": "{}",
    })
    (seeds / "folder.txt").mkdir()
    names = [p.relative_to(seeds).as_posix() for p in article_paths(seeds)]
    assert names == ["a.md", "b.txt", "sub/c.TXT"]


def test_missing_and_empty_seeds_folders(tmp_path):
    with pytest.raises(NoArticlesError, match="not found"):
        article_paths(tmp_path / "nowhere")
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "readme.rst").write_text("not an article")
    with pytest.raises(NoArticlesError, match="no articles"):
        article_paths(tmp_path / "empty")


def test_decode_article_matches_read_text(tmp_path):
    path = tmp_path / "a.txt"
    data = "\ufeffTitle\r\nLine two\rLine three\nLast — é\r\n".encode("utf-8")
    path.write_bytes(data)
    assert decode_article(path, data) == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("data, message", [
    (b"Title\n\0\0binary", "NUL"),
    (b"Title\n\xff\xfe caf\xe9", "UTF-8"),
])
def test_unreadable_articles_are_read_as_such_and_name_the_file(tmp_path, data, message):
    seeds = write_seeds(tmp_path / "seeds", {"good.txt": "Fine text.", "bad.txt": data})
    bad, good = read_articles(seeds)
    assert (good.name, good.text, good.unreadable) == ("good.txt", "Fine text.", None)
    assert bad.name == "bad.txt" and message in bad.unreadable and bad.text == ""
    assert bad.sha256 == hashlib.sha256(data).hexdigest()
    with pytest.raises(ArticleError, match=message) as error:
        decode_article(seeds / "bad.txt", data)
    assert str(error.value).startswith(f"{seeds / 'bad.txt'}: ")


def test_read_articles_names_and_hashes(tmp_path):
    seeds = write_seeds(tmp_path / "seeds", {"one.txt": "One\r\n", "deep/two.md": "Two"})
    articles = read_articles(seeds)
    assert [a.name for a in articles] == ["deep/two.md", "one.txt"]
    assert articles[1].text == "One\n"
    assert articles[1].sha256 == hashlib.sha256(b"One\r\n").hexdigest()
    assert file_hashes(seeds) == {a.name: a.sha256 for a in articles}
