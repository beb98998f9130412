"""``sbomgen fetch``: record a snapshot of the raw Mend responses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from sbomgen.cli import options as o
from sbomgen.cli.common import SourceArgs, begin, resolve, say
from sbomgen.cli.display import RunDisplay

OPTIONS = [
    *o.source_options(snapshot=False),
    o.option(
        "--out",
        type=o.OutDir("fetch writes a snapshot (every response, and manifest.json)"),
        required=True,
        per_command=True,
        section=o.OUTPUT,
        help="Snapshot directory to write: new, empty, or an earlier snapshot (replaced only "
        "when the whole fetch succeeded).",
    ),
]


@o.command(OPTIONS)
def fetch(**kwargs: Any) -> None:
    """Record a snapshot: the raw Mend responses plus manifest.json.

    Replay it with --snapshot DIR on generate, attribution and inventory: no server, no
    credentials.
    """
    ctx = click.get_current_context()
    state = begin(ctx)
    source = SourceArgs.take(ctx, {**kwargs, "snapshot": None})
    out: Path = kwargs["out"]
    from sbomgen.pipeline import record
    from sbomgen.sources.client import safe_url

    r = resolve(state, source, need_live=True)
    assert r.client is not None and r.scope is not None
    observer = RunDisplay(state.quiet)
    try:
        with observer:
            inventory = record(
                r.client, r.scope, out, observer, concurrency=source.concurrency, cache=source.cache
            )
    finally:
        r.close()
    n = observer.requests
    say(
        state,
        f"recorded {n} response{'s' if n != 1 else ''} ({len(inventory.libraries)} "
        f"librar{'y' if len(inventory.libraries) == 1 else 'ies'}, {len(inventory.projects)} "
        f"project{'s' if len(inventory.projects) != 1 else ''}) from "
        f"{safe_url(r.client.display_url)} into {out}",
    )
