"""The box at the bottom where questions are typed; Up and Down recall
earlier ones."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Input

from qabot.tui.history import QuestionHistory
from qabot.tui.messages import LatestAnswerWanted, QuestionSubmitted

PLACEHOLDER = "Ask a question about the articles (F1 for help)"


class QuestionInput(Input):
    DEFAULT_CSS = """
    QuestionInput {
        margin: 0 1;
    }
    """

    BINDINGS = [
        Binding("up", "recall_previous", "Previous question", show=False),
        Binding("down", "recall_next", "Next question", show=False),
        # Enter typed before the app took the terminal arrives as a newline (ctrl+j).
        Binding("ctrl+j", "submit", "Ask", show=False),
        # Tab goes to the newest answer, not the first one of the conversation.
        Binding("tab", "to_latest_answer", "Newest answer", show=False),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(placeholder=PLACEHOLDER, select_on_focus=False, **kwargs)
        self.history = QuestionHistory()

    def _show(self, text: str | None) -> None:
        if text is not None:
            self.value = text
            self.cursor_position = len(text)

    def action_recall_previous(self) -> None:
        self._show(self.history.previous(self.value))

    def action_recall_next(self) -> None:
        self._show(self.history.next())

    def action_to_latest_answer(self) -> None:
        self.post_message(LatestAnswerWanted())

    async def action_submit(self) -> None:
        """Send the question to the app (blank input is ignored)."""
        question = self.value
        if not question.strip():
            return
        self.history.add(question)
        self.value = ""
        self.post_message(QuestionSubmitted(question))
