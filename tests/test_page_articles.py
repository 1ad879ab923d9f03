"""Web pages in the seeds folder: indexed from the text taken out of them,
which the index keeps, so citations are checked against it and the chat
window shows it. And `qabot add` end to end."""

from __future__ import annotations

import json
import shutil

import pytest
from support import REPO, SHIPPED_ARTICLE

from qabot.articles.pages import extract
from qabot.bot import Bot
from qabot.embedding.embedder import HashingEmbedder
from qabot.errors import ArticleError
from qabot.index.segments import PAGES

TEST_PAGES = REPO / "tests" / "pages"
SEED_SET = REPO / "evals" / "seed.jsonl"


@pytest.fixture
def page_seeds(tmp_path):
    """A seeds folder with two saved pages and one text article."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(TEST_PAGES / "riverton-bridge.html", seeds)
    shutil.copy(TEST_PAGES / "probe-launch.html", seeds / "probe.htm")
    shutil.copy(SHIPPED_ARTICLE, seeds)
    return seeds


def _open(seeds):
    return Bot.open(seeds, seeds.parent / "embeddings", embedder=HashingEmbedder())


def test_citations_of_a_page_count_in_its_extracted_text(page_seeds):
    bot = _open(page_seeds)
    index = bot.answerer.index
    text = bot.article_text("riverton-bridge.html")
    assert text.startswith("Old Bridge reopens after two-year repair\n\nBy Dana Whitfield")
    records = [r for r in [*index.passages, *index.sentences] if r.file == "riverton-bridge.html"]
    assert records and all(text[r.start:r.end] == r.text for r in records)
    assert all(text.count("\n", 0, r.start) + 1 == r.line for r in records)
    assert bot.article_text("probe.htm").startswith("Probe launched to study icy moon\n")
    # A text article is read from its file, as before.
    assert bot.article_text(SHIPPED_ARTICLE.name) == SHIPPED_ARTICLE.read_text(encoding="utf-8")


def test_the_index_keeps_each_pages_text_in_its_segment(page_seeds):
    bot = _open(page_seeds)
    manifest = bot.answerer.index.manifest
    segment = manifest["files"]["riverton-bridge.html"]["segment"]
    files = manifest["segments"][segment][PAGES]
    assert sorted(files) == ["probe.htm", "riverton-bridge.html"]
    stored = page_seeds.parent / "embeddings" / "segments" / segment / files["riverton-bridge.html"]
    assert stored.read_text(encoding="utf-8") == bot.article_text("riverton-bridge.html")
    assert f"segments/{segment}/{files['probe.htm']}" in manifest["file_hashes"]


def test_questions_never_extract_pages_again(page_seeds, monkeypatch):
    _open(page_seeds)

    def refuse(*args, **kwargs):
        raise AssertionError("a page was extracted again")

    monkeypatch.setattr(extract, "extract_page", refuse)
    monkeypatch.setattr("qabot.articles.files.extract_page", refuse)
    bot = _open(page_seeds)  # fresh: opened without reading the pages
    answer = bot.ask("When was the stone-and-steel Old Bridge built?")
    assert answer.citation.file.endswith("/riverton-bridge.html")
    assert "1887" in answer.text


def test_a_damaged_page_text_is_never_quoted(page_seeds):
    bot = _open(page_seeds)
    manifest = bot.answerer.index.manifest
    segment = manifest["files"]["riverton-bridge.html"]["segment"]
    stored = (page_seeds.parent / "embeddings" / "segments" / segment
              / manifest["segments"][segment][PAGES]["riverton-bridge.html"])
    damaged = stored.read_text(encoding="utf-8").replace("built in 1887", "built in 1999")
    stored.chmod(0o644)
    stored.write_text(damaged, encoding="utf-8")
    notices = []
    bot.notice = notices.append
    answer = bot.ask("When was the stone-and-steel Old Bridge built?")
    assert "1887" in answer.text  # rebuilt from the page, not quoted from the damaged copy
    assert any("does not match riverton-bridge.html" in notice for notice in notices)


def test_a_changed_or_removed_page_updates_the_index(page_seeds):
    bot = _open(page_seeds)
    page = page_seeds / "riverton-bridge.html"
    page.write_bytes(page.read_bytes().replace(b"built in 1887", b"built in 1886"))
    bot = _open(page_seeds)
    assert "built in 1886" in bot.article_text("riverton-bridge.html")
    page.unlink()
    bot = _open(page_seeds)
    assert "riverton-bridge.html" not in bot.answerer.index.manifest["files"]
    with pytest.raises(ArticleError):
        bot.article_text("riverton-bridge.html")


def test_a_page_without_an_article_is_skipped_by_name(page_seeds):
    (page_seeds / "menu.html").write_text("<html><body><nav>Home | News | Sport</nav></body></html>")
    notices = []
    bot = Bot.open(page_seeds, page_seeds.parent / "embeddings", embedder=HashingEmbedder(),
                   notice=notices.append)
    assert "menu.html" in bot.last_build.skipped
    assert any(notice.startswith(f"skipped {page_seeds / 'menu.html'}: ") for notice in notices)


# --- with the real model ----------------------------------------------------------------------

@pytest.fixture
def served(tmp_path):
    import http.server
    import threading
    from functools import partial

    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(TEST_PAGES))
    handler.log_message = lambda *args: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.model
def test_qabot_add_then_ask(workdir, cli, shared_model, served):
    result = cli("add", f"{served}/probe-launch.html", f"{served}/missing.html", "--json")
    assert result.code == 2  # one page could not be added
    report = json.loads(result.out)
    [added] = report["added"]
    assert added["file"] == "seeds/probe-launched-to-study-icy-moon.txt" and added["updated"] is False
    assert report["failed"][0]["target"] == f"{served}/missing.html"
    assert report["index"]["files"] == 2
    result = cli("ask", "How much does the Halcyon probe weigh?", "--json")
    answer = json.loads(result.out)
    assert answer["source"]["file"] == "seeds/probe-launched-to-study-icy-moon.txt"
    assert "5.6 tonnes" in answer["answer"]
    result = cli("add", f"{served}/probe-launch.html")
    assert result.code == 0
    assert result.out.startswith("updated seeds/probe-launched-to-study-icy-moon.txt")


@pytest.mark.model
def test_a_page_and_its_text_answer_the_own_set_alike(tmp_path, real_model):
    """The shipped article saved as a web page answers evals/seed.jsonl as
    its text does (the issue allows one question of difference)."""
    from qabot.evaluation.datasets import load_question_set
    from qabot.evaluation.runner import run_eval

    outcomes = {}
    for kind, source in (("text", SHIPPED_ARTICLE), ("page", TEST_PAGES / "iran-missiles.html")):
        seeds = tmp_path / kind / "seeds"
        seeds.mkdir(parents=True)
        shutil.copy(source, seeds)
        found = outcomes[kind] = {}
        run_eval(load_question_set(SEED_SET), seeds, tmp_path / kind / "embeddings", real_model,
                 on_result=lambda case, answer, outcome, found=found: found.__setitem__(
                     " / ".join(case.turns), (outcome.correct, outcome.abstained)))
    differ = [question for question in outcomes["text"] if outcomes["text"][question] != outcomes["page"][question]]
    assert len(outcomes["text"]) == len(outcomes["page"]) > 80
    assert len(differ) <= 1, differ


def test_qabot_add_without_indexing_loads_no_model(tmp_path, monkeypatch, cli, no_model, served):
    monkeypatch.chdir(tmp_path)
    result = cli("add", f"{served}/storm-warning.html", "nowhere.html", "--no-index")
    assert result.code == 2
    assert result.out == ("added seeds/storm-alder-to-bring-90-mph-gusts-to-the-coast-on-sunday.txt: "
                          "Storm Alder to bring 90 mph gusts to the coast on Sunday\n")
    assert "not added: nowhere.html: neither a web address nor a file" in result.err
    assert not (tmp_path / "embeddings").exists()


def test_a_page_changed_on_disk_is_never_quoted_from_its_old_text(page_seeds):
    bot = _open(page_seeds)
    page = page_seeds / "riverton-bridge.html"
    page.write_bytes(page.read_bytes().replace(b"built in 1887", b"built in 1886"))
    with pytest.raises(ArticleError, match="changed since the index was built"):
        bot.article_text("riverton-bridge.html")
    answer = bot.ask("When was the stone-and-steel Old Bridge built?")  # rebuilt first
    assert "1886" in answer.text


def test_a_manifest_without_a_pages_text_is_damaged(page_seeds):
    import json

    from qabot.errors import IndexLoadError
    from qabot.index.loaded import read_manifest

    bot = _open(page_seeds)
    folder = page_seeds.parent / "embeddings"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    segment = manifest["files"]["riverton-bridge.html"]["segment"]
    del manifest["segments"][segment][PAGES]["riverton-bridge.html"]
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(IndexLoadError, match="damaged"):
        read_manifest(folder)
    bot = _open(page_seeds)  # rebuilt
    assert "built in 1887" in bot.article_text("riverton-bridge.html")


def test_a_build_reads_only_the_pages_it_rewrites(page_seeds, monkeypatch):
    _open(page_seeds)
    read = []
    original = extract.extract_page

    def counted(html, url=None, where="the page"):
        read.append(where)
        return original(html, url=url, where=where)

    monkeypatch.setattr("qabot.articles.files.extract_page", counted)
    _open(page_seeds)  # nothing changed: no page is read
    assert read == []
    page = page_seeds / "probe.htm"
    page.write_bytes(page.read_bytes().replace(b"nine instruments", b"ten instruments"))
    bot = _open(page_seeds)
    assert [name.rsplit("/", 1)[-1] for name in read] == ["probe.htm"]
    assert "ten instruments" in bot.article_text("probe.htm")
