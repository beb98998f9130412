"""cdx-ev (cyclonedx-editor-validator, in the test extras) on the sample's CycloneDX 1.6.

``cdx-ev validate --schema-type custom`` asks every component for a license or copyright
and a supplier, manufacturer or author, and the document for ``compositions``. With the
release's facts configured, what it still finds is exactly:

- libraries with no copyright author in Mend (nobody to name as their producer);
- libraries Mend knows neither a license nor a copyright of.

``compositions`` are there (sbomgen.emit.plan.compositions), though cyclonedx-python-lib 11
has no model for them.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from release import generate_release

from sbomgen.model import NOASSERTION, Inventory


@pytest.fixture(scope="module")
def cdx16(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = generate_release(
        tmp_path_factory.mktemp("cdx-ev"), "cyclonedx-json", "--cyclonedx-version", "1.6"
    )
    return out / "Acme-Corp.cdx.json"


def test_cdx_ev_custom_finds_only_what_mend_lacks(cdx16: Path, sample: Inventory) -> None:
    exe = shutil.which("cdx-ev")
    assert exe, "cdx-ev comes with the test extras (cyclonedx-editor-validator)"
    proc = subprocess.run(
        [exe, "validate", "--schema-type", "custom", str(cdx16)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    found: dict[str, set[str]] = {}
    for line in (proc.stdout + proc.stderr).splitlines():
        m = re.match(r"ERROR: Invalid SBOM(?: \(component: (?P<ref>[^)]+)\))? - (?P<what>.+)", line)
        if m:
            found.setdefault(m.group("what"), set()).add(m.group("ref") or "")
    libs = sample.libraries.values()
    no_author = {
        f"mend-lib:{lib.key_uuid}" for lib in libs if not any(c.author for c in lib.copyrights)
    }
    no_license_or_copyright = {
        f"mend-lib:{lib.key_uuid}"
        for lib in libs
        if not lib.copyrights
        and (lib.license is None or NOASSERTION == lib.license.concluded == lib.license.declared)
    }
    assert found == {
        "'supplier' or 'manufacturer' or 'authors' or 'author' or 'publisher' is a required "
        "property": no_author - {f"mend-lib:{lib.key_uuid}" for lib in libs if lib.in_house},
        "'licenses' or 'copyright' is a required property": no_license_or_copyright,
    }
    assert len(found["'licenses' or 'copyright' is a required property"]) == 1
