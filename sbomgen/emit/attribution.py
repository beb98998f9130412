"""Attribution bundles: NOTICE.html, NOTICE.txt, NOTICE.md and licenses/, from Jinja.

Everything is resolved here, in code: which components, their effective licenses, the
de-duplicated copyrights and notices, one entry per distinct license text, anchors, and the
problems a person must review. Templates only choose and arrange (templates/README.md
documents the data they get). Options have the meaning of Mend's attribution report.
"""

from __future__ import annotations

import json
import re
import textwrap
import traceback
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

from sbomgen import __version__
from sbomgen.emit.formats import AGGREGATIONS, ATTRIBUTION_SCOPES, MISSING_LICENSE
from sbomgen.emit.interface import DocumentMeta, Emitter
from sbomgen.emit.plan import short_hash
from sbomgen.enrich.licenses import SUSPECTED
from sbomgen.enrich.terms import COPYRIGHT_LINE, holder_key, line_key, split_terms
from sbomgen.enrich.texts import spdx_name, spdx_text, symbols_of
from sbomgen.errors import ConfigError, InputDataError, SbomgenError
from sbomgen.model import NOASSERTION, Inventory, Library

SCOPES = ATTRIBUTION_SCOPES
MISSING = MISSING_LICENSE
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
    include_in_house: bool = False  # the organization's own code is not a third party

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
    origin: str  # "component" (one component's own text), "mend", "spdx-list"
    file: str
    url: str = ""
    component: str = ""  # for a component's own text: its label
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


def _link(url: str | None) -> str:
    """An http(s) URL that is safe in an href and a Markdown link, or an empty string."""
    url = (url or "").strip()
    return url if re.fullmatch(r"https?://[^\s<>\"'()\\]+", url) else ""


def _license_url(identifier: str, libraries: Sequence[Library]) -> str:
    if not identifier.startswith("LicenseRef-"):
        return f"https://spdx.org/licenses/{identifier}.html"
    for lib in libraries:
        for part in lib.license.parts if lib.license else ():
            if part.expression == identifier:
                for lic in lib.licenses:
                    if lic.name == part.mend_name and _link(lic.url):
                        return _link(lic.url)
    return ""


def _uses(lib: Library, identifier: str) -> bool:
    return identifier in symbols_of(lib.license.concluded if lib.license else NOASSERTION)


@dataclass
class _Texts:
    """Which text each component reads for each id, and what the split left over."""

    general: dict[str, LicenseEntry] = field(default_factory=dict)  # id -> entry
    own: dict[tuple[str, str], LicenseEntry] = field(default_factory=dict)  # (id, key) -> entry
    extra_copyrights: dict[str, list[str]] = field(default_factory=dict)  # key -> lines
    review: list[dict[str, str]] = field(default_factory=list)


def _resolve_texts(
    inventory: Inventory, libraries: Sequence[Library], names: Mapping[str, str]
) -> _Texts:
    """Terms once per license, and each work's copyright lines with that work only.

    A text from Mend's license-text zip is some component's own LICENSE file. Its copyright
    lines go to the component whose copyrights they are (found by comparing them with the
    components' copyright lines); the terms serve every component under the license. A
    text whose lines cannot be told apart from the terms is printed only with the component
    it came from; the others get the SPDX License List text.
    """
    out = _Texts()
    used = sorted(
        {
            s
            for lib in libraries
            for s in symbols_of(lib.license.concluded if lib.license else NOASSERTION)
        }
    )
    by_text: dict[str, LicenseEntry] = {}

    def general(identifier: str, text: str, origin: str) -> LicenseEntry:
        key = _normalized_text(text)
        entry = by_text.get(key)
        if entry is None:
            entry = by_text[key] = LicenseEntry(
                anchor=_anchor("license", identifier, identifier),
                ids=[identifier],
                name=names.get(identifier, identifier),
                text=text.rstrip("\n"),
                origin=origin,
                file=f"licenses/{identifier}.txt",
                url=_license_url(identifier, libraries),
            )
        elif identifier not in entry.ids:
            # one text, several licenses (GPL-2.0-only and GPL-2.0-or-later): named by all
            entry.ids.append(identifier)
            entry.name = " / ".join(names.get(i, i) for i in entry.ids)
        return entry

    def spdx_terms(identifier: str) -> str | None:
        found = spdx_text(identifier)
        return split_terms(identifier, found[0]).text if found else None

    for identifier in used:
        text = inventory.texts.get(identifier)
        if text is None:
            continue
        users = [lib for lib in libraries if _uses(lib, identifier)]
        if not text.source.startswith("mend:"):
            terms = split_terms(identifier, text.text)
            out.general[identifier] = general(identifier, terms.text, "spdx-list")
            continue
        terms = split_terms(identifier, text.text)
        lines = list(terms.copyrights)
        if not terms.safe:
            lines = [ln.strip() for ln in text.text.splitlines() if COPYRIGHT_LINE.match(ln)]
        origins, confident = _origins(lines, users)
        if terms.safe:
            out.general[identifier] = general(identifier, terms.text, "mend")
            if len(origins) == 1:
                lib = origins[0]
                known = {holder_key(c.text) for c in lib.copyrights}
                extra = [ln for ln in lines if holder_key(ln) not in known]
                out.extra_copyrights.setdefault(lib.key_uuid, []).extend(extra)
                if extra and not confident:
                    out.review.append(
                        {
                            "kind": "copyright-split",
                            "component": identifier,
                            "message": f"the license text Mend holds for {identifier} carries "
                            f"{'; '.join(extra)!r}, printed with {_display(lib)}, the only "
                            "component whose copyright names the same holder (no line matches "
                            "in full): check it is theirs",
                        }
                    )
            else:
                # lines each candidate already has are not lost; the others have no owner
                unplaced = [
                    ln
                    for ln in lines
                    if not origins
                    or not all(
                        holder_key(ln) in {holder_key(c.text) for c in lib.copyrights}
                        for lib in origins
                    )
                ]
                whose = (
                    f"which could be any of {', '.join(_display(lib) for lib in origins)}'s"
                    if origins
                    else "which is no component's in scope"
                )
                if unplaced:
                    out.review.append(
                        {
                            "kind": "copyright-unattributed",
                            "component": identifier,
                            "message": f"the license text Mend holds for {identifier} carries "
                            f"{'; '.join(unplaced)!r}, {whose}: left out of the notice",
                        }
                    )
            continue
        # the terms and the work's lines cannot be told apart: the text goes with the one
        # component it came from, where that can be told, and nowhere else
        fallback = spdx_terms(identifier)
        owner = origins[0] if len(origins) == 1 else None
        if owner is not None:
            label = f"{_display(owner)} {owner.version or ''}".strip()
            out.own[(identifier, owner.key_uuid)] = LicenseEntry(
                anchor=_anchor(
                    "license", f"{identifier}-{label}", f"{identifier}/{owner.key_uuid}"
                ),
                ids=[identifier],
                name=names.get(identifier, identifier),
                text=text.text.rstrip("\n"),
                origin="component",
                file=f"licenses/{identifier}-{_file_part(label)}.txt",
                url=_license_url(identifier, libraries),
                component=label,
            )
        if fallback is not None:
            out.general[identifier] = general(identifier, fallback, "spdx-list")
        elif owner is None:
            out.general[identifier] = general(identifier, text.text, "mend")
        if owner is not None:
            how = f"printed with {_display(owner)} only" + (
                "" if confident else ", the only component whose copyright names its holder"
            )
        elif origins:
            how = (
                "its copyright could be any of "
                f"{', '.join(_display(lib) for lib in origins)}'s, so it is printed with none"
            )
        else:
            how = "no copyright line in it names a component in scope"
        out.review.append(
            {
                "kind": "copyright-split",
                "component": identifier,
                "message": f"the license text Mend holds for {identifier} could not be "
                f"split into terms and copyright lines ({how}); "
                + (
                    f"{'the other' if owner is not None else 'its'} components get the SPDX "
                    "License List text"
                    if fallback is not None
                    else "check which copyright it carries before shipping"
                ),
            }
        )
    return out


def _origins(lines: list[str], users: list[Library]) -> tuple[list[Library], bool]:
    """The components a license text's copyright lines can belong to, and whether that is
    certain: a line found whole (years included) in exactly one component's copyrights;
    otherwise every component whose copyright names one of the same holders (a line may
    name more: "… TJ Holowaychuk and Douglas Wilson")."""
    whole = {line_key(ln) for ln in lines}
    exact = [lib for lib in users if whole & {line_key(c.text) for c in lib.copyrights}]
    if len(exact) == 1:
        return exact, True
    keys = [f" {holder_key(ln)} " for ln in lines]
    return [
        lib
        for lib in users
        if any(
            len(own) >= 4 and f" {own} " in key
            for own in {holder_key(c.text) for c in lib.copyrights}
            for key in keys
        )
    ], False


def _license_display(
    lib: Library, expression: str, names: Mapping[str, str], options: AttributionOptions
) -> str:
    """What the notice states as the license. Where sbomgen joined several of Mend's
    licenses and nobody recorded what the operator is, the notice lists them without
    claiming a choice ("OpenSSL, Apache-2.0"); the review report asks for the choice."""
    if expression == NOASSERTION:
        return GENERIC_LICENSE if options.missing_license == "GENERIC_LICENSE" else ""
    decision = lib.license
    if decision is not None and decision.joined and not decision.curation:
        parts = dict.fromkeys(p.expression for p in decision.parts if p.expression != NOASSERTION)
        return ", ".join(_readable(p, names) for p in parts)
    return _readable(expression, names)


def _readable(expression: str, names: Mapping[str, str]) -> str:
    """The expression as a reader reads it: a ``LicenseRef-`` by its name."""
    return re.sub(
        r"LicenseRef-[A-Za-z0-9.-]+",
        lambda m: names.get(m.group(0), m.group(0).removeprefix("LicenseRef-")),
        expression,
    )


def _file_part(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9.]+", "-", text).strip("-.")[:60] or "component"


def build_context(
    inventory: Inventory, meta: DocumentMeta, options: AttributionOptions
) -> dict[str, Any]:
    """Resolve everything the templates show; see templates/README.md."""
    libraries = sorted(
        (
            lib
            for lib in inventory.libraries.values()
            if options.include_in_house or not lib.in_house
        ),
        key=lambda lib: (_display(lib).lower(), lib.version or "", lib.key_uuid),
    )
    if not libraries:
        raise InputDataError(
            "the scope holds no library: there is nothing to attribute, so no bundle is written"
        )
    names: dict[str, str] = {}
    for lib in libraries:
        for part in lib.license.parts if lib.license else ():
            if len(symbols_of(part.expression)) == 1:
                names.setdefault(
                    part.expression,
                    spdx_name(part.expression) or SUSPECTED.sub("", part.mend_name).strip(),
                )
    for lib in libraries:  # ids no Mend name gave a name to (exceptions, curations)
        for identifier in symbols_of(lib.license.concluded if lib.license else NOASSERTION):
            if identifier not in names:
                names[identifier] = spdx_name(identifier) or identifier.removeprefix("LicenseRef-")
    texts = _resolve_texts(inventory, libraries, names)
    review: list[dict[str, str]] = []
    components: list[dict[str, Any]] = []
    for lib in libraries:
        anchor = _anchor("component", _display(lib), lib.key_uuid)
        decision = lib.license
        expression = decision.concluded if decision else NOASSERTION
        ids = symbols_of(expression)
        license_links = []
        for identifier in ids:
            entry = texts.own.get((identifier, lib.key_uuid)) or texts.general.get(identifier)
            license_links.append(
                {
                    "id": identifier,
                    "name": names.get(identifier, identifier),
                    "anchor": entry.anchor if entry else None,
                    "file": entry.file if entry else None,
                    "url": entry.url if entry else _license_url(identifier, [lib]),
                }
            )
            if entry is not None and anchor not in entry.used_by:
                entry.used_by.append(anchor)
        label = f"{_display(lib)} {lib.version or ''}".strip()

        def note(kind: str, message: str, label: str = label, anchor: str = anchor) -> None:
            review.append({"kind": kind, "component": label, "anchor": anchor, "message": message})

        if expression == NOASSERTION:
            note(
                "no-license", "no license is known (NOASSERTION): find the license before shipping"
            )
        for identifier in ids:
            if not any(link["id"] == identifier and link["anchor"] for link in license_links):
                note(
                    "missing-text", f"no text for {identifier}: the notice cannot include its terms"
                )
        if decision and decision.inference and " OR " in expression and not decision.curation:
            note(
                "unresolved-choice",
                f"{expression} is a choice nobody made yet; record it with a curation",
            )
        if decision and decision.suspected and not decision.curation:
            note(
                "suspected",
                "Mend only suspected this license ("
                + ", ".join(p.mend_name for p in decision.parts if p.suspected)
                + "); the notice states it as the license",
            )
        projects = sorted(
            {
                inventory.projects[o.project].name
                for o in lib.occurrences
                if o.project in inventory.projects
            }
        )
        copyrights = list(dict.fromkeys(c.text for c in lib.copyrights))
        copyrights += [
            c for c in texts.extra_copyrights.get(lib.key_uuid, []) if c not in copyrights
        ]
        components.append(
            {
                "anchor": anchor,
                "name": _display(lib),
                "version": lib.version or "",
                "purl": lib.purl or "",
                "homepage": _link(lib.references.homepage),
                "license": "" if expression == NOASSERTION else expression,
                "license_missing": expression == NOASSERTION,
                "license_display": _license_display(lib, expression, names, options),
                "licenses": license_links,
                "copyrights": copyrights,
                "notices": list(dict.fromkeys(n.strip() for n in lib.notices if n.strip())),
                "projects": projects,
                "project_tokens": sorted({o.project for o in lib.occurrences}),
                "in_house": lib.in_house,
                # where Mend found it (evidence; the bundled templates do not print it)
                "locations": [
                    {
                        "path": loc.path,
                        "match": loc.match_type or "",
                        "dependency_file": loc.dependency_file or "",
                    }
                    for loc in sorted(set(lib.locations))
                ],
            }
        )
    by_anchor = {c["anchor"]: c for c in components}
    project_list = []
    first_project: dict[str, str] = {}
    in_project: dict[str, list[str]] = {}  # project token -> its components, in order
    for c in components:
        for token in c["project_tokens"]:
            in_project.setdefault(token, []).append(c["anchor"])
    for project in sorted(
        inventory.projects.values(), key=lambda p: (p.product_name or "", p.name, p.token)
    ):
        members = in_project.get(project.token, [])
        if not members:
            continue
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
    entries = sorted(
        {id(e): e for e in [*texts.general.values(), *texts.own.values()] if e.used_by}.values(),
        key=lambda e: (e.id, e.component),
    )
    review += texts.review
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
            "in_house": options.include_in_house,
            "third_party": not options.include_in_house,
        },
        "components": components,
        "licenses": [
            {
                "anchor": e.anchor,
                "id": e.id,
                "ids": e.ids,
                "name": e.name,
                "text": e.text,
                "origin": e.origin,
                "component": e.component,
                "file": e.file,
                "url": e.url,
                "used_by": [by_anchor[a] for a in e.used_by],
            }
            for e in entries
        ],
        "projects": project_list,
        "review": sorted(review, key=lambda p: (p["component"].lower(), p["kind"], p["message"])),
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


# Fields the template data model no longer has, and what replaced them: a template written
# for the earlier model fails with this message instead of printing nothing.
MOVED = {
    "problems": "the review list is no longer part of the NOTICE: it goes to REVIEW.md "
    "(review.md.j2 gets it as `review`) and REVIEW.json",
    "mend_licenses": "`component.mend_licenses` was removed: a NOTICE states the license "
    "(`component.license`), not Mend's name for it",
    "source": "`license.source` was replaced by `license.origin` (component, mend or "
    "spdx-list) and `license.component`",
}


class ModelUndefined(jinja2.StrictUndefined):
    """StrictUndefined that names the replacement of a field the data model dropped."""

    __slots__ = ()

    @property
    def _undefined_message(self) -> str:
        name = self._undefined_name
        if name in MOVED:
            return f"{name!r} is not in the template data model: {MOVED[name]}"
        return str(super()._undefined_message)


def wrap(value: Any, width: int = 80, indent: int = 0, hang: int = 0) -> str:
    """Text reflowed to ``width`` columns without changing a word: paragraphs with a line
    too long are re-filled (a list item keeps its hanging indent); paragraphs that fit, and
    preformatted ones (tables, drawings, aligned columns), stay as they are."""
    text = str(value).replace("\t", "    ")
    pad = " " * indent
    out = []
    for paragraph in re.split(r"\n[ \t]*\n", text.strip("\n")):
        lines = paragraph.split("\n")
        if all(len(pad + ln.rstrip()) <= width for ln in lines) or _preformatted(lines):
            out.append("\n".join((pad + ln).rstrip() for ln in lines))
            continue
        lead = re.match(r"\s*", lines[0]).group(0)  # type: ignore[union-attr]
        marker = re.match(r"\s*((?:\(?[0-9a-zA-Z]{1,3}[.)]|[-*•])\s+)", lines[0])
        hanging = " " * (len(marker.group(1)) if marker else hang)
        out.append(
            textwrap.fill(
                " ".join(paragraph.split()),
                width=width,
                initial_indent=pad + lead,
                subsequent_indent=pad + lead + hanging,
                break_long_words=False,
                break_on_hyphens=False,
            )
        )
    return "\n\n".join(out)


def _preformatted(lines: list[str]) -> bool:
    """Aligned columns, rules or drawings: reflowing would change what they show."""
    if any(re.search(r"[|+]-{2,}|-{3,}\+|[│┌└═]", ln) for ln in lines):
        return True
    spaced = sum(1 for ln in lines if re.search(r"\S {3,}\S", ln))
    return len(lines) > 1 and spaced * 2 >= len(lines)


def environment(template_dir: Path | None) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = []
    if template_dir is not None:
        loaders.append(jinja2.FileSystemLoader(str(template_dir)))
    loaders.append(jinja2.FileSystemLoader(str(resources.files("sbomgen.templates"))))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=ModelUndefined,
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
    env.filters["wrap"] = wrap
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
        review = context.pop("review")
        self.problems = review
        if self.options.strict and review:
            listed = "; ".join(f"{p['component']}: {p['message']}" for p in review[:5])
            more = f" (and {len(review) - 5} more)" if len(review) > 5 else ""
            raise NeedsReviewError(
                f"--strict: {len(review)} attribution problem(s) need review, nothing was written: {listed}{more}"
            )
        env = environment(self.options.template_dir)
        prefix = meta.bundle_dir.rstrip("/") + "/"
        files: dict[str, bytes] = {}
        for fmt in self.formats:
            files[prefix + FORMATS[fmt]] = render(env, f"notice.{fmt}.j2", context).encode("utf-8")
        if "LICENSES" in self.options.scope:
            for entry in context["licenses"]:
                files[prefix + entry["file"]] = (entry["text"].rstrip("\n") + "\n").encode("utf-8")
        # for the people preparing the release, not for customers
        review_context = {
            "meta": context["meta"],
            "review": review,
            "counts": count_problems(review),
        }
        files[prefix + "REVIEW.md"] = render(env, "review.md.j2", review_context).encode("utf-8")
        files[prefix + "REVIEW.json"] = (
            json.dumps(
                {
                    "name": meta.name,
                    "version": meta.version,
                    "generated": context["meta"]["generated"],
                    "counts": review_context["counts"],
                    "items": [
                        {k: item[k] for k in ("kind", "component", "message")} for item in review
                    ],
                },
                indent=2,
                ensure_ascii=False,
            )
            + "\n"
        ).encode("utf-8")
        return files


def count_problems(problems: Iterable[Mapping[str, str]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for p in problems:
        counts[p["kind"]] = counts.get(p["kind"], 0) + 1
    return counts
