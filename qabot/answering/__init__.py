"""Pick the sentence that answers a question, or decline, saying why.

The stages live in modules of their own, each readable alone; the
:class:`Answerer` composes them (see :mod:`qabot.answering.answerer`).
"""

from qabot.answering.answer import Answer, AssumedReference, Citation, ScoredPassage, ShortAnswer, declined_below
from qabot.answering.answerer import Answerer
from qabot.answering.candidates import MODES
from qabot.answering.features import FEATURES
from qabot.answering.question import MAX_QUESTION_CHARS, clean_question
from qabot.answering.weights import Weights

__all__ = ["Answer", "Answerer", "AssumedReference", "Citation", "FEATURES", "MAX_QUESTION_CHARS", "MODES",
           "ScoredPassage", "ShortAnswer", "Weights", "clean_question", "declined_below"]
