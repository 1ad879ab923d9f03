"""The `qabot add` command."""

from __future__ import annotations

import argparse
import json
import sys

DESCRIPTION = """\
Add web pages to the articles: each TARGET is an http(s) address, or a page
saved from a browser (.html or .htm). The article's title, byline, date and
text are taken out of the page (menus, share buttons, related links, cookie
banners and comments left behind) and saved into the seeds folder as a
.txt article, named from its title and ending with the page's address and
the day it was retrieved. Adding the same address again updates that file;
no other file is ever overwritten. Then the index is updated.

A page can also be dropped into the seeds folder as it is (.html): it is
read the same way, and its citations count in the text taken out of it."""


def add_add_command(commands, common: argparse.ArgumentParser) -> None:
    """Add `qabot add` to ``commands``; ``common`` is the parent parser of the
    options every command takes."""
    parser = commands.add_parser("add", help="add web pages (by address or saved) as articles",
                                 description=DESCRIPTION,
                                 formatter_class=argparse.RawDescriptionHelpFormatter, parents=[common])
    parser.add_argument("targets", nargs="+", metavar="TARGET", help="a page's address, or a saved .html file")
    parser.add_argument("--no-index", action="store_true", help="save the articles without updating the index")
    parser.add_argument("--json", action="store_true",
                        help="print one JSON object: added [{target, file, title, source, updated}], "
                             "failed [{target, error}] and index (the counts of `qabot index --json`)")


def cmd_add(args: argparse.Namespace, update_index) -> int:
    """Add each target; ``update_index(args)`` is the `qabot index` step,
    run when something was added (it returns the index's counts)."""
    from qabot.errors import PageError
    from qabot.pages.adding import add_page
    from qabot.printable import one_line

    added, failed = [], []
    for target in args.targets:
        try:
            saved = add_page(args.seeds, target)
        except (PageError, OSError) as error:  # OSError: the seeds folder cannot be written
            if isinstance(error, OSError):
                error = f"{target}: cannot be saved ({error.filename or args.seeds}: {error.strerror or error})"
            failed.append({"target": target, "error": str(error)})
            if not args.json:
                print(f"qabot: not added: {one_line(str(error))}", file=sys.stderr, flush=True)
            continue
        added.append({"target": target, "file": str(saved.path), "title": saved.title, "source": saved.source,
                      "updated": saved.updated})
        if not args.json:
            verb = "updated" if saved.updated else "added"
            print(f"{verb} {one_line(str(saved.path))}: {one_line(saved.title)}", flush=True)
    report = update_index(args) if added and not args.no_index else None
    if args.json:
        print(json.dumps({"added": added, "failed": failed, "index": report}))
    return 2 if failed else 0
