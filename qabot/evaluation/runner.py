"""Ask every question of a set and score the answers."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Callable, Iterable

from qabot.answering import Answer, Weights, declined_below
from qabot.bot import Bot, Notice
from qabot.embedding.embedder import Embedder
from qabot.errors import StoreError
from qabot.evaluation.datasets import Case, QuestionSet
from qabot.evaluation.metrics import Outcome, exact_match, holds_answer, summarize, token_f1
from qabot.stores import StoreAddress

PASSAGES_SCORED = 5
# on_result(case, answer, outcome): called after each question.
OnResult = Callable[[Case, Answer, Outcome], None]


def _rank(texts: Iterable[str], answers) -> int | None:
    for rank, text in enumerate(texts, 1):
        if holds_answer(text, answers):
            return rank
    return None


def shown_text(answer: Answer) -> str | None:
    """What the user is shown as the answer: the short answer when the reader
    found one, else the whole sentence; None when declined."""
    return answer.short_answer.text if answer.short_answer else answer.text


def short_answer_scores(answer: Answer, case: Case) -> tuple[float | None, float | None]:
    """(exact match, token F1) of the shown text against the gold answers;
    (None, None) for an unanswerable question, (0.0, 0.0) when declined."""
    if not case.answerable:
        return None, None
    shown = shown_text(answer)
    if shown is None:
        return 0.0, 0.0
    return exact_match(shown, case.answers), token_f1(shown, case.answers)


def score_case(bot: Bot, case: Case, min_confidence: float | None = None) -> tuple[Answer, Outcome]:
    """Ask ``case`` (all its turns, as one conversation) and judge the last
    answer, declined when its confidence is below ``min_confidence``."""
    conversation = bot.conversation()
    for turn in case.turns[:-1]:
        conversation.ask(turn, k=PASSAGES_SCORED)
    began = time.perf_counter()
    answer = declined_below(conversation.ask(case.question, k=PASSAGES_SCORED), min_confidence)
    latency = (time.perf_counter() - began) * 1000
    em, f1 = short_answer_scores(answer, case)
    outcome = Outcome(
        answerable=case.answerable,
        abstained=answer.abstained,
        correct=holds_answer(answer.text, case.answers),
        sentence_rank=_rank((s.text for s in answer.ranked_sentences), case.answers),
        passage_rank=_rank((p.passage.text for p in answer.passages), case.answers),
        latency_ms=latency,
        confidence=answer.confidence,
        kind=case.kind,
        exact_match=em,
        f1=f1,
    )
    return answer, outcome


def _ask_all(bot: Bot, cases: list[Case], on_result: OnResult | None,
             min_confidence: float | None) -> list[Outcome]:
    bot.embedder.encode(["warm up"])  # latency is measured warm: load the model first
    outcomes = []
    for case in cases:
        answer, outcome = score_case(bot, case, min_confidence)
        outcomes.append(outcome)
        if on_result:
            on_result(case, answer, outcome)
    return outcomes


def run_eval(
    questions: QuestionSet,
    seeds: Path,
    index: Path,
    embedder: Embedder,
    mode: str = "hybrid",
    weights: Weights = Weights(),
    on_result: OnResult | None = None,
    notice: Notice | None = None,
    store: StoreAddress | None = None,
    min_confidence: float | None = None,
) -> dict:
    """Metrics for ``questions``. SQuAD articles each get a temporary index;
    JSON Lines questions are asked of ``seeds`` through ``index`` (and
    ``store``, a Milvus store, when given). Answers below
    ``min_confidence`` are declined, as `--min-confidence` declines them."""
    began = time.perf_counter()
    if questions.documents and store is not None:
        raise StoreError("SQuAD files are scored on a temporary index per article, never in a store: "
                         "leave out --store (and $QABOT_STORE) for them")
    if not questions.documents:
        bot = Bot.open(seeds, index, embedder, notice=notice, mode=mode, weights=weights, store=store)
        try:
            outcomes = _ask_all(bot, questions.cases, on_result, min_confidence)
        finally:
            bot.close()
    else:
        outcomes = []
        with tempfile.TemporaryDirectory(prefix="qabot-eval-") as scratch:
            for doc_id, (name, text) in questions.documents.items():
                doc_seeds = Path(scratch) / doc_id / "seeds"
                doc_seeds.mkdir(parents=True)
                (doc_seeds / name).write_text(text, encoding="utf-8")
                bot = Bot.open(doc_seeds, Path(scratch) / doc_id / "index", embedder,
                               mode=mode, weights=weights, export=False)  # a scratch index
                cases = [c for c in questions.cases if c.document == doc_id]
                outcomes += _ask_all(bot, cases, on_result, min_confidence)
    report = summarize(outcomes)
    report.update(mode=mode, format=questions.format, min_confidence=min_confidence,
                  seconds=round(time.perf_counter() - began, 1))
    return report
