"""Stands where an answer will appear, while it is being looked for."""

from __future__ import annotations

from textual.widgets import Static

from qabot.tui.styled import literal

WAITING = "Waiting for the index to load; the question will be answered as soon as it is ready."
SEARCHING = "Looking for the answer…"


class PendingCard(Static):
    DEFAULT_CSS = """
    PendingCard {
        padding: 0 1 0 3;
        color: $text-muted;
        text-style: italic;
    }
    """

    def __init__(self, waiting: bool) -> None:
        super().__init__(literal(WAITING if waiting else SEARCHING), classes="card")

    def searching(self) -> None:
        self.update(literal(SEARCHING))
