"""What the bench scripts share: a synthetic organization written as an emulator dataset,
the emulator in its own process (so it does not compete with the client for the GIL),
child processes that report their own time and peak RSS, medians."""

from __future__ import annotations

import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

USER_KEY = "bench-org-admin-key-0123456789abcdef"


def machine() -> str:
    return f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs"


def write_dataset(directory: Path, **kwargs: Any) -> dict[str, Any]:
    """Generate a synthetic organization (sbomgen.emulator.generate) into ``directory``."""
    from sbomgen.emulator.generate import generate_dataset

    data = generate_dataset(**kwargs)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "dataset.json").write_text(json.dumps(data), encoding="utf-8")
    return data


def unique_libraries(data: dict[str, Any]) -> int:
    return len({k for p in data["products"] for pr in p["projects"] for k in pr["inventory"]})


@contextmanager
def emulator(dataset_dir: Path, *, latency: float = 0.0, port: int = 0) -> Iterator[str]:
    """Serve ``dataset_dir`` from a separate process; yields its URL."""
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sbomgen.emulator",
            "--dataset",
            str(dataset_dir),
            "--port",
            str(port),
            "--latency",
            str(latency),
            "--user-key",
            USER_KEY,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=ROOT,
    )
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            m = re.search(r"(http://[\d.]+:\d+)", line)
            if m:
                yield m.group(1)
                return
        raise RuntimeError("the emulator did not start")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def stats(url: str) -> dict[str, int]:
    import requests

    counts: dict[str, int] = requests.get(f"{url}/_emulator/stats", timeout=10).json()["counts"]
    return counts


REPORT = """
import json as _json, resource as _resource
def report(**fields):
    fields["peak_rss_mb"] = _resource.getrusage(_resource.RUSAGE_SELF).ru_maxrss / 1024
    print(_json.dumps(fields), flush=True)
"""


def child(code: str, *args: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run ``code`` in a fresh interpreter. It calls ``report(**fields)`` once at the end,
    which adds ``peak_rss_mb``, its own peak resident set size."""
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "child.py"
        script.write_text(REPORT + code, encoding="utf-8")
        proc = subprocess.run(
            [sys.executable, str(script), *args],
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
            check=False,
        )
        if proc.returncode:
            raise RuntimeError(f"child failed ({proc.returncode}):\n{proc.stdout}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def median(values: list[float]) -> float:
    return statistics.median(values)


def table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = "| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |"
    sep = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    body = [
        "| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)) + " |"
        for r in rows
    ]
    return "\n".join([line, sep, *body])
