"""A progress bar on stderr for long work, silent when stderr is not a terminal."""

from __future__ import annotations

import sys


class ProgressBar:
    """Context manager whose ``update(stage, done, total)`` drives a tqdm bar."""

    def __init__(self, label: str, enabled: bool = True) -> None:
        self.label = label
        self.enabled = enabled and sys.stderr.isatty()
        self._bar = None
        self._stage = ""

    def __enter__(self) -> "ProgressBar":
        return self

    def update(self, stage: str, done: int, total: int) -> None:
        if not self.enabled or total <= 0:
            return
        if self._bar is not None and stage != self._stage:
            self._bar.close()
            self._bar = None
        if self._bar is None:
            from tqdm import tqdm

            description = self.label if stage == "embedding" else f"{self.label} ({stage})"
            unit = "text" if stage == "embedding" else "row"
            self._bar = tqdm(total=total, desc=description, unit=unit, file=sys.stderr, leave=False)
            self._stage = stage
        self._bar.total = total
        self._bar.n = done
        self._bar.refresh()

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.close()
