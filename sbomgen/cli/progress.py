"""A progress line per async report job: redrawn in place on a terminal, logged otherwise."""

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
        self.drawn = False
        self.last: dict[int, str] = {}

    def update(self, index: int, state: Any) -> None:
        elapsed = time.monotonic() - self.started
        uuid = f"  uuid {state.uuid}" if state.uuid else ""
        polls = f", {state.polls} poll{'s' if state.polls != 1 else ''}" if state.polls else ""
        self.lines[index] = (
            f"[{index + 1}/{len(self.labels)}] {self.labels[index]}: {state.status} "
            f"({elapsed:.0f}s{polls}){uuid}"
        )
        if self.tty:
            self._draw()
        elif self.last.get(index) != state.status:
            self.last[index] = state.status
            log.info("%s", self.lines[index])

    def _draw(self) -> None:
        import shutil

        out = self.stream
        # a line wider than the terminal would wrap, and the block would no longer be
        # len(lines) rows high: cut each to the width
        width = max(20, shutil.get_terminal_size((120, 24)).columns - 1)
        if self.drawn:
            out.write(f"\x1b[{len(self.lines)}F")  # back to the first line of the block
        for line in self.lines:
            shown = line if len(line) <= width else line[: width - 1] + "…"
            out.write("\x1b[2K" + shown + "\n")
        out.flush()
        self.drawn = True
