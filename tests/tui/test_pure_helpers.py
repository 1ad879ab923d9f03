"""The small plain modules under the chat: history, file watching, keys, Rich text."""

from __future__ import annotations

import os
from pathlib import Path

from rich.text import Text

from qabot.tui.history import QuestionHistory
from qabot.tui.keys import COMMANDS, key_label
from qabot.tui.styled import SENTENCE, SHORT_ANSWER, assembled, highlighted, literal, passage_with_answer
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


def test_passage_with_answer_marks_the_short_answer_inside_the_sentence():
    shown = passage_with_answer("One. Two three. Four.", (5, 15), (9, 14))
    assert [(s.start, s.end) for s in shown.spans if s.style == SENTENCE] == [(5, 15)]
    assert [shown.plain[s.start:s.end] for s in shown.spans if s.style == SHORT_ANSWER] == ["three"]
    assert passage_with_answer("One. Two three.", (5, 15)).spans == passage_with_answer("One. Two three.", (5, 15), None).spans


def test_assembled_keeps_parts_literal():
    shown = assembled(("[b]", "bold"), " · ", "x\ny", Text("[i]"))
    assert shown.plain == "[b] · x y[i]"


def test_build_progress_says_counts_and_time_left():
    from qabot.tui.presenting import duration_words, embedding_progress

    assert embedding_progress(0, 5000) == "0 of 5,000 texts embedded"
    assert embedding_progress(1200, 5000, 0.01) == "1,200 of 5,000 texts embedded · about 38 s left"
    assert embedding_progress(5000, 5000, 0.01) == "5,000 of 5,000 texts embedded"
    assert duration_words(0.2) == "about 1 s" and duration_words(200) == "about 3 min"
    assert duration_words(4800) == "about 1 h 20 min"


def test_the_article_window_is_whole_lines_around_the_passage():
    from qabot.tui.presenting import paragraphs, window_around

    text = "\n\n".join(f"Line {n} of the article." for n in range(1000))
    start = text.index("Line 500 ")
    low, high = window_around(text, start, start + 10, reach=100)
    assert low < start and high > start + 10 and high - low < 300
    assert low == 0 or text[low - 1] == "\n"
    assert high == len(text) or text[high] == "\n"
    shown = paragraphs(text, low, high)
    assert all(p.text == text[p.start:p.end] and p.text.startswith("Line") for p in shown)
    assert window_around(text, 0, 5, reach=10**9) == (0, len(text))


def test_copy_goes_to_the_tools_installed(tmp_path, monkeypatch):
    from qabot.tui.clipboard import copied_message, copy_with_tools

    tool = tmp_path / "xclip"
    tool.write_text(f"#!/bin/sh\nexec /bin/cat > {tmp_path / 'pasted'}\n")
    tool.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert copy_with_tools("the answer", {"DISPLAY": ":0"}) == ["the X clipboard"]
    assert (tmp_path / "pasted").read_text() == "the answer"
    assert copy_with_tools("the answer", {}) == []  # no display: xclip does not apply
    assert "OSC 52" in copied_message([]) and "xclip" in copied_message([])
    # every tool the copy tries is named where the user is told what to install
    assert all(name in copied_message([]) for name in ("wl-copy", "xclip", "xsel", "pbcopy"))
    assert copied_message(["tmux's paste buffer"]).endswith("to tmux's paste buffer.")


def test_an_article_of_one_huge_line_is_not_laid_out_whole():
    from qabot.tui.presenting import window_around

    text = "word " * 400_000  # 2 MB without a line break
    low, high = window_around(text, 1_000_000, 1_000_010, reach=20_000)
    assert high - low <= 2 * 20_000 + 10
    assert window_around("short line\nand another", 3, 5) == (0, len("short line\nand another"))


def test_the_help_names_the_clipboard_tools_the_readme_lists():
    copy = next(c for c in COMMANDS if c.action == "copy_answer")
    assert all(name in copy.help for name in ("wl-copy", "xclip", "xsel", "pbcopy"))
