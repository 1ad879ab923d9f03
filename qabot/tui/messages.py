"""Messages the chat's widgets and workers send: small dataclasses.

Widgets never reach into each other; they post one of these and the app
(or a screen) handles it. Workers running in threads post them too, which
Textual makes safe across threads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.message import Message

from qabot.tui.presenting import ArticleTarget

if TYPE_CHECKING:
    from qabot.answering import Answer
    from qabot.index.build import BuildReport


@dataclass
class QuestionSubmitted(Message):
    """The user asked ``question`` (as typed)."""

    question: str


@dataclass
class LatestAnswerWanted(Message):
    """Tab in the question box: move to the newest answer."""


@dataclass
class OpenArticle(Message):
    """Show the article at ``target`` (a citation was opened)."""

    target: ArticleTarget


@dataclass
class BotReady(Message):
    """The index and the model are loaded: ``bot`` (a qabot.bot.Bot) answers."""

    bot: Any


@dataclass
class BotFailed(Message):
    """Loading failed, for the reason in ``message`` (already readable)."""

    message: str


@dataclass
class IndexNotice(Message):
    """The library says what it is doing, such as rebuilding a stale index."""

    message: str


@dataclass
class BuildProgressed(Message):
    """``done`` of ``total`` texts embedded during a build."""

    stage: str
    done: int
    total: int


@dataclass
class Answered(Message):
    """The answer to the question with ticket ``ticket``."""

    ticket: int
    answer: "Answer"


@dataclass
class AnswerFailed(Message):
    """The question with ticket ``ticket`` could not be answered."""

    ticket: int
    message: str


@dataclass
class RebuildFinished(Message):
    """The index was updated and swapped in; ``manual`` if the user asked."""

    report: "BuildReport"
    manual: bool


@dataclass
class RebuildFailed(Message):
    """Updating the index failed; the old index still answers."""

    message: str
