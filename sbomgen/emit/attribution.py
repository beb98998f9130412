"""Attribution bundles: NOTICE.html, NOTICE.txt, NOTICE.md and licenses/, from Jinja.

Everything is resolved here, in code: which components, their effective licenses, the
de-duplicated copyrights and notices, one entry per distinct license text, anchors, and the
problems a person must review. Templates only choose and arrange (templates/README.md
documents the data they get). Options have the meaning of Mend's attribution report.
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

from sbomgen import __version__
from sbomgen.emit.interface import DocumentMeta, Emitter
from sbomgen.emit.plan import short_hash
from sbomgen.enrich.texts import symbols_of
from sbomgen.errors import ConfigError, InputDataError, SbomgenError
from sbomgen.model import NOASSERTION, Inventory, Library

SCOPES = ("SUMMARY", "LICENSES", "COPYRIGHTS", "NOTICES", "PRIMARY_ATTRIBUTES")
AGGREGATIONS = ("BY_COMPONENT", "BY_PROJECT")
MISSING = ("BLANK", "GENERIC_LICENSE")
FORMATS = {"html": "NOTICE.html", "txt": "NOTICE.txt", "md": "NOTICE.md"}
GENERIC_LICENSE = (
    "The license of this component could not be identified. It is distributed under the terms "
    "stated by its authors; see the component's own distribution."
)


class TemplateError(SbomgenError):
    """A template failed to load or render; the message names the template and line."""

    exit_code = 3


class NeedsReviewError(SbomgenError):
    """--strict and the bundle has problems a person must review."""

    exit_code = 9


@dataclass(frozen=True)
class AttributionOptions:
    header: str = "Attribution Report"
    title: str = ""
    footer: str = ""
    scope: tuple[str, ...] = SCOPES
    aggregate: str = "BY_COMPONENT"
    missing_license: str = "BLANK"
    template_dir: Path | None = None
    strict: bool = False
    exclude_in_house: bool = False

    def __post_init__(self) -> None:
        unknown = [s for s in self.scope if s not in SCOPES]
        if unknown or not self.scope:
            raise ConfigError(
                f"attribution scope {unknown[0] if unknown else '(empty)'!r}: use {', '.join(SCOPES)}"
            )
        if self.aggregate not in AGGREGATIONS:
            raise ConfigError(
                f"attribution aggregation {self.aggregate!r}: use {' or '.join(AGGREGATIONS)}"
            )
        if self.missing_license not in MISSING:
            raise ConfigError(
                f"missing-license display {self.missing_license!r}: use {' or '.join(MISSING)}"
            )
        if self.template_dir is not None and not self.template_dir.is_dir():
            raise ConfigError(f"template directory {self.template_dir} does not exist")


# -- the data model templates receive ------------------------------------------------------


def _anchor(prefix: str, text: str, key: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "x"
    return f"{prefix}-{slug}-{short_hash(key)[:8]}"


def _normalized_text(text: str) -> str:
    return " ".join(text.split())


@dataclass
class LicenseEntry:
    anchor: str
    ids: list[str]
    name: str
    text: str
    source: str
    file: str
    used_by: list[str] = field(default_factory=list)  # component anchors

    @property
    def id(self) -> str:
        return self.ids[0]


def _display(lib: Library) -> str:
    if lib.purl:
        m = re.match(r"pkg:(maven)/([^/]+)/([^@]+)@", lib.purl)
        if m:
            return f"{m.group(2)}:{m.group(3)}"
        m = re.match(r"pkg:(npm|golang|github)/([^@?]+)", lib.purl)
        if m:
            from urllib.parse import unquote

            return unquote(m.group(2))
    return lib.name or lib.artifact_id or lib.filename or lib.key_uuid


def build_context(
    inventory: Inventory, meta: DocumentMeta, options: AttributionOptions
) -> dict[str, Any]:
    """Resolve everything the templates show; see templates/README.md."""
    libraries = sorted(
        (
            lib
            for lib in inventory.libraries.values()
            if not (options.exclude_in_house and lib.in_house)
        ),
        key=lambda lib: (_display(lib).lower(), lib.version or "", lib.key_uuid),
    )
    if not libraries:
        raise InputDataError(
            "the scope holds no library: there is nothing to attribute, so no bundle is written"
        )
    # one license entry per distinct text; ids that share a text share the entry
    entries: dict[str, LicenseEntry] = {}
    by_id: dict[str, LicenseEntry] = {}
    names: dict[str, str] = {}
    for lib in libraries:
        for part in lib.license.parts if lib.license else ():
            if len(symbols_of(part.expression)) == 1:
                names.setdefault(part.expression, part.mend_name.removeprefix("Suspected ").strip())
    used_ids = {
        symbol
        for lib in libraries
        for symbol in symbols_of(lib.license.concluded if lib.license else NOASSERTION)
    }
    for identifier in sorted(i for i in inventory.texts if i in used_ids):
        text = inventory.texts[identifier]
        key = _normalized_text(text.text)
        entry = entries.get(key)
        if entry is None:
            entry = entries[key] = LicenseEntry(
                anchor=_anchor("license", identifier, identifier),
                ids=[identifier],
                name=names.get(identifier, identifier),
                text=text.text.rstrip("\n"),
                source=text.source,
                file=f"licenses/{identifier}.txt",
            )
        else:
            entry.ids.append(identifier)
        by_id[identifier] = entry

    problems: list[dict[str, str]] = []
    components: list[dict[str, Any]] = []
    for lib in libraries:
        anchor = _anchor("component", _display(lib), lib.key_uuid)
        decision = lib.license
        expression = decision.concluded if decision else NOASSERTION
        ids = symbols_of(expression)
        license_links = []
        for identifier in ids:
            entry = by_id.get(identifier)
            license_links.append(
                {
                    "id": identifier,
                    "anchor": entry.anchor if entry else None,
                    "file": entry.file if entry else None,
                }
            )
            if entry is not None and anchor not in entry.used_by:
                entry.used_by.append(anchor)
        label = f"{_display(lib)} {lib.version or ''}".strip()
        if expression == NOASSERTION:
            problems.append(
                {
                    "kind": "no-license",
                    "component": label,
                    "anchor": anchor,
                    "message": "no license is known (NOASSERTION): find the license before shipping",
                }
            )
        missing = [i for i in ids if i not in by_id]
        for identifier in missing:
            problems.append(
                {
                    "kind": "missing-text",
                    "component": label,
                    "anchor": anchor,
                    "message": f"no text for {identifier}: the bundle cannot include its terms",
                }
            )
        if decision and decision.inference and " OR " in expression and not decision.curation:
            problems.append(
                {
                    "kind": "unresolved-choice",
                    "component": label,
                    "anchor": anchor,
                    "message": f"{expression} is a choice nobody made yet; record it with a curation",
                }
            )
        if decision and decision.suspected and not decision.curation:
            problems.append(
                {
                    "kind": "suspected",
                    "component": label,
                    "anchor": anchor,
                    "message": "Mend only suspected this license ("
                    + ", ".join(p.mend_name for p in decision.parts if p.suspected)
                    + ")",
                }
            )
        projects = sorted(
            {
                inventory.projects[o.project].name
                for o in lib.occurrences
                if o.project in inventory.projects
            }
        )
        components.append(
            {
                "anchor": anchor,
                "name": _display(lib),
                "version": lib.version or "",
                "purl": lib.purl or "",
                "homepage": lib.references.homepage or "",
                "license": "" if expression == NOASSERTION else expression,
                "license_missing": expression == NOASSERTION,
                "license_display": (
                    expression
                    if expression != NOASSERTION
                    else (GENERIC_LICENSE if options.missing_license == "GENERIC_LICENSE" else "")
                ),
                "licenses": license_links,
                "mend_licenses": [lic.name for lic in lib.licenses],
                "copyrights": list(dict.fromkeys(c.text for c in lib.copyrights)),
                "notices": list(dict.fromkeys(n.strip() for n in lib.notices if n.strip())),
                "projects": projects,
                "project_tokens": sorted({o.project for o in lib.occurrences}),
                "in_house": lib.in_house,
            }
        )
    by_anchor = {c["anchor"]: c for c in components}
    project_list = []
    first_project: dict[str, str] = {}
    for project in sorted(
        inventory.projects.values(), key=lambda p: (p.product_name or "", p.name, p.token)
    ):
        members = [c["anchor"] for c in components if project.token in c["project_tokens"]]
        project_anchor = _anchor("project", project.name, project.token)
        for member in members:
            first_project.setdefault(member, project_anchor)
        project_list.append(
            {
                "anchor": project_anchor,
                "name": project.name,
                "product": project.product_name or "",
                "components": [by_anchor[a] for a in members],
            }
        )
    # where a component's details are printed: its own block, or its first project's block
    for component in components:
        if options.aggregate == "BY_PROJECT" and component["anchor"] in first_project:
            component["target"] = f"{first_project[component['anchor']]}-{component['anchor']}"
        else:
            component["target"] = component["anchor"]
    for problem in problems:
        problem["target"] = by_anchor[problem["anchor"]]["target"]
    licenses = sorted(entries.values(), key=lambda e: e.id)
    return {
        "meta": {
            "header": options.header,
            "title": options.title,
            "footer": options.footer,
            "scope": list(options.scope),
            "aggregation": options.aggregate,
            "missing_license": options.missing_license,
            "generated": meta.timestamp.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "name": meta.name,
            "version": meta.version or "",
            "tool": f"sbomgen {__version__}",
        },
        "components": components,
        "licenses": [
            {
                "anchor": e.anchor,
                "id": e.id,
                "ids": e.ids,
                "name": e.name,
                "text": e.text,
                "source": e.source,
                "file": e.file,
                "used_by": [by_anchor[a] for a in e.used_by],
            }
            for e in licenses
        ],
        "projects": project_list,
        "problems": sorted(problems, key=lambda p: (p["component"].lower(), p["kind"])),
    }


# -- rendering ---------------------------------------------------------------------------------


def _md_fence(text: Any) -> str:
    """A ~~~ fence longer than any run of ~ or ` in the text, so the text cannot close it."""
    runs = [len(m) for m in re.findall(r"~+|`+", str(text))]
    return "~" * max(4, max(runs, default=0) + 1)


def _md_escape(value: Any) -> str:
    # one line (a newline would end a table row or a list item); brackets are escaped, so
    # "(…)" can never complete a link: parentheses stay as they are
    line = " ".join(str(value).split())
    return re.sub(r"([\\`*_{}\[\]<>#|~])", r"\\\1", line)


def environment(template_dir: Path | None) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = []
    if template_dir is not None:
        loaders.append(jinja2.FileSystemLoader(str(template_dir)))
    loaders.append(jinja2.FileSystemLoader(str(resources.files("sbomgen.templates"))))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        # on for HTML templates; the text and Markdown templates escape what they need
        autoescape=jinja2.select_autoescape(
            enabled_extensions=("html", "html.j2"), default_for_string=False
        ),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = _md_escape
    env.filters["fence"] = _md_fence
    return env


def _where(exc: BaseException) -> str:
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return f"{exc.filename or exc.name}:{exc.lineno}"
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith(".j2") or "template" in frame.filename:
            return f"{frame.filename}:{frame.lineno}"
    return "?"


def render(env: jinja2.Environment, template: str, context: Mapping[str, Any]) -> str:
    try:
        text = env.get_template(template).render(**context)
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"template {exc.name} not found") from exc
    except jinja2.TemplateError as exc:
        raise TemplateError(f"template {_where(exc)}: {exc.message or exc}") from exc
    return text if text.endswith("\n") else text + "\n"


class Attribution(Emitter):
    """The attribution bundle in some of the three formats, plus licenses/."""

    def __init__(
        self,
        formats: Sequence[str] = ("html", "txt", "md"),
        options: AttributionOptions | None = None,
    ) -> None:
        unknown = [f for f in formats if f not in FORMATS]
        if unknown:
            raise ValueError(f"attribution format {unknown[0]!r}")
        self.formats = list(formats)
        self.options = options or AttributionOptions()
        self.name = ",".join(f"attribution-{f}" for f in self.formats)
        self.problems: list[dict[str, str]] = []

    def render(self, inventory: Inventory, meta: DocumentMeta) -> dict[str, bytes]:
        context = build_context(inventory, meta, self.options)
        self.problems = context["problems"]
        if self.options.strict and self.problems:
            listed = "; ".join(f"{p['component']}: {p['message']}" for p in self.problems[:5])
            more = f" (and {len(self.problems) - 5} more)" if len(self.problems) > 5 else ""
            raise NeedsReviewError(
                f"--strict: {len(self.problems)} attribution problem(s) need review, nothing was written: {listed}{more}"
            )
        env = environment(self.options.template_dir)
        prefix = meta.bundle_dir.rstrip("/") + "/"
        files: dict[str, bytes] = {}
        for fmt in self.formats:
            files[prefix + FORMATS[fmt]] = render(env, f"notice.{fmt}.j2", context).encode("utf-8")
        if "LICENSES" in self.options.scope:
            for entry in context["licenses"]:
                files[prefix + entry["file"]] = (entry["text"].rstrip("\n") + "\n").encode("utf-8")
        return files


def count_problems(problems: Iterable[Mapping[str, str]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for p in problems:
        counts[p["kind"]] = counts.get(p["kind"], 0) + 1
    return counts
