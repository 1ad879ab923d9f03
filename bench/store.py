"""The first stage in a Milvus store against the index folder, on one index.

Run: .venv/bin/python bench/store.py --store milvus-lite:/tmp/qabot-bench.db
     [--work bench/.scale-real] [--index index] [--questions 120] [--vectors model|stand-in] [--json]

(or `bench/scale.py --store SPEC`, which adds these figures to its own.)

WORK/seeds and WORK/INDEX are an index bench/scale.py built (its model run,
bench/.scale-real, is the default; `--index index-stand-in` takes its
stand-in run). Figures:

1. copy: bringing the store in step with the index (every segment copied
   when the store is new; rows and seconds; "already held" when it was).
2. warm questions: the same generated questions answered with the store and
   without, alternately in one process after a warm-up; median and p95 ms
   of each.
3. agreement: the share of the first stage's 40 candidates the store's run
   shares with the folder's (target at least 0.98), and with the folder
   searched exactly (no graph; beside it, the folder's own graph against
   exact search: where the folder's graph and the store disagree, which is
   nearer the exact answer); the share of questions with the same answer
   (or the same refusal).
4. a cold question (imports, load, the store opened, the ONNX encoder, one
   question) in fresh processes with and without the store: median wall
   time and peak RSS. Milvus Lite runs the engine inside the process, so
   its memory counts here; with a Milvus server it would not.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import synthetic

from qabot.answering import Answerer
from qabot.embedding.embedder import BundledModel
from qabot.embedding.fast_encoder import onnx_folder
from qabot.index.loaded import Index
from qabot.index.update import sync_store
from qabot.stores import open_store, parse_store

ROOT = Path(__file__).resolve().parent.parent
WARM_UP = 10
DEFAULT_QUESTIONS = 120
COLD_RUNS = 3
CANDIDATES_TARGET = 0.98
COLD_CHILD = """
import json, sys, time
began = time.perf_counter()
from pathlib import Path
from qabot.answering import Answerer
from qabot.embedding.embedder import BundledModel
from qabot.index.loaded import Index
from qabot.stores import open_store, parse_store
model = BundledModel()
assert model.attach_fast_path(Path(sys.argv[3]))
store = open_store(parse_store(sys.argv[5]), model.dimension) if sys.argv[5] != "embedded" else None
answer = Answerer(Index.load(Path(sys.argv[1]), store=store), model, Path(sys.argv[2])).ask(sys.argv[4])
done = time.perf_counter()
status = open("/proc/self/status").read()
field = lambda name: int(status.split(name + ":")[1].split()[0]) / 1024
print(json.dumps({"wall_s": done - began, "peak_rss_mb": field("VmHWM"), "anon_mb": field("RssAnon")}))
"""


class ExactSearch(Index):
    """The index folder searched without its graphs (every row scanned)."""

    def search(self, which, vectors, k, exact=False):
        return super().search(which, vectors, k, exact=True)


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def percentile(values, q: float) -> float:
    return float(np.percentile(np.asarray(values, dtype=float), q))


def copy_figures(store, folder: Path) -> dict:
    say("store 1. bringing the store in step with the index ...")
    began = time.perf_counter()
    rows = sync_store(store, folder, progress=None, notice=say)
    return {"rows": rows, "seconds": round(time.perf_counter() - began, 1)}


def warm_figures(embedder, folder: Path, seeds: Path, store, questions: list[str]) -> dict:
    """Figures 2 and 3, from one pass over ``questions``."""
    say(f"store 2. {len(questions)} questions with and without the store ...")
    plain = Answerer(Index.load(folder), embedder, seeds)
    stored = Answerer(Index.load(folder, store=store), embedder, seeds)
    exact = Answerer(ExactSearch.load(folder), embedder, seeds)
    for question in questions[:WARM_UP]:
        plain.ask(question)
        stored.ask(question)
    times = {"folder": [], "store": []}
    shared = candidates = same = 0
    with_exact = {"store": 0, "folder": 0}
    for question in questions:
        answers = {}
        for name, answerer in (("folder", plain), ("store", stored)):
            began = time.perf_counter()
            answers[name] = answerer.ask(question)
            times[name].append((time.perf_counter() - began) * 1000)
        here = plain.evidence(question).candidates
        there = stored.evidence(question).candidates
        exactly = exact.evidence(question).candidates
        candidates += len(here)
        shared += len(np.intersect1d(here, there))
        with_exact["store"] += len(np.intersect1d(exactly, there))
        with_exact["folder"] += len(np.intersect1d(exactly, here))
        a, b = answers["folder"], answers["store"]
        same += (a.text, a.reason) == (b.text, b.reason)
    return {
        "questions": len(questions),
        **{f"{name}_median_ms": round(statistics.median(t), 2) for name, t in times.items()},
        **{f"{name}_p95_ms": round(percentile(t, 95), 2) for name, t in times.items()},
        "candidates_shared": round(shared / max(candidates, 1), 4),
        **{f"{name}_shares_with_exact": round(n / max(candidates, 1), 4) for name, n in with_exact.items()},
        "same_answers": round(same / max(len(questions), 1), 4),
    }


def cold_figures(folder: Path, seeds: Path, spec: str) -> dict:
    export = onnx_folder(folder)
    if not (export / "meta.json").is_file():
        return {}
    say(f"store 4. a cold question in {COLD_RUNS} fresh processes, with and without the store ...")
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    found = {}
    for name, store in (("folder", "embedded"), ("store", spec)):
        runs = []
        for _ in range(COLD_RUNS):
            done = subprocess.run([sys.executable, "-c", COLD_CHILD, str(folder), str(seeds), str(export),
                                   "Who opened the new bridge?", store], cwd=ROOT, env=env,
                                  capture_output=True, text=True)
            if done.returncode:
                raise SystemExit(f"the cold question failed ({name}):\n{done.stderr[-2000:]}")
            runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
        found[f"{name}_cold_s"] = round(statistics.median(r["wall_s"] for r in runs), 3)
        found[f"{name}_cold_rss_mb"] = round(max(r["peak_rss_mb"] for r in runs), 1)
        found[f"{name}_cold_anon_mb"] = round(max(r["anon_mb"] for r in runs), 1)
    return found


def store_figures(embedder, folder: Path, seeds: Path, spec: str, questions: list[str]) -> dict:
    """Every figure above for the index in ``folder`` and the store ``spec``."""
    store = open_store(parse_store(spec), embedder.dimension)
    try:
        results = {"store": spec, "copy": copy_figures(store, folder)}
        results["warm"] = warm_figures(embedder, folder, seeds, store, questions)
    finally:
        store.close()
    results["cold"] = cold_figures(folder, seeds, spec)
    return results


def table(results: dict) -> str:
    copy, warm, cold = results["copy"], results["warm"], results["cold"]
    shared = warm["candidates_shared"]
    lines = [
        f"| figure (store {results['store']}) | index folder | store | target |",
        "| --- | --- | --- | --- |",
        f"| copy into the store | | {copy['rows']:,} rows in {copy['seconds']} s"
        f"{' (already held)' if not copy['rows'] else ''} | |",
        f"| warm question, {warm['questions']} questions (median / p95) | {warm['folder_median_ms']} / "
        f"{warm['folder_p95_ms']} ms | {warm['store_median_ms']} / {warm['store_p95_ms']} ms | |",
        f"| first-stage candidates shared with the folder's (top 40) | | {shared} | at least {CANDIDATES_TARGET}: "
        f"{'PASS' if shared >= CANDIDATES_TARGET else 'MISS'} |",
        f"| the same, with the folder searched exactly (no graph) | {warm['folder_shares_with_exact']} | "
        f"{warm['store_shares_with_exact']} | |",
        f"| same answer or refusal | | {warm['same_answers']} | |",
    ]
    if cold:
        lines.append(f"| cold question, fresh process (median of {COLD_RUNS}) | {cold['folder_cold_s']} s | "
                     f"{cold['store_cold_s']} s | |")
        lines.append(f"| its peak RSS (private) | {cold['folder_cold_rss_mb']} MB ({cold['folder_cold_anon_mb']}) | "
                     f"{cold['store_cold_rss_mb']} MB ({cold['store_cold_anon_mb']}) | |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", required=True, help="milvus-lite:DIR.db or milvus://HOST:PORT[/PREFIX]")
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / ".scale-real",
                        help="folder of a bench/scale.py run (default bench/.scale-real)")
    parser.add_argument("--index", default="index", help="index folder inside WORK (default index)")
    parser.add_argument("--questions", type=int, default=DEFAULT_QUESTIONS,
                        help=f"questions timed (default {DEFAULT_QUESTIONS})")
    parser.add_argument("--vectors", choices=("model", "stand-in"), default="model",
                        help="how the index's vectors were made (bench/scale.py --vectors): questions are "
                             "embedded the same way (default model)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    args = parser.parse_args()
    seeds, folder = args.work / "seeds", args.work / args.index
    articles = sum(1 for _ in seeds.glob("*.txt"))
    model = BundledModel()
    if not model.attach_fast_path(onnx_folder(folder)):
        say("no ONNX export beside the index: questions use PyTorch")
    questions = synthetic.questions(random.Random(2), args.questions, articles, 0)
    embedder = model
    if args.vectors == "stand-in":
        embedder = synthetic.StandInVectors(model)
        embedder.encode(questions)  # its word vectors, once, outside the timing
    results = store_figures(embedder, folder, seeds, args.store, questions)
    print(json.dumps(results) if args.json else table(results))


if __name__ == "__main__":
    main()
