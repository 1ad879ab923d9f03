"""The chat window (`qabot`, `qabot chat`)."""

from __future__ import annotations

import argparse

from qabot.tui.app import run_chat


def run(args: argparse.Namespace) -> int:
    return run_chat(args.seeds, args.index, args.exports, store=args.store, min_confidence=args.min_confidence)
