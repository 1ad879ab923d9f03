"""A question as typed, made safe to match: no control characters, folded
white space, a sane length."""

from __future__ import annotations

import re
import unicodedata

from qabot.errors import BadQuestionError

# Questions longer than this are cut: the model reads at most 256 word
# pieces, and nobody asks a question this long on purpose.
MAX_QUESTION_CHARS = 1000
# Input beyond this is not even looked at (1 MB of pasted text).
MAX_INPUT_CHARS = 1_000_000


def clean_question(question: str) -> str:
    """Drop control characters, fold white space, cut to a sane length."""
    return cleaned_question(question)[0]


def cleaned_question(question: str) -> tuple[str, bool]:
    """The question cleaned as :func:`clean_question` does, and whether it
    had to be cut."""
    visible = "".join(
        " " if unicodedata.category(ch).startswith("C") else ch for ch in question[:MAX_INPUT_CHARS]
    )
    folded = re.sub(r"\s+", " ", visible).strip()
    cleaned = folded[:MAX_QUESTION_CHARS].rstrip()
    if not re.search(r"\w", cleaned):
        raise BadQuestionError("the question is empty: ask something in words")
    return cleaned, len(folded) > MAX_QUESTION_CHARS
