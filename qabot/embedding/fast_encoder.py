"""Embedding questions without PyTorch: an ONNX export of the bundled model.

Importing PyTorch and sentence-transformers takes seconds; a question needs
one short forward pass. `qabot index` exports the model once into a folder
beside the index (``embeddings.qabot-onnx/``, not committed: it is ~90 MB),
checks that it gives the same vectors as sentence-transformers, and from
then on questions are embedded with onnxruntime and the model's own fast
tokenizer. Each load checks the export still gives the vector it gave when
exported. Anything missing or mismatched means the normal path is used (and
`qabot index` exports it again, without re-embedding anything).
"""

from __future__ import annotations

import json
import shutil
import warnings
from pathlib import Path

import numpy as np

ONNX_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
META_FILE = "meta.json"
MAX_TOKENS = 256
# Sentences the export must reproduce (cosine >= MIN_COSINE) to be used.
CHECK_SENTENCES = (
    "How many missiles did Iran fire?",
    "The Pentagon said the missiles targeted the Al-Asad base, about 60 kilometers west of Baghdad.",
    "What is the capital of France?",
    "Jeff Seldin contributed to this report.",
    "Über 3,000 Menschen — and a few emoji 🚀 — in one line with \"quotes\" and (brackets).",
    "a",
)
MIN_COSINE = 0.9999
# Checked at every load against the vector stored at export, so a damaged
# export is never used (one short forward pass).
REFERENCE_SENTENCE = CHECK_SENTENCES[1]


def onnx_folder(index_folder: Path) -> Path:
    """Where the exported model of the index in ``index_folder`` lives."""
    return index_folder.with_name(index_folder.name + ".qabot-onnx")


class OnnxEncoder:
    """Unit vectors from the exported model: mean of the token vectors."""

    def __init__(self, session, tokenizer, name: str, dimension: int) -> None:
        self._session = session
        self._tokenizer = tokenizer
        self.name = name
        self.dimension = dimension

    @classmethod
    def load(cls, folder: Path, name: str, dimension: int) -> "OnnxEncoder | None":
        """The encoder in ``folder`` if it was exported and checked for the
        model ``name``; None otherwise (or if onnxruntime is missing)."""
        try:
            meta = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
            if meta.get("model") != name or meta.get("dimension") != dimension or not meta.get("checked"):
                return None
            import onnxruntime
            from tokenizers import Tokenizer

            options = onnxruntime.SessionOptions()
            options.log_severity_level = 3
            # Threads that spin after a question steal the CPU that search needs.
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
            session = onnxruntime.InferenceSession(
                str(folder / ONNX_FILE), options, providers=["CPUExecutionProvider"])
            tokenizer = Tokenizer.from_file(str(folder / TOKENIZER_FILE))
        except Exception:  # noqa: BLE001 - any trouble means: use the normal path
            return None
        tokenizer.enable_truncation(MAX_TOKENS)
        tokenizer.enable_padding()
        encoder = cls(session, tokenizer, name, dimension)
        return encoder if encoder._matches(meta.get("reference")) else None

    def _matches(self, reference) -> bool:
        """True when the export still gives the vector it gave when checked."""
        try:
            expected = np.asarray(reference, dtype=np.float32)
            got = self.encode([REFERENCE_SENTENCE])[0]
            return expected.shape == got.shape and float(got @ expected) >= MIN_COSINE
        except Exception:  # noqa: BLE001 - a broken graph or a malformed reference
            return False

    def encode(self, texts) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(list(texts))
        feed = {
            "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
            "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
            "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64),
        }
        return self._session.run(None, feed)[0].astype(np.float32)


def export(model, model_dir: Path, folder: Path, name: str, dimension: int) -> bool:
    """Export the sentence-transformers ``model`` (loaded from ``model_dir``)
    into ``folder`` and check it.

    Returns True when the export reproduces the model's vectors; otherwise
    the folder is removed and False returned.
    """
    staging = folder.with_name(folder.name + ".new")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        _export_graph(model, staging / ONNX_FILE)
        shutil.copy(model_dir / TOKENIZER_FILE, staging / TOKENIZER_FILE)
        reference = model.encode([REFERENCE_SENTENCE], normalize_embeddings=True, convert_to_numpy=True)[0]
        (staging / META_FILE).write_text(json.dumps({
            "model": name, "dimension": dimension, "checked": True,
            "reference": [round(float(value), 7) for value in reference],
        }))
        encoder = OnnxEncoder.load(staging, name, dimension)
        if encoder is None or not reproduces(encoder, model):
            raise ValueError("the exported model does not reproduce the vectors")
        shutil.rmtree(folder, ignore_errors=True)
        staging.rename(folder)
        return True
    except Exception:  # noqa: BLE001 - no export means the normal path, never a failure
        shutil.rmtree(staging, ignore_errors=True)
        return False


def reproduces(encoder: OnnxEncoder, model) -> bool:
    """True when ``encoder`` gives ``model``'s vectors for CHECK_SENTENCES,
    asked together (padded) and one at a time."""
    expected = model.encode(list(CHECK_SENTENCES), normalize_embeddings=True, convert_to_numpy=True)
    together = encoder.encode(CHECK_SENTENCES)
    alone = np.concatenate([encoder.encode([sentence]) for sentence in CHECK_SENTENCES])
    return min(float((got * expected).sum(axis=1).min()) for got in (together, alone)) >= MIN_COSINE


def _export_graph(model, path: Path) -> None:
    """Write the transformer plus mean pooling and normalisation as ONNX."""
    import torch

    transformer = model[0].auto_model.eval()

    class Pooled(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.transformer = transformer

        def forward(self, input_ids, attention_mask, token_type_ids):
            tokens = self.transformer(input_ids=input_ids, attention_mask=attention_mask,
                                      token_type_ids=token_type_ids).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(tokens.dtype)
            mean = (tokens * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, dim=1)

    sample = model.tokenizer(["a question", "a longer second example"], padding=True, return_tensors="pt")
    names = ["input_ids", "attention_mask", "token_type_ids"]
    with torch.inference_mode(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tracing notes about shapes held constant; checked after
        torch.onnx.export(
            Pooled(), tuple(sample[n] for n in names), str(path), input_names=names,
            output_names=["embedding"], opset_version=17, dynamo=False,
            dynamic_axes={**{n: {0: "batch", 1: "tokens"} for n in names}, "embedding": {0: "batch"}},
        )
