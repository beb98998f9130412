"""``sbomgen native`` against the emulator, over HTTP, as a user runs it (subprocesses)."""

from __future__ import annotations

import io
import json
import re
import signal
import subprocess
import sys
import time
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from conftest import ORG_ADMIN_KEY, PRODUCT_ADMIN_KEY, Mend, clean_env, names, read_json, run_cli
from test_machines import check

from sbomgen.emulator.reports import AsyncOptions, hostile_cases
from sbomgen.sources.client import shorten_token

CASES = hostile_cases()

FAST = ("--poll-interval", "0.05")


def native(mend: Mend, out: Path, *args: Any, env: dict[str, str] | None = None) -> Any:
    return run_cli("native", *args, *FAST, "--out", out, env=env or mend.env())


def _requests(mend: Mend) -> list[str]:
    return [rt for rt, _status in mend.emulator.log]


def test_a_product_sbom_is_kept_byte_for_byte_validated_and_summed(
    tmp_path: Path, acme: Mend
) -> None:
    out = tmp_path / "out"
    product = acme.product_tokens[0]
    result = native(acme, out, "--product", product, "--standard", "cyclonedx")
    assert result.code == 0, result.stderr
    [report] = [n for n in names(out) if n.endswith(".json") and n != "VALIDATION.json"]
    assert report == "Acme-Storefront-cyclonedx-1.5.json"
    # what Mend sent, byte for byte: the emulator's own download of the same job
    job = next(iter(acme.emulator.jobs.values()))
    sent = zipfile.ZipFile(io.BytesIO(acme.emulator.report_zip(job)))
    assert (out / report).read_bytes() == sent.read(report)
    assert (
        subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=out, capture_output=True).returncode
        == 0
    )
    validation = read_json(out / "VALIDATION.json")
    check(validation, "sbomgen-validation-1")
    assert validation["valid"] == 1 and validation["invalid"] == 0
    assert "valid (CycloneDX 1.5 JSON)" in result.stderr
    # the documented flow, in order, and the parameters sent
    flow = _requests(acme)
    assert flow[0] == "generateProductReportAsync" and flow[-1] == "downloadAsyncReport"
    assert set(flow[1:-1]) == {"getAsyncProcessStatus"}
    assert job.params["maxDepthLevel"] == 100  # the whole tree, not Mend's default 0
    assert job.params["version"] == "1.5" and job.params["includeVulnerabilities"] is True
    for secret in (ORG_ADMIN_KEY, acme.org_token):
        for path in out.rglob("*"):
            if path.is_file():
                assert secret.encode() not in path.read_bytes()
        assert secret not in result.stderr + result.stdout


def test_max_depth_makes_the_difference_it_should(tmp_path: Path, acme: Mend) -> None:
    product = acme.product_tokens[0]
    counts = {}
    for depth in ("0", None):
        out = tmp_path / f"depth-{depth}"
        args = ["--product", product, "--standard", "cyclonedx"]
        if depth is not None:
            args += ["--max-depth", depth]
        assert native(acme, out, *args).code == 0
        doc = read_json(out / "Acme-Storefront-cyclonedx-1.5.json")
        counts[depth] = len(doc["components"])  # type: ignore[arg-type]
    assert counts["0"] == 18 and counts[None] == 38  # top level only, then the whole tree


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--standard", "cyclonedx", "--format", "yaml"), "CycloneDX SBOM comes as json, xml"),
        (("--standard", "spdx", "--spec-version", "1.5"), "SBOM is version 2.2 or 2.3"),
        (("--standard", "cyclonedx", "--spec-version", "2.3"), "SBOM is version 1.4 or 1.5"),
        (("--standard", "spdx", "--max-depth", "2"), "--max-depth applies to CycloneDX only"),
        ((), "--standard cyclonedx or spdx is required"),
        (("--standard", "spdx", "--format", "xlsx", "--compare"), "no reader takes an SPDX XLSX"),
        (("--standard", "spdx", "--format", "xlsx", "--enrich"), "no reader takes an SPDX XLSX"),
    ],
)
def test_an_unsupported_combination_is_refused_before_any_request(
    tmp_path: Path, acme: Mend, args: tuple[str, ...], message: str
) -> None:
    result = native(acme, tmp_path / "out", "--product", acme.product_tokens[0], *args)
    assert result.code == 2, result.stderr
    assert message.lower() in result.stderr.lower()
    assert acme.emulator.log == [] and not (tmp_path / "out").exists()


def test_the_organization_token_is_needed_before_any_request(tmp_path: Path, acme: Mend) -> None:
    env = acme.env(key=PRODUCT_ADMIN_KEY, org=False)
    result = native(
        acme, tmp_path / "o", "--product", acme.product_tokens[0], "--standard", "spdx", env=env
    )
    assert result.code == 3 and "MEND_ORG_TOKEN" in result.stderr
    assert acme.emulator.log == []


def test_a_failed_report_names_the_uuid(tmp_path: Path, start_emulator: Any) -> None:
    mend = start_emulator(async_options=AsyncOptions(sequence=("PENDING", "IN_PROGRESS", "FAILED")))
    result = native(mend, tmp_path / "o", "--product", mend.product_tokens[0], "--standard", "spdx")
    assert result.code == 4, result.stderr
    job = next(iter(mend.emulator.jobs.values()))
    assert (
        "Mend reports FAILED for ProductSBOMReport" in result.stderr and job.uuid in result.stderr
    )
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize(
    "sequence",
    [("PENDING", "FAILED"), ("FAILED",)],
    ids=["failed-when-polled", "failed-at-once"],  # at once: the generate answer says FAILED
)
def test_a_single_scope_is_named_once_in_messages(
    tmp_path: Path, start_emulator: Any, sequence: tuple[str, ...]
) -> None:
    mend = start_emulator(async_options=AsyncOptions(sequence=sequence))
    token = mend.product_tokens[0]
    result = native(mend, tmp_path / "o", "--product", token, "--standard", "cyclonedx")
    assert result.code == 4, result.stderr
    assert f"ProductSBOMReport of product {shorten_token(token)} (uuid" in result.stderr
    assert "product product" not in result.stderr
    assert "Mend gave no reason" in result.stderr  # the emulator's default: none, as documented


def test_mends_reason_for_a_failed_report_is_printed(tmp_path: Path, start_emulator: Any) -> None:
    reason = "Report generation failed: the product has too many libraries (code 7781)"
    mend = start_emulator(
        async_options=AsyncOptions(sequence=("PENDING", "FAILED"), failure_reason=reason)
    )
    result = native(mend, tmp_path / "o", "--product", mend.product_tokens[0], "--standard", "spdx")
    assert result.code == 4, result.stderr
    job = next(iter(mend.emulator.jobs.values()))
    line = next(x for x in result.stderr.splitlines() if x.startswith("sbomgen: error:"))
    assert job.uuid in line and f"Mend's message: {reason}" in line


def test_a_timeout_says_how_long_and_resume_picks_the_report_up(
    tmp_path: Path, start_emulator: Any
) -> None:
    mend = start_emulator(async_options=AsyncOptions(sequence=("PENDING", "IN_PROGRESS")))
    out = tmp_path / "o"
    args = ("--product", mend.product_tokens[0], "--standard", "cyclonedx", "--format", "xml")
    result = native(mend, out, *args, "--timeout", "1")
    assert result.code == 5, result.stderr
    job = next(iter(mend.emulator.jobs.values()))
    line = next(x for x in result.stderr.splitlines() if x.startswith("sbomgen: error:"))
    assert "was not ready after 1s" in line and "last status IN_PROGRESS" in line
    assert f"--resume {job.uuid}" in line
    command = (
        f"The command: sbomgen native --resume {job.uuid} --product {mend.product_tokens[0]} "
        f"--standard cyclonedx --format xml --out {out}"
    )
    assert command in line
    assert not out.exists()
    # Mend finishes it later; the uuid picks it up, without a new request for a report
    mend.emulator.async_options = replace(
        mend.emulator.async_options, sequence=("PENDING", "IN_PROGRESS", "SUCCESS")
    )
    mend.emulator.log.clear()
    resumed = native(mend, out, "--resume", job.uuid, "--standard", "cyclonedx", "--format", "xml")
    assert resumed.code == 0, resumed.stderr
    assert "generateProductReportAsync" not in _requests(mend)
    assert names(out) == ["Acme-Storefront-cyclonedx-1.5.xml", "SHA256SUMS", "VALIDATION.json"]


def test_several_scopes_run_concurrently_each_in_its_folder(tmp_path: Path, acme: Mend) -> None:
    out = tmp_path / "o"
    payments = acme.dataset.products[1]
    result = native(
        acme,
        out,
        "--product",
        acme.product_tokens[0],
        "--project",
        payments.projects[0].token,
        "--standard",
        "spdx",
        "--format",
        "tv",
    )
    assert result.code == 0, result.stderr
    expected = ["Acme-Storefront", payments.projects[0].name, "SHA256SUMS", "VALIDATION.json"]
    assert names(out) == sorted(expected)
    assert _requests(acme).count("downloadAsyncReport") == 2
    assert (
        out / payments.projects[0].name / f"{payments.projects[0].name}-spdx-2.3.spdx"
    ).is_file()


def _popen_native(mend: Mend, *args: str | Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "sbomgen", "native", *map(str, args), *FAST],
        env=mend.env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for(condition: Any, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the emulator never saw what the test waits for"
        time.sleep(0.05)


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_with_several_scopes_stops_at_once_and_names_each_uuid(
    tmp_path: Path, start_emulator: Any, sig: int, code: int
) -> None:
    """Two jobs polling reports that never finish (within a wait of an hour): an interrupt
    ends the run at once, names each report's uuid with the command that resumes it, and
    leaves --out as it was."""
    mend = start_emulator(async_options=AsyncOptions(sequence=("PENDING", "IN_PROGRESS")))
    out = tmp_path / "o"
    out.mkdir()
    (out / "kept.txt").write_text("here before\n")
    first, second = mend.product_tokens[:2]
    proc = _popen_native(
        mend, "--product", first, "--product", second, "--standard", "cyclonedx", "--out", out
    )
    _wait_for(
        lambda: (
            len(mend.emulator.jobs) == 2
            and all(j.polls >= 2 for j in list(mend.emulator.jobs.values()))
        )
    )
    sent = time.monotonic()
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == code, err
    assert time.monotonic() - sent < 10  # not the hour of --timeout
    assert "Traceback" not in err and "nothing was left half-written" in err
    for job in mend.emulator.jobs.values():
        stem = "Acme-Storefront" if job.token == first else "Acme-Payments"
        command = (
            f"sbomgen native --resume {job.uuid} --product {job.token} --standard cyclonedx "
            f"--format json --out {out / stem}"
        )
        assert f"report uuid {job.uuid} was IN_PROGRESS when interrupted; Mend may" in err
        assert command in err, err
    assert sorted(p.name for p in out.iterdir()) == ["kept.txt"]
    # the resume command it printed picks the report up, once Mend has finished it
    job = next(j for j in mend.emulator.jobs.values() if j.token == second)
    job.status = "SUCCESS"
    resumed = native(
        mend,
        out / "Acme-Payments",
        "--resume",
        job.uuid,
        "--product",
        second,
        "--standard",
        "cyclonedx",
        "--format",
        "json",
    )
    assert resumed.code == 0, resumed.stderr
    assert "Acme-Payments-cyclonedx-1.5.json" in names(out / "Acme-Payments")


def test_every_job_is_reported_and_the_finished_ones_are_kept(
    tmp_path: Path, start_emulator: Any
) -> None:
    """Three scopes: one finishes, one FAILS, one is not ready in time. The finished one's
    folder is written whole (with VALIDATION.json and SHA256SUMS over it); each other job
    is named with the command that requests or resumes it; the exit code is the first
    failure's (FAILED: 4)."""
    mend = start_emulator(async_options=AsyncOptions(sequence=("PENDING", "IN_PROGRESS")))
    out = tmp_path / "o"
    storefront, payments = mend.product_tokens[:2]
    project = mend.dataset.products[0].projects[0]
    proc = _popen_native(
        mend,
        "--product",
        storefront,
        "--product",
        payments,
        "--project",
        project.token,
        "--standard",
        "cyclonedx",
        "--timeout",
        "4",
        "--out",
        out,
    )
    _wait_for(lambda: len(mend.emulator.jobs) == 3)
    by_token = {j.token: j for j in list(mend.emulator.jobs.values())}
    by_token[storefront].status = "SUCCESS"  # Mend finishes one, fails one
    by_token[payments].status = "FAILED"
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 4, err
    assert names(out) == ["Acme-Storefront", "SHA256SUMS", "VALIDATION.json"]
    assert names(out / "Acme-Storefront") == ["Acme-Storefront-cyclonedx-1.5.json"]
    assert (
        subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=out, capture_output=True).returncode
        == 0
    )
    assert [f["path"] for f in read_json(out / "VALIDATION.json")["files"]] == [  # type: ignore[index]
        "Acme-Storefront/Acme-Storefront-cyclonedx-1.5.json"
    ]
    failed, late = by_token[payments], by_token[project.token]
    assert (
        f"Mend reports FAILED for ProductSBOMReport of product Acme Payments (uuid {failed.uuid})"
        in err
    )
    assert (
        "request it again with: sbomgen native --product "
        f"{payments} --standard cyclonedx --format json --out {out / 'Acme-Payments'}"
    ) in err
    assert f"was not ready after 4s (last status IN_PROGRESS, uuid {late.uuid})" in err
    late_out = out / project.name.replace(" ", "-")
    assert (
        f"resume it with: sbomgen native --resume {late.uuid} --project {project.token} "
        f"--standard cyclonedx --format json --out {late_out}"
    ) in err
    line = next(x for x in err.splitlines() if x.startswith("sbomgen: error:"))
    assert "2 of 3 report jobs did not finish" in line
    assert "the 1 finished report(s) are kept" in line and "each scope's folder complete" in line
    # Mend finishes the late one: the command it printed writes that scope's folder
    late.status = "SUCCESS"
    command = next(x for x in err.splitlines() if "resume it with:" in x).split(": ", 1)[1]
    resumed = run_cli(*command.split()[1:], *FAST, env=mend.env())
    assert resumed.code == 0, resumed.stderr
    assert f"{project.name.replace(' ', '-')}-cyclonedx-1.5.json" in names(late_out)


def test_a_scope_given_twice_is_one_job(tmp_path: Path, acme: Mend) -> None:
    out = tmp_path / "o"
    token = acme.product_tokens[0]
    result = native(acme, out, "--product", token, "--product", token, "--standard", "cyclonedx")
    assert result.code == 0, result.stderr
    assert f"--product {shorten_token(token)} is given more than once" in result.stderr
    assert len(acme.emulator.jobs) == 1
    assert names(out) == ["Acme-Storefront-cyclonedx-1.5.json", "SHA256SUMS", "VALIDATION.json"]


def test_two_scopes_of_one_name_get_two_folders(tmp_path: Path, acme: Mend) -> None:
    acme.dataset.products[1].raw["name"] = acme.dataset.products[0].name  # as Mend allows
    out = tmp_path / "o"
    first, second = acme.product_tokens[:2]
    result = native(acme, out, "--product", first, "--product", second, "--standard", "spdx")
    assert result.code == 0, result.stderr
    assert names(out) == ["Acme-Storefront", "Acme-Storefront-2", "SHA256SUMS", "VALIDATION.json"]
    assert read_json(out / "VALIDATION.json")["valid"] == 2


def test_compare_leaves_out_a_file_that_is_no_sbom(tmp_path: Path, acme: Mend) -> None:
    """Mend's zip holds the SBOM and a JSON file beside it: --compare warns and goes on."""

    def with_extra(emulator: Any, job: Any) -> dict[str, bytes]:
        emulator.report_builder = None
        try:
            files = emulator._report(job)
        finally:
            emulator.report_builder = with_extra
        return {**files, "report-info.json": b'{"generatedBy": "Mend"}\n'}

    acme.emulator.report_builder = with_extra
    out = tmp_path / "o"
    result = native(
        acme,
        out,
        "--product",
        acme.product_tokens[0],
        "--standard",
        "cyclonedx",
        "--compare",
        "json",
    )
    assert result.code == 0, result.stderr
    assert "report-info.json is not an SBOM sbomgen reads" in result.stderr
    assert "--compare and --enrich leave it out" in result.stderr
    comparison = read_json(out / "compare.json")
    assert comparison["native"]["file"] == "Acme-Storefront-cyclonedx-1.5.json"  # type: ignore[index]
    assert "report-info.json" in names(out)  # kept as Mend sent it, and summed


def test_a_download_larger_than_an_archive_may_be_is_refused_unread(acme: Mend) -> None:
    from sbomgen.sources.archive import Limits
    from sbomgen.sources.native import AsyncReports, Job, PollPolicy

    job = Job(
        "product",
        acme.product_tokens[0],
        {"reportType": "ProductSBOMReport", "standard": "cyclonedx", "format": "json"},
    )
    with acme.client() as client:
        runner = AsyncReports(
            client, policy=PollPolicy(first=0.01), limits=Limits(max_total_bytes=2000)
        )
        [state] = runner.run_all([job])
    assert not state.done
    assert "Mend's answer is larger than 2000 bytes" in str(state.error)
    assert "it declares" in str(state.error)
    # the status answers are small: the job got as far as the download
    assert [rt for rt, _ in acme.emulator.log][-1] == "downloadAsyncReport"


def test_a_report_split_across_files_keeps_every_file(tmp_path: Path, start_emulator: Any) -> None:
    mend = start_emulator(async_options=AsyncOptions(download_layout="zip-many"))
    out = tmp_path / "o"
    result = native(
        mend,
        out,
        "--product",
        mend.product_tokens[0],
        "--standard",
        "cyclonedx",
        "--compare",
        "json",
    )
    assert result.code == 0, result.stderr
    parts = [
        n
        for n in names(out)
        if n.endswith(".json") and n not in ("VALIDATION.json", "compare.json")
    ]
    projects = mend.dataset.products[0].projects
    assert len(parts) == len(projects) > 1  # one file per project, each kept
    assert read_json(out / "VALIDATION.json")["valid"] == len(parts)
    comparison = read_json(out / "compare.json")
    assert comparison["native"]["file"] == ", ".join(sorted(parts))  # type: ignore[index]


@pytest.mark.parametrize(
    "options",
    [
        AsyncOptions(download_layout="bare"),
        AsyncOptions(product_sbom_sync="file"),
        AsyncOptions(product_sbom_sync="zip"),
        AsyncOptions(product_sbom_token="projectToken"),
        AsyncOptions(context_id="number", dates="unpadded"),
        AsyncOptions(sequence=("PENDING", "PENDING", "IN_PROGRESS", "IN_PROGRESS", "SUCCESS")),
    ],
    ids=["bare-download", "sync-file", "sync-zip", "projectToken", "number-and-dates", "slow"],
)
def test_every_reading_of_the_reference_works(
    tmp_path: Path, start_emulator: Any, options: AsyncOptions
) -> None:
    mend = start_emulator(async_options=options)
    out = tmp_path / "o"
    result = native(mend, out, "--product", mend.product_tokens[0], "--standard", "cyclonedx")
    assert result.code == 0, result.stderr
    docs = [n for n in names(out) if n.endswith(".json") and n != "VALIDATION.json"]
    assert len(docs) == 1 and read_json(out / docs[0])["bomFormat"] == "CycloneDX"


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_hostile_archive_is_refused_and_the_directory_stays(
    tmp_path: Path, start_emulator: Any, case: str
) -> None:
    mend = start_emulator(async_options=AsyncOptions(hostile_zip=case))
    out = tmp_path / "o"
    out.mkdir()
    (out / "kept.txt").write_text("here before\n")
    result = native(mend, out, "--product", mend.product_tokens[0], "--standard", "cyclonedx")
    assert result.code == 6, result.stderr
    assert "refused the archive" in result.stderr and "nothing was written" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["kept.txt"]
    assert (
        not (tmp_path / "escaped.txt").exists() and not Path("/var/sbomgen-absolute.txt").exists()
    )


def test_an_invalid_native_report_is_kept_and_reported(tmp_path: Path, start_emulator: Any) -> None:
    mend = start_emulator(async_options=AsyncOptions(spdx_underscores=True))
    out = tmp_path / "o"
    args = ("--product", mend.product_tokens[0], "--standard", "spdx")
    result = native(mend, out, *args)
    assert result.code == 7, result.stderr
    assert "INVALID (SPDX 2.3 JSON)" in result.stderr and "kept as Mend sent it" in result.stderr
    report = read_json(out / "VALIDATION.json")
    check(report, "sbomgen-validation-1")
    problems = report["files"][0]["problems"]  # type: ignore[index]
    assert problems and all("_" in (p["spdx_id"] or "") for p in problems if p["spdx_id"])
    assert (
        subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=out, capture_output=True).returncode
        == 0
    )
    allowed = native(mend, tmp_path / "p", *args, "--allow-invalid")
    assert allowed.code == 0 and "INVALID" in allowed.stderr


def test_compare_finds_what_the_native_report_and_the_model_disagree_on(
    tmp_path: Path, acme: Mend
) -> None:
    out = tmp_path / "o"
    product = acme.product_tokens[0]
    result = native(
        acme,
        out,
        "--product",
        product,
        "--standard",
        "cyclonedx",
        "--max-depth",
        "0",
        "--compare",
        "json",
    )
    assert result.code == 0, result.stderr
    comparison = json.loads(result.stdout)
    check(comparison, "sbomgen-compare-1")
    assert read_json(out / "compare.json") == comparison
    assert (
        comparison["native"]["deepest_level"] == 0 and comparison["assembled"]["deepest_level"] == 3
    )
    # depth 0: every deeper library is missing, level by level
    assert comparison["missing_levels"] == [
        {"level": 1, "libraries": 16},
        {"level": 2, "libraries": 3},
        {"level": 3, "libraries": 1},
    ]
    assert comparison["only_in_native"] == []
    # Mend names a wheel's file, not the package, in its pypi purls
    purls = {d["assembled"]: d["native"] for d in comparison["purl_differences"]}
    assert purls["pkg:pypi/requests@2.32.4"] == "pkg:pypi/requests-2.32.4-py3-none-any.whl@2.32.4"
    licenses = {d["component"]: d for d in comparison["license_differences"]}
    assert licenses["acme-commons-3.2.0.jar 3.2.0"]["native"] == ["Acme Proprietary License"]
    text = native(
        acme, tmp_path / "t", "--product", product, "--standard", "cyclonedx", "--compare", "md"
    )
    assert text.code == 0 and text.stdout.startswith("# Mend's native SBOM against")
    assert "## Missing dependency levels (0)" in text.stdout  # the whole tree: none missing


def test_enrich_adds_what_the_native_report_lacks_and_marks_it(tmp_path: Path, acme: Mend) -> None:
    out = tmp_path / "o"
    result = native(
        acme,
        out,
        "--product",
        acme.product_tokens[0],
        "--standard",
        "cyclonedx",
        "--max-depth",
        "0",
        "--enrich",
    )
    assert result.code == 0, result.stderr
    enriched = sorted((out / "enriched").iterdir())
    assert [p.name for p in enriched] == ["Acme-Storefront.cdx.json", "Acme-Storefront.spdx.json"]
    assert run_cli("validate", *enriched).code == 0  # sbomgen's own documents, valid
    doc = read_json(out / "enriched" / "Acme-Storefront.cdx.json")
    props = {
        c["name"]: {p["name"]: p["value"] for p in c.get("properties", [])}
        for c in doc["components"]  # type: ignore[union-attr]
    }
    # a level the native report (depth 0) does not reach: the whole component is added
    assert props["color-name"]["sbomgen:source:component"] == "sbomgen-assembled"
    # a component the report has: its facts are the report's, what it lacks is marked
    assert props["lodash"]["sbomgen:source:component"] == "mend-native-report"
    assert props["lodash"]["sbomgen:source:copyright"] == "sbomgen-assembled"
    assert props["lodash"]["sbomgen:source:license-text"] == "sbomgen-assembled"
    assert props["requests"]["sbomgen:source:purl"] == (
        "sbomgen-assembled (the native report says pkg:pypi/requests-2.32.4-py3-none-any.whl@2.32.4)"
    )
    spdx = read_json(out / "enriched" / "Acme-Storefront.spdx.json")
    comment = next(p["comment"] for p in spdx["packages"] if p["name"] == "lodash")  # type: ignore[union-attr]
    assert (
        comment.startswith("From mend-native-report: component")
        and "From sbomgen-assembled: copyright" in comment
    )


def test_a_progress_line_per_job_on_a_terminal(tmp_path: Path, acme: Mend) -> None:
    import shlex
    import shutil
    import sys

    if shutil.which("script") is None:
        pytest.skip("util-linux script is not installed")
    command = shlex.join(
        [
            sys.executable,
            "-m",
            "sbomgen",
            "native",
            "--product",
            acme.product_tokens[0],
            "--product",
            acme.product_tokens[1],
            "--standard",
            "cyclonedx",
            *FAST,
            "--out",
            str(tmp_path / "o"),
        ]
    )
    proc = subprocess.run(
        ["script", "-qec", command, "/dev/null"], capture_output=True, text=True, env=acme.env()
    )
    screen = proc.stdout
    assert proc.returncode == 0, screen
    assert "[1/2] product Acme Storefront: " in screen
    assert "[2/2] product Acme Payments: " in screen
    assert "\x1b[?25l" in screen  # drawn live (rich hides the cursor while it redraws)
    finals = re.findall(r"\[(\d)/2\] product [^:]+: DOWNLOADED", screen)
    assert sorted(set(finals)) == ["1", "2"]
    # not a terminal: no cursor movement, nothing but the summary
    piped = native(
        acme, tmp_path / "p", "--product", acme.product_tokens[0], "--standard", "cyclonedx"
    )
    assert "\x1b[" not in piped.stderr


def test_native_help_says_the_defaults() -> None:
    text = " ".join(
        run_cli("native", "--help", env={**clean_env(), "COLUMNS": "100"}).stdout.split()
    )
    assert "Default: the whole tree" in text and "Mend's default of 0" in text
    assert "an hour suits a product of 10,000 libraries" in text and "default: 3600.0" in text
