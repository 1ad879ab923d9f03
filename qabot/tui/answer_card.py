"""An answer: the passage with the answering sentence highlighted (and the
short answer marked inside it, when there is one), its citation and
confidence, and the other passages folded away. A refusal reads differently
and still offers the closest passages; an unsure answer says first that the
article may not say, and that the highlighted sentence is only the closest.
A follow-up's card first says what its "he" or "it" was taken to mean (in
the warning colour when that came from an unsure or declined answer)."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Collapsible, Static

from qabot.tui.citation_link import CitationLink
from qabot.tui.messages import OpenArticle
from qabot.tui.passage_item import PassageItem
from qabot.tui.presenting import UNSURE_HEADING, AnswerView
from qabot.tui.styled import assembled, literal, passage_with_answer


class AnswerCard(Vertical, can_focus=True):
    DEFAULT_CSS = """
    AnswerCard {
        height: auto;
        margin: 0 0 0 2;
        padding: 0 1;
        border-left: thick $success;
    }
    AnswerCard.-refused, AnswerCard.-unsure {
        border-left: thick $warning;
    }
    AnswerCard:focus {
        background: $boost;
        border-left: thick $accent;
    }
    AnswerCard > #passage {
        padding: 0 0 0 0;
    }
    AnswerCard > #assumed {
        color: $text-muted;
        text-style: italic;
    }
    AnswerCard.-after-unsure > #assumed {
        color: $text-warning;
    }
    AnswerCard > #refusal, AnswerCard > #unsure {
        color: $text-warning;
        text-style: bold;
    }
    AnswerCard > #meta {
        height: auto;
    }
    AnswerCard #meta > #confidence {
        width: auto;
        padding: 0 0 0 2;
    }
    AnswerCard.-narrow #meta {
        layout: vertical;
    }
    AnswerCard.-narrow #meta > #confidence {
        padding: 0;
    }
    AnswerCard #confidence.-high { color: $text-success; }
    AnswerCard #confidence.-medium { color: $text-warning; }
    AnswerCard #confidence.-low { color: $text-error; }
    AnswerCard > Collapsible {
        background: transparent;
        border-top: none;
        padding: 0;
        margin: 0;
    }
    """

    BINDINGS = [Binding("enter", "open", "Open")]

    def __init__(self, view: AnswerView) -> None:
        super().__init__(classes="card -refused" if view.refused else "card -unsure" if view.unsure else "card")
        self.set_class(view.assumed_doubtful, "-after-unsure")
        self.view = view

    def compose(self) -> ComposeResult:
        view = self.view
        confidence = Static(
            assembled(view.meter, " ", view.confidence_label), id="confidence",
            classes=f"-{view.confidence_level}",
        )
        if view.assumed:  # a follow-up: how its "he" or "it" was read
            yield Static(literal(view.assumed), id="assumed")
        if view.refused:  # no gauge: the reason says it all
            yield Static(assembled("✗ ", view.headline), id="refusal")
        else:
            if view.unsure:  # the closest sentence, not given as the answer
                yield Static(assembled("? ", UNSURE_HEADING), id="unsure")
            yield Static(passage_with_answer(view.passage_text, view.highlight, view.short_highlight), id="passage")
            with Horizontal(id="meta"):
                yield CitationLink(view.target, view.citation, view.title or "")
                yield confidence
        if view.others:
            title = "Closest passages" if view.refused else "Other passages"
            with Collapsible(title=f"{title} ({len(view.others)})", collapsed=True):
                for other in view.others:
                    yield PassageItem(other)

    # Below this width the confidence goes under the citation, not beside it.
    NARROW = 80

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < self.NARROW, "-narrow")

    def action_open(self) -> None:
        """Open the citation; a refusal has none, so show the closest passages."""
        if self.view.target is not None:
            self.post_message(OpenArticle(self.view.target))
        else:
            for collapsible in self.query(Collapsible):
                collapsible.collapsed = not collapsible.collapsed

    def on_click(self, event: events.Click) -> None:
        if self.view.target is not None:
            event.stop()
            self.post_message(OpenArticle(self.view.target))
