"""What the bot says about one question: a cited sentence, or a refusal
with its reason."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from qabot.index.records import Passage, Sentence
from qabot.wording import below_minimum, is_unsure


@dataclass(frozen=True)
class Citation:
    file: str
    title: str
    line: int
    start: int
    end: int


@dataclass(frozen=True)
class ShortAnswer:
    """The few words that answer, inside the quoted sentence: ``start`` and
    ``end`` count in the article's characters, like the sentence's."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class AssumedReference:
    """What a follow-up's pointing word was taken to mean: ``word`` as the
    question wrote it ("he", "it", "there"); ``meaning``, the names the
    earlier answer gave (or what the earlier question asked about); and
    ``earlier``, how that answer stood: "sure", "unsure" (below
    qabot.wording.UNSURE_BELOW, so the meaning may well be wrong) or
    "declined"."""

    word: str
    meaning: str
    earlier: str


@dataclass(frozen=True)
class ScoredPassage:
    passage: Passage
    file: str
    score: float


@dataclass(frozen=True)
class Answer:
    """A sentence with its source, or a refusal (``sentence`` is None)."""

    question: str
    sentence: Sentence | None
    passage: Passage | None
    citation: Citation | None
    # The chance that the sentence answers the question (calibrated).
    confidence: float
    passages: list[ScoredPassage]
    # Best sentences, best first, even when the bot declines (for evaluation).
    ranked_sentences: list[Sentence] = field(default_factory=list)
    # Why the bot declined, in words for the reader; None for an answer.
    reason: str | None = None
    # Key terms of the question that no article mentions.
    missing: tuple[str, ...] = ()
    # The question was too long and only its beginning was asked.
    truncated: bool = False
    # The reader's short answer inside the sentence; None when declined, or
    # when the answer is the whole sentence (a "why" or "how" question).
    short_answer: ShortAnswer | None = None
    # For a follow-up that leans on an earlier turn ("What did he say
    # next?"): what its pointing word was taken to mean; None otherwise.
    assumed_reference: AssumedReference | None = None
    # The articles (their files) the question was limited to; () for all.
    limited_to: tuple[str, ...] = ()

    @property
    def abstained(self) -> bool:
        return self.sentence is None

    @property
    def unsure(self) -> bool:
        """An answer more likely wrong than right (its confidence is below
        qabot.wording.UNSURE_BELOW): shown as the closest sentence, not as
        the answer. False for a refusal."""
        return not self.abstained and is_unsure(self.confidence)

    @property
    def text(self) -> str | None:
        return self.sentence.text if self.sentence else None


def declined_below(answer: Answer, minimum: float | None) -> Answer:
    """``answer`` declined when its confidence is below ``minimum`` (what
    ``--min-confidence`` asks for), its reason saying so; the confidence and
    the passages stay. An answer at or above ``minimum``, a refusal, or no
    ``minimum`` (None) pass unchanged."""
    if minimum is None or answer.abstained or answer.confidence >= minimum:
        return answer
    return replace(answer, sentence=None, passage=None, citation=None, short_answer=None, missing=(),
                   reason=below_minimum(answer.confidence, minimum))
