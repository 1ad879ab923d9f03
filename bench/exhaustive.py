"""Answers from the folder's graph search against exhaustive search, on one index.

Run: .venv/bin/python bench/exhaustive.py [--work bench/.scale-real] [--index index]
     [--questions 120] [--vectors model|stand-in] [--json]

WORK/seeds and WORK/INDEX are an index bench/scale.py built (its model run,
bench/.scale-real, is the default; `--work bench/.scale --index
index-stand-in --vectors stand-in` takes its stand-in run; questions are
embedded as the index's vectors were). A segment above 20,000 rows is
searched through its HNSW graph, which is approximate. Each generated
question is answered with every vector search exhaustive (the reference),
then with the graph exploring as many candidates as the rows it returns
(the rule before session 9) and twice as many (the rule now,
``qabot.index.vectors.search_effort``). Printed for each: how many questions get
the same answer (the same sentence, or a refusal both times) as in the
exhaustive run. (bench/scale.py times questions and measures the graph's
recall; this measures what recall does to answers.)
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

import synthetic
from store import ExactSearch

from qabot.answering import Answerer
from qabot.embedding.embedder import BundledModel
from qabot.embedding.fast_encoder import onnx_folder
from qabot.index import vectors
from qabot.index.loaded import Index

ROOT = Path(__file__).resolve().parent.parent
RULES = {
    "as many as returned": lambda k: max(vectors.HNSW_SEARCH_EFFORT, k),
    "twice as many (now)": vectors.search_effort,
}


def answers(answerer: Answerer, questions: list[str]) -> list:
    """Per question the answer's sentence (file, start), or None."""
    found = []
    for question in questions:
        answer = answerer.ask(question)
        found.append((answer.sentence.file, answer.sentence.start) if answer.sentence else None)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / ".scale-real",
                        help="folder of a bench/scale.py run (default bench/.scale-real)")
    parser.add_argument("--index", default="index", help="index folder inside WORK (default index)")
    parser.add_argument("--questions", type=int, default=120, help="questions asked (default 120)")
    parser.add_argument("--vectors", choices=("model", "stand-in"), default="model",
                        help="how the index's vectors were made (bench/scale.py --vectors)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    args = parser.parse_args()
    seeds, folder = args.work / "seeds", args.work / args.index
    articles = sum(1 for _ in seeds.glob("*.txt"))
    model = BundledModel()
    model.attach_fast_path(onnx_folder(folder))
    embedder = model
    if args.vectors == "stand-in":
        embedder = synthetic.StandInVectors(model)
    answerer = Answerer(Index.load(folder), embedder, seeds)
    questions = synthetic.questions(random.Random(3), args.questions, articles, 0)
    answers(answerer, questions[:10])  # warm-up
    reference = answers(Answerer(ExactSearch.load(folder), embedder, seeds), questions)
    results = {"questions": len(questions), "same_answers": {}}
    chosen = vectors.search_effort
    try:
        for name, rule in RULES.items():
            vectors.search_effort = rule
            found = answers(answerer, questions)
            results["same_answers"][name] = sum(a == b for a, b in zip(found, reference))
    finally:
        vectors.search_effort = chosen
    if args.json:
        print(json.dumps(results))
        return
    for name, same in results["same_answers"].items():
        print(f"graph exploring {name:<22} same answer as exhaustive search: {same}/{len(questions)}")


if __name__ == "__main__":
    sys.exit(main())
