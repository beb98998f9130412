"""generate and validate as users run them: formats, versions, split, checksums,
determinism, in-house exclusion, and nothing written when a document is invalid."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from conftest import SAMPLE_SNAPSHOT, all_files, clean_env, names, read_json, run_cli

from sbomgen.errors import ValidationFailedError

ALL = [
    "Acme-Corp.cdx.json",
    "Acme-Corp.cdx.xml",
    "Acme-Corp.openvex.json",
    "Acme-Corp.spdx",
    "Acme-Corp.spdx.json",
    "Acme-Corp.spdx.rdf.xml",
    "Acme-Corp.spdx.xml",
    "Acme-Corp.spdx.yaml",
    "Acme-Corp.spdx3.json",
    "Acme-Corp.vex.cdx.json",
    "SHA256SUMS",
    "attribution",
]
DOCUMENTS = [name for name in ALL if name not in ("SHA256SUMS", "attribution")]


@pytest.fixture(scope="module")
def all_formats(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("all") / "out"
    env = clean_env()
    env["SOURCE_DATE_EPOCH"] = "1767225600"
    result = run_cli(
        "generate", "--snapshot", SAMPLE_SNAPSHOT, "--format", "all", "--out", out, env=env
    )
    assert result.code == 0, result.stderr
    return out


def test_every_format_with_recommended_extensions(all_formats: Path) -> None:
    assert names(all_formats) == ALL


def test_sha256sums_is_what_sha256sum_checks(all_formats: Path) -> None:
    proc = subprocess.run(
        ["sha256sum", "-c", "SHA256SUMS"], cwd=all_formats, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    written = [
        p
        for p in all_formats.rglob("*")
        if p.is_file() and p.name not in ("SHA256SUMS", ".sbomgen-manifest.json")
    ]
    assert proc.stdout.count(": OK") == len(written) > len(DOCUMENTS) + 3


def test_validate_command_reads_every_written_file(all_formats: Path) -> None:
    files = [all_formats / name for name in DOCUMENTS]
    result = run_cli("validate", *files)
    assert result.code == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == len(files)
    assert any("valid (CycloneDX 1.6 XML)" in line for line in lines)
    assert any("valid (SPDX 2.3 RDF)" in line for line in lines)
    assert any("valid (SPDX 2.3 TV)" in line for line in lines)


def test_determinism_across_runs_and_hash_seeds(all_formats: Path, tmp_path: Path) -> None:
    env = clean_env()
    env.update(SOURCE_DATE_EPOCH="1767225600", PYTHONHASHSEED="12345")
    again = tmp_path / "again"
    assert (
        run_cli(
            "generate", "--snapshot", SAMPLE_SNAPSHOT, "--format", "all", "--out", again, env=env
        ).code
        == 0
    )
    first = {
        p.relative_to(all_formats): p.read_bytes() for p in all_formats.rglob("*") if p.is_file()
    }
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    for name, data in first.items():
        assert second[name] == data, name


def test_versions_are_chosen(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_cli(
        "generate",
        "--snapshot",
        SAMPLE_SNAPSHOT,
        "--cyclonedx-version",
        "1.4",
        "--spdx-version",
        "2.2",
        "--format",
        "cyclonedx-xml,spdx-json",
        "--out",
        out,
    )
    assert result.code == 0, result.stderr
    assert 'xmlns="http://cyclonedx.org/schema/bom/1.4"' in (out / "Acme-Corp.cdx.xml").read_text()
    assert read_json(out / "Acme-Corp.spdx.json")["spdxVersion"] == "SPDX-2.2"


def test_bad_format_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli(
        "generate",
        "--snapshot",
        SAMPLE_SNAPSHOT,
        "--format",
        "cyclonedx-json,pdf",
        "--out",
        tmp_path / "o",
    )
    assert result.code == 2
    assert "pdf" in result.stderr and not (tmp_path / "o").exists()


def test_split_writes_one_document_per_product(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_cli("generate", "--snapshot", SAMPLE_SNAPSHOT, "--split", "--out", out).code == 0
    assert names(out) == [
        "Acme-Payments.cdx.json",
        "Acme-Payments.spdx.json",
        "Acme-Platform.cdx.json",
        "Acme-Platform.spdx.json",
        "Acme-Storefront.cdx.json",
        "Acme-Storefront.spdx.json",
        "SHA256SUMS",
    ]
    payments = read_json(out / "Acme-Payments.spdx.json")
    package_names = {p["name"] for p in payments["packages"]}  # type: ignore[union-attr]
    assert {"payments-gateway", "payments-dotnet-sdk"} <= package_names
    assert "storefront-web" not in package_names and "lodash" not in package_names
    described = [r for r in payments["relationships"] if r["relationshipType"] == "DESCRIBES"]  # type: ignore[union-attr]
    assert len(described) == 1 and described[0]["relatedSpdxElement"].startswith(
        "SPDXRef-Product-Acme-Payments"
    )


def test_exclude_in_house_keeps_what_it_pulled_in(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert (
        run_cli("generate", "--snapshot", SAMPLE_SNAPSHOT, "--exclude-in-house", "--out", out).code
        == 0
    )
    doc = read_json(out / "Acme-Corp.cdx.json")
    component_names = [c["name"] for c in doc["components"]]  # type: ignore[union-attr]
    assert "acme-commons" not in component_names and "slf4j-api" in component_names
    refs = {c["bom-ref"] for c in doc["components"]}  # type: ignore[union-attr]
    for dep in doc["dependencies"]:  # type: ignore[union-attr]
        assert dep["ref"] in refs | {"root"}
        assert set(dep.get("dependsOn", [])) <= refs
    slf4j = next(c["bom-ref"] for c in doc["components"] if c["name"] == "slf4j-api")  # type: ignore[union-attr]
    assert any(slf4j in d.get("dependsOn", []) for d in doc["dependencies"])  # type: ignore[union-attr]
    spdx = read_json(out / "Acme-Corp.spdx.json")
    assert not [p for p in spdx["packages"] if p["name"] == "acme-commons"]  # type: ignore[union-attr]


def test_validate_reports_errors_with_locations(all_formats: Path, tmp_path: Path) -> None:
    cdx = json.loads((all_formats / "Acme-Corp.cdx.json").read_text())
    del cdx["components"][5]["name"]
    (tmp_path / "bad.cdx.json").write_text(json.dumps(cdx))
    spdx = json.loads((all_formats / "Acme-Corp.spdx.json").read_text())
    spdx["packages"][3]["SPDXID"] = "SPDXRef-has_underscore"
    (tmp_path / "bad.spdx.json").write_text(json.dumps(spdx))
    (tmp_path / "bad.cdx.xml").write_text(
        (all_formats / "Acme-Corp.cdx.xml")
        .read_text()
        .replace("<name>lodash</name>", "<nom>lodash</nom>")
    )
    result = run_cli(
        "validate",
        tmp_path / "bad.cdx.json",
        tmp_path / "bad.spdx.json",
        tmp_path / "bad.cdx.xml",
        all_formats / "Acme-Corp.spdx",
    )
    assert result.code == ValidationFailedError.exit_code == 7
    out = result.stdout
    assert (
        "bad.cdx.json: INVALID (CycloneDX 1.6 JSON)" in out
        and "at $.components[5]" in out
        and '"name" is a required property' in out
    )
    assert "bad.spdx.json: INVALID (SPDX 2.3 JSON)" in out and "SPDXRef-has_underscore" in out
    assert "bad.cdx.xml: INVALID (CycloneDX 1.6 XML)" in out and "line " in out
    assert "Acme-Corp.spdx: valid (SPDX 2.3 TV)" in out
    assert "3 of 4 files failed validation" in result.stderr


def test_validate_unknown_file_is_input_error(tmp_path: Path) -> None:
    (tmp_path / "x.json").write_text('{"hello": 1}')
    result = run_cli("validate", tmp_path / "x.json")
    assert result.code == 6
    assert "x.json: UNREADABLE" in result.stdout and "neither CycloneDX" in result.stdout
    assert "1 of 1 file could not be read" in result.stderr


def test_an_invalid_document_means_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Fault injection: an emitter bug that gives a package an SPDX id with an underscore
    (as Mend's own exporter does). The CycloneDX document is fine and rendered first; the
    SPDX validation must stop everything, print the validator's message and exit 7."""
    import sbomgen.emit.spdx as spdx_module
    from sbomgen.cli import main

    real = spdx_module.build_document

    def buggy(plan, version):  # type: ignore[no-untyped-def]
        document = real(plan, version)
        document.packages[-1].spdx_id = "SPDXRef-bad_id"
        return document

    monkeypatch.setattr(spdx_module, "build_document", buggy)
    out = tmp_path / "out"
    code = main(["generate", "--snapshot", str(SAMPLE_SNAPSHOT), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 7
    assert "failed validation, nothing was written" in err and "SPDXRef-bad_id" in err
    assert not out.exists()
    assert all_files(tmp_path) == []
