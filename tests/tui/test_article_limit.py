"""The chat window's limit to some articles: a command-palette entry to
choose the article (or all again), the header showing the limit, and
`make_app(articles=...)` (what `qabot --article FILE` opens)."""

from __future__ import annotations

from pathlib import Path

from qabot.embedding.embedder import HashingEmbedder
from qabot.tui.app import make_app
from qabot.tui.article_choice import ArticleChoice
from qabot.tui.chat_header import ChatHeader
from qabot.tui.keys import PALETTE_COMMANDS
from qabot.tui.notice_card import NoticeCard

from .conftest import SIZE, ask, screen_text, settle, wait_for

VOLCANO_TITLE = "Mount Kelda Erupts After Two Quiet Centuries"
LIBRARY_TITLE = "City Library Opens New Reading Garden"
# Asked about the library: without a limit the library article answers.
RIBBON = "Who cut the ribbon at the library reading garden?"


async def choose(pilot, *keys: str) -> None:
    """Open the palette's entry, then press ``keys`` in the list of articles."""
    app = pilot.app
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*"Ask about some")
    await pilot.pause(0.3)
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, ArticleChoice), what="the list of articles")
    await pilot.press(*keys)
    await wait_for(pilot, lambda: not isinstance(app.screen, ArticleChoice), what="the chat again")
    await pilot.pause()


def recording(app) -> list:
    """Every answer the bot gives from now on (the window keeps only what it shows)."""
    answers = []
    asked = app.bot.ask

    def ask_and_keep(*args, **kwargs):
        answers.append(asked(*args, **kwargs))
        return answers[-1]

    app.bot.ask = ask_and_keep
    return answers


def sources(answer) -> set[str]:
    """The files of an answer's sentence and passages."""
    return {p.passage.file for p in answer.passages} | ({answer.sentence.file} if answer.sentence else set())


async def test_the_palette_limits_questions_to_an_article_and_the_header_says_so(new_app):
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        answers = recording(app)
        assert {c.title for c in PALETTE_COMMANDS} <= {c.title for c in app.get_system_commands(app.screen)}
        await ask(pilot, RIBBON)
        assert sources(answers[-1]) >= {"library.txt"}
        # The list: all articles, then each article by name (library, volcano).
        await choose(pilot, "down", "down", "enter")
        header = app.query_one(ChatHeader)
        assert app.articles == ("volcano.txt",)
        assert header.limit == f"only “{VOLCANO_TITLE}” (1 of 2 articles)"
        assert f"qabot · only “{VOLCANO_TITLE}” (1 of 2 articles)" in screen_text(app).splitlines()[0]
        assert any("asked about “Mount Kelda" in str(card.render()) for card in app.query(NoticeCard))
        await ask(pilot, RIBBON)
        assert sources(answers[-1]) == {"volcano.txt"}
        assert answers[-1].limited_to == ("seeds/volcano.txt",)
        # All articles again: the header names both, and the library answers.
        await choose(pilot, "up", "up", "enter")
        assert app.articles == () and header.limit == ""
        assert screen_text(app).splitlines()[0].startswith(" qabot · 2 articles")
        await ask(pilot, RIBBON)
        assert sources(answers[-1]) >= {"library.txt"}


async def test_escape_leaves_the_limit_as_it_was(new_app):
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await choose(pilot, "down", "enter")
        assert app.articles == ("library.txt",)
        await choose(pilot, "escape")
        assert app.articles == ("library.txt",)
        assert app.query_one(ChatHeader).limit == f"only “{LIBRARY_TITLE}” (1 of 2 articles)"


async def test_a_window_opened_with_articles_is_limited_from_the_start(seeds):
    app = make_app(seeds, Path("index"), embedder=HashingEmbedder(), watch_interval=0, articles=("volcano.txt",))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        answers = recording(app)
        assert app.query_one(ChatHeader).limit == f"only “{VOLCANO_TITLE}” (1 of 2 articles)"
        assert f"Ask anything about “{VOLCANO_TITLE}” only" in screen_text(app)
        await ask(pilot, RIBBON)
        assert sources(answers[-1]) == {"volcano.txt"}


async def test_a_limit_to_an_article_that_is_gone_is_lifted_and_said(seeds, workdir):
    app = make_app(seeds, Path("index"), embedder=HashingEmbedder(), watch_interval=0, articles=("volcano.txt",))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        answers = recording(app)
        (workdir / "seeds" / "volcano.txt").unlink()
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert app.articles == () and app.query_one(ChatHeader).limit == ""
        assert "volcano.txt is not in the index (any more)" in " ".join(str(n.message) for n in app._notifications)
        await ask(pilot, RIBBON)
        assert sources(answers[-1]) == {"library.txt"}
