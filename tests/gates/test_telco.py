"""openchain-telco-sbom-validator (in the test extras) on the sample's SPDX 2.3 JSON.

With the release's facts configured, ``--guide-version 1.1`` (mandatory fields) finds only
the suppliers Mend does not know (no copyright author all lines agree on), once as the
guide's field and once as NTIA's. ``--strict`` (recommended fields too) adds checksums
and purls: Mend's gap for libraries (SHA-1 unknown, no coordinates), and the
organization's own products, projects and in-house library, which have no file to hash
and no package coordinates.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from release import generate_release

from sbomgen.model import Inventory


@pytest.fixture(scope="module")
def spdx23(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_release(tmp_path_factory.mktemp("telco"), "spdx-json") / "Acme-Corp.spdx.json"


def _problems(path: Path, *extra: str) -> Counter[tuple[str, str]]:
    exe = shutil.which("openchain-telco-sbom-validator")
    assert exe, "openchain-telco-sbom-validator comes with the test extras"
    proc = subprocess.run(
        [exe, "--guide-version", "1.1", *extra, str(path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    out = proc.stdout + proc.stderr
    assert "is not compliant" in out or "is compliant" in out, out[-2000:]
    found: Counter[tuple[str, str]] = Counter()
    for line in out.splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) > 5 and re.fullmatch(r"\d+", cells[1]):
            found[(cells[2], cells[5])] += 1
    return found


def test_mandatory_fields_miss_only_suppliers_mend_lacks(spdx23: Path, sample: Inventory) -> None:
    lacking = sum(
        1
        for lib in sample.libraries.values()
        if not lib.in_house
        and len({" ".join(c.author.split()).casefold() for c in lib.copyrights if c.author}) != 1
    )
    assert lacking == 19
    assert _problems(spdx23) == {
        ("Missing mandatory field from Package (OpenChain)", "Package without a package"): 19,
        ("NTIA validation error (NTIA)", "Package without a package"): 19,
    }


def test_strict_adds_checksums_and_purls(spdx23: Path, sample: Inventory) -> None:
    found = _problems(spdx23, "--strict")
    no_sha1 = sum(1 for lib in sample.libraries.values() if not lib.sha1)
    own = 1 + len(sample.products) + len(sample.projects)  # root, products, projects
    assert found == {
        ("Missing mandatory field from Package (OpenChain)", "Package without a package"): 19,
        ("NTIA validation error (NTIA)", "Package without a package"): 19,
        ("Missing mandatory field from Package (OpenChain)", "Both PackageChecksum and"): own
        + no_sha1,
        ("Missing mandatory field from Package (OpenChain)", "There is no purl type"): own + 1,
    }
