"""A progress line per async report job: drawn by rich on a terminal, logged otherwise."""

from __future__ import annotations

import logging
import sys
import time
from typing import IO, Any

log = logging.getLogger("sbomgen")


class JobProgress:
    """``update(index, state)`` from the jobs' threads (the caller holds a lock)."""

    def __init__(
        self, labels: list[str], *, tty: bool, quiet: bool, stream: IO[str] | None = None
    ) -> None:
        self.labels = labels
        self.tty = tty and not quiet
        self.quiet = quiet
        self.stream = stream or sys.stderr
        self.lines = [f"{label}: waiting" for label in labels]
        self.started = time.monotonic()
        self.last: dict[int, str] = {}
        self._progress: Any = None
        self._tasks: list[Any] = []

    def _start(self) -> None:
        from rich.console import Console
        from rich.progress import Progress, SpinnerColumn, TextColumn

        self._progress = Progress(
            SpinnerColumn(finished_text="✓"),
            TextColumn("{task.description}"),
            console=Console(file=self.stream, stderr=True),
            redirect_stderr=False,
            redirect_stdout=False,
        )
        self._tasks = [self._progress.add_task(line, total=1) for line in self.lines]
        self._progress.start()

    def update(self, index: int, state: Any) -> None:
        elapsed = time.monotonic() - self.started
        uuid = f"  uuid {state.uuid}" if state.uuid else ""
        polls = f", {state.polls} poll{'s' if state.polls != 1 else ''}" if state.polls else ""
        self.lines[index] = (
            f"[{index + 1}/{len(self.labels)}] {self.labels[index]}: {state.status} "
            f"({elapsed:.0f}s{polls}){uuid}"
        )
        if self.tty:
            if self._progress is None:
                self._start()
            done = state.status in ("DOWNLOADED", "FAILED", "SUCCESS")
            self._progress.update(
                self._tasks[index], description=self.lines[index], completed=1 if done else 0
            )
        elif self.last.get(index) != state.status:
            self.last[index] = state.status
            log.info("%s", self.lines[index])

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
