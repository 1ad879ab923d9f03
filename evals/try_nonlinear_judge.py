"""An experiment, not a shipped model: do the judge's detectors gain from a
nonlinear model over the same evidence?

Run: .venv/bin/python evals/try_nonlinear_judge.py ../shared/squad --rows ROWS.json [MODEL ...]

ROWS.json is the judge's measured rows (``evals/train_judge.py --rows``;
measured first if missing). Each MODEL (default: all of them) replaces the
three logistic regressions of ``train_judge.py`` (the chance, the off-topic
and the near-miss detector) and is scored exactly as the judge is: 4 folds
by article, the thresholds chosen by the same rule (at most 0.5% of held-out
answerable questions declined by the off-topic detector alone, at most 2% in
all), then the share declined of each kind of question, held-out. Models:

- ``logistic``: the shipped judge's (C = 1), the baseline;
- ``trees-D-N``: gradient-boosted trees, depth D, N rounds (learning rate
  0.05, leaves of at least 40 rows, L2 1);
- ``mlp-H``: one hidden layer of H units (L2 0.01, early stopping).

CPU only, seeded; about 25 minutes on 2 cores with the rows measured. It
writes nothing into the repository; docs/experiments.md ("More flexible
ranking and judge models") holds the figures of its run.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "evals"))

import train_judge  # noqa: E402

MODELS = ("logistic", "trees-3-200", "trees-4-400", "mlp-16")


def make_model(name: str):
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.neural_network import MLPClassifier

    kind, *sizes = name.split("-")
    if kind == "logistic":
        return LogisticRegression(C=1.0, max_iter=5000)
    if kind == "trees":
        depth, rounds = (int(s) for s in sizes)
        return HistGradientBoostingClassifier(max_depth=depth, max_iter=rounds, learning_rate=0.05,
                                              min_samples_leaf=40, l2_regularization=1.0, random_state=0)
    if kind == "mlp":
        return MLPClassifier(hidden_layer_sizes=(int(sizes[0]),), alpha=1e-2, max_iter=500,
                             early_stopping=True, random_state=0)
    raise SystemExit(f"unknown model {name!r}; known: {', '.join(MODELS)}")


def held_out(rows: list[train_judge.Row], name: str) -> train_judge.HeldOut:
    """Per row, the three chances from models that never saw its article
    (the chance left uncalibrated: only the detectors decline)."""
    x = np.array([r.features for r in rows])
    kinds = np.array([r.kind for r in rows])
    right = np.array([r.right for r in rows])
    judged = np.array([not r.declined_by_rule for r in rows])
    groups = sorted({r.group for r in rows})
    fold_of = np.array([{g: i % train_judge.FOLDS for i, g in enumerate(groups)}[r.group] for r in rows])
    answerable = kinds == "answerable"
    topic = answerable | (kinds == "foreign")
    close = answerable | (kinds == "adversarial") | (kinds == "near-miss")
    result = train_judge.HeldOut(*(np.full(len(rows), np.nan) for _ in range(4)))
    for fold in range(train_judge.FOLDS):
        train, test = (fold_of != fold) & judged, (fold_of == fold) & judged
        mean, scale = x[train].mean(axis=0), x[train].std(axis=0) + 1e-9
        z = (x - mean) / scale
        for target, kept, label in ((result.raw, train, right), (result.on_topic, train & topic, answerable),
                                    (result.answerable, train & close, answerable)):
            target[test] = make_model(name).fit(z[kept], label[kept]).predict_proba(z[test])[:, 1]
    result.chance[:] = result.raw
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("squad", type=Path, help="folder with the SQuAD half-A files")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/qabot-judge"), help="where article indexes are kept")
    parser.add_argument("--rows", type=Path, required=True, help="the judge's measured rows (made if missing)")
    parser.add_argument("models", nargs="*", default=list(MODELS), help=f"default: {' '.join(MODELS)}")
    args = parser.parse_args()
    rows = train_judge.measured_rows(args.squad, args.cache, args.rows)
    labels = [label for label, _ in train_judge.KINDS]
    print("| model | thresholds (off-topic, near-miss) | " + " | ".join(labels) + " |")
    print("| --- | --- |" + " --- |" * len(labels))
    for name in args.models:
        held = held_out(rows, name)
        thresholds = train_judge.choose_thresholds(rows, held, 0.005, 0.02)
        shares = [train_judge.declined(rows, held, thresholds, keep) for _, keep in train_judge.KINDS]
        print(f"| {name} | {thresholds[0]}, {thresholds[1]} | " + " | ".join(f"{s:.1%}" for s in shares) + " |",
              flush=True)


if __name__ == "__main__":
    main()
