"""The command line when things are not as they should be: articles full
of terminal control sequences, a build that cannot run, a missing or
damaged model export, a first run on a fresh checkout."""

from __future__ import annotations

import json
import shutil

import pytest
from support import snapshot, write_seeds

import qabot.index.storage

MISSILES = "How many missiles did Iran fire?"

# Every C0 and C1 control (but NUL, which makes a file binary, and the line feed), DEL, and a few sequences a
# terminal would act on: colour, window title, cursor moves, a hyperlink.
CONTROLS = "".join(chr(c) for c in range(1, 0x20) if c != 0x0A) + "\x7f" + "".join(chr(c) for c in range(0x80, 0xA0))
SEQUENCES = ["\x1b[31mred\x1b[0m", "\x1b]0;HACKED\x07", "\x1b[2J\x1b[H", "\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\",
             "\u202eevil"]
HOSTILE = ("Hostile \x1b[31mTitle\x1b[0m\n\n"
           f"The lighthouse keeper said {SEQUENCES[0]} the lamp was lit at dusk every night this winter. "
           f"The keeper {SEQUENCES[1]} counted ships {SEQUENCES[2]} passing the rocks {SEQUENCES[3]} after dark. "
           f"Controls {CONTROLS} end here {SEQUENCES[4]} and the lamp burned oil until the spring came.\n")
HOSTILE_NAME = "lamp\x1b[1m.txt"


def _terminal_safe(text: str) -> bool:
    """No character a terminal would act on, bar the line feed."""
    return not any((ord(ch) < 0x20 and ch != "\n") or 0x7F <= ord(ch) <= 0x9F or ch == "\u202e" for ch in text)


@pytest.fixture
def hostile(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_seeds(tmp_path / "seeds", {HOSTILE_NAME: HOSTILE})
    return tmp_path


@pytest.mark.model
def test_nothing_from_an_article_reaches_the_terminal_as_a_control(hostile, cli, shared_model):
    questions = "When was the lamp lit?\nWhat did the keeper count?\nWho is the mayor of Paris?\n"
    text = cli("ask", "-k", "3", stdin=questions)
    assert text.code == 0, text
    assert "Q: When was the lamp lit?" in text.out and "lamp was lit at dusk" in text.out
    assert "␛[31m" in text.out  # shown, not obeyed
    assert _terminal_safe(text.out) and _terminal_safe(text.err)
    json_run = cli("ask", "--json", "-k", "3", stdin=questions)
    assert json_run.code == 0 and json_run.out.isascii()  # JSON escapes every control itself
    objects = [json.loads(line) for line in json_run.out.splitlines()]
    assert any("\x1b[31m" in (obj["answer"] or "") for obj in objects)
    assert _terminal_safe(json_run.err)


@pytest.mark.model
def test_a_binary_file_in_seeds_does_not_stop_answers(workdir, cli, shared_model):
    (workdir / "seeds" / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00binary")
    result = cli("ask", MISSILES, "--json")
    assert result.code == 0, result
    assert json.loads(result.out)["answer"].startswith("PENTAGON - Iran fired")
    assert "qabot: skipped seeds/photo.txt: not a text file" in result.err
    again = cli("index")
    assert again.code == 0 and "qabot: skipped seeds/photo.txt: not a text file" in again.err


@pytest.mark.model
def test_an_index_folder_that_cannot_be_written_does_not_stop_answers(workdir, cli, shared_model, monkeypatch):
    write_seeds(workdir / "seeds", {"more.txt": "More News\n\nThe ferry to the island now leaves at "
                                                "seven in the morning, the port authority said on Monday.\n"})

    def refuse(folder):
        raise PermissionError(13, "Permission denied", str(folder) + ".qabot-new-123")

    monkeypatch.setattr(qabot.index.storage, "new_folder", refuse)
    monkeypatch.setattr("qabot.index.build.new_folder", refuse)
    result = cli("ask", MISSILES, "--json")
    assert result.code == 0, result
    assert json.loads(result.out)["answer"].startswith("PENTAGON - Iran fired")
    assert "cannot write the index 'embeddings' (Permission denied)" in result.err
    assert ".qabot-new" not in result.err
    index = cli("index")
    assert index.code == 2 and "cannot write the index 'embeddings'" in index.err and ".qabot-new" not in index.err


@pytest.mark.model
def test_the_index_command_restores_the_model_export_without_embedding(workdir, cli, real_model, monkeypatch):
    from qabot.embedding.embedder import BundledModel
    from qabot.embedding.fast_encoder import onnx_folder

    monkeypatch.setattr(BundledModel, "_load", lambda self: real_model.model)
    monkeypatch.setattr(BundledModel, "encode", lambda *a, **k: pytest.fail("nothing is re-embedded"))
    before = snapshot(workdir / "embeddings")
    result = cli("index")
    assert result.code == 0, result
    assert "0 passages embedded (0 texts in all)" in result.out and "exporting the model" in result.err
    export = onnx_folder(workdir / "embeddings")
    assert (export / "meta.json").is_file()
    assert snapshot(workdir / "embeddings") == before  # a first run changes no tracked file

    meta = json.loads((export / "meta.json").read_text())
    meta["reference"] = [-value for value in meta["reference"]]  # as if the weights were damaged
    (export / "meta.json").write_text(json.dumps(meta))
    assert not BundledModel().attach_fast_path(export)
    monkeypatch.undo()
    monkeypatch.chdir(workdir)
    monkeypatch.setattr(BundledModel, "_load", lambda self: real_model.model)
    asked = cli("ask", MISSILES)
    assert asked.code == 0 and "missing or damaged" in asked.err and "run `qabot index`" in asked.err
    assert asked.err.count("missing or damaged") == 1
    assert cli("index").code == 0
    assert BundledModel().attach_fast_path(export)
    shutil.rmtree(export)


@pytest.mark.model
def test_a_question_that_fails_does_not_end_the_batch(workdir, cli, shared_model, monkeypatch):
    from qabot.answering import Answerer
    from qabot.errors import QuoteMismatchError

    ask = Answerer.ask

    def failing(self, question, k=3, context=None, articles=()):
        if "Bahrain" in question:
            raise QuoteMismatchError("the index does not match seeds/x.txt at characters 1-5")
        return ask(self, question, k=k, context=context, articles=articles)

    monkeypatch.setattr(Answerer, "ask", failing)
    monkeypatch.setattr("qabot.bot.Bot.rebuild", lambda self, **kwargs: None)
    result = cli("ask", "--json", stdin=f"When did Iran attack Bahrain?\n{MISSILES}\n")
    assert result.code == 2
    first, second = (json.loads(line) for line in result.out.splitlines())
    assert first == {"question": "When did Iran attack Bahrain?",
                     "error": "the index does not match seeds/x.txt at characters 1-5"}
    assert second["answer"].startswith("PENTAGON - Iran fired")


@pytest.mark.model
def test_hard_wrapped_prose_is_shown_unwrapped(tmp_path, monkeypatch, cli, shared_model):
    monkeypatch.chdir(tmp_path)
    wrapped = ("Harbour News\n\nThe harbour master said on Tuesday that the old\npier will close for "
               "repairs before the winter\nstorms arrive on the northern coast this year.\n")
    write_seeds(tmp_path / "seeds", {"harbour.txt": wrapped})
    result = cli("ask", "When will the old pier close?")
    assert result.code == 0, result
    assert ("   | The harbour master said on Tuesday that the old pier will close for repairs before the "
            "winter storms arrive on the northern coast this year.") in result.out.splitlines()
    data = json.loads(cli("ask", "When will the old pier close?", "--json").out)
    assert "the old\npier" in data["passages"][0]["text"]  # JSON keeps the article's own characters
