"""A build embedded on Ray workers against one embedded in this process.

Run: .venv/bin/python bench/ray_build.py [--articles 20] [--workers 1 2]

Writes --articles articles of the synthetic corpus (bench/synthetic.py) into
a temporary folder and builds their index from scratch three ways: the
bundled model in this process (its threads on every core), then on a local
Ray instance with each --workers count (one model and one core a worker).
Each build gets a fresh index folder, so nothing is reused from a cache.
Prints, per way: Ray's start (the instance and its workers, each loading the
model), the build's seconds and texts per second, and the largest gap
between its vectors and those of the in-process build. Needs the Ray extra
(pip install -e '.[ray]').
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import synthetic  # noqa: E402

from qabot.embedding.embedder import BundledModel  # noqa: E402
from qabot.embedding.ray_embedder import RayEmbedder  # noqa: E402
from qabot.index.build import update_index  # noqa: E402
from qabot.index.loaded import Index  # noqa: E402


def build(seeds: Path, folder: Path, embedder) -> tuple[float, int]:
    began = time.perf_counter()
    report = update_index(seeds, folder, embedder)
    return time.perf_counter() - began, report.texts_embedded


def largest_gap(first: Path, second: Path) -> float:
    a, b = Index.load(first), Index.load(second)
    return max(float(np.abs(a.vectors(n) - b.vectors(n)).max()) for n in ("sentences", "passages"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=20, help="synthetic articles to build (default 20)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="Ray worker counts (default 1 2)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="qabot-ray-bench-") as scratch:
        work = Path(scratch)
        synthetic.write_corpus(work / "seeds", args.articles, 0)
        model = BundledModel()
        model.encode(["warm up"])
        seconds, texts = build(work / "seeds", work / "in-process", model)
        rows.append({"way": "in this process", "start_s": 0.0, "build_s": seconds, "texts": texts, "gap": 0.0})
        for workers in args.workers:
            began = time.perf_counter()
            embedder = RayEmbedder(None, workers)  # returns once every worker has loaded the model
            started = time.perf_counter() - began
            try:
                folder = work / f"ray-{workers}"
                seconds, texts = build(work / "seeds", folder, embedder)
            finally:
                embedder.close()
            rows.append({"way": f"Ray, {workers} local worker{'s' if workers > 1 else ''}", "start_s": started,
                         "build_s": seconds, "texts": texts, "gap": largest_gap(work / "in-process", folder)})
    if args.json:
        print(json.dumps({"articles": args.articles, "rows": rows}))
        return
    print(f"{args.articles} synthetic articles, {rows[0]['texts']:,} texts embedded per build")
    print("| embedding on | start | build | texts/s | largest vector gap |")
    print("| --- | --- | --- | --- | --- |")
    for r in rows:
        print(f"| {r['way']} | {r['start_s']:.1f} s | {r['build_s']:.1f} s | {r['texts'] / r['build_s']:.1f} "
              f"| {r['gap']:.1e} |")


if __name__ == "__main__":
    main()
