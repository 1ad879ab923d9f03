"""The screen that chooses which articles questions are asked about."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from qabot.tui.styled import assembled, literal

# The option that lifts the limit, and its id (no article's name: those
# end in .txt, .md, .html or .htm).
ALL_ARTICLES = "All articles"
ALL_ID = "all-articles"


class ArticleChoice(ModalScreen[tuple[str, ...] | None]):
    """A list of the articles, and "All articles" first: choosing one
    dismisses the screen with the names to ask about (() for all); escape
    dismisses it with None, changing nothing."""

    DEFAULT_CSS = """
    ArticleChoice {
        align: center middle;
    }
    ArticleChoice OptionList {
        height: auto;
        max-height: 20;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    ArticleChoice #about {
        color: $text-muted;
        margin-bottom: 1;
    }
    """

    BINDINGS = [Binding("escape", "cancel", "Back")]

    def __init__(self, articles: list[tuple[str, str, str]], chosen: tuple[str, ...]) -> None:
        """``articles``: (name, title, file) of each article the index holds;
        ``chosen``: the names questions are limited to now (() for all)."""
        super().__init__()
        self.articles = articles
        self.chosen = chosen

    def compose(self) -> ComposeResult:
        options = [Option(assembled(("● " if not self.chosen else "  "), ALL_ARTICLES), id=ALL_ID)]
        for name, title, file in self.articles:
            mark = "● " if name in self.chosen else "  "
            options.append(Option(assembled(mark, (title or name, "bold"), Text("\n    "), (file, "dim")), id=name))
        with Vertical(classes="dialog") as box:
            box.border_title = "Ask about"
            box.border_subtitle = "enter: choose · escape: back"
            yield Static(literal("Questions are answered from the article chosen only, until you choose "
                                 "all articles again."), id="about")
            yield OptionList(*options)

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        names = [name for name, _, _ in self.articles]
        first = self.chosen[0] if self.chosen else None
        options.highlighted = names.index(first) + 1 if first in names else 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(() if event.option.id == ALL_ID else (event.option.id,))

    def action_cancel(self) -> None:
        self.dismiss(None)
