"""Helpers shared by the core tests: paths (the shipped article and index as
committed, never the working tree's), a counting embedder, article writers
and a way to run the command line as a subprocess."""

from __future__ import annotations

import atexit
import hashlib
import io
import os
import random
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from qabot.embedding.embedder import HashingEmbedder

REPO = Path(__file__).resolve().parent.parent
SHIPPED_NAME = "iran-missiles-iraq-bases.txt"
SHARED = REPO.parent / "shared"


def _committed_copy() -> Path:
    """A folder holding ``seeds/`` and ``embeddings/`` as the project commits
    them (git HEAD), made once per test run and removed after it.

    Tests never read the working tree's ``seeds/`` or ``embeddings/``:
    whoever follows "Adding articles" changes both, and the tests mean the
    shipped article and its committed index. Outside a git checkout, the
    working tree's copy of the shipped article (and index) stands in.
    """
    root = Path(tempfile.mkdtemp(prefix="qabot-shipped-"))
    atexit.register(shutil.rmtree, root, True)
    try:
        archive = subprocess.run(["git", "-C", str(REPO), "archive", "--format=tar", "HEAD", "seeds", "embeddings"],
                                 capture_output=True, check=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        (root / "seeds").mkdir()
        shutil.copy(REPO / "seeds" / SHIPPED_NAME, root / "seeds" / SHIPPED_NAME)
        shutil.copytree(REPO / "embeddings", root / "embeddings")
        return root
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        if hasattr(tarfile, "data_filter"):  # Python 3.11.4 and later
            tar.extractall(root, filter="data")
        else:
            tar.extractall(root)
    return root


_COMMITTED = _committed_copy()
SHIPPED_SEEDS = _COMMITTED / "seeds"  # the committed seeds/ (read-only by convention: copy it to change it)
SHIPPED_INDEX = _COMMITTED / "embeddings"
SHIPPED_ARTICLE = SHIPPED_SEEDS / SHIPPED_NAME


def committed_counts() -> dict[str, int]:
    """``{"files", "passages", "sentences"}`` of the committed index."""
    import json

    return json.loads((SHIPPED_INDEX / "manifest.json").read_text(encoding="utf-8"))["counts"]


class CountingEmbedder:
    """Wraps an embedder and records every text it is asked to embed."""

    def __init__(self, inner=None) -> None:
        self.inner = inner or HashingEmbedder()
        self.name = self.inner.name
        self.dimension = self.inner.dimension
        self.texts: list[str] = []

    def encode(self, texts, progress=None):
        texts = list(texts)
        self.texts.extend(texts)
        return self.inner.encode(texts, progress=progress)

    def reset(self) -> None:
        self.texts = []


def write_seeds(folder: Path, articles: dict[str, str | bytes]) -> Path:
    """Write ``{name: text or bytes}`` under ``folder`` and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in articles.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


_VOCABULARY = {
    "weather": "rain wind storm clouds coast harbour flooding forecast temperature northern villages",
    "trains": "railway station platform locomotive timetable passengers carriages signal engineers depot",
    "garden": "roses tomatoes compost soil seedlings greenhouse watering pruning orchard beetles",
    "music": "violin orchestra concert rehearsal conductor symphony audience melody choir tempo",
    "finance": "budget taxes treasury deficit revenue pensions bonds inflation auditors spending",
}
TOPICS = tuple(_VOCABULARY)


def prose(topic: str, paragraph: int, words: int = 60) -> str:
    """A deterministic prose paragraph of at least ``words`` words about
    ``topic``, in sentences of fifteen words; ``paragraph`` varies the text."""
    vocab = _VOCABULARY[topic].split()
    sentences, count, n = [], 0, paragraph * 7
    while count < words:
        body = [vocab[(n + i * 3) % len(vocab)] for i in range(10)]
        sentences.append(f"The {topic} report number {paragraph} noted " + " ".join(body) + ".")
        count += 15
        n += 1
    return " ".join(sentences)


def article(title: str, topic: str, paragraphs: int = 3) -> str:
    """A title line and ``paragraphs`` prose paragraphs separated by blank lines."""
    return title + "\n\n" + "\n\n".join(prose(topic, i) for i in range(paragraphs)) + "\n"


def snapshot(folder: Path) -> dict[str, str]:
    """sha256 of every file under ``folder``, by relative path."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*")) if p.is_file()
    }


class CliResult:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err

    def __repr__(self) -> str:
        return f"CliResult(code={self.code!r}, out={self.out[:500]!r}, err={self.err[:500]!r})"


def run_qabot(*args, cwd: Path, stdin: str = "", timeout: float = 120) -> subprocess.CompletedProcess:
    """Run ``python -m qabot ARGS`` as a subprocess in ``cwd``."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run(
        [sys.executable, "-m", "qabot", *[str(a) for a in args]],
        cwd=cwd, input=stdin, capture_output=True, text=True, timeout=timeout, env=env,
    )


# Made-up words: a corpus of them shares no term with real prose, and every
# text is distinct.
NONSENSE_WORDS = [f"{a}{b}" for a in ("tal", "mor", "ven", "kas", "dru", "pel", "sor", "lin") for b in
                  ("ak", "ib", "on", "ur", "es", "ol", "im", "ax", "ey", "uz")]


def nonsense_corpus(seed: int, articles: int) -> dict[str, str]:
    """``articles`` files of five paragraphs of four made-up sentences each."""
    rng = random.Random(seed)
    found = {}
    for a in range(articles):
        paragraphs = []
        for _ in range(5):
            sentences = [" ".join(rng.choice(NONSENSE_WORDS) for _ in range(rng.randint(8, 16))).capitalize() + "."
                         for _ in range(4)]
            paragraphs.append(" ".join(sentences))
        found[f"article-{a:02d}.txt"] = f"Story {a}\n\n" + "\n\n".join(paragraphs) + "\n"
    return found



# The command modules that may build the bundled model, directly or through
# the index update they run.
COMMAND_MODULES = ("qabot.cli.add", "qabot.cli.ask", "qabot.cli.check", "qabot.cli.evaluate", "qabot.cli.index",
                   "qabot.cli.listing", "qabot.cli.remove", "qabot.tui.app")


def model_stand_in(monkeypatch, stand_in) -> None:
    """Every command builds ``stand_in`` where it would build the bundled
    model (each module that names BundledModel gets the stand-in)."""
    import importlib

    from qabot.embedding.embedder import BundledModel

    for name in COMMAND_MODULES:
        importlib.import_module(name)
    for name, module in list(sys.modules.items()):
        if name.startswith("qabot") and getattr(module, "BundledModel", None) is BundledModel:
            monkeypatch.setattr(module, "BundledModel", stand_in)
