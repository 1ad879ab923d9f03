"""`qabot ask`: answer a question, the lines of standard input, or what is
typed at a prompt."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Iterator

from qabot.answering import MAX_QUESTION_CHARS, clean_question, declined_below
from qabot.bot import Bot
from qabot.cli.limits import chosen_from_seeds
from qabot.cli.output import EXIT_OK, EXIT_USAGE, stderr_notice
from qabot.cli.progress import ProgressBar
from qabot.cli.render import answer_json, answer_text
from qabot.embedding.fast_encoder import onnx_folder
from qabot.errors import BadQuestionError, QabotError
from qabot.printable import one_line

# What a bare `qabot ask` on a terminal says before the first question, and
# the prompt before each (both on stderr: stdout keeps only answers).
TYPING_HINT = "Type a question and press Enter (Ctrl-D to end)."
PROMPT = "qabot> "


def run(args: argparse.Namespace) -> int:
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
        bot, asker, articles = _open_asker(args, articles)
    try:
        status = EXIT_OK
        for question in questions:
            problem = question_problem(question)
            if problem:
                _bad_question(question, problem, args.json)
                status = EXIT_USAGE
                continue
            if asker is None:  # typed: opened at the first question
                bot, asker, articles = _open_asker(args, articles)
            try:
                answer = declined_below(asker.ask(question, k=args.k, articles=articles), args.min_confidence)
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


def question_problem(question: str) -> str | None:
    """Why ``question`` cannot be asked (it is empty once cleaned), or None."""
    try:
        clean_question(question)
    except BadQuestionError as error:
        return str(error)
    return None


def question_lines(text: str) -> list[str]:
    """The questions on standard input: one a line (lines end at ``\n`` or
    ``\r\n`` only, so a form feed inside a question does not split it);
    blank lines are skipped."""
    return [line.removesuffix("\r") for line in text.split("\n") if line.strip()]


def _bad_question(question: str, problem: str, as_json: bool) -> None:
    """Say why ``question`` was not asked: a JSON record on stdout (so output
    lines keep matching input lines), or one line on stderr."""
    if as_json:
        print(json.dumps({"question": question, "error": problem}), flush=True)
    else:
        print(f"qabot: not asked: {one_line(question)!r}: {problem}", file=sys.stderr)


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


def _open_asker(args: argparse.Namespace, articles: tuple[str, ...]):
    """The bot; what asks (the bot, or a conversation with ``--chat``); and
    the ``--article`` names as the index holds them."""
    bot = _open_bot(args)
    return bot, (bot.conversation() if args.chat else bot), (bot.article_names(articles) if articles else ())


def _open_bot(args: argparse.Namespace):
    """The bot over ``args.seeds`` and ``args.index``, the index updated
    first when the articles changed."""
    with ProgressBar("Updating index", enabled=not args.json) as bar:
        bot = Bot.open(args.seeds, args.index, notice=stderr_notice, progress=bar.update, store=args.store)
    if not getattr(bot.embedder, "has_fast_path", True):
        stderr_notice(f"the model export in {str(onnx_folder(args.index))!r} is missing or damaged, so "
                      "questions load PyTorch (slow); run `qabot index` once to restore it")
    return bot
