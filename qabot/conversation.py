"""Follow-up questions.

A question that points back at an earlier turn ("What did he say?") is
asked with that turn as context: the previous question and the names in the
previous answer help find the passage, and the question itself picks the
sentence. A question that names its own subject is asked as it is, whatever
came before.

A follow-up's answer says what its pointing word was taken to mean
(``Answer.assumed_reference``), always, not only after an unsure answer:
an earlier answer that was sure can still name several people, and the
reader should see which way the bot read "he". After an unsure or declined
answer the wording says so, since the reading may well be wrong there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Protocol

from qabot.answering import Answer, AssumedReference
from qabot.answering.evidence import names
from qabot.index.lexical import stopwords

# People-pronouns may point at a name earlier in the same question ("Did
# Zarif make his statement?"); thing- and place-words point back.
_PERSON = re.compile(r"\b(he|she|him|his|her|hers|they|them|their|theirs)\b", re.IGNORECASE)
_THING = re.compile(r"\b(it|its)\b|\bthere\b(?!\s+(is|are|was|were|be|been)\b)", re.IGNORECASE)
_BE_THERE = re.compile(r"\b(is|are|was|were)\s+there\b", re.IGNORECASE)
# A question that asks who did something: "Who is ...?", "Who fired ...?",
# not "Who did Trump meet?" (where the name is the one who did it).
_WHO_DID = re.compile(r"\s*[Ww]ho\b(?!\s+(did|does|do|will|would|can|could|should|might|has|have|had)\s+[A-Z])")
_POSSESSIVE = re.compile(r"['’]s?$")
# Capitalised, but a day or a month, never what "he" or "it" stands for.
_WHEN = re.compile(r"(Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|January|February|March|April|June|July|August|"
                   r"September|October|November|December")
MAX_TURNS = 6
# The most names a follow-up's pointing word is said to mean.
MEANING_NAMES = 3


class Asker(Protocol):
    def ask(self, question: str, k: int = 3, context: str | None = None, articles=()) -> Answer: ...


def leans_on_context(question: str) -> bool:
    """True when the question points back at something it does not name:
    "it", "its", "there" (not "is there"), or a people-pronoun with no name
    before it."""
    return pointing_word(question) is not None


def pointing_word(question: str) -> str | None:
    """The word by which ``question`` points back (see
    :func:`leans_on_context`), as written; the first when there are
    several; None when the question names its own subject."""
    found = []
    thing = _THING.search(_BE_THERE.sub(lambda be: " " * len(be.group()), question))
    if thing:
        found.append((thing.start(), thing.group()))
    person = _PERSON.search(question)
    if person is not None and not names(question[1:person.start()], stopwords()):
        found.append((person.start(), person.group()))
    return min(found)[1] if found else None


def context_of(previous: Answer) -> str:
    """The previous question and the names its answer gave."""
    answer_names = names(previous.text or "", stopwords())
    new = [name for name in answer_names if name.lower() not in previous.question.lower()]
    return " ".join([previous.question, *dict.fromkeys(new)])


def meaning_of(previous: Answer) -> str:
    """What a word pointing back at ``previous`` is taken to mean, by the
    first of these that gives a name:

    - the names in its short answer, when its question asked who did
      something ("Who is the commander of the Quds force?": Qassem Soleimani);
    - the names its question gave ("What did Trump tweet?": Trump);
    - the names its sentence added (short answer's first);
    - the names its question gave in the possessive ("Iran's");
    - failing all, what its question asked about.

    At most MEANING_NAMES names; pronouns, days and months are no names."""
    asked = names(previous.question, stopwords())
    plain = [name for name in asked if not _POSSESSIVE.search(name)]
    short = names(previous.short_answer.text, stopwords()) if previous.short_answer and previous.text else []
    added = [name for name in short + names(previous.text or "", stopwords())
             if name.lower() not in previous.question.lower()]
    possessive = [_POSSESSIVE.sub("", name) for name in asked]
    ways = [short if _WHO_DID.match(previous.question) else [], plain, added, possessive]
    chosen = next((_distinct(way) for way in ways if _distinct(way)), [])
    if not chosen:
        return f"the subject of “{previous.question}”"
    return chosen[0] if len(chosen) == 1 else ", ".join(chosen[:-1]) + " or " + chosen[-1]


def _distinct(found: list[str]) -> list[str]:
    """``found`` without pronouns, days, months and names inside one kept
    before; at most MEANING_NAMES."""
    kept: list[str] = []
    for name in found:
        lowered = name.lower()
        if _PERSON.fullmatch(name) or _THING.fullmatch(name) or _WHEN.fullmatch(name) or any(
                lowered in other.lower() or other.lower() in lowered for other in kept):
            continue
        kept.append(name)
    return kept[:MEANING_NAMES]


def reference_for(question: str, previous: Answer) -> AssumedReference | None:
    """How ``question`` is read after ``previous``: its pointing word and
    what that is taken to mean; None when it names its own subject."""
    word = pointing_word(question)
    if word is None:
        return None
    earlier = "declined" if previous.abstained else "unsure" if previous.unsure else "sure"
    return AssumedReference(word, meaning_of(previous), earlier)


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

    def ask(self, question: str, k: int = 3, articles=()) -> Answer:
        """Answer ``question``, a follow-up with the turn it leans on;
        ``articles`` limits it to those (see :meth:`qabot.bot.Bot.ask`)."""
        context = self.context_for(question)
        answer = self.answerer.ask(question, k=k, context=context, articles=tuple(articles))
        if context is not None:  # say what the pointing word was taken to mean
            answer = replace(answer, assumed_reference=reference_for(question, self.turns[-1]))
        self.turns = (self.turns + [answer])[-MAX_TURNS:]
        return answer

    def reset(self) -> None:
        self.turns = []
