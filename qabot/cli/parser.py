"""Every command's options and help, in one parser. ``qabot --help`` and a
usage error load this and the few names it shows; a command's own module
(and the library under it) loads only when that command runs."""

from __future__ import annotations

import argparse
from pathlib import Path

from qabot import __version__
from qabot.answering import MODES
from qabot.cli.options import (
    AFTER,
    ANSWER_OPTIONS,
    ARTICLE_OPTIONS,
    BEFORE,
    CHAT_OPTIONS,
    COMMON_OPTIONS,
    common_options,
    positive,
    share,
)
from qabot.evaluation.datasets import FORMATS
from qabot.wording import UNSURE_BELOW

# What `--ray` with no address stands for: a Ray instance started here.
LOCAL_RAY = "local"

DESCRIPTION = """\
Ask questions about the articles in a seeds folder. Every answer is one
sentence quoted verbatim from an article, with its file, line and character
offsets; when the articles do not answer, qabot says so.

With no command, opens the chat window."""

ADD_DESCRIPTION = """\
Add web pages to the articles: each TARGET is an http(s) address, or a page
saved from a browser (.html or .htm). The article's title, byline, date and
text are taken out of the page (menus, share buttons, related links, cookie
banners and comments left behind) and saved into the seeds folder as a
.txt article, named from its title and ending with the page's address and
the day it was retrieved. Adding the same address again updates that file;
no other file is ever overwritten. Then the index is updated.

A page can also be dropped into the seeds folder as it is (.html): it is
read the same way, and its citations count in the text taken out of it."""

EVAL_DESCRIPTION = """\
Ask every question of FILE and score the answers against the gold ones.

FILE is the project's JSON Lines ({"question", "answers"}, {"question",
"answerable": false}, {"turns", "answers"}), answered against --seeds and
--index, or SQuAD v1.1 / v2.0 JSON, where each article gets an index of its
own and is_impossible questions must be refused. Metrics are defined in
docs/evaluation.md."""

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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="qabot", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="--seeds, --index and --store (and --exports, for the chat window,\n"
               "--min-confidence, for the chat window, ask and eval, and --article, for the\n"
               "chat window and ask) go before or after the command name, once.",
        parents=[common_options(BEFORE, COMMON_OPTIONS + CHAT_OPTIONS + ANSWER_OPTIONS + ARTICLE_OPTIONS)],
    )
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
    index.add_argument("--ray-workers", type=positive, metavar="N",
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

    _add_add_command(commands, common)
    _add_list_and_remove_commands(commands, common)

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

    _add_eval_command(commands, answering)
    return parser


def _add_add_command(commands, common: argparse.ArgumentParser) -> None:
    """Add `qabot add` to ``commands``; ``common`` is the parent parser of the
    options every command takes."""
    parser = commands.add_parser("add", help="add web pages (by address or saved) as articles",
                                 description=ADD_DESCRIPTION,
                                 formatter_class=argparse.RawDescriptionHelpFormatter, parents=[common])
    parser.add_argument("targets", nargs="+", metavar="TARGET", help="a page's address, or a saved .html file")
    parser.add_argument("--no-index", action="store_true", help="save the articles without updating the index")
    parser.add_argument("--json", action="store_true",
                        help="print one JSON object: added [{target, file, title, source, updated}], "
                             "failed [{target, error}] and index (the counts of `qabot index --json`)")


def _add_eval_command(commands, common: argparse.ArgumentParser) -> None:
    """Add `qabot eval` to ``commands``; ``common`` is the parent parser of the
    options it shares with other commands (--seeds, --index, --store,
    --min-confidence)."""
    parser = commands.add_parser("eval", help="score the bot on a question set",
                                 description=EVAL_DESCRIPTION,
                                 formatter_class=argparse.RawDescriptionHelpFormatter, parents=[common])
    parser.add_argument("file", type=Path, metavar="FILE", help="questions (.jsonl or SQuAD .json)")
    parser.add_argument("--format", choices=FORMATS, help="file format (default: detected)")
    parser.add_argument("--mode", choices=MODES, default="hybrid", help="retrieval (default: hybrid)")
    parser.add_argument("--json", action="store_true", help="print one JSON report")
    parser.add_argument("--predictions", type=Path, metavar="OUT.jsonl",
                        help="write one JSON line per question")
    parser.add_argument("--min-answer-at-1", type=share, metavar="X",
                        help="exit 1 when answer@1 is below X, between 0 and 1 (for CI)")
    parser.add_argument("--min-f1", type=share, metavar="X",
                        help="exit 1 when the short-answer F1 over the answerable questions is below X, "
                             "between 0 and 1 (for CI)")
    parser.add_argument("--min-unanswerable-refused", type=share, metavar="X",
                        help="exit 1 when the share of unanswerable questions declined is below X, "
                             "between 0 and 1 (for CI)")


def _add_list_and_remove_commands(commands, common: argparse.ArgumentParser) -> None:
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
