"""`qabot check`: whether the index is sound, file by file."""

from __future__ import annotations

import argparse
import json

from qabot.cli.output import EXIT_FAILURE, EXIT_OK
from qabot.embedding.embedder import BundledModel
from qabot.index.check import check_index
from qabot.printable import one_line
from qabot.wording import plural


def run(args: argparse.Namespace) -> int:
    """`qabot check`: what is wrong with the index (exit 1), or that it is sound."""
    check = check_index(args.seeds, args.index, BundledModel(), args.store)
    if args.json:
        print(json.dumps(check.to_json()))
    elif check.sound:
        print(f"index {one_line(str(args.index))!r} is sound: {plural(check.files, 'file')}, "
              f"{check.bytes / 1e6:,.1f} MB, each checked against its SHA-256 ({check.seconds:.1f} s)")
    else:
        print(f"index {one_line(str(args.index))!r} is not sound:")
        for problem in check.problems:
            print(f"  {one_line(problem)}")
        if check.damaged:
            print("`qabot index` repairs it: what the damaged files held is written again, the rest reused")
    if not args.json:
        for note in check.notes:
            print(f"note: {one_line(note)}")
    return EXIT_OK if check.sound else EXIT_FAILURE
