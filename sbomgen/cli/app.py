"""The ``sbomgen`` group and the entry point: errors caught in one place, printed as one
line (a traceback only with -v), mapped to the documented exit codes."""

from __future__ import annotations

import contextlib
import traceback

import click

from sbomgen import __version__
from sbomgen.cli import options as o
from sbomgen.cli.attribution import attribution
from sbomgen.cli.check import check
from sbomgen.cli.common import redact, use_color
from sbomgen.cli.diff import diff
from sbomgen.cli.fetch import fetch
from sbomgen.cli.generate import generate
from sbomgen.cli.inventory import inventory
from sbomgen.cli.native import native
from sbomgen.cli.report import report
from sbomgen.cli.validate import validate
from sbomgen.errors import SbomgenError

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(cls=o.Group, context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="sbomgen")
@o.global_options
def cli() -> None:
    """Turn what Mend knows into validated SBOMs and attribution bundles.

    Global options (-v, -q, --config, --color, --allow-config-credentials) go before or
    after the command.
    """


for command in (generate, native, report, attribution, fetch, inventory, validate, check, diff):
    cli.add_command(command)


class Terminated(BaseException):
    """SIGTERM, raised where the program is, so that every cleanup runs (as for Ctrl-C)."""


def _on_sigterm(signum: int, frame: object) -> None:
    raise Terminated()


def main(argv: list[str] | None = None) -> int:
    import signal

    state = o.State()
    # not in the main thread (sbomgen used as a library), signals are left be
    with contextlib.suppress(ValueError):
        signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        code = cli.main(args=argv, prog_name="sbomgen", standalone_mode=False, obj=state)
        if isinstance(code, int):  # --help, --version
            return code
    except click.exceptions.Abort:
        click.echo("sbomgen: interrupted; nothing was left half-written", err=True)
        return 130
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except SbomgenError as exc:
        if state.verbose:
            traceback.print_exc()
        _error(state, exc.diagnostics())
        return exc.exit_code
    except KeyboardInterrupt:
        click.echo("sbomgen: interrupted; nothing was left half-written", err=True)
        return 130
    except Terminated:
        click.echo("sbomgen: terminated; nothing was left half-written", err=True)
        return 143
    except BrokenPipeError:  # stdout closed early (| head): not an error of sbomgen's
        return 141
    except Exception as exc:
        if state.verbose:
            traceback.print_exc()
        _error(
            state,
            f"{type(exc).__name__}: {exc} (rerun with -v for the traceback)",
            internal=True,
        )
        return 1
    return 0


def _error(state: o.State, message: str, *, internal: bool = False) -> None:
    prefix = "sbomgen: internal error:" if internal else "sbomgen: error:"
    color = use_color(state)
    if color:
        prefix = click.style(prefix, fg="red", bold=True)
    click.echo(f"{prefix} {redact(message)}", err=True, color=color)
