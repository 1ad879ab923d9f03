"""A progress bar shown while the index is being built or updated."""

from __future__ import annotations

import time

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label, ProgressBar

from qabot.tui.presenting import embedding_progress
from qabot.tui.styled import literal_line


class BuildStatus(Vertical):
    """Hidden until a build starts; the old index keeps answering meanwhile.

    The bar pulses until the first texts are embedded (loading the model
    can take seconds); the line says how many texts there are to embed, how
    many are done and about how long the rest will take.
    """

    DEFAULT_CSS = """
    BuildStatus {
        height: auto;
        margin: 0 2;
        display: none;
    }
    BuildStatus.-building {
        display: block;
    }
    BuildStatus > Label {
        width: 1fr;
        color: $text-accent;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def compose(self) -> ComposeResult:
        yield Label(id="build-label", markup=False)
        yield ProgressBar(show_eta=False, id="build-bar")

    @property
    def building(self) -> bool:
        return self.has_class("-building")

    def start(self, message: str) -> None:
        """Show ``message`` and a pulsing bar."""
        self._message = message
        self._counting_since: tuple[float, int] | None = None
        self.query_one(Label).update(literal_line(message))
        self.query_one(ProgressBar).update(total=None, progress=0)
        self.add_class("-building")

    def advance(self, done: int, total: int) -> None:
        """``done`` of ``total`` texts are embedded."""
        if total <= 0:
            return
        now = time.monotonic()
        if self._counting_since is None and done > 0:
            self._counting_since = (now, done)  # the pace leaves out loading the model
        pace = None
        if self._counting_since and done > self._counting_since[1]:
            since, first = self._counting_since
            pace = (now - since) / (done - first)
        self.query_one(Label).update(literal_line(f"{self._message} · {embedding_progress(done, total, pace)}"))
        if done > 0:
            self.query_one(ProgressBar).update(total=total, progress=done)

    def finish(self) -> None:
        self.remove_class("-building")
