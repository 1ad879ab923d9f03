"""Word-level evidence about a question and a candidate sentence.

Pure functions, no model: what kind of answer a question asks for, whether a
sentence offers that kind, and how much of the question's weight (by inverse
document frequency) a stretch of text covers.
"""

from __future__ import annotations

import math
import re
from typing import Iterable, Mapping

_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|"
    "hundred|hundreds|thousand|thousands|million|millions|billion|billions|dozen|dozens|half|percent"
)
_HAS_NUMBER = re.compile(rf"\d|\b({_NUMBER_WORDS})\b", re.IGNORECASE)
_HAS_TIME = re.compile(
    r"\b(1\d{3}|20\d{2}|\d{1,2}(st|nd|rd|th)|\d{1,2}s|century|centuries|decade|decades|year|years|"
    r"january|february|march|april|may|june|july|august|september|october|november|december|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|spring|summer|autumn|winter|"
    r"today|yesterday|tomorrow|ago|bc|bce|ad|ce|era|age|period)\b",
    re.IGNORECASE,
)
# A capitalised word that does not open the sentence: a likely name.
_NAME = re.compile(r"(?<!^)(?<![.!?]\s)\b[A-Z][\w'-]*[a-z][\w'-]*")

_ASKS = (
    ("number", re.compile(r"\bhow (many|much|long|old|far|large|big|tall|high|often|fast|deep|wide)\b|"
                          r"\bwhat (percentage|percent|number|amount|size|proportion)\b")),
    ("time", re.compile(r"\bwhen\b|\b(what|which) (year|years|century|decade|date|day|month|time|"
                        r"period|era|season)\b")),
    ("name", re.compile(r"\bwho\b|\bwhom\b|\bwhose\b|\bwhere\b|\bwhich\b")),
)


def answer_kind(question: str) -> str | None:
    """``"number"``, ``"time"`` or ``"name"`` when the question asks for one."""
    lowered = question.lower()
    for kind, pattern in _ASKS:
        if pattern.search(lowered):
            return kind
    return None


def offers_kind(sentence: str, kind: str | None, question_words: set[str]) -> bool:
    """True when ``sentence`` holds the kind of thing the question asks for
    (a name must be one the question does not already mention)."""
    if kind == "number":
        return bool(_HAS_NUMBER.search(sentence))
    if kind == "time":
        return bool(_HAS_TIME.search(sentence))
    if kind == "name":
        return any(name.lower() not in question_words for name in _NAME.findall(sentence))
    return False


def idf(document_frequency: int, documents: int) -> float:
    """Inverse document frequency; unseen terms weigh most."""
    return math.log(1 + documents / (document_frequency + 0.5))


def coverage(question_terms: Iterable[str], text_terms: set[str], weights: Mapping[str, float]) -> float:
    """Share of the question's term weight that ``text_terms`` contain."""
    total = found = 0.0
    for term in sorted(set(question_terms)):  # a fixed order: the same sum in every process
        weight = weights[term]
        total += weight
        if term in text_terms:
            found += weight
    return found / total if total else 0.0


_CAPITALISED_RUN = re.compile(r"\b[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*")


def names(text: str, common: set[str] | frozenset[str]) -> list[str]:
    """Runs of capitalised words (likely names), without leading words in ``common``."""
    found = []
    for run in _CAPITALISED_RUN.findall(text):
        parts = run.split()
        while parts and parts[0].lower().strip(".") in common:
            parts.pop(0)
        if parts:
            found.append(" ".join(parts))
    return found
