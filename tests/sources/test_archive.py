"""Safe extraction: every hostile case refused with its reason and entry, nothing written."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from sbomgen._io import OutputDir
from sbomgen.emulator.reports import hostile_cases
from sbomgen.errors import InputDataError, OutputError
from sbomgen.sources.archive import Limits, UnsafeArchiveError, extract_zip, safe_name

REPORT = {"report.cdx.json": b'{"bomFormat": "CycloneDX"}\n'}
CASES = hostile_cases()

EXPECTED = {
    "traversal": ("../../escaped.txt", "leaves the directory"),
    "absolute": ("/var/sbomgen-absolute.txt", "absolute"),
    "backslash": ("..\\..\\escaped.txt", "absolute or leaves"),
    "symlink": ("link-to-etc", "symbolic link"),
    "device": ("null-device", "a device"),
    "fifo": ("a-fifo", "FIFO"),
    "bomb": ("zeros.json", "zip bomb"),
    "many": (None, "more than 1000"),
    "duplicate": ("REPORT.CDX.JSON", "repeats the name"),
    "reserved": ("SHA256SUMS", "takes the name SHA256SUMS, which sbomgen writes itself"),
    "reserved-validation": (
        "VALIDATION.json",
        "takes the name VALIDATION.json, which sbomgen writes itself",
    ),
    "bomb-spread": ("chunk-15.json", "(a zip bomb of many members?), more than 200"),
    "long-name": ("x" * 295 + ".json", "a name part of 300 bytes, longer than the 255"),
}


def test_every_hostile_case_has_an_expectation() -> None:
    assert set(CASES) == set(EXPECTED)


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_archives_are_refused_naming_entry_and_reason(case: str) -> None:
    with pytest.raises(UnsafeArchiveError) as info:
        extract_zip(CASES[case](REPORT), what="downloadAsyncReport")
    entry, reason = EXPECTED[case]
    assert info.value.entry == entry
    assert reason in str(info.value)
    assert "nothing was written" in str(info.value)
    assert isinstance(info.value, InputDataError)  # exit 6


def test_a_multi_file_archive_keeps_every_file() -> None:
    files = {
        "ProductSBOMReport/part-1.spdx.json": b"{}",
        "ProductSBOMReport/part-2.spdx.json": b"{ }",
        "README.txt": b"x",
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("ProductSBOMReport/", b"")  # a directory entry: skipped
        for name, data in files.items():
            zf.writestr(name, data)
    assert extract_zip(buf.getvalue(), what="t") == files


def test_limits_apply() -> None:
    data = CASES["bomb"](REPORT)  # 32 MiB member
    with pytest.raises(UnsafeArchiveError, match="declares 33554432 bytes"):
        extract_zip(data, what="t", limits=Limits(max_member_bytes=1 << 20, max_ratio=1e9))
    with pytest.raises(UnsafeArchiveError, match="past 1000 bytes"):
        extract_zip(data, what="t", limits=Limits(max_total_bytes=1000, max_ratio=1e9))
    assert len(extract_zip(data, what="t", limits=Limits(max_ratio=1e9))["zeros.json"]) == 32 << 20


def test_the_whole_archive_ratio_is_limited_not_only_each_member() -> None:
    """Many members, each too small for its own ratio to be checked, add up."""
    data = CASES["bomb-spread"](REPORT)
    with pytest.raises(UnsafeArchiveError, match=r"inflated size to \d+ bytes, \d+ times"):
        extract_zip(data, what="t")
    # what the limits allow passes: a higher ratio, or a floor above the total
    assert len(extract_zip(data, what="t", limits=Limits(max_ratio=1e4))) == 65
    assert len(extract_zip(data, what="t", limits=Limits(ratio_floor=64 << 20))) == 65
    # a small archive that compresses well is no bomb: below the floor, no ratio applies
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for i in range(8):
            zf.writestr(f"part-{i}.json", b" " * (100 << 10))
    assert len(extract_zip(buf.getvalue(), what="t")) == 8


@pytest.mark.parametrize(
    "name",
    [
        "VALIDATION.json",
        "validation.JSON",
        "compare.txt",
        "compare.md",
        "Compare.json",
        "enriched/report.cdx.json",
        "sha256sums",
        ".sbomgen-manifest.json/x",
    ],
)
def test_every_name_sbomgen_writes_beside_a_report_is_refused(name: str) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("report.cdx.json", b"{}")
        zf.writestr(name, b"{}")
    with pytest.raises(UnsafeArchiveError, match="which sbomgen writes itself") as info:
        extract_zip(buf.getvalue(), what="t")
    assert info.value.entry == name


def test_not_a_zip_is_bad_input() -> None:
    with pytest.raises(InputDataError, match="not a readable zip archive"):
        extract_zip(b"<html>error</html>", what="downloadAsyncReport")


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("a.json", "a.json"),
        ("./dir/./a.json", "dir/a.json"),
        ("dir//a.json", "dir/a.json"),
        ("../a", None),
        ("a/../../b", None),
        ("/etc/passwd", None),
        ("C:/x", None),
        ("a\\b", None),
        ("nul\x00", None),
        ("", None),
        (".", None),
        ("x" * 255, "x" * 255),
        ("x" * 256, None),
        ("dir/" + "x" * 300 + "/a.json", None),
        ("é" * 127, "é" * 127),  # 254 bytes
        ("é" * 128, None),  # 128 characters, 256 bytes
    ],
)
def test_safe_names(name: str, safe: str | None) -> None:
    assert safe_name(name) == safe


def test_writing_through_a_planted_symlink_is_refused(tmp_path: Path) -> None:
    """A directory inside --out that is a link to elsewhere must not carry a write out."""
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (out / "reports").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(OutputError, match="outside"):
        OutputDir(out, owner="native").write({"reports/x.json": b"{}"})
    assert list(elsewhere.iterdir()) == []
