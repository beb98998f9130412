"""``sbomgen check``: a release gate. SBOM files (anyone's), a snapshot or a live scope,
judged against a license and vulnerability policy (sbomgen.gates.policy, docs/policy.md).

Exit 0 when everything passes, 1 when a rule is violated, 2 when the policy, an input or
an option cannot be used (the message names the file and the field).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import click
from click.core import ParameterSource

from sbomgen.cli import options as o
from sbomgen.cli.common import SourceArgs, begin, say
from sbomgen.errors import SbomgenError

POLICY = "Policy"
REPORT_FORMATS = ("text", "markdown", "json", "html")
EXIT_CODES = (
    ("0", "every component passes the policy (warnings allowed)"),
    ("1", "the policy is violated"),
    (
        "2",
        "no verdict: a usage error, a policy, SBOM, config file or source that cannot be "
        "used (the message names the file and the field), an output that cannot be written, "
        "or an internal error",
    ),
    ("130", "interrupted (Ctrl-C); 143: terminated (SIGTERM)"),
)

OPTIONS = [
    click.argument("files", nargs=-1, type=click.Path(path_type=Path, dir_okay=False, exists=True)),
    o.option(
        "--policy",
        type=click.Path(path_type=Path, dir_okay=False, exists=True),
        per_command=True,
        section=POLICY,
        help="The policy (TOML): [licenses], [vulnerabilities], [[exceptions]]; see "
        "docs/policy.md. Required.",
    ),
    o.option(
        "--date",
        "on_date",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        metavar="YYYY-MM-DD",
        per_command=True,
        section=POLICY,
        help="Judge the exceptions' expiry as on this day (default: today, UTC).",
    ),
    o.option(
        "--format",
        "report_format",
        type=o.DocChoice(REPORT_FORMATS),
        default="text",
        show_default=True,
        per_command=True,
        section=o.OUTPUT,
        help="The report on stdout: text, markdown (for pull requests), json (schema "
        "sbomgen-check/1 in docs/cli-json.md) or html (one self-contained page).",
    ),
    o.option(
        "--junit",
        type=click.Path(path_type=Path, dir_okay=False),
        per_command=True,
        section=o.OUTPUT,
        help="Also write JUnit XML here: one test case per component and rule.",
    ),
    *o.source_options(),
    *o.enrich_options(),
]


class CheckCommand(o.Command):
    """``check``'s help lists the policy options first, in a section of their own."""

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [
            record
            for param in self.get_params(ctx)
            if isinstance(param, o.Opt) and param.section == POLICY
            for record in [param.get_help_record(ctx)]
            if record is not None
        ]
        if rows:
            with formatter.section(POLICY):
                formatter.write_dl(rows)
        super().format_options(ctx, formatter)

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section(
            "Credentials (from the environment; from a config file only with "
            "--allow-config-credentials)"
        ):
            formatter.write_dl(list(o.CREDENTIALS))
        with formatter.section("Exit codes"):
            formatter.write_dl(list(EXIT_CODES))

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except SbomgenError as exc:  # a bad config file, read while the options are parsed
            raise CheckError(exc.diagnostics()) from exc
        except (click.ClickException, click.exceptions.Exit):
            raise
        except Exception as exc:  # a config value click cannot convert
            raise CheckError(f"cannot read the options: {type(exc).__name__}: {exc}") from exc

    def invoke(self, ctx: click.Context) -> Any:
        """Exit 2 whenever no verdict could be reached: an internal error too (never 1,
        which says the policy was violated)."""
        try:
            return super().invoke(ctx)
        except (SbomgenError, click.ClickException, click.exceptions.Exit, BrokenPipeError):
            raise
        except Exception as exc:
            raise CheckError(
                f"internal error, no verdict: {type(exc).__name__}: {exc} (a bug: please "
                "report it, with the output of -v)"
            ) from exc


class CheckError(SbomgenError):
    """An input, option or output ``check`` cannot use: exit 2, as for a usage error."""

    exit_code = 2


class PolicyViolated(SbomgenError):
    """The inputs violate the policy: exit 1."""

    exit_code = 1


def _command(f: Any) -> click.Command:
    f = o.global_options(o.apply(f, OPTIONS))
    return click.command(
        "check",
        cls=CheckCommand,
        credentials=True,
        short_help="Judge SBOMs, a snapshot or a scope against a license and vulnerability policy.",
    )(f)


@_command
def check(**kwargs: Any) -> None:
    """Judge SBOM FILES (CycloneDX or SPDX, anyone's), or the scope or snapshot the source
    options name, against a license and vulnerability policy.

    Prints each violation with its rule, the license expression and the branch chosen of a
    choice or the reason it fails. Exit 0 when everything passes, 1 when a rule is
    violated, 2 when the policy, an input or an option cannot be used.
    """
    ctx = click.get_current_context()
    state = begin(ctx)
    files: tuple[Path, ...] = kwargs.pop("files")
    policy_path: Path | None = kwargs.pop("policy")
    report_format: str = kwargs.pop("report_format")
    junit: Path | None = kwargs.pop("junit")
    on_date: dt.datetime | None = kwargs.pop("on_date")
    named_source = any(
        ctx.get_parameter_source(n) == ParameterSource.COMMANDLINE
        for n in ("snapshot", "products", "projects", "org", "url")
    )
    source = SourceArgs.take(ctx, kwargs)
    if policy_path is None:
        raise click.UsageError("give the policy: --policy FILE (docs/policy.md)", ctx)
    if files and named_source:
        raise click.UsageError(
            "give SBOM files or a source (--snapshot, --url, --product…), not both", ctx
        )
    if not files and source.snapshot is None and not source.url:
        raise click.UsageError(
            "nothing to check: give SBOM files, or --snapshot DIR, or a Mend server (--url)",
            ctx,
        )
    today = on_date.date() if on_date else dt.datetime.now(dt.timezone.utc).date()

    from sbomgen.gates import check_report
    from sbomgen.gates.policy import judge, load_policy

    policy = load_policy(policy_path)  # PolicyError: exit 2, naming file, line and key
    try:
        inputs = _read_files(files) if files else [_read_source(state, source, kwargs)]
    except CheckError:
        raise
    except SbomgenError as exc:
        raise CheckError(exc.diagnostics()) from exc
    empty = [i.name for i in inputs if not i.subjects]
    if empty:
        # a document without components would pass as "0 components": nothing was judged
        raise CheckError(
            "; ".join(f"{name}: no components in it: nothing to judge" for name in empty)
        )
    result = judge(policy, inputs, today)
    if junit is not None:
        from sbomgen._io import atomic_write

        try:
            atomic_write(junit, check_report.to_junit(result))
        except (OSError, SbomgenError) as exc:
            raise CheckError(f"{junit}: cannot write the JUnit report: {exc}") from exc
    if report_format == "json":
        report = _json(check_report.to_json(result))
    elif report_format == "markdown":
        report = check_report.to_markdown(result)
    elif report_format == "html":
        report = check_report.to_html(result)
    else:
        report = check_report.to_text(result)
    sys.stdout.buffer.write(report.encode("utf-8"))  # UTF-8 whatever the locale
    sys.stdout.flush()
    if junit is not None:
        say(state, f"wrote {junit}")
    if not result.passed:
        raise PolicyViolated(check_report.summary_line(result))
    say(state, "check " + check_report.summary_line(result))


def _json(data: Any) -> str:
    import json

    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _read_files(files: tuple[Path, ...]) -> list[Any]:
    from sbomgen.gates.policy import input_from_view
    from sbomgen.sources.documents import read_document

    inputs = []
    for path in files:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CheckError(f"{path}: cannot read it: {exc.strerror or exc}") from None
        try:
            view = read_document(path.name, data)
        except SbomgenError as exc:
            raise CheckError(f"{path}: not a document check can read: {exc}") from exc
        except Exception as exc:
            raise CheckError(
                f"{path}: not a CycloneDX or SPDX document check can read "
                f"({type(exc).__name__}: {exc})"
            ) from exc
        if view is None:
            raise CheckError(f"{path}: an SPDX spreadsheet (XLSX) holds no view check can judge")
        inputs.append(input_from_view(str(path), view))
    return inputs


def _read_source(state: Any, source: SourceArgs, kwargs: dict[str, Any]) -> Any:
    """A snapshot or a live scope, enriched as generate enriches it."""
    from sbomgen.cli.common import resolve
    from sbomgen.cli.display import RunDisplay
    from sbomgen.cli.output import enrichers_for
    from sbomgen.gates.policy import input_from_view
    from sbomgen.pipeline import enrich
    from sbomgen.sources.documents import read_inventory

    r = resolve(state, source)
    try:
        with RunDisplay(state.quiet) as observer:
            loaded = r.source.load(observer)
        inventory = enrich(loaded, enrichers_for(kwargs, r.file_cfg))
    finally:
        r.close()
    view = read_inventory(inventory)
    return input_from_view(r.source.describe(), view, fields_mark_suspected=True)
