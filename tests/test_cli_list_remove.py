"""`qabot list` (the articles in the index, from its manifest only) and
`qabot remove FILE` (an article out of the seeds folder and the index)."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from support import REPO, SHIPPED_NAME, article, model_stand_in, snapshot, write_seeds

from qabot.embedding.embedder import HashingEmbedder
from qabot.index.build import update_index
from qabot.index.loaded import Index

ISO_UTC = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


class HashingModel(HashingEmbedder):
    """Stands in for the bundled model where the command line builds one:
    the hashing embedder, with a fast path that is always there."""

    has_fast_path = True

    def attach_fast_path(self, folder) -> bool:
        return True


@pytest.fixture
def collection(tmp_path, monkeypatch):
    """The current folder holds ``seeds/`` (two articles) and their index,
    built by the hashing embedder, which the command line also uses."""
    monkeypatch.chdir(tmp_path)
    model_stand_in(monkeypatch, HashingModel)
    write_seeds(tmp_path / "seeds", {"trains.txt": article("Railway Timetable Report", "trains"),
                                     "garden.txt": article("Garden Report", "garden", paragraphs=2)})
    update_index(tmp_path / "seeds", tmp_path / "embeddings", HashingModel())
    return tmp_path


def manifest(folder) -> dict:
    return json.loads((folder / "embeddings" / "manifest.json").read_text(encoding="utf-8"))


# --- list ------------------------------------------------------------------------------------------

def test_list_json_gives_each_article_with_its_title_passages_and_time(collection, cli, no_model):
    result = cli("list", "--json")
    assert result.code == 0, result
    listed = json.loads(result.out)
    assert [item["file"] for item in listed] == ["seeds/garden.txt", "seeds/trains.txt"]
    assert [item["title"] for item in listed] == ["Garden Report", "Railway Timetable Report"]
    files = manifest(collection)["files"]
    assert [item["passages"] for item in listed] == [len(files[n]["passages"]) for n in ("garden.txt", "trains.txt")]
    assert all(ISO_UTC.fullmatch(item["indexed"]) for item in listed)
    assert list(listed[0]) == ["file", "title", "passages", "indexed"]


def test_list_text_names_each_article_and_the_totals(collection, cli, no_model):
    result = cli("list")
    assert result.code == 0, result
    lines = result.out.splitlines()
    assert lines[0] == "Garden Report"
    assert re.fullmatch(r"  seeds/garden\.txt · \d+ passages? · indexed \d{4}-\d\d-\d\d \d\d:\d\d UTC", lines[1])
    assert lines[2] == "Railway Timetable Report"
    assert lines[-1].startswith("2 articles, ") and lines[-1].endswith("in the index 'embeddings'")
    assert result.err == ""


def test_an_unchanged_article_keeps_its_time_when_another_is_added(collection, cli):
    before = manifest(collection)["files"]["trains.txt"]["indexed"]
    write_seeds(collection / "seeds", {"music.txt": article("Concert Report", "music")})
    update_index(collection / "seeds", collection / "embeddings", HashingModel(), force=True)
    assert manifest(collection)["files"]["trains.txt"]["indexed"] == before


def test_an_index_without_times_lists_them_as_unknown(workdir, cli, no_model):
    # The committed index was built before times were recorded; it is read as it is.
    assert "indexed" not in manifest(workdir)["files"][SHIPPED_NAME]
    text = cli("list")
    assert text.code == 0, text
    assert "indexed unknown" in text.out
    assert json.loads(cli("list", "--json").out)[0]["indexed"] is None
    assert "changed" not in text.err


def test_list_says_when_the_articles_changed_since_the_index(collection, cli):
    (collection / "seeds" / "garden.txt").unlink()
    result = cli("list")
    assert result.code == 0
    assert "seeds/garden.txt" in result.out  # what the index holds
    assert "changed since the index was updated; run `qabot index`" in result.err


def test_list_without_an_index_says_so(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("list", "--json")
    assert result.code == 2
    assert result.out == ""
    assert "no index in 'embeddings'" in result.err and "`qabot index` builds it" in result.err


def test_list_of_an_index_with_no_articles_says_so(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_seeds(tmp_path / "seeds", {"empty.txt": "Only a title\n"})
    update_index(tmp_path / "seeds", tmp_path / "embeddings", HashingEmbedder())
    assert cli("list").out == "no articles in the index 'embeddings'\n"
    assert cli("list", "--json").out == "[]\n"


def test_list_loads_nothing_heavy(workdir):
    code = ("import sys; from qabot.cli.main import main; main(['list']); "
            "heavy = ('torch', 'sentence_transformers', 'faiss', 'onnxruntime', 'transformers', 'tokenizers', "
            "'textual', 'trafilatura', 'ray', 'pymilvus', 'scipy'); "
            "print(sorted(m for m in heavy if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=workdir, timeout=60,
                            env={"PYTHONPATH": str(REPO), "HF_HUB_OFFLINE": "1", "PATH": "/usr/bin"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "[]"


# --- remove ----------------------------------------------------------------------------------------

def test_remove_deletes_the_file_and_its_rows(collection, cli):
    result = cli("remove", "seeds/garden.txt", "--json")
    assert result.code == 0, result
    report = json.loads(result.out)
    assert report["removed"] == [{"file": "seeds/garden.txt", "title": "Garden Report"}]
    assert report["failed"] == [] and report["index"]["files"] == 1
    assert not (collection / "seeds" / "garden.txt").exists()
    assert list(manifest(collection)["files"]) == ["trains.txt"]
    index = Index.load(collection / "embeddings")
    assert {p.file for p in index.passages} == {s.file for s in index.sentences} == {"trains.txt"}


def test_remove_by_name_says_what_it_removed(collection, cli):
    result = cli("remove", "garden.txt")
    assert result.code == 0, result
    assert result.out.splitlines()[0] == "removed seeds/garden.txt: Garden Report"
    assert "index updated: 1 article" in result.out
    assert [item["file"] for item in json.loads(cli("list", "--json").out)] == ["seeds/trains.txt"]


@pytest.mark.parametrize("target, why", [
    ("../outside.txt", "outside the seeds folder"),
    ("outside.txt", "outside the seeds folder"),
    ("seeds/nowhere.txt", "no such article in 'seeds'"),
    ("seeds/notes.pdf", "not an article"),
    ("seeds", "the seeds folder itself"),
    ("seeds/../outside.txt", "outside the seeds folder"),
])
def test_remove_refuses_what_is_not_an_article_in_the_seeds_folder(collection, cli, no_model, target, why):
    (collection / "outside.txt").write_text("Kept\n\nA file beside the seeds folder, not in it.\n")
    (collection.parent / "outside.txt").write_text("Kept\n\nA file above the folder.\n")
    (collection / "seeds" / "notes.pdf").write_bytes(b"%PDF")
    before = snapshot(collection)
    result = cli("remove", target)
    assert result.code == 2
    assert result.out == ""
    assert f"not removed: '{target}' cannot be removed: " in result.err and why in result.err
    assert snapshot(collection) == before
    report = json.loads(cli("remove", target, "--json").out)
    assert report == {"removed": [], "failed": [report["failed"][0]], "index": None}
    assert why in report["failed"][0]["error"]


def test_remove_of_the_last_article_leaves_the_index_and_says_so(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_seeds(tmp_path / "seeds", {"only.txt": article("Only Report", "music")})
    update_index(tmp_path / "seeds", tmp_path / "embeddings", HashingEmbedder())
    result = cli("remove", "seeds/only.txt")
    assert result.code == 0, result
    assert result.out == "removed seeds/only.txt: Only Report\n"
    assert "no articles are left in 'seeds'" in result.err
    assert not (tmp_path / "seeds" / "only.txt").exists()
