"""The library's front door: open an index over a seeds folder and ask.

Both the command line and the chat UI are thin layers over :class:`Bot`.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from qabot.answering import Answer, Answerer, Weights
from qabot.articles.files import article_paths, chosen_articles, decode_article
from qabot.articles.pages.extract import is_page
from qabot.conversation import Conversation
from qabot.embedding.embedder import BundledModel, Embedder
from qabot.embedding.fast_encoder import onnx_folder
from qabot.errors import (
    ArticleError,
    IndexLoadError,
    IndexWriteError,
    QabotError,
    QuoteMismatchError,
    StoreOutOfStepError,
)
from qabot.index.build import BuildProgress, BuildReport, is_current_layout, is_fresh
from qabot.index.loaded import ContentCheck, Index, check_file_sizes, read_manifest
from qabot.index.storage import readable_folder, refuse_non_folder
from qabot.index.update import IndexUpdate, Notice
from qabot.reader.model import start_loading
from qabot.stores import StoreAddress, open_store

DEFAULT_SEEDS = Path("seeds")
DEFAULT_INDEX = Path("embeddings")


def index_state(seeds: Path, folder: Path, embedder: Embedder) -> str:
    """``"fresh"``, ``"stale"`` (articles changed) or ``"missing"`` (or broken).

    Cheap: reads the manifest and stats the index files, never loads the model.
    """
    try:
        source = readable_folder(folder)
        manifest = read_manifest(source)
        check_file_sizes(source, manifest)
    except IndexLoadError:
        return "missing"
    return "fresh" if is_fresh(manifest, seeds, embedder) else "stale"


def _load(folder: Path, embedder: Embedder, store=None) -> Index:
    return Index.load(folder, model_name=embedder.name, dimension=embedder.dimension, store=store)


def load_fresh_index(
    seeds: Path, folder: Path, embedder: Embedder,
    notice: Notice | None = None, progress: BuildProgress | None = None, store=None,
    use: Callable[[Index], None] | None = None, export: bool = True,
) -> tuple[Index, BuildReport | None, str | None]:
    """The index of ``seeds``, first updated if it is missing, damaged or
    stale (``notice`` is told why); the build report, or None if none ran;
    and why the index is stale, when it could not be updated.

    A stale index that cannot be updated (an article that cannot be read, a
    folder that cannot be written) still answers: ``notice`` hears what is
    wrong. A missing or damaged one cannot, and the error is raised.

    With a Milvus ``store`` (see :mod:`qabot.stores`), a build copies its new
    segments there before the new index replaces the old, and the store is
    brought in step with the index before it is searched. ``use(index)``,
    when given, puts the index to use before the store lets go of rows the
    old one searched (the steps of :mod:`qabot.index.update`). A build
    leaves the model export for fast questions beside the index, unless
    ``export`` is False (a scratch index no later process asks).
    """
    update = IndexUpdate(seeds, folder, embedder, store, progress, notice, export=export)
    index, stale_because = _fresh_index(update)
    update.fill_store()
    if use is not None:
        use(index)
    update.forget_old_rows()
    update.leave_export()
    return index, update.report, stale_because


def _fresh_index(update: IndexUpdate) -> tuple[Index, str | None]:
    """The index of ``update``'s articles, built first (by ``update``) when
    it is missing, damaged or stale; and why it is stale, when it could not
    be updated."""
    seeds, folder, embedder, store, notice = update.seeds, update.folder, update.embedder, update.store, update.notice
    refuse_non_folder(folder)
    article_paths(seeds)  # no articles: say so before talking of the index
    damaged = False
    try:
        manifest = read_manifest(folder)
        if is_fresh(manifest, seeds, embedder):
            return _load(folder, embedder, store), None
        reason = (f"articles in {str(seeds)!r} changed; updating the index" if is_current_layout(manifest)
                  else "the index is in an older layout; rewriting it once (nothing is re-embedded)")
    except IndexLoadError as error:
        reason, damaged = f"{error}; building it", True
    except QabotError:
        reason = "an article cannot be read; updating the index"
    if notice:
        notice(reason)
    try:
        update.build(verify=damaged)
    except (ArticleError, IndexWriteError) as error:
        if damaged:
            raise
        try:
            index = _load(folder, embedder, store)
        except IndexLoadError:
            if not is_current_layout(read_manifest(folder)):
                raise IndexLoadError(f"{error}; the index must be rewritten once in the new layout before it "
                                     "can answer (nothing is re-embedded)") from None
            raise error from None
        if notice:
            notice(f"cannot update the index: {error}; answering from the previous index")
        return index, str(error)
    return _load(folder, embedder, store), None


@dataclass
class Bot:
    """An up-to-date index of ``seeds`` and the answerer over it."""

    seeds: Path
    folder: Path
    embedder: Embedder
    answerer: Answerer
    last_build: BuildReport | None = None
    # Why the index is out of date, when it could not be updated.
    stale_because: str | None = None
    notice: Notice | None = None
    # The Milvus store questions search (qabot.stores), or None.
    store: object | None = None
    # One rebuild at a time in this process (the chat window's worker, or a
    # question that found the index out of date), each swapping in its index.
    _rebuilding: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)
    # The background check of the files of the index in use, begun after
    # its first answer (qabot.index.loaded.ContentCheck); None before.
    _content_check: ContentCheck | None = field(default=None, repr=False, compare=False)

    @classmethod
    def open(
        cls,
        seeds: Path = DEFAULT_SEEDS,
        folder: Path = DEFAULT_INDEX,
        embedder: Embedder | None = None,
        notice: Notice | None = None,
        progress: BuildProgress | None = None,
        mode: str = "hybrid",
        weights: Weights = Weights(),
        store: StoreAddress | None = None,
        export: bool = True,
    ) -> "Bot":
        """Load the index, first updating it if the articles changed or it is
        missing or damaged (``notice`` is told why). With a ``store``,
        questions search the Milvus store there (kept in step with the
        index; StoreError when it cannot be used). A build leaves the model
        export for fast questions beside the index, unless ``export`` is
        False (a scratch index no later process asks)."""
        embedder = embedder or BundledModel()
        start_loading()  # the reader loads while the index does
        opened = open_store(store, embedder.dimension) if store is not None else None
        try:
            index, report, stale_because = load_fresh_index(seeds, folder, embedder, notice, progress, opened,
                                                            export=export)
        except BaseException:
            if opened is not None:
                opened.close()
            raise
        attach = getattr(embedder, "attach_fast_path", None)
        if attach is not None and not getattr(embedder, "has_fast_path", False):  # a build's last step may have
            attach(onnx_folder(folder))
        answerer = Answerer(index, embedder, seeds, mode=mode, weights=weights)
        return cls(seeds, folder, embedder, answerer, report, stale_because, notice, opened)

    def ask(self, question: str, k: int = 3, context: str | None = None, articles=()) -> Answer:
        """Answer ``question``; with ``articles`` (names relative to the
        seeds folder, see :meth:`article_names`), from those articles only
        (UnknownArticleError for one the index does not hold). A record
        that is not its article's text (the index is damaged, or an article
        changed since) is never shown: the index is rebuilt first
        (``notice`` is told), then asked again. So is an index whose files
        the background check (begun after the first answer) found damaged,
        before the next question is answered."""
        self._repair_if_damaged()
        try:
            return self._after_answer(self.answerer.ask(question, k=k, context=context, articles=tuple(articles)))
        except QuoteMismatchError as error:
            if self.notice:
                self.notice(f"{error}; rebuilding the index")
            self.rebuild(verify=True)
        except StoreOutOfStepError as error:
            if self.notice:
                self.notice(f"{error}; loading the index again")
            self.reload()
        return self._after_answer(self.answerer.ask(question, k=k, context=context, articles=tuple(articles)))

    def _repair_if_damaged(self) -> None:
        """Rebuild the index, verifying every file, when the background
        check found a file of the index in use damaged (``notice`` is told
        why): questions are never answered from it. IndexLoadError when it
        cannot be rebuilt."""
        check = self._content_check
        if check is None or check.damage is None or check.index is not self.answerer.index:
            return
        if self.notice:
            self.notice(f"the index is damaged; rebuilding it before answering ({check.damage})")
        try:
            self.rebuild(verify=True)
        except QabotError as error:
            raise IndexLoadError(f"{check.damage}, and it cannot be rebuilt ({error}); "
                                 "not answering from it") from None

    def _after_answer(self, answer: Answer) -> Answer:
        """``answer``, once a background check of the files of the index in
        use has begun, if none has: after the first answer, so that it never
        slows a cold question (at 100,000 passages it reads 2 GB)."""
        check, index = self._content_check, self.answerer.index
        if check is None or check.index is not index:
            if check is not None:
                check.stop()
            self._content_check = ContentCheck(index).start()
        return answer

    def article_names(self, files) -> tuple[str, ...]:
        """The article names (relative to the seeds folder) that ``files``
        stand for, each a path to an article inside the seeds folder or its
        name there; UnknownArticleError for one the index does not hold,
        listing those it does."""
        known = sorted(self.answerer.index.file_titles)
        return self.answerer.indexed(chosen_articles(self.seeds, files, known))

    def reload(self) -> None:
        """Load the index again (updated first if the articles changed) and
        bring the store in step with it: after another process updated
        both."""
        with self._rebuilding:
            _, report, self.stale_because = load_fresh_index(self.seeds, self.folder, self.embedder,
                                                             self.notice, None, self.store, use=self._swap)
            self.last_build = report or self.last_build

    def _swap(self, index: Index) -> None:
        self.answerer = Answerer(index, self.embedder, self.seeds, mode=self.answerer.mode,
                                 weights=self.answerer.weights)

    def close(self) -> None:
        """Let go of the store, if any, and stop checking the index's files."""
        if self._content_check is not None:
            self._content_check.stop()
        if self.store is not None:
            self.store.close()

    def conversation(self) -> Conversation:
        return Conversation(self)

    def article_text(self, name: str) -> str:
        """The text that article ``name``'s citations count in: the file as
        on disk now, or for a web page the text the index extracted from
        it; ArticleError when it cannot be read."""
        path = self.seeds / name
        if not is_page(name):
            try:
                return decode_article(path, path.read_bytes())
            except OSError as error:
                raise ArticleError(f"{path}: cannot be read ({error.strerror})") from None
        text = self.answerer.articles.text(name)
        if text is None:
            raise ArticleError(f"{path}: the page is gone or changed since the index was built; rebuild the index")
        return text

    def rebuild(self, force: bool = False, progress: BuildProgress | None = None,
                verify: bool = False) -> BuildReport:
        """Update the index from the articles and swap it in for answering
        (``verify``: check every index file's content first). When that
        fails, ``stale_because`` says why, and the old index still answers."""
        with self._rebuilding:
            update = IndexUpdate(self.seeds, self.folder, self.embedder, self.store, progress, self.notice)
            try:
                report = update.run(force=force, verify=verify, use=self._use_new_index)
            except QabotError as error:  # the index in use is now behind the articles
                self.stale_because = str(error)
                raise
            self.last_build = report
            self.stale_because = None
        return report

    def _use_new_index(self) -> None:
        """Answer from the index now in the folder (step 3 of an update:
        the store forgets what the old index used only after this)."""
        self._swap(_load(self.folder, self.embedder, self.store))
