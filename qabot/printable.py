"""Text from an article or a question, made safe to put on a terminal.

Nothing an article holds may drive the terminal: the CLI and the chat window
print every field through :func:`printable`. It imports nothing heavy.
"""

from __future__ import annotations

import re

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

    A single line break inside a paragraph becomes a space; blank lines and
    breaks before list items, headings and quotes stay. One character for
    one, so offsets into ``text`` still hold.
    """
    chars = list(text)
    for at, ch in enumerate(text):
        if ch != "\n" or at == 0 or at + 1 >= len(text):
            continue
        if text[at - 1] == "\n" or text[at + 1] == "\n":
            continue  # a paragraph break
        line_start = text.rfind("\n", 0, at) + 1
        if text[line_start:at].lstrip().startswith("#") or _BLOCK_START.match(text, at + 1):
            continue
        chars[at] = " "
    return "".join(chars)
