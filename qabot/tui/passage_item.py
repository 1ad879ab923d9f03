"""One of the other passages under an answer; Enter or a click opens it."""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.widgets import Static

from qabot.tui.messages import OpenArticle
from qabot.tui.presenting import PassageView
from qabot.tui.styled import assembled, literal


class PassageItem(Static, can_focus=True):
    DEFAULT_CSS = """
    PassageItem {
        padding: 0 1;
        margin: 0 0 1 0;
        pointer: pointer;
    }
    PassageItem:hover {
        background: $boost;
    }
    PassageItem:focus {
        background: $block-cursor-blurred-background;
    }
    """

    BINDINGS = [Binding("enter", "open", "Open")]

    def __init__(self, view: PassageView) -> None:
        head = assembled(("↗ ", "bold"), (view.label, "bold"), " · ", (view.title, "italic"),
                         (f"  score {view.score:.2f}", "dim"))
        text = head.append("\n").append_text(literal(view.text))
        super().__init__(text, markup=False)
        self.view = view

    def action_open(self) -> None:
        self.post_message(OpenArticle(self.view.target))

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.action_open()
