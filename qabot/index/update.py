"""One update of the index, as named steps in the one order that never
leaves a reader without its rows:

1. :meth:`IndexUpdate.build`: the new index is built beside the old one;
   with a Milvus store, its new segments are copied there before the
   folder switches to it;
2. :meth:`IndexUpdate.fill_store`: segments the store still lacks are copied;
3. the caller puts the new index to use (the bot swaps its answerer);
4. :meth:`IndexUpdate.forget_old_rows`: only now does the store forget what
   the index no longer lists;
5. :meth:`IndexUpdate.leave_export`: the model export for fast questions
   sits beside the index, so the next question does not load PyTorch (not
   for a scratch index that no later process asks: ``export=False``).

:meth:`IndexUpdate.run` takes the five in turn. With no store, steps 2 and 4
do nothing. The store is any object with the attribute and methods of
:class:`qabot.stores.milvus.MilvusStore` used here (address, add, missing,
claim, forget); the index folder stays the record of truth.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from qabot.embedding.embedder import Embedder
from qabot.embedding.fast_encoder import onnx_folder
from qabot.errors import IndexLoadError
from qabot.index.build import BuildProgress, BuildReport, update_index
from qabot.index.loaded import read_manifest
from qabot.index.storage import readable_folder

# notice(message): one line for the user about what the update is doing.
Notice = Callable[[str], None]


@dataclass
class IndexUpdate:
    """An update of the index in ``folder`` from the articles in ``seeds``,
    with ``store`` (a Milvus store, or None) kept in step. With
    ``take_over`` (an explicit ``qabot index``) the store becomes this
    index's, whatever it held."""

    seeds: Path
    folder: Path
    embedder: Embedder
    store: object | None = None
    progress: BuildProgress | None = None
    notice: Notice | None = None
    take_over: bool = False
    # The model whose export questions use (default: the embedder; a build
    # embedded on Ray passes the bundled model).
    exporter: object | None = None
    # False for a scratch index no later process asks: no export is left.
    export: bool = True
    # True for JSON output: copying into the store and exporting are not told.
    quiet: bool = False
    # The manifest before the build: what the store's rows were for.
    before: dict | None = field(default=None, init=False)
    # The build's report; None until a build ran.
    report: BuildReport | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        if self.store is not None:
            self.before = manifest_or_none(self.folder)

    def run(self, force: bool = False, verify: bool = False, use: Callable[[], None] | None = None) -> BuildReport:
        """Every step in order; ``use()`` puts the new index to use (step 3)."""
        report = self.build(force=force, verify=verify)
        self.fill_store()
        if use is not None:
            use()
        self.forget_old_rows()
        self.leave_export(force=force)
        return report

    def build(self, force: bool = False, verify: bool = False) -> BuildReport:
        """Step 1: bring the index up to date (see :func:`update_index`)."""
        copy = self._copy_new_segments if self.store is not None else None
        self.report = update_index(self.seeds, self.folder, self.embedder, force=force, progress=self.progress,
                                   verify=verify, notice=self.notice, before_switch=copy)
        return self.report

    def _copy_new_segments(self, staging: Path, manifest: dict, progress: BuildProgress | None) -> None:
        """Runs inside step 1, once the new index is written and before it
        replaces the old one: if the copy fails, the old index stays."""
        self.store.add(staging, manifest, progress, self.take_over)

    def fill_store(self) -> int:
        """Step 2: copy the segments the store lacks; how many rows were copied."""
        if self.store is None:
            return 0
        notice = None if self.quiet else self.notice
        return sync_store(self.store, self.folder, self.progress, notice, self.take_over)

    def forget_old_rows(self) -> None:
        """Step 4: the store forgets what the index no longer lists (segments,
        and articles gone from the segments it keeps, against the manifest
        before the build). Only after a build, unless taken over: then every
        row of an article its segment no longer lists is swept too, unless
        this build changed the index."""
        manifest = manifest_or_none(self.folder) if self.store is not None else None
        if manifest is None:
            return
        if self.take_over:
            changed = self.report is not None and self.report.changed
            self.store.forget(manifest, self.before if changed else None)
        elif self.report is not None:
            self.store.forget(manifest, self.before)

    def leave_export(self, force: bool = False) -> bool:
        """Step 5: after a build (or with ``force``, always), export the model
        for fast questions beside the index unless an export is attached
        from there (nothing is re-embedded). An export this process attached
        before, from another folder, also counts: the same model's, it
        serves questions here, and a scratch index per article is not
        exported again. True when a fast path is attached; embedders
        without an export are left alone."""
        exporter = self.exporter if self.exporter is not None else self.embedder
        export = getattr(exporter, "export_fast_path", None)
        if export is None or not self.export or (self.report is None and not force):
            return False
        folder = onnx_folder(self.folder)
        if not force and exporter.attach_fast_path(folder):
            return True
        if self.notice and not self.quiet:
            self.notice(f"exporting the model to {folder} for fast questions (nothing is re-embedded)")
        if export(folder) and exporter.attach_fast_path(folder):
            return True
        if self.notice:
            self.notice("the fast question path is unavailable; questions use sentence-transformers")
        return False


def sync_store(store, folder: Path, progress: BuildProgress | None = None, notice: Notice | None = None,
               take_over: bool = False) -> int:
    """Copy into ``store`` the segments of the index in ``folder`` it does
    not hold whole (``notice`` hears how many); return how many rows were
    copied. Nothing is deleted here: only an update deletes, once its new
    index is in use (``store.forget``), since another reader or build may be
    using what this index no longer lists."""
    source = readable_folder(folder)
    manifest = read_manifest(source)
    lacking = store.missing(manifest)
    if lacking and notice:
        notice(f"the Milvus store {store.address} lacks {len(lacking)} of the index's "
               f"{len(manifest['segments'])} segments; copying them")
    if not lacking:
        store.claim(manifest, take_over)
        return 0
    return store.add(source, manifest, progress, take_over)


def manifest_or_none(folder: Path) -> dict | None:
    """The index's manifest as it is now, or None (no index yet, damaged)."""
    try:
        return read_manifest(folder)
    except IndexLoadError:
        return None
