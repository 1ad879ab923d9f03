"""What the chat shows for an answer, tested without a terminal."""

from __future__ import annotations

import dataclasses

import pytest

from qabot.answering import Answer, Citation, ScoredPassage, ShortAnswer
from qabot.errors import NoArticlesError
from qabot.index.records import Passage, Sentence
from qabot.tui import presenting as p

ARTICLE = (
    "Harbour News\n\n"
    "The cranes were painted orange. Workers liked the colour.\n"
    "The port opened in 1901.\n\n"
    "A second paragraph about ships.\n"
)


def passage_of(article: str, text: str, pid: int, file: str = "harbour.txt", line: int = 3) -> Passage:
    start = article.index(text)
    return Passage(pid, file, "Harbour News", start, start + len(text), line, text, f"h{pid}", 0, 1)


def sentence_of(article: str, text: str, passage: Passage, line: int = 3) -> Sentence:
    start = article.index(text)
    return Sentence(0, passage.id, passage.file, start, start + len(text), line, text)


@pytest.fixture
def answer() -> Answer:
    first = passage_of(ARTICLE, "The cranes were painted orange. Workers liked the colour.\nThe port opened in 1901.", 0)
    second = passage_of(ARTICLE, "A second paragraph about ships.", 1, line=6)
    sentence = sentence_of(ARTICLE, "Workers liked the colour.", first)
    citation = Citation("seeds/harbour.txt", "Harbour News", 3, sentence.start, sentence.end)
    return Answer(
        "Did the workers like it?", sentence, first, citation, 0.91,
        [ScoredPassage(first, "seeds/harbour.txt", 0.8), ScoredPassage(second, "seeds/harbour.txt", 0.3)],
    )


@pytest.fixture
def refusal(answer: Answer) -> Answer:
    return Answer("What is the capital of Peru?", None, None, None, 0.12, answer.passages)


def test_refusal_reads_like_the_library():
    from qabot.cli.render import REFUSAL

    assert p.REFUSAL == REFUSAL


def test_printable_turns_control_characters_into_symbols_one_for_one():
    text = "red \x1b[31mdanger\x1b[0m\tok\x07\x7f\x9b\u202egnp.exe\nnext"
    shown = p.printable(text)
    assert len(shown) == len(text)
    assert "\x1b" not in shown and "\x07" not in shown and "\x9b" not in shown and "\u202e" not in shown
    assert "␛[31mdanger␛[0m" in shown
    assert "\n" in shown
    assert "\n" not in p.printable(text, keep_newlines=False)


def test_printable_leaves_markup_alone():
    text = "[bold]x[/bold] [@click=app.quit]quit[/] [link=http://example.com]l[/link]"
    assert p.printable(text) == text


def test_one_line_and_preview():
    assert p.one_line("  a\n\n b\x1bc  ") == "a b␛c"
    assert p.preview("word " * 50, width=20) == "word word word word…"
    assert len(p.preview("word " * 50, width=20)) == 20


def test_citation_label():
    assert p.citation_label("seeds/file.txt", 21) == "seeds/file.txt:21"


def test_relative_span_trusts_matching_offsets():
    passage = "One. Two three. Four."
    assert p.relative_span(100, passage, 105, 115, "Two three.") == (5, 15)


def test_relative_span_falls_back_to_the_text_then_gives_up():
    passage = "One. Two three. Four."
    assert p.relative_span(100, passage, 90, 99, "Two three.") == (5, 15)
    assert p.relative_span(100, passage, 105, 115, "Missing.") is None


@pytest.mark.parametrize("confidence, level, meter, label", [
    (0.97, "high", "●●●●●", "high confidence, 97%"), (0.85, "high", "●●●●○", "high confidence, 85%"),
    (0.7, "medium", "●●●●○", "medium confidence, 70%"), (0.55, "medium", "●●●○○", "medium confidence, 55%"),
    (0.45, "low", "●●○○○", "low confidence, 45%"),
    (0.04, "low", "○○○○○", "low confidence, 4%"), (1.0, "high", "●●●●●", "high confidence, 100%"),
    (0.997, "high", "●●●●●", "high confidence, 99%"),
])
def test_confidence_indicator(confidence, level, meter, label):
    assert p.confidence_level(confidence) == level
    assert p.confidence_meter(confidence) == meter
    assert p.confidence_label(confidence) == label


def test_present_highlights_the_sentence_inside_its_passage(answer: Answer):
    view = p.present(answer)
    assert not view.refused
    start, end = view.highlight
    assert view.passage_text[start:end] == "Workers liked the colour."
    assert start == answer.sentence.start - answer.passage.start
    assert view.citation == "seeds/harbour.txt:3"
    assert view.title == "Harbour News"
    assert view.confidence_level == "high"


def test_present_lists_only_the_other_passages(answer: Answer):
    view = p.present(answer)
    assert [o.label for o in view.others] == ["seeds/harbour.txt:6"]
    assert view.others[0].target.sentence_text is None


def test_present_targets_the_sentence_in_the_article(answer: Answer):
    target = p.present(answer).target
    assert ARTICLE[target.sentence_start:target.sentence_end] == "Workers liked the colour."
    assert ARTICLE[target.passage_start:target.passage_end] == answer.passage.text
    assert target.file == "harbour.txt"
    assert target.label == "seeds/harbour.txt:3"


def test_present_a_refusal_offers_the_closest_passages(refusal: Answer):
    view = p.present(refusal)
    assert view.refused
    assert view.headline == p.REFUSAL
    assert view.target is None and view.citation is None and view.highlight is None
    assert len(view.others) == 2
    assert view.confidence_level == "low"


def test_present_folds_the_question_onto_one_printable_line(answer: Answer):
    odd = Answer("what\x1b[2J\nnow", answer.sentence, answer.passage, answer.citation, 0.9, [])
    assert p.present(odd).question == "what␛[2J now"


def test_copy_text_has_the_sentence_and_its_citation(answer: Answer, refusal: Answer):
    assert p.copy_text(p.present(answer)) == "Workers liked the colour.\n— seeds/harbour.txt:3 (Harbour News)\n"
    assert p.copy_text(p.present(refusal)) == "Q: What is the capital of Peru?\nA: The article doesn't say.\n"


def test_conversation_markdown(answer: Answer, refusal: Answer):
    markdown = p.conversation_markdown([[p.present(answer), p.present(refusal)]], "Harbour News", "2026-01-02 03:04:05")
    start, end = answer.sentence.start, answer.sentence.end
    assert markdown.startswith("# qabot conversation: Harbour News\n\nExported 2026-01-02 03:04:05.\n")
    assert "## Q: Did the workers like it?\n\n> Workers liked the colour.\n" in markdown
    assert f"Source: `seeds/harbour.txt:3`, characters {start}-{end}: *Harbour News* (high confidence, 91%)" in markdown
    assert "## Q: What is the capital of Peru?\n\n**The article doesn't say.**\n" in markdown
    assert "- `seeds/harbour.txt:6`: A second paragraph about ships." in markdown
    assert markdown.endswith("\n") and not markdown.endswith("\n\n")


def test_conversation_markdown_quotes_every_line_and_drops_escapes(answer: Answer):
    view = p.present(answer)
    odd = p.AnswerView(**{**view.__dict__, "headline": "line one\nline \x1b[31mtwo"})
    markdown = p.conversation_markdown([[odd]], "T", "now")
    assert "> line one\n> line ␛[31mtwo\n" in markdown
    assert "\x1b" not in markdown


def test_conversation_markdown_separates_conversations(answer: Answer, refusal: Answer):
    markdown = p.conversation_markdown([[p.present(answer)], [p.present(refusal)]], "T", "now")
    first, second = markdown.split("\n---\n\n*New conversation*\n\n")
    assert "Did the workers like it?" in first and "capital of Peru" in second


def test_export_name():
    assert p.export_name("20260102-030405") == "qabot-conversation-20260102-030405.md"


def test_heading_for():
    assert p.heading_for(["Harbour News"]) == "Harbour News"
    assert p.heading_for(["A", "B", "C"]) == "3 articles"
    assert p.heading_for(["Bad\x1b[2Jtitle"]) == "Bad␛[2Jtitle"


def test_paragraphs_keep_exact_offsets():
    found = p.paragraphs(ARTICLE)
    assert [x.text for x in found] == [
        "Harbour News",
        "The cranes were painted orange. Workers liked the colour.\nThe port opened in 1901.",
        "A second paragraph about ships.",
    ]
    assert all(ARTICLE[x.start:x.end] == x.text for x in found)


def test_locate_with_offsets_that_still_hold(answer: Answer):
    target = p.present(answer).target
    passage, sentence, exact = p.locate(target, ARTICLE)
    assert exact
    assert ARTICLE[sentence[0]:sentence[1]] == "Workers liked the colour."
    assert passage == (target.passage_start, target.passage_end)


def test_locate_in_an_article_that_changed(answer: Answer):
    target = p.present(answer).target
    edited = "A new first line.\n" + ARTICLE
    passage, sentence, exact = p.locate(target, edited)
    assert not exact
    assert edited[sentence[0]:sentence[1]] == "Workers liked the colour."
    _, gone, _ = p.locate(target, ARTICLE.replace("Workers liked the colour.", "Nobody cared."))
    assert gone is None


def test_build_summary():
    from qabot.index.build import BuildReport

    one = BuildReport(files=1, passages=8, sentences=20, embedded=8, reused=0, removed=0, seconds=1.0, changed=True)
    assert p.build_summary(one) == "Index updated: 1 article, 8 passages (8 embedded, 0 reused)."
    same = BuildReport(2, 1, 1, 0, 1, 0, 0.1, changed=False)
    assert p.build_summary(same) == "The index is already up to date."
    assert p.plural(0, "file") == "0 files"


def test_error_text_is_one_readable_line():
    assert p.error_text(NoArticlesError("no articles in 'seeds'")) == "no articles in 'seeds'"
    assert p.error_text(PermissionError(13, "Permission denied", "seeds/a.txt")) == "seeds/a.txt: Permission denied"
    assert p.error_text(ValueError("bad")) == "unexpected ValueError: bad"
    assert p.error_text(RuntimeError()) == "unexpected RuntimeError"


def with_short(answer: Answer, words: str) -> Answer:
    start = ARTICLE.index(words)
    return dataclasses.replace(answer, short_answer=ShortAnswer(words, start, start + len(words)))


def test_present_places_the_short_answer_inside_the_highlighted_sentence(answer: Answer):
    view = p.present(with_short(answer, "liked the colour"))
    start, end = view.short_highlight
    assert view.passage_text[start:end] == "liked the colour"
    assert view.highlight[0] <= start < end <= view.highlight[1]
    assert (view.target.short_start, view.target.short_end, view.target.short_text) == (
        ARTICLE.index("liked the colour"), ARTICLE.index("liked the colour") + 16, "liked the colour")


def test_present_without_a_short_answer_is_as_before(answer: Answer, refusal: Answer):
    view = p.present(answer)
    assert view.short_highlight is None and view.target.short_text is None
    assert p.present(with_short(refusal, "liked")).short_highlight is None


def test_a_short_answer_outside_its_sentence_is_not_marked(answer: Answer):
    elsewhere = with_short(answer, "The port opened")  # in the passage, not in the sentence
    view = p.present(elsewhere)
    assert view.short_highlight is None and view.target.short_text is None
    blank = dataclasses.replace(answer, short_answer=ShortAnswer("", 40, 40))
    assert p.present(blank).short_highlight is None


def test_short_offsets_that_drifted_are_found_by_text(answer: Answer):
    start = ARTICLE.index("the colour")
    drifted = dataclasses.replace(answer, short_answer=ShortAnswer("the colour", start + 3, start + 13))
    view = p.present(drifted)
    assert view.passage_text[slice(*view.short_highlight)] == "the colour"


def test_locate_short_follows_the_sentence(answer: Answer):
    target = p.present(with_short(answer, "liked the colour")).target
    _, sentence, _ = p.locate(target, ARTICLE)
    assert ARTICLE[slice(*p.locate_short(target, ARTICLE, sentence))] == "liked the colour"
    edited = "A new first line.\n" + ARTICLE
    _, moved, exact = p.locate(target, edited)
    assert not exact
    assert edited[slice(*p.locate_short(target, edited, moved))] == "liked the colour"
    assert p.locate_short(target, ARTICLE, None) is None
    assert p.locate_short(p.present(answer).target, ARTICLE, sentence) is None
