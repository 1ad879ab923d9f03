"""The chat window's card for a follow-up says what its "he" or "she" was
taken to mean (issue 22, item 9), in the warning colour after an unsure or
declined answer, and shows the earlier question's text literally. Answers
are scripted (real passages, a fixed confidence)."""

from __future__ import annotations

from qabot.tui import presenting
from qabot.tui.answer_card import AnswerCard

from .conftest import SIZE, ScriptedAnswerer, WithShortAnswers, ask, screen_text, settle

LAVA = "Dr. Anna Sigurdardottir, the chief volcanologist, said the lava flow was moving slowly to the east."
WEEKS = "She added that the eruption could continue for several weeks."
WHO = "Who studies the lava?"
NEXT = "What else did she say?"
ODD = "How many [bold]sheep[/bold] were kept?"
SCRIPT = {
    WHO: (LAVA, 0.22),  # unsure
    NEXT: (WEEKS, 0.64),
    ODD: (None, 0.05),  # declined
    "Where were they kept?": (None, 0.05),
    "When did the Kelda volcano erupt?": (None, 0.9),
}
TAKEN = "Taking “she” to mean Dr. Anna Sigurdardottir (from an unsure earlier answer)."


async def answer(app, pilot, question: str) -> AnswerCard:
    await settle(pilot)
    app.conversation.answerer = WithShortAnswers(ScriptedAnswerer(app.bot.answerer, SCRIPT),
                                                 {WHO: "Dr. Anna Sigurdardottir"})
    await ask(pilot, question)
    return list(app.query(AnswerCard))[-1]


async def test_a_follow_up_after_an_unsure_answer_says_whom_she_was_taken_to_mean(new_app):
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        first = await answer(app, pilot, WHO)
        assert first.view.unsure and first.view.assumed is None
        assert not first.query("#assumed")
        card = await answer(app, pilot, NEXT)
        assert card.view.assumed == TAKEN and card.view.assumed_doubtful
        assert card.has_class("-after-unsure")
        assert str(card.query_one("#assumed").render()) == TAKEN
        assert TAKEN in screen_text(app)
        markdown = presenting.conversation_markdown([[first.view, card.view]], "Volcano", "2026-01-02 03:04:05")
        assert f"## Q: {NEXT}\n\n{TAKEN}\n" in markdown


async def test_the_earlier_question_is_shown_literally(new_app):
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await answer(app, pilot, ODD)
        card = await answer(app, pilot, "Where were they kept?")
        assert card.view.refused
        line = f"Taking “they” to mean the subject of “{ODD}” (from the earlier question, which was not answered)."
        assert card.view.assumed == line
        assert str(card.query_one("#assumed").render()) == line  # no markup read into it


async def test_a_stand_alone_question_has_no_such_line(new_app):
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await answer(app, pilot, WHO)
        card = await answer(app, pilot, "When did the Kelda volcano erupt?")
        assert card.view.assumed is None and not card.query("#assumed")
        assert "Taking" not in screen_text(app)
