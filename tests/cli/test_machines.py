"""Machines as users: stdout, JSON reports checked against their published schemas, the run
summary. Real subprocesses throughout."""

from __future__ import annotations

import hashlib
import json
import os
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import SAMPLE_SNAPSHOT, Mend, clean_env, names, read_json, run_cli


def schema(name: str) -> dict[str, Any]:
    text = resources.files("sbomgen").joinpath(f"schemas/{name}.schema.json").read_text()
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def check(instance: Any, name: str) -> None:
    jsonschema.Draft202012Validator(schema(name)).validate(instance)


def test_the_published_schemas_are_valid_schemas() -> None:
    for name in ("sbomgen-inventory-1", "sbomgen-validation-1", "sbomgen-summary-1"):
        jsonschema.Draft202012Validator.check_schema(schema(name))
    with pytest.raises(jsonschema.ValidationError):  # the checks can fail
        check({"schema": "sbomgen-inventory/1"}, "sbomgen-inventory-1")


@pytest.mark.parametrize("fmt", ["cyclonedx-json", "cyclonedx-xml", "spdx-json", "spdx-tv"])
def test_out_dash_writes_the_one_document_to_stdout(tmp_path: Path, fmt: str) -> None:
    env = {**clean_env(), "SOURCE_DATE_EPOCH": "1700000000"}
    piped = run_cli(
        "generate",
        "--snapshot",
        SAMPLE_SNAPSHOT,
        "--format",
        fmt,
        "--out",
        "-",
        env=env,
        cwd=tmp_path,
    )
    assert piped.code == 0, piped.stderr
    assert "wrote" in piped.stderr and "to stdout" in piped.stderr
    assert list(tmp_path.iterdir()) == []  # no directory named "-", nothing else written
    on_disk = run_cli(
        "generate", "--snapshot", SAMPLE_SNAPSHOT, "--format", fmt, "--out", tmp_path / "d", env=env
    )
    assert on_disk.code == 0
    written = [
        p
        for p in (tmp_path / "d").iterdir()
        if p.name not in ("SHA256SUMS", ".sbomgen-manifest.json")
    ]
    assert len(written) == 1
    assert written[0].read_text(encoding="utf-8") == piped.stdout  # the same bytes


@pytest.mark.parametrize(
    ("formats", "message"),
    [
        ("cyclonedx-json,spdx-json", "--format asks for 2"),
        ("attribution-html", "an attribution bundle is several files"),
    ],
)
def test_out_dash_refuses_several_documents(tmp_path: Path, formats: str, message: str) -> None:
    result = run_cli(
        "generate", "--snapshot", SAMPLE_SNAPSHOT, "--format", formats, "--out", "-", cwd=tmp_path
    )
    assert result.code == 2 and message in result.stderr and result.stdout == ""
    split = run_cli(
        "generate",
        "--snapshot",
        SAMPLE_SNAPSHOT,
        "--format",
        "cyclonedx-json",
        "--split",
        "--out",
        "-",
    )
    assert split.code == 2 and "--split asks for one per product" in split.stderr
    assert split.stdout == ""


def test_out_dash_with_split_is_refused_before_any_request(tmp_path: Path, mini: Mend) -> None:
    """--split makes one document per product, which only a fetch would count: refused
    before it, as the README says, not after every request was made."""
    result = run_cli(
        "generate",
        "--product",
        mini.product_tokens[0],
        "--format",
        "cyclonedx-json",
        "--split",
        "--out",
        "-",
        env=mini.env(),
        cwd=tmp_path,
    )
    assert result.code == 2, result.stderr
    assert "--split asks for one per product" in result.stderr and "give --out DIR" in result.stderr
    assert result.stdout == ""
    assert mini.emulator.log == []  # not one request
    assert list(tmp_path.iterdir()) == []


# each command that writes several files into --out, the arguments it needs otherwise,
# the variable --out reads there, and what its refusal says it writes
BUNDLE_COMMANDS = {
    "attribution": ([], "SBOMGEN_OUT", "attribution writes a bundle of files"),
    "fetch": ([], "SBOMGEN_FETCH_OUT", "fetch writes a snapshot"),
    "native": (["--standard", "cyclonedx"], "SBOMGEN_OUT", "native writes the reports"),
    "report": (
        ["--type", "ProductInventoryReport", "--scope", "product"],
        "SBOMGEN_OUT",
        "report writes the reports",
    ),
}


@pytest.mark.parametrize("command", sorted(BUNDLE_COMMANDS))
def test_out_dash_is_refused_where_a_command_writes_several_files(
    tmp_path: Path, mini: Mend, command: str
) -> None:
    """`--out -` (or the variable set to -) made a directory named "-" after every request;
    it is a usage error that says why, before the first request."""
    extra, variable, writes = BUNDLE_COMMANDS[command]
    args = [command, "--product", mini.product_tokens[0], *extra]
    given = run_cli(*args, "--out", "-", env=mini.env(), cwd=tmp_path)
    from_env = run_cli(*args, env={**mini.env(), variable: "-"}, cwd=tmp_path)
    for result in (given, from_env):
        assert result.code == 2, result.stderr
        assert f"{writes}" in result.stderr and "give --out DIR" in result.stderr
        assert "Traceback" not in result.stderr and result.stdout == ""
    assert variable in from_env.stderr  # the error names where the - came from
    assert mini.emulator.log == []  # not one request
    assert list(tmp_path.iterdir()) == []  # no directory named "-"


def test_inventory_json_follows_its_schema_and_the_text(tmp_path: Path) -> None:
    result = run_cli("inventory", "--snapshot", SAMPLE_SNAPSHOT, "--format", "json")
    assert result.code == 0, result.stderr
    report = json.loads(result.stdout)
    check(report, "sbomgen-inventory-1")
    assert report["counts"]["libraries"] == len(report["libraries"]) == 67
    assert report["counts"]["products"] == 3 and report["counts"]["projects"] == 10
    assert sum(e["libraries"] for e in report["license_expressions"]) == 67
    kinds = [f["kind"] for f in report["findings"]]
    assert kinds[:4] == ["purl-missing", "purl-file-only", "license-missing", "license-suspected"]
    missing = next(f for f in report["findings"] if f["kind"] == "purl-missing")
    assert len(missing["messages"]) == report["counts"]["without_purl"] == 1
    text = run_cli("inventory", "--snapshot", SAMPLE_SNAPSHOT).stdout
    assert f"Libraries without a purl: {report['counts']['without_purl']}" in text
    # tokens are identifiers kept out of what sbomgen writes
    manifest = read_json(SAMPLE_SNAPSHOT / "manifest.json")
    tokens = {str(r["params"].get("productToken")) for r in manifest["requests"]} - {"None"}  # type: ignore[union-attr, index]
    assert tokens and not any(t in result.stdout for t in tokens)


def test_validate_json_lists_every_problem(tmp_path: Path) -> None:
    out = tmp_path / "o"
    assert run_cli("generate", "--snapshot", SAMPLE_SNAPSHOT, "--out", out).code == 0
    doc = read_json(out / "Acme-Corp.spdx.json")
    doc["packages"][1]["name"] = 5  # type: ignore[index]
    del doc["packages"][2]["downloadLocation"]  # type: ignore[attr-defined]
    bad = tmp_path / "bad.spdx.json"
    bad.write_text(json.dumps(doc))
    (tmp_path / "junk.json").write_text("{}")
    result = run_cli(
        "validate", "--format", "json", out / "Acme-Corp.cdx.json", bad, tmp_path / "junk.json"
    )
    assert result.code == 7, result.stderr
    report = json.loads(result.stdout)
    check(report, "sbomgen-validation-1")
    assert (report["valid"], report["invalid"], report["unreadable"]) == (1, 1, 1)
    problems = report["files"][1]["problems"]
    assert len(problems) == 2
    ids = [doc["packages"][1]["SPDXID"], doc["packages"][2]["SPDXID"]]  # type: ignore[index]
    assert {(p["spdx_id"], p["location"]) for p in problems} == {
        (ids[0], "$.packages[1].name"),
        (ids[1], "$.packages[2]"),
    }
    assert not any("SetterError" in p["message"] or "type hint" in p["message"] for p in problems)


def test_summary_json_of_a_run(tmp_path: Path) -> None:
    out, summary = tmp_path / "o", tmp_path / "summary.json"
    result = run_cli(
        "generate",
        "--snapshot",
        SAMPLE_SNAPSHOT,
        "--format",
        "cyclonedx-json,spdx-yaml,attribution-md",
        "--summary-json",
        summary,
        "--out",
        out,
    )
    assert result.code == 0, result.stderr
    data = read_json(summary)
    check(data, "sbomgen-summary-1")
    assert data["status"] == "ok" and data["exit_code"] == 0 and data["error"] is None
    assert data["source"] == {"kind": "snapshot", "location": str(SAMPLE_SNAPSHOT)}
    files = {f["path"]: f for f in data["files"]}  # type: ignore[union-attr]
    for path, entry in files.items():
        blob = (out / path).read_bytes()
        assert entry["bytes"] == len(blob) and entry["sha256"] == hashlib.sha256(blob).hexdigest()
    assert files["Acme-Corp.cdx.json"]["validated_by"] == [
        "CycloneDX 1.6 JSON schema (cyclonedx-python-lib's schema files)"
    ]
    assert any("spdx-tools" in v for v in files["Acme-Corp.spdx.yaml"]["validated_by"])
    assert files["attribution/NOTICE.md"]["format"] == "attribution-md"
    assert data["counts"]["libraries"] == 67  # type: ignore[index]
    assert data["findings"]["purl-missing"]["count"] == 1  # type: ignore[index]
    assert data["attribution_review"]["items"] == 11  # type: ignore[index]
    assert set(data["timings"]) >= {"load_s", "enrich_s", "render_validate_s", "write_s", "total_s"}  # type: ignore[arg-type]
    assert sorted(files) == [
        p
        for p in sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
        if p != ".sbomgen-manifest.json"
    ]


def test_summary_json_of_a_failed_run(tmp_path: Path) -> None:
    summary = tmp_path / "summary.json"
    result = run_cli(
        "generate",
        "--snapshot",
        SAMPLE_SNAPSHOT,
        "--product",
        "deadbeef",
        "--summary-json",
        summary,
        "--out",
        tmp_path / "o",
    )
    assert result.code == 3
    data = read_json(summary)
    check(data, "sbomgen-summary-1")
    assert data["status"] == "failed" and data["exit_code"] == 3
    assert "--product deadbeef: not in snapshot" in str(data["error"])
    assert data["files"] == [] and not (tmp_path / "o").exists()


def test_an_unwritable_summary_json_fails_before_any_work(tmp_path: Path, mini: Mend) -> None:
    """--summary-json was written only at the end: the run fetched and wrote its documents,
    then failed. Its directory is now checked first (a file in the way stops root too)."""
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    out = tmp_path / "o"
    result = run_cli(
        "generate",
        "--product",
        mini.product_tokens[0],
        "--summary-json",
        blocker / "runs" / "summary.json",
        "--out",
        out,
        env=mini.env(),
    )
    assert result.code == 8, result.stderr
    line = [x for x in result.stderr.splitlines() if x.startswith("sbomgen: error:")]
    assert len(line) == 1 and "cannot write --summary-json" in line[0]
    assert f"{blocker} is not a directory" in line[0]
    assert mini.emulator.log == []  # not one request
    assert not out.exists()  # nothing written to --out
    assert blocker.read_text() == "x"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only directories")
def test_a_read_only_summary_json_directory_fails_before_any_work(
    tmp_path: Path, mini: Mend
) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        result = run_cli(
            "generate",
            "--product",
            mini.product_tokens[0],
            "--summary-json",
            locked / "summary.json",
            "--out",
            tmp_path / "o",
            env=mini.env(),
        )
        assert list(locked.iterdir()) == []  # no probe, no partial file left
    finally:
        locked.chmod(0o700)
    assert result.code == 8 and "cannot write --summary-json" in result.stderr
    assert mini.emulator.log == [] and not (tmp_path / "o").exists()


def test_summary_json_directory_is_created_and_left_clean(tmp_path: Path) -> None:
    summary = tmp_path / "runs" / "today" / "summary.json"
    result = run_cli(
        "generate",
        "--snapshot",
        SAMPLE_SNAPSHOT,
        "--summary-json",
        summary,
        "--out",
        tmp_path / "o",
    )
    assert result.code == 0, result.stderr
    assert [p.name for p in summary.parent.iterdir()] == ["summary.json"]  # no probe left
    check(read_json(summary), "sbomgen-summary-1")


def test_summary_json_to_stdout(tmp_path: Path) -> None:
    result = run_cli(
        "generate", "--snapshot", SAMPLE_SNAPSHOT, "--summary-json", "-", "--out", tmp_path / "o"
    )
    assert result.code == 0
    check(json.loads(result.stdout), "sbomgen-summary-1")
    assert names(tmp_path / "o") == ["Acme-Corp.cdx.json", "Acme-Corp.spdx.json", "SHA256SUMS"]
