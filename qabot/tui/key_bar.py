"""The line of keys at the bottom of a screen, fitted to its width.

Textual's footer cuts keys off at the edge of a narrow terminal (a key
without its label). This bar drops whole entries instead, the least needed
first, and a click on an entry runs its action.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.widget import Widget

from qabot.tui.keys import KeyEntry, short_key

GAP = "  "


def fitted(entries: list[KeyEntry], width: int) -> list[KeyEntry]:
    """The entries that fit in ``width`` cells, in their own order, dropping
    the highest ranks first."""
    kept = list(entries)

    def size(chosen: list[KeyEntry]) -> int:
        return len(GAP.join(f"{short_key(e.key)} {e.label}" for e in chosen)) + 1

    while kept and size(kept) > width:
        kept.remove(max(kept, key=lambda e: e.rank))
    return kept


class KeyBar(Widget):
    """One line of ``key label`` entries that always fits the screen."""

    DEFAULT_CSS = """
    KeyBar {
        height: 1;
        width: 1fr;
        dock: bottom;
        background: $panel;
        color: $text-muted;
    }
    """

    def __init__(self, entries: list[KeyEntry], **kwargs) -> None:
        super().__init__(**kwargs)
        self.entries = entries
        self._spans: list[tuple[int, int, KeyEntry]] = []

    def render(self) -> Text:
        text = Text(" ", end="", no_wrap=True, overflow="crop")
        self._spans = []
        for number, entry in enumerate(fitted(self.entries, self.size.width)):
            if number:
                text.append(GAP)
            start = len(text)
            text.append(short_key(entry.key), style="bold")
            text.append(f" {entry.label}")
            self._spans.append((start, len(text), entry))
        return text

    def on_resize(self, event: events.Resize) -> None:
        self.refresh()

    async def on_click(self, event: events.Click) -> None:
        for start, end, entry in self._spans:
            if start <= event.x < end:
                await self.app.run_action(entry.action, self.screen)
                return
