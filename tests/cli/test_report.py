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
