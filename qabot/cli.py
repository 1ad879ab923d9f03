"""The `qabot` command: a thin layer over :mod:`qabot.bot`.

Library errors a user can fix become one line on stderr and exit code 2;
anything else is exit code 1. Heavy imports happen inside the commands, so
``qabot --help`` is instant.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Iterator

from qabot.errors import UsageError
from qabot.wording import UNSURE_BELOW

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2
# What `--ray` with no address stands for: a Ray instance started here.
LOCAL_RAY = "local"

DESCRIPTION = """\
Ask questions about the articles in a seeds folder. Every answer is one
sentence quoted verbatim from an article, with its file, line and character
offsets; when the articles do not answer, qabot says so.

With no command, opens the chat window."""


# The options every command takes, before or after the command name, and
# their defaults; `--exports` belongs to the chat window, `--min-confidence`
# to the commands that answer (the chat window, ask and eval).
COMMON_OPTIONS = ("seeds", "index", "store")
CHAT_OPTIONS = ("exports",)
ANSWER_OPTIONS = ("min_confidence",)
# `--article` (repeatable) limits the questions of the chat window and ask.
ARTICLE_OPTIONS = ("article",)
DEFAULTS = {"seeds": Path("seeds"), "index": Path("embeddings"), "store": None, "exports": Path("exports"),
            "min_confidence": None, "article": None}
# The commands an option that not every command takes belongs to (None: the
# chat window opened with no command name).
TAKEN_BY = {"exports": (None, "chat"), "min_confidence": (None, "chat", "ask", "eval"),
            "article": (None, "chat", "ask")}
BEFORE, AFTER = "before", "after"


def _option_settings() -> dict[str, dict]:
    """What argparse needs of each common option, its default aside."""
    from qabot.evaluation.command import share
    from qabot.stores import STORE_HELP

    return {
        "seeds": dict(type=Path, metavar="DIR", help="folder of .txt/.md/.html articles (default: seeds)"),
        "index": dict(type=Path, metavar="DIR", help="folder holding the index (default: embeddings)"),
        "store": dict(metavar="STORE", help=STORE_HELP),
        "exports": dict(type=Path, metavar="DIR",
                        help="folder the chat window saves conversations into (default: exports)"),
        "min_confidence": dict(type=share, metavar="X",
                               help="decline, saying why, an answer whose confidence is below X (0 to 1; "
                                    f"default: answer at any confidence, and call an answer below "
                                    f"{UNSURE_BELOW:.0%}% unsure: the article may not say)"),
        "article": dict(action="append", metavar="FILE",
                        help="ask only about this article (a file in the seeds folder, as `qabot list` "
                             "names it, or its name there); repeat for several (default: every article)"),
    }


def common_options(place: str, names: tuple[str, ...] = COMMON_OPTIONS) -> argparse.ArgumentParser:
    """A parent parser holding the options ``names``, for the main parser
    (``place`` BEFORE the command name) or a command's (AFTER). No option
    has a default here: a value given lands in ``args.<place>_<name>``, and
    :func:`resolve_options` takes it from whichever place holds it."""
    options = argparse.ArgumentParser(add_help=False)
    settings = _option_settings()
    for name in names:
        options.add_argument(_flag(name), dest=f"{place}_{name}", default=argparse.SUPPRESS, **settings[name])
    return options


def _flag(name: str) -> str:
    """``--min-confidence`` for ``min_confidence``."""
    return "--" + name.replace("_", "-")


def resolve_options(args: argparse.Namespace) -> argparse.Namespace:
    """Give ``args`` each common option once, as ``args.<name>``: the value
    given before or after the command name, else the default. UsageError
    when both places give one, or when one given before the command name
    is not the command's."""
    for name, default in DEFAULTS.items():
        given = {place: vars(args).pop(f"{place}_{name}") for place in (BEFORE, AFTER)
                 if f"{place}_{name}" in vars(args)}
        if len(given) == 2:
            raise UsageError(f"{_flag(name)} given twice, before the command name ({given[BEFORE]}) and after "
                             f"it ({given[AFTER]}): give it once")
        if given and args.command not in TAKEN_BY.get(name, (args.command,)):
            raise UsageError(f"{_flag(name)} is for {_takers(name)}; qabot {args.command} does not take it")
        setattr(args, name, given.get(BEFORE, given.get(AFTER, default)))
    return args


def _takers(name: str) -> str:
    """``the chat window, qabot ask and qabot eval``: who takes option ``name``."""
    takers = ["the chat window"]
    takers += [f"qabot {command}" for command in TAKEN_BY[name] if command not in (None, "chat")]
    return takers[0] if len(takers) == 1 else ", ".join(takers[:-1]) + " and " + takers[-1]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="qabot", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="--seeds, --index and --store (and --exports, for the chat window,\n"
               "--min-confidence, for the chat window, ask and eval, and --article, for the\n"
               "chat window and ask) go before or after the command name, once.",
        parents=[common_options(BEFORE, COMMON_OPTIONS + CHAT_OPTIONS + ANSWER_OPTIONS + ARTICLE_OPTIONS)],
    )
    from qabot import __version__

    parser.add_argument("--version", action="version", version=f"qabot {__version__}")
    common = common_options(AFTER)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    commands.add_parser("chat", help="open the chat window (the default)",
                        description="Open the chat window over the articles.",
                        parents=[common_options(AFTER, COMMON_OPTIONS + CHAT_OPTIONS + ANSWER_OPTIONS
                                                + ARTICLE_OPTIONS)])

    index = commands.add_parser(
        "index", help="build or update the index", parents=[common],
        description="Build the index of the articles, or update it: only new or changed "
                    "passages are embedded, and removed articles disappear. Also restores the "
                    "model export for fast questions when it is missing or damaged.")
    index.add_argument("--force", action="store_true", help="re-embed everything")
    index.add_argument("--json", action="store_true", help="print one JSON object with the counts")
    index.add_argument("--ray", nargs="?", const=LOCAL_RAY, metavar="ADDRESS",
                       help="embed on a Ray cluster at ADDRESS (ray://HOST:10001 or HOST:6379), or with no "
                            "ADDRESS on a Ray instance started on this machine; the index is the same "
                            "(needs the extra: pip install -e '.[ray]')")
    index.add_argument("--ray-workers", type=_positive, metavar="N",
                       help="Ray workers, one model and one CPU each (default: one per free CPU of the cluster)")

    check = commands.add_parser(
        "check", help="check that the index is sound", parents=[common],
        description="Check the whole index: its manifest, the size and SHA-256 of every file against "
                    "it, that it loads, the model export for fast questions (and with --store, that the "
                    "store holds the index). Says what is wrong and exits 1, or that it is sound and "
                    "exits 0. Articles changed since the build are noted, not counted as damage. Reads "
                    "every byte of the index: a few seconds at 100,000 passages.",
        epilog="JSON: {index, sound, problems [one line each], damaged_files {file: what is wrong}, notes, "
               "files_checked, bytes_checked, seconds}. `qabot index` repairs what is damaged.")
    check.add_argument("--json", action="store_true", help="print one JSON object")

    from qabot.pages.command import add_add_command

    add_add_command(commands, common)

    add_list_and_remove_commands(commands, common)
    answering = common_options(AFTER, COMMON_OPTIONS + ANSWER_OPTIONS)
    ask = commands.add_parser(
        "ask", help="answer questions", parents=[common_options(AFTER, COMMON_OPTIONS + ANSWER_OPTIONS
                                                                + ARTICLE_OPTIONS)],
        description="Answer QUESTION, or with none, each line of standard input in turn (lines end "
                    "at a line feed only); on a terminal, each line as it is typed, after a prompt.",
        epilog="JSON: one object per input line: question, answer (null when the articles do not "
               f"say), short_answer, abstained, unsure (the confidence is below {UNSURE_BELOW:.0%}: the "
               "article may not say, and the sentence is only the closest), confidence, truncated, "
               "source {file, title, line, start, end, extracted} and passages [{text, score, file, line, start, end, extracted}]; a refusal adds "
               "reason and not_mentioned; with --article, limited_to lists the articles' files; "
               "a line that is not a question gets {question, error} and "
               "the exit code is 2. Every quote is checked against its article before it is shown. "
               "For a web page (.html, .htm; extracted: true) line and offsets count in the text "
               "extracted from the page, which the index keeps and the chat window shows.")
    ask.add_argument("question", nargs="?", metavar="QUESTION", help="the question (default: read stdin)")
    ask.add_argument("-k", type=int, default=3, metavar="K", help="how many passages to list (default 3)")
    ask.add_argument("--json", action="store_true", help="one JSON object per question, one per line")
    ask.add_argument("--chat", action="store_true",
                     help="treat the stdin lines as one conversation (follow-ups use earlier turns)")

    from qabot.evaluation.command import add_eval_command

    add_eval_command(commands, answering)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from qabot.errors import QabotError

    try:
        return _run(resolve_options(args))
    except QabotError as error:
        stderr_notice(str(error))
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("qabot: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except OSError as error:  # a folder that cannot be written, a full disk
        stderr_notice(f"{error.filename or ''}: {error.strerror or error}")
        return EXIT_FAILURE


def _run(args: argparse.Namespace) -> int:
    from qabot.stores import store_from

    args.store = store_from(args.store)  # a bad address fails here, before any work
    if args.command in (None, "chat"):
        from qabot.tui.app import run_chat

        limit = {"articles": chosen_from_seeds(args)} if args.article else {}
        return run_chat(args.seeds, args.index, args.exports, store=args.store, min_confidence=args.min_confidence,
                        **limit)
    if args.command == "index":
        return cmd_index(args)
    if args.command == "check":
        return cmd_check(args)
    if args.command == "ask":
        return cmd_ask(args)
    if args.command == "add":
        from qabot.pages.command import cmd_add

        return cmd_add(args, index_articles)
    if args.command == "list":
        return cmd_list(args)
    if args.command == "remove":
        return cmd_remove(args)
    from qabot.evaluation.command import cmd_eval

    return cmd_eval(args)


def stderr_notice(message: str) -> None:
    """One line on stderr, printable whatever a file name or article holds."""
    from qabot.printable import one_line

    print(f"qabot: {one_line(message)}", file=sys.stderr)


def cmd_index(args: argparse.Namespace) -> int:
    report = index_articles(args)
    if args.json:
        print(json.dumps(report))
    return EXIT_OK


LIST_DESCRIPTION = """\
List the articles in the index: each one's title, file, passages and when
it was indexed (UTC; "unknown" for an index built before qabot recorded
it). Reads only the index's manifest: no model is loaded, and nothing is
built. Articles added or changed since the last update are not listed
until the index is updated (qabot index, or the next question); qabot
says so."""

REMOVE_DESCRIPTION = """\
Remove articles: delete each FILE (a file in the seeds folder, or its name
there, as qabot list names it) from the seeds folder, then update the
index, so that its passages are no longer searched. Nothing outside the
seeds folder is ever deleted. There is no confirmation: qabot says what
it removed."""


def add_list_and_remove_commands(commands, common: argparse.ArgumentParser) -> None:
    """Add `qabot list` and `qabot remove` to ``commands``."""
    listing = commands.add_parser("list", help="list the articles in the index", parents=[common],
                                  description=LIST_DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    listing.add_argument("--json", action="store_true",
                         help="print one JSON list: [{file, title, passages, indexed}] (indexed: null when unknown)")
    remove = commands.add_parser("remove", help="remove articles and update the index", parents=[common],
                                 description=REMOVE_DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    remove.add_argument("files", nargs="+", metavar="FILE", help="an article in the seeds folder")
    remove.add_argument("--no-index", action="store_true", help="remove the files without updating the index")
    remove.add_argument("--json", action="store_true",
                        help="print one JSON object: removed [{file, title}], failed [{file, error}] and index "
                             "(the counts of `qabot index --json`, or null when not updated)")


def cmd_list(args: argparse.Namespace) -> int:
    from qabot.errors import IndexLoadError
    from qabot.index import indexed_articles
    from qabot.printable import one_line
    from qabot.wording import plural

    try:
        articles = indexed_articles(args.index)
    except IndexLoadError as error:  # no index, or a damaged one
        raise IndexLoadError(f"{error}; `qabot index` builds it (or repairs it)") from None
    behind = _index_behind(args)
    if args.json:
        print(json.dumps([article.to_json(args.seeds) for article in articles]))
    elif not articles:
        print(f"no articles in the index {str(args.index)!r}")
    else:
        for article in articles:
            print(f"{one_line(article.title)}\n  {one_line(str(args.seeds / article.name))} · "
                  f"{plural(article.passages, 'passage')} · indexed {_when(article.indexed)}")
        print(f"{plural(len(articles), 'article')}, {plural(sum(a.passages for a in articles), 'passage')} "
              f"in the index {one_line(str(args.index))!r}")
    if behind:
        stderr_notice(behind)
    return EXIT_OK


def _when(indexed: str | None) -> str:
    """``2026-12-04 18:29 UTC`` for a manifest's time; "unknown" for none."""
    if indexed is None:
        return "unknown"
    return indexed.replace("T", " ")[:16] + " UTC" if len(indexed) >= 16 else indexed


def _index_behind(args: argparse.Namespace) -> str | None:
    """What `qabot list` says when the seeds folder no longer matches the
    index (articles added, changed or removed since the last update)."""
    from qabot.articles import file_hashes
    from qabot.errors import QabotError
    from qabot.index import read_manifest

    try:
        now = file_hashes(args.seeds)
    except QabotError as error:
        return f"{error}; the list is what the index holds"
    manifest = read_manifest(args.index)
    recorded = {name: entry["sha256"] for name, entry in manifest["files"].items()}
    recorded.update(manifest.get("skipped", {}))
    if now == recorded:
        return None
    return (f"the articles in {str(args.seeds)!r} changed since the index was updated; run `qabot index` "
            "to update it")


def cmd_remove(args: argparse.Namespace) -> int:
    from qabot.articles import remove_article
    from qabot.errors import IndexLoadError, UnknownArticleError
    from qabot.index import indexed_articles
    from qabot.printable import one_line

    try:
        titles = {article.name: article.title for article in indexed_articles(args.index)}
    except IndexLoadError:
        titles = {}
    removed, failed = [], []
    for file in args.files:
        try:
            path = remove_article(args.seeds, file)
        except UnknownArticleError as error:
            failed.append({"file": file, "error": str(error)})
            if not args.json:
                stderr_notice(f"not removed: {error}")
            continue
        title = titles.get(path.relative_to(args.seeds).as_posix())
        removed.append({"file": str(path), "title": title})
        if not args.json:
            print(f"removed {one_line(str(path))}" + (f": {one_line(title)}" if title else ""), flush=True)
    report = _index_after_removing(args) if removed and not args.no_index else None
    if args.json:
        print(json.dumps({"removed": removed, "failed": failed, "index": report}))
    return EXIT_USAGE if failed else EXIT_OK


def _index_after_removing(args: argparse.Namespace) -> dict | None:
    """The index updated once articles were removed (its counts), or None
    when no article is left to index (the index is then left as it was)."""
    from qabot.articles import article_paths
    from qabot.errors import NoArticlesError

    try:
        article_paths(args.seeds)
    except NoArticlesError:
        stderr_notice(f"no articles are left in {str(args.seeds)!r}, so the index {str(args.index)!r} is left as "
                      "it was; add articles and run `qabot index`")
        return None
    return index_articles(args)


def cmd_check(args: argparse.Namespace) -> int:
    """`qabot check`: what is wrong with the index (exit 1), or that it is sound."""
    from qabot.bot import check_index
    from qabot.embedder import BundledModel
    from qabot.printable import one_line
    from qabot.wording import plural

    check = check_index(args.seeds, args.index, BundledModel(), args.store)
    if args.json:
        print(json.dumps(check.to_json()))
    elif check.sound:
        print(f"index {one_line(str(args.index))!r} is sound: {plural(check.files, 'file')}, "
              f"{check.bytes / 1e6:,.1f} MB, each checked against its SHA-256 ({check.seconds:.1f} s)")
    else:
        print(f"index {one_line(str(args.index))!r} is not sound:")
        for problem in check.problems:
            print(f"  {one_line(problem)}")
        if check.damaged:
            print("`qabot index` repairs it: what the damaged files held is written again, the rest reused")
    if not args.json:
        for note in check.notes:
            print(f"note: {one_line(note)}")
    return EXIT_OK if check.sound else EXIT_FAILURE


def index_articles(args: argparse.Namespace) -> dict:
    """Build or update the index (with a progress bar and a summary line,
    unless ``args.json``); return the counts as `qabot index --json` gives
    them."""
    from qabot.build import update_index
    from qabot.embedder import BundledModel
    from qabot.fast_encoder import onnx_folder
    from qabot.progress import ProgressBar
    from qabot.stores import update_keeping_store
    from qabot.wording import plural

    model = BundledModel()
    force = getattr(args, "force", False)  # `qabot add` has no --force
    store = embedder = None
    try:
        store = _open_store(args, model.dimension)
        embedder = _ray_embedder(args) or model
        with ProgressBar("Embedding", enabled=not args.json) as bar:
            def update(before_switch=None):  # every file reused is checked against its SHA-256 first
                return update_index(args.seeds, args.index, embedder, force=force, progress=bar.update,
                                    verify=True, notice=stderr_notice, before_switch=before_switch)

            # An explicit build makes the store this index's, whatever it held.
            report = update_keeping_store(store, args.index, update, bar.update,
                                          None if args.json else stderr_notice, take_over=True)
    finally:
        if embedder is not None and embedder is not model:
            embedder.close()
        if store is not None:
            store.close()
    _refresh_fast_path(model, onnx_folder(args.index), force, quiet=args.json)
    if not args.json:
        state = "updated" if report.changed else "already up to date"
        print(f"index {state}: {plural(report.files, 'article')}, {plural(report.passages, 'passage')}, "
              f"{plural(report.sentences, 'sentence')}; {plural(report.embedded, 'passage')} embedded "
              f"({plural(report.texts_embedded, 'text')} in all), {report.reused} reused, "
              f"{report.removed} removed ({report.seconds:.1f} s)")
        if report.repaired:
            print(f"repaired {plural(len(report.repaired), 'damaged file')}, written again from the articles: "
                  f"{', '.join(report.repaired)}")
    return report.to_json()


def _open_store(args: argparse.Namespace, dimension: int):
    """The Milvus store ``--store`` names, connected, or None."""
    if args.store is None:
        return None
    from qabot.stores import open_store

    if not args.json:
        stderr_notice(f"keeping the Milvus store {args.store} in step with the index")
    return open_store(args.store, dimension)


def _ray_embedder(args: argparse.Namespace):
    """The Ray embedder `--ray` asks for, or None (Ray is imported only then)."""
    address = getattr(args, "ray", None)  # `qabot add` has no --ray
    if address is None:
        return None
    from qabot.ray_embedder import RayEmbedder

    if not args.json:
        stderr_notice("starting Ray on this machine" if address == LOCAL_RAY else f"connecting to Ray at {address}")
    embedder = RayEmbedder(None if address == LOCAL_RAY else address, args.ray_workers)
    if not args.json:
        stderr_notice(f"embedding on {embedder.workers} Ray worker{'s' if embedder.workers != 1 else ''}")
    return embedder


def _positive(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return number


def question_problem(question: str) -> str | None:
    """Why ``question`` cannot be asked (it is empty once cleaned), or None."""
    from qabot.answering import clean_question
    from qabot.errors import BadQuestionError

    try:
        clean_question(question)
    except BadQuestionError as error:
        return str(error)
    return None


def _refresh_fast_path(model, folder: Path, force: bool, quiet: bool) -> None:
    """Export the model for fast questions when the export is missing or
    damaged (or with --force); nothing is re-embedded for it."""
    if not force and model.attach_fast_path(folder):
        return
    if not quiet:
        stderr_notice(f"exporting the model to {folder} for fast questions (nothing is re-embedded)")
    if not model.export_fast_path(folder):
        stderr_notice("the fast question path is unavailable; questions use sentence-transformers")


def question_lines(text: str) -> list[str]:
    """The questions on standard input: one a line (lines end at ``\n`` or
    ``\r\n`` only, so a form feed inside a question does not split it);
    blank lines are skipped."""
    return [line.removesuffix("\r") for line in text.split("\n") if line.strip()]


def _bad_question(question: str, problem: str, as_json: bool) -> None:
    """Say why ``question`` was not asked: a JSON record on stdout (so output
    lines keep matching input lines), or one line on stderr."""
    from qabot.printable import one_line

    if as_json:
        print(json.dumps({"question": question, "error": problem}), flush=True)
    else:
        print(f"qabot: not asked: {one_line(question)!r}: {problem}", file=sys.stderr)


# What a bare `qabot ask` on a terminal says before the first question, and
# the prompt before each (both on stderr: stdout keeps only answers).
TYPING_HINT = "Type a question and press Enter (Ctrl-D to end)."
PROMPT = "qabot> "


def typed_questions() -> Iterator[str]:
    """The questions typed at a terminal, one a line, each after a prompt,
    until Ctrl-D; blank lines are skipped."""
    print(TYPING_HINT, file=sys.stderr)
    while True:
        print(PROMPT, end="", file=sys.stderr, flush=True)
        try:
            line = sys.stdin.readline()
        except KeyboardInterrupt:
            print(file=sys.stderr)  # "qabot: interrupted" on a line of its own
            raise
        if not line:
            print(file=sys.stderr)  # Ctrl-D: the shell's prompt on a line of its own
            return
        yield from question_lines(line)


def chosen_from_seeds(args: argparse.Namespace) -> tuple[str, ...]:
    """The article names ``--article`` gives, each checked against the
    seeds folder (cheap: no index or model is read; UnknownArticleError
    lists the articles); () without ``--article``."""
    if not args.article:
        return ()
    from qabot.articles import article_names, chosen_articles

    return chosen_articles(args.seeds, args.article, article_names(args.seeds))


def _open_bot(args: argparse.Namespace):
    """The bot over ``args.seeds`` and ``args.index``, the index updated
    first when the articles changed."""
    from qabot.bot import Bot
    from qabot.progress import ProgressBar

    with ProgressBar("Updating index", enabled=not args.json) as bar:
        bot = Bot.open(args.seeds, args.index, notice=stderr_notice, progress=bar.update, store=args.store)
    if not getattr(bot.embedder, "has_fast_path", True):
        from qabot.fast_encoder import onnx_folder

        stderr_notice(f"the model export in {str(onnx_folder(args.index))!r} is missing or damaged, so "
                      "questions load PyTorch (slow); run `qabot index` once to restore it")
    return bot


def cmd_ask(args: argparse.Namespace) -> int:
    from qabot.answering import MAX_QUESTION_CHARS, declined_below
    from qabot.errors import BadQuestionError, QabotError
    from qabot.render import answer_json, answer_text

    if args.k < 0:
        raise BadQuestionError("-k must be 0 or more")
    articles = chosen_from_seeds(args)  # a file that is no article fails here, before the model loads
    typed = args.question is None and sys.stdin.isatty()
    if args.question is not None:
        questions = [args.question]
    elif typed:  # someone at a terminal: prompt for each question, answer it at once
        questions = typed_questions()
    else:
        questions = question_lines(sys.stdin.read())
        if not questions:
            raise BadQuestionError("no question given: pass QUESTION, or one question per line on stdin")
    bot = asker = None
    if not typed and not all(question_problem(question) for question in questions):
        # The index is checked before the first answer; with nothing to ask it is never opened.
        bot = _open_bot(args)
        asker = bot.conversation() if args.chat else bot
        articles = bot.article_names(articles) if articles else ()
    try:
        status = EXIT_OK
        for question in questions:
            problem = question_problem(question)
            if problem:
                _bad_question(question, problem, args.json)
                status = EXIT_USAGE
                continue
            if asker is None:  # typed: opened at the first question
                bot = _open_bot(args)
                asker = bot.conversation() if args.chat else bot
                articles = bot.article_names(articles) if articles else ()
            try:
                limit = {"articles": articles} if articles else {}  # a scripted bot in tests may not take it
                answer = declined_below(asker.ask(question, k=args.k, **limit), args.min_confidence)
            except QabotError as error:  # this question only: the others are still answered
                _bad_question(question, str(error), args.json)
                status = EXIT_USAGE
                continue
            if answer.truncated:
                stderr_notice(f"the question was cut after its first {MAX_QUESTION_CHARS:,} characters")
            print(json.dumps(answer_json(answer)) if args.json else answer_text(answer), flush=True)
    finally:
        if bot is not None:
            bot.close()
    return status
