"""The scrolling conversation: questions, answers and notices, oldest first."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Static

from qabot.tui.styled import literal


class Transcript(VerticalScroll, can_focus=False):
    """Holds the cards of the conversation and keeps the newest in view."""

    DEFAULT_CSS = """
    Transcript {
        height: 1fr;
        padding: 0 1;
        scrollbar-gutter: stable;
    }
    Transcript > #hint {
        color: $text-muted;
        padding: 1 1 0 1;
    }
    """

    def __init__(self, hint: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self._hint = hint

    def compose(self):
        yield Static(literal(self._hint), id="hint")

    def on_mount(self) -> None:
        # Stay at the bottom as cards grow (an answer's layout settles after
        # it is mounted), until the user scrolls away; adding a card comes back.
        self.anchor()

    def set_hint(self, hint: str) -> None:
        """Change the words shown above the first question."""
        self._hint = hint
        self.query_one("#hint", Static).update(literal(hint))

    async def add(self, *cards: Widget) -> None:
        """Append ``cards`` and scroll to them."""
        await self.mount_all(cards)
        self.scroll_end(animate=False, immediate=False)

    async def replace(self, old: Widget, new: Widget) -> None:
        """Put ``new`` where ``old`` is (if ``old`` is still shown)."""
        if old.parent is self:
            await self.mount(new, after=old)
            await old.remove()
            self.scroll_end(animate=False, immediate=False)

    async def clear(self) -> None:
        """Remove every card, keeping the hint."""
        await self.query_children(".card").remove()
