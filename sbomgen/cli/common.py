"""What the commands share: logging that cannot leak secrets, resolving the source, the
output directory checks.

Nothing here imports a heavy module at import time; the pipeline, the HTTP client and
the emitters load inside the functions that need them.
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from click.core import ParameterSource

from sbomgen.cli.options import State
from sbomgen.errors import ConfigError

if TYPE_CHECKING:
    from sbomgen.pipeline import Source
    from sbomgen.sources.client import MendClient
    from sbomgen.sources.fetcher import FetchScope

log = logging.getLogger("sbomgen")


# -- logging that cannot leak secrets ---------------------------------------------------


class RedactingFilter(logging.Filter):
    def __init__(self) -> None:
        super().__init__()
        self.secrets: list[str] = []

    def filter(self, record: logging.LogRecord) -> bool:
        if self.secrets:
            record.msg, record.args = redact(record.getMessage()), None
        return True


redactor = RedactingFilter()


def redact(text: str) -> str:
    for secret in redactor.secrets:
        text = text.replace(secret, "***")
    return text


def use_color(state: State, stream: Any = None) -> bool:
    if state.color == "always":
        return True
    if state.color == "never" or os.environ.get("NO_COLOR"):
        return False
    stream = stream or sys.stderr
    return bool(getattr(stream, "isatty", lambda: False)())


_LEVEL_COLORS = {"WARNING": "yellow", "ERROR": "red", "CRITICAL": "red", "DEBUG": "blue"}


class _Formatter(logging.Formatter):
    def __init__(self, fmt: str, color: bool) -> None:
        super().__init__(fmt)
        self.color = color

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        color = _LEVEL_COLORS.get(record.levelname)
        if self.color and color:
            head, sep, tail = text.partition(":")
            return click.style(head, fg=color, bold=True) + sep + tail
        return text


def setup_logging(state: State) -> None:
    level = (
        logging.ERROR
        if state.quiet
        else {0: logging.WARNING, 1: logging.INFO}.get(state.verbose, logging.DEBUG)
    )
    handler = logging.StreamHandler(sys.stderr)
    fmt = (
        "%(levelname)s %(name)s: %(message)s"
        if state.verbose >= 2
        else "%(levelname)s: %(message)s"
    )
    handler.setFormatter(_Formatter(fmt, use_color(state)))
    handler.addFilter(redactor)
    root = logging.getLogger("sbomgen")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False
    for noisy in ("urllib3", "requests"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def begin(ctx: click.Context) -> State:
    """Every command starts here: the global options are all parsed by now."""
    from sbomgen.cli.options import state_of

    state = state_of(ctx)
    setup_logging(state)
    return state


def say(state: State, message: str) -> None:
    """A line of the run's summary, on stderr (stdout belongs to documents and reports)."""
    if not state.quiet:
        click.echo(message, err=True)


# -- where the data comes from ----------------------------------------------------------


@dataclass(frozen=True)
class SourceArgs:
    """The source and scope options, as the command received them."""

    url: str | None
    snapshot: Path | None
    products: tuple[str, ...]
    projects: tuple[str, ...]
    org: bool | None
    retries: int
    timeout: float
    concurrency: int = 8
    cache: Path | None = None
    more_snapshots: tuple[Path, ...] = ()  # --snapshot given more than once
    ca_bundle: Path | None = None
    insecure: bool = False

    @classmethod
    def take(cls, ctx: click.Context, kwargs: dict[str, Any]) -> SourceArgs:
        """Pop the source options out of a command's keyword arguments.

        The scope is one setting: when any of --product/--project/--org comes from the
        command line or the environment, the config file's scope is left out entirely.
        """
        products = tuple(kwargs.pop("products", ()) or ())
        projects = tuple(kwargs.pop("projects", ()) or ())
        org = kwargs.pop("org", None)
        sources = {n: ctx.get_parameter_source(n) for n in ("products", "projects", "org")}
        explicit = {ParameterSource.COMMANDLINE, ParameterSource.ENVIRONMENT}
        if any(s in explicit for s in sources.values()):
            if sources["products"] not in explicit:
                products = ()
            if sources["projects"] not in explicit:
                projects = ()
            if sources["org"] not in explicit:
                org = None
        url = kwargs.pop("url", None)
        given = kwargs.pop("snapshot", None)
        if isinstance(given, (str, Path)):  # one directory from a config file
            given = (given,)
        snapshots = tuple(Path(p) for p in given or ())
        snapshot = snapshots[0] if snapshots else None
        if url and snapshot is not None:
            # the more explicit wins (a --snapshot beats MEND_URL in the environment); both
            # from the same place is a contradiction resolve() reports
            u, s = _rank(ctx, "url"), _rank(ctx, "snapshot")
            if u < s:
                snapshot = None
            elif s < u:
                url = None
        return cls(
            url=url,
            snapshot=snapshot,
            more_snapshots=snapshots[1:] if snapshot is not None else (),
            products=products,
            projects=projects,
            org=org,
            retries=kwargs.pop("retries"),
            timeout=kwargs.pop("timeout"),
            concurrency=kwargs.pop("concurrency", 8),
            cache=kwargs.pop("cache", None),
            ca_bundle=kwargs.pop("ca_bundle", None),
            insecure=bool(kwargs.pop("insecure", False)),
        )


def _rank(ctx: click.Context, name: str) -> int:
    order = (ParameterSource.COMMANDLINE, ParameterSource.ENVIRONMENT, ParameterSource.DEFAULT_MAP)
    source = ctx.get_parameter_source(name)
    return order.index(source) if source in order else len(order)


@dataclass
class Resolved:
    source: Source
    client: MendClient | None
    scope: FetchScope | None
    file_cfg: Any

    def close(self) -> None:
        if self.client is not None:
            self.client.close()


def resolve(state: State, source: SourceArgs, *, need_live: bool = False) -> Resolved:
    from sbomgen.config import ENV_ORG_TOKEN, ENV_USER_KEY, environ, file_credential, from_env
    from sbomgen.pipeline import MendSource, SnapshotSource
    from sbomgen.sources.client import Credentials, MendClient, RetryPolicy
    from sbomgen.sources.fetcher import FetchScope

    cfg = state.config()
    env = environ()
    org = bool(source.org)
    if source.snapshot is not None:
        if source.url:
            raise ConfigError("give either --url or --snapshot, not both")
        if need_live:
            raise ConfigError("this command talks to a Mend server; --snapshot does not apply")
        if org:
            raise ConfigError("--org applies to a server; a snapshot replays the scope it recorded")
        if source.cache is not None:
            raise ConfigError("--cache applies to a server; a snapshot is read whole")
        if source.more_snapshots and (source.products or source.projects):
            raise ConfigError(
                "--product and --project narrow one snapshot; with several --snapshot, each "
                "is read whole (narrow them one at a time, or record them narrower)"
            )
        return Resolved(
            SnapshotSource(
                source.snapshot, source.products, source.projects, also=source.more_snapshots
            ),
            None,
            None,
            cfg,
        )
    if not source.url:
        raise ConfigError("no Mend server: pass --url or set MEND_URL, or pass --snapshot DIR")
    user_key, user_var = from_env(ENV_USER_KEY, env)
    if not user_key:
        user_key = file_credential(cfg, "user-key", state.allow_config_credentials)
        user_var = f"{cfg.where}: user-key" if user_key else None
    if not user_key:
        raise ConfigError("missing credentials: set MEND_USER_KEY (or WS_USERKEY / WS_USER_KEY)")
    org_token, org_var = from_env(ENV_ORG_TOKEN, env)
    if not org_token:
        org_token = file_credential(cfg, "org-token", state.allow_config_credentials)
        org_var = f"{cfg.where}: org-token" if org_token else None
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
    redactor.secrets = [x for x in credentials.secrets() if len(x) >= 6]
    scope = FetchScope(products=source.products, projects=source.projects, org=org)
    verify: bool | str = True
    if source.insecure and source.ca_bundle is not None:
        raise ConfigError("give either --insecure or --ca-bundle, not both")
    if source.insecure:
        import urllib3

        urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
        log.warning(
            "TLS verification is OFF (--insecure): anyone between here and %s can read and "
            "change what is sent, the user key included",
            source.url,
        )
        verify = False
    elif source.ca_bundle is not None:
        verify = str(source.ca_bundle)
    client = MendClient(
        source.url,
        credentials,
        policy=RetryPolicy(attempts=source.retries + 1, read_timeout=source.timeout),
        verify=verify,
    )
    return Resolved(MendSource(client, scope, source.concurrency, source.cache), client, scope, cfg)


def cfg_str(cfg: Any, key: str) -> str | None:
    from sbomgen.config import file_str

    return file_str(cfg, key)


def cfg_list(cfg: Any, key: str) -> tuple[str, ...]:
    from sbomgen.config import file_list

    return file_list(cfg, key)
