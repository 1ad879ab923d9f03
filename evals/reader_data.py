"""The reader's data: for every question of the judge's SQuAD recipe, the
windows today's ranking reads first, labelled with the answer's place.

Run: .venv/bin/python evals/reader_data.py ../shared/squad

Questions (see ``train_judge.py`` for the recipe):

- SQuAD half A: the v2-style file (answerable and foreign questions), the
  v2.0 file (with its unanswerable questions) and near-misses made by rule,
  each asked of its whole article and of a news-sized part of it;
- ``squad-v2.0-train-10-articles.json`` (training only, never scored), with
  near-misses made by rule from it too, asked of whole articles.

Each question is asked as the bot asks it (first stage, ranking). Its
CANDIDATES best-ranked sentences each give a window (the sentence with its
neighbours, :mod:`qabot.reader.windows`); an answerable question also gets
the window of the sentence where its answer starts ("gold"), so that the
reader sees every answer. A window is labelled with the answer's span when
it holds a gold answer whole, else "no answer".

Writes, under --out:

- ``device/pairs.json.gz``: what training needs and nothing else (question,
  window text, candidate sentence's range, answer span, fold), small enough
  to carry to a GPU machine;
- ``rows.json.gz``: per asked question, its candidates with the judge's
  features of each (as if it were chosen), for fitting how the reader's
  readings join the ranking and the judge (``evals/fit_reader_use.py``).

Folds are by article (the judge's: sorted titles, i % 4); the training
file's articles are in no fold (always trained on). Deterministic.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "evals"))

import train_judge  # noqa: E402

from qabot.answering.judge import chosen_features  # noqa: E402
from qabot.embedding.embedder import BundledModel  # noqa: E402
from qabot.evaluation.metrics import holds_answer  # noqa: E402

CANDIDATES = 6
TRAINING_FILE = (("train", "squad-v2.0-train-10-articles.json"),)


def fold_of_groups(groups) -> dict[str, int]:
    return {g: i % train_judge.FOLDS for i, g in enumerate(sorted(groups))}


class Windows:
    """One document's windows, as its answerer makes them, each made once."""

    def __init__(self, answerer) -> None:
        self.answerer = answerer
        self.places = [(s.start, s.end) for s in answerer.index.sentences]
        self.made = {}

    def of(self, sentence: int):
        if sentence not in self.made:
            self.made[sentence] = self.answerer.window(sentence)
        return self.made[sentence]

    def holding(self, start: int) -> int | None:
        """The sentence whose text holds article offset ``start``."""
        for i, (a, b) in enumerate(self.places):
            if a <= start < b:
                return i
        return None


def answer_span(window, asked) -> list[int] | None:
    """The first gold answer held whole by ``window``, as [start, end] in it."""
    for text, start in zip(asked.answers, asked.answer_starts):
        a, b = window.in_window(start), window.in_window(start + len(text))
        if a is not None and b is not None and window.text[a:b] == text:
            return [a, b]
    return None


def candidate_features(answerer, evidence, ranked, scores, place: int) -> list[float]:
    """The judge's word evidence about the candidate at ``place`` as if it
    were chosen (the reader's joins it in ``reader_rows.py``)."""
    features = chosen_features(evidence, ranked, scores, place, answerer.known)
    return [round(float(f), 6) for f in features]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("squad", type=Path, help="folder with the SQuAD files")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/qabot-judge"), help="where article indexes are kept")
    parser.add_argument("--out", type=Path, default=ROOT / "reader-data")
    parser.add_argument("--limit", type=int, default=0, help="stop after this many questions (a quick check)")
    args = parser.parse_args()
    embedder = BundledModel()
    rng = random.Random(train_judge.SEED)
    asked = [(a, False) for a in train_judge.asked_questions(args.squad, args.cache, embedder, rng)]
    training = train_judge.asked_questions(args.squad, args.cache, embedder, random.Random(train_judge.SEED),
                                           files=TRAINING_FILE, whole_only=True)
    windows_of: dict[int, Windows] = {}
    window_ids: dict[str, int] = {}
    window_table: list[dict] = []
    pairs: dict[tuple[str, int], dict] = {}
    rows = []
    folds = fold_of_groups({a.group for a, _ in asked})

    def window_id(window) -> int:
        if window.text not in window_ids:
            window_ids[window.text] = len(window_table)
            window_table.append({"text": window.text, "center": list(window.center_range)})
        return window_ids[window.text]

    def pair(question, wid, span, fold, gold=False):
        key = (question, wid)
        if key not in pairs:
            pairs[key] = {"question": question, "window": wid, "answer": span, "fold": fold, "gold": gold}
        elif gold:
            pairs[key]["gold"] = True
        return key

    for number, (a, train_only) in enumerate([*asked, *((t, True) for t in training)]):
        if args.limit and number >= args.limit:
            break
        answerer = a.answerer
        windows = windows_of.setdefault(id(answerer), Windows(answerer))
        fold = -1 if train_only else folds[a.group]
        evidence = answerer.evidence(a.question)
        ranked, scores = answerer.rank(evidence)
        candidates = []
        for place in range(min(CANDIDATES, len(ranked))):
            sentence = int(ranked[place])
            window = windows.of(sentence)
            span = answer_span(window, a) if a.kind == "answerable" else None
            wid = window_id(window)
            pair(a.question, wid, span, fold)
            candidates.append({
                "sentence": sentence, "score": round(float(scores[place]), 6), "window": wid,
                "center": list(window.center_range),
                "right": a.kind == "answerable" and holds_answer(answerer.index.sentences[sentence].text, a.answers),
                "features": [] if train_only else candidate_features(answerer, evidence, ranked, scores, place)})
        gold = None
        if a.kind == "answerable":
            for start in a.answer_starts:
                holder = windows.holding(start)
                if holder is not None:
                    window = windows.of(holder)
                    span = answer_span(window, a)
                    if span is not None:
                        gold = window_id(window)
                        pair(a.question, gold, span, fold, gold=True)
                        break
        if not train_only:
            rows.append({"group": a.group, "document": answerer.seeds.parent.name, "source": a.source,
                         "size": a.size, "kind": a.kind, "id": a.id, "question": a.question, "answers": a.answers,
                         "answer_starts": a.answer_starts, "declined_by_rule": bool(answerer.missing.of(a.question)),
                         "fold": fold, "gold_window": gold, "candidates": candidates})
        if number % 1000 == 0:
            print(f"{number} questions, {len(window_table)} windows, {len(pairs)} pairs", file=sys.stderr, flush=True)

    (args.out / "device").mkdir(parents=True, exist_ok=True)
    with gzip.open(args.out / "device" / "pairs.json.gz", "wt", encoding="utf-8") as out:
        json.dump({"windows": window_table, "pairs": list(pairs.values())}, out)
    with gzip.open(args.out / "rows.json.gz", "wt", encoding="utf-8") as out:
        json.dump({"windows": window_table, "rows": rows}, out)
    print(f"{len(rows)} rows, {len(window_table)} windows, {len(pairs)} pairs", file=sys.stderr)


if __name__ == "__main__":
    main()
