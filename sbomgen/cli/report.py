"""``sbomgen report``: any other async report the reference lists, for the release archive."""

from __future__ import annotations

from typing import Any

import click

from sbomgen.cli import options as o
from sbomgen.cli.common import SourceArgs, begin, resolve, say
from sbomgen.cli.native import (
    async_options,
    collect,
    directory_sums,
    job_outs,
    jobs_of,
    labelled,
    layout,
    scope_names,
    unique_stems,
    unique_tokens,
)
from sbomgen.cli.output import prepare_out
from sbomgen.errors import ConfigError

OPTIONS = [
    o.option(
        "--type",
        "report_type",
        required=True,
        metavar="REPORT",
        section=o.OUTPUT,
        help="The reportType, as the reference names it (e.g. ProductInventoryReport, "
        "ProjectVulnerabilityReport, ProductAttributionReport); a wrong one lists those of "
        "the scope.",
    ),
    o.option(
        "--scope",
        "report_scope",
        type=o.DocChoice(("org", "product", "project")),
        required=True,
        per_command=True,
        section=o.SCOPE,
        help="The report's scope: the organization, or each --product / --project given.",
    ),
    o.option(
        "--format",
        "fmt",
        type=o.DocChoice(("json", "xlsx", "xml", "pdf", "html", "txt")),
        per_command=True,
        section=o.OUTPUT,
        help="A format the report offers (default: its first, xlsx where it has one, as Mend "
        "does).",
    ),
    o.option(
        "--filter",
        "filters",
        multiple=True,
        metavar="KEY=VALUE",
        section=o.OUTPUT,
        help="An entry of the request's filter object (repeatable), as the synchronous report "
        "documents it (e.g. reportingAggregationMode=BY_PROJECT).",
    ),
    *async_options("report writes the reports, with SHA256SUMS"),
]


@o.command(OPTIONS, short_help="Any other Mend async report (inventory, vulnerability, …).")
def report(**kwargs: Any) -> None:
    """Download one of the asynchronous reports the reference lists for a scope (inventory,
    vulnerability, attribution, license compatibility, due diligence …), in a format Mend
    offers for it, into --out with SHA256SUMS: what release steps archive next to the SBOM.

    The request, polling and download are those of native (bounded wait, --resume, safe
    extraction); the report is kept as Mend sent it. For SBOMs use native.
    """
    ctx = click.get_current_context()
    state = begin(ctx)
    from sbomgen.sources import contract
    from sbomgen.sources.native import Job, report_types

    scope = kwargs["report_scope"]
    report_type = kwargs["report_type"]
    valid = report_types(scope)
    if report_type in contract.SBOM_REPORTS:
        raise click.UsageError(f"{report_type} is an SBOM: use sbomgen native")
    if report_type not in valid:
        listed = ", ".join(t for t in valid if t not in contract.SBOM_REPORTS)
        raise click.UsageError(
            f"--type {report_type}: not a report of the {scope} scope; the reference lists {listed}"
        )
    formats = contract.REPORT_FORMATS.get(report_type, contract.ASYNC_FORMATS)
    fmt = kwargs.get("fmt") or formats[0]
    if fmt not in formats:
        raise click.UsageError(
            f"--format {fmt}: {report_type} comes as {', '.join(formats)} (the async list "
            "and the synchronous report's own formats)"
        )
    products, projects = unique_tokens(tuple(kwargs["products"]), tuple(kwargs["projects"]))
    if scope == "org" and (products or projects):
        raise click.UsageError("--scope org takes no --product or --project")
    if scope == "product" and (projects or not products):
        raise click.UsageError("--scope product takes one or more --product (and no --project)")
    if scope == "project" and (products or not projects):
        raise click.UsageError("--scope project takes one or more --project (and no --product)")
    filters: dict[str, str] = {}
    for item in kwargs["filters"]:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise click.UsageError(f"--filter {item!r}: KEY=VALUE")
        filters[key.strip()] = value
    if kwargs["out"] is None:
        raise ConfigError("no output directory: pass --out DIR")
    params: dict[str, Any] = {"reportType": report_type, "format": fmt}
    if filters:
        params["filter"] = filters
    jobs = (
        [Job("org", None, params, label=f"organization {report_type}")]
        if scope == "org"
        else jobs_of(products, projects, params)
    )
    source = SourceArgs(
        url=kwargs["url"],
        snapshot=None,
        products=products,
        projects=projects,
        org=scope == "org",
        retries=kwargs["retries"],
        timeout=kwargs["read_timeout"],
        ca_bundle=kwargs.get("ca_bundle"),
        insecure=bool(kwargs.get("insecure")),
    )
    r = resolve(state, source, need_live=True)
    assert r.client is not None
    output = None
    failure: BaseException | None = None
    try:
        # each report type is its own output: a second report into --out keeps the first's
        # files (and generate's SBOMs); a rerun of the same type replaces its own
        output = prepare_out(kwargs["out"], f"report {report_type}", kwargs["force"])
        from sbomgen.sources.native import AsyncReports

        AsyncReports(r.client).check()
        names: list[str | None] = (
            scope_names(r.client, jobs) if len(jobs) > 1 else [j.label or None for j in jobs]
        )
        jobs = labelled(jobs, names)
        stems = unique_stems(jobs, names)
        outs = job_outs(kwargs["out"], stems)
        finished, downloads, failure = collect(state, r.client, jobs, kwargs, outs)
        files = layout(downloads, [stems[i] for i in finished], several=len(jobs) > 1)
        files["SHA256SUMS"] = directory_sums(output, files)
        outcome = output.write(files)
    except BaseException:
        if output is not None:
            output.discard()
        raise
    finally:
        r.close()
    for path in outcome.written:
        say(state, f"wrote {path}")
    for path in outcome.removed:
        say(state, f"removed {path} (written by an earlier run, not by this one)")
    if failure is not None:
        raise failure
