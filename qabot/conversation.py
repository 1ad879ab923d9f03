"""Follow-up questions: a question that leans on earlier turns ("What did he
say?") is searched together with the question before it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol

from qabot.answering import Answer

# Words that point back at something named in an earlier turn.
_REFERRING = re.compile(
    r"\b(he|she|him|his|her|hers|it|its|they|them|their|theirs|this|these|those|there)\b",
    re.IGNORECASE,
)
MAX_TURNS = 6


class Asker(Protocol):
    def ask(self, question: str, k: int = 3, query: str | None = None) -> Answer: ...


def leans_on_context(question: str) -> bool:
    """True when the question refers back to an earlier turn."""
    return bool(_REFERRING.search(question))


@dataclass
class Conversation:
    """Recent turns with one answerer; ``ask`` resolves follow-ups."""

    answerer: Asker
    turns: list[Answer] = field(default_factory=list)

    def query_for(self, question: str) -> str:
        """What to search for: the question, plus the last question it leans on."""
        if not self.turns or not leans_on_context(question):
            return question
        return f"{self.turns[-1].question} {question}"

    def ask(self, question: str, k: int = 3) -> Answer:
        answer = self.answerer.ask(question, k=k, query=self.query_for(question))
        self.turns = (self.turns + [answer])[-MAX_TURNS:]
        return answer

    def reset(self) -> None:
        self.turns = []
