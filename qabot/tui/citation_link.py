"""A citation such as ``seeds/file.txt:21 · Title``; clicking it opens the
article. The file and line are never cut; a long title is."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from qabot.tui.messages import OpenArticle
from qabot.tui.presenting import ArticleTarget
from qabot.tui.styled import assembled


class CitationLink(Horizontal):
    DEFAULT_CSS = """
    CitationLink {
        width: 1fr;
        height: 1;
        color: $text-accent;
        pointer: pointer;
    }
    CitationLink:hover {
        text-style: underline;
    }
    CitationLink > .label {
        width: auto;
        text-wrap: nowrap;
        text-style: bold;
    }
    CitationLink > .title {
        width: 1fr;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        text-style: italic;
    }
    """

    def __init__(self, target: ArticleTarget, label: str, title: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.target = target
        self.label = label
        self.title = title

    def compose(self) -> ComposeResult:
        yield Static(assembled("↗ ", self.label), classes="label", markup=False)
        yield Static(assembled(" · ", self.title), classes="title", markup=False)

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.post_message(OpenArticle(self.target))
