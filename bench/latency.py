"""Warm per-question latency and index build time on the shipped seeds.

Run: .venv/bin/python bench/latency.py [--rounds N]

Prints the time to build the index from scratch, then the median and 95th
percentile of the time to answer one question in a warm process (at least
200 questions), split into embedding the question, the reader (reading the
best-ranked sentences' windows) and everything else; once with PyTorch, and
again with the ONNX export when `embeddings.qabot-onnx/` exists.

Target (issue "Read, don't match"): a warm answer's median at most 60 ms
with the reader, on the 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from qabot.bot import Bot
from qabot.embedding.embedder import BundledModel
from qabot.index.build import update_index

ROOT = Path(__file__).resolve().parent.parent


class TimedEmbedder:
    """Wraps an embedder and records how long each encode call took."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.name = inner.name
        self.dimension = inner.dimension
        self.last_ms = 0.0

    def encode(self, texts, progress=None):
        began = time.perf_counter()
        vectors = self.inner.encode(texts, progress)
        self.last_ms = (time.perf_counter() - began) * 1000
        return vectors


class TimedReader:
    """Wraps the reader and records how long each reading took."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.tokenizer = inner.tokenizer
        self.last_ms = 0.0

    def read(self, question, windows):
        began = time.perf_counter()
        readings = self.inner.read(question, windows)
        self.last_ms = (time.perf_counter() - began) * 1000
        return readings


def questions() -> list[str]:
    rows = [json.loads(line) for line in (ROOT / "evals" / "seed.jsonl").read_text().splitlines() if line.strip()]
    return [row["question"] if "question" in row else row["turns"][-1] for row in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3, help="passes over the seed questions (default 3)")
    args = parser.parse_args()
    model = BundledModel()
    began = time.perf_counter()
    model.encode(["warm up"])
    load_s = time.perf_counter() - began
    with tempfile.TemporaryDirectory() as scratch:
        began = time.perf_counter()
        report = update_index(ROOT / "seeds", Path(scratch) / "index", model, force=True)
        build_s = time.perf_counter() - began
        print(f"model load: {load_s:.2f} s")
        print(f"index build from scratch: {build_s:.2f} s ({report.passages} passages, "
              f"{report.sentences} sentences)")
        asked = questions() * args.rounds
        time_answers("PyTorch", model, Path(scratch) / "index", asked)
        if model.attach_fast_path(ROOT / "embeddings.qabot-onnx"):
            time_answers("ONNX export", model, Path(scratch) / "index", asked)


def time_answers(label: str, model, index: Path, asked: list[str]) -> None:
    """Print how long each question takes, split into embedding and the rest."""
    embedder = TimedEmbedder(model)
    bot = Bot.open(ROOT / "seeds", index, embedder)
    reader = TimedReader(bot.answerer.reader)
    bot.answerer._reader = reader
    for question in asked[:20]:
        bot.ask(question)  # warm-up
    total, embed, read = [], [], []
    for question in asked:
        reader.last_ms = 0.0
        began = time.perf_counter()
        bot.ask(question)
        total.append((time.perf_counter() - began) * 1000)
        embed.append(embedder.last_ms)
        read.append(reader.last_ms)
    rest = [t - e - r for t, e, r in zip(total, embed, read)]
    print(f"questions timed with {label}: {len(total)}")
    for name, values in (("answer, total", total), ("  embedding the question", embed),
                         ("  the reader", read), ("  everything else", rest)):
        print(f"{name:<26} median {statistics.median(values):6.2f} ms   "
              f"p95 {float(np.percentile(values, 95)):6.2f} ms")


if __name__ == "__main__":
    main()
