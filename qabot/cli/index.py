"""`qabot index`: build or update the index, on this machine or on Ray."""

from __future__ import annotations

import argparse
import json

from qabot.cli.output import EXIT_OK, stderr_notice
from qabot.cli.parser import LOCAL_RAY
from qabot.cli.progress import ProgressBar
from qabot.embedding.embedder import BundledModel
from qabot.embedding.ray_embedder import RayEmbedder
from qabot.index.update import IndexUpdate
from qabot.stores import open_store
from qabot.wording import plural


def run(args: argparse.Namespace) -> int:
    report = index_articles(args)
    if args.json:
        print(json.dumps(report))
    return EXIT_OK


def index_articles(args: argparse.Namespace) -> dict:
    """Build or update the index (with a progress bar and a summary line,
    unless ``args.json``); return the counts as `qabot index --json` gives
    them."""
    model = BundledModel()
    force = getattr(args, "force", False)  # `qabot add` has no --force
    store = embedder = None
    try:
        store = _open_store(args, model.dimension)
        embedder = _ray_embedder(args) or model
        with ProgressBar("Embedding", enabled=not args.json) as bar:
            # An explicit build makes the store this index's, whatever it held.
            update = IndexUpdate(args.seeds, args.index, embedder, store, bar.update, stderr_notice, take_over=True,
                                 exporter=model, quiet=args.json)
            report = update.build(force=force, verify=True)  # every file reused is checked against its SHA-256 first
            update.fill_store()
            update.forget_old_rows()  # nothing here puts the index to use: no step between
    finally:
        if embedder is not None and embedder is not model:
            embedder.close()
        if store is not None:
            store.close()
    update.leave_export(force=force)
    if not args.json:
        state = "updated" if report.changed else "already up to date"
        print(f"index {state}: {plural(report.files, 'article')}, {plural(report.passages, 'passage')}, "
              f"{plural(report.sentences, 'sentence')}; {plural(report.embedded, 'passage')} embedded "
              f"({plural(report.texts_embedded, 'text')} in all), {report.reused} reused, "
              f"{report.removed} removed ({report.seconds:.1f} s)")
        if report.repaired:
            print(f"repaired {plural(len(report.repaired), 'damaged file')}, written again from the articles: "
                  f"{', '.join(report.repaired)}")
    return report.to_json()


def _open_store(args: argparse.Namespace, dimension: int):
    """The Milvus store ``--store`` names, connected, or None."""
    if args.store is None:
        return None
    if not args.json:
        stderr_notice(f"keeping the Milvus store {args.store} in step with the index")
    return open_store(args.store, dimension)


def _ray_embedder(args: argparse.Namespace):
    """The Ray embedder `--ray` asks for, or None (Ray is imported only then)."""
    address = getattr(args, "ray", None)  # `qabot add` has no --ray
    if address is None:
        return None
    if not args.json:
        stderr_notice("starting Ray on this machine" if address == LOCAL_RAY else f"connecting to Ray at {address}")
    embedder = RayEmbedder(None if address == LOCAL_RAY else address, args.ray_workers)
    if not args.json:
        stderr_notice(f"embedding on {embedder.workers} Ray worker{'s' if embedder.workers != 1 else ''}")
    return embedder
