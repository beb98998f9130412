"""ntia-conformance-checker 6.x on every SPDX output of the sample (real subprocesses: the
checker's own command, one process per SPDX version's file set, reports kept for the tests).

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
STANDARDS = ("ntia", "fsct3-min")
VERSIONS = ("2.2", "2.3")
SUFFIXES = (".spdx.json", ".spdx.yaml", ".spdx.xml", ".spdx", ".spdx.rdf.xml")
NAMES = [f"{v}/Acme-Corp{s}" for v in VERSIONS for s in SUFFIXES]
BSI = ("2.3/Acme-Corp.spdx.json", "bsi")

# The checker's own command (ntia_conformance_checker.main.main, as the ntia-checker script
# runs it) over a set of files in one process: the interpreter and the checker start once,
# and each file is parsed once for all the standards it is checked against (spdx-tools'
# parse is the slow part: 5-13 s for a tag-value file). The checker only reads the parsed
# document (6.0 writes to none of it); all else is the command's own, its JSON report
# printed as it prints it.
DRIVER = """
import contextlib, functools, io, json, logging, sys
from spdx_tools.spdx.parser import parse_anything
from ntia_conformance_checker.main import main

parse_anything.parse_file = functools.lru_cache(maxsize=None)(parse_anything.parse_file)
logging.basicConfig(level=logging.WARNING, stream=sys.__stderr__)
results = []
for args in json.loads(sys.argv[1]):
    sys.argv = ["ntia-checker", *args]
    out, err, code = io.StringIO(), io.StringIO(), 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main()
        except SystemExit as exc:
            code = exc.code
    results.append({"stdout": out.getvalue(), "stderr": err.getvalue(), "code": code})
sys.__stdout__.write(json.dumps(results))
"""


def _interpreter() -> str:
    """The Python the ntia-checker script runs with (its #! line), else this one."""
    try:
        first = Path(CHECKER).read_text(encoding="utf-8", errors="replace").splitlines()[0]
    except (OSError, IndexError):
        return sys.executable
    candidate = first.removeprefix("#!").strip().split(" ")[0]
    return candidate if first.startswith("#!") and Path(candidate).exists() else sys.executable


Reports = dict[tuple[str, str], tuple[str, str]]


@pytest.fixture(scope="module")
def reports(written: dict[str, Path]) -> Reports:
    """What the checker prints (its JSON report, and its errors) for every (file, standard):
    one checker process per SPDX version's file set, the two at once."""
    batches = [
        [(name, standard) for name in NAMES if name.startswith(version) for standard in STANDARDS]
        for version in VERSIONS
    ]
    batches[-1].append(BSI)
    procs = [
        subprocess.Popen(
            [
                _interpreter(),
                "-c",
                DRIVER,
                json.dumps([["-c", std, "-r", "json", str(written[name])] for name, std in batch]),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for batch in batches
    ]
    out: Reports = {}
    try:
        for batch, proc in zip(batches, procs, strict=True):
            stdout, stderr = proc.communicate(timeout=600)
            assert proc.returncode == 0 and stdout.strip(), stderr
            for key, result in zip(batch, json.loads(stdout), strict=True):
                out[key] = (result["stdout"], result["stderr"] + stderr)
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    return out


def _report(reports: Reports, key: tuple[str, str]) -> dict[str, object]:
    stdout, stderr = reports[key]
    assert stdout.strip(), stderr
    return json.loads(stdout)  # type: ignore[no-any-return]


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


@pytest.mark.parametrize("standard", STANDARDS)
@pytest.mark.parametrize("name", NAMES)
def test_conformance_fails_only_for_data_mend_lacks(
    reports: Reports, sample: Inventory, standard: str, name: str
) -> None:
    report = _report(reports, (name, standard))
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


def test_bsi_is_run_and_reported(reports: Reports) -> None:
    """BSI TR-03183-2 wants SHA-512 hashes and SPDX 3 creator data that Mend and SPDX 2.x
    do not carry; this records what the checker says (see the README)."""
    report = _report(reports, BSI)
    assert report["complianceStandard"] == "bsi"
    assert report["isConformant"] is False
    assert report["parsingError"] == []
