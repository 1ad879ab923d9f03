"""The chat app driven by a Pilot, over small articles and the hashing embedder."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Collapsible, Input, ProgressBar, Static

from qabot.embedding.embedder import HashingEmbedder
from qabot.tui.answer_card import AnswerCard
from qabot.tui.article_screen import ArticleScreen
from qabot.tui.chat_header import ChatHeader
from qabot.tui.help_screen import HelpScreen
from qabot.tui.keys import COMMANDS
from qabot.tui.notice_card import NoticeCard
from qabot.tui.pending_card import PendingCard
from qabot.tui.question_card import QuestionCard
from qabot.tui.question_input import QuestionInput

from .conftest import SIZE, GatedEmbedder, ask, screen_text, settle, wait_for
from .seeds import INJECTION, LIBRARY, VOLCANO, write_seeds

ERUPTED = "The Kelda volcano in northern Iceland erupted on Tuesday morning"
VOLCANO_TITLE = "Mount Kelda Erupts After Two Quiet Centuries"


def cards(app, kind):
    return list(app.query(kind))


def last_answer(app) -> AnswerCard:
    return cards(app, AnswerCard)[-1]


async def ask_and_open(pilot, app, question: str) -> None:
    """Once the index is ready, ask ``question`` and open its answer's article."""
    await settle(pilot)
    await ask(pilot, question)
    await open_the_article(pilot, app)


async def open_the_article(pilot, app) -> None:
    """Open the latest answer's article (ctrl+o) and wait for it."""
    await pilot.press("ctrl+o")
    await wait_for(pilot, lambda: isinstance(app.screen, ArticleScreen), what="the article")


async def test_starts_with_the_question_box_focused_and_the_index_fresh(new_app):
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.focused, QuestionInput)
        await settle(pilot)
        header = app.query_one(ChatHeader)
        assert header.state == "fresh"
        assert header.heading == "2 articles"
        text = screen_text(app)
        assert "qabot · 2 articles" in text and "index: fresh" in text


async def test_a_window_over_a_milvus_store_says_so_and_answers(seeds):
    pytest.importorskip("milvus_lite")
    from qabot.stores import parse_store
    from qabot.tui.app import make_app

    app = make_app(Path("seeds"), Path("index"), embedder=HashingEmbedder(), watch_interval=0,
                   store=parse_store("milvus-lite:./store.db"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "index: fresh · Milvus Lite" in screen_text(app)
        await ask(pilot, "When did the Kelda volcano erupt?")
        assert ERUPTED in screen_text(app)
        app.bot.close()


async def test_the_header_names_a_single_article(workdir, new_app):
    write_seeds(workdir / "one", {"volcano.txt": VOLCANO})
    app = new_app(Path("one"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.query_one(ChatHeader).heading == "Mount Kelda Erupts After Two Quiet Centuries"


async def test_an_answer_shows_the_sentence_highlighted_with_its_citation(new_app):
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await ask(pilot, "When did the Kelda volcano erupt?", typing=True)
        card = last_answer(app)
        view = card.view
        assert not view.refused
        assert view.headline.startswith(ERUPTED)
        assert view.citation == "seeds/volcano.txt:3"
        start, end = view.highlight
        assert view.passage_text[start:end] == view.headline
        text = screen_text(app)
        assert "› When did the Kelda volcano erupt?" in text
        assert "seeds/volcano.txt:3" in text
        assert "confidence, " in text
        assert ERUPTED in text
        # The other passages are folded away until asked for.
        collapsible = card.query_one(Collapsible)
        assert collapsible.collapsed
        assert "Other passages" in text


async def test_other_passages_open_on_request(new_app):
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await ask(pilot, "When did the Kelda volcano erupt?")
        card = last_answer(app)
        await pilot.click(card.query_one("CollapsibleTitle"))
        await pilot.pause()
        assert not card.query_one(Collapsible).collapsed
        assert card.view.others[0].label in screen_text(app)


async def test_a_refusal_looks_different_and_offers_the_closest_passages(new_app):
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await ask(pilot, "Quantum chromodynamics lattice gauge?")
        card = last_answer(app)
        assert card.view.refused
        assert card.has_class("-refused")
        text = screen_text(app)
        assert "The articles don't say." in text  # two articles in this folder
        assert "Closest passages (" in text
        await pilot.press("tab", "enter")  # Enter on a refusal unfolds the closest passages
        await pilot.pause()
        assert not card.query_one(Collapsible).collapsed


async def test_a_follow_up_goes_through_the_conversation(new_app):
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        queries = []
        answerer = app.conversation.answerer
        original = answerer.ask

        def recording(question, k=3, context=None, articles=()):
            queries.append(context)
            return original(question, k=k, context=context, articles=articles)

        answerer.ask = recording
        await ask(pilot, "Who cut the ribbon at the library?")
        await ask(pilot, "How many visitors watched him cut the ribbon?")
        # The follow-up ("him") is asked with the question before it as context.
        assert queries[0] is None
        assert "Who cut the ribbon at the library?" in queries[1]
        # The context finds the sentence (whether the judge then answers with
        # it depends on the test embedder's made-up vectors).
        best = app.conversation.turns[-1].ranked_sentences[0]
        assert (best.file, best.line) == ("library.txt", 3)
        assert len(app.conversation.turns) == 2


async def test_a_new_conversation_forgets_the_context(new_app):
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await ask(pilot, "Who cut the ribbon at the library?")
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert app.conversation.turns == []
        assert cards(app, NoticeCard)[-1].kind == "divider"
        assert len(cards(app, AnswerCard)) == 1  # the old answer stays on screen
        await ask(pilot, "Who paid for the garden?")
        assert len(app.conversation.turns) == 1


async def test_clear_empties_the_window(new_app):
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await ask(pilot, "Who paid for the garden?")
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert cards(app, AnswerCard) == [] and cards(app, QuestionCard) == []
        assert app.conversation.turns == [] and app.answers == []
        await ask(pilot, "Who paid for the garden?")
        assert len(cards(app, AnswerCard)) == 1


async def test_enter_on_an_answer_opens_the_article_at_the_sentence(new_app):
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await ask(pilot, "When will the flights resume?")
        card = last_answer(app)
        card.focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ArticleScreen), what="the article")
        screen = app.screen
        start, end = screen.sentence
        assert screen.article[start:end] == card.view.headline
        assert screen.exact
        text = screen_text(app)
        assert "seeds/volcano.txt:7" in text
        assert "authority said flights would resume" in text
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ArticleScreen)


async def test_a_click_on_an_answer_opens_the_article(new_app):
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await ask(pilot, "When did the Kelda volcano erupt?")
        await pilot.click(last_answer(app).query_one("#passage"))
        await wait_for(pilot, lambda: isinstance(app.screen, ArticleScreen), what="the article")
        assert ERUPTED in screen_text(app)


async def test_the_article_scrolls_to_a_passage_far_down(workdir, new_app):
    filler = "\n\n".join(f"Paragraph {n} talks about nothing in particular at all today." for n in range(60))
    write_seeds(workdir / "long", {"long.txt": "A Long Article\n\n" + filler + "\n\nThe treasure is buried under the old oak tree.\n"})
    app = new_app(Path("long"))
    async with app.run_test(size=SIZE) as pilot:
        await ask_and_open(pilot, app, "Where is the treasure buried?")
        assert "treasure" in last_answer(app).view.headline
        await pilot.pause(0.1)
        assert app.screen.query_one("#article").scroll_y > 0
        assert "The treasure is buried under the old oak tree." in screen_text(app)


async def test_a_web_page_opens_as_the_text_taken_out_of_it(workdir, new_app):
    pages = Path(__file__).resolve().parent.parent / "pages"
    (workdir / "pages").mkdir()
    (workdir / "pages" / "bridge.html").write_bytes((pages / "riverton-bridge.html").read_bytes())
    app = new_app(Path("pages"))
    async with app.run_test(size=SIZE) as pilot:
        await ask_and_open(pilot, app, "When was the stone-and-steel Old Bridge built?")
        assert "pages/bridge.html" in last_answer(app).view.citation
        assert app.screen.exact
        text = screen_text(app)
        assert "the text taken out of the web page" in text
        assert "built in 1887" in text and "<p>" not in text and "Most read" not in text


async def test_an_article_changed_since_indexing_still_opens(new_app, workdir):
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await ask(pilot, "When did the Kelda volcano erupt?")
        path = workdir / "seeds" / "volcano.txt"
        path.write_text("An added first line here.\n" + path.read_text())
        await open_the_article(pilot, app)
        assert not app.screen.exact
        assert "changed since the index was built" in screen_text(app)


async def test_an_article_that_vanished_is_a_notification_not_a_crash(new_app, workdir):
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await ask(pilot, "When did the Kelda volcano erupt?")
        (workdir / "seeds" / "volcano.txt").unlink()
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert not isinstance(app.screen, ArticleScreen)
        assert any("Cannot open the article" in n.title for n in app._notifications)


async def test_copy_puts_the_answer_and_its_citation_on_the_clipboard(new_app):
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await ask(pilot, "Who paid for the garden?")
        await pilot.press("ctrl+y")
        assert app.clipboard == (
            "The garden cost nine hundred thousand dollars, paid for by a donation from a local bookseller.\n"
            "— seeds/library.txt:5 (City Library Opens New Reading Garden)\n"
        )


async def test_export_writes_markdown_with_citations(new_app, workdir):
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await ask(pilot, "Who paid for the garden?")
        await ask(pilot, "Quantum chromodynamics lattice gauge?")
        await pilot.press("ctrl+s")
        await pilot.pause()
        files = sorted((workdir / "exports").glob("qabot-conversation-*.md"))
        assert len(files) == 1
        assert len(files[0].stem) == len("qabot-conversation-YYYYmmdd-HHMMSS")
        markdown = files[0].read_text()
        assert "## Q: Who paid for the garden?" in markdown
        assert "Source: `seeds/library.txt:5`" in markdown
        assert "**The articles don't say.**" in markdown
        assert any(files[0].name in n.message for n in app._notifications)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert len(list((workdir / "exports").glob("qabot-conversation-*.md"))) == 2


async def test_notifications_show_paths_literally(tmp_path, monkeypatch, new_app):
    odd = tmp_path / "x[bold]y"
    odd.mkdir()
    write_seeds(odd / "seeds", {"volcano.txt": VOLCANO})
    monkeypatch.chdir(odd)
    app = new_app(Path("seeds"))
    app.exports = Path("saved[bold]here")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await ask(pilot, "When did the Kelda volcano erupt?")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen.query("Toast"), what="the toast")
        toast = str(app.screen.query_one("Toast").render())
        assert "saved[bold]here/qabot-conversation-" in toast.replace("\n", "")
        assert len(list((odd / "saved[bold]here").glob("qabot-conversation-*.md"))) == 1


async def test_up_and_down_recall_earlier_questions(new_app):
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await ask(pilot, "Who paid for the garden?")
        await ask(pilot, "When will the flights resume?")
        box = app.query_one(QuestionInput)
        await pilot.press(*"draft")
        await pilot.press("up")
        assert box.value == "When will the flights resume?"
        await pilot.press("up")
        assert box.value == "Who paid for the garden?"
        await pilot.press("down", "down")
        assert box.value == "draft"


async def test_help_lists_every_command_and_escape_closes_it(new_app):
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        for command in COMMANDS:
            assert command.help[:40] in text
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
        assert isinstance(app.focused, Input)


async def test_every_command_is_in_the_footer_and_the_palette(new_app):
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        footer = screen_text(app).splitlines()[-1]
        for command in COMMANDS:
            assert command.label in footer
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {c.title for c in COMMANDS} <= titles


async def test_the_palette_runs_a_command(new_app):
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"New conversation")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_for(pilot, lambda: any(c.kind == "divider" for c in cards(app, NoticeCard)), what="a divider")


async def test_a_question_asked_while_loading_is_answered_when_ready(new_app):
    embedder = GatedEmbedder()
    embedder.close()  # the first build waits at the gate
    app = new_app(embedder=embedder)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"Who paid for the garden?")
        await pilot.press("enter")
        await pilot.pause()
        assert not app.ready
        assert app.query_one(ChatHeader).state in ("loading", "updating")
        assert "Waiting for the index" in str(cards(app, PendingCard)[0].render())
        embedder.open()
        await settle(pilot)
        assert last_answer(app).view.citation == "seeds/library.txt:5"
        assert app.query_one(ChatHeader).state == "fresh"


async def test_rebuild_keeps_the_old_index_answering_and_shows_progress(new_app, workdir):
    embedder = GatedEmbedder()
    app = new_app(embedder=embedder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        write_seeds(workdir / "seeds", {"harbour.txt": INJECTION})
        embedder.close()
        await pilot.press("ctrl+r")
        await wait_for(pilot, embedder.waiting.is_set, what="the rebuild to start")
        assert app.query_one(ChatHeader).state == "updating"
        assert app.query_one("#build-bar", ProgressBar).display
        assert app.query_one("#build").building
        await wait_for(pilot, lambda: " texts embedded" in str(app.query_one("#build-label").render()),
                       what="the counts of texts to embed")
        assert "0 of " in str(app.query_one("#build-label").render())
        # Meanwhile the old index answers.
        await pilot.press(*"Who paid for the garden?")
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(cards(app, AnswerCard)) == 1, what="an answer during the rebuild")
        assert last_answer(app).view.citation == "seeds/library.txt:5"
        embedder.open()
        await settle(pilot)
        assert app.query_one(ChatHeader).state == "fresh"
        assert app.query_one(ChatHeader).heading == "3 articles"
        assert not app.query_one("#build").building
        await ask(pilot, "What colour were the harbour cranes painted?")
        assert last_answer(app).view.citation == "seeds/harbour.txt:3"


async def test_changed_articles_are_noticed_and_reindexed(new_app, workdir):
    app = new_app(watch_interval=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        write_seeds(workdir / "seeds", {"harbour.txt": INJECTION})
        await wait_for(pilot, lambda: app.query_one(ChatHeader).heading == "3 articles", what="the new article")
        await settle(pilot)
        assert app.query_one(ChatHeader).state == "fresh"
        await ask(pilot, "What colour were the harbour cranes painted?")
        assert last_answer(app).view.citation == "seeds/harbour.txt:3"


async def test_markup_and_escapes_in_articles_show_literally(workdir, new_app):
    write_seeds(workdir / "harbour", {"harbour.txt": INJECTION})
    app = new_app(Path("harbour"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await ask(pilot, "What colour were the harbour cranes painted?")
        card = last_answer(app)
        text = screen_text(app)
        for literal in ("[bold]x[/bold]", "[@click=app.quit]quit[/]", "[link=http://example.com]l[/link]",
                        "␛[31mred danger␛[0m"):
            assert literal in text
        assert "\x1b" not in card.query_one("#passage", Static).render().plain
        # Clicking the text that holds [@click=app.quit] opens the article instead of quitting.
        await pilot.click(card.query_one("#passage"), offset=(30, 2))
        await wait_for(pilot, lambda: isinstance(app.screen, ArticleScreen), what="the article")
        article = screen_text(app)
        assert "[@click=app.quit]quit[/]" in article and "␛[31mred danger␛[0m" in article
        await pilot.click(app.screen.query_one("#article"), offset=(30, 3))
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running
        assert app.return_code is None


async def test_markup_in_a_question_shows_literally(new_app):
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await ask(pilot, "[bold]Who[/bold] paid [@click=app.quit]for[/] the garden?", typing=True)
        text = screen_text(app)
        assert "› [bold]Who[/bold] paid [@click=app.quit]for[/] the garden?" in text
        await pilot.click(cards(app, QuestionCard)[-1])
        await pilot.pause()
        assert app.is_running


async def test_no_articles_is_a_readable_message_and_adding_one_recovers(workdir, new_app):
    (workdir / "empty").mkdir()
    app = new_app(Path("empty"), watch_interval=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.query_one(ChatHeader).state == "no-articles"
        assert "no articles" in screen_text(app).splitlines()[0]
        notice = cards(app, NoticeCard)[-1]
        assert notice.kind == "error" and "no articles in 'empty'" in notice.message
        await ask(pilot, "Anyone there?")
        assert "Cannot answer: no articles" in cards(app, NoticeCard)[-1].message
        assert "Traceback" not in screen_text(app)
        write_seeds(workdir / "empty", {"volcano.txt": VOLCANO})
        await wait_for(pilot, lambda: app.ready, what="the retry once an article is there")
        await settle(pilot)
        assert cards(app, NoticeCard)[-1].message == "The index is ready now: ask away."
        assert (app.query_one(ChatHeader).state, app.query_one(ChatHeader).heading) == ("fresh", VOLCANO_TITLE)
        await ask(pilot, "When did the Kelda volcano erupt?")
        assert last_answer(app).view.citation == "empty/volcano.txt:3"


async def test_the_header_says_no_articles_when_a_question_finds_the_last_one_gone(workdir, new_app):
    """The last article moved out while the window is open (not watching):
    the question says there are no articles, and so does the header, not
    "fresh" with the title of the article that is gone."""
    write_seeds(workdir / "one", {"volcano.txt": VOLCANO})
    app = new_app(Path("one"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        header = app.query_one(ChatHeader)
        assert (header.state, header.heading) == ("fresh", VOLCANO_TITLE)
        (workdir / "one" / "volcano.txt").rename(workdir / "volcano.txt")
        await ask(pilot, "When did the Kelda volcano erupt?")
        assert "no articles in 'one'" in cards(app, NoticeCard)[-1].message
        assert (header.state, header.heading) == ("no-articles", "")
        text = screen_text(app)
        top = text.splitlines()[0]
        assert "no articles" in top and "fresh" not in top
        assert VOLCANO_TITLE not in text


async def test_the_header_follows_the_last_article_going_and_coming_back(workdir, new_app):
    write_seeds(workdir / "one", {"volcano.txt": VOLCANO})
    app = new_app(Path("one"), watch_interval=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        header = app.query_one(ChatHeader)
        (workdir / "one" / "volcano.txt").rename(workdir / "volcano.txt")
        await wait_for(pilot, lambda: header.state == "no-articles", what="the header to say no articles")
        await settle(pilot)
        assert header.heading == "" and VOLCANO_TITLE not in screen_text(app)
        notice = cards(app, NoticeCard)[-1]
        assert "no articles in 'one'" in notice.message and "still answers" not in notice.message
        await ask(pilot, "When did the Kelda volcano erupt?")
        assert "no articles in 'one'" in cards(app, NoticeCard)[-1].message
        assert header.state == "no-articles"
        (workdir / "volcano.txt").rename(workdir / "one" / "volcano.txt")
        await wait_for(pilot, lambda: header.state == "fresh", what="the article to be back")
        await settle(pilot)
        assert header.heading == VOLCANO_TITLE
        await ask(pilot, "When did the Kelda volcano erupt?")
        assert last_answer(app).view.citation == "one/volcano.txt:3"


async def test_a_missing_seeds_folder_is_a_readable_message(new_app):
    app = new_app(Path("nowhere"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "seeds folder 'nowhere' not found" in cards(app, NoticeCard)[-1].message


async def test_an_unreadable_article_is_skipped_by_name_and_indexed_once_fixed(workdir, new_app):
    write_seeds(workdir / "bad", {"volcano.txt": VOLCANO})
    (workdir / "bad" / "broken.txt").write_bytes(LIBRARY.encode("utf-8") + "Caf\u00e9 note.\n".encode("latin-1"))
    app = new_app(Path("bad"), watch_interval=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        header = app.query_one(ChatHeader)
        assert (header.state, header.heading) == ("fresh", VOLCANO_TITLE)
        notice = cards(app, NoticeCard)[-1]
        assert notice.kind == "error"
        assert notice.message.startswith("Skipped bad/broken.txt: not valid UTF-8 (byte ")
        await ask(pilot, "When did the Kelda volcano erupt?")
        assert last_answer(app).view.citation == "bad/volcano.txt:3"
        (workdir / "bad" / "broken.txt").write_text(LIBRARY, encoding="utf-8")
        await wait_for(pilot, lambda: header.heading == "2 articles", what="the fixed article")
        await settle(pilot)
        await ask(pilot, "Who paid for the garden?")
        assert last_answer(app).view.citation == "bad/broken.txt:5"
        assert not any("Skipped" in card.message for card in cards(app, NoticeCard)[1:])


async def test_a_failed_rebuild_keeps_the_old_index(new_app, workdir, monkeypatch):
    def refuse(folder):
        raise PermissionError(13, "Permission denied", str(folder) + ".qabot-new-1")

    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        monkeypatch.setattr("qabot.index.build.new_folder", refuse)
        write_seeds(workdir / "seeds", {"harbour.txt": INJECTION})
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert app.query_one(ChatHeader).state == "stale"
        assert "Cannot update the index" in cards(app, NoticeCard)[-1].message
        await ask(pilot, "Who paid for the garden?")
        assert last_answer(app).view.citation == "seeds/library.txt:5"


async def test_an_empty_question_is_ignored_and_a_wordless_one_explained(new_app):
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("space", "enter")
        await settle(pilot)
        assert cards(app, QuestionCard) == []
        await ask(pilot, "???")
        assert "the question is empty" in cards(app, NoticeCard)[-1].message


async def test_typing_on_a_selected_answer_goes_to_the_question_box(new_app):
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await ask(pilot, "Who paid for the garden?")
        last_answer(app).focus()
        await pilot.press("W", "h", "o")
        assert isinstance(app.focused, QuestionInput)
        assert app.focused.value == "Who"


async def test_export_keeps_every_conversation_on_screen(new_app, workdir):
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await ask(pilot, "Who paid for the garden?")
        await pilot.press("ctrl+n")
        await ask(pilot, "When will the flights resume?")
        await pilot.press("ctrl+s")
        await pilot.pause()
        markdown = next((workdir / "exports").glob("qabot-conversation-*.md")).read_text()
        assert markdown.index("Who paid for the garden?") < markdown.index("*New conversation*")
        assert markdown.index("*New conversation*") < markdown.index("When will the flights resume?")


async def test_rebuild_from_scratch_re_embeds_everything(new_app):
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.action_rebuild_from_scratch()
        await settle(pilot)
        report = app.bot.last_build
        assert report.changed and report.reused == 0
        assert app.query_one(ChatHeader).state == "fresh"


async def test_copy_and_open_with_nothing_to_show_are_gentle(new_app):
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+y", "ctrl+o", "ctrl+s")
        await pilot.pause()
        assert [n.severity for n in app._notifications] == ["warning"] * 3
        assert app.is_running


async def test_a_huge_article_opens_with_only_the_text_around_the_citation_laid_out(new_app):
    """A 20 MB article: the view lays out a stretch around the passage,
    not every paragraph, and widens it on request; quit still works."""
    from textual.app import App

    from qabot.tui.presenting import ARTICLE_REACH, ArticleTarget

    paragraph = "The harbour committee met again and talked about the weather for a long while. " * 3
    middle = "The treasure is buried under the old oak tree."
    article = "Huge\n\n" + "\n\n".join([paragraph] * 40_000) + "\n\n" + middle + "\n\n" + \
        "\n\n".join([paragraph] * 40_000) + "\n"
    start = article.index(middle)
    target = ArticleTarget("huge.txt", "seeds/huge.txt:3", "Huge", 3, start, start + len(middle), middle,
                           start, start + len(middle), middle)

    class Host(App):
        def on_mount(self) -> None:
            self.push_screen(ArticleScreen(target, article))

    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ArticleScreen), what="the article")
        await pilot.pause(0.1)
        screen = app.screen
        laid_out = len(screen.query(".paragraph"))
        assert laid_out < 2 * ARTICLE_REACH // len(paragraph) + 3
        assert middle in screen_text(app)
        assert screen.query_one("#earlier") and screen.query_one("#later")
        await pilot.press("ctrl+down")
        await pilot.pause(0.1)
        assert laid_out < len(screen.query(".paragraph")) < 2 * laid_out
        await pilot.press("ctrl+up")
        await pilot.pause(0.1)
        low, high = screen.shown
        assert low < start - ARTICLE_REACH and high > start + ARTICLE_REACH
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert not app.is_running


async def test_tab_from_the_question_box_goes_to_the_newest_answer(new_app):
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await ask(pilot, "Who paid for the garden?")
        await ask(pilot, "When will the flights resume?")
        await ask(pilot, "When did the Kelda volcano erupt?")
        assert isinstance(app.focused, QuestionInput)
        await pilot.press("tab")
        await pilot.pause()
        assert app.focused is last_answer(app)


async def test_the_key_bar_fits_narrow_screens_with_whole_entries(new_app):
    from qabot.tui.key_bar import KeyBar

    app = new_app()
    async with app.run_test(size=(60, 24)) as pilot:
        await settle(pilot)
        bar = screen_text(app).splitlines()[-1]
        assert "Help" in bar and "Quit" in bar and len(bar.rstrip()) <= 60
        for command in COMMANDS:  # a key is never shown without its label
            key = "^" + command.key[5:] if command.key.startswith("ctrl+") else command.key.upper()
            assert (key in bar) == (f"{key} {command.label}" in bar)
        assert app.query_one(KeyBar)


async def test_the_palette_speaks_only_of_qabot(new_app):
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Quit" in titles and "Maximize" not in titles and "Keys" not in titles
        assert not any("as soon as possible" in c.help for c in app.get_system_commands(app.screen))


async def test_notifications_never_cover_the_question_box(new_app):
    app = new_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        app.notify("A notice long enough to need two lines of the toast to say all that it says here.")
        await wait_for(pilot, lambda: app.screen.query("Toast"), what="the toast")
        await pilot.pause()
        toast = app.screen.query_one("Toast").region
        box = app.query_one(QuestionInput).region
        assert toast.bottom <= box.y
