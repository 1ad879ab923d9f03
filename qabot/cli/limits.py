"""`--article FILE`: the articles a question is limited to, checked against
the seeds folder before anything heavy is loaded."""

from __future__ import annotations

import argparse

from qabot.articles.files import article_names, chosen_articles


def chosen_from_seeds(args: argparse.Namespace) -> tuple[str, ...]:
    """The article names ``--article`` gives, each checked against the
    seeds folder (cheap: no index or model is read; UnknownArticleError
    lists the articles); () without ``--article``."""
    if not args.article:
        return ()
    return chosen_articles(args.seeds, args.article, article_names(args.seeds))
