"""The records an index keeps for each passage and sentence."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True, slots=True)
class Passage:
    """A passage of an article. ``file`` is relative to the seeds folder."""

    id: int
    file: str
    title: str
    start: int
    end: int
    line: int
    text: str
    hash: str
    first_sentence: int
    sentence_count: int
    # The section heading above it in a Markdown article ("" when none).
    heading: str = ""

    def to_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence inside passage ``passage`` (its id)."""

    id: int
    passage: int
    file: str
    start: int
    end: int
    line: int
    text: str

    def to_json(self) -> dict:
        return asdict(self)
