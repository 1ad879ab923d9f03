"""The article view marks only the cited passage's lines (issue 22, item
12): in the shipped article the first passage starts on line 7, right
under three lines of web-page leftovers (lines 4-6, no blank line between),
which the cited-passage bar used to cover too."""

from __future__ import annotations

import pytest
from support import SHIPPED_ARTICLE, SHIPPED_INDEX
from textual.app import App

from qabot.index.loaded import Index
from qabot.tui.article_screen import ArticleScreen
from qabot.tui.presenting import paragraphs, passage_target

from .conftest import SIZE, screen_text, wait_for

ARTICLE = SHIPPED_ARTICLE.read_text(encoding="utf-8")
JUNK = ARTICLE.splitlines()[3:6]  # lines 4-6


def first_passage():
    passage = min(Index.load(SHIPPED_INDEX).passages, key=lambda p: p.start)
    assert passage.line == 7 and ARTICLE.count("\n", 0, passage.start) == 6
    return passage


@pytest.mark.parametrize("size", [SIZE, (80, 24)])
async def test_only_the_cited_passage_is_marked(size):
    passage = first_passage()
    target = passage_target(passage, f"seeds/{passage.file}:{passage.line}")

    class Host(App):
        def on_mount(self) -> None:
            self.push_screen(ArticleScreen(target, ARTICLE))

    app = Host()
    async with app.run_test(size=size) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ArticleScreen), what="the article")
        await pilot.pause(0.1)
        marked = app.screen.query(".-passage")
        shown = "\n".join(str(widget.render()) for widget in marked)
        assert marked and passage.text.split("\n")[0] in shown
        assert not any(line in shown for line in JUNK)
        # The leftovers are still shown, unmarked, right above the passage (no blank row between).
        app.screen.query_one("#article").scroll_home(animate=False)
        await pilot.pause(0.1)
        rows = screen_text(app).splitlines()
        junk_row = next(n for n, row in enumerate(rows) if JUNK[2] in row)
        bar = [row[:2].strip() for row in rows]  # the passage's bar, left of its text
        assert "PENTAGON" in rows[junk_row + 1] and bar[junk_row + 1]
        assert not any(bar[n] for n, row in enumerate(rows) if any(line in row for line in JUNK))


def test_the_paragraph_is_cut_at_the_passage_lines_and_keeps_every_character():
    passage = first_passage()
    plain = paragraphs(ARTICLE)
    cut = paragraphs(ARTICLE, span=(passage.start, passage.end))
    assert len(cut) == len(plain) + 1
    assert [(p.start, p.text) for p in cut[1:3]] == [
        (ARTICLE.index(JUNK[0]), "\n".join(JUNK)), (passage.start, ARTICLE[passage.start:ARTICLE.index("\n", passage.start)])]
    assert cut[1].joined and not cut[2].joined
    for p in cut:
        assert ARTICLE[p.start:p.end] == p.text
    covered = "".join(ARTICLE[p.start:p.end] for p in cut).replace("\n", "")
    assert covered == "".join(ARTICLE[p.start:p.end] for p in plain).replace("\n", "")


@pytest.mark.parametrize("span", [(10, 14), (7, 12), (0, 3), (15, 22)])
def test_a_span_inside_a_paragraph_gets_its_lines_to_itself(span):
    text = "one\ntwo three\nfour five\nsix"
    found = paragraphs(text, span=span)
    assert "".join(p.text + ("\n" if p.joined else "") for p in found) == text
    holding = [p for p in found if p.start < span[1] and span[0] < p.end]
    assert len(holding) == 1
    assert holding[0].start == text.rfind("\n", 0, span[0]) + 1
