"""``sbomgen generate``: validated SBOMs (and, on request, the attribution bundle)."""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path
from typing import Any

import click

from sbomgen.cli import options as o
from sbomgen.cli.common import SourceArgs, begin, resolve, say
from sbomgen.cli.display import RunDisplay, summary_line
from sbomgen.cli.output import (
    attribution_settings,
    check_stdout,
    document_settings,
    enrichers_for,
    prepare_out,
    report_attribution,
    stdout_document,
    warn_unused,
)
from sbomgen.cli.summary import Summary
from sbomgen.emit.formats import DEFAULT_FORMATS, FORMATS
from sbomgen.errors import ConfigError

log = logging.getLogger(__name__)

FORMAT_OPTION = o.option(
    "--format",
    "formats",
    type=o.CommaList(FORMATS, "format"),
    default=",".join(DEFAULT_FORMATS),
    show_default=True,
    per_command=True,
    section=o.OUTPUT,
    help="Comma list of " + ", ".join(FORMATS) + "; 'all' for every one.",
)


OPTIONS = [
    *o.source_options(),
    *o.out_options("Output directory (created if needed), or - for stdout (one document)."),
    FORMAT_OPTION,
    *o.spec_version_options(),
    o.option(
        "--split",
        is_flag=True,
        section=o.OUTPUT,
        help="One document per product instead of one for the scope.",
    ),
    o.option(
        "--exclude-in-house",
        is_flag=True,
        section=o.OUTPUT,
        help="Leave the organization's in-house libraries out of every output.",
    ),
    *o.document_options("document"),
    o.option(
        "--summary-json",
        type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
        section=o.OUTPUT,
        help="Also write a JSON summary of the run here (files, counts, findings, "
        "validation, timings), also when it fails. Schema: docs/cli-json.md.",
    ),
    o.option(
        "--profile",
        "profiles",
        multiple=True,
        type=o.DocChoice(("ntia", "cisa-2025", "fsct3", "bsi", "telco")),
        per_command=True,
        section=o.OUTPUT,
        help="Judge each SBOM written against a conformance profile (repeatable) and say "
        "what it misses; a warning only (see sbomgen validate --profile).",
    ),
    o.option(
        "--require-profile",
        "required_profiles",
        multiple=True,
        type=o.DocChoice(("ntia", "cisa-2025", "fsct3", "bsi", "telco")),
        per_command=True,
        section=o.OUTPUT,
        help="Like --profile, but write nothing (exit 1) when a document does not meet it.",
    ),
    *o.enrich_options(),
    *o.attribution_options(in_generate=True),
]


@o.command(OPTIONS)
def generate(**kwargs: Any) -> None:
    """Write validated SBOMs of the scope into --out, with a SHA256SUMS file.

    Every document is validated before anything is written; if one fails, nothing is
    written and the validator's messages are printed (exit 7). --out - writes the one
    requested document to stdout instead.
    """
    ctx = click.get_current_context()
    state = begin(ctx)
    source = SourceArgs.take(ctx, kwargs)
    formats: tuple[str, ...] = kwargs["formats"]
    out: Path | None = kwargs["out"]
    summary = Summary.start("generate", kwargs.get("summary_json"))
    warn_unused(ctx, formats)
    with summary.recording():
        if out is None:
            raise ConfigError("no output directory: pass --out DIR (or --out - for stdout)")
        to_stdout = str(out) == "-"
        if to_stdout:
            check_stdout(formats, kwargs.get("summary_json"), kwargs["split"])
        summary.spec.update(cyclonedx=kwargs["cyclonedx_version"], spdx=kwargs["spdx_version"])
        # every setting is read and checked before the output directory is touched, and the
        # output directory before the first request
        from sbomgen.emit.factory import make_emitters
        from sbomgen.pipeline import build

        emitters = make_emitters(
            list(formats),
            cyclonedx_version=kwargs["cyclonedx_version"],
            spdx_version=kwargs["spdx_version"],
            exclude_in_house=kwargs["exclude_in_house"],
            attribution=attribution_settings(kwargs),
        )
        r = resolve(state, source)
        summary.source(r.source.describe(), r.client is not None)
        observer = RunDisplay(state.quiet)
        output = None
        try:
            enrichers = enrichers_for(kwargs, r.file_cfg)
            settings = document_settings(kwargs, r.file_cfg)
            output = None if to_stdout else prepare_out(out, "generate", kwargs["force"])
            with observer:
                result = build(
                    r.source,
                    emitters=emitters,
                    split=kwargs["split"],
                    enrichers=enrichers,
                    observer=observer,
                    checksums=not to_stdout,
                    timings=summary.timings,
                    **settings,
                )
            summary.result(result)
            conformance = _conformance(
                result, kwargs.get("profiles", ()), kwargs.get("required_profiles", ())
            )
            if to_stdout:
                name, data = stdout_document(result.files, kwargs["split"])
                sys.stdout.buffer.write(data)
                sys.stdout.buffer.flush()
                summary.stdout(name, data)
            else:
                assert output is not None
                started = time.perf_counter()
                outcome = output.write(result.files)
                summary.timings["write"] = time.perf_counter() - started
                summary.wrote(out, result.files, outcome)
        except BaseException:
            if output is not None:
                output.discard()
            raise
        finally:
            r.close()
            summary.requests = observer.requests
    inv = result.inventory
    say(
        state,
        f"{len(inv.libraries)} librar{'y' if len(inv.libraries) == 1 else 'ies'} in "
        f"{len(inv.projects)} project{'s' if len(inv.projects) != 1 else ''} of "
        f"{len(inv.products)} product{'s' if len(inv.products) != 1 else ''} from "
        f"{r.source.describe()}",
    )
    if to_stdout:
        say(state, f"wrote {name} to stdout")
    else:
        for path in outcome.written:
            say(state, f"wrote {path}")
        for path in outcome.removed:
            say(state, f"removed {path} (written by an earlier run, not by this one)")
    report_attribution(state, result.emitters)
    for line in conformance:
        say(state, line)
    say(
        state,
        summary_line(observer, summary.timings, len(result.files), live=r.client is not None),
    )


def _conformance(result: Any, profiles: tuple[str, ...], required: tuple[str, ...]) -> list[str]:
    """One line per document and requested profile, and the known unknowns (on every
    run); raises
    ProfileNotMetError (before anything is written) when a required profile is not met."""
    from sbomgen.errors import ProfileNotMetError
    from sbomgen.gates.profiles import describe_unmet, judge_files, known_unknowns

    wanted = tuple(dict.fromkeys((*profiles, *required)))

    lines: list[str] = []
    failed: list[str] = []
    for name, judged in judge_files(result.files, wanted) if wanted else []:
        if judged.passed:
            lines.append(f"profile {judged.profile}: {name} meets it")
            continue
        line = f"profile {judged.profile}: {name} misses {describe_unmet(judged)}"
        if judged.profile in required:
            failed.append(line)
        else:
            log.warning("%s", line)
    if failed:
        raise ProfileNotMetError("--require-profile: nothing was written; " + " | ".join(failed))
    from sbomgen.enrich.vex import triage_summary

    total, assessed, waiting = triage_summary(result.inventory)
    if total:
        lines.append(
            f"vulnerabilities: {total} (per library), {assessed} assessed by people in Mend, "
            f"{waiting} awaiting triage"
        )
    unknown = known_unknowns(result.inventory)
    lines.append(
        "known unknowns (data Mend does not have): "
        + ", ".join(
            f"{n} {kind if n != 1 else kind.removesuffix('s')}" for kind, n in unknown.items()
        )
    )
    return lines
