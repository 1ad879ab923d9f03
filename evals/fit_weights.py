"""Refit the answer scorer's weights (qabot.answering.Weights).

Run: .venv/bin/python evals/fit_weights.py ../shared/squad/squad-v2-style-half-a-foreign.json

For every question it measures the evidence the bot uses (through
``Answerer.evidence``), then fits:

- the ranking weights: a softmax over each answerable question's candidate
  sentences, maximising the chance of the sentences that hold a gold answer
  (SQuAD only), cross-validated by article;
- the confidence weights: logistic regression, answerable against not, on
  SQuAD and the project's own set (weighted up: its questions are
  paraphrases, SQuAD's copy the article's words); the bias is then moved so
  that 0.5 refuses at most 0.5% of SQuAD's answerable questions.

It prints the tuples to paste into ``Weights``. Each SQuAD article's index is
kept under --cache, so a second run skips the embedding.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from qabot.answering import Answerer
from qabot.bot import Bot
from qabot.embedder import BundledModel
from qabot.evaluation.datasets import load_question_set
from qabot.evaluation.metrics import holds_answer

ROOT = Path(__file__).resolve().parent.parent
SEED_WEIGHT = 10.0
REFUSE_AT_MOST = 0.5  # percent of SQuAD's answerable questions


@dataclass
class Measured:
    group: int  # SQuAD article number; -1 for the project's own set
    features: np.ndarray
    gold: np.ndarray  # per candidate: holds a gold answer
    confidence_features: np.ndarray
    answerable: bool


def measure(answerer: Answerer, question: str, answers, answerable: bool, group: int) -> Measured:
    evidence = answerer.evidence(question)
    gold = np.array([answerable and holds_answer(answerer.index.sentences[i].text, answers)
                     for i in evidence.candidates], dtype=bool)
    return Measured(group, evidence.features, gold, evidence.confidence_features, answerable)


def measure_squad(path: Path, cache: Path, embedder) -> list[Measured]:
    questions = load_question_set(path)
    rows = []
    for number, (doc_id, (name, text)) in enumerate(questions.documents.items()):
        seeds = cache / doc_id / "seeds"
        seeds.mkdir(parents=True, exist_ok=True)
        (seeds / name).write_text(text, encoding="utf-8")
        answerer = Bot.open(seeds, cache / doc_id / "index", embedder).answerer
        for case in (c for c in questions.cases if c.document == doc_id):
            rows.append(measure(answerer, case.question, case.answers, case.answerable, number))
        print(f"measured article {doc_id}", flush=True)
    return rows


def measure_seed_set(embedder) -> list[Measured]:
    questions = load_question_set(ROOT / "evals" / "seed.jsonl")
    answerer = Bot.open(ROOT / "seeds", ROOT / "embeddings", embedder).answerer
    return [measure(answerer, c.question, c.answers, c.answerable, -1)
            for c in questions.cases if len(c.turns) == 1]


def fit_ranking(rows: list[Measured], l2: float = 1e-5) -> np.ndarray:
    from scipy.optimize import minimize

    usable = [r for r in rows if r.answerable and r.gold.any()]

    def loss(w):
        total, grad = 0.0, np.zeros_like(w)
        for r in usable:
            scores = r.features @ w
            p = np.exp(scores - scores.max())
            p /= p.sum()
            p_gold = p[r.gold].sum()
            total -= np.log(p_gold + 1e-12)
            grad -= p[r.gold] @ r.features[r.gold] / p_gold - p @ r.features
        return total / len(usable) + l2 * w @ w, grad / len(usable) + 2 * l2 * w

    start = np.zeros(usable[0].features.shape[1])
    return minimize(loss, start, jac=True, method="L-BFGS-B").x


def answer_at_1(rows: list[Measured], w: np.ndarray) -> float:
    answerable = [r for r in rows if r.answerable]
    hits = sum(bool(r.gold[np.argmax(r.features @ w)]) for r in answerable if len(r.features))
    return hits / len(answerable)


def fit_confidence(rows: list[Measured]) -> np.ndarray:
    from sklearn.linear_model import LogisticRegression

    x = np.array([r.confidence_features for r in rows])
    y = np.array([r.answerable for r in rows])
    weight = np.array([SEED_WEIGHT if r.group < 0 else 1.0 for r in rows])
    model = LogisticRegression(C=10, max_iter=5000).fit(x, y, sample_weight=weight)
    squad = np.array([r.group >= 0 for r in rows])
    decision = model.decision_function(x)
    shift = np.percentile(decision[squad & y], REFUSE_AT_MOST)
    return np.r_[model.coef_[0], model.intercept_[0] - shift]


def report_confidence(rows: list[Measured], weights: np.ndarray) -> None:
    for label, group in (("SQuAD", [r for r in rows if r.group >= 0]), ("seed set", [r for r in rows if r.group < 0])):
        decision = np.array([r.confidence_features @ weights[:-1] + weights[-1] for r in group])
        answerable = np.array([r.answerable for r in group])
        print(f"{label}: answerable refused {np.mean(decision[answerable] < 0):.4f}, "
              f"unanswerable refused {np.mean(decision[~answerable] < 0):.4f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("squad", type=Path, help="SQuAD v2-style file to fit on")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/qabot-fit"), help="where article indexes are kept")
    args = parser.parse_args()
    embedder = BundledModel()
    squad = measure_squad(args.squad, args.cache, embedder)
    seed = measure_seed_set(embedder)
    articles = sorted({r.group for r in squad})
    held_out = []
    for fold in range(4):
        test = set(articles[fold::4])
        w = fit_ranking([r for r in squad if r.group not in test])
        held_out.append((answer_at_1([r for r in squad if r.group in test], w),
                         sum(r.answerable for r in squad if r.group in test)))
    cross = sum(a * n for a, n in held_out) / sum(n for _, n in held_out)
    ranking = fit_ranking(squad)
    confidence = fit_confidence(squad + seed)
    print(f"ranking, cross-validated by article: answer@1 {cross:.4f} (before refusals)")
    print(f"ranking on all: SQuAD {answer_at_1(squad, ranking):.4f}, seed set {answer_at_1(seed, ranking):.4f}")
    report_confidence(squad + seed, confidence)
    print("ranking =", tuple(round(float(v), 2) for v in ranking))
    print("confidence =", tuple(round(float(v), 2) for v in confidence))


if __name__ == "__main__":
    main()
