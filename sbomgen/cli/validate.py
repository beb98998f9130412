"""``sbomgen validate``: check CycloneDX and SPDX files, whoever wrote them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from sbomgen.cli import options as o
from sbomgen.cli.common import begin
from sbomgen.errors import InputDataError, ValidationFailedError

VALIDATION_SCHEMA = "sbomgen-validation/1"

OPTIONS = [
    click.argument(
        "files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False)
    ),
    o.report_format_option(),
]


@o.command(
    OPTIONS, credentials=False, short_help="Validate CycloneDX or SPDX files, whoever wrote them."
)
def validate(files: tuple[Path, ...], report_format: str) -> None:
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
    invalid = sum(1 for r in results if r["status"] == "invalid")
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
