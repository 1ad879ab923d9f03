"""Markdown articles: the heading's text is the title, later headings name
the sections of the passages under them, list items are items, a byline in
emphasis is kept; every offset is the file's own (a property)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from support import write_seeds
from test_chunking import WORDS, check_offsets, sentences

from qabot.articles.chunking import chunk_article
from qabot.embedding.embedder import HashingEmbedder
from qabot.index.build import update_index
from qabot.index.loaded import Index

ARTICLE = """# Harbour Plans Unveiled

*By Jane Doe*

The council approved a **new** plan on Monday after a long debate. It has three parts:

- dredging the *inner* harbour
- a new ferry terminal
  that spans two lines
1. moving the fish market

## Costs

The plan will cost four million crowns over two years, officials said.

```
code = "is not prose at all, even though it is long enough to be a sentence."
```
"""


def test_a_markdown_article_reads_as_people_write_it():
    chunked = chunk_article(ARTICLE, markdown=True)
    assert chunked.title == "Harbour Plans Unveiled"
    check_offsets(ARTICLE, chunked)
    said = [s.text for p in chunked.passages for s in p.sentences]
    assert said[0] == "*By Jane Doe*"
    assert "dredging the *inner* harbour" in said and "moving the fish market" in said
    assert "a new ferry terminal\n  that spans two lines" in said
    assert not any("#" in s or s.startswith("- ") or "code =" in s for s in said)
    costs = [p for p in chunked.passages if "four million" in p.text]
    assert [p.heading for p in costs] == ["Costs"]
    assert chunked.passages[0].heading == ""


def test_a_plain_text_article_is_not_read_as_markdown():
    chunked = chunk_article(ARTICLE)
    assert chunked.title == "# Harbour Plans Unveiled"


def test_headings_give_their_passages_context_and_the_title_has_no_hashes(tmp_path):
    seeds = write_seeds(tmp_path / "seeds", {"harbour.md": ARTICLE, "draft.md": "# Draft\n\nTODO\n"})
    embedder = HashingEmbedder()
    report = update_index(seeds, tmp_path / "index", embedder)
    assert report.skipped == ("draft.md",)
    index = Index.load(tmp_path / "index")
    assert index.file_titles == {"harbour.md": "Harbour Plans Unveiled"}
    costs = next(p for p in index.passages if "four million" in p.text)
    assert costs.heading == "Costs" and costs.title == "Harbour Plans Unveiled"


@st.composite
def markdown_documents(draw) -> tuple[str, str]:
    """A Markdown article: (text, title)."""
    title = " ".join(w.capitalize() for w in draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=6)))
    lines = [f"# {title}", ""]
    for _ in range(draw(st.integers(0, 8))):
        kind = draw(st.integers(0, 5))
        if kind == 0:
            lines.append("#" * draw(st.integers(2, 4)) + " " + draw(st.sampled_from(WORDS)).capitalize())
        elif kind == 1:
            marker = draw(st.sampled_from(("- ", "* ", "+ ", "1. ", "12) ")))
            lines += [marker + draw(sentences()) for _ in range(draw(st.integers(1, 4)))]
        elif kind == 2:
            lines.append(draw(st.sampled_from(("*By Jane Doe*", "_by the desk_", "**By A. Writer**"))))
        elif kind == 3:
            lines.append(draw(st.sampled_from(("---", "```", "***", "> quoted words here."))))
        else:
            lines.append(" ".join(draw(st.lists(sentences(), min_size=1, max_size=4))))
        lines += [""] * draw(st.integers(0, 2))
    return "\n".join(lines) + "\n", title


@settings(max_examples=200, deadline=None)
@given(markdown_documents())
def test_markdown_offsets_are_exact(document):
    text, title = document
    chunked = chunk_article(text, markdown=True)
    assert chunked.title == title
    check_offsets(text, chunked)
    for passage in chunked.passages:
        for sentence in passage.sentences:
            assert not sentence.text.startswith(("#", "- ", "* ", "```"))


def test_a_markdown_article_opening_with_code_or_a_list_keeps_its_prose():
    for opening in ("```python\nprint('hi')\n```\n", "- an item of the list\n- another item\n"):
        text = opening + "\nThis article explains the storm that hit the coast on Monday night.\n"
        chunked = chunk_article(text, markdown=True)
        check_offsets(text, chunked)
        assert chunked.title == ""
        said = [s.text for p in chunked.passages for s in p.sentences]
        assert said[-1] == "This article explains the storm that hit the coast on Monday night."
        assert not any("print" in s for s in said)
