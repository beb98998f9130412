"""The command line: a thin click layer over :mod:`sbomgen.pipeline`.

Only this module imports click. Errors are caught in one place (:func:`main`), printed
as one line, and mapped to the exit codes documented in :mod:`sbomgen.errors`.
"""

from __future__ import annotations

import functools
import logging
import sys
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import click

from sbomgen import __version__
from sbomgen.config import (
    ENV_ORG_TOKEN,
    ENV_URL,
    ENV_USER_KEY,
    FileConfig,
    environ,
    file_credential,
    file_list,
    file_str,
    from_env,
    load_file_config,
)
from sbomgen.emit import CYCLONEDX_VERSIONS, DEFAULT_FORMATS, FORMATS, SPDX_VERSIONS, make_emitters
from sbomgen.emit.attribution import SCOPES as ATTRIBUTION_SCOPES
from sbomgen.emit.attribution import Attribution, AttributionOptions, count_problems
from sbomgen.emit.interface import Emitter
from sbomgen.emit.validate import validate_file
from sbomgen.enrich.licenses import LicensePolicy, normalize_expression
from sbomgen.errors import ConfigError, InputDataError, SbomgenError, ValidationFailedError
from sbomgen.model import NOASSERTION, Inventory, Library
from sbomgen.pipeline import (
    Enricher,
    MendSource,
    SnapshotSource,
    Source,
    default_enrichers,
    enrich,
    record,
    run,
)
from sbomgen.sources.client import Credentials, MendClient, RetryPolicy, safe_url
from sbomgen.sources.fetcher import FetchScope

log = logging.getLogger("sbomgen")
F = TypeVar("F", bound=Callable[..., Any])


# -- logging that cannot leak secrets ---------------------------------------------------


class _RedactingFilter(logging.Filter):
    def __init__(self) -> None:
        super().__init__()
        self.secrets: list[str] = []

    def filter(self, record: logging.LogRecord) -> bool:
        if self.secrets:
            message = record.getMessage()
            for secret in self.secrets:
                message = message.replace(secret, "***")
            record.msg, record.args = message, None
        return True


_redactor = _RedactingFilter()


def _setup_logging(verbose: int, quiet: bool) -> None:
    level = (
        logging.ERROR
        if quiet
        else {0: logging.WARNING, 1: logging.INFO}.get(verbose, logging.DEBUG)
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        logging.Formatter(
            "%(levelname)s %(name)s: %(message)s" if verbose >= 2 else "%(levelname)s: %(message)s"
        )
    )
    handler.addFilter(_redactor)
    root = logging.getLogger("sbomgen")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False
    for noisy in ("urllib3", "requests"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


# -- shared state and options -----------------------------------------------------------


@dataclass
class State:
    verbose: int = 0
    quiet: bool = False
    config_path: Path | None = None
    allow_config_credentials: bool = False

    def config(self) -> FileConfig:
        return load_file_config(self.config_path)


SOURCE_PARAMS = ("url", "snapshot", "products", "projects", "org", "retries", "timeout")


@dataclass(frozen=True)
class SourceArgs:
    """Where the data comes from and which scope: the options every command shares."""

    url: str | None
    snapshot: Path | None
    products: tuple[str, ...]
    projects: tuple[str, ...]
    org: bool | None
    retries: int
    timeout: float


def _source_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """Add the source and scope options; the command receives them as ``source``."""

    @functools.wraps(f)
    def command(*args: Any, **kwargs: Any) -> Any:
        source = SourceArgs(**{name: kwargs.pop(name) for name in SOURCE_PARAMS})
        return f(*args, source=source, **kwargs)

    options = [
        click.option(
            "--url",
            help="Mend server URL, as copied (…/api/v1.x or …/agent is fine). Env: MEND_URL.",
        ),
        click.option(
            "--snapshot",
            type=click.Path(path_type=Path, file_okay=False),
            help="Read a recorded snapshot directory instead of a server.",
        ),
        click.option(
            "--product",
            "products",
            multiple=True,
            metavar="TOKEN",
            help="Product token (repeatable).",
        ),
        click.option(
            "--project",
            "projects",
            multiple=True,
            metavar="TOKEN",
            help="Project token (repeatable).",
        ),
        click.option(
            "--org", is_flag=True, default=None, help="Every product of the organization."
        ),
        click.option(
            "--retries",
            type=click.IntRange(0, 20),
            default=4,
            show_default=True,
            help="Retries of a failed request (429, 5xx, connection errors).",
        ),
        click.option(
            "--timeout",
            type=click.FloatRange(min=1),
            default=300.0,
            show_default=True,
            help="Read timeout per request, in seconds.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _enrich_options(f: F) -> F:
    options = [
        click.option(
            "--license-map",
            type=click.Path(path_type=Path, dir_okay=False),
            help="TOML file: Mend license name -> SPDX expression, and per-library curations.",
        ),
        click.option(
            "--multi-license",
            type=click.Choice(["or", "and"], case_sensitive=False),
            default="or",
            show_default=True,
            help="How to join several licenses Mend lists for one library.",
        ),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _enrichers(
    license_map: Path | None, multi_license: str, supplier: str | None = None
) -> list[Enricher]:
    policy = LicensePolicy.load(license_map) if license_map else None
    return default_enrichers(policy, multi_license.upper(), supplier=supplier)


@dataclass
class Resolved:
    source: Source
    client: MendClient | None
    scope: FetchScope | None
    file_cfg: FileConfig


def _resolve(state: State, source: SourceArgs, *, need_live: bool = False) -> Resolved:
    cfg = state.config()
    env = environ()
    url, snapshot, org = source.url, source.snapshot, source.org
    products, projects = source.products, source.projects
    retries, timeout = source.retries, source.timeout
    if products or projects or org:
        org = bool(org)  # a scope given on the command line replaces the file's whole scope
    else:
        products = file_list(cfg, "product")
        projects = file_list(cfg, "project")
        org_value = cfg.get("org")
        if org_value is not None and not isinstance(org_value, bool):
            raise ConfigError(f"{cfg.path}: setting 'org' should be true or false")
        org = bool(org_value)
    if snapshot is not None:
        if url:
            raise ConfigError("give either --url or --snapshot, not both")
        if need_live:
            raise ConfigError("this command talks to a Mend server; --snapshot does not apply")
        if org:
            raise ConfigError("--org applies to a server; a snapshot replays the scope it recorded")
        return Resolved(SnapshotSource(snapshot, products, projects), None, None, cfg)

    url_value = url
    if not url_value:
        url_value, _ = from_env(ENV_URL, env)
    if not url_value:
        url_value = file_str(cfg, "url")
    if not url_value:
        raise ConfigError(
            "no Mend server: pass --url or set MEND_URL (or WS_URL), or pass --snapshot DIR"
        )
    user_key, user_var = from_env(ENV_USER_KEY, env)
    if not user_key:
        user_key = file_credential(cfg, "user-key", state.allow_config_credentials)
        user_var = f"{cfg.path}:user-key" if user_key else None
    if not user_key:
        raise ConfigError("missing credentials: set MEND_USER_KEY (or WS_USERKEY / WS_USER_KEY)")
    org_token, org_var = from_env(ENV_ORG_TOKEN, env)
    if not org_token:
        org_token = file_credential(cfg, "org-token", state.allow_config_credentials)
        org_var = f"{cfg.path}:org-token" if org_token else None
    if org and not org_token:
        raise ConfigError(
            "--org needs the organization token: set MEND_ORG_TOKEN (or WS_ORG_TOKEN / WS_APIKEY)"
        )
    credentials = Credentials(
        user_key=user_key,
        org_token=org_token,
        user_key_source=user_var or "MEND_USER_KEY",
        org_token_source=org_var or "MEND_ORG_TOKEN",
    )
    # Real keys and tokens are long; a very short one would mangle every message it
    # happens to occur in, and is no secret worth the name.
    _redactor.secrets = [x for x in credentials.secrets() if len(x) >= 6]
    scope = FetchScope(products=products, projects=projects, org=org)
    client = MendClient(
        url_value, credentials, policy=RetryPolicy(attempts=retries + 1, read_timeout=timeout)
    )
    return Resolved(MendSource(client, scope), client, scope, cfg)


class _ProgressObserver:
    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.requests = 0

    def request(self, request_type: str, scope: str) -> None:
        self.requests += 1
        log.info("%s (%s)", request_type, scope)

    def note(self, message: str) -> None:
        log.info("%s", message)


# -- commands ---------------------------------------------------------------------------


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="sbomgen")
@click.option(
    "-v",
    "--verbose",
    count=True,
    help="More logging on stderr (-v info, -vv debug); tracebacks on errors.",
)
@click.option("-q", "--quiet", is_flag=True, help="Only errors on stderr; no summary.")
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Config file (default: ./sbomgen.toml or [tool.sbomgen] in ./pyproject.toml).",
)
@click.option(
    "--allow-config-credentials",
    is_flag=True,
    help="Read user-key/org-token from the config file (only for files that are never committed).",
)
@click.pass_context
def cli(
    ctx: click.Context,
    verbose: int,
    quiet: bool,
    config_path: Path | None,
    allow_config_credentials: bool,
) -> None:
    """Turn what Mend knows into validated SBOMs and attribution bundles."""
    global _verbosity
    _verbosity = verbose
    _setup_logging(verbose, quiet)
    ctx.obj = State(
        verbose=verbose,
        quiet=quiet,
        config_path=config_path,
        allow_config_credentials=allow_config_credentials,
    )


@cli.command()
@_source_options
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path, file_okay=False),
    help="Output directory (created if needed).",
)
@click.option("--name", help="Name of what the document describes (default: the product's name).")
@click.option("--version", "doc_version", help="Version of what the document describes.")
@click.option(
    "--format",
    "formats",
    default=",".join(DEFAULT_FORMATS),
    show_default=True,
    help=f"Comma list of {', '.join(FORMATS)}; or 'all'.",
)
@click.option(
    "--cyclonedx-version",
    type=click.Choice(list(CYCLONEDX_VERSIONS)),
    default="1.6",
    show_default=True,
    help="CycloneDX specification version.",
)
@click.option(
    "--spdx-version",
    type=click.Choice(list(SPDX_VERSIONS)),
    default="2.3",
    show_default=True,
    help="SPDX specification version.",
)
@click.option(
    "--split", is_flag=True, help="One document per product instead of one for the scope."
)
@click.option(
    "--exclude-in-house", is_flag=True, help="Leave in-house libraries out of the documents."
)
@click.option(
    "--include-in-house",
    is_flag=True,
    help="Include in-house libraries in the attribution bundle (its NOTICE leaves them out by "
    "default; the SBOMs include them unless --exclude-in-house).",
)
@_enrich_options
@click.pass_obj
def generate(
    state: State,
    source: SourceArgs,
    out: Path | None,
    name: str | None,
    doc_version: str | None,
    formats: str,
    cyclonedx_version: str,
    spdx_version: str,
    split: bool,
    exclude_in_house: bool,
    include_in_house: bool,
    license_map: Path | None,
    multi_license: str,
) -> None:
    """Write validated SBOMs of the scope into --out, with a SHA256SUMS file.

    Every document is validated before anything is written; if one fails, nothing is
    written and the validator's messages are printed (exit 7).
    """
    chosen = _parse_formats(formats)
    r = _resolve(state, source)
    out_dir = out or _cfg_path(r.file_cfg, "out")
    if out_dir is None:
        raise ConfigError("no output directory: pass --out DIR")
    enrichers = _enrichers(license_map, multi_license, file_str(r.file_cfg, "supplier"))
    observer = _ProgressObserver(state.quiet)
    try:
        result = run(
            r.source,
            emitters=make_emitters(
                chosen,
                cyclonedx_version=cyclonedx_version,
                spdx_version=spdx_version,
                exclude_in_house=exclude_in_house,
                attribution=AttributionOptions(include_in_house=include_in_house),
            ),
            split=split,
            enrichers=enrichers,
            out=out_dir,
            observer=observer,
            name=name or file_str(r.file_cfg, "name"),
            version=doc_version or file_str(r.file_cfg, "version"),
            supplier=file_str(r.file_cfg, "supplier"),
            authors=file_list(r.file_cfg, "authors"),
            own_license=_own_license(r.file_cfg),
            own_license_text=_own_license_text(r.file_cfg),
            own_copyright=file_str(r.file_cfg, "copyright"),
        )
    finally:
        if r.client is not None:
            r.client.close()
    if not state.quiet:
        inv = result.inventory
        click.echo(
            f"{len(inv.libraries)} libraries in {len(inv.projects)} projects of {len(inv.products)} products "
            f"from {r.source.describe()}",
            err=True,
        )
        for path in result.written:
            click.echo(f"wrote {path}", err=True)
        _attribution_summary(result.emitters)


def _attribution_summary(emitters: list[Emitter]) -> None:
    for emitter in emitters:
        if isinstance(emitter, Attribution):
            problems = emitter.problems
            if problems:
                kinds = ", ".join(f"{n} {k}" for k, n in sorted(count_problems(problems).items()))
                click.echo(
                    f"attribution: {len(problems)} item(s) need review ({kinds}); see REVIEW.md beside the notice",
                    err=True,
                )
            else:
                click.echo("attribution: nothing needs review", err=True)


@cli.command()
@_source_options
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path, file_okay=False),
    help="Output directory (the bundle goes to OUT/attribution/).",
)
@click.option("--name", help="Name of what the bundle is for (default: the product's name).")
@click.option("--version", "doc_version", help="Version of what the bundle is for.")
@click.option(
    "--format",
    "formats",
    default="html,txt,md",
    show_default=True,
    help="Comma list of html, txt, md.",
)
@click.option(
    "--header", default="Attribution Report", show_default=True, help="The report's header."
)
@click.option("--title", default="", help="The report's title.")
@click.option("--footer", default="", help="The report's footer.")
@click.option(
    "--scope",
    "scopes",
    default=",".join(ATTRIBUTION_SCOPES),
    show_default=True,
    help="Comma list of SUMMARY, LICENSES, COPYRIGHTS, NOTICES, PRIMARY_ATTRIBUTES.",
)
@click.option(
    "--aggregate",
    type=click.Choice(["BY_COMPONENT", "BY_PROJECT"], case_sensitive=False),
    default="BY_COMPONENT",
    show_default=True,
    help="A section per component, or per project.",
)
@click.option(
    "--missing-license",
    type=click.Choice(["BLANK", "GENERIC_LICENSE"], case_sensitive=False),
    default="BLANK",
    show_default=True,
    help="What to show for a component without a known license.",
)
@click.option(
    "--template-dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Directory whose templates override the bundled ones (notice.html.j2, notice.txt.j2, notice.md.j2).",
)
@click.option("--strict", is_flag=True, help="Exit 9 and write nothing when anything needs review.")
@click.option(
    "--include-in-house",
    is_flag=True,
    help="Include the organization's in-house libraries (left out by default: they are its "
    "own code, not third-party software).",
)
@_enrich_options
@click.pass_obj
def attribution(
    state: State,
    source: SourceArgs,
    out: Path | None,
    name: str | None,
    doc_version: str | None,
    formats: str,
    header: str,
    title: str,
    footer: str,
    scopes: str,
    aggregate: str,
    missing_license: str,
    template_dir: Path | None,
    strict: bool,
    include_in_house: bool,
    license_map: Path | None,
    multi_license: str,
) -> None:
    """Write an attribution bundle: NOTICE.html, NOTICE.txt, NOTICE.md and licenses/ for
    customers, and REVIEW.md / REVIEW.json for the people preparing the release.

    Each license's terms are printed once, each copyright with its own component. What needs
    a person's attention goes to REVIEW.* and is counted here (--strict makes that an error,
    exit 9, and writes nothing).
    """
    chosen = [f.strip().lower() for f in formats.split(",") if f.strip()]
    bad = [f for f in chosen if f not in ("html", "txt", "md")]
    if bad or not chosen:
        raise click.BadParameter(
            f"unknown format {bad[0] if bad else '(none)'!r}; use html, txt, md",
            param_hint="--format",
        )
    scope = tuple(dict.fromkeys(x.strip().upper() for x in scopes.split(",") if x.strip()))
    unknown = [x for x in scope if x not in ATTRIBUTION_SCOPES]
    if unknown or not scope:
        raise click.BadParameter(
            f"unknown scope {unknown[0] if unknown else '(none)'!r}; use {', '.join(ATTRIBUTION_SCOPES)}",
            param_hint="--scope",
        )
    options = AttributionOptions(
        header=header,
        title=title,
        footer=footer,
        scope=scope,
        aggregate=aggregate.upper(),
        missing_license=missing_license.upper(),
        template_dir=template_dir,
        strict=strict,
        include_in_house=include_in_house,
    )
    r = _resolve(state, source)
    out_dir = out or _cfg_path(r.file_cfg, "out")
    if out_dir is None:
        raise ConfigError("no output directory: pass --out DIR")
    try:
        result = run(
            r.source,
            emitters=[Attribution(chosen, options)],
            enrichers=_enrichers(license_map, multi_license, file_str(r.file_cfg, "supplier")),
            out=out_dir,
            observer=_ProgressObserver(state.quiet),
            name=name or file_str(r.file_cfg, "name"),
            version=doc_version or file_str(r.file_cfg, "version"),
            supplier=file_str(r.file_cfg, "supplier"),
            checksums=False,
        )
    finally:
        if r.client is not None:
            r.client.close()
    if not state.quiet:
        for path in result.written:
            click.echo(f"wrote {path}", err=True)
        _attribution_summary(result.emitters)


@cli.command()
@_source_options
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="Snapshot directory to write (replaced only on success).",
)
@click.pass_obj
def fetch(
    state: State,
    source: SourceArgs,
    out: Path,
) -> None:
    """Record a snapshot: the raw Mend responses plus manifest.json."""
    r = _resolve(state, source, need_live=True)
    assert r.client is not None and r.scope is not None
    observer = _ProgressObserver(state.quiet)
    try:
        inventory = record(r.client, r.scope, out, observer)
    finally:
        r.client.close()
    if not state.quiet:
        click.echo(
            f"recorded {observer.requests} responses ({len(inventory.libraries)} libraries, "
            f"{len(inventory.projects)} projects) from {safe_url(r.client.display_url)} into {out}",
            err=True,
        )


@cli.command()
@_source_options
@_enrich_options
@click.pass_obj
def inventory(
    state: State,
    source: SourceArgs,
    license_map: Path | None,
    multi_license: str,
) -> None:
    """Print counts, license expressions, and what needs a person's attention.

    Lists the libraries without a purl, without a license, with licenses Mend only
    suspected, with inferred license choices, and the curations applied.
    """
    r = _resolve(state, source)
    enrichers = _enrichers(license_map, multi_license, file_str(r.file_cfg, "supplier"))
    try:
        inv = enrich(r.source.load(_ProgressObserver(state.quiet)), enrichers)
    finally:
        if r.client is not None:
            r.client.close()
    click.echo(render_counts(inv))
    click.echo(render_purl_counts(inv))
    click.echo(render_attention(inv))


def render_counts(inv: Inventory) -> str:
    libs = list(inv.libraries.values())
    direct = sum(1 for lib in libs if lib.direct_anywhere)
    licenses = {lic.name for lib in libs for lic in lib.licenses}
    vulns = {(v.id, lib.key_uuid) for lib in libs for v in lib.vulnerabilities}
    rows = [
        ("products", len(inv.products)),
        ("projects", len(inv.projects)),
        ("libraries", len(libs)),
        ("  direct (in at least one project)", direct),
        ("  transitive only", len(libs) - direct),
        ("  in-house", sum(1 for lib in libs if lib.in_house)),
        ("licenses (as Mend names them)", len(licenses)),
        ("license expressions (concluded)", len({_concluded(lib) for lib in libs})),
        ("libraries without a purl", sum(1 for lib in libs if not lib.purl)),
        ("libraries without a license", sum(1 for lib in libs if _concluded(lib) == NOASSERTION)),
        ("vulnerabilities (distinct ids)", len({v for v, _ in vulns})),
        ("vulnerable libraries", len({k for _, k in vulns})),
    ]
    width = max(len(label) for label, _ in rows)
    lines = [f"{'what':<{width}}  count", f"{'-' * width}  -----"]
    lines += [f"{label:<{width}}  {value:>5}" for label, value in rows]
    return "\n".join(lines)


def render_purl_counts(inv: Inventory) -> str:
    """Package URLs per Mend type: how many were built, and why the others were not."""
    from sbomgen.enrich.purl import purl_counts

    counts = purl_counts(inv)
    width = max([len("Mend type"), *(len(c.mend_type) for c in counts)])
    lines = [
        "",
        "Package URLs per Mend type",
        f"{'Mend type':<{width}}  built  missing",
        f"{'-' * width}  -----  -------",
    ]
    for c in counts:
        lines.append(f"{c.mend_type:<{width}}  {c.built:>5}  {c.missing:>7}")
        for reason, n in c.reasons.items():
            lines.append(f"{'':<{width}}    {n} without: {reason}")
    return "\n".join(lines)


def _own_license(cfg: FileConfig) -> str | None:
    value = file_str(cfg, "license")
    if value is None:
        return None
    normalized = normalize_expression(value)
    if normalized is None:
        raise ConfigError(
            f"{cfg.path}: setting 'license' = {value!r} is not a valid SPDX expression"
        )
    if "DocumentRef-" in normalized:
        raise ConfigError(
            f"{cfg.path}: setting 'license' = {value!r}: a DocumentRef points into another "
            "document; use a LicenseRef with license-text"
        )
    return normalized


def _own_license_text(cfg: FileConfig) -> str | None:
    """The text of the configured license's LicenseRef (``license-text``, a file path
    relative to the config file). Without it, SPDX documents cannot assert a LicenseRef."""
    value = file_str(cfg, "license-text")
    license = file_str(cfg, "license") or ""
    if value is None:
        if "LicenseRef-" in license:
            log.warning(
                "%s: license %r names a LicenseRef but no license-text file is set; SPDX "
                "documents leave the license of the described software unasserted",
                cfg.path,
                license,
            )
        return None
    path = Path(value)
    if not path.is_absolute() and cfg.path is not None:
        path = cfg.path.parent / path
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise ConfigError(f"{cfg.path}: setting 'license-text' = {value!r}: {reason}") from None


def _parse_formats(value: str) -> list[str]:
    items = [v.strip().lower() for v in value.split(",") if v.strip()]
    if items == ["all"]:
        return list(FORMATS)
    unknown = [v for v in items if v not in FORMATS]
    if unknown or not items:
        raise click.BadParameter(
            f"unknown format {unknown[0] if unknown else '(none)'!r}; choose from {', '.join(FORMATS)} or 'all'",
            param_hint="--format",
        )
    return list(dict.fromkeys(items))


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.pass_obj
def validate(state: State, files: tuple[Path, ...]) -> None:
    """Validate CycloneDX or SPDX files; the format and version are read from the content.

    Prints each error with its location. Exit 0 when all are valid, 7 when one is not.
    """
    invalid = unreadable = 0
    for path in files:
        try:
            found, errors = validate_file(path)
        except InputDataError as exc:  # not a document sbomgen can read: say so, go on
            unreadable += 1
            click.echo(f"{path}: UNREADABLE: {exc}")
            continue
        what = f"{found.standard} {found.version} {found.fmt.upper()}"
        if errors:
            invalid += 1
            click.echo(
                f"{path}: INVALID ({what}), {len(errors)} error{'s' if len(errors) != 1 else ''}"
            )
            for error in errors:
                click.echo(f"  {path}: {error}")
        elif not state.quiet:
            click.echo(f"{path}: valid ({what})")
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


def _concluded(lib: Library) -> str:
    return lib.license.concluded if lib.license else NOASSERTION


ATTENTION = (
    ("purl-missing", "Libraries without a purl"),
    ("license-missing", "Libraries without a license (NOASSERTION)"),
    ("license-suspected", "Libraries with licenses Mend only suspected"),
    ("license-inferred", "Libraries with an inferred license choice"),
    ("license-unmapped", "Mend licenses without an SPDX id (emitted as LicenseRef)"),
    ("license-mapped", "Licenses mapped by the license map"),
    ("curation", "Curations applied"),
    ("curation-unused", "Curations that matched no library"),
    ("text-missing", "License texts missing"),
)


def render_attention(inv: Inventory) -> str:
    expressions = Counter(_concluded(lib) for lib in inv.libraries.values())
    width = max((len(e) for e in expressions), default=10)
    lines = [
        "",
        f"{'license expression (concluded)':<{width}}  libraries",
        f"{'-' * width}  ---------",
    ]
    lines += [
        f"{e:<{width}}  {n:>9}" for e, n in sorted(expressions.items(), key=lambda x: (-x[1], x[0]))
    ]
    by_kind: dict[str, list[str]] = {}
    for finding in inv.findings:
        by_kind.setdefault(finding.kind, []).append(finding.message)
    for kind, title in ATTENTION:
        messages = sorted(set(by_kind.get(kind, [])))
        lines += ["", f"{title}: {len(messages)}"]
        lines += [f"  - {m}" for m in messages]
    return "\n".join(lines)


def _cfg_path(cfg: FileConfig, key: str) -> Path | None:
    value = file_str(cfg, key)
    return Path(value) if value else None


# -- entry point ------------------------------------------------------------------------


_verbosity = 0  # set by the group callback once click has parsed -v


def main(argv: list[str] | None = None) -> int:
    global _verbosity
    _verbosity = 0
    try:
        cli.main(args=argv, prog_name="sbomgen", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("sbomgen: aborted", err=True)
        return 130
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except SbomgenError as exc:
        if _verbosity:
            traceback.print_exc()
        click.echo(f"sbomgen: error: {_redact(exc.diagnostics())}", err=True)
        return exc.exit_code
    except KeyboardInterrupt:
        click.echo("sbomgen: interrupted", err=True)
        return 130
    except Exception as exc:
        if _verbosity:
            traceback.print_exc()
        click.echo(
            f"sbomgen: internal error: {type(exc).__name__}: {_redact(str(exc))} (rerun with -v for the traceback)",
            err=True,
        )
        return 1
    return 0


def _redact(text: str) -> str:
    for secret in _redactor.secrets:
        text = text.replace(secret, "***")
    return text


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
