"""``sbomgen report``: other async reports at each scope, over the emulator."""

from __future__ import annotations

import json
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from conftest import Mend, names, run_cli

from sbomgen.emulator.reports import AsyncOptions

FAST = ("--poll-interval", "0.05")

CASES = [
    ("org", "OrgInventoryReport", "json"),
    ("product", "ProductInventoryReport", "json"),
    ("project", "ProjectInventoryReport", "xlsx"),
    ("org", "OrgVulnerabilityReport", "json"),
    ("product", "ProductVulnerabilityReport", "xlsx"),
    ("project", "ProjectVulnerabilityReport", "json"),
    ("product", "ProductAttributionReport", "html"),
    ("project", "AttributionReport", "txt"),
    ("org", "RiskReport", "pdf"),
]


def _scope_args(mend: Mend, scope: str) -> list[str]:
    if scope == "product":
        return ["--product", mend.product_tokens[0]]
    if scope == "project":
        return ["--project", mend.project_tokens[0]]
    return []


@pytest.mark.parametrize(("scope", "report_type", "fmt"), CASES)
def test_reports_at_each_scope(
    tmp_path: Path, acme: Mend, scope: str, report_type: str, fmt: str
) -> None:
    out = tmp_path / "o"
    result = run_cli(
        "report",
        "--type",
        report_type,
        "--scope",
        scope,
        *_scope_args(acme, scope),
        "--format",
        fmt,
        *FAST,
        "--out",
        out,
        env=acme.env(),
    )
    assert result.code == 0, result.stderr
    [name] = [n for n in names(out) if n != "SHA256SUMS"]
    data = (out / name).read_bytes()
    assert name == f"{report_type}.{fmt}"
    if fmt == "json":
        rows = json.loads(data)["rows"]
        assert isinstance(rows, list)
        if "Inventory" in report_type:
            assert rows and rows[0]["Library"]
    elif fmt == "xlsx":
        assert "xl/worksheets/sheet1.xml" in zipfile.ZipFile(out / name).namelist()
    elif fmt == "pdf":
        assert data.startswith(b"%PDF-")
    else:
        assert data.strip()
    assert (
        subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=out, capture_output=True).returncode
        == 0
    )
    job = next(iter(acme.emulator.jobs.values()))
    assert job.report_type == report_type and job.params["format"] == fmt


def test_the_default_format_is_the_first_it_offers(tmp_path: Path, acme: Mend) -> None:
    result = run_cli(
        "report",
        "--type",
        "ProductInventoryReport",
        "--scope",
        "product",
        "--product",
        acme.product_tokens[0],
        *FAST,
        "--out",
        tmp_path / "o",
        env=acme.env(),
    )
    assert result.code == 0, result.stderr
    assert names(tmp_path / "o") == ["ProductInventoryReport.xlsx", "SHA256SUMS"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--type", "OrgAttributionReport", "--scope", "org"),
            "not a report of the org scope; the reference lists OrgHistoryReport",
        ),
        (("--type", "AttributionReport", "--scope", "org"), "not a report of the org scope"),
        (
            ("--type", "ProductSBOMReport", "--scope", "product", "--product", "p"),
            "use sbomgen native",
        ),
        (
            (
                "--type",
                "ProductInventoryReport",
                "--scope",
                "product",
                "--product",
                "p",
                "--format",
                "pdf",
            ),
            "comes as xlsx, json",
        ),
        (("--type", "ProductInventoryReport", "--scope", "product"), "takes one or more --product"),
        (("--type", "OrgInventoryReport", "--scope", "org", "--filter", "nokey"), "KEY=VALUE"),
    ],
)
def test_a_wrong_report_is_refused_before_any_request(
    tmp_path: Path, acme: Mend, args: tuple[str, ...], message: str
) -> None:
    result = run_cli("report", *args, "--out", tmp_path / "o", env=acme.env())
    assert result.code == 2, result.stderr
    assert message in result.stderr
    assert acme.emulator.log == []


def test_a_filter_reaches_the_request(tmp_path: Path, acme: Mend) -> None:
    result = run_cli(
        "report",
        "--type",
        "ProductAttributionReport",
        "--scope",
        "product",
        "--product",
        acme.product_tokens[0],
        "--format",
        "html",
        "--filter",
        "reportingAggregationMode=BY_PROJECT",
        *FAST,
        "--out",
        tmp_path / "o",
        env=acme.env(),
    )
    assert result.code == 0, result.stderr
    job = next(iter(acme.emulator.jobs.values()))
    assert job.params["filter"] == {"reportingAggregationMode": "BY_PROJECT"}


def test_a_report_split_in_parts_keeps_them(tmp_path: Path, start_emulator: Any) -> None:
    mend = start_emulator(async_options=AsyncOptions(download_layout="zip-many"))
    result = run_cli(
        "report",
        "--type",
        "OrgInventoryReport",
        "--scope",
        "org",
        "--format",
        "json",
        *FAST,
        "--out",
        tmp_path / "o",
        env=mend.env(),
    )
    assert result.code == 0, result.stderr
    assert names(tmp_path / "o") == [
        "OrgInventoryReport-part1.json",
        "OrgInventoryReport-part2.json",
        "SHA256SUMS",
    ]


def _report(mend: Mend, out: Path, report_type: str, *args: str) -> Any:
    return run_cli(
        "report",
        "--type",
        report_type,
        "--scope",
        "product",
        "--product",
        mend.product_tokens[0],
        "--format",
        "json",
        *args,
        *FAST,
        "--out",
        out,
        env=mend.env(),
    )


def _summed(out: Path) -> list[str]:
    return sorted(line.split("  ", 1)[1] for line in (out / "SHA256SUMS").read_text().splitlines())


def test_reports_beside_generates_sboms_keep_sha256sums_whole(tmp_path: Path, acme: Mend) -> None:
    """A release directory: generate's SBOMs, then two reports into the same --out. After
    each run SHA256SUMS lists every file sbomgen wrote there, and checks."""
    out = tmp_path / "release"
    generated = run_cli(
        "generate", "--product", acme.product_tokens[0], "--out", out, env=acme.env()
    )
    assert generated.code == 0, generated.stderr
    sboms = [n for n in names(out) if n != "SHA256SUMS"]
    assert sboms
    for report_type in ("ProductInventoryReport", "ProductVulnerabilityReport"):
        result = _report(acme, out, report_type)
        assert result.code == 0, result.stderr
        assert _summed(out) == [n for n in names(out) if n != "SHA256SUMS"]
        assert (
            subprocess.run(
                ["sha256sum", "-c", "SHA256SUMS"], cwd=out, capture_output=True
            ).returncode
            == 0
        )
    assert _summed(out) == sorted(
        [*sboms, "ProductInventoryReport.json", "ProductVulnerabilityReport.json"]
    )
    # a rerun of one report replaces its own file, and keeps the others (and their sums)
    again = _report(acme, out, "ProductInventoryReport")
    assert again.code == 0, again.stderr
    assert "removed" not in again.stderr
    assert len(_summed(out)) == len(sboms) + 2
    # a file changed since sbomgen wrote it is not vouched for: left out, and said
    changed = out / sboms[0]
    changed.write_bytes(changed.read_bytes() + b"\n")
    third = _report(acme, out, "ProductVulnerabilityReport")
    assert third.code == 0, third.stderr
    assert f"{changed} changed since sbomgen (generate) wrote it: left out of SHA256SUMS" in (
        " ".join(third.stderr.split())
    )
    assert sboms[0] not in _summed(out)


def test_a_product_given_twice_is_one_report(tmp_path: Path, acme: Mend) -> None:
    token = acme.product_tokens[0]
    result = _report(acme, tmp_path / "o", "ProductInventoryReport", "--product", token)
    assert result.code == 0, result.stderr
    assert "is given more than once; one report job for it" in result.stderr
    assert len(acme.emulator.jobs) == 1
    assert names(tmp_path / "o") == ["ProductInventoryReport.json", "SHA256SUMS"]
