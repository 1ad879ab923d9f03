"""The command line: exit codes, the JSON contract of `ask --json` and
`index --json`, standard input, follow-ups, and updating a stale index."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support import REPO, committed_counts, run_qabot, write_seeds

from qabot.bot import index_state
from qabot.embedding.embedder import BundledModel

MISSILES = "How many missiles did Iran fire?"
ARTICLE = "iran-missiles-iraq-bases.txt"
OFF_TOPIC = "What is the capital of France?"


def json_lines(out: str) -> list[dict]:
    lines = out.splitlines()
    assert lines and all(line.strip() for line in lines), out
    return [json.loads(line) for line in lines]


def is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_contract(obj: dict, k: int = 3) -> None:
    """Keys and types of one `qabot ask --json` object, exactly."""
    refusal = ["reason", "not_mentioned"] if obj.get("abstained") else []
    assert list(obj) == ["question", "answer", "short_answer", "abstained", "unsure", "confidence", "truncated",
                         *refusal, "source", "passages"]
    assert obj["unsure"] is (not obj["abstained"] and obj["confidence"] < 0.5)
    assert isinstance(obj["truncated"], bool)
    if obj["abstained"]:
        assert isinstance(obj["reason"], str) and obj["reason"]
        assert all(isinstance(term, str) and term in obj["question"] for term in obj["not_mentioned"])
    assert isinstance(obj["question"], str)
    assert obj["answer"] is None or isinstance(obj["answer"], str)
    assert isinstance(obj["abstained"], bool)
    assert obj["abstained"] == (obj["answer"] is None) == (obj["source"] is None)
    assert isinstance(obj["confidence"], float) and 0.0 <= obj["confidence"] <= 1.0
    if obj["source"] is not None:
        source = obj["source"]
        assert list(source) == ["file", "title", "line", "start", "end", "extracted"]
        assert source["extracted"] == source["file"].endswith((".html", ".htm"))
        assert isinstance(source["file"], str) and isinstance(source["title"], str)
        assert all(is_int(source[key]) for key in ("line", "start", "end"))
        text = Path(source["file"]).read_text(encoding="utf-8")
        assert text[source["start"]:source["end"]] == obj["answer"]
        assert source["line"] == text.count("\n", 0, source["start"]) + 1
        short = obj["short_answer"]
        if short is not None:  # the few words that answer, inside the sentence
            assert list(short) == ["text", "start", "end"]
            assert source["start"] <= short["start"] < short["end"] <= source["end"]
            assert text[short["start"]:short["end"]] == short["text"]
    else:
        assert obj["short_answer"] is None
    assert isinstance(obj["passages"], list) and len(obj["passages"]) == k
    for passage in obj["passages"]:
        assert list(passage) == ["text", "score", "file", "line", "start", "end", "extracted"]
        assert passage["extracted"] == passage["file"].endswith((".html", ".htm"))
        assert isinstance(passage["text"], str) and isinstance(passage["score"], float)
        assert isinstance(passage["file"], str)
        assert all(is_int(passage[key]) for key in ("line", "start", "end"))
        text = Path(passage["file"]).read_text(encoding="utf-8")
        assert text[passage["start"]:passage["end"]] == passage["text"]
        assert passage["line"] == text.count("\n", 0, passage["start"]) + 1
    scores = [p["score"] for p in obj["passages"]]
    assert scores == sorted(scores, reverse=True)


# --- exit codes that never need the model ---------------------------------------------------

def test_empty_question_exits_2(workdir, cli, no_model):
    result = cli("ask", "   ", "--json")
    assert result.code == 2 and result.err == ""
    assert json_lines(result.out) == [{"question": "   ", "error": "the question is empty: ask something in words"}]
    text = cli("ask", "   ")
    assert text.code == 2 and text.out == ""
    assert text.err.startswith("qabot: ") and "empty" in text.err and text.err.count("\n") == 1


def test_stdin_lines_of_only_punctuation_each_get_an_error_record(workdir, cli, no_model):
    result = cli("ask", "--json", stdin="???\n\n?!?\n")
    assert result.code == 2
    assert [(o["question"], "error" in o) for o in json_lines(result.out)] == [("???", True), ("?!?", True)]


def test_stdin_splits_on_line_feeds_only(workdir, cli, no_model, monkeypatch):
    import qabot.cli.ask

    assert qabot.cli.ask.question_lines("a\x0cb\u0085c\u2028d\r\ne\n\n  \nf") == ["a\x0cb\u0085c\u2028d", "e", "f"]


def test_missing_seeds_folder_exits_2(workdir, cli, no_model):
    result = cli("ask", MISSILES, "--seeds", "nowhere")
    assert result.code == 2 and "nowhere" in result.err and "not found" in result.err
    assert result.out == ""


def test_blank_stdin_exits_2_without_opening_the_index(workdir, cli, no_model):
    result = cli("ask", "--json", stdin="\n   \n\n")
    assert result.code == 2 and result.out == "" and "no question" in result.err


def test_seeds_naming_a_file_exits_2(workdir, cli, no_model):
    result = cli("ask", MISSILES, "--seeds", "seeds/iran-missiles-iraq-bases.txt")
    assert result.code == 2 and "is a file, not a folder" in result.err


def test_an_index_that_cannot_be_written_is_one_line_and_exit_2(workdir, cli, no_model):
    (workdir / "blocker").write_text("a file where a folder should be", encoding="utf-8")
    result = cli("index", "--index", "blocker/embeddings")
    assert result.code == 2 and result.out == ""
    assert result.err.startswith("qabot: cannot write the index 'blocker/embeddings'")
    assert "Traceback" not in result.err and ".qabot-" not in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_missing_seeds_folder_without_an_index_exits_2(tmp_path, monkeypatch, cli, no_model):
    monkeypatch.chdir(tmp_path)
    result = cli("index")
    assert result.code == 2 and "not found" in result.err


def test_empty_seeds_folder_exits_2(workdir, cli, no_model):
    (workdir / "empty").mkdir()
    result = cli("ask", MISSILES, "--seeds", "empty", "--index", "empty-index")
    assert result.code == 2 and "no articles" in result.err
    assert not (workdir / "empty-index").exists()


@pytest.mark.parametrize("content", [
    b"Binary\n\x00\x01\x02\x00 not text",
    "Caf\u00e9 latin-1 text. It is not UTF-8 at all.\n".encode("latin-1"),
])
@pytest.mark.model
def test_an_unreadable_seed_is_skipped_by_name_until_it_is_fixed(workdir, cli, shared_model, content):
    """One file that is not UTF-8 text does not block the update: it is
    named (with its folder) on every update and in --json's "skipped", the
    rest is indexed and answers, and once fixed it is indexed too."""
    (workdir / "seeds" / "broken.txt").write_bytes(content)
    for _ in range(2):  # the same on every update, until it is fixed
        result = cli("index", "--json")
        assert result.code == 0, result
        report = json_lines(result.out)[0]
        assert (report["files"], report["skipped"]) == (1, ["broken.txt"])
        said = [line for line in result.err.splitlines() if "broken.txt" in line]
        assert len(said) == 1 and said[0].startswith("qabot: skipped seeds/broken.txt: not ")
        assert "save it as UTF-8 text" in said[0] and "Traceback" not in result.err
    answer = cli("ask", MISSILES, "--json")
    assert answer.code == 0 and json_lines(answer.out)[0]["answer"].startswith("PENTAGON - Iran fired"), answer
    (workdir / "seeds" / "broken.txt").write_text("Bakery News\n\nThe bakery on the corner sold its last "
                                                 "loaf of rye bread at noon on Saturday.\n", encoding="utf-8")
    fixed = cli("index", "--json")
    assert fixed.code == 0 and "broken.txt" not in fixed.err, fixed
    assert (json_lines(fixed.out)[0]["files"], json_lines(fixed.out)[0]["skipped"]) == (2, [])
    bread = cli("ask", "When did the bakery sell its last loaf?", "--json")
    assert json_lines(bread.out)[0]["source"]["file"] == "seeds/broken.txt", bread


def test_seeds_without_prose_are_skipped_by_name(tmp_path, monkeypatch, cli, shared_model):
    """An article with a headline and no prose yet (or nothing at all) is
    not counted as an article: the build names it and skips it."""
    monkeypatch.chdir(tmp_path)
    write_seeds(tmp_path / "seeds", {"draft.md": "# Draft headline\n\nTODO\n", "empty.txt": ""})
    result = cli("index", "--json")
    assert result.code == 0, result
    report = json_lines(result.out)[0]
    assert (report["files"], report["passages"], report["skipped"]) == (0, 0, ["draft.md", "empty.txt"])
    assert "qabot: skipped seeds/draft.md: it has no prose" in result.err
    assert "qabot: skipped seeds/empty.txt: it has no prose" in result.err


@pytest.mark.parametrize("args", [
    ["ask", MISSILES, "-k", "many"],
    ["ask", MISSILES, "--bogus"],
    ["frobnicate"],
    ["eval"],
    ["eval", "x.jsonl", "--mode", "psychic"],
    ["index", "--force", "--json", "extra"],
])
def test_bad_usage_exits_2(workdir, cli, no_model, args):
    result = cli(*args)
    assert result.code == 2
    assert "usage:" in result.err


def test_negative_k_exits_2(workdir, cli, no_model):
    result = cli("ask", MISSILES, "-k", "-1")
    assert result.code == 2 and "-k" in result.err


def test_missing_eval_file_exits_2(workdir, cli, no_model):
    result = cli("eval", "missing.jsonl")
    assert result.code == 2 and "missing.jsonl" in result.err


def test_help_and_version_exit_0(cli, no_model):
    assert cli("--help").code == 0
    version = cli("--version")
    assert version.code == 0 and version.out.startswith("qabot ")


def test_usage_error_as_a_subprocess_exits_2(tmp_path):
    result = run_qabot("ask", "question", "-k", "nope", cwd=tmp_path)
    assert result.returncode == 2 and "usage:" in result.stderr


def test_an_index_path_that_cannot_be_created_as_a_subprocess_exits_2(tmp_path):
    write_seeds(tmp_path / "seeds", {"a.txt": "Title\n\nA sentence of prose is here today.\n"})
    (tmp_path / "file").write_text("a file, not a folder")
    result = run_qabot("index", "--index", "file/index", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert result.stdout == "" and result.stderr.strip()
    assert (tmp_path / "file").read_text() == "a file, not a folder"


def test_help_does_not_import_heavy_modules(tmp_path):
    code = ("import sys, qabot.cli.parser; qabot.cli.parser.build_parser(); "
            "heavy = ('torch', 'faiss', 'sentence_transformers', 'bm25s', 'textual', 'trafilatura', 'ray', 'pymilvus'); "
            "print(sorted(m for m in heavy if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


# --- the JSON contract, with the real model (loaded once, shared) ------------------------------

@pytest.mark.model
def test_ask_json_for_the_missile_question(workdir, cli, shared_model):
    result = cli("ask", MISSILES, "--json")
    assert result.code == 0, result
    [obj] = json_lines(result.out)
    check_contract(obj)
    assert obj["question"] == MISSILES
    assert obj["answer"].startswith("PENTAGON - Iran fired more than a dozen")
    assert obj["abstained"] is False
    assert obj["source"]["file"] == f"seeds/{ARTICLE}"
    assert obj["source"]["line"] == 7
    assert obj["source"]["title"] == "Iran Fires Missiles at 2 Iraqi Air Bases Housing US Forces, Pentagon Says"
    assert {p["file"] for p in obj["passages"]} == {f"seeds/{ARTICLE}"}


@pytest.mark.model
def test_ask_json_refusal(workdir, cli, shared_model):
    result = cli("ask", OFF_TOPIC, "--json")
    assert result.code == 0, result
    [obj] = json_lines(result.out)
    check_contract(obj)
    assert obj["answer"] is None and obj["abstained"] is True and obj["source"] is None
    assert obj["reason"] == "The article doesn't mention France." and obj["not_mentioned"] == ["France"]


@pytest.mark.model
def test_a_refusal_says_what_the_article_does_not_mention(workdir, cli, shared_model):
    result = cli("ask", "When did Iran attack Bahrain?")
    assert result.code == 0, result
    assert "A: The article doesn't mention Bahrain." in result.out
    assert "closest passages:" in result.out


@pytest.mark.model
@pytest.mark.parametrize("k", [0, 1, 5])
def test_ask_json_k_passages(workdir, cli, shared_model, k):
    result = cli("ask", MISSILES, "--json", "-k", k)
    assert result.code == 0, result
    check_contract(json_lines(result.out)[0], k=k)


@pytest.mark.model
def test_ask_json_k_larger_than_the_index(workdir, cli, shared_model):
    result = cli("ask", MISSILES, "--json", "-k", 50)
    obj = json_lines(result.out)[0]
    check_contract(obj, k=committed_counts()["passages"])


@pytest.mark.model
def test_file_is_relative_to_cwd_as_given_by_seeds(workdir, cli, shared_model):
    shutil.copytree(workdir / "seeds", workdir / "my articles" / "news")
    result = cli("ask", MISSILES, "--json", "--seeds", "my articles/news", "--index", "idx")
    assert result.code == 0, result
    obj = json_lines(result.out)[0]
    check_contract(obj)
    assert obj["source"]["file"] == f"my articles/news/{ARTICLE}"
    assert {p["file"] for p in obj["passages"]} == {f"my articles/news/{ARTICLE}"}


@pytest.mark.model
def test_stdin_gives_one_object_per_question(workdir, cli, shared_model):
    questions = [MISSILES, OFF_TOPIC, "Who chairs the House Foreign Affairs Committee?"]
    result = cli("ask", "--json", stdin="\n".join([questions[0], "", "   ", *questions[1:]]) + "\n")
    assert result.code == 0, result
    objects = json_lines(result.out)
    assert [o["question"] for o in objects] == questions
    for obj in objects:
        check_contract(obj)
    assert objects[0]["answer"].startswith("PENTAGON")
    assert objects[1]["abstained"] is True
    assert "Eliot Engel" in objects[2]["answer"]


@pytest.mark.model
def test_stdin_with_a_bad_line_answers_the_others_and_exits_2(workdir, cli, shared_model):
    result = cli("ask", "--json", stdin=f"{MISSILES}\n?!\n{OFF_TOPIC}\r\nWhat\x0cdid Trump tweet?\n")
    assert result.code == 2
    lines = json_lines(result.out)
    assert [o["question"] for o in lines] == [MISSILES, "?!", OFF_TOPIC, "What did Trump tweet?"]
    assert lines[1] == {"question": "?!", "error": "the question is empty: ask something in words"}
    for obj in lines[:1] + lines[2:]:
        check_contract(obj)
    text = cli("ask", stdin=f"{MISSILES}\n?!\n")
    assert text.code == 2 and text.out.startswith(f"Q: {MISSILES}")
    assert text.err.strip() == "qabot: not asked: '?!': the question is empty: ask something in words"


@pytest.mark.model
def test_chat_resolves_follow_ups(workdir, cli, shared_model):
    result = cli("ask", "--json", "--chat",
                 stdin="Who is Iran's foreign minister?\nWhat did he say Iran does not seek?\n")
    assert result.code == 0, result
    first, second = json_lines(result.out)
    assert "Zarif" in first["answer"]
    assert second["question"] == "What did he say Iran does not seek?"
    assert second["answer"] is not None and "escalation or war" in second["answer"]


@pytest.mark.model
def test_huge_question_exits_0(workdir, cli, shared_model):
    question = MISSILES + " " + "missiles " * 12_000  # about 100 KB
    assert len(question) > 100_000
    result = cli("ask", question, "--json")
    assert result.code == 0, result
    obj = json_lines(result.out)[0]
    check_contract(obj)
    assert len(obj["question"]) <= 1000 and obj["question"].startswith(MISSILES)
    # The cut is at the documented 1,000 characters, whatever spaces end the part kept.
    assert obj["truncated"] is True and "cut after its first 1,000 characters" in result.err
    short = json_lines(cli("ask", MISSILES, "--json").out)[0]
    assert short["truncated"] is False


@pytest.mark.model
def test_question_full_of_control_characters_exits_0(workdir, cli, shared_model):
    noise = "\x00\x01\x07\x1b\x7f\u200b\x08" * 200
    question = noise + noise.join(MISSILES.split()) + noise
    result = cli("ask", question, "--json")
    assert result.code == 0, result
    obj = json_lines(result.out)[0]
    check_contract(obj)
    assert obj["question"] == MISSILES
    assert obj["answer"].startswith("PENTAGON - Iran fired")


@pytest.mark.model
def test_text_output(workdir, cli, shared_model):
    result = cli("ask", MISSILES)
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[0] == f"Q: {MISSILES}"
    # The reader's short answer first, then the sentence that holds it.
    assert lines[1] == "A: more than a dozen"
    assert lines[2].strip().startswith("sentence: PENTAGON - Iran fired more than a dozen")
    assert f"seeds/{ARTICLE}:7 " in lines[3]
    refusal = cli("ask", OFF_TOPIC)
    assert refusal.code == 0 and "A: The article doesn't mention France." in refusal.out
    refusal = cli("ask", "How do I change a flat tire?")
    assert refusal.code == 0 and "A: The article doesn't say." in refusal.out


@pytest.mark.model
def test_stale_index_is_updated_first_and_said_on_stderr(workdir, cli, shared_model):
    article = workdir / "seeds" / ARTICLE
    article.write_text(article.read_text(encoding="utf-8").replace(
        "Jeff Seldin contributed to this report.",
        "Jeff Seldin and Carla Babb contributed to this report."), encoding="utf-8")
    assert index_state(Path("seeds"), Path("embeddings"), BundledModel()) == "stale"
    result = cli("ask", "Who contributed to this report?", "--json")
    assert result.code == 0, result
    assert "changed" in result.err and "updating the index" in result.err
    obj = json_lines(result.out)[0]
    check_contract(obj)
    assert obj["answer"] == "Jeff Seldin and Carla Babb contributed to this report."
    assert index_state(Path("seeds"), Path("embeddings"), BundledModel()) == "fresh"
    again = cli("ask", "Who contributed to this report?", "--json")
    assert again.err == ""


@pytest.mark.model
def test_index_json(workdir, cli, shared_model):
    result = cli("index", "--json")
    assert result.code == 0, result
    [report] = json_lines(result.out)
    assert list(report) == ["files", "passages", "sentences", "embedded", "texts_embedded", "reused", "removed",
                            "skipped", "repaired", "seconds"]
    assert all(is_int(report[key]) for key in ("files", "passages", "sentences", "embedded", "reused", "removed"))
    assert isinstance(report["seconds"], float)
    counts = committed_counts()
    n = counts["passages"]
    assert (report["files"], report["passages"], report["sentences"]) == (1, n, counts["sentences"])
    assert (report["embedded"], report["reused"], report["removed"]) == (0, n, 0)

    write_seeds(workdir / "seeds", {"extra.md": "Harbour News\n\nThe harbour master is Ada Lovelace, "
                                                "who took office in May after a long career at sea.\n"})
    [report] = json_lines(cli("index", "--json").out)
    assert (report["files"], report["passages"], report["embedded"], report["reused"]) == (2, n + 1, 1, n)
    # The new passage and its one sentence (a first sentence's window is the sentence itself).
    assert report["texts_embedded"] == 2
    (workdir / "seeds" / "extra.md").unlink()
    [report] = json_lines(cli("index", "--json").out)
    assert (report["files"], report["passages"], report["embedded"], report["removed"]) == (1, n, 0, 1)
    text = cli("index")
    assert text.code == 0 and text.out.startswith(f"index already up to date: 1 article, {n} passages")


@pytest.mark.model
def test_ask_as_a_subprocess(workdir, model_export):
    """The real command, model loading and all, end to end."""
    shutil.copytree(model_export, workdir / "embeddings.qabot-onnx")
    result = run_qabot("ask", MISSILES, "--json", cwd=workdir)
    assert result.returncode == 0, result.stderr
    [obj] = json_lines(result.stdout)
    check_contract(obj)
    assert obj["answer"].startswith("PENTAGON - Iran fired more than a dozen")
    assert obj["source"]["line"] == 7
    assert result.stderr == ""
