"""Train the reader (qabot/reader/): the bundled all-MiniLM-L6-v2 weights,
fine-tuned as an extractive reader that finds the answer's span in a window
or says the window holds none (the [CLS] position).

Run (a GPU machine, or the CPU: slower):
    python evals/train_reader.py --data reader-data/device/pairs.json.gz \\
        --model DIR --out OUT

- ``--data``: the pairs written by ``evals/reader_data.py`` (question,
  window, answer span or none, fold);
- ``--model``: a folder with the bundled model's ``config.json``,
  ``tokenizer.json`` and weights (``model.safetensors``, in any float
  precision: ``evals/reader_weights.py carry`` writes them in 16 bits).

For each of the 4 folds (by article) a model is trained on the other folds'
pairs (and the training file's) and reads its own fold's: the held-out
readings (``readings.json.gz``) are what the ranking and the judge learn
from. Then the final model is trained on every pair and written as 16-bit
weights in parts (``reader-part-N.safetensors``) that
``evals/reader_weights.py export`` turns into the shipped ONNX model.

The word embeddings stay the bundled model's (frozen): the model learns
the layers above them, and the shipped model takes the table back from the
bundled weights. Deterministic for a given --epochs and hardware
(``--seconds`` picks the epochs that fit from a measured speed, at most
--epochs; the log says which were used).
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qabot.reader.spans import read_window  # noqa: E402
from qabot.reader.tokens import (  # noqa: E402
    MAX_TOKENS,  # noqa: E402
    encode,
    load_tokenizer,
)

FOLDS = 4
SEED = 20261204
PART_BYTES = 15 * 1024 * 1024  # each weights file stays under a 16 MiB transfer limit
FROZEN = ("embeddings.word_embeddings.weight",)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def token_labels(batch, row: int, span) -> tuple[int, int] | None:
    """The tokens where ``span`` starts and ends in ``batch``'s row; (0, 0)
    for no answer; None when the window was cut before the answer's end."""
    if span is None:
        return 0, 0
    a, b = span
    starts, ends = batch.starts[row], batch.ends[row]
    first = np.flatnonzero((starts >= 0) & (starts <= a) & (ends > a))
    last = np.flatnonzero((starts >= 0) & (starts < b) & (ends >= b))
    if not len(first) or not len(last) or last[0] < first[0]:
        return None
    return int(first[0]), int(last[0])


def prepare(pairs, windows, tokenizer, chunk: int = 2048):
    """Token arrays for every pair (padded to the longest), with labels;
    pairs whose answer was cut off are marked unusable."""
    n = len(pairs)
    ids = np.zeros((n, MAX_TOKENS), np.int32)
    types = np.zeros((n, MAX_TOKENS), np.int8)
    lengths = np.zeros(n, np.int32)
    labels = np.zeros((n, 2), np.int32)
    usable = np.ones(n, bool)
    starts = np.full((n, MAX_TOKENS), -1, np.int32)
    ends = np.full((n, MAX_TOKENS), -1, np.int32)
    for first in range(0, n, chunk):
        part = pairs[first:first + chunk]
        batch = encode(tokenizer, [(p["question"], windows[p["window"]]["text"]) for p in part])
        width = batch.input_ids.shape[1]
        rows = slice(first, first + len(part))
        ids[rows, :width], types[rows, :width] = batch.input_ids, batch.token_type_ids
        starts[rows, :width], ends[rows, :width] = batch.starts, batch.ends
        lengths[rows] = batch.attention_mask.sum(axis=1)
        for row, p in enumerate(part):
            found = token_labels(batch, row, p["answer"])
            if found is None:
                usable[first + row] = False
            else:
                labels[first + row] = found
        log(f"tokenized {min(first + chunk, n)}/{n}")
    return {"ids": ids, "types": types, "lengths": lengths, "labels": labels, "usable": usable,
            "starts": starts, "ends": ends}


class Reader:
    """The model: the bundled transformer and a start/end layer on top."""

    def __new__(cls, model_dir: Path, torch, attention: str = "sdpa"):
        from safetensors.torch import load_file
        from transformers import BertConfig, BertModel

        class Module(torch.nn.Module):
            def __init__(self) -> None:
                super().__init__()
                config = BertConfig.from_json_file(str(model_dir / "config.json"))
                config._attn_implementation = attention  # "eager" for the ONNX export
                self.bert = BertModel(config, add_pooling_layer=False)
                self.span = torch.nn.Linear(config.hidden_size, 2)

            def forward(self, input_ids, attention_mask, token_type_ids):
                states = self.bert(input_ids=input_ids, attention_mask=attention_mask,
                                   token_type_ids=token_type_ids).last_hidden_state
                scores = self.span(states)
                return scores[..., 0], scores[..., 1]

        module = Module()
        weights = {k: v.float() for k, v in load_file(str(model_dir / "model.safetensors")).items()}
        missing, _ = module.bert.load_state_dict(weights, strict=False)
        if missing:
            raise ValueError(f"weights missing from {model_dir}: {missing}")
        for name, parameter in module.bert.named_parameters():
            parameter.requires_grad = name not in FROZEN
        return module


def batches(order: np.ndarray, size: int):
    for first in range(0, len(order), size):
        yield order[first:first + size]


def tensors(data, rows, torch, device):
    width = int(data["lengths"][rows].max())
    ids = torch.as_tensor(data["ids"][rows, :width].astype(np.int64), device=device)
    types = torch.as_tensor(data["types"][rows, :width].astype(np.int64), device=device)
    mask = (torch.arange(width, device=device)[None, :] <
            torch.as_tensor(data["lengths"][rows], device=device)[:, None]).long()
    return ids, mask, types


def train(data, rows: np.ndarray, args, torch, device, label: str):
    """A model trained on ``rows`` of ``data`` for args.epochs epochs."""
    torch.manual_seed(SEED)
    model = Reader(args.model, torch).to(device)
    decay = [p for n, p in model.named_parameters() if p.requires_grad and p.ndim > 1]
    plain = [p for n, p in model.named_parameters() if p.requires_grad and p.ndim <= 1]
    optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01},
                                   {"params": plain, "weight_decay": 0.0}], lr=args.lr,
                                  fused=device.type == "cuda")
    steps = args.epochs * math.ceil(len(rows) / args.batch)
    warmup = max(1, int(0.1 * steps))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warmup, max(0.0, (steps - s) / max(1, steps - warmup))))
    rng = np.random.default_rng(SEED)
    model.train()
    step, began = 0, time.time()
    for epoch in range(args.epochs):
        order = rows[rng.permutation(len(rows))]
        for picked in batches(order, args.batch):
            ids, mask, types = tensors(data, picked, torch, device)
            labels = torch.as_tensor(data["labels"][picked].astype(np.int64), device=device)
            with torch.autocast(device.type, dtype=torch.bfloat16, enabled=device.type == "cuda"):
                start, end = model(ids, mask, types)
            start = start.float().masked_fill(mask == 0, -1e4)
            end = end.float().masked_fill(mask == 0, -1e4)
            loss = (torch.nn.functional.cross_entropy(start, labels[:, 0]) +
                    torch.nn.functional.cross_entropy(end, labels[:, 1])) / 2
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            step += 1
            if step % 200 == 0 or step == steps:
                log(f"{label}: epoch {epoch + 1} step {step}/{steps} loss {loss.item():.3f} "
                    f"{step * args.batch / (time.time() - began):.0f} pairs/s")
    model.eval()
    return model


def read(model, data, rows: np.ndarray, windows, pairs, torch, device, size: int = 256) -> list[dict]:
    """The model's reading of each of ``rows``."""
    readings = []
    with torch.inference_mode():
        for picked in batches(rows, size):
            ids, mask, types = tensors(data, picked, torch, device)
            with torch.autocast(device.type, dtype=torch.bfloat16, enabled=device.type == "cuda"):
                start, end = model(ids, mask, types)
            start, end = start.float().cpu().numpy(), end.float().cpu().numpy()
            for n, row in enumerate(picked):
                width = int(data["lengths"][row])
                center = windows[pairs[row]["window"]]["center"]
                reading = read_window(start[n, :width], end[n, :width], data["starts"][row, :width],
                                      data["ends"][row, :width], tuple(center))
                readings.append({"pair": int(row), "no_answer": round(reading.no_answer, 4),
                                 "best": _span(reading.best), "center": _span(reading.in_center)})
    return readings


def _span(span):
    return None if span is None else [span.start, span.end, round(span.score, 4)]


def summary(readings, pairs, windows) -> str:
    """Held-out figures on the gold windows (the window of the answer's
    sentence): exact match of the best span, and how often "no answer"
    wins on windows with and without an answer."""
    gold = [r for r in readings if pairs[r["pair"]]["gold"]]
    exact = np.mean([r["best"] is not None and r["best"][:2] == pairs[r["pair"]]["answer"] for r in gold]) \
        if gold else float("nan")
    def null_wins(rs):
        return np.mean([r["best"] is None or r["no_answer"] > r["best"][2] for r in rs]) if rs else float("nan")
    with_answer = [r for r in readings if pairs[r["pair"]]["answer"] is not None]
    without = [r for r in readings if pairs[r["pair"]]["answer"] is None]
    return (f"gold windows {len(gold)}: span exact {exact:.3f}; no-answer wins on windows with an answer "
            f"{null_wins(with_answer):.3f} ({len(with_answer)}), without {null_wins(without):.3f} ({len(without)})")


def save_parts(model, out: Path) -> list[str]:
    """The trained weights (all but the frozen table) in 16 bits, in parts."""
    from safetensors.torch import save_file

    state = {k: v.detach().to("cpu").half().contiguous() for k, v in model.state_dict().items()
             if k.removeprefix("bert.") not in FROZEN}
    parts, current, size = [], {}, 0
    for name in sorted(state):
        nbytes = state[name].numel() * 2
        if current and size + nbytes > PART_BYTES:
            parts.append(current)
            current, size = {}, 0
        current[name] = state[name]
        size += nbytes
    parts.append(current)
    names = []
    for number, part in enumerate(parts):
        name = f"reader-part-{number}.safetensors"
        save_file(part, str(out / name))
        names.append(name)
    return names


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=0, help="fewer epochs when these would not fit")
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--lr", type=float, default=1e-4)
    parser.add_argument("--folds", default="0,1,2,3", help="the folds to hold out, in turn ('' for none)")
    parser.add_argument("--no-final", action="store_true", help="skip the final model")
    parser.add_argument("--limit", type=int, default=0, help="use only the first N pairs (a quick check)")
    args = parser.parse_args()
    import torch

    began = time.time()
    torch.use_deterministic_algorithms(False)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    with gzip.open(args.data, "rt", encoding="utf-8") as source:
        content = json.load(source)
    windows, pairs = content["windows"], content["pairs"]
    if args.limit:
        pairs = pairs[:args.limit]
    tokenizer = load_tokenizer(args.model)
    data = prepare(pairs, windows, tokenizer)
    folds = np.array([p["fold"] for p in pairs])
    usable = data["usable"]
    log(f"{len(pairs)} pairs, {int((~usable).sum())} with the answer cut off (not trained on), "
        f"{int(sum(p['answer'] is not None for p in pairs))} with an answer; device {device}; "
        f"prepared in {time.time() - began:.0f} s")
    chosen = [int(f) for f in args.folds.split(",") if f != ""]
    trainings = [(f, np.flatnonzero(usable & (folds != f))) for f in chosen]
    if not args.no_final:
        trainings.append((None, np.flatnonzero(usable)))
    if args.seconds:
        probe = train_speed(data, trainings[0][1], args, torch, device)
        total = sum(len(rows) for _, rows in trainings)
        fit = int((args.seconds - (time.time() - began)) * probe / total)
        args.epochs = max(1, min(args.epochs, fit))
        log(f"measured {probe:.0f} pairs/s: {args.epochs} epochs fit")
    args.out.mkdir(parents=True, exist_ok=True)
    readings = []
    for fold, rows in trainings:
        label = "final" if fold is None else f"fold {fold}"
        model = train(data, rows, args, torch, device, label)
        if fold is None:
            log(f"final weights: {save_parts(model, args.out)}")
            continue
        held = np.flatnonzero(folds == fold)
        got = read(model, data, held, windows, pairs, torch, device)
        log(f"{label} held out: {summary(got, pairs, windows)}")
        readings += got
        del model
        # Written after each fold, so that a run stopped early keeps what it read.
        with gzip.open(args.out / "readings.json.gz", "wt", encoding="utf-8") as out:
            json.dump({"epochs": args.epochs, "batch": args.batch, "lr": args.lr, "pairs": len(pairs),
                       "readings": readings}, out)
    log(f"all held out: {summary(readings, pairs, windows)}")
    log(f"done in {time.time() - began:.0f} s, {args.epochs} epochs")


def train_speed(data, rows, args, torch, device, steps: int = 30) -> float:
    """Pairs per second of training, measured on a few batches."""
    model = Reader(args.model, torch).to(device)
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-6)
    picked = rows[:args.batch]
    for step in range(steps + 5):
        if step == 5:
            if device.type == "cuda":
                torch.cuda.synchronize()
            began = time.time()
        ids, mask, types = tensors(data, rows[(step * args.batch) % max(1, len(rows) - args.batch):][:args.batch],
                                   torch, device)
        with torch.autocast(device.type, dtype=torch.bfloat16, enabled=device.type == "cuda"):
            start, end = model(ids, mask, types)
        loss = start.float().mean() + end.float().mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    if device.type == "cuda":
        torch.cuda.synchronize()
    del picked
    return steps * args.batch / (time.time() - began)


if __name__ == "__main__":
    main()
