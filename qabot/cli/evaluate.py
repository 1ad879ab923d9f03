"""`qabot eval`: score the bot on a question set."""

from __future__ import annotations

import argparse
import json
import sys

from qabot.cli.output import stderr_notice
from qabot.cli.progress import ProgressBar
from qabot.embedding.embedder import BundledModel
from qabot.embedding.fast_encoder import onnx_folder
from qabot.evaluation.datasets import load_question_set
from qabot.evaluation.report import PredictionWriter, table
from qabot.evaluation.runner import run_eval


def run(args: argparse.Namespace) -> int:
    questions = load_question_set(args.file, args.format)
    total = len(questions.cases)
    with PredictionWriter(args.predictions) as writer, \
            ProgressBar("Questions", enabled=not args.json) as bar:
        done = [0]

        def on_result(case, answer, outcome):
            writer.write(case, answer, outcome)
            done[0] += 1
            bar.update("questions", done[0], total)

        model = BundledModel()
        model.attach_fast_path(onnx_folder(args.index))  # questions of every article, fast
        report = run_eval(questions, args.seeds, args.index, model, mode=args.mode, on_result=on_result,
                          notice=stderr_notice, store=args.store, min_confidence=args.min_confidence)
    report["file"] = str(args.file)
    print(json.dumps(report) if args.json else table(report))
    status = 0
    for name, key, kind, threshold in (
        ("answer@1", "answer_at_1", "answerable", args.min_answer_at_1),
        ("short answer F1", "f1", "answerable", args.min_f1),
        ("unanswerable refused", "unanswerable_refused", "unanswerable", args.min_unanswerable_refused),
    ):
        if threshold is None:
            continue
        if report[key] is None:
            print(f"qabot: no {kind} questions in {args.file}: nothing to score {name} on", file=sys.stderr)
            status = 1
        elif report[key] < threshold:
            print(f"qabot: {name} {report[key]} is below {threshold}", file=sys.stderr)
            status = 1
    return status
