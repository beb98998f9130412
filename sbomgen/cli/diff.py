"""``sbomgen diff OLD NEW``: what changed between two releases' SBOMs (or snapshots)."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import Any

import click

from sbomgen.cli import options as o
from sbomgen.cli.common import begin
from sbomgen.errors import SbomgenError

EXIT_CODES = (
    ("0", "no differences"),
    ("1", "differences"),
    ("2", "an error: an input that cannot be read, a usage error (a bad option or value)"),
    ("130", "interrupted (Ctrl-C); 143: terminated (SIGTERM)"),
)


class DiffCommand(o.Command):
    """Its exit codes are those of ``diff``, not the other commands'."""

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        if self.epilog:
            super(o.Command, self).format_epilog(ctx, formatter)
        with formatter.section("Exit codes"):
            formatter.write_dl(list(EXIT_CODES))

    # Any sbomgen error while reading the options, the configuration or the inputs exits 2,
    # as diff's help says: its 1 means "differences", and the other commands' codes mean
    # nothing here.
    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except SbomgenError as exc:
            exc.exit_code = 2
            raise

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SbomgenError as exc:
            exc.exit_code = 2
            raise


OPTIONS = [
    click.argument("old", type=click.Path(path_type=Path, exists=True)),
    click.argument("new", type=click.Path(path_type=Path, exists=True)),
    o.option(
        "--format",
        "diff_format",
        type=o.DocChoice(("text", "markdown", "json")),
        default="text",
        show_default=True,
        per_command=True,
        section=o.OUTPUT,
        help="text for people, markdown for release notes and pull-request comments, json "
        "for machines (schema sbomgen-diff/1, in docs/cli-json.md).",
    ),
]


def _command(f: Any) -> click.Command:
    f = o.global_options(o.apply(f, OPTIONS))
    return click.command(
        cls=DiffCommand,
        credentials=False,
        short_help="Compare two SBOMs or snapshots: components, licenses, vulnerabilities.",
    )(f)


@_command
def diff(old: Path, new: Path, diff_format: str) -> None:
    """Compare two SBOMs, or two snapshots: what changed from OLD to NEW.

    Each of OLD and NEW is a CycloneDX or SPDX document (any version and format sbomgen
    reads; CycloneDX against SPDX works) or a snapshot directory recorded by 'sbomgen
    fetch'. Lists the components added, removed, upgraded and downgraded (matched by
    Package URL without the version, else by name and group; versions ordered by each
    ecosystem's scheme), license changes, new and fixed vulnerabilities and VEX state
    changes. Exit 0 when nothing differs, 1 when something does, 2 on an error, as diff
    does.
    """
    begin(click.get_current_context())
    from sbomgen.gates.diff import DiffInputError, load
    from sbomgen.gates.diff import diff as compare

    try:
        before = load(old)
        after = load(new)
        result = compare(before, after)
        text = result.render(diff_format)
    except SbomgenError:
        raise
    except Exception as exc:  # a bug; but for diff, exit 1 would mean "differences"
        raise DiffInputError(
            f"{type(exc).__name__}: {exc} (comparing {old} and {new}; rerun with -v for the "
            "traceback)"
        ) from exc
    # A name the terminal's encoding cannot show is written escaped (\u2713), not an
    # error: exit 1 would mean "differences".
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    with contextlib.suppress(LookupError):  # an encoding Python does not know: as it is
        text = text.encode(encoding, errors="backslashreplace").decode(encoding)
    click.echo(text, nl=False)
    click.get_current_context().exit(1 if result.differs else 0)
