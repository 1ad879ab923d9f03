"""Writing evaluation results: per-question predictions and a summary table."""

from __future__ import annotations

import json
from pathlib import Path

from qabot.errors import QabotError


class PredictionWriter:
    """Appends one JSON line per question to a file, flushed as it goes, so
    an interrupted run keeps what it had."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._handle = None

    def __enter__(self) -> "PredictionWriter":
        if self.path is not None:
            try:
                self._handle = open(self.path, "w", encoding="utf-8")
            except OSError as error:
                raise QabotError(f"cannot write predictions to {self.path}: {error.strerror}") from None
        return self

    def write(self, case, answer, outcome) -> None:
        if self._handle is None:
            return
        c, short = answer.citation, answer.short_answer
        row = {
            "id": case.id, "question": case.question, "answer": answer.text,
            "short_answer": {"text": short.text, "start": short.start, "end": short.end} if short else None,
            "gold": list(case.answers), "answerable": case.answerable, "kind": case.kind,
            "right": outcome.correct if case.answerable else answer.abstained,
            "em": outcome.exact_match, "f1": _rounded(outcome.f1),
            "abstained": answer.abstained, "reason": answer.reason, "confidence": round(answer.confidence, 4),
            "source": {"file": c.file, "line": c.line, "start": c.start, "end": c.end} if c else None,
            "passages": [p.passage.text for p in answer.passages],
            "latency_ms": round(outcome.latency_ms, 2),
        }
        self._handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        self._handle.flush()

    def __exit__(self, *exc) -> None:
        if self._handle is not None:
            self._handle.close()


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _value(value) -> str:
    if value is None:
        return "n/a"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def table(report: dict) -> str:
    """The report as aligned rows for a terminal."""
    rows = [
        ("file", report.get("file")), ("format", report["format"]), ("mode", report["mode"]),
        *((("min confidence", report["min_confidence"]),) if report.get("min_confidence") is not None else ()),
        ("questions", report["questions"]), ("answerable", report["answerable"]),
        ("unanswerable", report["unanswerable"]), ("answer@1", report["answer_at_1"]),
        ("short answer EM", report["exact_match"]), ("short answer F1", report["f1"]),
    ]
    rows += [(f"sentence recall@{k}", v) for k, v in report["sentence_recall"].items()]
    rows += [(f"passage recall@{k}", v) for k, v in report["passage_recall"].items()]
    rows += [
        ("MRR", report["mrr"]),
        ("answerable refused", report["answerable_refused"]),
        ("unanswerable refused", report["unanswerable_refused"]),
        *((f"  {kind} refused", share) for kind, share in report["unanswerable_refused_by_kind"].items()),
        ("calibration error", report["calibration_error"]),
        ("latency median (ms)", report["latency_ms"]["median"]),
        ("latency p95 (ms)", report["latency_ms"]["p95"]),
        ("seconds", report["seconds"]),
    ]
    width = max(len(name) for name, _ in rows)
    lines = [f"{name:<{width}}  {_value(value)}" for name, value in rows]
    if report["reliability"]:
        lines += ["", "answers by confidence:", *reliability_rows(report["reliability"])]
    return "\n".join(lines)


def reliability_rows(bins: list[dict]) -> list[str]:
    """The reliability table under its own header: each confidence range,
    the mean confidence in it, how many answers and the share right."""
    rows = [f"  {'range':<7}  {'confidence':>10}  {'count':>5}  {'right':>5}"]
    rows += [f"  {row['from']:.1f}-{row['to']:.1f}  {row['confidence']:>10.3f}  {row['count']:>5}  "
             f"{row['right']:>5.3f}" for row in bins]
    return rows
