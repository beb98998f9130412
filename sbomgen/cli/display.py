"""What a person at a terminal sees while a run works: one progress bar per task (the
requests of each product, merging and enriching, rendering and validating the documents),
drawn by rich on stderr. Off the terminal, and with -q, nothing is drawn: the log says what
happens (-v), and the summary lines follow as always.
"""

from __future__ import annotations

import logging
import sys
import time
from types import TracebackType
from typing import IO, Any

log = logging.getLogger("sbomgen")


class RunDisplay:
    """The observer of a run. ``with RunDisplay(quiet) as observer: …``.

    It counts the requests and the time of each task whether it draws or not, so the
    final summary line can say where the time went.
    """

    def __init__(self, quiet: bool, *, stream: IO[str] | None = None) -> None:
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.draw = not quiet and _is_tty(self.stream)
        self.requests = 0
        self.started: dict[str, float] = {}
        self.finished: dict[str, float] = {}
        self.labels: dict[str, str] = {}
        self._progress: Any = None
        self._tasks: dict[str, Any] = {}
        self._swapped: list[tuple[logging.StreamHandler[Any], Any]] = []

    # -- lifetime ------------------------------------------------------------------------

    def __enter__(self) -> RunDisplay:
        if self.draw:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
            )

            console = Console(file=self.stream, stderr=True)
            self._progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(bar_width=30),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=console,
                transient=False,
                redirect_stderr=False,
                redirect_stdout=False,
            )
            self._progress.start()
            # log lines go above the bars, not through them
            for handler in logging.getLogger("sbomgen").handlers:
                if isinstance(handler, logging.StreamHandler):
                    self._swapped.append((handler, handler.stream))
                    handler.setStream(_ConsoleStream(console))
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
        for handler, stream in self._swapped:
            handler.setStream(stream)
        self._swapped.clear()

    # -- the observer hooks ----------------------------------------------------------------

    def request(self, request_type: str, scope: str) -> None:
        self.requests += 1
        log.info("%s (%s)", request_type, scope)

    def note(self, message: str) -> None:
        log.info("%s", message)

    def progress(self, key: str, label: str, done: int, total: int | None) -> None:
        now = time.monotonic()
        self.started.setdefault(key, now)
        self.labels[key] = label
        if total is not None and done >= total:
            self.finished[key] = now
        if self._progress is None:
            return
        task = self._tasks.get(key)
        if task is None:
            task = self._tasks[key] = self._progress.add_task(label, total=total)
        self._progress.update(task, description=label, completed=done, total=total)

    # -- the summary -------------------------------------------------------------------------

    def seconds(self, *keys: str) -> float:
        """Wall time from the first of these tasks' start to the last one's end."""
        starts = [self.started[k] for k in keys if k in self.started]
        ends = [self.finished.get(k, self.started[k]) for k in keys if k in self.started]
        return max(ends) - min(starts) if starts else 0.0

    def fetch_keys(self) -> list[str]:
        return [k for k in self.started if k not in ("enrich", "render")]


class _ConsoleStream:
    """A file-like object that prints through the rich console above the live bars."""

    def __init__(self, console: Any) -> None:
        self.console = console

    def write(self, text: str) -> int:
        if text.strip():
            self.console.print(text.rstrip("\n"), markup=False, highlight=False, soft_wrap=True)
        return len(text)

    def flush(self) -> None:
        pass


def _is_tty(stream: IO[str]) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def summary_line(
    display: RunDisplay, timings: dict[str, float], documents: int, *, live: bool = True
) -> str:
    """One line: what was done, and how long each phase took."""
    parts = []
    n = display.requests
    if live and n:
        parts.append(f"fetch {timings.get('load', 0.0):.1f}s ({n} requests)")
    elif "load" in timings:
        answers = f" ({n} recorded answer{'s' if n != 1 else ''})" if n else ""
        parts.append(f"load {timings['load']:.1f}s{answers}")
    if "enrich" in timings:
        parts.append(f"enrich {timings['enrich']:.1f}s")
    if "render_validate" in timings:
        parts.append(
            f"render and validate {timings['render_validate']:.1f}s "
            f"({documents} file{'s' if documents != 1 else ''})"
        )
    if "write" in timings:
        parts.append(f"write {timings['write']:.1f}s")
    total = sum(timings.get(k, 0.0) for k in ("load", "enrich", "render_validate", "write"))
    return f"done in {total:.1f}s: " + ", ".join(parts)
