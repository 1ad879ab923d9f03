"""Fixtures for the chat tests: small articles in a temporary folder, the
fast hashing embedder, and helpers to wait for the app's threads."""

from __future__ import annotations

import asyncio
import dataclasses
import inspect
import io
import threading
import time
from pathlib import Path
from typing import Callable

import pytest
from rich.console import Console

from qabot.answering import Answer, Citation, ScoredPassage, ShortAnswer
from qabot.embedding.embedder import HashingEmbedder
from qabot.tui.app import QabotApp, make_app

from .seeds import LIBRARY, VOLCANO, write_seeds

SIZE = (100, 30)


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function):
    """Run ``async def`` tests here in a fresh event loop (no plugin needed)."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    arguments = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
    asyncio.run(pyfuncitem.obj(**arguments))
    return True


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in ``tmp_path`` so citations read ``seeds/...`` and exports land there."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def seeds(workdir: Path) -> Path:
    """``seeds/`` (relative) holding two articles."""
    write_seeds(workdir / "seeds", {"volcano.txt": VOLCANO, "library.txt": LIBRARY})
    return Path("seeds")


@pytest.fixture
def new_app(seeds: Path) -> Callable[..., QabotApp]:
    """Build the app over ``seeds`` with the hashing embedder (no file watching
    unless asked for)."""

    def build(seeds_folder: Path = seeds, embedder=None, watch_interval: float = 0) -> QabotApp:
        return make_app(seeds_folder, Path("index"), embedder=embedder or HashingEmbedder(),
                        watch_interval=watch_interval)

    return build


class GatedEmbedder(HashingEmbedder):
    """The hashing embedder whose index-building work (calls with a progress
    callback) waits at a gate while ``closed``; questions pass freely."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = threading.Event()
        self.gate.set()
        self.waiting = threading.Event()

    def close(self) -> None:
        self.gate.clear()

    def open(self) -> None:
        self.gate.set()

    def encode(self, texts, progress=None):
        if progress is not None and not self.gate.is_set():
            self.waiting.set()
            self.gate.wait(timeout=30)
        return super().encode(texts, progress=progress)


class ScriptedAnswerer:
    """Answers from the real index, but with the sentence and confidence
    fixed by ``script`` ({question: (sentence text or None, confidence)}),
    so snapshots of the chat don't move when the library's scoring is tuned."""

    def __init__(self, answerer, script: dict[str, tuple[str | None, float]]) -> None:
        self.index = answerer.index
        self.display_path = answerer.display_path
        self.script = script

    def ask(self, question: str, k: int = 3, context: str | None = None, articles=()) -> Answer:
        wanted, confidence = self.script[question]
        passages = list(self.index.passages)
        sentence = next((s for s in self.index.sentences if s.text == wanted), None)
        if sentence is not None:
            passage = passages[sentence.passage]
            passages.remove(passage)
            passages.insert(0, passage)
        scored = [ScoredPassage(p, self.display_path(p.file), 0.8 - 0.2 * n) for n, p in enumerate(passages[:k])]
        if sentence is None:
            return Answer(question, None, None, None, confidence, scored)
        citation = Citation(self.display_path(sentence.file), passage.title, sentence.line, sentence.start, sentence.end)
        return Answer(question, sentence, passage, citation, confidence, scored)


class WithShortAnswers:
    """Wraps an answerer: an answer to a question in ``shorts`` ({question:
    words}) gets those words as its short answer, where its sentence holds
    them (as the reader would give it: article offsets)."""

    def __init__(self, answerer, shorts: dict[str, str]) -> None:
        self.answerer = answerer
        self.shorts = shorts

    def __getattr__(self, name: str):
        return getattr(self.answerer, name)

    def ask(self, question: str, k: int = 3, context: str | None = None, articles=()) -> Answer:
        answer = self.answerer.ask(question, k=k, context=context)
        words = self.shorts.get(question)
        if answer.sentence is None or not words or words not in answer.sentence.text:
            return answer
        at = answer.sentence.start + answer.sentence.text.index(words)
        return dataclasses.replace(answer, short_answer=ShortAnswer(words, at, at + len(words)))


async def wait_for(pilot, condition: Callable[[], bool], timeout: float = 15.0, what: str = "") -> None:
    """Let the app run until ``condition()`` holds (the app works in threads)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}")
        await pilot.pause(0.02)
    await pilot.pause()


async def settle(pilot) -> None:
    """Wait until the app has loaded (or failed to) and finished all work."""
    app = pilot.app
    await wait_for(pilot, lambda: not app.loading and not app.busy, what="the app to be idle")
    await pilot.pause()


async def ask(pilot, question: str, typing: bool = False) -> None:
    """Put ``question`` in the box (key by key if ``typing``), press Enter,
    and wait for its answer."""
    if typing:
        await pilot.press(*question)
    else:
        pilot.app.query_one("#question").value = question
    await pilot.press("enter")
    await settle(pilot)


def screen_text(app) -> str:
    """The characters on the app's screen, as a terminal would show them."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True,
                      color_system="truecolor", record=True, legacy_windows=False, safe_box=False)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text(styles=False)
