"""How qabot words the things it says everywhere: confidence, counts,
refusals. The CLI, the chat window and the exports all use these, so the
same answer reads the same way in each. It imports nothing heavy."""

from __future__ import annotations

import math

# Where the words about confidence change, read off the judge's held-out
# reliability table (evals/judge-card.md, "Calibration on the v2-style
# file"; the README's "How sure an answer is" says why):
# - below UNSURE_BELOW the share right falls below one half (0.4-0.5: 46%
#   right), so an answer there is wrong more often than not: it is shown
#   as unsure ("The article may not say; the closest sentence is ...") and
#   called low confidence;
# - from HIGH_CONFIDENCE on, at least about 85 in 100 are right (0.8-0.9:
#   85%, 0.9-1.0: 95%): high; in between (0.5-0.6: 52% right, 0.7-0.8:
#   76%): medium.
UNSURE_BELOW = 0.5
HIGH_CONFIDENCE = 0.8
MEDIUM_CONFIDENCE = UNSURE_BELOW


def the_articles_do_not(several: bool) -> str:
    return "The articles don't" if several else "The article doesn't"


def not_answered(several: bool = False) -> str:
    """``The article doesn't say.``"""
    return f"{the_articles_do_not(several)} say."


def not_mentioned(missing: list[str], several: bool) -> str:
    """``The article doesn't mention Bahrain.``"""
    # Quotes keep a name of several words together in a list of several.
    quoted = [f"“{term}”" if " " in term and len(missing) > 1 else term for term in missing]
    listed = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
    return f"{the_articles_do_not(several)} mention {listed}."


def percent(confidence: float) -> str:
    """``97%``: rounded down, so nothing short of certain reads 100%."""
    return f"{math.floor(max(0.0, min(confidence, 1.0)) * 100 + 1e-9)}%"


def confidence_level(confidence: float) -> str:
    """``high``, ``medium`` or ``low`` (low is unsure: below UNSURE_BELOW)."""
    if confidence >= HIGH_CONFIDENCE:
        return "high"
    if confidence >= MEDIUM_CONFIDENCE:
        return "medium"
    return "low"


def confidence_label(confidence: float) -> str:
    """``high confidence, 97%``."""
    return f"{confidence_level(confidence)} confidence, {percent(confidence)}"


def is_unsure(confidence: float) -> bool:
    """True when an answer at ``confidence`` is wrong more often than right."""
    return confidence < UNSURE_BELOW


# What an unsure answer says before its sentence (or before "highlighted
# below", on the chat window's card).
UNSURE = "The article may not say; the closest sentence is"


def unsure_of(sentence: str) -> str:
    """``The article may not say; the closest sentence is “...”``."""
    return f"{UNSURE} “{sentence}”"


def below_minimum(confidence: float, minimum: float) -> str:
    """Why an answer below the asked-for ``minimum`` is declined:
    ``The closest sentence has 23% confidence, below the 50% asked for.``"""
    return (f"The closest sentence has {percent(confidence)} confidence, below the "
            f"{minimum * 100:g}% asked for.")


def plural(count: int, word: str) -> str:
    """``1 file``, ``2 files``."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


# How a follow-up's pointing word was read, by how the earlier answer stood
# (qabot.answering.AssumedReference.earlier).
_EARLIER = {
    "sure": "from the earlier answer",
    "unsure": "from an unsure earlier answer",
    "declined": "from the earlier question, which was not answered",
}


def taking_to_mean(word: str, meaning: str, earlier: str) -> str:
    """``Taking "he" to mean Qassem Soleimani (from an unsure earlier answer).``"""
    return f"Taking “{word}” to mean {meaning} ({_EARLIER.get(earlier, _EARLIER['sure'])})."
