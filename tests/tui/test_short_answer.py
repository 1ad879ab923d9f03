"""The short answer in the chat, driven by a Pilot: marked inside the quoted
sentence on the answer card and in the article; nothing marked without one."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from qabot.tui.answer_card import AnswerCard
from qabot.tui.article_screen import ArticleScreen
from qabot.tui.styled import SENTENCE, SHORT_ANSWER

from .conftest import SIZE, ScriptedAnswerer, WithShortAnswers, ask, screen_text, settle, wait_for
from .seeds import INJECTION, write_seeds

ERUPT = "When did the Kelda volcano erupt?"
ERUPTED = ("The Kelda volcano in northern Iceland erupted on Tuesday morning, sending a column of ash "
           "four kilometres into the sky.")
WHEN = "on Tuesday morning"


def marked(text, style) -> list[str]:
    """The pieces of a Rich ``Text`` styled ``style``."""
    return [text.plain[s.start:s.end] for s in text.spans if s.style == style]


def card_text(app):
    return list(app.query(AnswerCard))[-1].query_one("#passage", Static).content


def article_marks(app, style) -> list[str]:
    return [piece for widget in app.screen.query(".paragraph") for piece in marked(widget.content, style)]


async def answer_with(pilot, question: str, script: dict, shorts: dict[str, str]) -> None:
    """Ask ``question`` of the scripted answerer, with ``shorts`` attached."""
    app = pilot.app
    await settle(pilot)
    app.conversation.answerer = WithShortAnswers(ScriptedAnswerer(app.bot.answerer, script), shorts)
    await ask(pilot, question)


async def open_the_article(pilot) -> None:
    await pilot.press("ctrl+o")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ArticleScreen), what="the article")


async def test_the_card_marks_the_short_answer_inside_the_sentence(new_app):
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await answer_with(pilot, ERUPT, {ERUPT: (ERUPTED, 0.93)}, {ERUPT: WHEN})
        view = list(app.query(AnswerCard))[-1].view
        start, end = view.short_highlight
        assert view.passage_text[start:end] == WHEN
        assert view.highlight[0] <= start < end <= view.highlight[1]
        shown = card_text(app)
        assert marked(shown, SENTENCE) == [ERUPTED]
        assert marked(shown, SHORT_ANSWER) == [WHEN]
        assert ERUPTED[:60] in screen_text(app)


async def test_the_article_marks_the_short_answer_where_it_marks_the_sentence(new_app):
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await answer_with(pilot, ERUPT, {ERUPT: (ERUPTED, 0.93)}, {ERUPT: WHEN})
        await open_the_article(pilot)
        screen = app.screen
        assert screen.article[slice(*screen.short)] == WHEN
        assert screen.sentence[0] <= screen.short[0] < screen.short[1] <= screen.sentence[1]
        assert article_marks(app, SENTENCE) == [ERUPTED]
        assert article_marks(app, SHORT_ANSWER) == [WHEN]


async def test_without_a_short_answer_nothing_is_marked(new_app):
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await answer_with(pilot, ERUPT, {ERUPT: (ERUPTED, 0.93)}, {})
        view = list(app.query(AnswerCard))[-1].view
        assert view.short_highlight is None and view.target.short_text is None
        assert marked(card_text(app), SENTENCE) == [ERUPTED]
        assert marked(card_text(app), SHORT_ANSWER) == []
        await open_the_article(pilot)
        assert app.screen.short is None
        assert article_marks(app, SENTENCE) == [ERUPTED]
        assert article_marks(app, SHORT_ANSWER) == []


async def test_markup_in_a_short_answer_shows_literally(workdir, new_app):
    write_seeds(workdir / "harbour", {"harbour.txt": INJECTION})
    sentence = "The harbour cranes were painted [bold]x[/bold] bright orange by the port workers last spring."
    short = "[bold]x[/bold] bright orange"
    question = "What colour were the harbour cranes painted?"
    app = new_app(Path("harbour"))
    async with app.run_test(size=SIZE) as pilot:
        await answer_with(pilot, question, {question: (sentence, 0.9)}, {question: short})
        assert marked(card_text(app), SHORT_ANSWER) == [short]
        assert short in screen_text(app)
        await open_the_article(pilot)
        assert article_marks(app, SHORT_ANSWER) == [short]
        assert short in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running
