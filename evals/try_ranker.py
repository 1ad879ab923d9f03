"""An experiment, not a shipped model: would a nonlinear ranker pick the
right sentence more often than the linear one?

Run: HF_HUB_OFFLINE=1 .venv/bin/python evals/try_ranker.py ../shared/squad/squad-v2-style-half-a-foreign.json

It measures the ranking evidence of every SQuAD question and of the
project's own questions with ``fit_weights.py``'s functions (the SQuAD
article indexes under --cache, as ``fit_weights.py`` keeps them; the own
set is asked of a copy of ``seeds/`` and ``embeddings/`` made under --work)
and keeps the rows in ``--work/ranker-rows.npz``, so a second run skips the
measuring. Then it compares rankers on the same four folds by article as
``fit_weights.py`` (articles[fold::4]), all trained with the same listwise
loss (a softmax over each question's candidates, maximising the chance of
those holding a gold answer):

- linear: ``fit_weights.fit_ranking`` as it is (raw features, L2 1e-5);
- linear, standardised: the same over standardised features;
- pairwise: linear over the standardised features and their pairwise
  products (squares included), standardised again;
- MLP: a linear term plus one tanh hidden layer of 16 units over the
  standardised features (L-BFGS, 300 steps), the scores of three fixed
  seeds averaged; its L2 is chosen with the first seed alone.

Every choice of L2 is made by an inner cross-validation by article on the
training folds only (training articles[k::3]), never on the held-out fold;
the model scored on the own set is fitted on all of SQuAD with the setting
the folds chose most often (the own set is never looked at for a choice).
It prints a table: held-out answer@1 per fold and overall, the difference per
fold against the linear baseline, the own set's answer@1, and the time to
score the 40 candidates of one question in numpy.

CPU only and deterministic (one BLAS thread, fixed seeds). It writes
nothing into the repository: only --work (default /tmp/qabot-ranker).
"""

from __future__ import annotations

import os

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")  # reproducible sums; set before numpy loads

import argparse  # noqa: E402
import shutil  # noqa: E402
import sys  # noqa: E402
import timeit  # noqa: E402
from collections import Counter  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Callable  # noqa: E402
from unittest import mock  # noqa: E402

import numpy as np  # noqa: E402
from scipy.optimize import minimize  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import fit_weights  # noqa: E402

from qabot.answering import FEATURES  # noqa: E402
from qabot.embedding.embedder import BundledModel  # noqa: E402

FOLDS = 4
INNER_FOLDS = 3
SEEDS = (0, 1, 2)


# --- measuring, cached ---------------------------------------------------

def own_set_copy(work: Path) -> Path:
    """A copy of what ``measure_seed_set`` opens, so opening it (its lock,
    a rebuild if stale) touches nothing in the repository."""
    copy = work / "own-set"
    if not copy.exists():
        (copy / "evals").mkdir(parents=True)
        shutil.copy2(ROOT / "evals" / "seed.jsonl", copy / "evals" / "seed.jsonl")
        for name in ("seeds", "embeddings", "embeddings.qabot-onnx"):
            if (ROOT / name).exists():
                shutil.copytree(ROOT / name, copy / name)
    return copy


def save_rows(path: Path, squad: list, own: list, source: Path) -> None:
    rows = squad + own
    np.savez_compressed(
        path,
        features=np.concatenate([r.features for r in rows]),
        gold=np.concatenate([r.gold for r in rows]),
        counts=np.array([len(r.features) for r in rows]),
        group=np.array([r.group for r in rows]),
        answerable=np.array([r.answerable for r in rows]),
        names=np.array(FEATURES),
        source=np.array(str(source.resolve())),
    )


def load_rows(path: Path, source: Path) -> tuple[list, list]:
    with np.load(path) as stored:
        data = {key: stored[key] for key in stored.files}
    if list(data["names"]) != list(FEATURES) or str(data["source"]) != str(source.resolve()):
        raise SystemExit(f"{path} holds other features or another file; remove it to measure again")
    bounds = np.concatenate([[0], np.cumsum(data["counts"])])
    features, gold = data["features"], data["gold"]
    rows = [fit_weights.Measured(int(g), features[a:b], gold[a:b], bool(ans))
            for g, a, b, ans in zip(data["group"], bounds[:-1], bounds[1:], data["answerable"])]
    return [r for r in rows if r.group >= 0], [r for r in rows if r.group < 0]


def measured_rows(source: Path, cache: Path, work: Path) -> tuple[list, list]:
    path = work / "ranker-rows.npz"
    if path.exists():
        return load_rows(path, source)
    embedder = BundledModel()
    squad = fit_weights.measure_squad(source, cache, embedder, 4)
    with mock.patch.object(fit_weights, "ROOT", own_set_copy(work)):
        own = fit_weights.measure_seed_set(embedder)
    save_rows(path, squad, own, source)
    return squad, own


# --- questions as padded arrays ------------------------------------------

@dataclass
class Batch:
    """Questions padded to the same number of candidates."""
    x: np.ndarray  # (questions, candidates, features)
    mask: np.ndarray  # real candidate
    gold: np.ndarray  # candidate holds a gold answer
    answerable: np.ndarray  # (questions,)

    @classmethod
    def of(cls, rows: list) -> "Batch":
        width = max(len(r.features) for r in rows)
        x = np.zeros((len(rows), width, len(FEATURES)))
        mask = np.zeros((len(rows), width), dtype=bool)
        gold = np.zeros((len(rows), width), dtype=bool)
        for q, r in enumerate(rows):
            n = len(r.features)
            x[q, :n], mask[q, :n], gold[q, :n] = r.features, True, r.gold
        return cls(x, mask, gold, np.array([r.answerable for r in rows]))

    def take(self, keep: np.ndarray) -> "Batch":
        return Batch(self.x[keep], self.mask[keep], self.gold[keep], self.answerable[keep])

    def usable(self) -> "Batch":
        """Questions the loss can learn from: answerable, a gold candidate."""
        return self.take(self.answerable & self.gold.any(axis=1))


def answer_at_1(batch: Batch, scores: np.ndarray) -> tuple[int, int]:
    """Hits and answerable questions, counted as ``fit_weights.answer_at_1``."""
    scores = np.where(batch.mask, scores, -np.inf)
    best = np.argmax(scores, axis=1)
    hit = batch.gold[np.arange(len(best)), best] & batch.mask.any(axis=1) & batch.answerable
    return int(hit.sum()), int(batch.answerable.sum())


def listwise(scores: np.ndarray, batch: Batch) -> tuple[float, np.ndarray]:
    """Mean -log P(gold) under a softmax over each question's candidates,
    and its gradient with respect to the scores."""
    s = np.where(batch.mask, scores, -np.inf)
    s = s - s.max(axis=1, keepdims=True)
    p = np.exp(s)
    p /= p.sum(axis=1, keepdims=True)
    p_gold = np.where(batch.gold, p, 0.0).sum(axis=1, keepdims=True)
    loss = -np.log(p_gold[:, 0] + 1e-12).mean()
    grad = (p - np.where(batch.gold, p, 0.0) / (p_gold + 1e-12)) / len(scores)
    return loss, grad


# --- the rankers ---------------------------------------------------------

class Standardiser:
    """Mean and spread of the real candidates' features of a training set."""

    def __init__(self, x: np.ndarray, mask: np.ndarray) -> None:
        rows = x[mask]
        self.mean = rows.mean(axis=0)
        self.scale = rows.std(axis=0)
        self.scale[self.scale < 1e-9] = 1.0

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return (x - self.mean) / self.scale


PAIRS = np.array([(i, j) for i in range(len(FEATURES)) for j in range(i, len(FEATURES))])


def with_products(z: np.ndarray) -> np.ndarray:
    return np.concatenate([z, z[..., PAIRS[:, 0]] * z[..., PAIRS[:, 1]]], axis=-1)


def fit_linear(x: np.ndarray, batch: Batch, l2: float) -> np.ndarray:
    """Linear weights over ``x`` (the batch's features, transformed)."""
    def loss(w):
        value, d = listwise(x @ w, batch)
        return value + l2 * w @ w, d.ravel() @ flat + 2 * l2 * w

    flat = x.reshape(-1, x.shape[-1])
    return minimize(loss, np.zeros(x.shape[-1]), jac=True, method="L-BFGS-B",
                    options={"maxiter": 1000}).x


class Linear:
    """fit_weights' ranker: raw features, L2 1e-5 (fitted by fit_ranking)."""
    grid = [None]

    def __init__(self, rows: list, setting) -> None:
        self.w = fit_weights.fit_ranking(rows)

    def scores(self, x: np.ndarray) -> np.ndarray:
        return x @ self.w


class LinearStandardised:
    grid = [1e-6, 1e-4, 1e-3, 1e-2]

    def __init__(self, rows: list, l2: float) -> None:
        batch = Batch.of(rows).usable()
        self.standardise = Standardiser(batch.x, batch.mask)
        self.w = fit_linear(self.standardise(batch.x), batch, l2)

    def scores(self, x: np.ndarray) -> np.ndarray:
        return self.standardise(x) @ self.w


class Pairwise:
    grid = [1e-4, 1e-3, 1e-2, 1e-1]

    def __init__(self, rows: list, l2: float) -> None:
        batch = Batch.of(rows).usable()
        self.first = Standardiser(batch.x, batch.mask)
        expanded = with_products(self.first(batch.x))
        self.second = Standardiser(expanded, batch.mask)
        self.w = fit_linear(self.second(expanded), batch, l2)

    def scores(self, x: np.ndarray) -> np.ndarray:
        return self.second(with_products(self.first(x))) @ self.w


def fit_mlp(z: np.ndarray, batch: Batch, hidden: int, l2: float, seed: int) -> list[np.ndarray]:
    """score = z·u + tanh(z W + b)·v, L2 on u, W and v."""
    f = z.shape[-1]
    rng = np.random.default_rng(seed)
    shapes = [(f,), (f, hidden), (hidden,), (hidden,)]
    sizes = [int(np.prod(s)) for s in shapes]
    flat = z.reshape(-1, f)

    def unpack(theta):
        parts = np.split(theta, np.cumsum(sizes)[:-1])
        return [p.reshape(s) for p, s in zip(parts, shapes)]

    def loss(theta):
        u, w, b, v = unpack(theta)
        h = np.tanh(flat @ w + b).reshape(*z.shape[:-1], hidden)
        value, d = listwise((flat @ u).reshape(z.shape[:-1]) + h @ v, batch)
        da = d[..., None] * v * (1 - h * h)
        grads = [d.ravel() @ flat + 2 * l2 * u,
                 flat.T @ da.reshape(-1, hidden) + 2 * l2 * w,
                 da.sum(axis=(0, 1)),
                 d.ravel() @ h.reshape(-1, hidden) + 2 * l2 * v]
        penalty = l2 * (u @ u + (w * w).sum() + v @ v)
        return value + penalty, np.concatenate([g.ravel() for g in grads])

    start = np.concatenate([np.zeros(f), rng.normal(0, 1 / np.sqrt(f), f * hidden),
                            np.zeros(hidden), rng.normal(0, 0.1, hidden)])
    return unpack(minimize(loss, start, jac=True, method="L-BFGS-B", options={"maxiter": 300}).x)


class MLP:
    """A linear term plus one tanh hidden layer, seeds averaged."""
    grid = [(16, 1e-3), (16, 1e-2)]
    seeds = SEEDS

    def __init__(self, rows: list, setting: tuple[int, float]) -> None:
        hidden, l2 = setting
        batch = Batch.of(rows).usable()
        self.standardise = Standardiser(batch.x, batch.mask)
        z = self.standardise(batch.x)
        self.nets = [fit_mlp(z, batch, hidden, l2, seed) for seed in self.seeds]

    def scores(self, x: np.ndarray) -> np.ndarray:
        z = self.standardise(x)
        return sum(z @ u + np.tanh(z @ w + b) @ v for u, w, b, v in self.nets) / len(self.nets)


class MLPOneSeed(MLP):
    """The same, for choosing its settings: one seed."""
    seeds = SEEDS[:1]


RANKERS = {"linear (fit_weights)": Linear, "linear, standardised": LinearStandardised,
           "pairwise products": Pairwise, "MLP (linear + tanh layer)": MLP}


# --- evaluation ----------------------------------------------------------

def hits(model, rows: list) -> tuple[int, int]:
    batch = Batch.of(rows)
    return answer_at_1(batch, model.scores(batch.x))


def choose(ranker, rows: list) -> object:
    """The setting with the best inner cross-validated answer@1 over the
    articles of ``rows`` (ties go to the later, more regularised one)."""
    if len(ranker.grid) == 1:
        return ranker.grid[0]
    trial = MLPOneSeed if ranker is MLP else ranker
    articles = sorted({r.group for r in rows})
    best, best_score = None, -1.0
    for setting in ranker.grid:
        total = 0
        for k in range(INNER_FOLDS):
            held = set(articles[k::INNER_FOLDS])
            model = trial([r for r in rows if r.group not in held], setting)
            total += hits(model, [r for r in rows if r.group in held])[0]
        if total >= best_score:
            best, best_score = setting, total
    return best


def evaluate(ranker, squad: list, own: list, log: Callable[[str], None]) -> dict:
    articles = sorted({r.group for r in squad})
    folds, settings = [], []
    for fold in range(FOLDS):
        test = set(articles[fold::FOLDS])
        train = [r for r in squad if r.group not in test]
        setting = choose(ranker, train)
        settings.append(setting)
        folds.append(hits(ranker(train, setting), [r for r in squad if r.group in test]))
        log(f"  fold {fold}: setting {setting}, answer@1 {folds[-1][0] / folds[-1][1]:.4f}")
    setting = Counter(settings).most_common(1)[0][0]
    model = ranker(squad, setting)
    log(f"  all of SQuAD (for the own set): setting {setting}")
    return {"folds": folds, "own": hits(model, own), "model": model,
            "microseconds": microseconds(model, squad)}


def microseconds(model, rows: list) -> float:
    """Time to score one question's 40 candidates (numpy, one thread)."""
    x = next(r.features for r in rows if len(r.features) == 40)
    timer = timeit.Timer(lambda: model.scores(x))
    number = 2000
    return min(timer.repeat(5, number)) / number * 1e6


def table(results: dict) -> str:
    base = results["linear (fit_weights)"]["folds"]
    lines = ["| ranker | " + " | ".join(f"fold {k}" for k in range(FOLDS))
             + " | held-out (n) | Δ per fold vs linear (points) | own set (n) | µs/question |",
             "|---" * (FOLDS + 5) + "|"]
    for name, result in results.items():
        folds = result["folds"]
        hit, n = sum(h for h, _ in folds), sum(n for _, n in folds)
        deltas = " / ".join(f"{100 * (h / m - b / m):+.1f}" for (h, m), (b, _) in zip(folds, base))
        own_hit, own_n = result["own"]
        lines.append(f"| {name} | " + " | ".join(f"{h / m:.4f}" for h, m in folds)
                     + f" | {hit / n:.4f} ({n}) | {deltas} | {own_hit / own_n:.4f} ({own_n})"
                     + f" | {result['microseconds']:.1f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("squad", type=Path, help="SQuAD v2-style file (as for fit_weights.py)")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/qabot-fit"), help="where article indexes are kept")
    parser.add_argument("--work", type=Path, default=Path("/tmp/qabot-ranker"),
                        help="measured rows and the own set's copy")
    parser.add_argument("--only", nargs="*", choices=list(RANKERS), help="rankers to run (default all)")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    squad, own = measured_rows(args.squad, args.cache, args.work)
    print(f"{len(squad)} SQuAD questions ({sum(r.answerable for r in squad)} answerable), "
          f"{len(own)} own ({sum(r.answerable for r in own)} answerable)", flush=True)
    results = {}
    for name in ["linear (fit_weights)"] + [n for n in (args.only or RANKERS) if n != "linear (fit_weights)"]:
        print(name, flush=True)
        results[name] = evaluate(RANKERS[name], squad, own, lambda line: print(line, flush=True))
    base = results["linear (fit_weights)"]["model"].w
    print(f"check: fit_weights.answer_at_1 on own set {fit_weights.answer_at_1(own, base):.4f}")
    print(table(results))


if __name__ == "__main__":
    main()
