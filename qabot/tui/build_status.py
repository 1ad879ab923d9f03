"""A progress bar shown while the index is being built or updated."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label, ProgressBar

from qabot.tui.styled import literal_line


class BuildStatus(Vertical):
    """Hidden until a build starts; the old index keeps answering meanwhile.

    The bar pulses until the first texts are embedded (loading the model
    can take seconds), then shows how many of them are done.
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
        self.query_one(Label).update(literal_line(message))
        self.query_one(ProgressBar).update(total=None, progress=0)
        self.add_class("-building")

    def advance(self, done: int, total: int) -> None:
        if done > 0 and total > 0:
            self.query_one(ProgressBar).update(total=total, progress=done)

    def finish(self) -> None:
        self.remove_class("-building")
