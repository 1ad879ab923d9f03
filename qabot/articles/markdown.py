"""The structure of a Markdown article, as spans of its own text.

A Markdown article's title is its first heading's text (without the ``#``);
later headings are not sentences, but name the section the passages under
them belong to; each list item is an item of its own; a byline set in
emphasis (``*By Jane Doe*``) is kept as a line (with its marks, the file's
own characters, which are not words). Every span is offsets into
the file's text, so quotes stay the file's own characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qabot.articles.lines import WORD, is_prose, line_starts, trimmed

_HEADING = re.compile(r" {0,3}#{1,6}[ \t]+(\S.*?)[ \t]*(?:#+[ \t]*)?$")
_ITEM = re.compile(r"[ \t]*(?:[-*+•]|\d{1,3}[.)])[ \t]+(?=\S)")
_BYLINE = re.compile(r"[ \t]*([*_]{1,2})((?:By|BY|by)\b[^\n]*?)\1[ \t]*$")
_RULE = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_FENCE = re.compile(r" {0,3}(```|~~~)")


@dataclass(frozen=True)
class Block:
    """A stretch of the article: running prose (split into sentences later)
    or one line of its own (a list item, a byline)."""

    start: int
    end: int
    kind: str      # "prose" or "line"
    heading: str   # the section heading above it ("" before the first)


class _Reader:
    """Walks the lines once, collecting blocks (see :func:`markdown_structure`)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.blocks: list[Block] = []
        self.heading = ""
        self.paragraph: list[tuple[int, int]] = []
        self.item: list[int] | None = None

    def end_paragraph(self) -> None:
        if self.paragraph:
            start, end = self.paragraph[0][0], self.paragraph[-1][1]
            joined = " ".join(self.text[s:e].strip() for s, e in self.paragraph)
            if is_prose(joined):
                self.blocks.append(Block(*trimmed(self.text, start, end), "prose", self.heading))
            self.paragraph = []

    def end_item(self) -> None:
        if self.item is not None:
            start, end = trimmed(self.text, *self.item)
            if WORD.search(self.text, start, end):
                self.blocks.append(Block(start, end, "line", self.heading))
            self.item = None

    def end_all(self) -> None:
        self.end_paragraph()
        self.end_item()


def is_markup_line(line: str) -> bool:
    """A code fence, a list item or a rule: never an article's title."""
    return bool(_FENCE.match(line) or _ITEM.match(line) or _RULE.match(line))


def markdown_structure(text: str, skip_until: int = 0) -> tuple[tuple[int, int] | None, list[Block]]:
    """The title's span (None when the article does not open with a
    heading) and the blocks of the article, in order. Lines before
    ``skip_until`` (a title found otherwise) are left out."""
    reader = _Reader(text)
    title: tuple[int, int] | None = None
    fenced = False
    for offset, line in zip(line_starts(text), text.split("\n")):
        if offset < skip_until:
            fenced ^= bool(_FENCE.match(line))
            continue
        if _FENCE.match(line):
            reader.end_all()
            fenced = not fenced
            continue
        if fenced:
            continue  # code is not prose
        if not line.strip():
            reader.end_all()
            continue
        heading = _HEADING.match(line)
        if heading:
            reader.end_all()
            span = (offset + heading.start(1), offset + heading.end(1))
            if title is None and not reader.blocks and not skip_until:
                title = span
            else:
                reader.heading = text[span[0]:span[1]]
            continue
        if _RULE.match(line):
            reader.end_all()
            continue
        item = _ITEM.match(line)
        if item:
            reader.end_all()
            reader.item = [offset + item.end(), offset + len(line)]
            continue
        if reader.item is not None:  # a line that goes on with the item above
            reader.item[1] = offset + len(line)
            continue
        if _BYLINE.match(line) and not reader.paragraph:  # kept whole, emphasis marks and all
            reader.blocks.append(Block(*trimmed(text, offset, offset + len(line)), "line", reader.heading))
            continue
        reader.paragraph.append((offset, offset + len(line)))
    reader.end_all()
    return title, reader.blocks
