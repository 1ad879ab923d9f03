"""`qabot list`: the articles in the index, from its manifest alone."""

from __future__ import annotations

import argparse
import json

from qabot.articles.files import file_hashes
from qabot.cli.output import EXIT_OK, stderr_notice
from qabot.errors import IndexLoadError, QabotError
from qabot.index.loaded import indexed_articles, read_manifest
from qabot.printable import one_line
from qabot.wording import plural


def run(args: argparse.Namespace) -> int:
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
