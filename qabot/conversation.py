"""Follow-up questions.

A question that points back at an earlier turn ("What did he say?") is
asked with that turn as context: the previous question and the names in the
previous answer help find the passage, and the question itself picks the
sentence. A question that names its own subject is asked as it is, whatever
came before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol

from qabot.answering import Answer
from qabot.answering.evidence import names
from qabot.index.lexical import stopwords

# People-pronouns may point at a name earlier in the same question ("Did
# Zarif make his statement?"); thing- and place-words point back.
_PERSON = re.compile(r"\b(he|she|him|his|her|hers|they|them|their|theirs)\b", re.IGNORECASE)
_THING = re.compile(r"\b(it|its)\b|\bthere\b(?!\s+(is|are|was|were|be|been)\b)", re.IGNORECASE)
_BE_THERE = re.compile(r"\b(is|are|was|were)\s+there\b", re.IGNORECASE)
MAX_TURNS = 6


class Asker(Protocol):
    def ask(self, question: str, k: int = 3, context: str | None = None) -> Answer: ...


def leans_on_context(question: str) -> bool:
    """True when the question points back at something it does not name:
    "it", "its", "there" (not "is there"), or a people-pronoun with no name
    before it."""
    if _THING.search(_BE_THERE.sub("", question)):
        return True
    match = _PERSON.search(question)
    return match is not None and not names(question[1:match.start()], stopwords())


def context_of(previous: Answer) -> str:
    """The previous question and the names its answer gave."""
    answer_names = names(previous.text or "", stopwords())
    new = [name for name in answer_names if name.lower() not in previous.question.lower()]
    return " ".join([previous.question, *dict.fromkeys(new)])


@dataclass
class Conversation:
    """Recent turns with one answerer; ``ask`` resolves follow-ups."""

    answerer: Asker
    turns: list[Answer] = field(default_factory=list)

    def context_for(self, question: str) -> str | None:
        """Earlier turns the question leans on, or None when it stands alone."""
        if not self.turns or not leans_on_context(question):
            return None
        return context_of(self.turns[-1])

    def ask(self, question: str, k: int = 3) -> Answer:
        answer = self.answerer.ask(question, k=k, context=self.context_for(question))
        self.turns = (self.turns + [answer])[-MAX_TURNS:]
        return answer

    def reset(self) -> None:
        self.turns = []
