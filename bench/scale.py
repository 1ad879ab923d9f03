"""Large-corpus benchmark (issue 5): build, load, answer and update at scale.

Run: .venv/bin/python bench/scale.py [--articles 3000] [--work bench/.scale] [--json]
     [--sample 60] [--questions 240] [--vectors model|stand-in]

A quick check of the script itself: --articles 40 --sample 10 --work /tmp/scale-small.

It writes a synthetic news corpus (bench/synthetic.py; 3,000 articles make
about 100,000 passages) into WORK/seeds and indexes it into WORK/index. On
2 cores the first build takes an hour or more. Builds are incremental, so a
later run finds the index current and reuses it; the output says which
("built now in X s" or "reused"). WORK/index.qabot-onnx holds the ONNX
question encoder, exported on the first run. Progress goes to stderr; the
figures go to stdout as a table, or as one JSON object with --json.

Figures (a target, where there is one, is printed with PASS or MISS):

1. corpus: articles, passages (and per article), sentences, distinct texts
   embedded (passages, sentences, and sentences read after the one before
   them; identical texts once), size on disk of the index and the articles.
2. build vs model: the first --sample articles, copied to a separate seeds
   folder, are indexed from scratch (update_index(force=True) into a fresh
   temporary folder, model loaded and warmed up), and the bare model
   encodes exactly the distinct texts that build embedded; the build runs
   again after it and the two build times are averaged. Texts/s of each;
   the build's share of the model's speed is the ratio (target >= 0.9):
   what chunking, hashing, BM25 and writing files cost on top of the model.
3. full build: all articles into WORK/index, with a progress line; seconds
   and texts/s. When the index is current it is reused, and the figures of
   the build that made it (kept in WORK/build.json) are shown.
4. index load: Index.load plus Answerer construction in a fresh Python
   process (median of 3; imports timed apart), that process's peak RSS
   (VmHWM), and the index's size on disk; what checking the content hashes
   of the files a load reads whole (term counts, article lists) costs,
   inside that load time, and of every file (what a verifying build checks).
4b. a cold question: imports, Index.load, the ONNX encoder, the answerer
   and its judge and one question in a fresh process (median of 5 runs;
   target <= 1 s) and that process's peak RSS (target <= 400 MB).
5. query latency: generated questions through Answerer.ask in this warm
   process after 20 warm-up questions; median and p95 ms of the whole answer
   and of embedding the question, with the ONNX encoder when its export
   exists or can be made (target median <= 25 ms); and without the judge
   (the question embedded, the first stage and the ranking: targets median
   <= 12 ms, p95 <= 20 ms), timed on as many other questions, not asked
   before (so nothing the answers cached about their sentences helps).
6. approximate search: for the questions' vectors, recall@10 of
   index.search(which, vectors, 10) against exact=True, for passages and
   sentences (target >= 0.98), and how many segments search each set how
   (index.manifest["segments"], a list or a dict by segment name). "n/a"
   while the index has no such API. Then the same recall as deep as the
   first stage reads (its 256 nearest rows; no target).
7. update: one paragraph of one article is rewritten and update_index runs
   in this warm process (target <= 3 s), with the passages it embedded and
   reused and the texts it embedded. The article is then restored and the
   index updated again (also timed), so WORK stays the corpus
   bench/synthetic.py writes.
8. (with --store SPEC) the same index in a Milvus store against the folder:
   the copy, warm and cold questions, agreement (see bench/store.py).

--vectors stand-in indexes the corpus with stand-in vectors, for a corpus
too large to embed here (the model reads about 1,500 words a second on 2
cores: 3,000 articles take hours): each distinct word is embedded by the
model once, and a text's vector is the normalised sum of its words' vectors,
so that topics cluster as they do with the model. The model still runs on
every call of at most 64 texts (questions, small updates) and its result is
thrown away, so figures 5 and 7 include its time; figure 2 always uses the
model. Each kind of vectors has its own index folder under WORK.

Only qabot's public API is used: update_index, BundledModel, Index,
embedding_texts, Answerer and onnx_folder.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np
import store as store_bench
import synthetic
from latency import TimedEmbedder

from qabot.answering import Answerer
from qabot.answering.candidates import DENSE_HITS
from qabot.embedding.embedder import BundledModel
from qabot.embedding.fast_encoder import onnx_folder
from qabot.index.build import update_index
from qabot.index.loaded import Index, check_file_hashes, embedding_texts, read_manifest
from qabot.index.segments import SEGMENTS, checked_at_load

ROOT = Path(__file__).resolve().parent.parent
SEED = 0
WARM_UP_QUESTIONS = 20
LOAD_RUNS = 3
# Index.load and Answerer construction, timed in a fresh process. Its peak
# RSS is VmHWM: getrusage's ru_maxrss in a child can report the parent's
# peak (Linux carries it across the exec that starts the child).
LOAD_CHILD = """
import json, resource, sys, time
from pathlib import Path
began = time.perf_counter()
from qabot.answering import Answerer
from qabot.embedding.embedder import BundledModel
from qabot.index.loaded import Index
imported = time.perf_counter()
Answerer(Index.load(Path(sys.argv[1])), BundledModel(), Path(sys.argv[2]))
done = time.perf_counter()
try:
    status = open("/proc/self/status").read().split("VmHWM:")[1]
    peak_mb = int(status.split()[0]) / 1024
except (OSError, IndexError):
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"import_s": imported - began, "load_s": done - imported, "peak_rss_mb": peak_mb}))
"""


# A cold question, as `qabot ask` answers it, in a fresh process: imports,
# Index.load, the ONNX question encoder, the answerer and its judge, one
# question. (Not `qabot ask` itself: a stand-in index was built by another
# "model", so the command would rebuild it; the freshness check it adds is
# one stat and one hash per article.)
COLD_CHILD = """
import json, sys, time
began = time.perf_counter()
from pathlib import Path
from qabot.answering import Answerer
from qabot.embedding.embedder import BundledModel
from qabot.index.loaded import Index
model = BundledModel()
assert model.attach_fast_path(Path(sys.argv[3]))
answer = Answerer(Index.load(Path(sys.argv[1])), model, Path(sys.argv[2])).ask(sys.argv[4])
done = time.perf_counter()
status = open("/proc/self/status").read()
field = lambda name: int(status.split(name + ":")[1].split()[0]) / 1024
print(json.dumps({"wall_s": done - began, "peak_rss_mb": field("VmHWM"), "anon_mb": field("RssAnon"),
                  "file_mb": field("RssFile")}))
"""
COLD_RUNS = 5


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def distinct_texts(passages, sentences) -> list[str]:
    """The texts a build embeds for these records, each once, in the build's order."""
    return list(dict.fromkeys(t for texts in embedding_texts(passages, sentences).values() for t in texts))


def megabytes(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def percentile(values, q: float) -> float:
    return float(np.percentile(values, q))


class ProgressLine:
    """A ``progress(stage, done, total)`` callback drawing one \\r line on
    stderr; remembers how many texts the build said it would embed."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.total = 0
        self.began = time.perf_counter()

    def __call__(self, stage: str, done: int, total: int) -> None:
        self.total = total
        if not total:
            return
        rate = done / max(time.perf_counter() - self.began, 1e-9)
        left = (total - done) / rate if done else 0
        pace = f" ({rate:.0f} texts/s, {int(left // 60)}:{int(left % 60):02d} left)" if done else ""
        print(f"\r  {self.label}: {stage} {done:,}/{total:,} texts{pace}   ", end="", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.total:
            print(file=sys.stderr, flush=True)


def timed_build(seeds: Path, folder: Path, model: BundledModel) -> float:
    began = time.perf_counter()
    update_index(seeds, folder, model, force=True)
    return time.perf_counter() - began


def build_vs_model(model: BundledModel, seeds: Path, sample: int) -> dict:
    """Figure 2: texts/s of a build from scratch and of the bare model.

    The build runs before and after the bare model and the two times are
    averaged, so a machine that slows down or speeds up (other work, clock
    changes) does not favour either side.
    """
    with tempfile.TemporaryDirectory(prefix="qabot-scale-") as scratch:
        sample_seeds, folder = Path(scratch) / "seeds", Path(scratch) / "index"
        sample_seeds.mkdir()
        for path in sorted(seeds.glob("article-*.txt"))[:sample]:
            shutil.copy(path, sample_seeds / path.name)
        say(f"2. build of {sample} articles from scratch ...")
        first_s = timed_build(sample_seeds, folder, model)
        index = Index.load(folder)
        texts = distinct_texts(index.passages, index.sentences)
        say(f"   ... the bare model on its {len(texts):,} texts ...")
        began = time.perf_counter()
        model.encode(texts)
        model_s = time.perf_counter() - began
        say("   ... and the build again")
        second_s = timed_build(sample_seeds, Path(scratch) / "again", model)
    build_s = (first_s + second_s) / 2
    build_rate, model_rate = len(texts) / build_s, len(texts) / model_s
    return {"articles": sample, "texts": len(texts), "build_s": [round(first_s, 2), round(second_s, 2)],
            "model_s": round(model_s, 2), "build_texts_per_s": round(build_rate, 1),
            "model_texts_per_s": round(model_rate, 1), "ratio": round(build_rate / model_rate, 3)}


def full_build(model: BundledModel, seeds: Path, folder: Path, record: Path) -> dict:
    """Figure 3: bring WORK/index up to date; figures of the build that made it."""
    say("3. full build (or reuse) ...")
    progress = ProgressLine("full build")
    try:
        report = update_index(seeds, folder, model, progress=progress)
    finally:
        progress.close()
    if report.changed:
        built = {"seconds": round(report.seconds, 1), "texts": progress.total,
                 "texts_per_s": round(progress.total / report.seconds, 1),
                 "from_scratch": report.reused == 0, "when": time.strftime("%Y-%m-%d %H:%M")}
        record.write_text(json.dumps(built) + "\n", encoding="utf-8")
        return {"built_now": True, **built}
    earlier = json.loads(record.read_text(encoding="utf-8")) if record.is_file() else {}
    return {"built_now": False, "check_s": round(report.seconds, 2), **earlier}


def corpus_figures(index: Index, seeds: Path, folder: Path, articles: int) -> dict:
    """Figure 1: what the corpus became."""
    texts = distinct_texts(index.passages, index.sentences)
    return {"articles": articles, "passages": len(index.passages),
            "passages_per_article": round(len(index.passages) / articles, 2),
            "sentences": len(index.sentences), "texts_embedded": len(texts),
            "index_mb": round(megabytes(folder), 1), "articles_mb": round(megabytes(seeds), 1)}


def index_load(folder: Path, seeds: Path) -> dict:
    """Figure 4: load time and peak memory in fresh processes."""
    say(f"4. index load in {LOAD_RUNS} fresh processes ...")
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    runs = []
    for _ in range(LOAD_RUNS):
        done = subprocess.run([sys.executable, "-c", LOAD_CHILD, str(folder), str(seeds)], cwd=ROOT, env=env,
                              check=True, capture_output=True, text=True)
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    checks = content_checks(folder)
    cold = cold_question(folder, seeds)
    return {**cold, "load_s": round(statistics.median(r["load_s"] for r in runs), 3),
            "import_s": round(statistics.median(r["import_s"] for r in runs), 3),
            "peak_rss_mb": round(max(r["peak_rss_mb"] for r in runs), 1),
            "index_mb": round(megabytes(folder), 1), "runs": LOAD_RUNS, **checks}


def cold_question(folder: Path, seeds: Path) -> dict:
    """Figure 4b: one question in a fresh process (see COLD_CHILD), median
    wall time and the largest peak RSS of COLD_RUNS runs."""
    export = onnx_folder(ROOT / "bench" / ".scale" / "index")
    if not (export / "meta.json").is_file():
        export = onnx_folder(folder)
    if not (export / "meta.json").is_file():
        return {}
    say(f"4. a cold question in {COLD_RUNS} fresh processes ...")
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    runs = []
    for _ in range(COLD_RUNS):
        done = subprocess.run([sys.executable, "-c", COLD_CHILD, str(folder), str(seeds), str(export),
                               "Who opened the new bridge?"], cwd=ROOT, env=env, check=True,
                              capture_output=True, text=True)
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return {"cold_s": round(statistics.median(r["wall_s"] for r in runs), 3),
            "cold_rss_mb": round(max(r["peak_rss_mb"] for r in runs), 1), "cold_runs": COLD_RUNS,
            "cold_anon_mb": round(max(r["anon_mb"] for r in runs), 1),
            "cold_file_mb": round(max(r["file_mb"] for r in runs), 1)}


def content_checks(folder: Path) -> dict:
    """What checking the files' content hashes costs: the term counts and
    article lists (checked at every load, inside the load time above) and
    every file (checked when a build verifies the index)."""
    manifest = read_manifest(folder)
    if "file_hashes" not in manifest:
        return {}
    at_load = [f"{SEGMENTS}/{name}/{file}" for name, entry in manifest["segments"].items()
               for file in checked_at_load(entry)]
    timed = {}
    for key, names in (("hash_at_load_s", at_load), ("hash_all_s", None)):
        began = time.perf_counter()
        check_file_hashes(folder, manifest, names)
        timed[key] = round(time.perf_counter() - began, 3)
    timed["hashed_at_load_mb"] = round(sum((folder / n).stat().st_size for n in at_load) / 1e6, 1)
    return timed


def attach_question_encoder(model: BundledModel, folder: Path) -> str:
    """Attach the ONNX encoder beside the index, exporting it first if
    missing; the name of the encoder questions will go through."""
    exported = onnx_folder(folder)
    if model.attach_fast_path(exported):
        return "ONNX export"
    say(f"5. exporting the ONNX question encoder to {exported} ...")
    if model.export_fast_path(exported) and model.attach_fast_path(exported):
        return "ONNX export"
    return "PyTorch"


def query_latency(model: BundledModel, index: Index, seeds: Path, asked: list[str], ranked: list[str],
                  encoder: str) -> dict:
    """Figure 5: warm per-question latency: the whole answer (``asked``),
    and the part before the judge (embedding the question, the first stage,
    the ranking) for other questions (``ranked``), so that what the answers
    cached about their sentences does not speed the second figure up."""
    say(f"5. {len(asked)} + {len(ranked)} questions ({encoder}) ...")
    if isinstance(model, synthetic.StandInVectors):
        model.encode(asked + ranked)  # its word vectors, once, outside the timing
    embedder = TimedEmbedder(model)
    answerer = Answerer(index, embedder, seeds)
    for question in asked[:WARM_UP_QUESTIONS]:
        answerer.ask(question)
    total, embed, ranking = [], [], []
    for question in asked:
        began = time.perf_counter()
        answerer.ask(question)
        total.append((time.perf_counter() - began) * 1000)
        embed.append(embedder.last_ms)
    for question in ranked:
        began = time.perf_counter()
        answerer.rank(answerer.evidence(question))
        ranking.append((time.perf_counter() - began) * 1000)
    return {"questions": len(asked), "encoder": encoder,
            "median_ms": round(statistics.median(total), 2), "p95_ms": round(percentile(total, 95), 2),
            "embed_median_ms": round(statistics.median(embed), 2), "embed_p95_ms": round(percentile(embed, 95), 2),
            "ranking_median_ms": round(statistics.median(ranking), 2),
            "ranking_p95_ms": round(percentile(ranking, 95), 2)}


def search_recall(model: BundledModel, index: Index, asked: list[str], k: int = 10) -> dict:
    """Figure 6: recall@k of the index's own search against exact search."""
    say("6. approximate search recall ...")
    result: dict = {"k": k, "questions": len(asked)}
    segments = index.manifest.get("segments")
    if isinstance(segments, dict):  # by segment name
        segments = list(segments.values())
    vectors = np.ascontiguousarray(model.encode(asked), dtype=np.float32)
    for which in ("passages", "sentences"):
        kinds = Counter(s["search"][which] for s in segments) if isinstance(segments, list) else None
        result[which] = {"recall": None, "search": dict(kinds) if kinds is not None else None}
        if not hasattr(index, "search"):
            continue
        _, approximate = index.search(which, vectors, k)
        _, exact = index.search(which, vectors, k, exact=True)
        shares = [len(set(a[a >= 0]) & set(e[e >= 0])) / max(int((e >= 0).sum()), 1)
                  for a, e in zip(approximate, exact)]
        result[which]["recall"] = round(float(np.mean(shares)), 4)
    return result


def one_update(model: BundledModel, seeds: Path, folder: Path, label: str) -> dict:
    progress = ProgressLine(label)
    try:
        report = update_index(seeds, folder, model, progress=progress)
    finally:
        progress.close()
    return {"seconds": round(report.seconds, 2), "passages_embedded": report.embedded,
            "passages_reused": report.reused, "texts_embedded": progress.total}


def update_after_change(model: BundledModel, seeds: Path, folder: Path, articles: int) -> dict:
    """Figure 7: update after one article changed, then restore it."""
    path = seeds / synthetic.article_name(articles // 2)
    original = path.read_bytes()
    paragraph = synthetic.modify_article(path, random.Random(SEED + 7))
    say(f"7. update after rewriting paragraph {paragraph} of {path.name} ...")
    try:
        changed = one_update(model, seeds, folder, "update")
    finally:
        path.write_bytes(original)
    say("   ... and after restoring it ...")
    restored = one_update(model, seeds, folder, "restore")
    return {"article": path.name, "paragraph": paragraph, **changed, "restore": restored}


def checks(results: dict) -> dict:
    """Each figure that has a target: its value, the target, and whether it is met."""
    latency, recall = results["latency"], results["search"]
    wanted = {
        "build_vs_model_ratio": (results["build_vs_model"]["ratio"], ">=", 0.9),
        "median_question_ms": (latency["median_ms"], "<=", 25.0),
        "median_ranking_ms": (latency.get("ranking_median_ms"), "<=", 12.0),
        "p95_ranking_ms": (latency.get("ranking_p95_ms"), "<=", 20.0),
        "cold_question_s": (results["load"].get("cold_s"), "<=", 1.0),
        "cold_question_rss_mb": (results["load"].get("cold_rss_mb"), "<=", 400.0),
        "passage_recall_at_10": (recall["passages"]["recall"], ">=", 0.98),
        "sentence_recall_at_10": (recall["sentences"]["recall"], ">=", 0.98),
        "update_s": (results["update"]["seconds"], "<=", 3.0),
    }
    return {name: {"value": value, "target": f"{op} {limit:g}",
                   "pass": None if value is None else (value >= limit if op == ">=" else value <= limit)}
            for name, (value, op, limit) in wanted.items()}


def verdict(check: dict) -> str:
    state = "n/a" if check["pass"] is None else ("PASS" if check["pass"] else "MISS")
    return f"   [target {check['target']}: {state}]"


def table(results: dict) -> str:
    c, b, f, load, lat, s, u = (results[key] for key in (
        "corpus", "build_vs_model", "full_build", "load", "latency", "search", "update"))
    ok = results["checks"]
    if "seconds" in f:
        made = (f"{'built' if f['from_scratch'] else 'updated'} {'now' if f['built_now'] else f['when']} in "
                f"{f['seconds']:,.0f} s, {f['texts']:,} texts, {f['texts_per_s']:.1f} texts/s")
        build = made if f["built_now"] else f"reused ({made}; checked in {f['check_s']} s)"
    else:
        build = f"reused (checked in {f['check_s']} s; no record of the build)"

    def recall(which: str, found: dict = s) -> str:
        got = found[which]
        kinds = ", ".join(f"{n} {kind}" for kind, n in got["search"].items()) if got["search"] else "n/a"
        value = "n/a" if got["recall"] is None else f"{got['recall']:.4f}"
        return f"{which} recall@{found['k']} {value} (segments: {kinds})"

    restore = u["restore"]
    lines = [
        ("vectors", "the model's" if results["vectors"] == "model" else
         "stand-in (sums of the model's word vectors; the model also runs on questions and small "
         "updates, result unused)"),
        ("1 corpus", f"{c['articles']:,} articles, {c['passages']:,} passages ({c['passages_per_article']} per "
                     f"article), {c['sentences']:,} sentences, {c['texts_embedded']:,} texts embedded; "
                     f"index {c['index_mb']:,.1f} MB, articles {c['articles_mb']:,.1f} MB"),
        ("2 build vs model", f"{b['articles']} articles, {b['texts']:,} texts: build {b['build_texts_per_s']} "
                             f"texts/s, model {b['model_texts_per_s']} texts/s, ratio {b['ratio']:.3f}"
                             + verdict(ok["build_vs_model_ratio"])),
        ("3 full build", build),
        ("4 index load", f"{load['load_s']:.2f} s (median of {load['runs']} fresh processes; imports "
                         f"{load['import_s']:.2f} s more), peak RSS {load['peak_rss_mb']:,.0f} MB, "
                         f"on disk {load['index_mb']:,.1f} MB"),
        ("", f"cold question (imports, load, ONNX encoder, judge, one question; fresh process): median "
             f"{load['cold_s']:.2f} s of {load['cold_runs']}" + verdict(ok["cold_question_s"])
             + f"; peak RSS {load['cold_rss_mb']:,.0f} MB" + verdict(ok["cold_question_rss_mb"])
             + f" (at the end {load['cold_anon_mb']:,.0f} MB private, {load['cold_file_mb']:,.0f} MB pages of "
               "memory-mapped files)"
             if "cold_s" in load else "cold question: no model export"),
        ("", f"content hashes checked at load: {load['hash_at_load_s']:.2f} s of it "
             f"({load['hashed_at_load_mb']:,.0f} MB: term counts and article lists, "
             f"{load['hash_at_load_s'] / load['load_s']:.0%} of the load); every file, as a verifying build "
             f"checks: {load['hash_all_s']:.2f} s" if "hash_at_load_s" in load else "content hashes: none kept"),
        ("5 query latency", f"{lat['questions']} questions, {lat['encoder']}: median {lat['median_ms']:.2f} ms, "
                            f"p95 {lat['p95_ms']:.1f} ms (embedding median {lat['embed_median_ms']:.1f} ms)"
                            + verdict(ok["median_question_ms"])),
        ("", f"without the judge (question embedded, first stage, ranking): median "
             f"{lat['ranking_median_ms']:.2f} ms" + verdict(ok["median_ranking_ms"])
             + f", p95 {lat['ranking_p95_ms']:.1f} ms" + verdict(ok["p95_ranking_ms"])),
        ("6 search", recall("passages") + verdict(ok["passage_recall_at_10"])),
        ("", recall("sentences") + verdict(ok["sentence_recall_at_10"])),
        ("", "as deep as the first stage reads: " + recall("passages", results["search_deep"]) + "; "
             + recall("sentences", results["search_deep"])),
        ("7 update", f"{u['article']} paragraph {u['paragraph']} rewritten: {u['seconds']:.2f} s, "
                     f"{u['passages_embedded']} passages embedded, {u['passages_reused']:,} reused, "
                     f"{u['texts_embedded']} texts embedded" + verdict(ok["update_s"])),
        ("", f"restored: {restore['seconds']:.2f} s, {restore['texts_embedded']} texts embedded"),
    ]
    return "\n".join(f"{name:<18} {value}" for name, value in lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=synthetic.DEFAULT_ARTICLES,
                        help=f"articles in the corpus (default {synthetic.DEFAULT_ARTICLES:,})")
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / ".scale",
                        help="folder kept between runs: seeds/, index/, the ONNX export (default bench/.scale)")
    parser.add_argument("--sample", type=int, default=60, help="articles for the build-vs-model figure (default 60)")
    parser.add_argument("--questions", type=int, default=240, help="questions timed (default 240)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    parser.add_argument("--store", metavar="SPEC",
                        help="also measure the index in this Milvus store against the folder (see bench/store.py)")
    parser.add_argument("--vectors", choices=("model", "stand-in"), default="model",
                        help="index the corpus with the model (default) or with stand-in vectors (sums of word vectors)")
    args = parser.parse_args()
    work = args.work.resolve()
    seeds, folder = work / "seeds", work / "index"
    say(f"1. writing {args.articles:,} articles to {seeds} ...")
    written = synthetic.write_corpus(seeds, args.articles, SEED)
    say(f"   {written.written} written, {written.removed} removed, in {written.seconds} s")

    model = BundledModel()
    model.encode(["warm up the model"] * 64)
    embedder = model if args.vectors == "model" else synthetic.StandInVectors(model)
    folder = work / ("index" if args.vectors == "model" else "index-stand-in")
    results = {"vectors": args.vectors,
               "build_vs_model": build_vs_model(model, seeds, min(args.sample, args.articles))}
    results["full_build"] = full_build(embedder, seeds, folder, folder.with_name(folder.name + "-build.json"))
    index = Index.load(folder)
    results["corpus"] = corpus_figures(index, seeds, folder, args.articles)
    results["load"] = index_load(folder, seeds)
    both = synthetic.questions(random.Random(SEED + 1), 2 * max(args.questions, 1), args.articles, SEED)
    asked, ranked = both[::2], both[1::2]
    encoder = attach_question_encoder(model, work / "index")
    results["latency"] = query_latency(embedder, index, seeds, asked, ranked, encoder)
    results["search"] = search_recall(embedder, index, asked)
    results["search_deep"] = search_recall(embedder, index, asked, k=DENSE_HITS)
    del index  # the update below loads the index again
    results["update"] = update_after_change(embedder, seeds, folder, args.articles)
    results["checks"] = checks(results)
    if args.store:
        results["store"] = store_bench.store_figures(embedder, folder, seeds, args.store,
                                                     asked[:store_bench.DEFAULT_QUESTIONS])
    if args.json:
        print(json.dumps(results))
    else:
        print(table(results) + ("\n\n" + store_bench.table(results["store"]) if args.store else ""))


if __name__ == "__main__":
    main()
