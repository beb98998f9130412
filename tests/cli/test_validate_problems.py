"""``sbomgen validate`` on SPDX JSON and YAML with several problems of different kinds: every
one is listed, each with its SPDX id and JSON path, and no library internals are shown.
Real subprocesses; the documents are sbomgen's own output of the sample, corrupted."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import SAMPLE_SNAPSHOT, read_json, run_cli

Doc = dict[str, Any]
# what a user must never see: spdx-tools' and beartype's internals, strptime's format
INTERNALS = ("SetterError", "type hint", "time data", "%Y", "builtins", "Traceback")


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("spdx")
    result = run_cli(
        "generate",
        "--snapshot",
        SAMPLE_SNAPSHOT,
        "--format",
        "spdx-json,spdx-yaml",
        "--out",
        out,
    )
    assert result.code == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def original(written: Path) -> Doc:
    return dict(read_json(written / "Acme-Corp.spdx.json"))


def _with(doc: Doc, key: str) -> list[int]:
    """Indexes of the packages that have ``key`` (checksums, a purl)."""
    return [i for i, p in enumerate(doc["packages"]) if p.get(key)]


def _schema_error_and_bad_id(doc: Doc) -> set[tuple[str, str]]:
    named, renamed = doc["packages"][1], doc["packages"][4]
    named["name"] = 5
    old, new = renamed["SPDXID"], "SPDXRef-bad_id"
    renamed["SPDXID"] = new
    expected = {(named["SPDXID"], "$.packages[1].name"), (new, "$.packages[4].SPDXID")}
    # renamed everywhere: each relationship that uses the id is wrong too, and says so
    for k, rel in enumerate(doc["relationships"]):
        for key in ("spdxElementId", "relatedSpdxElement"):
            if rel[key] == old:
                rel[key] = new
                expected.add((new, f"$.relationships[{k}].{key}"))
    assert len(expected) > 3
    return expected


def _license_target_download(doc: Doc) -> set[tuple[str, str]]:
    doc["packages"][5]["licenseConcluded"] = "MIT ANDD Apache-2.0"
    doc["relationships"][2]["relatedSpdxElement"] = "SPDXRef-nowhere"
    doc["packages"][6]["downloadLocation"] = "not a location"
    return {
        (doc["packages"][5]["SPDXID"], "$.packages[5].licenseConcluded"),
        ("SPDXRef-nowhere", "$.relationships[2].relatedSpdxElement"),
        (doc["packages"][6]["SPDXID"], "$.packages[6].downloadLocation"),
    }


def _date_and_purl(doc: Doc) -> set[tuple[str, str]]:
    doc["creationInfo"]["created"] = "yesterday"
    i = next(
        i
        for i in _with(doc, "externalRefs")
        if doc["packages"][i]["externalRefs"][0]["referenceType"] == "purl"
    )
    doc["packages"][i]["externalRefs"][0]["referenceLocator"] = "pkg:bad"
    return {
        ("SPDXRef-DOCUMENT", "$.creationInfo.created"),
        (doc["packages"][i]["SPDXID"], f"$.packages[{i}].externalRefs[0].referenceLocator"),
    }


def _two_checksums(doc: Doc) -> set[tuple[str, str]]:
    out: set[tuple[str, str]] = set()
    for i in _with(doc, "checksums")[:2]:
        package = doc["packages"][i]
        assert package["checksums"][0]["algorithm"] == "SHA1"
        package["checksums"][0]["checksumValue"] = "abc" if not out else "xyz"
        out.add((package["SPDXID"], f"$.packages[{i}].checksums[0].checksumValue"))
    assert len(out) == 2
    return out


def _parse_refusals(doc: Doc) -> set[tuple[str, str]]:
    """Values the schema accepts and spdx-tools' parser refuses, with a missing field."""
    i, j = _with(doc, "checksums")[:2]
    doc["packages"][i]["supplier"] = "Bob"
    doc["packages"][j]["releaseDate"] = "soon"
    del doc["packages"][2]["downloadLocation"]
    return {
        (doc["packages"][i]["SPDXID"], f"$.packages[{i}].supplier"),
        (doc["packages"][j]["SPDXID"], f"$.packages[{j}].releaseDate"),
        (doc["packages"][2]["SPDXID"], "$.packages[2]"),
    }


CASES: dict[str, Callable[[Doc], set[tuple[str, str]]]] = {
    "schema-and-id": _schema_error_and_bad_id,
    "license-target-download": _license_target_download,
    "date-and-purl": _date_and_purl,
    "two-checksums": _two_checksums,
    "parse-refusals": _parse_refusals,
}


@pytest.fixture(scope="module")
def corrupted(
    original: Doc, tmp_path_factory: pytest.TempPathFactory
) -> dict[Path, set[tuple[str, str]]]:
    """Each case in JSON and in YAML, with the (SPDX id, JSON path) of each of its problems."""
    folder = tmp_path_factory.mktemp("bad")
    out = {}
    for name, corrupt in CASES.items():
        doc = copy.deepcopy(original)
        expected = corrupt(doc)
        path = folder / f"{name}.spdx.json"
        path.write_text(json.dumps(doc, indent=2), encoding="utf-8")
        out[path] = expected
        path = folder / f"{name}.spdx.yaml"
        path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
        out[path] = expected
    return out


def test_the_uncorrupted_documents_are_valid(written: Path) -> None:
    result = run_cli("validate", written / "Acme-Corp.spdx.json", written / "Acme-Corp.spdx.yaml")
    assert result.code == 0, result.stdout + result.stderr


def test_json_report_lists_every_problem_with_its_id_and_path(
    corrupted: dict[Path, set[tuple[str, str]]],
) -> None:
    result = run_cli("validate", "--format", "json", *corrupted)
    assert result.code == 7, result.stderr
    assert not any(s in result.stdout + result.stderr for s in INTERNALS), result.stdout
    report = json.loads(result.stdout)
    assert (report["valid"], report["invalid"], report["unreadable"]) == (0, len(corrupted), 0)
    for entry in report["files"]:
        path = Path(entry["path"])
        assert entry["status"] == "invalid"
        assert entry["format"] == path.suffix.lstrip(".")
        found = {(p["spdx_id"], p["location"]) for p in entry["problems"]}
        assert found == corrupted[path], (path.name, entry["problems"])
        assert len(entry["problems"]) == len(corrupted[path]), path.name


def test_text_lists_every_problem_with_its_id_and_path(
    corrupted: dict[Path, set[tuple[str, str]]],
) -> None:
    result = run_cli("validate", *corrupted)
    assert result.code == 7, result.stderr
    out = result.stdout
    assert not any(s in out + result.stderr for s in INTERNALS), out
    for path, expected in corrupted.items():
        kind = "JSON" if path.suffix == ".json" else "YAML"
        n = len(expected)
        head = f"{path}: INVALID (SPDX 2.3 {kind}), {n} problem{'s' if n != 1 else ''}"
        assert head in out, out
        block = out.split(head, 1)[1].split("\n" + str(path.parent), 1)[0]
        lines = [line for line in block.splitlines() if line.startswith("  ")]
        assert len(lines) == n, block
        for spdx_id, location in expected:
            assert any(line.startswith(f"  {spdx_id} at {location}: ") for line in lines), (
                spdx_id,
                location,
                block,
            )


def test_messages_say_what_is_wrong(corrupted: dict[Path, set[tuple[str, str]]]) -> None:
    by_name = {p.name: p for p in corrupted}
    result = run_cli(
        "validate",
        "--format",
        "json",
        by_name["date-and-purl.spdx.json"],
        by_name["parse-refusals.spdx.yaml"],
    )
    report = json.loads(result.stdout)
    messages = {p["location"]: p["message"] for entry in report["files"] for p in entry["problems"]}
    assert messages["$.creationInfo.created"] == (
        "not a date and time of the form YYYY-MM-DDThh:mm:ssZ: 'yesterday'"
    )
    assert "pkg:bad" in next(m for k, m in messages.items() if k.endswith("referenceLocator"))
    assert "Actor Bob" in next(m for k, m in messages.items() if k.endswith(".supplier"))
    assert "'soon'" in next(m for k, m in messages.items() if k.endswith(".releaseDate"))
    assert messages["$.packages[2]"] == '"downloadLocation" is a required property'


@pytest.mark.parametrize(
    "name",
    [
        "date alone",
        "bad id alone",
        "checksum alone",
        "missing document namespace",
        "only creator refused",
    ],
)
def test_one_problem_alone_is_still_one_problem(original: Doc, tmp_path: Path, name: str) -> None:
    """What was rejected before is rejected still, located, once."""
    doc = copy.deepcopy(original)
    if name == "date alone":
        doc["creationInfo"]["created"] = "2026-13-45"
        expected = ("SPDXRef-DOCUMENT", "$.creationInfo.created")
    elif name == "bad id alone":
        doc["SPDXID"] = "SPDXRef-DOC"
        expected = ("SPDXRef-DOC", "$.SPDXID")
        for rel in doc["relationships"]:
            if rel["spdxElementId"] == "SPDXRef-DOCUMENT":
                rel["spdxElementId"] = "SPDXRef-DOC"
    elif name == "checksum alone":
        i = _with(doc, "checksums")[0]
        doc["packages"][i]["checksums"][0]["checksumValue"] = "ABC"
        expected = (doc["packages"][i]["SPDXID"], f"$.packages[{i}].checksums[0].checksumValue")
    elif name == "missing document namespace":
        del doc["documentNamespace"]
        expected = ("SPDXRef-DOCUMENT", "$")
    else:
        doc["creationInfo"]["creators"] = ["sbomgen"]
        expected = ("SPDXRef-DOCUMENT", "$.creationInfo.creators[0]")
    path = tmp_path / "bad.spdx.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    result = run_cli("validate", "--format", "json", path)
    assert result.code == 7, result.stdout + result.stderr
    problems = json.loads(result.stdout)["files"][0]["problems"]
    assert [(p["spdx_id"], p["location"]) for p in problems] == [expected], problems
    assert not any(s in result.stdout for s in INTERNALS), result.stdout


def test_an_unquoted_yaml_timestamp_is_a_located_problem(written: Path, tmp_path: Path) -> None:
    """YAML reads an unquoted date as a timestamp, which no SPDX field is: reported where it
    is (it used to stop validate with a Python error), the rest still checked."""
    text = (written / "Acme-Corp.spdx.yaml").read_text(encoding="utf-8")
    text, n = re.subn(r"created: '([^']+)'", r"created: \1", text, count=1)
    assert n == 1
    doc = yaml.safe_load(text)
    i = _with(doc, "checksums")[0]
    value = doc["packages"][i]["checksums"][0]["checksumValue"]
    text = text.replace(value, "abc", 1)
    path = tmp_path / "bad.spdx.yaml"
    path.write_text(text, encoding="utf-8")
    result = run_cli("validate", "--format", "json", path)
    assert result.code == 7, result.stdout + result.stderr
    problems = json.loads(result.stdout)["files"][0]["problems"]
    assert {(p["spdx_id"], p["location"]) for p in problems} == {
        ("SPDXRef-DOCUMENT", "$.creationInfo.created"),
        (doc["packages"][i]["SPDXID"], f"$.packages[{i}].checksums[0].checksumValue"),
    }, problems
    assert "quote it" in problems[0]["message"]
