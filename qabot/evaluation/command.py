"""The `qabot eval` command."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from qabot.answering import MODES
from qabot.evaluation.datasets import FORMATS

DESCRIPTION = """\
Ask every question of FILE and score the answers against the gold ones.

FILE is the project's JSON Lines ({"question", "answers"}, {"question",
"answerable": false}, {"turns", "answers"}), answered against --seeds and
--index, or SQuAD v1.1 / v2.0 JSON, where each article gets an index of its
own and is_impossible questions must be refused. Metrics are defined in
docs/evaluation.md."""


def add_eval_command(commands, common: argparse.ArgumentParser) -> None:
    """Add `qabot eval` to ``commands``; ``common`` is the parent parser of the
    options it shares with other commands (--seeds, --index, --store,
    --min-confidence)."""
    parser = commands.add_parser("eval", help="score the bot on a question set",
                                 description=DESCRIPTION,
                                 formatter_class=argparse.RawDescriptionHelpFormatter, parents=[common])
    parser.add_argument("file", type=Path, metavar="FILE", help="questions (.jsonl or SQuAD .json)")
    parser.add_argument("--format", choices=FORMATS, help="file format (default: detected)")
    parser.add_argument("--mode", choices=MODES, default="hybrid", help="retrieval (default: hybrid)")
    parser.add_argument("--json", action="store_true", help="print one JSON report")
    parser.add_argument("--predictions", type=Path, metavar="OUT.jsonl",
                        help="write one JSON line per question")
    parser.add_argument("--min-answer-at-1", type=share, metavar="X",
                        help="exit 1 when answer@1 is below X, between 0 and 1 (for CI)")
    parser.add_argument("--min-f1", type=share, metavar="X",
                        help="exit 1 when the short-answer F1 over the answerable questions is below X, "
                             "between 0 and 1 (for CI)")
    parser.add_argument("--min-unanswerable-refused", type=share, metavar="X",
                        help="exit 1 when the share of unanswerable questions declined is below X, "
                             "between 0 and 1 (for CI)")


def share(text: str) -> float:
    """A number from 0 to 1, for argparse."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"{text} is not between 0 and 1")
    return value


def cmd_eval(args: argparse.Namespace) -> int:
    from qabot.embedder import BundledModel
    from qabot.evaluation.datasets import load_question_set
    from qabot.evaluation.report import PredictionWriter, table
    from qabot.progress import ProgressBar

    questions = load_question_set(args.file, args.format)
    total = len(questions.cases)
    with PredictionWriter(args.predictions) as writer, \
            ProgressBar("Questions", enabled=not args.json) as bar:
        done = [0]

        def on_result(case, answer, outcome):
            writer.write(case, answer, outcome)
            done[0] += 1
            bar.update("questions", done[0], total)

        from qabot.evaluation.runner import run_eval

        from qabot.cli import stderr_notice

        from qabot.fast_encoder import onnx_folder

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
