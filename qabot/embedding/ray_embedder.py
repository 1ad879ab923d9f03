"""Embedding a build on a Ray cluster (``qabot index --ray [ADDRESS]``).

The texts a build embeds are cut into pieces and handed to workers, one
copy of the bundled model each, while this process keeps every worker busy
and puts the vectors back in the order of the texts. The build around it
does not change: the same content hashes decide what is embedded, and the
embedding cache keeps what was done. Only this module imports Ray, and only
when ``--ray`` is given (``pip install -e '.[ray]'``).
"""

from __future__ import annotations

import re
import socket
from typing import Sequence
from urllib.parse import urlsplit

import numpy as np

from qabot.embedding.embedder import MODEL_NAME, BundledModel, Progress
from qabot.errors import QabotError

# Texts per piece handed to a worker: large enough to keep the model busy,
# small enough that progress moves and workers finish together.
PIECE = 128
# Seconds to wait for a cluster's port before saying it cannot be reached
# (Ray itself retries for minutes).
CONNECT_SECONDS = 5.0
# Seconds the workers may take to load the model before the build begins.
READY_SECONDS = 300.0


_COLOURS = re.compile(r"\x1b\[[0-9;]*m")


class RayUnavailableError(QabotError):
    """Ray is not installed, or the cluster cannot be reached."""


class EmbeddingWorker:
    """One worker of the cluster: the bundled model, embedding pieces."""

    def __init__(self) -> None:
        self._model = BundledModel()
        self._model.model  # loaded now, so that a worker that cannot load it fails at once

    def dimension(self) -> int:
        return self._model.dimension

    def encode(self, texts: list[str]) -> np.ndarray:
        return self._model.encode(texts)


class RayEmbedder:
    """The bundled model's vectors, computed by ``workers`` Ray workers.

    ``address`` is a running cluster's (``ray://HOST:10001`` or
    ``HOST:6379``); None starts a Ray instance on this machine, stopped by
    :meth:`close`.
    """

    name = MODEL_NAME
    dimension = BundledModel.dimension

    def __init__(self, address: str | None = None, workers: int | None = None) -> None:
        try:
            import ray
        except ImportError as error:
            raise RayUnavailableError(
                "--ray needs Ray, an optional extra: pip install -e '.[ray]'") from error
        self._ray = ray
        self._workers: list = []
        self._started = not ray.is_initialized()
        if self._started and address is not None:
            _check_reachable(address)
        if self._started:
            try:
                ray.init(address=address, include_dashboard=False, log_to_driver=False,
                         logging_level="ERROR",
                         runtime_env={"env_vars": {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}})
            except Exception as error:  # noqa: BLE001 - Ray raises many kinds for an unreachable cluster
                where = f"the Ray cluster at {address}" if address else "a local Ray instance"
                raise RayUnavailableError(f"could not start or reach {where}: {_cause(error)}") from error
        try:
            self._start_workers(workers)
        except BaseException:
            self.close()
            raise

    def _start_workers(self, workers: int | None) -> None:
        """Start the workers and wait until each has loaded the model: a
        worker asked for and never given a CPU would wait for ever."""
        ray = self._ray
        free = int(ray.available_resources().get("CPU", 0))
        count = workers or max(1, free)
        if count > free:
            raise RayUnavailableError(f"the Ray cluster has {free} free CPU{'s' if free != 1 else ''}; "
                                      f"ask for at most that many workers (--ray-workers)")
        remote = ray.remote(num_cpus=1)(EmbeddingWorker)
        self._workers = [remote.remote() for _ in range(count)]
        try:
            ray.get([worker.dimension.remote() for worker in self._workers], timeout=READY_SECONDS)
        except ray.exceptions.GetTimeoutError as error:
            raise RayUnavailableError(f"the Ray workers did not load the model within {READY_SECONDS:.0f} s") \
                from error
        except ray.exceptions.RayError as error:
            raise RayUnavailableError(f"the Ray workers could not load the model (is qabot installed "
                                      f"on every node?): {_cause(error)}") from error

    @property
    def workers(self) -> int:
        return len(self._workers)

    def encode(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        """Unit vectors of ``texts``, in their order; ``progress`` is told
        how many texts each finished piece held."""
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        ray = self._ray
        pieces = [texts[first:first + PIECE] for first in range(0, len(texts), PIECE)]
        results: list[np.ndarray | None] = [None] * len(pieces)
        waiting = list(range(len(pieces)))[::-1]
        running = {}
        idle = list(self._workers)
        while waiting or running:
            while waiting and idle:
                number = waiting.pop()
                worker = idle.pop()
                running[worker.encode.remote(pieces[number])] = (number, worker)
            done, _ = ray.wait(list(running), num_returns=1)
            number, worker = running.pop(done[0])
            try:
                results[number] = ray.get(done[0])
            except ray.exceptions.RayError as error:
                raise RayUnavailableError(f"a Ray worker failed: {_cause(error)}") from error
            idle.append(worker)
            if progress:
                progress(len(pieces[number]))
        return np.concatenate(results).astype(np.float32, copy=False)

    def close(self) -> None:
        """Let the workers go, and stop Ray if this embedder started it."""
        for worker in self._workers:
            try:
                self._ray.kill(worker)
            except Exception:  # noqa: BLE001 - gone already, or Ray is going down
                pass
        self._workers = []
        if self._started and self._ray.is_initialized():
            self._ray.shutdown()


def _check_reachable(address: str) -> None:
    """RayUnavailableError unless something listens at ``address``'s host
    and port (``ray://HOST:PORT`` or ``HOST:PORT``); "auto" is left to Ray."""
    if address == "auto":
        return
    try:
        parts = urlsplit(address if "://" in address else f"ray://{address}")
        host, port = parts.hostname, parts.port
    except ValueError:
        host = port = None
    if not host or not port:
        raise RayUnavailableError(f"not a Ray address: {address} (expected HOST:PORT or ray://HOST:PORT)")
    try:
        socket.create_connection((host, port), timeout=CONNECT_SECONDS).close()
    except OSError as error:
        raise RayUnavailableError(f"could not reach the Ray cluster at {address}: {error.strerror or error}") from error


def _cause(error: BaseException) -> str:
    """The last line of what went wrong, without the remote traceback Ray
    wraps around a worker's error or the colours it adds."""
    cause = getattr(error, "cause", None) or error
    lines = [line.strip() for line in _COLOURS.sub("", str(cause)).splitlines() if line.strip()]
    return lines[-1] if lines else type(cause).__name__
