"""Write SQuAD's rule-made near-miss questions as a file `qabot eval` scores.

Run: .venv/bin/python evals/make_nearmiss.py ../shared/squad/squad-v2-style-half-a-foreign.json OUT.json

Each near-miss is an answerable question of the file with one key name or
number replaced by one from another paragraph of its article or from
another article, one its paragraph lacks (the rule of
``evals/train_judge.py``, with the same seed, so these are the questions
the judge was trained on: its held-out figures on them are in
``evals/judge-card.md``). The output is SQuAD v2.0 JSON holding only those
questions, marked ``is_impossible``, with ids ending in ``-near-miss`` (so
`qabot eval` reports them as near-misses).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from train_judge import SEED, near_misses, squad_articles  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("squad", type=Path, help="the SQuAD file to take answerable questions from")
    parser.add_argument("out", type=Path, help="where to write the near-miss questions")
    args = parser.parse_args()
    articles = squad_articles(args.squad)
    made = near_misses(articles, random.Random(SEED))
    data = []
    for number, article in enumerate(articles):
        paragraphs = []
        for p_number, paragraph in enumerate(article["paragraphs"]):
            qas = [{"id": f"{number:03d}-{p_number:03d}-{i}-{how}-near-miss", "question": question,
                    "answers": [], "is_impossible": True}
                   for i, (_, _, question, how) in enumerate(m for m in made if m[:2] == (number, p_number))]
            paragraphs.append({"context": paragraph["context"], "qas": qas})
        data.append({"title": article["title"], "paragraphs": paragraphs})
    args.out.write_text(json.dumps({"version": "v2.0", "data": data}), encoding="utf-8")
    print(f"wrote {len(made)} near-miss questions to {args.out}")


if __name__ == "__main__":
    main()
