"""Text from an article or a question, made safe to put on a terminal.

Nothing an article holds may drive the terminal: the CLI and the chat window
print every field through :func:`printable`. It imports nothing heavy.
"""

from __future__ import annotations

import re

from qabot.articles.lines import wraps_onto

# Formatting characters that can reorder or hide text on screen.
_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _visible(ch: str, keep_newlines: bool) -> str:
    code = ord(ch)
    if ch == "\n":
        return "\n" if keep_newlines else " "
    if ch in "\t\r\u2028\u2029":
        return " "
    if code < 0x20:
        return chr(0x2400 + code)  # a control picture: ESC shows as ␛
    if code == 0x7F:
        return "\u2421"  # ␡
    if 0x80 <= code <= 0x9F or 0xD800 <= code <= 0xDFFF or ch in _BIDI_CONTROLS:
        return "\ufffd"  # C1 controls, lone surrogates, direction overrides
    return ch


def printable(text: str, keep_newlines: bool = True) -> str:
    """``text`` safe to put on a terminal, one character for one.

    Control characters (ESC and friends) become visible symbols and
    direction overrides become U+FFFD, so nothing in an article or a
    question can drive the terminal. The length never changes, so
    character offsets into the original still point at the same text.
    """
    return "".join(_visible(ch, keep_newlines) for ch in text)


def one_line(text: str) -> str:
    """``text`` printable, with every run of white space folded to a space."""
    return re.sub(r"\s+", " ", printable(text, keep_newlines=False)).strip()


def preview(text: str, width: int = 90) -> str:
    """A one-line preview of ``text`` cut to ``width`` characters."""
    flat = one_line(text)
    return flat if len(flat) <= width else flat[: width - 1] + "…"


# A line that starts a list item, a heading, a quote or a table row keeps
# the line break before it.
_BLOCK_START = re.compile(r"[ \t]*(?:[-*+•][ \t]|\d{1,3}[.)][ \t]|#|>|\|)")


def unwrapped(text: str) -> str:
    """``text`` with the line breaks of hard-wrapped prose turned into spaces.

    A line break becomes a space where the chunker reads it as a wrap inside
    a paragraph (:func:`~qabot.articles.lines.wraps_onto`: the line is prose that
    stops mid-sentence, and the next line would not have fitted on it); blank
    lines, short lines, and breaks before list items, headings and quotes
    stay. One character for one, so offsets into ``text`` still hold.
    """
    chars = list(text)
    lines = text.split("\n")
    at = 0
    for line, following in zip(lines, lines[1:]):
        at += len(line)
        if (wraps_onto(line, following) and not line.lstrip().startswith("#")
                and not _BLOCK_START.match(following)):
            chars[at] = " "
        at += 1
    return "".join(chars)
