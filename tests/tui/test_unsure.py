"""The chat window, honest about uncertainty: an unsure answer's card says the
article may not say and shows the closest sentence; with --min-confidence,
an answer below it is declined with the reason, the closest passages still
offered. Answers are scripted (real passages, a fixed confidence)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Collapsible

from qabot.embedding.embedder import HashingEmbedder
from qabot.tui import presenting
from qabot.tui.answer_card import AnswerCard
from qabot.tui.app import make_app

from .conftest import SIZE, ScriptedAnswerer, WithShortAnswers, ask, screen_text, settle

ERUPTED = ("The Kelda volcano in northern Iceland erupted on Tuesday morning, sending a column of ash "
           "four kilometres into the sky.")
LAVA = "Dr. Anna Sigurdardottir, the chief volcanologist, said the lava flow was moving slowly to the east."
SCRIPT = {
    "When did the Kelda volcano erupt?": (ERUPTED, 0.93),
    "How hot is the lava?": (LAVA, 0.22),
}
UNSURE_LINE = "The article may not say; the closest sentence is highlighted below."


async def answer(app, pilot, question: str) -> AnswerCard:
    """Ask ``question`` of the scripted answerer (short answers where the
    sentence holds them) and return its card."""
    await settle(pilot)
    app.conversation.answerer = WithShortAnswers(ScriptedAnswerer(app.bot.answerer, SCRIPT),
                                                 {"How hot is the lava?": "slowly to the east"})
    await ask(pilot, question)
    return list(app.query(AnswerCard))[-1]


async def test_an_unsure_answer_says_the_article_may_not_say(new_app):
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        card = await answer(app, pilot, "How hot is the lava?")
        assert card.view.unsure and not card.view.refused
        assert card.has_class("-unsure")
        assert card.view.short_highlight is None  # no words are marked as the answer
        text = screen_text(app)
        assert f"? {UNSURE_LINE}" in text
        assert "low confidence, 22%" in text
        assert "seeds/volcano.txt:9" in text
        assert "the chief volcanologist" in text  # the closest sentence, in its passage
        copied = presenting.copy_text(card.view)
        assert copied.startswith(f"The article may not say; the closest sentence is “{LAVA}”")
        markdown = presenting.conversation_markdown([[card.view]], "Volcano", "2026-01-02 03:04:05")
        assert f"*The article may not say; the closest sentence is:*\n\n> {LAVA}\n" in markdown
        assert "(low confidence, 22%)" in markdown


async def test_a_sure_answer_has_no_such_line(new_app):
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        card = await answer(app, pilot, "When did the Kelda volcano erupt?")
        assert not card.view.unsure and not card.has_class("-unsure")
        text = screen_text(app)
        assert "may not say" not in text and "high confidence, 93%" in text


async def test_min_confidence_declines_with_the_reason_and_the_closest_passages(seeds):
    app = make_app(seeds, Path("index"), embedder=HashingEmbedder(), watch_interval=0, min_confidence=0.5)
    async with app.run_test(size=SIZE) as pilot:
        card = await answer(app, pilot, "How hot is the lava?")
        assert card.view.refused
        assert card.view.headline == "The closest sentence has 22% confidence, below the 50% asked for."
        assert card.view.others  # the closest passages are still offered
        text = screen_text(app)
        assert "✗ The closest sentence has 22% confidence, below the 50% asked for." in text
        assert "Closest passages" in text
        assert card.query_one(Collapsible).collapsed
        kept = await answer(app, pilot, "When did the Kelda volcano erupt?")
        assert not kept.view.refused and kept.view.headline == ERUPTED
