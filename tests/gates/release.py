"""The sample generated the way a release would be: ``--version`` and a config file naming
the release's own facts. Shared by the tests that run conformance judges on it."""

from __future__ import annotations

from pathlib import Path

from conftest import SAMPLE_SNAPSHOT, run_cli

CONFIG = """\
supplier = "Acme Corp"
authors = ["Acme Release Engineering"]
copyright = "Copyright 2026 Acme Corp"
license = "LicenseRef-Acme-Proprietary-License"
"""


def generate_release(
    tmp: Path, formats: str, *extra: str | Path, config: str = "", base: str = CONFIG
) -> Path:
    """Run ``sbomgen generate`` on the sample with ``base`` (CONFIG unless given) plus
    ``config`` into tmp/out."""
    (tmp / "sbomgen.toml").write_text(base + config, encoding="utf-8")
    out = tmp / "out"
    result = run_cli(
        "--config", tmp / "sbomgen.toml", "generate", "--snapshot", SAMPLE_SNAPSHOT,
        "--format", formats, "--version", "2.4.0", "--out", out, "-q", *extra,
    )  # fmt: skip
    assert result.code == 0, result.stderr
    return out
