"""Lines and words of an article's text: what counts as a word, which lines
are prose and which are page furniture, where lines start, and when a line
break is a hard wrap inside a paragraph. Pure functions of the text; the
chunking and the Markdown reading both build on them."""

from __future__ import annotations

import re
from bisect import bisect_right

# A line wrapped inside a paragraph holds at least this many words (shorter
# lines that stop mid-sentence are headings, buttons, promos).
WRAPPED_LINE_WORDS = 3
# Characters by which a wrapped paragraph's next line may outrun what a
# greedy wrap allows (wrappers that balance their lines).
WRAP_SLACK = 8

# A word: two or more letters (any script), or a number.
WORD = re.compile(r"[^\W\d_]{2,}|\d+")
# A web address: its parts are not words of prose.
_ADDRESS = re.compile(r"\S+://\S*|www\.\S+")
_TERMINAL = tuple('.!?…:;"\'”’)]»')


def word_count(text: str) -> int:
    return len(text.split())


def is_prose(line: str) -> bool:
    """True for a line of running text, False for page furniture.

    Prose has at least four words (numbers count; web addresses do not)
    and ends like a sentence, or is long enough (15 words) to be text even
    without a closing mark.
    """
    stripped = line.strip()
    words = len(WORD.findall(_ADDRESS.sub(" ", stripped)))
    if words >= 15:
        return True
    return words >= 4 and stripped.endswith(_TERMINAL)


def line_starts(text: str) -> list[int]:
    """Offsets at which each line of ``text`` begins."""
    return [0] + [m.end() for m in re.finditer("\n", text)]


def line_number(starts: list[int], offset: int) -> int:
    """1-based line holding ``offset``, given :func:`line_starts`."""
    return bisect_right(starts, offset)


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``[start, end)`` so it neither starts nor ends with white space."""
    while start < end and (text[start].isspace() or text[start] == "\ufeff"):
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def wraps_onto(line: str, following: str) -> bool:
    """True when the break between ``line`` and ``following`` looks like a
    hard wrap inside one paragraph: ``line`` is long enough, stops
    mid-sentence, and ``following`` is not much longer than it (were it,
    its first word would have fitted on ``line``)."""
    line, following = line.rstrip(), following.rstrip()
    if not following.strip() or line.endswith(_TERMINAL) or len(WORD.findall(line)) < WRAPPED_LINE_WORDS:
        return False
    first_word = following.split()[0]
    return len(following) <= len(line) + 1 + len(first_word) + WRAP_SLACK
