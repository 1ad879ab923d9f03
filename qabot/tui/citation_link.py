"""A citation such as ``seeds/file.txt:21 · Title``; clicking it opens the article."""

from __future__ import annotations

from textual import events
from textual.widgets import Static

from qabot.tui.messages import OpenArticle
from qabot.tui.presenting import ArticleTarget
from qabot.tui.styled import assembled


class CitationLink(Static):
    DEFAULT_CSS = """
    CitationLink {
        width: 1fr;
        height: auto;
        color: $text-accent;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        pointer: pointer;
    }
    CitationLink:hover {
        text-style: underline;
    }
    """

    def __init__(self, target: ArticleTarget, label: str, title: str, **kwargs) -> None:
        text = assembled(("↗ ", "bold"), (label, "bold"), " · ", (title, "italic"))
        super().__init__(text, markup=False, **kwargs)
        self.target = target
        self.label = label

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.post_message(OpenArticle(self.target))
