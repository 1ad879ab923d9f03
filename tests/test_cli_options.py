"""The options every command takes (--seeds, --index, --store, and the chat
window's --exports): each works before or after the command name, a value
given in both places is a one-line error, and what is given in neither
place takes its default ($QABOT_STORE for the store)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support import SHIPPED_ARTICLE, write_seeds

from qabot.stores import parse_store

MISSILES = "How many missiles did Iran fire?"
# Each command, with what it needs besides the common options.
COMMANDS = {
    "chat": ["chat"],
    "index": ["index"],
    "add": ["add", "page.html"],
    "list": ["list"],
    "remove": ["remove", "page.txt"],
    "ask": ["ask", MISSILES],
    "eval": ["eval", "questions.jsonl"],
}


@pytest.fixture
def ran(monkeypatch):
    """Each command records the options it was run with instead of running:
    ``ran`` maps a command to {seeds, index, store, exports}."""
    import qabot.cli.add
    import qabot.cli.ask
    import qabot.cli.chat
    import qabot.cli.evaluate
    import qabot.cli.index
    import qabot.cli.listing
    import qabot.cli.remove

    seen: dict[str, dict] = {}

    def record(command):
        def run(args, *rest):
            seen[command] = {name: getattr(args, name) for name in ("seeds", "index", "store", "exports")}
            return 0
        return run

    def chat(seeds, index, exports, store=None, min_confidence=None):
        seen["chat"] = {"seeds": seeds, "index": index, "store": store, "exports": exports}
        return 0

    monkeypatch.setattr(qabot.cli.index, "run", record("index"))
    monkeypatch.setattr(qabot.cli.ask, "run", record("ask"))
    monkeypatch.setattr(qabot.cli.add, "run", record("add"))
    monkeypatch.setattr(qabot.cli.listing, "run", record("list"))
    monkeypatch.setattr(qabot.cli.remove, "run", record("remove"))
    monkeypatch.setattr(qabot.cli.evaluate, "run", record("eval"))
    monkeypatch.setattr(qabot.cli.chat, "run_chat", chat)
    monkeypatch.delenv("QABOT_STORE", raising=False)
    return seen


GIVEN = ["--seeds", "mine", "--index", "idx", "--store", "milvus-lite:s.db"]
EXPECTED = {"seeds": Path("mine"), "index": Path("idx"), "store": parse_store("milvus-lite:s.db")}


@pytest.mark.parametrize("command", COMMANDS)
def test_the_options_work_before_and_after_the_command_name(cli, no_model, ran, command):
    name, *rest = COMMANDS[command]
    for args in ([*GIVEN, name, *rest], [name, *rest, *GIVEN]):
        ran.clear()
        assert cli(*args).code == 0, args
        assert {key: ran[command][key] for key in EXPECTED} == EXPECTED, args


def test_the_chat_windows_exports_folder_works_before_and_after_chat(cli, no_model, ran):
    for args in (["--exports", "out", "chat"], ["chat", "--exports", "out"], ["--exports", "out"]):
        assert cli(*args).code == 0
        assert ran["chat"]["exports"] == Path("out"), args


@pytest.mark.parametrize("option, value", [("--seeds", "mine"), ("--index", "idx"), ("--store", "embedded")])
@pytest.mark.parametrize("command", COMMANDS)
def test_an_option_before_and_after_the_command_name_is_a_one_line_error(cli, no_model, ran, command, option, value):
    name, *rest = COMMANDS[command]
    result = cli(option, value, name, *rest, option, "other")
    assert result.code == 2 and result.out == "" and not ran
    assert result.err == (f"qabot: {option} given twice, before the command name ({value}) and after it "
                          "(other): give it once\n")


def test_what_is_given_in_neither_place_takes_its_default(cli, no_model, ran):
    assert cli("--seeds", "mine", "index", "--index", "idx").code == 0
    assert ran["index"] == {"seeds": Path("mine"), "index": Path("idx"), "store": None, "exports": Path("exports")}
    assert cli("--exports", "out", "chat").code == 0
    assert ran["chat"] == {"seeds": Path("seeds"), "index": Path("embeddings"), "store": None, "exports": Path("out")}
    assert cli("--index", "idx", "ask", MISSILES).code == 0
    assert ran["ask"] == {"seeds": Path("seeds"), "index": Path("idx"), "store": None, "exports": Path("exports")}


def test_the_store_variable_applies_unless_a_store_is_given_before_or_after(cli, no_model, ran, monkeypatch):
    monkeypatch.setenv("QABOT_STORE", "milvus-lite:env.db")
    assert cli("--seeds", "mine", "ask", MISSILES).code == 0
    assert ran["ask"]["store"] == parse_store("milvus-lite:env.db") and ran["ask"]["seeds"] == Path("mine")
    for args in (["--store", "embedded", "ask", MISSILES], ["ask", MISSILES, "--store", "embedded"]):
        ran.clear()
        assert cli(*args).code == 0 and ran["ask"]["store"] is None, args


# --- the user's own commands, run for real ------------------------------------------------------

def test_seeds_before_ask_is_the_folder_searched(workdir, cli, no_model):
    for args in (["--seeds", "nowhere", "ask", MISSILES], ["ask", MISSILES, "--seeds", "nowhere"]):
        result = cli(*args)
        assert result.code == 2 and "nowhere" in result.err and "not found" in result.err, args
        assert result.out == ""


def test_a_bad_store_before_ask_is_refused(workdir, cli, no_model):
    result = cli("--store", "milvus-lite:nofile", "ask", MISSILES)
    assert result.code == 2 and "must be named like" in result.err and result.out == ""


def test_a_saved_page_is_added_to_the_seeds_named_before_add(workdir, cli, no_model):
    (workdir / "mine").mkdir()
    page = Path(__file__).parent / "pages" / "iran-missiles.html"
    result = cli("--seeds", "mine", "add", page, "--no-index", "--json")
    assert result.code == 0, result
    [added] = json.loads(result.out)["added"]
    assert Path(added["file"]).parent == Path("mine") and (workdir / added["file"]).is_file()


@pytest.mark.model
def test_seeds_before_index_is_the_folder_indexed(tmp_path, monkeypatch, cli, shared_model):
    monkeypatch.chdir(tmp_path)
    write_seeds(tmp_path / "seeds", {"one.txt": SHIPPED_ARTICLE.read_text(encoding="utf-8")})
    write_seeds(tmp_path / "mine", {"a.txt": SHIPPED_ARTICLE.read_text(encoding="utf-8"),
                                    "b.md": "Harbour News\n\nThe harbour master is Ada Lovelace, who took "
                                            "office in May after a long career at sea.\n"})
    result = cli("--seeds", "mine", "index", "--json")
    assert result.code == 0, result
    assert json.loads(result.out)["files"] == 2
    assert (tmp_path / "embeddings" / "manifest.json").is_file()  # --index not given: the default folder
