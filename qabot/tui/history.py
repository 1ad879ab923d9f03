"""Earlier questions, recalled with Up and Down as in a shell."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class QuestionHistory:
    """Questions asked so far, oldest first, and a cursor for recalling them.

    While recalling, the text that was being typed is kept as a draft and
    comes back after the newest question.
    """

    questions: list[str] = field(default_factory=list)
    limit: int = 200
    _cursor: int | None = None
    _draft: str = ""

    def add(self, question: str) -> None:
        """Remember ``question`` (not twice in a row) and stop recalling."""
        if question and (not self.questions or self.questions[-1] != question):
            self.questions = (self.questions + [question])[-self.limit:]
        self._cursor = None
        self._draft = ""

    def previous(self, current: str) -> str | None:
        """The question before the one shown (None when there is none)."""
        if not self.questions:
            return None
        if self._cursor is None:
            self._draft = current
            self._cursor = len(self.questions)
        if self._cursor == 0:
            return None
        self._cursor -= 1
        return self.questions[self._cursor]

    def next(self) -> str | None:
        """The question after the one shown, then the draft; None when not recalling."""
        if self._cursor is None:
            return None
        self._cursor += 1
        if self._cursor >= len(self.questions):
            self._cursor = None
            return self._draft
        return self.questions[self._cursor]
