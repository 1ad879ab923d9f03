"""The chat window: ask about the articles, read cited answers.

The window opens at once and takes typing; the index and the model load in
a thread, and a question asked meanwhile waits its turn. Questions are
answered one at a time, in order, in a thread, so the window never blocks.
The articles are watched while the app runs; when they change the index is
rebuilt in a thread while the old one keeps answering.
"""

from __future__ import annotations

from collections import deque
from datetime import datetime
from itertools import count
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from rich.markup import escape
from textual import events, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from qabot.printable import one_line
from qabot.tui.answer_card import AnswerCard
from qabot.tui.article_choice import ArticleChoice
from qabot.tui.article_screen import ArticleScreen
from qabot.tui.build_status import BuildStatus
from qabot.tui.chat_header import ChatHeader
from qabot.tui.clipboard import copied_message, copy_with_tools
from qabot.tui.help_screen import HelpScreen
from qabot.tui.key_bar import KeyBar
from qabot.tui.keys import COMMANDS, PALETTE_COMMANDS, chat_keys
from qabot.tui.messages import (
    Answered,
    AnswerFailed,
    BotFailed,
    BotReady,
    BuildProgressed,
    IndexNotice,
    LatestAnswerWanted,
    OpenArticle,
    QuestionSubmitted,
    RebuildFailed,
    RebuildFinished,
)
from qabot.tui.notice_card import NoticeCard
from qabot.tui.pending_card import PendingCard
from qabot.tui.presenting import (
    AnswerView,
    build_summary,
    conversation_markdown,
    copy_text,
    error_text,
    export_name,
    heading_for,
    limit_heading,
    present,
)
from qabot.tui.question_card import QuestionCard
from qabot.tui.question_input import QuestionInput
from qabot.tui.threads import run_without_waiting
from qabot.tui.transcript import Transcript
from qabot.tui.watching import Fingerprint, seeds_fingerprint

if TYPE_CHECKING:
    from qabot.bot import Bot
    from qabot.conversation import Conversation
    from qabot.embedding.embedder import Embedder
    from qabot.stores import StoreAddress

# Seconds between two looks at the articles' modification times and sizes.
WATCH_INTERVAL = 2.0
# Where ctrl+s saves conversations (ignored by git in the project).
DEFAULT_EXPORTS = Path("exports")
HINT_LOADING = "Loading the index… you can already type a question."
HINT_READY = ("Ask anything about {what}. Each answer quotes one sentence and cites its file and line; "
              "click an answer (or press ctrl+o) to read it in the article. F1 shows the keys.")
HINT_NO_ARTICLES = ("There are no articles in {seeds} now: add .txt, .md or .html files there, and qabot "
                    "indexes them as soon as they appear.")
# Actions that act on the chat, so only while the chat is the screen shown.
CHAT_ACTIONS = frozenset(c.action for c in COMMANDS + PALETTE_COMMANDS) - {"help", "quit"} | {"scroll_transcript"}


class QabotApp(App):
    """Chat over the articles in ``seeds``, indexed in ``index``."""

    CSS_PATH = "app.tcss"
    TITLE = "qabot"
    BINDINGS = [
        Binding(c.key, c.action, c.label, tooltip=c.help, priority=c.action == "quit")
        for c in COMMANDS
    ] + [
        Binding("pageup", "scroll_transcript(-1)", "Scroll up", show=False),
        Binding("pagedown", "scroll_transcript(1)", "Scroll down", show=False),
    ]

    def __init__(self, seeds: Path, index: Path, embedder: "Embedder | None" = None,
                 watch_interval: float = WATCH_INTERVAL, exports: Path = DEFAULT_EXPORTS,
                 store: "StoreAddress | None" = None, min_confidence: float | None = None,
                 articles: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.store = store
        # The articles (names in the seeds folder) questions are limited to; () for all.
        self.articles = tuple(articles)
        self.min_confidence = min_confidence
        self.exports = Path(exports)
        self.seeds = Path(seeds)
        self.index_folder = Path(index)
        self.embedder = embedder
        self.watch_interval = watch_interval
        self.bot: Bot | None = None
        self.conversation: Conversation | None = None
        self.load_error: str | None = None
        self.loading = False
        self.rebuilding = False
        self._rebuild_again = False
        self._seen: Fingerprint | None = None
        self._tickets = count(1)
        self._queue: deque[tuple[int, str]] = deque()
        self._cards: dict[int, PendingCard] = {}
        self._answering: int | None = None
        # The answers on screen (since the last clear), one list per conversation.
        self.conversations: list[list[AnswerView]] = [[]]
        self.heading = ""

    # ----- layout -----

    def compose(self) -> ComposeResult:
        yield ChatHeader()
        yield Transcript(HINT_LOADING, id="transcript")
        yield BuildStatus(id="build")
        yield QuestionInput(id="question")
        yield KeyBar(chat_keys())

    def on_mount(self) -> None:
        if self.store is not None:
            self.header.store = "Milvus Lite" if self.store.lite else "Milvus"
        self.query_one(QuestionInput).focus()
        self.start_loading()
        if self.watch_interval > 0:
            self.set_interval(self.watch_interval, self.poll_seeds, name="watch-seeds")

    @property
    def header(self) -> ChatHeader:
        return self.query_one(ChatHeader)

    @property
    def transcript(self) -> Transcript:
        return self.query_one(Transcript)

    @property
    def build_status(self) -> BuildStatus:
        return self.query_one(BuildStatus)

    @property
    def ready(self) -> bool:
        return self.bot is not None

    @property
    def busy(self) -> bool:
        """True while loading, answering or rebuilding (tests wait on it)."""
        return self.loading or self.rebuilding or self._answering is not None or bool(self._queue)

    def on_key(self, event: events.Key) -> None:
        """Typing while an answer is selected goes to the question box."""
        box = self.query_one(QuestionInput)
        on_chat = self.screen is self.screen_stack[0]
        if event.is_printable and event.character and on_chat and self.focused is not box:
            event.stop()
            box.focus()
            box.insert_text_at_cursor(event.character)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Chat commands only apply (and only show) while the chat is shown."""
        if action in CHAT_ACTIONS and len(self.screen_stack) > 1:
            return False
        return True

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for command in COMMANDS:
            if command.action != "quit":
                yield SystemCommand(command.title, command.help, getattr(self, f"action_{command.action}"))
        for command in PALETTE_COMMANDS:
            yield SystemCommand(command.title, command.help, getattr(self, f"action_{command.action}"))
        yield SystemCommand("Rebuild the index from scratch", "Re-embed every passage, changed or not.",
                            self.action_rebuild_from_scratch)
        yield SystemCommand("Quit", "Leave qabot.", self.exit)

    # ----- loading -----

    def start_loading(self) -> None:
        self.loading = True
        self.header.state = "loading"
        self._seen = seeds_fingerprint(self.seeds)
        self.load_bot()

    @work(thread=True, group="load", exclusive=True, exit_on_error=False)
    def load_bot(self) -> None:
        """Open the index (building it if needed) and load the model."""
        try:
            from qabot.bot import Bot
            from qabot.embedding.embedder import BundledModel

            if self.embedder is None:
                self.embedder = BundledModel()
            bot = Bot.open(
                self.seeds, self.index_folder, embedder=self.embedder,
                notice=lambda message: self.post_message(IndexNotice(message)),
                progress=self._progress, store=self.store,
            )
            bot.embedder.encode(["qabot is warming up"])  # load the model now, not on the first question
        except Exception as error:  # shown in the window, never as a traceback
            self.log.error(repr(error))
            self.post_message(BotFailed(error_text(error)))
        else:
            self.post_message(BotReady(bot))

    def _progress(self, stage: str, done: int, total: int) -> None:
        self.post_message(BuildProgressed(stage, done, total))

    def on_index_notice(self, message: IndexNotice) -> None:
        self.header.state = "updating"
        self.build_status.start(message.message[:1].upper() + message.message[1:])

    def on_latest_answer_wanted(self, message: LatestAnswerWanted) -> None:
        answers = list(self.transcript.query(AnswerCard))
        if answers:
            answers[-1].focus(scroll_visible=False)
            self.transcript.scroll_to_widget(answers[-1], animate=False, top=False)
        else:
            self.screen.focus_next()

    def on_build_progressed(self, message: BuildProgressed) -> None:
        self.build_status.advance(message.done, message.total)

    async def on_bot_ready(self, message: BotReady) -> None:
        recovered = self.load_error is not None
        self.loading = False
        self.load_error = None
        self.bot = message.bot
        self.conversation = self.bot.conversation()
        self.build_status.finish()
        self._show_index_state()
        await self._tell_skipped(self.bot.last_build)
        if self.bot.stale_because:
            await self.transcript.add(NoticeCard(
                f"Cannot update the index: {self.bot.stale_because}. The previous index answers; "
                "fix this and qabot will try again (or press ctrl+r).", "error",
            ))
        elif recovered:
            await self.transcript.add(NoticeCard("The index is ready now: ask away.", "info"))
        self._pump()

    async def on_bot_failed(self, message: BotFailed) -> None:
        self.loading = False
        self.load_error = message.message
        self.build_status.finish()
        self.header.state = "unavailable" if seeds_fingerprint(self.seeds) else "no-articles"
        self.transcript.set_hint("qabot cannot answer yet.")
        await self.transcript.add(NoticeCard(
            f"Cannot open the index: {message.message}. Fix this and press ctrl+r to try again "
            "(qabot also retries when the articles change).", "error",
        ))
        self._pump()

    def _show_index_state(self) -> None:
        """Say in the header (and the hint) what is true now: the seeds
        folder holds no articles, or the index is fresh or stale, with the
        titles of its articles."""
        if not seeds_fingerprint(self.seeds):  # the index still holds articles that are gone
            self.header.state = "no-articles"
            self.heading = self.header.heading = ""
            self.transcript.set_hint(HINT_NO_ARTICLES.format(seeds=repr(str(self.seeds))))
            return
        self.header.state = "stale" if self.bot.stale_because else "fresh"
        self._show_heading()

    async def _tell_skipped(self, report) -> None:
        """Name the articles a build left out (``report``, a BuildReport or
        None), and why: every build says it again until they are fixed."""
        skipped = report.skipped_files if report is not None else ()
        if not skipped:
            return
        lines = "\n".join(f"Skipped {file}." for file in skipped)
        await self.transcript.add(NoticeCard(lines, "error" if any(f.unreadable for f in skipped) else "info"))

    def _show_heading(self) -> None:
        titles = self.bot.answerer.index.file_titles.values()
        self.heading = heading_for(titles)
        self.header.heading = self.heading
        self._show_limit()

    # ----- questions and answers -----

    async def on_question_submitted(self, message: QuestionSubmitted) -> None:
        ticket = next(self._tickets)
        card = PendingCard(waiting=not self.ready)
        self._cards[ticket] = card
        self._queue.append((ticket, message.question))
        await self.transcript.add(QuestionCard(message.question), card)
        self._pump()

    def _pump(self) -> None:
        """Start answering the next question, if the bot is free."""
        if not self.ready:
            if not self.loading:  # loading failed: say so for each waiting question
                while self._queue:
                    ticket, _ = self._queue.popleft()
                    self.post_message(AnswerFailed(ticket, f"Cannot answer: {self.load_error}"))
            return
        if self._answering is not None or not self._queue:
            return
        ticket, question = self._queue.popleft()
        self._answering = ticket
        card = self._cards.get(ticket)
        if card is not None:
            card.searching()
        self.answer_question(ticket, question, self.conversation)

    @work(thread=True, group="answer", exit_on_error=False)
    def answer_question(self, ticket: int, question: str, conversation: "Conversation") -> None:
        from qabot.answering.answer import declined_below

        try:
            answer = declined_below(conversation.ask(question, articles=self.articles), self.min_confidence)
        except Exception as error:
            self.post_message(AnswerFailed(ticket, error_text(error)))
        else:
            self.post_message(Answered(ticket, answer))

    async def on_answered(self, message: Answered) -> None:
        card = self._finish(message.ticket)
        if card is not None:
            try:
                view = present(message.answer)
            except Exception as error:  # a readable line, never a traceback
                self.log.error(repr(error))
                await self.transcript.replace(card, NoticeCard(error_text(error), "error", reply=True))
            else:
                self.conversations[-1].append(view)
                await self.transcript.replace(card, AnswerCard(view))
        self._pump()

    async def on_answer_failed(self, message: AnswerFailed) -> None:
        card = self._finish(message.ticket)
        if card is not None:
            await self.transcript.replace(card, NoticeCard(message.message, "error", reply=True))
        self._pump()

    def _finish(self, ticket: int) -> PendingCard | None:
        if self._answering == ticket:
            self._answering = None
        if self.header.state == "updating" and not (self.rebuilding or self.loading):
            # The question found the index damaged or behind, and the bot
            # rebuilt it first (or tried to: the articles may be gone).
            self.build_status.finish()
            self._show_index_state()  # the rebuilt index may hold other articles
        return self._cards.pop(ticket, None)

    # ----- citations -----

    def on_open_article(self, message: OpenArticle) -> None:
        try:
            text = self.bot.article_text(message.target.file)
        except Exception as error:
            self.notify(escape(error_text(error)), title="Cannot open the article", severity="error")
            return
        self.push_screen(ArticleScreen(message.target, text))

    # ----- commands -----

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
        else:
            self.push_screen(HelpScreen())

    @property
    def answers(self) -> list[AnswerView]:
        """Every answer on screen, oldest first."""
        return [view for conversation in self.conversations for view in conversation]

    async def action_new_conversation(self) -> None:
        self._new_conversation()
        divider = NoticeCard("New conversation: the next question does not follow on.", "divider")
        await self.transcript.add(divider)

    async def action_clear(self) -> None:
        self._new_conversation()
        self.conversations = [[]]
        for ticket, _ in self._queue:
            self._cards.pop(ticket, None)
        self._queue.clear()
        self._cards.clear()
        await self.transcript.clear()

    def _new_conversation(self) -> None:
        if self.bot is not None:
            self.conversation = self.bot.conversation()
        if self.conversations[-1]:
            self.conversations.append([])

    def action_limit_articles(self) -> None:
        """Choose the article questions are asked about, or all again."""
        if self.bot is None:
            self.notify("The index is not loaded yet.", severity="warning")
            return
        titles = self.bot.answerer.index.file_titles
        articles = [(name, titles[name], str(self.seeds / name)) for name in sorted(titles)]
        self.push_screen(ArticleChoice(articles, self.articles), self._limit_chosen)

    async def _limit_chosen(self, chosen: tuple[str, ...] | None) -> None:
        if chosen is None or chosen == self.articles:
            return
        self.articles = chosen
        self._show_limit()
        if chosen:
            titles = self.bot.answerer.index.file_titles
            what = ", ".join(f"“{titles[name]}”" for name in chosen)
            words = f"Questions are now asked about {what} only (ctrl+p to change)."
        else:
            words = "Questions are now asked about all the articles."
        await self.transcript.add(NoticeCard(words, "divider"))

    def _show_limit(self) -> None:
        """Say in the header and the hint which articles questions are
        limited to, if any; forget those the index no longer holds (removed,
        or left out)."""
        if self.bot is None:
            return
        titles = self.bot.answerer.index.file_titles
        gone = [name for name in self.articles if name not in titles]
        if gone:
            self.articles = tuple(name for name in self.articles if name in titles)
            self.notify(escape(f"{', '.join(gone)} {'is' if len(gone) == 1 else 'are'} not in the index (any "
                               f"more): questions are no longer limited to {'it' if len(gone) == 1 else 'them'}"),
                        severity="warning")
        chosen = [titles[name] for name in self.articles]
        self.header.limit = limit_heading(chosen, len(titles)) if chosen else ""
        if chosen:
            what = f"“{one_line(chosen[0])}” only" if len(chosen) == 1 else f"{len(chosen)} chosen articles only"
        else:
            what = f"“{self.heading}”" if len(titles) == 1 else f"the {self.heading}"
        self.transcript.set_hint(HINT_READY.format(what=what))

    def action_open_source(self) -> None:
        view = next((v for v in reversed(self.answers) if v.target is not None), None)
        if view is None:
            self.notify("No answer with a source yet.", severity="warning")
            return
        self.post_message(OpenArticle(view.target))

    def action_copy_answer(self) -> None:
        if not self.answers:
            self.notify("No answer to copy yet.", severity="warning")
            return
        text = copy_text(self.answers[-1])
        self.copy_to_clipboard(text)  # through the terminal (OSC 52), where it allows
        self.copy_last(text)

    @work(thread=True, group="copy", exit_on_error=False)
    def copy_last(self, text: str) -> None:
        """Also hand ``text`` to the clipboard tools installed here (a
        thread: a tool may be slow), then say where it went."""
        message = copied_message(copy_with_tools(text))
        self.call_from_thread(self.notify, escape(message))

    def action_export(self) -> None:
        if not self.answers:
            self.notify("Nothing to export yet: ask a question first.", severity="warning")
            return
        now = datetime.now()
        try:
            self.exports.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            self.notify(escape(error_text(error)), title="Cannot export", severity="error")
            return
        path = _free_path(self.exports, now.strftime("%Y%m%d-%H%M%S"))
        conversations = [c for c in self.conversations if c]
        when = now.strftime("%Y-%m-%d %H:%M:%S")
        markdown = conversation_markdown(conversations, self.heading or "articles", when)
        try:
            path.write_text(markdown, encoding="utf-8")
        except OSError as error:
            self.notify(escape(error_text(error)), title="Cannot export", severity="error")
            return
        self.notify(f"Saved the conversation to {escape(str(path))}", title="Exported")

    def action_rebuild(self, force: bool = False) -> None:
        if self.loading:
            self.notify("The index is still loading.", severity="warning")
        elif self.bot is None:
            self.start_loading()
        elif self.rebuilding:
            self.notify("The index is already being rebuilt.")
        else:
            self.start_rebuild(reason="Rebuilding the index…", manual=True, force=force)

    def action_rebuild_from_scratch(self) -> None:
        self.action_rebuild(force=True)

    def action_scroll_transcript(self, direction: int) -> None:
        if direction < 0:
            self.transcript.scroll_page_up()
        else:
            self.transcript.scroll_page_down()

    # ----- keeping the index current -----

    def poll_seeds(self) -> None:
        """Rebuild (or retry loading) when an article was added, removed or changed."""
        if self.loading or self._seen is None:
            return
        now = seeds_fingerprint(self.seeds)
        if now == self._seen:
            return
        self._seen = now
        if self.bot is None:
            self.start_loading()
        elif self.rebuilding:
            self._rebuild_again = True
        else:
            self.header.state = "stale"
            self.start_rebuild(reason="The articles changed; updating the index…", manual=False)

    def start_rebuild(self, reason: str, manual: bool, force: bool = False) -> None:
        self.rebuilding = True
        self._rebuild_again = False
        self._seen = seeds_fingerprint(self.seeds)
        self.header.state = "updating"
        self.build_status.start(reason)
        self.rebuild_index(self.bot, manual, force)

    @work(thread=True, group="rebuild", exclusive=True, exit_on_error=False)
    def rebuild_index(self, bot: "Bot", manual: bool, force: bool) -> None:
        """Update the index; the bot swaps in the new one only at the end."""
        try:
            report = bot.rebuild(force=force, progress=self._progress)
        except Exception as error:
            self.log.error(repr(error))
            self.post_message(RebuildFailed(error_text(error)))
        else:
            self.post_message(RebuildFinished(report, manual))

    async def on_rebuild_finished(self, message: RebuildFinished) -> None:
        self.rebuilding = False
        self.build_status.finish()
        self._show_index_state()
        await self._tell_skipped(message.report)
        if message.report.changed or message.manual:
            self.notify(build_summary(message.report), title="Index")
        if self._rebuild_again:
            self.start_rebuild(reason="The articles changed again; updating the index…", manual=False)

    async def on_rebuild_failed(self, message: RebuildFailed) -> None:
        self.rebuilding = False
        self.build_status.finish()
        self._show_index_state()
        if self.header.state == "no-articles":
            what = "Questions cannot be answered until there are articles; qabot indexes them as soon as they appear."
        else:
            self.header.state = "stale"
            what = "The previous index still answers; fix the articles and qabot will try again (or press ctrl+r)."
        await self.transcript.add(NoticeCard(f"Cannot update the index: {message.message}. {what}", "error"))
        if self._rebuild_again:
            self.start_rebuild(reason="The articles changed again; updating the index…", manual=False)


def _free_path(folder: Path, stamp: str) -> Path:
    """``folder/qabot-conversation-STAMP.md``, with a number if that exists."""
    path = folder / export_name(stamp)
    n = 2
    while path.exists():
        path = folder / export_name(f"{stamp}-{n}")
        n += 1
    return path


def make_app(seeds: Path, index: Path, embedder: "Embedder | None" = None, *,
             watch_interval: float = WATCH_INTERVAL, exports: Path = DEFAULT_EXPORTS,
             store: "StoreAddress | None" = None, min_confidence: float | None = None,
             articles: tuple[str, ...] = ()) -> QabotApp:
    """The chat app over ``seeds`` and ``index``, as the CLI and the tests build it.

    Args:
        seeds: folder of articles.
        index: folder of the index (built or updated as needed).
        embedder: what turns text into vectors; the bundled model by default.
        watch_interval: seconds between looks for changed articles; 0 never looks.
        exports: folder the conversation is saved into (ctrl+s).
        store: a Milvus store questions search (see qabot.stores), or None.
        min_confidence: answers below this confidence are declined, saying why; None declines none.
        articles: names (in ``seeds``) of the articles questions are limited to; () for all.
    """
    return QabotApp(Path(seeds), Path(index), embedder=embedder, watch_interval=watch_interval,
                    exports=exports, store=store, min_confidence=min_confidence, articles=articles)


def run_chat(seeds: Path, index: Path, exports: Path = DEFAULT_EXPORTS,
             store: "StoreAddress | None" = None, min_confidence: float | None = None,
             articles: tuple[str, ...] = ()) -> int:
    """Run the chat in the terminal; the exit code."""
    app = make_app(seeds, index, exports=exports, store=store, min_confidence=min_confidence, articles=articles)
    run_without_waiting(app)
    return app.return_code or 0
