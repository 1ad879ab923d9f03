"""A question as the user asked it."""

from __future__ import annotations

from textual.widgets import Static

from qabot.tui.styled import assembled


class QuestionCard(Static):
    DEFAULT_CSS = """
    QuestionCard {
        margin: 1 0 0 0;
        padding: 0 1;
        color: $text-primary;
        text-style: bold;
    }
    """

    def __init__(self, question: str) -> None:
        super().__init__(assembled("› ", question), classes="card", markup=False)
        self.question = question
