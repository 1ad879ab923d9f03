"""The small plain modules under the chat: history, file watching, keys, Rich text."""

from __future__ import annotations

import os
from pathlib import Path

from rich.text import Text

from qabot.tui.history import QuestionHistory
from qabot.tui.keys import COMMANDS, key_label
from qabot.tui.styled import SENTENCE, assembled, highlighted, literal, passage_with_answer
from qabot.tui.watching import seeds_fingerprint


def test_history_recalls_backwards_and_forwards_keeping_the_draft():
    history = QuestionHistory()
    history.add("first")
    history.add("second")
    assert history.previous("draft") == "second"
    assert history.previous("second") == "first"
    assert history.previous("first") is None
    assert history.next() == "second"
    assert history.next() == "draft"
    assert history.next() is None


def test_history_skips_repeats_and_empty_history():
    history = QuestionHistory()
    assert history.previous("") is None
    history.add("same")
    history.add("same")
    assert history.questions == ["same"]


def test_history_is_bounded():
    history = QuestionHistory(limit=3)
    for n in range(5):
        history.add(str(n))
    assert history.questions == ["2", "3", "4"]


def test_fingerprint_notices_changes(tmp_path: Path):
    seeds = tmp_path / "seeds"
    assert seeds_fingerprint(seeds) == {}
    (seeds / "sub").mkdir(parents=True)
    (seeds / "a.txt").write_text("one")
    (seeds / "sub" / "b.md").write_text("two")
    (seeds / "notes.pdf").write_text("ignored")
    (seeds / ".hidden.txt").write_text("ignored")
    first = seeds_fingerprint(seeds)
    assert sorted(first) == ["a.txt", "sub/b.md"]
    assert seeds_fingerprint(seeds) == first
    (seeds / "a.txt").write_text("one more")
    second = seeds_fingerprint(seeds)
    assert second != first
    os.utime(seeds / "sub" / "b.md", ns=(1, 1))
    assert seeds_fingerprint(seeds) != second
    (seeds / "sub" / "b.md").unlink()
    assert sorted(seeds_fingerprint(seeds)) == ["a.txt"]


def test_commands_are_unique_and_named():
    keys = [c.key for c in COMMANDS]
    actions = [c.action for c in COMMANDS]
    assert len(set(keys)) == len(keys) and len(set(actions)) == len(actions)
    assert {"new_conversation", "clear", "copy_answer", "export", "rebuild", "quit", "help"} <= set(actions)
    assert key_label("f1") == "F1" and key_label("ctrl+n") == "ctrl+n"


def test_literal_text_is_never_markup():
    text = "[bold]x[/bold] [@click=app.quit]quit[/] [link=http://example.com]l[/link] \x1b[31mred"
    shown = literal(text)
    assert isinstance(shown, Text)
    assert shown.plain == "[bold]x[/bold] [@click=app.quit]quit[/] [link=http://example.com]l[/link] ␛[31mred"
    assert shown.spans == []


def test_highlighted_styles_spans_by_offset():
    shown = highlighted("abc def ghi", [(4, 7, SENTENCE), (9, 99, "bold")])
    assert shown.plain == "abc def ghi"
    assert [(s.start, s.end) for s in shown.spans] == [(4, 7)]


def test_passage_with_answer_dims_the_context():
    shown = passage_with_answer("One. Two. Three.", (5, 9))
    bright = [s for s in shown.spans if s.style == SENTENCE]
    assert [(s.start, s.end) for s in bright] == [(5, 9)]
    assert passage_with_answer("plain", None).spans == []


def test_assembled_keeps_parts_literal():
    shown = assembled(("[b]", "bold"), " · ", "x\ny", Text("[i]"))
    assert shown.plain == "[b] · x y[i]"
