"""The progress display as a person sees it: under a pseudo-terminal, bars per task and a
summary line; through a pipe, or with -q, no bars at all."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
from pathlib import Path

from conftest import SAMPLE_SNAPSHOT, Mend, clean_env, run_cli

BAR = "━"


def _under_pty(args: list[str], env: dict[str, str], cwd: Path) -> tuple[int, str]:
    """Run the CLI with stderr (and stdout) on a pseudo-terminal; return its screen text."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "sbomgen", *args],
        stdin=subprocess.DEVNULL,
        stdout=slave,
        stderr=slave,
        env={**env, "COLUMNS": "120", "TERM": "xterm"},
        cwd=cwd,
    )
    os.close(slave)
    chunks = []
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        if not ready:
            break
        try:
            data = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    return proc.wait(timeout=60), b"".join(chunks).decode("utf-8", "replace")


def test_a_terminal_shows_a_bar_per_task_and_a_summary(tmp_path: Path, acme: Mend) -> None:
    env = acme.env()
    code, screen = _under_pty(
        ["generate", "--org", "--out", str(tmp_path / "out"), "--concurrency", "3"],
        env,
        tmp_path,
    )
    assert code == 0, screen
    assert BAR in screen
    for label in ("organization", "product Acme Storefront", "render and validate"):
        assert label in screen, label
    assert "2/2" in screen  # the organization's two requests
    assert re.search(r"merge and enrich \d+ libraries", screen)
    # the last line says where the time went
    summary = [line for line in screen.splitlines() if line.startswith("done in ")]
    assert summary and "requests)" in summary[-1] and "render and validate" in summary[-1]
    assert acme.org_token not in screen and env["MEND_USER_KEY"] not in screen


def test_no_bars_through_a_pipe_or_with_quiet(tmp_path: Path) -> None:
    piped = run_cli("generate", "--snapshot", SAMPLE_SNAPSHOT, "--out", tmp_path / "a")
    assert piped.code == 0, piped.stderr
    assert BAR not in piped.stderr and "\x1b[" not in piped.stderr
    assert piped.stderr.splitlines()[-1].startswith("done in ")
    code, screen = _under_pty(
        ["generate", "--snapshot", str(SAMPLE_SNAPSHOT), "--out", str(tmp_path / "b"), "-q"],
        clean_env(),
        tmp_path,
    )
    assert code == 0, screen
    assert screen.strip() == ""
