"""What checking an index's files costs (issue 22, item 2), on the corpus
bench/scale.py builds:

1. hashing the files the background check reads (every file a load does not
   check: vectors, graphs, records, page texts), and every file (qabot check);
2. the warm answer latency with and without that check running beside it
   (60 questions, then as many as fit while it runs; twice, interleaved);
3. an update after one paragraph changed, then the same with the build's
   check of the vector files it copies from switched off.

Run: .venv/bin/python bench/scale.py --vectors stand-in --sample 20 (once),
then .venv/bin/python bench/check_cost.py bench/.scale (WORK; the ONNX
export must be in WORK/index.qabot-onnx). Prints JSON lines.
"""
import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench")); sys.path.insert(0, str(ROOT))
import scale
import synthetic

from qabot.answering import Answerer
from qabot.embedding.embedder import BundledModel
from qabot.index.loaded import ContentCheck, Index, file_problems, read_manifest, unchecked_at_load

work = Path(sys.argv[1]); folder = work / "index-stand-in"; seeds = work / "seeds"
manifest = read_manifest(folder)
names = unchecked_at_load(manifest)
size = lambda ns: sum(manifest["file_sizes"][n] for n in ns)
out = {"files_all": len(manifest["file_sizes"]), "bytes_all": size(manifest["file_sizes"]),
       "files_background": len(names), "bytes_background": size(names)}
for label, chosen in (("background", names), ("all", None)):
    runs = []
    for _ in range(2):
        t = time.perf_counter(); assert not file_problems(folder, manifest, chosen); runs.append(time.perf_counter() - t)
    out[f"hash_{label}_s"] = [round(r, 2) for r in runs]
print(json.dumps(out), flush=True)

model = BundledModel()
assert model.attach_fast_path(work / "index.qabot-onnx")
embedder = synthetic.StandInVectors(model)
index = Index.load(folder)
answerer = Answerer(index, embedder, seeds)
questions = synthetic.questions(random.Random(scale.SEED + 1), 600, 3000, scale.SEED)
embedder.encode(questions)  # its word vectors, outside the timing
for q in questions[:20]:
    answerer.ask(q)
pool = iter(questions[20:])

def timed(n=None, until=None):
    ms = []
    while (n is not None and len(ms) < n) or (until is not None and not until.is_set()):
        q = next(pool); t = time.perf_counter(); answerer.ask(q); ms.append((time.perf_counter() - t) * 1000)
    return ms

rows = []
for round_ in range(2):
    quiet = timed(n=60)
    check = ContentCheck(index); began = time.perf_counter(); check.start()
    during = timed(until=check.done)
    check_s = time.perf_counter() - began
    assert check.damage is None
    rows.append({"quiet_median_ms": round(statistics.median(quiet), 1),
                 "quiet_p95_ms": round(scale.percentile(quiet, 95), 1),
                 "during_median_ms": round(statistics.median(during), 1),
                 "during_p95_ms": round(scale.percentile(during, 95), 1),
                 "during_questions": len(during), "check_s_while_answering": round(check_s, 2)})
    print(json.dumps(rows[-1]), flush=True)

del answerer, index
print(json.dumps({"update": scale.update_after_change(embedder, seeds, folder, 3000)}), flush=True)
import qabot.index.build

qabot.index.build.file_problems = lambda *args, **kwargs: {}  # the build as before: no source check
print(json.dumps({"update_without_source_check": scale.update_after_change(embedder, seeds, folder, 3000)}), flush=True)
