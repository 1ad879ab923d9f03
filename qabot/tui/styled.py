"""Rich ``Text`` for article text and questions: always literal, never markup.

Every string that came from an article, a file name or the user goes on
screen through these functions: it is made printable (no terminal control
characters) and wrapped in a ``Text``, so ``[bold]`` or ``[@click=...]``
show as the characters they are.
"""

from __future__ import annotations

from typing import Iterable

from rich.style import Style
from rich.text import Text

from qabot.printable import one_line, printable, unwrapped

# The answering sentence, inside its passage or its article.
SENTENCE = Style(bold=True, color="black", bgcolor="#e5c07b")
# The short answer inside that sentence: the few words that answer.
SHORT_ANSWER = Style(bold=True, underline=True, color="black", bgcolor="#98c379")
# The passage around it: readable, but quieter than the answer.
CONTEXT = Style(dim=True)


def literal(text: str, style: str | Style = "") -> Text:
    """``text`` as it is (printable), in ``style``."""
    return Text(printable(text), style=style, end="")


def literal_line(text: str, style: str | Style = "") -> Text:
    """``text`` folded onto one line, as it is, in ``style``."""
    return Text(one_line(text), style=style, end="")


def highlighted(text: str, spans: Iterable[tuple[int, int, Style | str]], base: Style | str = "") -> Text:
    """``text`` with each ``(start, end, style)`` span styled; offsets are
    into ``text`` (printable keeps them valid)."""
    result = literal(text, base)
    for start, end, style in spans:
        if 0 <= start < end <= len(text):
            result.stylize(style, start, end)
    return result


def passage_with_answer(text: str, span: tuple[int, int] | None, short: tuple[int, int] | None = None) -> Text:
    """A passage, dimmed, with the answering sentence bright and the short
    answer (when there is one) marked inside it; the line breaks of
    hard-wrapped prose are unwrapped (offsets hold)."""
    text = unwrapped(text)
    if span is None:
        return literal(text)
    start, end = span
    spans = [(0, start, CONTEXT), (end, len(text), CONTEXT), (start, end, SENTENCE)]
    if short is not None:
        spans.append((*short, SHORT_ANSWER))
    return highlighted(text, spans)


def assembled(*parts: Text | str | tuple[str, str]) -> Text:
    """Join parts: ``Text`` as is; ``str`` and ``(str, style)`` as literal,
    printable text on one line (never markup)."""
    result = Text(end="")
    for part in parts:
        if isinstance(part, Text):
            result.append_text(part)
        elif isinstance(part, tuple):
            result.append(printable(part[0], keep_newlines=False), style=part[1])
        else:
            result.append(printable(part, keep_newlines=False))
    return result
