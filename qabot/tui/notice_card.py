"""A line from qabot itself in the conversation: an error, or a divider."""

from __future__ import annotations

from textual.widgets import Static

from qabot.tui.styled import literal

KINDS = ("error", "info", "divider")


class NoticeCard(Static):
    """``kind`` is "error" (something went wrong, and what to do),
    "info", or "divider" (a new conversation starts here)."""

    DEFAULT_CSS = """
    NoticeCard {
        margin: 1 0 0 0;
        padding: 0 1;
    }
    NoticeCard.-error {
        border-left: thick $error;
        background: $error-muted;
        color: $text-error;
    }
    NoticeCard.-info {
        color: $text-muted;
    }
    NoticeCard.-reply {
        margin: 0 0 0 2;
    }
    NoticeCard.-divider {
        color: $text-muted;
        text-align: center;
        border-top: dashed $secondary;
    }
    """

    def __init__(self, message: str, kind: str = "info", reply: bool = False) -> None:
        """``reply``: it stands where the answer to a question would."""
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}")
        super().__init__(literal(message), classes=f"card -{kind}" + (" -reply" if reply else ""))
        self.kind = kind
        self.message = message
