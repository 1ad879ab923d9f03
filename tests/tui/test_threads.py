"""Quitting never waits for a worker thread (the model can take seconds to load)."""

from __future__ import annotations

import threading
import time

import pytest
from textual import work
from textual.app import App

from qabot.tui.threads import DaemonThreads, run_without_waiting


def test_daemon_threads_run_calls_and_pass_errors_on():
    executor = DaemonThreads()
    assert executor.submit(lambda a, b: a + b, 2, b=3).result(timeout=5) == 5
    with pytest.raises(ZeroDivisionError):
        executor.submit(lambda: 1 / 0).result(timeout=5)
    seen = []
    executor.submit(lambda: seen.append(threading.current_thread().daemon)).result(timeout=5)
    assert seen == [True]


class SlowStart(App):
    """An app whose thread worker is still busy when the app quits."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    def on_mount(self) -> None:
        self.slow()

    @work(thread=True)
    def slow(self) -> None:
        self.release.wait(timeout=30)


def test_quitting_does_not_wait_for_a_busy_worker():
    app = SlowStart()

    async def quit_at_once(pilot) -> None:
        await pilot.pause()
        app.exit()

    began = time.monotonic()
    run_without_waiting(app, headless=True, auto_pilot=quit_at_once)
    assert time.monotonic() - began < 10
    app.release.set()
