"""Follow-up questions.

A question that points back at an earlier turn ("What did he say?") is
searched for together with that turn: the previous question and the names
in the previous answer. A question that names its own subject is searched
for as it is, whatever came before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol

from qabot.answering import Answer
from qabot.evidence import names
from qabot.lexical import stopwords

_PRONOUN = re.compile(r"\b(he|she|him|his|her|hers|it|its|they|them|their|theirs)\b", re.IGNORECASE)
MAX_TURNS = 6


class Asker(Protocol):
    def ask(self, question: str, k: int = 3, query: str | None = None) -> Answer: ...


def leans_on_context(question: str) -> bool:
    """True when the question has a pronoun with no name before it to refer to."""
    match = _PRONOUN.search(question)
    if match is None:
        return False
    return not names(question[1:match.start()], stopwords())


def context_query(question: str, previous: Answer) -> str:
    """The question, with the previous question and the names its answer gave."""
    answer_names = names(previous.text or "", stopwords())
    new = [name for name in answer_names if name.lower() not in previous.question.lower()]
    return " ".join([question, previous.question, *dict.fromkeys(new)])


@dataclass
class Conversation:
    """Recent turns with one answerer; ``ask`` resolves follow-ups."""

    answerer: Asker
    turns: list[Answer] = field(default_factory=list)

    def query_for(self, question: str) -> str:
        """What to search for: the question, or with context when it leans on it."""
        if not self.turns or not leans_on_context(question):
            return question
        return context_query(question, self.turns[-1])

    def ask(self, question: str, k: int = 3) -> Answer:
        answer = self.answerer.ask(question, k=k, query=self.query_for(question))
        self.turns = (self.turns + [answer])[-MAX_TURNS:]
        return answer

    def reset(self) -> None:
        self.turns = []
