"""ntia-conformance-checker 6.x on every SPDX output of the sample (a real subprocess).

What passes: component names, versions (the products and projects take the release's
version) and identifiers, SBOM author, timestamp, dependency relationships, no floating
components. What cannot pass, because Mend does not have the
data (and the README says so): suppliers of third-party libraries whose copyright does
not agree on one author, copyright texts Mend has none for, a concluded license where Mend
knows none or gives no text for a license it names, and the SBOM type (an SPDX 3 field). The test asserts that the failures are
exactly those, so any other gap fails it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sbomgen.emit import SpdxSet
from sbomgen.emit.interface import DocumentMeta
from sbomgen.emit.spdx import package_name
from sbomgen.enrich.texts import symbols_of
from sbomgen.model import NOASSERTION, Inventory

CHECKER = shutil.which("ntia-checker") or str(Path(sys.executable).parent / "ntia-checker")


def _check(path: Path, standard: str) -> dict[str, object]:
    proc = subprocess.run(
        [CHECKER, "-c", standard, "-r", "json", str(path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.stdout.strip(), proc.stderr
    return json.loads(proc.stdout)  # type: ignore[no-any-return]


def _failing(report: dict[str, object], key: str) -> set[str]:
    return set(report[key]["nonconformantComponents"])  # type: ignore[index]


@pytest.fixture(scope="module")
def written(
    sample: Inventory, meta: DocumentMeta, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("spdx")
    out = {}
    for version in ("2.2", "2.3"):
        for name, data in (
            SpdxSet(["json", "yaml", "xml", "tv", "rdf"], version).render(sample, meta).items()
        ):
            path = folder / version / name
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(data)
            out[f"{version}/{name}"] = path
    return out


def _expected(sample: Inventory) -> dict[str, set[str]]:
    libs = list(sample.libraries.values())
    return {
        # meta names the release's version, which its products and projects take
        "versions": set(),
        # a third-party library has a supplier when its copyright lines agree on one author
        "suppliers": {
            package_name(lib)
            for lib in libs
            if not lib.in_house
            and len({" ".join(c.author.split()).casefold() for c in lib.copyrights if c.author})
            != 1
        },
        # NOASSERTION where Mend knows no license, or names one it gives no text for
        "licenses": {
            package_name(lib)
            for lib in libs
            if lib.license
            and (
                lib.license.concluded == NOASSERTION
                or any(
                    s.startswith("LicenseRef-") and s not in sample.texts
                    for s in symbols_of(lib.license.concluded)
                )
            )
        },
        "copyrights": {package_name(lib) for lib in libs if not lib.copyrights},
    }


@pytest.mark.parametrize("standard", ["ntia", "fsct3-min"])
@pytest.mark.parametrize(
    "name",
    [
        f"{v}/Acme-Corp{s}"
        for v in ("2.2", "2.3")
        for s in (".spdx.json", ".spdx.yaml", ".spdx.xml", ".spdx", ".spdx.rdf.xml")
    ],
)
def test_conformance_fails_only_for_data_mend_lacks(
    written: dict[str, Path], sample: Inventory, standard: str, name: str
) -> None:
    report = _check(written[name], standard)
    assert report["parsingError"] == [] and report["validationMessages"] == []
    for flag in (
        "specVersionProvided",
        "authorNameProvided",
        "timestampProvided",
        "dependencyRelationshipsProvided",
    ):
        assert report[flag] is True, flag
    assert report["componentNames"]["allProvided"] is True  # type: ignore[index]
    assert report["componentIdentifiers"]["allProvided"] is True  # type: ignore[index]
    graph = report["graphValidation"]
    assert graph["floatingComponents"]["floatingComponentCount"] == 0  # type: ignore[index]
    assert graph["unknownPointers"]["hasUnknownPointers"] is False  # type: ignore[index]
    expected = _expected(sample)
    assert _failing(report, "componentVersions") == expected["versions"]
    assert _failing(report, "componentSuppliers") == expected["suppliers"]
    if standard == "fsct3-min":
        assert (
            _failing(report, "componentConcludedLicenses")
            == expected["licenses"]
            == {"component-bind", "xmlpull"}
        )
        assert _failing(report, "componentCopyrightTexts") == expected["copyrights"]


def test_bsi_is_run_and_reported(written: dict[str, Path]) -> None:
    """BSI TR-03183-2 wants SHA-512 hashes and SPDX 3 creator data that Mend and SPDX 2.x
    do not carry; this records what the checker says (see the README)."""
    report = _check(written["2.3/Acme-Corp.spdx.json"], "bsi")
    assert report["complianceStandard"] == "bsi"
    assert report["isConformant"] is False
    assert report["parsingError"] == []
