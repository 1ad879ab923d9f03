"""F1: the keys, and what qabot does."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from qabot.tui.keys import COMMANDS, OTHER_KEYS, key_label
from qabot.tui.styled import literal

ABOUT = (
    "Ask a question about the articles. Every answer is one sentence quoted "
    "word for word, shown inside its passage, with the file and line it comes "
    "from. When the articles do not say, qabot says so and lists the closest "
    "passages. Follow-ups (\"what did she add?\") build on the question before."
)


def help_rows() -> list[tuple[str, str]]:
    """(key, what it does), from the same table as the bindings."""
    return [(key_label(c.key), c.help) for c in COMMANDS] + list(OTHER_KEYS)


class HelpScreen(ModalScreen):
    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    HelpScreen #about {
        margin: 0 0 1 0;
    }
    HelpScreen .row {
        height: auto;
    }
    HelpScreen .key {
        width: 19;
        text-style: bold;
        color: $text-accent;
    }
    HelpScreen .what {
        width: 1fr;
    }
    """

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("f1", "close", "Close", show=False),
    ]

    def compose(self) -> ComposeResult:
        box = VerticalScroll(classes="dialog")
        box.border_title = "qabot help"
        box.border_subtitle = "Escape or F1 closes"
        with box:
            yield Static(literal(ABOUT), id="about")
            for key, what in help_rows():
                with Horizontal(classes="row"):
                    yield Static(literal(key), classes="key")
                    yield Static(literal(what), classes="what")

    def action_close(self) -> None:
        self.dismiss()
