"""An experiment, not shipped: questions embedded by an 8-bit quantized export.

Run: .venv/bin/python evals/try_int8_encoder.py ../shared/squad [--work DIR] [--cache DIR]

The ONNX export that embeds questions (``embeddings.qabot-onnx``, made by
``qabot index``) is quantized with onnxruntime's dynamic quantization: the
weights of its matrix products to 8 bits, per channel. Printed:

1. the size of both files and the time to open each;
2. the time to embed each question of ``evals/nearmiss.jsonl`` one at a
   time (median), and the cosine of the quantized vectors to the export's;
3. every question of the judge's SQuAD recipe (``train_judge.asked_questions``)
   asked with each encoder: how many get the same sentence or refusal, and
   per kind of question the share right and the share declined.

CPU only; about 25 minutes on 2 cores once the recipe's article indexes are
in --cache (``train_judge.py`` keeps them there). It writes only into --work.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import time
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "evals"))

import train_judge  # noqa: E402

from qabot.embedding import fast_encoder  # noqa: E402
from qabot.embedding.embedder import BundledModel  # noqa: E402
from qabot.evaluation.metrics import holds_answer  # noqa: E402


def quantized_copy(export: Path, work: Path) -> Path:
    """A copy of the export folder whose model is quantized to 8 bits."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    folder = work / "int8.qabot-onnx"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for name in (fast_encoder.META_FILE, fast_encoder.TOKENIZER_FILE):
        shutil.copy(export / name, folder / name)
    quantize_dynamic(export / fast_encoder.ONNX_FILE, folder / fast_encoder.ONNX_FILE,
                     weight_type=QuantType.QInt8, per_channel=True, op_types_to_quantize=["MatMul"])
    return folder


@contextmanager
def unchecked():
    """Exports are used without their 0.9999 check (the quantized one fails
    it by design; what it gives instead is measured here)."""
    checked = fast_encoder.OnnxEncoder._matches
    fast_encoder.OnnxEncoder._matches = lambda self, reference: True
    try:
        yield
    finally:
        fast_encoder.OnnxEncoder._matches = checked


def encoder(folder: Path, model: BundledModel) -> fast_encoder.OnnxEncoder:
    with unchecked():
        found = fast_encoder.OnnxEncoder.load(folder, model.name, model.dimension)
    if found is None:
        raise SystemExit(f"no usable export in {folder}; run `qabot index` first")
    return found


def speed_and_closeness(folders: dict[str, Path], model: BundledModel) -> dict:
    questions = [json.loads(line)["question"] for line in (ROOT / "evals" / "nearmiss.jsonl").open()]
    figures, vectors = {}, {}
    for name, folder in folders.items():
        began = time.perf_counter()
        found = encoder(folder, model)
        opened = time.perf_counter() - began
        for question in questions[:10]:
            found.encode([question])
        times, rows = [], []
        for question in questions:
            began = time.perf_counter()
            rows.append(found.encode([question])[0])
            times.append(time.perf_counter() - began)
        vectors[name] = np.array(rows)
        figures[name] = {"megabytes": round((folder / fast_encoder.ONNX_FILE).stat().st_size / 1e6, 1),
                         "open_s": round(opened, 3), "median_ms": round(statistics.median(times) * 1000, 2)}
    cosines = (vectors["export"] * vectors["int8"]).sum(axis=1)
    figures["cosine"] = {"min": round(float(cosines.min()), 4), "median": round(float(np.median(cosines)), 4)}
    return figures


def squad_answers(folder: Path, squad: Path, cache: Path) -> list[tuple]:
    """(kind, sentence start or None, right) per question of the recipe."""
    model = BundledModel()
    with unchecked():
        if not model.attach_fast_path(folder):
            raise SystemExit(f"no usable export in {folder}")
    found = []
    for asked in train_judge.asked_questions(squad, cache, model, random.Random(train_judge.SEED)):
        sentence = asked.answerer.ask(asked.question).sentence
        right = sentence is not None and asked.kind == "answerable" and holds_answer(sentence.text, asked.answers)
        found.append((asked.kind, sentence.start if sentence else None, right))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("squad", type=Path, help="folder with the SQuAD half-A files")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/qabot-judge"), help="where article indexes are kept")
    parser.add_argument("--work", type=Path, default=Path("/tmp/qabot-int8"), help="where the quantized copy goes")
    args = parser.parse_args()
    export = fast_encoder.onnx_folder(ROOT / "embeddings")
    folders = {"export": export, "int8": quantized_copy(export, args.work)}
    model = BundledModel()
    print(json.dumps(speed_and_closeness(folders, model)))
    results = {name: squad_answers(folder, args.squad, args.cache) for name, folder in folders.items()}
    pairs = list(zip(results["export"], results["int8"]))
    same = sum(a[1] == b[1] for a, b in pairs)
    print(f"{len(pairs)} asks: the same sentence or refusal {same} ({same / len(pairs):.2%})")
    by_kind = defaultdict(list)
    for a, b in pairs:
        by_kind[a[0]].append((a, b))
    for kind, rows in sorted(by_kind.items()):
        right = [sum(r[i][2] for r in rows) / len(rows) for i in (0, 1)]
        declined = [sum(r[i][1] is None for r in rows) / len(rows) for i in (0, 1)]
        print(f"{kind:<12} {len(rows):>6} asks: right {right[0]:.4f} -> {right[1]:.4f}, "
              f"declined {declined[0]:.2%} -> {declined[1]:.2%}")


if __name__ == "__main__":
    main()
