"""Refit the ranking weights (qabot/answering/weights.json).

Run: .venv/bin/python evals/fit_weights.py ../shared/squad/squad-v2-style-half-a-foreign.json

For every answerable SQuAD question it measures the evidence the bot uses
(through ``Answerer.evidence``), then fits the ranking weights: a softmax
over each question's candidate sentences, maximising the chance of the
sentences that hold a gold answer, cross-validated by article. It writes
the weights into ``weights.json`` (a reviewable diff); whether the best
sentence answers at all is the judge's (``evals/train_judge.py``), so
refit the judge after the ranking. Each SQuAD article's index is kept
under --cache, so a second run skips the embedding.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from qabot.answering import FEATURES, Answerer
from qabot.answering.weights import WEIGHTS_FILE
from qabot.bot import Bot
from qabot.embedding.embedder import BundledModel
from qabot.evaluation.datasets import load_question_set
from qabot.evaluation.metrics import holds_answer

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Measured:
    group: int  # SQuAD article number; -1 for the project's own set
    features: np.ndarray
    gold: np.ndarray  # per candidate: holds a gold answer
    answerable: bool


def measure(answerer: Answerer, question: str, answers, answerable: bool, group: int) -> Measured:
    evidence = answerer.evidence(question)
    gold = np.array([answerable and holds_answer(answerer.index.sentences[i].text, answers)
                     for i in evidence.candidates], dtype=bool)
    return Measured(group, evidence.features, gold, answerable)


def measure_squad(path: Path, cache: Path, embedder, bundle: int) -> list[Measured]:
    """Every question asked of an index holding its article and the next
    ``bundle - 1`` ones (other articles are the distractors of a real
    archive, and teach the weights of article-level evidence)."""
    questions = load_question_set(path)
    documents = list(questions.documents.items())
    rows = []
    for first in range(0, len(documents), bundle):
        together = documents[first:first + bundle]
        folder = cache / f"bundle-{bundle}-{first:03d}"
        seeds = folder / "seeds"
        seeds.mkdir(parents=True, exist_ok=True)
        for _, (name, text) in together:
            (seeds / name).write_text(text, encoding="utf-8")
        answerer = Bot.open(seeds, folder / "index", embedder, export=False).answerer
        for number, (doc_id, _) in enumerate(together, first):
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


def write_weights(ranking: np.ndarray) -> None:
    stored = json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))
    stored["ranking"] = {name: round(float(w), 2) for name, w in zip(FEATURES, ranking)}
    WEIGHTS_FILE.write_text(json.dumps(stored, indent=2) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("squad", type=Path, help="SQuAD v2-style file to fit on")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/qabot-fit"), help="where article indexes are kept")
    parser.add_argument("--bundle", type=int, default=4, help="articles per index (default 4)")
    args = parser.parse_args()
    embedder = BundledModel()
    squad = measure_squad(args.squad, args.cache, embedder, args.bundle)
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
    print(f"ranking, cross-validated by article: answer@1 {cross:.4f} (before refusals)")
    print(f"ranking on all: SQuAD {answer_at_1(squad, ranking):.4f}, seed set {answer_at_1(seed, ranking):.4f}")
    write_weights(ranking)
    print(f"wrote {WEIGHTS_FILE}")


if __name__ == "__main__":
    main()
