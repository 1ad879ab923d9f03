"""SVG snapshots of the chat at a fixed size (pytest-textual-snapshot).

Update them with ``pytest tests/tui --snapshot-update`` and look at the
SVGs before committing. Nothing on screen depends on time: the app is
waited on until idle, the cursor does not blink, and citations are
relative (the tests run in their temporary folder). Nor on the library's
scoring: the answers are scripted (real passages and offsets, a fixed
sentence and confidence), so only a change to the chat moves them.
"""

from __future__ import annotations

from pathlib import Path

from qabot.tui.question_input import QuestionInput

from .conftest import SIZE, ScriptedAnswerer, WithShortAnswers, ask, settle
from .seeds import VOLCANO, write_seeds


SCRIPT = {
    "When did the Kelda volcano erupt?": (
        "The Kelda volcano in northern Iceland erupted on Tuesday morning, sending a column of ash "
        "four kilometres into the sky.", 0.93),
    "When will the flights resume?": (
        "The airport authority said flights would resume once the wind carried the ash away from "
        "the main routes.", 0.88),
    "Quantum chromodynamics lattice gauge?": (None, 0.03),
    "How hot is the lava?": (
        "Dr. Anna Sigurdardottir, the chief volcanologist, said the lava flow was moving slowly to the east.",
        0.22),
}


def steady(*questions: str, keys: tuple[str, ...] = (), shorts: dict[str, str] | None = None):
    """A ``run_before`` that waits for the index, asks ``questions``, then
    presses ``keys``, leaving the screen still; ``shorts`` gives answers
    short answers ({question: words of its sentence})."""

    async def run_before(pilot) -> None:
        app = pilot.app
        app.query_one(QuestionInput).cursor_blink = False
        await settle(pilot)
        app.conversation.answerer = WithShortAnswers(ScriptedAnswerer(app.bot.answerer, SCRIPT), shorts or {})
        for question in questions:
            await ask(pilot, question)
        if keys:
            await pilot.press(*keys)
        await settle(pilot)
        await pilot.pause()

    return run_before


def one_article_app(workdir: Path, new_app):
    write_seeds(workdir / "news", {"volcano.txt": VOLCANO})
    return new_app(Path("news"))


def test_empty_chat(snap_compare, workdir, new_app):
    assert snap_compare(one_article_app(workdir, new_app), terminal_size=SIZE, run_before=steady())


def test_an_answer(snap_compare, workdir, new_app):
    app = one_article_app(workdir, new_app)
    assert snap_compare(app, terminal_size=SIZE, run_before=steady("When did the Kelda volcano erupt?"))


def test_a_refusal(snap_compare, workdir, new_app):
    app = one_article_app(workdir, new_app)
    assert snap_compare(app, terminal_size=SIZE, run_before=steady("Quantum chromodynamics lattice gauge?"))


def test_an_unsure_answer(snap_compare, workdir, new_app):
    app = one_article_app(workdir, new_app)
    assert snap_compare(app, terminal_size=SIZE, run_before=steady("How hot is the lava?"))


def test_help(snap_compare, workdir, new_app):
    assert snap_compare(one_article_app(workdir, new_app), terminal_size=SIZE, run_before=steady(keys=("f1",)))


def test_the_article_at_a_citation(snap_compare, workdir, new_app):
    app = one_article_app(workdir, new_app)
    run_before = steady("When will the flights resume?", keys=("ctrl+o",))
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


SHORTS = {"When did the Kelda volcano erupt?": "on Tuesday morning",
          "When will the flights resume?": "once the wind carried the ash away from the main routes"}


def test_an_answer_with_a_short_answer(snap_compare, workdir, new_app):
    app = one_article_app(workdir, new_app)
    run_before = steady("When did the Kelda volcano erupt?", shorts=SHORTS)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_the_article_with_a_short_answer(snap_compare, workdir, new_app):
    app = one_article_app(workdir, new_app)
    run_before = steady("When will the flights resume?", keys=("ctrl+o",), shorts=SHORTS)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
