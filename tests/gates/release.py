"""The sample generated the way a release would be: ``--version`` and a config file naming
the release's own facts. Shared by the tests that run conformance judges on it."""

from __future__ import annotations

from pathlib import Path

from conftest import SAMPLE_SNAPSHOT, run_cli

from sbomgen.model import Inventory

CONFIG = """\
supplier = "Acme Corp"
authors = ["Acme Release Engineering"]
copyright = "Copyright 2026 Acme Corp"
license = "LicenseRef-Acme-Proprietary-License"
"""


def generate_release(tmp: Path, formats: str, *extra: str | Path, config: str = "") -> Path:
    """Run ``sbomgen generate`` on the sample with CONFIG (plus ``config``) into tmp/out."""
    (tmp / "sbomgen.toml").write_text(CONFIG + config, encoding="utf-8")
    out = tmp / "out"
    result = run_cli(
        "--config", tmp / "sbomgen.toml", "generate", "--snapshot", SAMPLE_SNAPSHOT,
        "--format", formats, "--version", "2.4.0", "--out", out, "-q", *extra,
    )  # fmt: skip
    assert result.code == 0, result.stderr
    return out


def release_tables(sample: Inventory) -> str:
    """[files] and [identifiers] for the release's own software (tests/conftest.py
    ``release_facts``), and supplier-contact, as a config file gives them."""
    from datetime import datetime, timezone

    from conftest import release_facts

    from sbomgen.emit.interface import DocumentMeta

    meta = DocumentMeta(name="Acme Corp", version="2.4.0", timestamp=datetime.now(timezone.utc))
    facts = release_facts(meta, sample)
    lines = [f'supplier-contact = "{facts.supplier_contact}"', "", "[files]"]
    for name, f in facts.files.items():
        lines.append(
            f'"{name}" = {{ name = "{f.name}", sha512 = "{f.sha512}", url = "{f.url}", '
            f"archive = {str(f.archive).lower()}, executable = {str(f.executable).lower()}, "
            f"structured = {str(f.structured).lower()} }}"
        )
    lines += ["", "[identifiers]"]
    for name, ids in facts.identifiers.items():
        lines.append(f'"{name}" = [' + ", ".join(f'"{i}"' for i in ids) + "]")
    return "\n".join(lines) + "\n"
