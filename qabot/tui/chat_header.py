"""The line at the top: what is being asked about, the index's state, and
where questions search when it is not the index folder."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widgets import Label

from qabot.tui.styled import assembled

# What each state of the index reads as.
STATES = {
    "loading": "index: loading…",
    "fresh": "index: fresh",
    "updating": "index: updating…",
    "stale": "index: stale",
    "unavailable": "index: unavailable",
    "no-articles": "no articles",
}


class ChatHeader(Horizontal):
    """The article's title (or "N articles"), or the articles questions
    are limited to, and the index state."""

    DEFAULT_CSS = """
    ChatHeader {
        dock: top;
        height: 1;
        background: $panel;
        color: $foreground;
    }
    ChatHeader > #heading {
        width: 1fr;
        padding: 0 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        text-style: bold;
    }
    ChatHeader > #heading.-limited { color: $text-accent; }
    ChatHeader > #state {
        width: auto;
        padding: 0 1;
        color: $text-muted;
    }
    ChatHeader > #state.-fresh { color: $text-success; }
    ChatHeader > #state.-loading, ChatHeader > #state.-updating { color: $text-accent; }
    ChatHeader > #state.-stale, ChatHeader > #state.-no-articles { color: $text-warning; }
    ChatHeader > #state.-unavailable { color: $text-error; }
    """

    heading: reactive[str] = reactive("")
    state: reactive[str] = reactive("loading")
    # Where questions search, when not the index folder ("Milvus Lite").
    store: reactive[str] = reactive("")
    # The articles questions are limited to, in words ("only “Title”"); ""
    # when questions are asked about all of them.
    limit: reactive[str] = reactive("")

    def compose(self) -> ComposeResult:
        yield Label(self._heading_text(self.heading, self.limit), id="heading", markup=False,
                    classes="-limited" if self.limit else "")
        yield Label(self._state_text(self.state, self.store), id="state", classes=f"-{self.state}", markup=False)

    @staticmethod
    def _heading_text(heading: str, limit: str = ""):
        shown = limit or heading
        return assembled(("qabot", "bold"), " · " if shown else "", shown)

    @staticmethod
    def _state_text(state: str, store: str = ""):
        return assembled(STATES.get(state, state), f" · {store}" if store else "")

    def watch_heading(self, heading: str) -> None:
        for label in self.query("#heading").results(Label):
            label.update(self._heading_text(heading, self.limit))

    def watch_limit(self, limit: str) -> None:
        for label in self.query("#heading").results(Label):
            label.update(self._heading_text(self.heading, limit))
            label.set_class(bool(limit), "-limited")

    def watch_state(self, state: str) -> None:
        for label in self.query("#state").results(Label):
            label.update(self._state_text(state, self.store))
            label.set_classes(f"-{state}")

    def watch_store(self, store: str) -> None:
        for label in self.query("#state").results(Label):
            label.update(self._state_text(self.state, store))
