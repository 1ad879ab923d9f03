"""The options more than one command takes, each defined once: given before
or after the command name, and parsed once (see :func:`resolve_options`)."""

from __future__ import annotations

import argparse
from pathlib import Path

from qabot.errors import UsageError
from qabot.stores.address import STORE_HELP
from qabot.wording import UNSURE_BELOW

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


def share(text: str) -> float:
    """A number from 0 to 1, for argparse."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"{text} is not between 0 and 1")
    return value


def positive(text: str) -> int:
    """A whole number of at least 1, for argparse."""
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return number
