"""The article, scrolled to a cited passage with its sentence highlighted
(and the short answer marked inside it); Escape goes back to the chat.

Only a stretch around the passage is laid out at first (see
:func:`window_around`), so an article of any size opens at once; "Show
earlier text" and "Show later text" widen it.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from qabot.articles.pages.extract import is_page
from qabot.printable import unwrapped
from qabot.tui.key_bar import KeyBar
from qabot.tui.keys import KeyEntry
from qabot.tui.presenting import ArticleTarget, Paragraph, locate, locate_short, paragraphs, window_around
from qabot.tui.styled import SENTENCE, SHORT_ANSWER, assembled, highlighted, literal

CHANGED = ("This article changed since the index was built, so the place was found by its text; "
           "rebuild the index (ctrl+r) to update the citations.")
GONE = "The cited sentence is no longer in this article; rebuild the index (ctrl+r)."


def _overlaps(paragraph: Paragraph, span: tuple[int, int]) -> bool:
    return paragraph.start < span[1] and span[0] < paragraph.end


class ArticleScreen(Screen):
    """Shows one article read from disk at ``target``."""

    DEFAULT_CSS = """
    ArticleScreen #article-head {
        dock: top;
        height: auto;
        padding: 0 1;
        background: $panel;
    }
    ArticleScreen #article-note {
        padding: 0 1;
        color: $text-warning;
    }
    ArticleScreen #article {
        height: 1fr;
        padding: 0 1;
    }
    ArticleScreen .paragraph {
        padding: 0 1 0 2;
        margin: 0 0 1 0;
    }
    ArticleScreen .paragraph.-joined {
        margin: 0;
    }
    ArticleScreen .paragraph.-passage {
        padding: 0 1;
        border-left: thick $accent;
        background: $boost;
    }
    ArticleScreen .more {
        color: $text-muted;
        text-style: italic;
        padding: 0 1 1 2;
    }
    """

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("ctrl+up", "more(-1)", "Earlier text", show=False),
        Binding("ctrl+down", "more(1)", "Later text", show=False),
    ]

    def __init__(self, target: ArticleTarget, article: str) -> None:
        super().__init__()
        self.target = target
        self.article = article
        self.passage, self.sentence, self.exact = locate(target, article)
        self.short = locate_short(target, article, self.sentence)
        self.shown = window_around(article, *self.passage)

    def _note(self) -> str | None:
        if self.target.sentence_text is not None and self.sentence is None:
            return GONE
        return None if self.exact else CHANGED

    def compose(self) -> ComposeResult:
        target = self.target
        origin = (Text("\n"), ("the text taken out of the web page", "dim")) if is_page(target.file) else ()
        yield Static(assembled(("↗ ", "bold"), (target.label, "bold"), " · ", (target.title, "italic"), *origin),
                     id="article-head")
        note = self._note()
        if note:
            yield Static(literal(note), id="article-note")
        with VerticalScroll(id="article"):
            yield from self._shown_widgets()
        yield KeyBar([KeyEntry("escape", "Back", "screen.back", 0), KeyEntry("ctrl+q", "Quit", "app.quit", 1)])

    def _shown_widgets(self) -> list[Static]:
        """The paragraphs of the shown stretch, with a line above and below
        it where the article goes on."""
        low, high = self.shown
        widgets = []
        if low > 0:
            widgets.append(Static(f"▲ {low:,} characters before this: ctrl+up (or click here) shows more",
                                  classes="more", id="earlier", markup=False))
        widgets += [self._paragraph(p) for p in self._paragraphs(low, high)]
        if high < len(self.article):
            widgets.append(Static(f"▼ {len(self.article) - high:,} characters after this: ctrl+down (or click "
                                  "here) shows more", classes="more", id="later", markup=False))
        return widgets

    async def action_more(self, direction: int) -> None:
        """Widen the shown stretch before (-1) or after (1) it; the text that
        was in view stays in view."""
        low, high = self.shown
        edge = low if direction < 0 else high
        wider = window_around(self.article, edge, edge)
        shown = (min(low, wider[0]), max(high, wider[1]))
        if shown == self.shown:
            return
        body = self.query_one("#article", VerticalScroll)
        was_first = next(iter(self._paragraphs(low, high)), None)
        self.shown = shown
        await body.remove_children()
        await body.mount_all(self._shown_widgets())
        if direction < 0 and was_first is not None:
            for widget, paragraph in zip(self.query(".paragraph"), self._paragraphs(*shown)):
                if paragraph.start <= was_first.start < paragraph.end:
                    self.call_after_refresh(body.scroll_to_widget, widget, animate=False, top=True)
                    break

    def on_click(self, event) -> None:
        widget = getattr(event, "widget", None)
        if widget is not None and widget.id in ("earlier", "later"):
            self.run_worker(self.action_more(-1 if widget.id == "earlier" else 1), group="more", exclusive=True,
                            exit_on_error=False)

    def _paragraphs(self, low: int, high: int) -> list[Paragraph]:
        """The paragraphs between ``low`` and ``high``, the passage's lines
        one of their own (so only they are marked)."""
        return paragraphs(self.article, low, high, self.passage)

    def _paragraph(self, paragraph: Paragraph) -> Static:
        spans = []
        for span, style in ((self.sentence, SENTENCE), (self.short, SHORT_ANSWER)):
            if span and _overlaps(paragraph, span):
                start = max(span[0], paragraph.start) - paragraph.start
                end = min(span[1], paragraph.end) - paragraph.start
                spans.append((start, end, style))
        classes = "paragraph -passage" if _overlaps(paragraph, self.passage) else "paragraph"
        if paragraph.joined:  # no blank line in the article before the next one
            classes += " -joined"
        return Static(highlighted(unwrapped(paragraph.text), spans), classes=classes)

    def on_mount(self) -> None:
        self.call_after_refresh(self.scroll_to_passage)

    def scroll_to_passage(self) -> None:
        """Bring the passage to the top, and make sure the sentence is in view."""
        body = self.query_one("#article", VerticalScroll)
        marked = list(self.query(".-passage"))
        if marked:
            body.scroll_to_widget(marked[0], animate=False, top=True, immediate=True)
        if self.sentence:
            for widget, paragraph in zip(self.query(".paragraph"), self._paragraphs(*self.shown)):
                if _overlaps(paragraph, self.sentence):
                    body.scroll_to_widget(widget, animate=False, immediate=True)
                    break

    def action_back(self) -> None:
        self.dismiss()
