"""``sbomgen attribution``: the NOTICE bundle for customers, and the review beside it."""

from __future__ import annotations

from typing import Any

import click

from sbomgen.cli import options as o
from sbomgen.cli.common import SourceArgs, begin, resolve, say
from sbomgen.cli.display import RunDisplay
from sbomgen.cli.output import (
    attribution_settings,
    document_settings,
    enrichers_for,
    prepare_out,
    report_attribution,
)
from sbomgen.errors import ConfigError

OPTIONS = [
    *o.source_options(),
    *o.out_options(
        "Output directory; the bundle goes to OUT/attribution/.",
        writes="attribution writes a bundle of files (the notices, license texts, the review)",
    ),
    o.attribution_format_option(),
    *o.document_options("bundle"),
    *o.attribution_options(in_generate=False),
    *o.enrich_options(),
]


@o.command(
    OPTIONS, short_help="Write the attribution bundle: NOTICE files, license texts, a review."
)
def attribution(**kwargs: Any) -> None:
    """Write an attribution bundle: NOTICE.html, NOTICE.txt, NOTICE.md and licenses/ for
    customers, and REVIEW.md / REVIEW.json for the people preparing the release.

    Each license's terms are printed once, each copyright with its own component. What
    needs a person's attention goes to REVIEW.* and is counted here (--strict makes that
    an error, exit 9, and writes nothing). generate --format attribution-html (and -txt,
    -md) writes the same bundle beside the SBOMs.
    """
    ctx = click.get_current_context()
    state = begin(ctx)
    source = SourceArgs.take(ctx, kwargs)
    if kwargs["out"] is None:
        raise ConfigError("no output directory: pass --out DIR")
    options = attribution_settings(kwargs)
    from sbomgen.emit.attribution import Attribution
    from sbomgen.pipeline import build

    r = resolve(state, source)
    output = None
    try:
        enrichers = enrichers_for(kwargs, r.file_cfg)
        settings = document_settings(kwargs, r.file_cfg)
        output = prepare_out(kwargs["out"], "attribution", kwargs["force"])
        with RunDisplay(state.quiet) as observer:
            result = build(
                r.source,
                emitters=[Attribution(list(kwargs["formats"]), options)],
                enrichers=enrichers,
                observer=observer,
                checksums=False,
                **settings,
            )
        outcome = output.write(result.files)
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
    report_attribution(state, result.emitters)
