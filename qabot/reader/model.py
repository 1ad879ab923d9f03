"""The shipped reader: an 8-bit ONNX model, run with onnxruntime (no
PyTorch at question time), refused unless its SHA-256 is the recorded one."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path
from typing import Sequence

import numpy as np

from qabot.errors import QabotError
from qabot.reader.spans import Reading, read_window
from qabot.reader.tokens import Batch, bundled_tokenizer, encode
from qabot.reader.windows import Window

MODEL_FILE = Path(__file__).with_name("reader.onnx")
HASH_FILE = Path(__file__).with_name("model.sha256")


class ReaderModelError(QabotError):
    """The reader's model file is missing or is not the one the project ships."""


class OnnxReader:
    """Reads windows for a question: one batch through the model."""

    def __init__(self, session, tokenizer) -> None:
        self._session = session
        self.tokenizer = tokenizer

    @classmethod
    def load(cls, path: Path = MODEL_FILE, threads: int = 0, check_hash: bool = True) -> "OnnxReader":
        try:
            raw = path.read_bytes()
        except OSError as error:
            raise ReaderModelError(f"the reader model {path} cannot be read ({error.strerror})") from None
        recorded = HASH_FILE.read_text(encoding="utf-8").split()[0] if HASH_FILE.exists() else None
        if check_hash and hashlib.sha256(raw).hexdigest() != recorded:
            raise ReaderModelError(f"the reader model {path} is not the one recorded in {HASH_FILE.name}; "
                                   "reinstall qabot or run evals/reader_weights.py export")
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3
        options.intra_op_num_threads = threads
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        session = onnxruntime.InferenceSession(raw, options, providers=["CPUExecutionProvider"])
        return cls(session, bundled_tokenizer())

    def scores(self, batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        start, end = self._session.run(None, batch.feed())
        return start, end

    def read(self, question: str, windows: Sequence[Window]) -> list[Reading]:
        """The reading of each window, in order."""
        if not windows:
            return []
        batch = encode(self.tokenizer, [(question, w.text) for w in windows])
        start, end = self.scores(batch)
        return [read_window(start[n], end[n], batch.starts[n], batch.ends[n], w.center_range)
                for n, w in enumerate(windows)]


_loading = threading.Lock()
_shipped: OnnxReader | None = None


def shipped_reader() -> OnnxReader:
    """The shipped reader, loaded once (ReaderModelError when it cannot be)."""
    global _shipped
    with _loading:
        if _shipped is None:
            _shipped = OnnxReader.load()
        return _shipped


def start_loading() -> None:
    """Load the shipped reader on a thread of its own, so that a cold
    question finds it ready; a failure is left for the first question to
    raise."""
    def load() -> None:
        try:
            shipped_reader()
        except Exception:  # noqa: BLE001 - raised again, and reported, where it is used
            pass

    threading.Thread(target=load, name="qabot-reader-load", daemon=True).start()
