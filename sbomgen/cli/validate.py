"""``sbomgen validate``: check CycloneDX and SPDX files, whoever wrote them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from sbomgen.cli import options as o
from sbomgen.cli.common import begin
from sbomgen.errors import InputDataError, ProfileNotMetError, ValidationFailedError

VALIDATION_SCHEMA = "sbomgen-validation/1"

OPTIONS = [
    click.argument(
        "files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False)
    ),
    o.report_format_option(),
    o.option(
        "--profile",
        "profiles",
        multiple=True,
        type=o.DocChoice(("ntia", "cisa-2025", "fsct3", "bsi", "telco")),
        per_command=True,
        help="Also judge each file against a conformance profile (repeatable): ntia, "
        "fsct3 and bsi by ntia-conformance-checker for SPDX, cisa-2025 and telco by rules "
        "citing their texts. Lists what is missing and on which components; exit 1 when "
        "a profile is not met.",
    ),
]


@o.command(
    OPTIONS, credentials=False, short_help="Validate CycloneDX or SPDX files, whoever wrote them."
)
def validate(files: tuple[Path, ...], report_format: str, profiles: tuple[str, ...]) -> None:
    """Validate CycloneDX or SPDX files; the format and version are read from the content.

    Prints every problem with its location: the JSON path (or XML line), and the SPDX id or
    bom-ref of the element it is in. Exit 0 when all are valid, 7 when one is not, 6 when
    one is no document sbomgen can read. --format json prints the same for machines
    (schema sbomgen-validation/1, in docs/cli-json.md).
    """
    state = begin(click.get_current_context())
    from sbomgen.emit.validate import validate_file

    results: list[dict[str, Any]] = []
    for path in files:
        entry: dict[str, Any] = {
            "path": str(path),
            "status": "valid",
            "standard": None,
            "version": None,
            "format": None,
            "problems": [],
            "error": None,
        }
        try:
            found, problems = validate_file(path)
        except InputDataError as exc:  # not a document sbomgen can read: say so, go on
            entry.update(status="unreadable", error=str(exc))
            results.append(entry)
            if report_format == "text":
                click.echo(f"{path}: UNREADABLE: {exc}")
            continue
        entry.update(
            standard=found.standard,
            version=found.version,
            format=found.fmt,
            status="invalid" if problems else "valid",
            problems=[p.to_json() for p in problems],
        )
        try:
            judged = _profiles(path, profiles) if profiles else []
        except InputDataError as exc:  # valid, but no profile can read it: say so, go on
            entry.update(status="unreadable", error=str(exc))
            results.append(entry)
            if report_format == "text":
                click.echo(f"{path}: UNREADABLE for --profile: {exc}")
            continue
        if profiles:
            entry["profiles"] = [r.to_json() for r in judged]
        results.append(entry)
        if report_format != "text":
            continue
        what = f"{found.standard} {found.version} {found.fmt.upper()}"
        if problems:
            n = len(problems)
            click.echo(f"{path}: INVALID ({what}), {n} problem{'s' if n != 1 else ''}")
            for problem in problems:
                click.echo(f"  {problem}")
        elif not state.quiet:
            click.echo(f"{path}: valid ({what})")
        for result in judged:
            _print_profile(result, quiet=state.quiet)
    invalid = sum(1 for r in results if r["status"] == "invalid")
    not_met = [
        f"{r['path']}: {p['profile']}"
        for r in results
        for p in r.get("profiles", [])
        if not p["passed"]
    ]
    unreadable = sum(1 for r in results if r["status"] == "unreadable")
    if report_format == "json":
        report = {
            "schema": VALIDATION_SCHEMA,
            "files": results,
            "valid": len(results) - invalid - unreadable,
            "invalid": invalid,
            "unreadable": unreadable,
        }
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
    plural = "s" if len(files) != 1 else ""
    if invalid:
        raise ValidationFailedError(
            f"{invalid} of {len(files)} file{plural} failed validation"
            + (f", {unreadable} could not be read" if unreadable else "")
        )
    if unreadable:
        raise InputDataError(
            f"{unreadable} of {len(files)} file{plural} could not be read as CycloneDX or SPDX"
        )
    if not_met:
        raise ProfileNotMetError(
            f"{len(not_met)} profile check{'s' if len(not_met) != 1 else ''} not met: "
            + ", ".join(not_met)
        )


def _profiles(path: Path, profiles: tuple[str, ...]) -> list[Any]:
    from sbomgen.gates.profiles import check

    _facts, results = check(path, dict.fromkeys(profiles))
    return results


def _print_profile(result: Any, *, quiet: bool) -> None:
    verdict = "met" if result.passed else "NOT MET"
    if result.passed and quiet:
        return
    click.echo(f"  profile {result.profile}: {verdict} ({result.checker})")
    for req in result.requirements:
        if req.met:
            continue
        if not req.required:
            continue  # recommended only: in --format json
        who = {"producer": "the producer can fill it", "source": "the data source lacks it"}.get(
            req.cause, "cause unknown"
        )
        shown = ", ".join(req.missing[:8]) + (
            f" (and {len(req.missing) - 8} more)" if len(req.missing) > 8 else ""
        )
        click.echo(
            f"    missing {req.element}"
            + (f" on {len(req.missing)}: {shown}" if req.missing else "")
            + f" [{who}; {req.reference}]"
        )
