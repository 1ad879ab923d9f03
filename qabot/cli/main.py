"""The `qabot` command: a thin layer over :mod:`qabot.bot`, one module per
command (see :mod:`qabot.cli`).

Library errors a user can fix become one line on stderr and exit code 2;
anything else is exit code 1.
"""

from __future__ import annotations

import argparse
import sys

from qabot.cli.options import resolve_options
from qabot.cli.output import EXIT_FAILURE, EXIT_OK, EXIT_USAGE, stderr_notice
from qabot.cli.parser import build_parser
from qabot.errors import QabotError
from qabot.stores.address import store_from


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
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
    """Run the command ``args`` names. Each command's module, and the library
    under it, is imported only when that command runs, so ``--help`` and
    usage errors stay instant."""
    args.store = store_from(args.store)  # a bad address fails here, before any work
    if args.command in (None, "chat"):
        from qabot.cli import chat
        return chat.run(args)
    if args.command == "index":
        from qabot.cli import index
        return index.run(args)
    if args.command == "ask":
        from qabot.cli import ask
        return ask.run(args)
    if args.command == "add":
        from qabot.cli import add
        return add.run(args)
    if args.command == "check":
        from qabot.cli import check
        return check.run(args)
    if args.command == "list":
        from qabot.cli import listing
        return listing.run(args)
    if args.command == "remove":
        from qabot.cli import remove
        return remove.run(args)
    from qabot.cli import evaluate
    return evaluate.run(args)
