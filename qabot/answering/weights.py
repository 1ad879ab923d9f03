"""How evidence is weighed: read from ``weights.json`` beside this module,
which ``evals/fit_weights.py`` writes (so a refit is a reviewable diff)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from qabot.answering.features import FEATURES

WEIGHTS_FILE = Path(__file__).with_name("weights.json")
FIRST_STAGE = ("sentence_dense", "sentence_bm25", "passage_dense", "passage_bm25")


def _read() -> dict:
    return json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))


_STORED = _read()


def _stored_ranking() -> tuple[float, ...]:
    return tuple(float(_STORED["ranking"][name]) for name in FEATURES)


def _stored_first_stage() -> tuple[float, ...]:
    return tuple(float(_STORED["first_stage"][name]) for name in FIRST_STAGE)


@dataclass(frozen=True)
class Weights:
    """Weights of the two ranking stages and the refusal threshold."""

    # First stage: one weight per name in FIRST_STAGE.
    first_stage: tuple[float, ...] = field(default_factory=_stored_first_stage)
    candidates: int = int(_STORED["candidates"])
    # Second stage: one weight per name in FEATURES.
    ranking: tuple[float, ...] = field(default_factory=_stored_ranking)
    # The reader reads this many of the best-ranked sentences; its finding
    # (see answerer.chosen_place) joins their scores with this weight.
    reader_reads: int = int(_STORED["reader"]["reads"])
    reader_ranking: float = float(_STORED["reader"]["ranking"])
    # Decline when the judge's chance is below this; None: when the judge's
    # detectors say the articles do not answer (the shipped behaviour).
    abstain_below: float | None = None
