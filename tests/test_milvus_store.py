"""The first stage searching a Milvus store (Milvus Lite, the real engine in
this process) instead of the index folder: the same answers, a store kept
in step with the index as articles change, and clear errors."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys

import numpy as np
import pytest
from support import NONSENSE_WORDS, REPO, SHIPPED_INDEX, SHIPPED_SEEDS, nonsense_corpus, write_seeds

from qabot.bot import Bot
from qabot.embedding.embedder import HashingEmbedder
from qabot.errors import StoreError, StoreOutOfStepError
from qabot.evaluation.datasets import load_question_set
from qabot.index.loaded import read_manifest
from qabot.stores import StoreAddress, open_store, parse_store, store_from
from qabot.stores.address import STORE_HELP
from qabot.stores.keys import row_key, split_keys

pytest.importorskip("pymilvus")
pytest.importorskip("milvus_lite")

from qabot.stores.milvus import article_key  # noqa: E402 - needs pymilvus

WORDS = NONSENSE_WORDS


def _corpus(seed: int = 11, articles: int = 30) -> dict[str, str]:
    return nonsense_corpus(seed, articles)


def _questions(count: int = 40, seed: int = 3) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 6))) + "?" for _ in range(count)]


def _lite(path) -> StoreAddress:
    return parse_store(f"milvus-lite:{path}")


def _same_answer(a, b) -> None:
    assert (a.text, a.reason, a.citation) == (b.text, b.reason, b.citation)
    assert a.confidence == pytest.approx(b.confidence, abs=1e-5)
    assert [p.passage.id for p in a.passages] == [p.passage.id for p in b.passages]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("milvus-corpus")
    seeds = write_seeds(root / "seeds", _corpus())
    embedded = Bot.open(seeds, root / "embeddings", embedder=HashingEmbedder())
    stored = Bot.open(seeds, root / "embeddings", embedder=HashingEmbedder(), store=_lite(root / "store.db"))
    assert len(embedded.answerer.index.sentences) > 2 * 256  # more rows than a search returns
    return embedded, stored


@pytest.fixture
def small_segments_kept(monkeypatch):
    """Segments past 50 sentences get search graphs, so that an update keeps
    them (as a large index's) instead of folding them into its new one."""
    monkeypatch.setattr("qabot.index.vectors.APPROXIMATE_ABOVE", 50)


# -- addresses ------------------------------------------------------------

def test_store_addresses_are_parsed_or_refused_with_the_valid_forms(tmp_path, monkeypatch):
    assert parse_store(None) is None and parse_store("embedded") is None
    lite = parse_store("milvus-lite:./x/milvus.db")
    assert lite.lite and lite.uri.endswith("/x/milvus.db") and lite.prefix == "qabot"
    server = parse_store("milvus://db.example.org:19530/news_2026")
    assert (server.uri, server.lite, server.prefix) == ("http://db.example.org:19530", False, "news_2026")
    cluster = parse_store("milvus://db:19530?shards=4&replicas=2")
    assert (cluster.prefix, cluster.shards, cluster.replicas) == ("qabot", 4, 2)
    for bad in ("milvus-lite:store", "milvus://host", "milvus://host:99999", "milvus://host:1/9bad", "sqlite:x.db",
                "milvus://host:1?shards=0", "milvus://host:1?copies=2"):
        with pytest.raises(StoreError):
            parse_store(bad)
    monkeypatch.setenv("QABOT_STORE", "milvus-lite:env.db")
    assert store_from(None).uri.endswith("env.db")
    assert store_from("embedded") is None  # the option wins over the variable


def test_store_keys_carry_segment_and_row():
    keys = row_key(12, np.array([0, 5, 2**32 - 1]))
    segments, rows = split_keys(keys)
    assert segments.tolist() == [12, 12, 12] and rows.tolist() == [0, 5, 2**32 - 1]


def test_a_missing_extra_is_one_clear_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "pymilvus", None)
    monkeypatch.delitem(sys.modules, "qabot.stores.milvus", raising=False)
    with pytest.raises(StoreError, match=r"pip install -e '\.\[milvus\]'"):
        open_store(_lite("/tmp/never.db"), 8)


def test_an_unreachable_server_fails_at_once():
    with pytest.raises(StoreError, match="cannot reach the Milvus server at 127.0.0.1:9"):
        open_store(parse_store("milvus://127.0.0.1:9"), 8)


def test_a_lite_file_open_in_another_process_is_one_clear_error(tmp_path):
    path = tmp_path / "held.db"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nfrom qabot.stores import open_store, parse_store\n"
         "store = open_store(parse_store(sys.argv[1]), 8)\nprint('open', flush=True)\ntime.sleep(120)",
         f"milvus-lite:{path}"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        with pytest.raises(StoreError, match=f"{path} is open in another process"):
            open_store(_lite(path), 8)
    finally:
        holder.kill()
        holder.wait()
    store = open_store(_lite(path), 8)  # free again once the other process is gone
    store.close()


def test_a_lite_store_is_a_folder_and_a_file_of_its_name_is_refused(tmp_path):
    taken = tmp_path / "taken.db"
    taken.write_text("a user's file", encoding="utf-8")
    with pytest.raises(StoreError, match=f"^{taken} is a file, not a Milvus Lite store: .* a folder"):
        open_store(_lite(taken), 8)
    assert taken.read_text(encoding="utf-8") == "a user's file"
    # Milvus Lite keeps a store as several files in a folder of the name
    # given; the help says so.
    open_store(_lite(tmp_path / "new.db"), 8).close()
    assert (tmp_path / "new.db").is_dir() and (tmp_path / "new.db" / "LOCK").is_file()
    assert "milvus-lite:DIR.db (Milvus Lite in this process, in a local folder of that name" in STORE_HELP


def test_a_store_holding_another_index_is_refused(tmp_path):
    address = _lite(tmp_path / "store.db")
    first = Bot.open(write_seeds(tmp_path / "a" / "seeds", _corpus(articles=2)), tmp_path / "a" / "embeddings",
                     embedder=HashingEmbedder(), store=address)
    first.close()
    with pytest.raises(StoreError, match="holds another index"):
        Bot.open(write_seeds(tmp_path / "b" / "seeds", _corpus(seed=5, articles=2)), tmp_path / "b" / "embeddings",
                 embedder=HashingEmbedder(), store=address)
    # A copy of the first folder is the same index: welcome; and so is the
    # first index rebuilt from scratch in its folder.
    shutil.copytree(tmp_path / "a", tmp_path / "c")
    copy = Bot.open(tmp_path / "c" / "seeds", tmp_path / "c" / "embeddings", embedder=HashingEmbedder(), store=address)
    assert copy.ask("Talak morib?").passages
    copy.rebuild(force=True)
    assert copy.ask("Talak morib?").passages
    copy.close()


def test_a_store_refused_for_its_vector_size_lets_go_of_the_file(tmp_path):
    open_store(_lite(tmp_path / "store.db"), 8).close()
    with pytest.raises(StoreError, match="vectors of size 16"):
        open_store(_lite(tmp_path / "store.db"), 16)
    other = subprocess.run(
        [sys.executable, "-c", "import sys\nfrom qabot.stores import open_store, parse_store\n"
         "open_store(parse_store(sys.argv[1]), 8).close()\nprint('opened')", f"milvus-lite:{tmp_path / 'store.db'}"],
        capture_output=True, text=True, timeout=120)
    assert other.stdout.strip() == "opened", other.stderr[-500:]


# -- same answers -----------------------------------------------------------

def test_the_store_finds_the_same_candidates_and_answers(corpus):
    embedded, stored = corpus
    found = kept = 0
    for question in _questions():
        here = embedded.answerer.evidence(question).candidates
        there = stored.answerer.evidence(question).candidates
        found += len(here)
        kept += len(np.intersect1d(here, there))
        _same_answer(embedded.ask(question), stored.ask(question))
    assert found > 0 and kept / found >= 0.98


def test_the_index_folder_is_not_searched_when_a_store_is(corpus, monkeypatch):
    _, stored = corpus
    for segment in stored.answerer.index.segments:
        for vectors in segment.stores.values():
            monkeypatch.setattr(vectors, "search", lambda *a, **k: pytest.fail("searched the folder"))
    assert stored.ask(_questions(1)[0]).passages


@pytest.mark.model
def test_the_own_question_sets_get_the_same_answers_from_the_store(shared_model, tmp_path):
    seeds = shutil.copytree(SHIPPED_SEEDS, tmp_path / "seeds")
    shutil.copytree(SHIPPED_INDEX, tmp_path / "embeddings")
    embedded = Bot.open(seeds, tmp_path / "embeddings", shared_model)
    stored = Bot.open(seeds, tmp_path / "embeddings", shared_model, store=_lite(tmp_path / "store.db"))
    asked = 0
    for name in ("seed.jsonl", "nearmiss.jsonl"):
        for case in load_question_set(REPO / "evals" / name).cases:
            here, there = embedded.conversation(), stored.conversation()
            for turn in case.turns:
                _same_answer(here.ask(turn), there.ask(turn))
            asked += 1
    assert asked > 100


# -- kept in step -----------------------------------------------------------

def _rows_of(store, records: str, article: str) -> int:
    found = store.client.query(store.collections[records], filter=f'article == "{article_key(article)}"',
                               output_fields=["id"])
    return len(found)


def test_changed_and_removed_articles_leave_the_store(tmp_path, small_segments_kept):
    articles = _corpus(articles=10)
    seeds = write_seeds(tmp_path / "seeds", articles)
    address = _lite(tmp_path / "store.db")
    bot = Bot.open(seeds, tmp_path / "embeddings", embedder=HashingEmbedder(), store=address)
    store = bot.store
    first = bot.answerer.index.segment_numbers
    assert _rows_of(store, "sentences", "article-03.txt") > 0
    (seeds / "article-03.txt").unlink()
    (seeds / "article-04.txt").write_text("Changed story\n\nTalak morib venon kasur. Druol pelim sorax liney.\n",
                                          encoding="utf-8")
    bot.rebuild()
    assert set(first) <= set(bot.answerer.index.segment_numbers)  # the first segment was kept
    assert _rows_of(store, "sentences", "article-03.txt") == 0
    assert _rows_of(store, "passages", "article-03.txt") == 0
    # The changed article's rows are those of its new segment only.
    new = [n for n in bot.answerer.index.segment_numbers if n not in first]
    rows = store.client.query(store.collections["sentences"], filter=f'article == "{article_key("article-04.txt")}"',
                              output_fields=["segment"])
    assert rows and {row["segment"] for row in rows} == set(new)
    assert store.missing(read_manifest(tmp_path / "embeddings")) == []
    embedded = Bot.open(seeds, tmp_path / "embeddings", embedder=HashingEmbedder())
    for question in _questions(10) + ["Druol pelim sorax?"]:
        _same_answer(embedded.ask(question), bot.ask(question))


def test_a_copy_cut_short_keeps_the_old_index_and_is_redone(tmp_path, monkeypatch):
    seeds = write_seeds(tmp_path / "seeds", _corpus(articles=4))
    address = _lite(tmp_path / "store.db")
    bot = Bot.open(seeds, tmp_path / "embeddings", embedder=HashingEmbedder(), store=address)
    before = read_manifest(tmp_path / "embeddings")
    (seeds / "article-01.txt").write_text("New story\n\nKasol druim pelax sorey linuz talak.\n", encoding="utf-8")
    inserted = []
    real_upsert = type(bot.store.client).upsert

    def failing_upsert(client, collection, rows, **kwargs):
        if collection != bot.store.marks:  # the second batch of rows fails
            if inserted:
                raise _milvus_error("disk full")
            inserted.append(collection)
        return real_upsert(client, collection, rows, **kwargs)

    monkeypatch.setattr(type(bot.store.client), "upsert", failing_upsert)
    with pytest.raises(StoreError, match="copying the index failed: .*disk full"):
        bot.rebuild()
    assert read_manifest(tmp_path / "embeddings") == before  # the old index stays, whole in the store
    assert bot.store.missing(before) == []
    marks = bot.store.client.query(bot.store.marks, filter="id > 0", output_fields=["id"])  # 0: the owner
    assert sorted(row["id"] for row in marks) == bot.answerer.index.segment_numbers  # no mark for the cut copy
    monkeypatch.undo()
    again = Bot.open(seeds, tmp_path / "embeddings", embedder=HashingEmbedder(), store=address)
    assert again.ask("Kasol druim pelax sorey?").text == "Kasol druim pelax sorey linuz talak."
    assert again.store.missing(read_manifest(tmp_path / "embeddings")) == []


def _milvus_error(message: str):
    from pymilvus import MilvusException

    return MilvusException(message=message)


def test_an_index_older_than_the_store_searches_only_its_own_segments(tmp_path, small_segments_kept):
    seeds = write_seeds(tmp_path / "seeds", _corpus(articles=6))
    address = _lite(tmp_path / "store.db")
    reader = Bot.open(seeds, tmp_path / "embeddings", embedder=HashingEmbedder(), store=address)
    question = "Zorbax quilm frendip?"
    (seeds / "article-02.txt").write_text("Zorbax story\n\nZorbax quilm frendip wastor.\n", encoding="utf-8")
    writer = Bot.open(seeds, tmp_path / "embeddings", embedder=HashingEmbedder(), store=address)
    assert writer.ask(question).text == "Zorbax quilm frendip wastor."
    new = set(writer.answerer.index.segment_numbers) - set(reader.answerer.index.segment_numbers)
    assert new and set(reader.answerer.index.segment_numbers) & set(writer.answerer.index.segment_numbers)
    # The reader, opened before the update, searches only its own segments:
    # the store never hands it a row of the new one.
    index = reader.answerer.index
    vector = writer.embedder.encode([question])[0]
    _, keys = reader.store.nearest("sentences", vector, 50, index.segment_numbers)
    segments, _ = split_keys(keys)
    assert len(keys) and not set(segments.tolist()) & new
    assert not set(split_keys(reader.store.matching("sentences", ["zorbax"], 50, index.segment_numbers))[0]) & new
    old = reader.answerer.ask(question)
    assert old.text != "Zorbax quilm frendip wastor."
    assert all("Zorbax" not in p.passage.text for p in old.passages)
    # And a build's clean-up, from an older manifest, never deletes a later
    # build's segment (one being copied, or already switched in elsewhere).
    reader.store.forget(index.manifest)
    assert reader.store.missing(writer.answerer.index.manifest) == []
    assert writer.ask(question).text == "Zorbax quilm frendip wastor."


def test_a_reader_whose_rows_left_the_store_updates_instead_of_declining(tmp_path):
    seeds = write_seeds(tmp_path / "seeds", _corpus(articles=4))
    address = _lite(tmp_path / "store.db")
    reader = Bot.open(seeds, tmp_path / "embeddings", embedder=HashingEmbedder(), store=address)
    question = "Zorbax quilm frendip?"
    (seeds / "article-02.txt").write_text("Zorbax story\n\nZorbax quilm frendip wastor.\n", encoding="utf-8")
    Bot.open(seeds, tmp_path / "embeddings", embedder=HashingEmbedder(), store=address)
    # This small index was folded into one new segment: the store holds none
    # of the reader's rows. Its answerer says so (never "the articles do not
    # say" from an empty search); the bot then updates and answers anew.
    with pytest.raises(StoreOutOfStepError):
        reader.answerer.ask(question)
    notices = []
    reader.notice = notices.append
    assert reader.ask(question).text == "Zorbax quilm frendip wastor."
    assert any("no longer holds this index whole" in n for n in notices)


# -- command line -----------------------------------------------------------

@pytest.mark.model
def test_cli_index_and_ask_with_a_store_answer_as_without(cli, workdir, shared_model):
    assert cli("index", "--store", "milvus-lite:./milvus.db", "--json").code == 0
    plain = cli("ask", "--json", "How many missiles did Iran fire?")
    stored = cli("ask", "--json", "--store", "milvus-lite:./milvus.db", "How many missiles did Iran fire?")
    assert plain.code == stored.code == 0
    assert json.loads(plain.out) == json.loads(stored.out)


@pytest.mark.model
def test_cli_store_before_the_command_name_is_made_and_searched(cli, workdir, shared_model):
    result = cli("--store", "milvus-lite:./m2.db", "ask", "--json", "How many missiles did Iran fire?")
    assert result.code == 0, result
    assert (workdir / "m2.db").is_dir() and "copying them" in result.err


def test_cli_bad_store_is_one_line_and_exit_2(cli, workdir, no_model):
    for spec, said in (("milvus-lite:nofile", "must be named like"), ("milvus://127.0.0.1:9", "cannot reach")):
        result = cli("ask", "--store", spec, "Who fired?")
        assert result.code == 2 and said in result.err and "Traceback" not in result.err
        assert len(result.err.strip().splitlines()) == 1


@pytest.mark.model
def test_cli_index_takes_over_a_store_another_index_held(cli, workdir, shared_model, tmp_path):
    store = f"milvus-lite:{tmp_path / 'shared.db'}"
    assert cli("index", "--force", "--store", store).code == 0  # written anew: the manifest names the index
    shutil.rmtree(workdir / "embeddings")  # the index deleted and built anew: another index
    refused = cli("ask", "--store", store, "How many missiles did Iran fire?")
    assert refused.code == 2 and "holds another index" in refused.err
    assert cli("index", "--store", store).code == 0
    taken = cli("ask", "--json", "--store", store, "How many missiles did Iran fire?")
    assert taken.code == 0 and json.loads(taken.out)["answer"]
