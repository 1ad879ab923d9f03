"""Web pages: the article taken out of a page, saved into the seeds folder,
and fetched by address from a local server started here."""

from __future__ import annotations

import http.server
import json
import threading
from datetime import date

import pytest
from support import REPO

from qabot.articles.chunking import chunk_article
from qabot.articles.pages.adding import add_page
from qabot.articles.pages.download import page_address
from qabot.articles.pages.extract import Page, article_text, extract_page
from qabot.articles.pages.saving import file_stem, save_article, source_of
from qabot.errors import PageError

PAGES = REPO / "tests" / "pages"
FURNITURE = json.loads((PAGES / "furniture.json").read_text(encoding="utf-8"))
PAGE_FILES = sorted(PAGES.glob("*.html"))


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


@pytest.mark.parametrize("path", PAGE_FILES, ids=lambda path: path.stem)
def test_the_article_is_taken_out_of_the_page(path):
    title, *body = _lines(path.with_suffix(".expected.txt").read_text(encoding="utf-8"))
    page = extract_page(path.read_bytes())
    assert page.title == title
    found = _lines("\n".join(page.paragraphs))
    # Every paragraph (and list item) of the article, in order.
    positions = [found.index(line) for line in body]
    assert positions == sorted(positions)


@pytest.mark.parametrize("path", PAGE_FILES, ids=lambda path: path.stem)
def test_none_of_the_page_furniture_is_answered_from(path):
    text = article_text(extract_page(path.read_bytes()))
    passages = " ".join(passage.text for passage in chunk_article(text).passages)
    assert [line for line in FURNITURE[path.name] if line in passages] == []


def test_the_title_byline_date_and_address_are_kept():
    page = extract_page((PAGES / "riverton-bridge.html").read_bytes())
    assert (page.author, page.date) == ("Dana Whitfield", "2025-06-14")
    assert page.url == "https://riverton-courier.example.com/news/old-bridge-reopens"
    text = article_text(page, retrieved="2026-11-28")
    lines = text.split("\n")
    assert lines[0] == "Old Bridge reopens after two-year repair"
    assert lines[2] == "By Dana Whitfield · 2025-06-14"
    assert lines[-3:] == ["Source: https://riverton-courier.example.com/news/old-bridge-reopens",
                          "Retrieved: 2026-11-28", ""]
    chunked = chunk_article(text)
    assert chunked.title == lines[0]
    assert "Source:" not in " ".join(p.text for p in chunked.passages)  # the address is not prose


@pytest.mark.parametrize("html", [b"", b"<html><body><nav><a href='/'>Home</a></nav></body></html>",
                                  b"\x00\x01\x02 not html at all"])
def test_a_page_without_article_text_is_a_clear_error(html):
    with pytest.raises(PageError, match="no article text|cannot be read"):
        extract_page(html, where="page.html")


@pytest.mark.parametrize("title, stem", [
    ("Old Bridge reopens after two-year repair", "old-bridge-reopens-after-two-year-repair"),
    ("Café crème: Ça va?", "cafe-creme-ca-va"),
    ("源 稿 窗", "源-稿-窗"),
    ("Пожар в Москве", "пожар-в-москве"),
    ("नमस्ते दुनिया", "नमस्ते-दुनिया"),
    ("!!! ???", "article"),
    ("../../etc/passwd", "etc-passwd"),
    ("word " * 40, "-".join(["word"] * 16)),
])
def test_file_names_come_from_the_title(title, stem):
    assert file_stem(title) == stem


def _page(title="A title", paragraph="Something happened in the town on Monday, officials said."):
    return Page(title, (paragraph,))


def test_a_saved_page_never_takes_another_files_name(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a-title.txt").write_text("Someone else's article.\n", encoding="utf-8")
    first = save_article(seeds, _page(), "https://one.example/a", date(2026, 1, 2))
    second = save_article(seeds, _page(), "https://two.example/b", date(2026, 1, 2))
    assert (first.path.name, second.path.name) == ("a-title-2.txt", "a-title-3.txt")
    assert (seeds / "a-title.txt").read_text(encoding="utf-8") == "Someone else's article.\n"
    assert source_of(first.path) == "https://one.example/a" and not first.updated
    assert sorted(p.name for p in seeds.iterdir()) == ["a-title-2.txt", "a-title-3.txt", "a-title.txt"]


def test_the_same_address_again_updates_its_article(tmp_path):
    seeds = tmp_path / "seeds"
    first = save_article(seeds, _page(), "https://one.example/a", date(2026, 1, 2))
    again = save_article(seeds, _page("A new title", "The story was updated on Tuesday with more."),
                         "https://one.example/a", date(2026, 1, 3))
    assert again.updated and again.path == first.path
    text = first.path.read_text(encoding="utf-8")
    assert "updated on Tuesday" in text and text.endswith("Retrieved: 2026-01-03\n")
    assert [p.name for p in seeds.iterdir()] == [first.path.name]


@pytest.mark.parametrize("text, address", [
    ("https://example.org/a?b=1#comments", "https://example.org/a?b=1"),
    ("  http://127.0.0.1:8000/x.html ", "http://127.0.0.1:8000/x.html"),
    ("ftp://example.org/a", None), ("example.org/a", None), ("http://", None), ("page.html", None),
])
def test_page_addresses(text, address):
    assert page_address(text) == address


class _Pages(http.server.BaseHTTPRequestHandler):
    """Serves the test pages, and a few ways for a page to go wrong."""

    def do_GET(self):  # noqa: N802 - the name http.server calls
        name = self.path.lstrip("/")
        if name == "data.json":
            self._send(200, "application/json", b'{"not": "a page"}')
        elif name == "cut.html":  # the connection closes before the promised length
            body = (PAGES / "probe-launch.html").read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.close_connection = True
        elif name == "empty.html":
            self._send(200, "text/html; charset=utf-8", b"<html><body><nav>Home | News</nav></body></html>")
        elif (PAGES / name).is_file() and name.endswith(".html"):
            self._send(200, "text/html; charset=utf-8", (PAGES / name).read_bytes())
        else:
            self._send(404, "text/html", b"<h1>Not found</h1>")

    def _send(self, status, kind, body):
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    """Base address of a server on 127.0.0.1 serving the test pages."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_a_page_is_added_by_its_address(server, tmp_path):
    seeds = tmp_path / "seeds"
    saved = add_page(seeds, f"{server}/probe-launch.html#top")
    assert saved.path == seeds / "probe-launched-to-study-icy-moon.txt" and not saved.updated
    text = saved.path.read_text(encoding="utf-8")
    assert text.startswith("Probe launched to study icy moon\n\n")
    assert f"Source: {server}/probe-launch.html\nRetrieved: {date.today().isoformat()}\n" in text
    assert "Trending now" not in text
    assert add_page(seeds, f"{server}/probe-launch.html").updated
    assert len(list(seeds.iterdir())) == 1


@pytest.mark.parametrize("name, message", [
    ("missing.html", "answered 404"),
    ("data.json", "not a web page"),
    ("empty.html", "no article text"),
    ("cut.html", "cut off"),
])
def test_a_page_that_cannot_be_added_says_why(server, tmp_path, name, message):
    with pytest.raises(PageError, match=message):
        add_page(tmp_path / "seeds", f"{server}/{name}")
    assert not (tmp_path / "seeds").exists() or not any((tmp_path / "seeds").iterdir())


def test_a_server_that_does_not_answer_is_a_clear_error(tmp_path):
    import socket

    with socket.socket() as unused:  # a port nothing listens on
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    with pytest.raises(PageError, match="cannot be downloaded"):
        add_page(tmp_path / "seeds", f"http://127.0.0.1:{port}/a.html")


def test_a_saved_page_file_is_added_under_its_own_address(tmp_path):
    saved = add_page(tmp_path / "seeds", str(PAGES / "council-budget.html"))
    assert saved.source == "https://northshire-post.example.co.uk/politics/council-budget-libraries"
    page_without_address = tmp_path / "saved.html"
    page_without_address.write_bytes((PAGES / "council-budget.html").read_bytes().replace(
        b'<link rel="canonical" href="https://northshire-post.example.co.uk/politics/council-budget-libraries">', b""))
    other = add_page(tmp_path / "other-seeds", str(page_without_address))
    assert other.source == page_without_address.resolve().as_uri()


@pytest.mark.parametrize("target, message", [
    ("nowhere.html", "neither a web address nor a file"),
    ("ftp://example.org/a.html", "only http"),
    (str(PAGES / "furniture.json"), "not a saved web page"),
])
def test_targets_that_are_not_pages(tmp_path, target, message):
    with pytest.raises(PageError, match=message):
        add_page(tmp_path / "seeds", target)


def test_without_hard_links_a_name_is_still_taken_exclusively(tmp_path, monkeypatch):
    def no_links(source, target):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr("qabot.articles.pages.saving.os.link", no_links)
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a-title.txt").write_text("Someone else's article.\n", encoding="utf-8")
    saved = save_article(seeds, _page(), "https://one.example/a", date(2026, 1, 2))
    assert saved.path.name == "a-title-2.txt" and source_of(saved.path) == "https://one.example/a"
    assert (seeds / "a-title.txt").read_text(encoding="utf-8") == "Someone else's article.\n"
    assert sorted(p.name for p in seeds.iterdir()) == ["a-title-2.txt", "a-title.txt"]


def test_a_page_in_another_encoding_is_read_in_it():
    html = ('<html><head><meta charset="iso-8859-1"><title>Café opens</title></head><body><article>'
            '<h1>Café opens</h1><p>The café on the corner opened on Monday with a queue of more than forty '
            'people outside, the owner said.</p></article></body></html>').encode("latin-1")
    page = extract_page(html)
    assert page.title == "Café opens"
    assert page.paragraphs == ("The café on the corner opened on Monday with a queue of more than forty "
                               "people outside, the owner said.",)


def test_a_cut_off_download_leaves_the_earlier_copy_as_it_was(server, tmp_path):
    seeds = tmp_path / "seeds"
    saved = save_article(seeds, extract_page((PAGES / "probe-launch.html").read_bytes()), f"{server}/cut.html")
    before = saved.path.read_bytes()
    with pytest.raises(PageError, match="cut off"):
        add_page(seeds, f"{server}/cut.html")
    assert saved.path.read_bytes() == before and [p.name for p in seeds.iterdir()] == [saved.path.name]


@pytest.mark.parametrize("address", ["http://[::1", "https://[x]/", "http://example.org:port/"])
def test_a_malformed_address_is_a_clear_error(tmp_path, address):
    with pytest.raises(PageError, match="not a valid web address"):
        add_page(tmp_path / "seeds", address)


def test_letters_outside_ascii_in_an_address_are_escaped():
    assert page_address("https://example.org/café news?q=é") == "https://example.org/caf%C3%A9%20news?q=%C3%A9"


def test_saved_pages_naming_one_address_are_not_taken_for_each_other(tmp_path):
    html = (PAGES / "council-budget.html").read_text(encoding="utf-8")
    one, two = tmp_path / "one.html", tmp_path / "two.html"
    one.write_text(html, encoding="utf-8")
    two.write_text(html.replace("Council approves budget with cuts to libraries", "Ferry fares rise in spring"),
                   encoding="utf-8")
    first = add_page(tmp_path / "seeds", str(one))
    second = add_page(tmp_path / "seeds", str(two))
    assert first.source == second.source and not second.updated and first.path != second.path
    assert "Council approves" in first.path.read_text(encoding="utf-8")
    assert add_page(tmp_path / "seeds", str(one)).updated  # the same page again is an update


def test_an_article_written_by_hand_is_never_taken_for_a_saved_page(server, tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    mine = seeds / "notes.txt"
    mine.write_text(f"My notes\n\nWhat I thought of the launch.\n\nSource: {server}/probe-launch.html\n",
                    encoding="utf-8")
    saved = add_page(seeds, f"{server}/probe-launch.html")
    assert saved.path != mine and not saved.updated
    assert mine.read_text(encoding="utf-8").startswith("My notes")


def test_a_seeds_path_that_is_a_file_is_a_clear_error(tmp_path):
    (tmp_path / "seeds").write_text("a file")
    with pytest.raises(PageError, match="is a file, not a folder"):
        add_page(tmp_path / "seeds", str(PAGES / "council-budget.html"))
