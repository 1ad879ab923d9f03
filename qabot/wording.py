"""How qabot words the things it says everywhere: confidence, counts,
refusals. The CLI, the chat window and the exports all use these, so the
same answer reads the same way in each. It imports nothing heavy."""

from __future__ import annotations

import math

# Confidence from which an answer counts as "high" or "medium".
HIGH_CONFIDENCE = 0.85
MEDIUM_CONFIDENCE = 0.65


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
    if confidence >= HIGH_CONFIDENCE:
        return "high"
    if confidence >= MEDIUM_CONFIDENCE:
        return "medium"
    return "low"


def confidence_label(confidence: float) -> str:
    """``high confidence, 97%``."""
    return f"{confidence_level(confidence)} confidence, {percent(confidence)}"


def plural(count: int, word: str) -> str:
    """``1 file``, ``2 files``."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"
