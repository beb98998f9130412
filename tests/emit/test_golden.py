"""Golden files: the sample in every version and format, byte for byte.

Regenerate after an intended change with ``SBOMGEN_UPDATE_GOLDEN=1 python -m pytest
tests/emit/test_golden.py`` and review the diff. The tool version is normalized.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sbomgen import __version__
from sbomgen.emit import CYCLONEDX_VERSIONS, SPDX_VERSIONS, CycloneDx, SpdxSet
from sbomgen.emit.interface import DocumentMeta
from sbomgen.model import Inventory

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("SBOMGEN_UPDATE_GOLDEN") == "1"
SPDX_FORMATS = ("json", "yaml", "xml", "tv", "rdf")

CASES = [(f"cyclonedx-{v}-{f}", v, f) for v in CYCLONEDX_VERSIONS for f in ("json", "xml")] + [
    (f"spdx-{v}", v, "all") for v in SPDX_VERSIONS
]


def _normalize(data: bytes) -> bytes:
    return data.replace(__version__.encode(), b"VERSION")


@pytest.mark.parametrize(("case", "version", "fmt"), CASES, ids=[c[0] for c in CASES])
def test_golden(sample: Inventory, meta: DocumentMeta, case: str, version: str, fmt: str) -> None:
    if case.startswith("cyclonedx"):
        files = CycloneDx(fmt, version).render(sample, meta)
    else:
        files = SpdxSet(SPDX_FORMATS, version).render(sample, meta)
    folder = GOLDEN / case
    if UPDATE:
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            (folder / name).write_bytes(_normalize(data))
    expected = sorted(p.name for p in folder.iterdir())
    assert sorted(files) == expected
    for name, data in files.items():
        assert _normalize(data) == (folder / name).read_bytes(), (
            f"{case}/{name} differs from its golden file"
        )
