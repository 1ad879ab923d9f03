"""Words are case-folded by Unicode's rules (issue 22, item 12): "İran"
is "Iran", for BM25 and for the missing-term rule alike; ASCII text gets
the terms it always had, and an index records which rule made its terms."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from support import SHIPPED_ARTICLE, SHIPPED_SEEDS, write_seeds

from qabot.answering.missing import MissingTerms
from qabot.bot import Bot
from qabot.embedding.embedder import HashingEmbedder
from qabot.index.build import is_fresh, update_index
from qabot.index.lexical import TERMS_VERSION, terms, words
from qabot.index.loaded import MANIFEST, chunking_settings, read_manifest


@pytest.mark.parametrize("written, word", [
    ("İran", "iran"),        # capital I with a dot above (Turkish) folds to a plain i
    ("IRAN", "iran"),
    ("STRASSE", "strasse"),
    ("Straße", "strasse"),   # full case folding, not only lower-casing
    ("Cafe\u0301", "café"),  # an accent typed as a separate mark stays in its word
])
def test_words_are_case_folded_by_unicode_rules(written, word):
    assert words(f"Where is {written} now?") == ["where", "is", word, "now"]


def test_a_dotted_capital_i_matches_the_plain_name():
    assert terms("How many missiles did İran fire?") == terms("How many missiles did Iran fire?")


def test_the_shipped_article_has_the_words_it_always_had():
    """The rule changes nothing for text without such characters: the
    shipped article's words (Chinese interface lines included) are what
    plain lower-casing gave."""
    old_rule = re.compile(r"(?u)\b\w\w+\b|\b\d\b")
    for line in SHIPPED_ARTICLE.read_text(encoding="utf-8").splitlines():
        assert words(line) == old_rule.findall(line.lower())


@pytest.fixture(scope="module")
def shipped_bot(tmp_path_factory):
    root = tmp_path_factory.mktemp("unicode")
    shutil.copytree(SHIPPED_SEEDS, root / "seeds")
    return Bot.open(root / "seeds", root / "index", HashingEmbedder())


def test_a_dotted_capital_i_is_not_a_missing_name(shipped_bot):
    assert MissingTerms(shipped_bot.answerer.index).of("How many missiles did İran fire?") == []
    answer = shipped_bot.ask("How many missiles did İran fire?")
    assert answer.missing == ()
    assert "don't mention" not in (answer.reason or "")


def test_an_article_written_with_a_dotted_capital_i_is_found_by_the_plain_name(tmp_path):
    seeds = write_seeds(tmp_path / "seeds", {"turkish.txt": (
        "A note from İzmir\n\nThe ferry from İzmir to the islands leaves every morning at eight, "
        "and the harbour master of İzmir says it is seldom late in the summer months.\n")})
    bot = Bot.open(seeds, tmp_path / "index", HashingEmbedder())
    assert MissingTerms(bot.answerer.index).of("When does the ferry from Izmir leave?") == []


def test_the_index_records_the_rule_that_made_its_terms(tmp_path):
    seeds = write_seeds(tmp_path / "seeds", {"a.txt": SHIPPED_ARTICLE.read_text(encoding="utf-8")})
    embedder = HashingEmbedder()
    update_index(seeds, tmp_path / "index", embedder)
    path = tmp_path / "index" / MANIFEST
    manifest = json.loads(path.read_text(encoding="utf-8"))
    assert manifest["chunking"]["terms"] == TERMS_VERSION == chunking_settings()["terms"]
    assert is_fresh(read_manifest(tmp_path / "index"), seeds, embedder)
    # An index whose terms an older rule made is rebuilt (its vectors reused).
    del manifest["chunking"]["terms"]
    path.write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    assert not is_fresh(read_manifest(tmp_path / "index"), seeds, embedder)
    report = update_index(seeds, tmp_path / "index", embedder)
    assert report.embedded == 0
    assert read_manifest(tmp_path / "index")["chunking"]["terms"] == TERMS_VERSION
