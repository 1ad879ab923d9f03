"""Chunking: exact offsets (a property over generated documents), sentence
splitting around abbreviations and quotes, and boilerplate lines dropped."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qabot.articles.chunking import MAX_PASSAGE_WORDS, chunk_article, sentence_spans
from qabot.articles.lines import is_prose, line_number, line_starts, word_count
from qabot.embedding.embedder import HashingEmbedder
from qabot.index.build import update_index
from qabot.index.loaded import Index

# --- generated documents -------------------------------------------------------
# Words of two or more letters that are not abbreviations, so a period after
# any of them ends a sentence.
WORDS = (
    "missiles base troops officials statement government army city river bridge morning "
    "attack council minister village market school weather north south summer winter "
    "report people doctors soldiers airport region border night early later"
).split()
NAMES = ("Smith", "Jones", "Garcia", "Chen", "Okafor", "Zarif")
# Phrases with a period that does not end the sentence.
ABBREVIATED = (
    "Dr. {name}", "Mr. {name}", "the U.S. Army", "U.S. officials", "Gen. {name}",
    "Sen. {name}", "J. {name}", "the U.S. {word}", "St. Louis", "e.g. the {word}",
)
JUNK_LINES = (
    "字号 +", "字号 -", "源 稿 窗", "WATCH: How Ballistic Missiles work", "Share this", "***",
    "Advertisement", "Photo: Reuters", "1 2 3 4", "|", "Comments (12)",
)
ENDINGS = (".", "!", "?")
SEPARATORS = (" ", "  ", " \u00a0 ", "\n")


@st.composite
def sentences(draw) -> str:
    """One sentence of five or more words: a capital first word, maybe an
    abbreviation, a number or a quotation inside, and a closing mark."""
    name = st.sampled_from(NAMES)
    word = st.sampled_from(WORDS)
    parts = [draw(word).capitalize()]
    for _ in range(draw(st.integers(4, 18))):
        kind = draw(st.integers(0, 9))
        if kind == 0:
            parts.append(draw(st.sampled_from(ABBREVIATED)).format(name=draw(name), word=draw(word)))
        elif kind == 1:
            parts.append(str(draw(st.integers(0, 3000))))
        elif kind == 2:
            parts.append(f'"{draw(word)} {draw(word)}, {draw(word)}"')
        elif kind == 3:
            parts.append(draw(name) + ",")
        else:
            parts.append(draw(word))
    parts.append(draw(word))
    style = draw(st.integers(0, 3))
    if style == 0:  # ends inside a quotation: ... said "the base is safe."
        return " ".join(parts[:-2]) + f' "{parts[-2]} {parts[-1]}{draw(st.sampled_from(ENDINGS))}"'
    if style == 1:  # begins with a quotation: "We will stay," Smith said.
        return f'"{parts[0]} {parts[1]} {parts[2]},"' + " " + " ".join(parts[3:]) + "."
    return " ".join(parts) + draw(st.sampled_from(ENDINGS))


@st.composite
def paragraphs(draw) -> tuple[str, list[str]]:
    """A paragraph (one or more lines of sentences) and its sentences."""
    said = draw(st.lists(sentences(), min_size=1, max_size=6))
    text = said[0]
    for sentence in said[1:]:
        text += draw(st.sampled_from(SEPARATORS)) + sentence
    indent = draw(st.sampled_from(("", "", " ", "\t")))
    trailing = draw(st.sampled_from(("", "", " ", "  \t")))
    return indent + text + trailing, said


@st.composite
def documents(draw) -> tuple[str, str, list[str]]:
    """A whole article with ``\\n`` line ends: (text, title, sentences in order)."""
    title = " ".join(w.capitalize() for w in draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=9)))
    lines = [""] * draw(st.integers(0, 2)) + [draw(st.sampled_from(("", " "))) + title]
    expected: list[str] = []
    for _ in range(draw(st.integers(0, 8))):
        lines += [draw(st.sampled_from(("", " ", "\t")))] * draw(st.integers(1, 3))
        if draw(st.integers(0, 3)) == 0:
            lines.append(draw(st.sampled_from(JUNK_LINES)))
        else:
            text, said = draw(paragraphs())
            lines.append(text)
            expected += said
    text = "\n".join(lines) + draw(st.sampled_from(("", "\n", "\n\n")))
    return text, title, expected


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def check_offsets(text: str, chunked) -> None:
    """Every passage and sentence slices ``text`` to its own text, with the
    right line; sentences lie in their passage, in order, without overlap."""
    previous_end = 0
    for passage in chunked.passages:
        assert text[passage.start:passage.end] == passage.text
        assert passage.line == line_of(text, passage.start)
        assert passage.start >= previous_end
        assert passage.sentences, "a passage without sentences"
        assert passage.sentences[0].start == passage.start
        assert passage.sentences[-1].end == passage.end
        for sentence in passage.sentences:
            assert text[sentence.start:sentence.end] == sentence.text
            assert sentence.text == sentence.text.strip() and sentence.text
            assert sentence.line == line_of(text, sentence.start)
            assert passage.start <= sentence.start < sentence.end <= passage.end
            assert sentence.start >= previous_end
            previous_end = sentence.end


@settings(max_examples=300, deadline=None)
@given(documents(), st.booleans())
def test_offsets_are_exact_for_generated_documents(document, bom):
    text, title, expected = document
    if bom:
        text = "\ufeff" + text
    chunked = chunk_article(text)
    check_offsets(text, chunked)
    assert chunked.title == title


@settings(max_examples=300, deadline=None)
@given(documents())
def test_sentences_are_exactly_the_written_ones(document):
    """No sentence is lost, split at an abbreviation, or taken from a junk line."""
    text, _, expected = document
    found = [s.text for p in chunk_article(text).passages for s in p.sentences]
    assert found == expected


@settings(max_examples=200, deadline=None)
@given(documents())
def test_passages_hold_at_most_max_words_unless_one_sentence(document):
    text, _, _ = document
    for passage in chunk_article(text).passages:
        if len(passage.sentences) > 1:
            assert word_count(passage.text) <= MAX_PASSAGE_WORDS


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(documents(), st.sampled_from(("\n", "\r\n", "\r")), st.booleans())
def test_index_records_slice_the_file_as_read(tmp_path_factory, document, newline, bom):
    """Through files: CRLF or CR line ends and a BOM on disk; the records of
    update_index slice ``Path.read_text(encoding="utf-8")`` exactly."""
    text, title, expected = document
    root = tmp_path_factory.mktemp("doc")
    seeds = root / "seeds"
    seeds.mkdir()
    data = ("\ufeff" if bom else "") + text.replace("\n", newline)
    (seeds / "doc.txt").write_bytes(data.encode("utf-8"))
    (seeds / "other.md").write_text("Other\n\nThe second file has one sentence of prose here.\n", encoding="utf-8")
    update_index(seeds, root / "index", HashingEmbedder(dimension=32))
    passages = [p.to_json() for p in Index.load(root / "index").passages]
    sentences = [s.to_json() for s in Index.load(root / "index").sentences]
    for record in passages + sentences:
        read = Path(seeds / record["file"]).read_text(encoding="utf-8")
        assert read[record["start"]:record["end"]] == record["text"]
        assert record["line"] == line_of(read, record["start"])
    mine = [s["text"] for s in sentences if s["file"] == "doc.txt"]
    assert mine == expected
    for passage in passages:
        inner = sentences[passage["first_sentence"]:passage["first_sentence"] + passage["sentence_count"]]
        assert all(s["passage"] == passage["id"] and s["file"] == passage["file"] for s in inner)
        assert all(passage["start"] <= s["start"] < s["end"] <= passage["end"] for s in inner)
    assert {p["title"] for p in passages if p["file"] == "doc.txt"} <= {title}


# --- examples ----------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Dr. Smith arrived in the U.S. capital on Monday. He left soon after.",
     ["Dr. Smith arrived in the U.S. capital on Monday.", "He left soon after."]),
    ('"We do not seek war," Zarif said. "We will defend ourselves."',
     ['"We do not seek war," Zarif said.', '"We will defend ourselves."']),
    ('He said "So far, so good!" Then he left the room.',
     ['He said "So far, so good!"', "Then he left the room."]),
    ("Troops moved out at 10 p.m. on Friday night. They returned.",
     ["Troops moved out at 10 p.m. on Friday night.", "They returned."]),
    ("It cost 3.5 million dollars in total. Officials agreed.",
     ["It cost 3.5 million dollars in total.", "Officials agreed."]),
    ("Was it over? Nobody knew! The end.", ["Was it over?", "Nobody knew!", "The end."]),
    ("J. R. Smith met Gen. Jones and Mr. Chen at St. Mary's church.",
     ["J. R. Smith met Gen. Jones and Mr. Chen at St. Mary's church."]),
])
def test_sentence_splitting(text, expected):
    assert [text[s:e] for s, e in sentence_spans(text, 0, len(text))] == expected


@pytest.mark.parametrize("line, prose", [
    ("字号 +", False),
    ("源 稿 窗", False),
    ("WATCH: How Ballistic Missiles work", False),
    ("Jeff Seldin contributed to this report.", True),
    ('"So far, so good!" he said.', True),
    ("", False),
    ("   ", False),
    ("one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen", True),
])
def test_is_prose(line, prose):
    assert is_prose(line) is prose


def test_line_numbers():
    text = "a\nbb\n\nccc"
    starts = line_starts(text)
    assert [line_number(starts, i) for i in range(len(text))] == [1, 1, 2, 2, 2, 3, 4, 4, 4]


def test_empty_and_title_only_documents():
    assert chunk_article("").passages == () and chunk_article("").title == ""
    only = chunk_article("\ufeff\n  Just A Title  \n\n")
    assert only.title == "Just A Title" and only.passages == ()


def test_short_paragraphs_merge_only_across_blank_lines():
    a = "The first short paragraph has exactly eight words."
    b = "The second short paragraph also has eight words."
    merged = chunk_article(f"Title\n\n{a}\n\n{b}\n")
    assert [p.text for p in merged.passages] == [f"{a}\n\n{b}"]
    kept_apart = chunk_article(f"Title\n\n{a}\n字号 +\n{b}\n")
    assert [p.text for p in kept_apart.passages] == [a, b]


def test_hard_wrapped_paragraphs_are_kept():
    """Plain-text and Markdown articles are often wrapped at about 72
    columns: every line of such a paragraph belongs to the prose, and
    sentences run across the line breaks."""
    first = ("The Pentagon said the missiles launched from Iran targeted the Al-Asad base, "
             "located about 60 kilometers west of Baghdad, as well as one in Irbil.")
    second = "An Iraqi security source told CNN that there are casualties among the Iraqis."
    wrapped = textwrap.fill(f"{first} {second}", 72)
    assert "\n" in wrapped
    text = f"Title\n\n{wrapped}\n"
    found = [s.text for p in chunk_article(text).passages for s in p.sentences]
    assert [" ".join(s.split()) for s in found] == [first, second]


def test_a_first_line_that_is_a_sentence_is_text_not_a_title():
    text = "Iran fired missiles at two bases. The Pentagon said so on Wednesday. Nobody was hurt.\n"
    article = chunk_article(text)
    assert article.title == ""
    assert [s.text for p in article.passages for s in p.sentences] == [
        "Iran fired missiles at two bases.", "The Pentagon said so on Wednesday.", "Nobody was hurt."]


def test_a_headline_stays_the_title():
    text = "Iran Fires Missiles at Bases, Pentagon Says\n\nIran fired missiles at two bases early on Wednesday.\n"
    article = chunk_article(text)
    assert article.title == "Iran Fires Missiles at Bases, Pentagon Says"
    assert article.passages[0].text.startswith("Iran fired missiles")
