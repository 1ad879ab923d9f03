"""One very large article (issue 11): the build's peak memory, the load, the
chat window's ready time and a cold question, when a single file holds a
whole archive.

Run: .venv/bin/python bench/one_article.py [--articles 3000] [--work bench/.scale-one]

The synthetic corpus of bench/scale.py (--articles of them, about 43 MB for
3,000) is joined into one file, WORK/seeds/archive.txt, and indexed with the
stand-in vectors of bench/scale.py (the model would take hours). The build
runs in a fresh process, so its peak RSS (VmHWM) is the build's own; then the
load and a cold question are measured as in bench/scale.py (fresh processes,
the ONNX export of bench/.scale when it exists), and the chat window until
its index is ready (fresh processes, headless). A build that finds the index
current is skipped and says so. Figures go to stdout with their targets.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

import scale
import synthetic

ROOT = Path(__file__).resolve().parent.parent
# The build in a fresh process: stand-in vectors, then its own peak RSS.
BUILD_CHILD = """
import json, sys, time
sys.path.insert(0, sys.argv[3])
from pathlib import Path
import synthetic
from qabot.index.build import update_index
from qabot.embedding.embedder import BundledModel
began = time.perf_counter()
report = update_index(Path(sys.argv[1]), Path(sys.argv[2]), synthetic.StandInVectors(BundledModel()))
status = open("/proc/self/status").read()
print(json.dumps({"seconds": time.perf_counter() - began, "changed": report.changed,
                  "passages": report.passages, "sentences": report.sentences,
                  "peak_rss_mb": int(status.split("VmHWM:")[1].split()[0]) / 1024}))
"""

# The chat window in a fresh process, headless (Textual's test driver),
# until its index is loaded: wall time from the start of the process, when
# the window first drew, and peak RSS. Questions go through the ONNX export
# under the index's model name, so the window opens the stand-in index as it
# is (its vectors answer nothing here; only the load is measured).
CHAT_CHILD = """
import asyncio, json, sys, time
began = time.perf_counter()
from pathlib import Path
from qabot.embedding.embedder import BundledModel
from qabot.tui.app import QabotApp

class UnderIndexName:
    dimension = 384

    def __init__(self, model, name):
        self.model, self.name = model, name

    def encode(self, texts, progress=None):
        return self.model.encode(texts, progress)

    def attach_fast_path(self, folder):
        return self.model.attach_fast_path(folder)

model = BundledModel()
assert model.attach_fast_path(Path(sys.argv[3]))
app = QabotApp(Path(sys.argv[2]), Path(sys.argv[1]), embedder=UnderIndexName(model, sys.argv[4]))
seen = {}

async def main():
    async with app.run_test(size=(100, 30)) as pilot:
        seen["window_s"] = time.perf_counter() - began
        states = [app.header.state]
        while app.loading:
            await pilot.pause(0.02)
            states.append(app.header.state)
        seen["ready_s"] = time.perf_counter() - began
        seen["states"] = list(dict.fromkeys(states + [app.header.state]))

asyncio.run(main())
status = open("/proc/self/status").read()
print(json.dumps({**seen, "peak_rss_mb": int(status.split("VmHWM:")[1].split()[0]) / 1024}))
"""
CHAT_RUNS = 3


def chat_ready(folder: Path, seeds: Path) -> dict:
    """The chat window until its index is loaded, in CHAT_RUNS fresh
    processes: median times, largest peak RSS."""
    export = scale.onnx_folder(ROOT / "bench" / ".scale" / "index")
    if not (export / "meta.json").is_file():
        return {}
    model_name = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["model"]["name"]
    scale.say(f"the chat window in {CHAT_RUNS} fresh processes ...")
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    runs = []
    for _ in range(CHAT_RUNS):
        done = subprocess.run([sys.executable, "-c", CHAT_CHILD, str(folder), str(seeds), str(export), model_name],
                              cwd=ROOT, env=env, check=True, capture_output=True, text=True)
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return {"window_s": statistics.median(r["window_s"] for r in runs),
            "ready_s": statistics.median(r["ready_s"] for r in runs),
            "peak_rss_mb": max(r["peak_rss_mb"] for r in runs), "states": runs[-1]["states"]}


def write_archive(work: Path, articles: int) -> Path:
    """The synthetic corpus joined into one article; the seeds folder."""
    corpus, seeds = work / "corpus", work / "seeds"
    synthetic.write_corpus(corpus, articles, scale.SEED)
    parts = [path.read_text(encoding="utf-8") for path in sorted(corpus.glob("*.txt"))]
    seeds.mkdir(parents=True, exist_ok=True)
    text = "The Archive\n\n" + "\n\n".join(parts)
    path = seeds / "archive.txt"
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return seeds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=synthetic.DEFAULT_ARTICLES)
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / ".scale-one")
    args = parser.parse_args()
    work = args.work.resolve()
    seeds, folder = write_archive(work, args.articles), work / "index"
    size_mb = (seeds / "archive.txt").stat().st_size / 1e6
    scale.say(f"building one {size_mb:.1f} MB article in a fresh process ...")
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    done = subprocess.run([sys.executable, "-c", BUILD_CHILD, str(seeds), str(folder), str(ROOT / "bench")],
                          cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    build = json.loads(done.stdout.strip().splitlines()[-1])
    load = scale.index_load(folder, seeds)
    verdict = lambda ok: "PASS" if ok else "MISS"  # noqa: E731
    rows = [
        ("article", f"{size_mb:.1f} MB, {build['passages']:,} passages, {build['sentences']:,} sentences"),
        ("build (stand-in vectors)", f"{build['seconds']:.0f} s, peak RSS {build['peak_rss_mb']:,.0f} MB"
                                     f"   [target <= 1500 MB: {verdict(build['peak_rss_mb'] <= 1500)}]"
         if build["changed"] else "index current: not rebuilt (delete WORK/index to measure the build)"),
        ("index load", f"{load['load_s']:.2f} s, peak RSS {load['peak_rss_mb']:,.0f} MB"),
    ]
    chat = chat_ready(folder, seeds)
    if chat:
        rows.append(("chat window ready", f"{chat['ready_s']:.2f} s   [target <= 2 s: {verdict(chat['ready_s'] <= 2)}]"
                                          f" (window drawn at {chat['window_s']:.2f} s; header "
                                          f"{' -> '.join(chat['states'])}); peak RSS {chat['peak_rss_mb']:,.0f} MB"))
    if "cold_s" in load:
        rows.append(("cold question", f"{load['cold_s']:.2f} s   [target <= 1 s: {verdict(load['cold_s'] <= 1)}]; "
                                      f"peak RSS {load['cold_rss_mb']:,.0f} MB ({load['cold_anon_mb']:,.0f} MB "
                                      f"private)   [target <= 400 MB: {verdict(load['cold_rss_mb'] <= 400)}]"))
    width = max(len(name) for name, _ in rows)
    print("\n".join(f"{name:<{width}}  {value}" for name, value in rows))


if __name__ == "__main__":
    main()
