"""The whole article, scrolled to a cited passage with its sentence
highlighted; Escape goes back to the chat."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from qabot.tui.presenting import ArticleTarget, Paragraph, locate, paragraphs
from qabot.tui.styled import SENTENCE, assembled, highlighted, literal

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
    ArticleScreen .paragraph.-passage {
        padding: 0 1;
        border-left: thick $accent;
        background: $boost;
    }
    """

    BINDINGS = [Binding("escape", "back", "Back")]

    def __init__(self, target: ArticleTarget, article: str) -> None:
        super().__init__()
        self.target = target
        self.article = article
        self.passage, self.sentence, self.exact = locate(target, article)

    def _note(self) -> str | None:
        if self.target.sentence_text is not None and self.sentence is None:
            return GONE
        return None if self.exact else CHANGED

    def compose(self) -> ComposeResult:
        target = self.target
        yield Static(assembled(("↗ ", "bold"), (target.label, "bold"), " · ", (target.title, "italic")),
                     id="article-head")
        note = self._note()
        if note:
            yield Static(literal(note), id="article-note")
        with VerticalScroll(id="article"):
            for paragraph in paragraphs(self.article):
                yield self._paragraph(paragraph)
        yield Footer()

    def _paragraph(self, paragraph: Paragraph) -> Static:
        spans = []
        if self.sentence and _overlaps(paragraph, self.sentence):
            start = max(self.sentence[0], paragraph.start) - paragraph.start
            end = min(self.sentence[1], paragraph.end) - paragraph.start
            spans.append((start, end, SENTENCE))
        classes = "paragraph -passage" if _overlaps(paragraph, self.passage) else "paragraph"
        return Static(highlighted(paragraph.text, spans), classes=classes)

    def on_mount(self) -> None:
        self.call_after_refresh(self.scroll_to_passage)

    def scroll_to_passage(self) -> None:
        """Bring the passage to the top, and make sure the sentence is in view."""
        body = self.query_one("#article", VerticalScroll)
        marked = list(self.query(".-passage"))
        if marked:
            body.scroll_to_widget(marked[0], animate=False, top=True, immediate=True)
        if self.sentence:
            for widget, paragraph in zip(self.query(".paragraph"), paragraphs(self.article)):
                if _overlaps(paragraph, self.sentence):
                    body.scroll_to_widget(widget, animate=False, immediate=True)
                    break

    def action_back(self) -> None:
        self.dismiss()
