"""``sbomgen inventory``: counts, license expressions, and what needs attention."""

from __future__ import annotations

import json
from typing import Any

import click

from sbomgen.cli import options as o
from sbomgen.cli.common import SourceArgs, begin, resolve
from sbomgen.cli.display import RunDisplay
from sbomgen.cli.output import enrichers_for

OPTIONS = [*o.source_options(), o.report_format_option(), *o.enrich_options()]


@o.command(OPTIONS)
def inventory(**kwargs: Any) -> None:
    """Print counts, license expressions, and what needs a person's attention.

    Lists the libraries without a purl, without a license, with licenses Mend only
    suspected, with inferred license choices, and the curations applied. --format json
    prints the same, and every library, for machines (schema sbomgen-inventory/1, in
    docs/cli-json.md).
    """
    ctx = click.get_current_context()
    state = begin(ctx)
    source = SourceArgs.take(ctx, kwargs)
    r = resolve(state, source)
    from sbomgen.emit.reports import inventory_json, inventory_text
    from sbomgen.pipeline import enrich

    try:
        inv = enrich(_load(r, state.quiet), enrichers_for(kwargs, r.file_cfg))
    finally:
        r.close()
    if kwargs["report_format"] == "json":
        click.echo(
            json.dumps(inventory_json(inv, r.source.describe()), indent=2, ensure_ascii=False)
        )
    else:
        click.echo(inventory_text(inv))


def _load(r: Any, quiet: bool) -> Any:
    """The inventory, with the progress display on a terminal."""
    with RunDisplay(quiet) as observer:
        return r.source.load(observer)
