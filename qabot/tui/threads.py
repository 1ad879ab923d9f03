"""Run the app so that quitting never waits for work still in a thread.

Textual runs thread workers on the event loop's default executor, and
``asyncio.run`` joins that executor's threads on the way out. The model
can take seconds to load, and it cannot be interrupted: someone who quits
while it loads would stare at a frozen terminal. Here the workers run in
daemon threads instead, which the process does not wait for.
"""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Callable

from textual.app import App


class DaemonThreads(ThreadPoolExecutor):
    """Runs each call in a new daemon thread (asyncio insists on a
    ThreadPoolExecutor, so this is one whose pool stays empty)."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        future: Future = Future()

        def run() -> None:
            if not future.set_running_or_notify_cancel():
                return
            try:
                result = fn(*args, **kwargs)
            except BaseException as error:  # handed to whoever awaits the future
                future.set_exception(error)
            else:
                future.set_result(result)

        threading.Thread(target=run, name="qabot-worker", daemon=True).start()
        return future


def run_without_waiting(app: App, **options: Any) -> None:
    """Run ``app`` (``options`` go to ``App.run``) on a loop whose threads are daemons."""
    loop = asyncio.new_event_loop()
    loop.set_default_executor(DaemonThreads())
    asyncio.set_event_loop(loop)
    try:
        app.run(loop=loop, **options)
    finally:
        asyncio.set_event_loop(None)
        loop.close()
