"""The chat window (`qabot`, `qabot chat`)."""

from __future__ import annotations

import argparse

from qabot.cli.limits import chosen_from_seeds
from qabot.tui.app import run_chat


def run(args: argparse.Namespace) -> int:
    limit = {"articles": chosen_from_seeds(args)} if args.article else {}
    return run_chat(args.seeds, args.index, args.exports, store=args.store, min_confidence=args.min_confidence,
                    **limit)
