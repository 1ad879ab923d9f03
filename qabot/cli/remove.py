"""`qabot remove`: articles deleted from the seeds folder, then the index updated."""

from __future__ import annotations

import argparse
import json

from qabot.articles.files import article_paths, remove_article
from qabot.cli.index import index_articles
from qabot.cli.output import EXIT_OK, EXIT_USAGE, stderr_notice
from qabot.errors import IndexLoadError, NoArticlesError, UnknownArticleError
from qabot.index.loaded import indexed_articles
from qabot.printable import one_line


def run(args: argparse.Namespace) -> int:
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
    try:
        article_paths(args.seeds)
    except NoArticlesError:
        stderr_notice(f"no articles are left in {str(args.seeds)!r}, so the index {str(args.index)!r} is left as "
                      "it was; add articles and run `qabot index`")
        return None
    return index_articles(args)
