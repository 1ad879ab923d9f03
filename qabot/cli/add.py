"""`qabot add`: web pages, by address or saved, become articles."""

from __future__ import annotations

import argparse
import json
import sys

from qabot.articles.pages.adding import add_page
from qabot.cli.index import index_articles
from qabot.cli.output import EXIT_OK, EXIT_USAGE
from qabot.errors import PageError
from qabot.printable import one_line


def run(args: argparse.Namespace) -> int:
    """Add each target, then update the index as `qabot index` does when
    something was added."""
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
    report = index_articles(args) if added and not args.no_index else None
    if args.json:
        print(json.dumps({"added": added, "failed": failed, "index": report}))
    return EXIT_USAGE if failed else EXIT_OK
