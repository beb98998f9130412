"""The options the commands share, in groups, with their environment and config defaults.

Every option takes its value from, in this order: the command line, an environment
variable, the config file, its default.

* The environment variable is ``SBOMGEN_<OPTION>`` (``--cyclonedx-version`` reads
  ``SBOMGEN_CYCLONEDX_VERSION``). An option that means something different on one command
  (``--format``, and ``fetch --out``, which names a snapshot) reads
  ``SBOMGEN_<COMMAND>_<OPTION>`` there instead, so one pipeline variable never lands on a
  command it was not meant for.
* The config file takes the same names as keys: at the top for shared options, in a table
  named after the command (``[generate]``) for any option of that command. Paths in a
  config file are relative to the file.

Options carry a *section*; ``--help`` lists them under it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import click
from click.core import ParameterSource

from sbomgen.emit.formats import (
    AGGREGATIONS,
    ATTRIBUTION_FORMATS,
    ATTRIBUTION_SCOPES,
    CYCLONEDX_VERSIONS,
    MISSING_LICENSE,
    SPDX_VERSIONS,
)
from sbomgen.errors import ConfigError

F = TypeVar("F", bound=Callable[..., Any])

GLOBAL = "Global options"
SOURCE = "Source (a Mend server, or a recorded snapshot)"
SCOPE = "Scope"
NETWORK = "Network"
OUTPUT = "Output"
ENRICH = "Enrichment"
ATTRIBUTION = "Attribution bundle"
SECTIONS = (SOURCE, SCOPE, NETWORK, OUTPUT, ENRICH, ATTRIBUTION, GLOBAL)

# document facts the config file holds that are no option (see docs and README)
DOCUMENT_KEYS = (
    "supplier",
    "supplier-contact",
    "authors",
    "license",
    "license-text",
    "copyright",
    "versions",
    "files",
    "identifiers",
)
SECRET_KEYS = ("user-key", "org-token")

# Credential and server variables: the first one set wins (sbomgen's name, then the names
# Mend's own tools read).
ENV_URL = ("SBOMGEN_URL", "MEND_URL", "WS_URL", "WS_WSS_URL")


# -- parameter types --------------------------------------------------------------------


class DocChoice(click.ParamType):  # type: ignore[type-arg, unused-ignore]
    """A choice matched without regard to case, shown and returned as documented."""

    name = "choice"

    def __init__(self, choices: Sequence[str]) -> None:
        self.choices = tuple(choices)

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        return "[" + "|".join(self.choices) + "]"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        text = str(value).strip()
        for choice in self.choices:
            if choice.casefold() == text.casefold():
                return choice
        self.fail(f"{value!r} is not one of {', '.join(self.choices)}", param, ctx)

    def shell_complete(
        self, ctx: click.Context, param: click.Parameter, incomplete: str
    ) -> list[click.shell_completion.CompletionItem]:
        from click.shell_completion import CompletionItem

        return [
            CompletionItem(c)
            for c in self.choices
            if c.casefold().startswith(incomplete.casefold())
        ]


class CommaList(click.ParamType):  # type: ignore[type-arg, unused-ignore]
    """A comma-separated list of choices (case-insensitive); ``all`` stands for every one
    and may be combined with others. Converts to a tuple of the documented spellings."""

    name = "list"

    def __init__(self, choices: Sequence[str], what: str, *, all_word: bool = True) -> None:
        self.choices = tuple(choices)
        self.what = what
        self.all_word = all_word

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        return "LIST"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> tuple[str, ...]:
        if isinstance(value, tuple) and all(v in self.choices for v in value):
            return value
        if isinstance(value, (list, tuple)):
            # a config file's list, or the option given more than once
            items = [part for v in value for part in str(v).split(",")]
        else:
            items = str(value).split(",")
        items = [i.strip() for i in items if i.strip()]
        if not items:
            self.fail(f"no {self.what} given; choose from {self._menu()}", param, ctx)
        chosen: list[str] = []
        for item in items:
            if self.all_word and item.casefold() == "all":
                chosen.extend(self.choices)
                continue
            match = next((c for c in self.choices if c.casefold() == item.casefold()), None)
            if match is None:
                self.fail(f"unknown {self.what} {item!r}; choose from {self._menu()}", param, ctx)
            chosen.append(match)
        return tuple(dict.fromkeys(chosen))

    def _menu(self) -> str:
        return ", ".join(self.choices) + (" (or all)" if self.all_word else "")

    def shell_complete(
        self, ctx: click.Context, param: click.Parameter, incomplete: str
    ) -> list[click.shell_completion.CompletionItem]:
        from click.shell_completion import CompletionItem

        head, _, last = incomplete.rpartition(",")
        prefix = f"{head}," if head else ""
        options = [*self.choices, *(["all"] if self.all_word and not head else [])]
        return [
            CompletionItem(prefix + c) for c in options if c.casefold().startswith(last.casefold())
        ]


class OutDir(click.Path):
    """``--out DIR`` of a command that writes several files (a bundle, a snapshot, reports
    with their checksums). ``-`` is refused, saying why, where click would make a directory
    named ``-``: from the command line, the environment and the config file alike, so
    before any request."""

    def __init__(self, writes: str) -> None:
        super().__init__(path_type=Path, file_okay=False)
        self.writes = writes  # "attribution writes a bundle of files (…)"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, (str, bytes)) and value in ("-", b"-"):
            self.fail(f"{self.writes}, not one document for stdout: give --out DIR", param, ctx)
        return super().convert(value, param, ctx)


# -- options that know their section and their environment variable --------------------


class Opt(click.Option):
    """An option with a help section and the environment variable of the house rule."""

    def __init__(
        self,
        *args: Any,
        section: str = OUTPUT,
        per_command: bool = False,
        extra_envvars: Sequence[str] = (),
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("show_envvar", True)
        super().__init__(*args, **kwargs)
        self.section = section
        self.per_command = per_command
        self.extra_envvars = tuple(extra_envvars)

    @property
    def setting(self) -> str:
        """The option's name in config files: its long flag without the dashes."""
        longs = [o for o in self.opts if o.startswith("--")]
        return longs[0][2:] if longs else str(self.name)

    def envvar_names(self, command: str | None) -> list[str]:
        base = self.setting.upper().replace("-", "_")
        if self.per_command and command:
            return [f"SBOMGEN_{command.upper()}_{base}"]
        return [f"SBOMGEN_{base}", *self.extra_envvars]

    def add_to_parser(self, parser: Any, ctx: click.Context) -> None:
        if isinstance(self.type, CommaList) and not self.multiple:
            # a list given twice (--format a --format b) is one list: click keeps only the
            # last value of an option, which would drop a document without a word
            parser.add_option(obj=self, opts=self.opts, dest=self.name, action="append")
            return
        super().add_to_parser(parser, ctx)

    def resolve_envvar_value(self, ctx: click.Context) -> str | None:
        self.envvar = self.envvar_names(ctx.info_name if ctx.parent is not None else None)
        return super().resolve_envvar_value(ctx)

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        self.envvar = self.envvar_names(ctx.info_name if ctx.parent is not None else None)
        return super().get_help_record(ctx)


def option(*decls: str, **kwargs: Any) -> Callable[[F], F]:
    return click.option(*decls, cls=Opt, **kwargs)


def apply(f: F, options: Iterable[Callable[[F], F]]) -> F:
    for opt in reversed(list(options)):
        f = opt(f)
    return f


def command(
    options: Sequence[Callable[[Any], Any]],
    *,
    credentials: bool = True,
    short_help: str | None = None,
) -> Callable[[Callable[..., Any]], click.Command]:
    """A command with the given options and the global ones (which it accepts too, so
    that they work before or after the command name)."""

    def decorate(f: Callable[..., Any]) -> click.Command:
        f = global_options(apply(f, options))
        return click.command(cls=Command, credentials=credentials, short_help=short_help)(f)

    return decorate


# -- commands whose help lists options by section, then exit codes and variables ---------

EXIT_CODES = (
    ("0", "success"),
    (
        "1",
        "a conformance profile is not met (validate --profile, generate --require-profile); "
        "otherwise an internal error (a bug: please report it, with the output of -v)",
    ),
    ("2", "usage error (an unknown option, a bad value)"),
    ("3", "configuration error (missing credentials, a bad config file)"),
    ("4", "the Mend API answered with an error"),
    ("5", "the Mend server could not be reached, or kept failing"),
    ("6", "bad input data (a broken snapshot or document, a malformed response)"),
    ("7", "a document failed validation (nothing was written)"),
    ("8", "the output could not be written"),
    ("9", "the attribution bundle needs review and --strict was given"),
    ("130", "interrupted (Ctrl-C); 143: terminated (SIGTERM); nothing is left half-written"),
)
CREDENTIALS = (
    ("MEND_USER_KEY", "user key (also WS_USERKEY, WS_USER_KEY)"),
    ("MEND_ORG_TOKEN", "organization token (also WS_ORG_TOKEN, WS_APIKEY, WS_TOKEN)"),
    ("MEND_URL", "server URL, or --url (also SBOMGEN_URL, WS_URL, WS_WSS_URL)"),
)


class HelpFormatter(click.HelpFormatter):
    """click's formatter, but a line never breaks inside a word: not at a hyphen
    (``spdx-yaml``) nor inside a long value (``PRIMARY_ATTRIBUTES``)."""

    def write_dl(
        self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        import textwrap

        rows = list(rows)
        first_col = min(max((len(a) for a, _ in rows), default=0), col_max) + col_spacing
        for first, second in rows:
            self.write(f"{'':>{self.current_indent}}{first}")
            if not second:
                self.write("\n")
                continue
            if len(first) <= first_col - col_spacing:
                self.write(" " * (first_col - len(first)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            width = max(self.width - first_col - 2, 10)
            lines = textwrap.wrap(
                second, width, break_on_hyphens=False, break_long_words=False
            ) or [""]
            self.write(f"{lines[0]}\n")
            for line in lines[1:]:
                self.write(f"{'':>{first_col + self.current_indent}}{line}\n")


class Context(click.Context):
    formatter_class = HelpFormatter


def _write_footer(formatter: click.HelpFormatter, *, credentials: bool) -> None:
    if credentials:
        with formatter.section(
            "Credentials (from the environment; from a config file only with --allow-config-credentials)"
        ):
            formatter.write_dl(list(CREDENTIALS))
    with formatter.section("Exit codes"):
        formatter.write_dl(list(EXIT_CODES))


class Command(click.Command):
    """A command whose ``--help`` groups options by section and ends with the exit codes
    (and, for the commands that talk to Mend, the credential variables)."""

    context_class = Context

    def __init__(self, *args: Any, credentials: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.credentials = credentials

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows: dict[str, list[tuple[str, str]]] = {}
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            section = param.section if isinstance(param, Opt) else GLOBAL
            rows.setdefault(section, []).append(record)
        for section in SECTIONS:
            if section in rows:
                with formatter.section(section):
                    formatter.write_dl(rows[section])

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_epilog(ctx, formatter)
        _write_footer(formatter, credentials=self.credentials)


class Group(click.Group):
    """The ``sbomgen`` group: commands in the order a user meets them."""

    context_class = Context

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_epilog(ctx, formatter)
        with formatter.section("Configuration"):
            formatter.write_text(
                "Every option also reads SBOMGEN_<OPTION> from the environment (shown with "
                "each option) and the same name from ./sbomgen.toml or [tool.sbomgen] in "
                "./pyproject.toml; the command line wins, then the environment, then the file."
            )
        _write_footer(formatter, credentials=True)


# -- shared state -------------------------------------------------------------------------


@dataclass
class State:
    """What the global options set; the root context's object."""

    verbose: int = 0
    quiet: bool = False
    color: str = "auto"
    config_path: Path | None = None
    allow_config_credentials: bool = False
    _configs: dict[Path | None, Any] = field(default_factory=dict)

    def config(self) -> Any:
        """The config file (:class:`sbomgen.config.FileConfig`), loaded once."""
        from sbomgen.config import load_file_config

        if self.config_path not in self._configs:
            self._configs[self.config_path] = load_file_config(self.config_path)
        return self._configs[self.config_path]


def state_of(ctx: click.Context) -> State:
    root = ctx.find_root()
    if not isinstance(root.obj, State):
        root.obj = State()
    return root.obj


def _from_user(ctx: click.Context, param: click.Parameter) -> bool:
    return ctx.get_parameter_source(str(param.name)) == ParameterSource.COMMANDLINE


def _set_verbose(ctx: click.Context, param: click.Parameter, value: int | None) -> None:
    state = state_of(ctx)
    value = value or 0
    # -v before and after the command add up; an environment or config default does not
    state.verbose = state.verbose + value if _from_user(ctx, param) else max(state.verbose, value)


def _set_quiet(ctx: click.Context, param: click.Parameter, value: bool | None) -> None:
    state_of(ctx).quiet = state_of(ctx).quiet or bool(value)


def _set_color(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value is not None and (_from_user(ctx, param) or ctx.parent is not None):
        state_of(ctx).color = value


def _set_allow(ctx: click.Context, param: click.Parameter, value: bool | None) -> None:
    state_of(ctx).allow_config_credentials = state_of(ctx).allow_config_credentials or bool(value)


def _set_config(ctx: click.Context, param: click.Parameter, value: Path | None) -> None:
    state = state_of(ctx)
    if value is not None:
        state.config_path = value
    if ctx.parent is not None:
        # the command's own context: its defaults come from the config file, whose keys
        # are checked against every command's options first
        from sbomgen.config import check_keys

        cfg = state.config()
        group = ctx.find_root().command
        if isinstance(group, click.Group):
            check_keys(cfg, *known_settings(group.commands.values()))
        ctx.default_map = config_defaults(ctx, cfg)


def global_options(f: F) -> F:
    """-v, -q, --config, --color, --allow-config-credentials: on the group and on every
    command, so they work before or after the command name."""
    return apply(
        f,
        [
            option(
                "-v",
                "--verbose",
                count=True,
                expose_value=False,
                callback=_set_verbose,
                section=GLOBAL,
                help="More logging on stderr (-v info, -vv debug); tracebacks on errors.",
            ),
            option(
                "-q",
                "--quiet",
                is_flag=True,
                default=None,
                expose_value=False,
                callback=_set_quiet,
                section=GLOBAL,
                help="Only errors on stderr; no summary.",
            ),
            option(
                "--config",
                type=click.Path(path_type=Path, dir_okay=False),
                is_eager=True,
                expose_value=False,
                callback=_set_config,
                section=GLOBAL,
                help="Config file (default: ./sbomgen.toml, or [tool.sbomgen] in ./pyproject.toml).",
            ),
            option(
                "--color",
                type=DocChoice(("auto", "always", "never")),
                default=None,
                expose_value=False,
                callback=_set_color,
                section=GLOBAL,
                help="Color on stderr: auto (a terminal, and NO_COLOR unset), always, never.",
            ),
            option(
                "--allow-config-credentials",
                is_flag=True,
                default=None,
                expose_value=False,
                callback=_set_allow,
                section=GLOBAL,
                help="Read user-key/org-token from the config file (only for a file that is "
                "never committed).",
            ),
        ],
    )


# -- config file -> click defaults ------------------------------------------------------


def config_defaults(ctx: click.Context, cfg: Any) -> dict[str, Any]:
    """The command's defaults from the config file: top-level keys for shared options, the
    ``[<command>]`` table for any option of the command. Values are converted (and checked)
    here, so that a bad one is reported with its file and key."""
    command = ctx.info_name or ""
    values: dict[str, Any] = cfg.values
    table = values.get(command, {})
    if not isinstance(table, dict):
        raise ConfigError(f"{cfg.where}: [{command}] should be a table of settings")
    defaults: dict[str, Any] = {}
    for param in ctx.command.params:
        if not isinstance(param, Opt) or param.name is None:
            continue
        key = param.setting
        if key in table:
            raw, where = table[key], f"{cfg.where} [{command}] {key}"
        elif (key in values and not param.per_command and param.section != GLOBAL) or (
            key in values and param.section == GLOBAL and key != "config"
        ):
            raw, where = values[key], f"{cfg.where}: {key}"
        else:
            continue
        defaults[param.name] = _convert_setting(ctx, param, raw, where, cfg)
    return defaults


def _convert_setting(ctx: click.Context, param: Opt, raw: Any, where: str, cfg: Any) -> Any:
    if param.is_flag and not param.count:
        if not isinstance(raw, bool):
            raise ConfigError(f"{where}: should be true or false, not {raw!r}")
        return raw
    if param.multiple:
        items = [raw] if isinstance(raw, str) else raw
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise ConfigError(f"{where}: should be a string or a list of strings")
        return [_relative(param, i, cfg) for i in items]
    if isinstance(param.type, CommaList) and isinstance(raw, list):
        raw = ",".join(str(i) for i in raw)
    if isinstance(raw, (dict, list)):
        raise ConfigError(f"{where}: should be a single value, not {type(raw).__name__}")
    try:
        return param.type_cast_value(ctx, _relative(param, raw, cfg))
    except click.BadParameter as exc:
        raise ConfigError(f"{where}: {exc.message}") from None


def _relative(param: Opt, value: Any, cfg: Any) -> Any:
    """A path in a config file is relative to the file."""
    if (
        isinstance(param.type, click.Path)
        and isinstance(value, str)
        and value != "-"
        and cfg.path is not None
        and not Path(value).is_absolute()
    ):
        return str(cfg.path.parent / value)
    return value


def known_settings(commands: Iterable[click.Command]) -> tuple[set[str], dict[str, set[str]]]:
    """The keys a config file may hold: (top-level, per command table)."""
    top: set[str] = set(DOCUMENT_KEYS) | set(SECRET_KEYS)
    tables: dict[str, set[str]] = {}
    for command in commands:
        names = {p.setting for p in command.params if isinstance(p, Opt)} - {"config"}
        tables[str(command.name)] = names
        top |= {p.setting for p in command.params if isinstance(p, Opt) and not p.per_command} - {
            "config"
        }
    return top, tables


# -- shared option groups --------------------------------------------------------------


def source_options(*, snapshot: bool = True) -> list[Callable[[F], F]]:
    options: list[Callable[[F], F]] = [
        option(
            "--url",
            section=SOURCE,
            extra_envvars=ENV_URL[1:],
            help="Mend server URL, as copied from the Mend UI (…/api/v1.x or …/agent is fine).",
        ),
    ]
    if snapshot:
        options.append(
            option(
                "--snapshot",
                type=click.Path(path_type=Path, file_okay=False, exists=True),
                multiple=True,
                metavar="DIR",
                section=SOURCE,
                help="Read a snapshot recorded by 'sbomgen fetch' instead of a server "
                "(repeatable: snapshots of several products, fetched apart, become one).",
            )
        )
    options += [
        option(
            "--product",
            "products",
            multiple=True,
            metavar="TOKEN",
            section=SCOPE,
            help="Product token (repeatable).",
        ),
        option(
            "--project",
            "projects",
            multiple=True,
            metavar="TOKEN",
            section=SCOPE,
            help="Project token (repeatable).",
        ),
        option(
            "--org",
            is_flag=True,
            default=None,
            section=SCOPE,
            help="Every product of the organization (needs the organization token).",
        ),
        option(
            "--retries",
            type=click.IntRange(0, 20),
            default=4,
            show_default=True,
            section=NETWORK,
            help="Retries of a request that failed transiently (429, 5xx, a dropped "
            "connection). An unknown host or a TLS mismatch fails at once.",
        ),
        option(
            "--timeout",
            type=click.FloatRange(min=1),
            default=300.0,
            show_default=True,
            section=NETWORK,
            help="Read timeout per request, in seconds.",
        ),
        option(
            "--concurrency",
            type=click.IntRange(1, 64),
            default=8,
            show_default=True,
            extra_envvars=("MEND_CONCURRENCY",),
            section=NETWORK,
            help="Requests in flight at once (also MEND_CONCURRENCY). A 429 from Mend "
            "pauses them all; the output does not depend on it.",
        ),
        option(
            "--cache",
            type=click.Path(path_type=Path, file_okay=False),
            metavar="DIR",
            section=NETWORK,
            help="Keep each project's dependency tree in DIR and ask Mend again only for "
            "projects whose lastUpdatedDate moved (product-level answers are always fresh).",
        ),
        *tls_options(),
    ]
    return options


def tls_options() -> list[Callable[[F], F]]:
    return [
        option(
            "--ca-bundle",
            type=click.Path(path_type=Path, dir_okay=False, exists=True),
            section=NETWORK,
            help="PEM file of the CA that signed an on-premises Mend's certificate (also "
            "REQUESTS_CA_BUNDLE); TLS is verified either way.",
        ),
        option(
            "--insecure",
            is_flag=True,
            section=NETWORK,
            help="Do not verify the server's TLS certificate (anyone on the way can read the "
            "user key): for a test server only.",
        ),
    ]


def enrich_options() -> list[Callable[[F], F]]:
    return [
        option(
            "--license-map",
            type=click.Path(path_type=Path, dir_okay=False, exists=True),
            section=ENRICH,
            help="TOML file: Mend license name -> SPDX expression, and per-library curations.",
        ),
        option(
            "--vex-map",
            type=click.Path(path_type=Path, dir_okay=False, exists=True),
            section=ENRICH,
            help="TOML file: [[vex]] entries (vulnerability, optionally library, -> state and "
            "justification) that override how ignored alerts' comments are read.",
        ),
        option(
            "--multi-license",
            type=DocChoice(("OR", "AND")),
            default="OR",
            show_default=True,
            section=ENRICH,
            help="How to join several licenses Mend lists for one library.",
        ),
    ]


def document_options(what: str) -> list[Callable[[F], F]]:
    return [
        option(
            "--name",
            section=OUTPUT,
            help=f"Name of what the {what} describes (default: the "
            "product's name, or the organization's for several products).",
        ),
        option(
            "--version",
            "doc_version",
            section=OUTPUT,
            help=f"Version of what the {what} describes.",
        ),
    ]


def out_options(help: str, *, writes: str | None = None) -> list[Callable[[F], F]]:
    """--out and --force. ``writes`` says what a command that writes several files writes,
    and refuses ``--out -`` (see :class:`OutDir`); without it, ``-`` is stdout."""
    return [
        option(
            "--out",
            type=OutDir(writes)
            if writes
            else click.Path(path_type=Path, file_okay=False, allow_dash=True),
            section=OUTPUT,
            help=help,
        ),
        option(
            "--force",
            is_flag=True,
            section=OUTPUT,
            help="Write into --out even where files sbomgen did not write would be replaced.",
        ),
    ]


def attribution_options(*, in_generate: bool) -> list[Callable[[F], F]]:
    only = " (with an attribution-* format)" if in_generate else ""
    return [
        option(
            "--header",
            default="Attribution Report",
            show_default=True,
            section=ATTRIBUTION,
            help=f"The notice's header{only}.",
        ),
        option("--title", default="", section=ATTRIBUTION, help="The notice's title."),
        option("--footer", default="", section=ATTRIBUTION, help="The notice's footer."),
        option(
            "--scope",
            "sections",
            type=CommaList(ATTRIBUTION_SCOPES, "section"),
            default=",".join(ATTRIBUTION_SCOPES),
            show_default="all",
            section=ATTRIBUTION,
            help="Comma list of the notice's sections: " + ", ".join(ATTRIBUTION_SCOPES) + ".",
        ),
        option(
            "--aggregate",
            type=DocChoice(AGGREGATIONS),
            default="BY_COMPONENT",
            show_default=True,
            section=ATTRIBUTION,
            help="A section per component, or per project.",
        ),
        option(
            "--missing-license",
            type=DocChoice(MISSING_LICENSE),
            default="BLANK",
            show_default=True,
            section=ATTRIBUTION,
            help="What the notice shows for a component without a known license.",
        ),
        option(
            "--template-dir",
            type=click.Path(path_type=Path, file_okay=False, exists=True),
            section=ATTRIBUTION,
            help="Directory whose templates replace the bundled ones (notice.html.j2, "
            "notice.txt.j2, notice.md.j2, review.md.j2).",
        ),
        option(
            "--strict",
            is_flag=True,
            section=ATTRIBUTION,
            help="Exit 9 and write nothing when anything needs review.",
        ),
        option(
            "--include-in-house",
            is_flag=True,
            section=ATTRIBUTION,
            help="Include the organization's in-house libraries in the notice (left out by "
            "default: they are its own code, not third-party software).",
        ),
    ]


def attribution_format_option() -> Callable[[F], F]:
    return option(
        "--format",
        "formats",
        type=CommaList(ATTRIBUTION_FORMATS, "format"),
        default=",".join(ATTRIBUTION_FORMATS),
        show_default=True,
        per_command=True,
        section=OUTPUT,
        help="Comma list of html, txt, md (or all).",
    )


def spec_version_options() -> list[Callable[[F], F]]:
    return [
        option(
            "--cyclonedx-version",
            type=DocChoice(CYCLONEDX_VERSIONS),
            default="1.6",
            show_default=True,
            section=OUTPUT,
            help="CycloneDX specification version.",
        ),
        option(
            "--spdx-version",
            type=DocChoice(SPDX_VERSIONS),
            default="2.3",
            show_default=True,
            section=OUTPUT,
            help="SPDX specification version.",
        ),
    ]


def report_format_option() -> Callable[[F], F]:
    return option(
        "--format",
        "report_format",
        type=DocChoice(("text", "json")),
        default="text",
        show_default=True,
        per_command=True,
        section=OUTPUT,
        help="text for people, json for machines (schema in docs/cli-json.md).",
    )
