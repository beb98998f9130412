"""Parse Mend responses into model records: the boundary where raw JSON stops.

Each ``parse_*`` function takes one response and the context of the request (which
request type, for which product/project), and returns frozen model records. A malformed
entry raises :class:`InputDataError` naming the request type and the field; an entry
that can be skipped safely (say, an alert without a library) is skipped with a warning.
"""

from __future__ import annotations

import functools
import html
import json
import logging
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sbomgen.errors import InputDataError
from sbomgen.model import (
    NO_REFERENCES,
    Copyright,
    Edge,
    KeyUuid,
    Library,
    LicenseReference,
    LicenseText,
    Location,
    MendLicense,
    Occurrence,
    ProductToken,
    ProjectToken,
    Provenance,
    References,
    Triage,
    Vulnerability,
    VulnerabilityFix,
)
from sbomgen.sources.archive import Limits, extract_zip

log = logging.getLogger(__name__)

# Limits for zip archives from the server: refuse anything larger.
MAX_ZIP_MEMBERS = 10_000
MAX_ZIP_TOTAL_BYTES = 256 * 1024 * 1024
MAX_ZIP_MEMBER_BYTES = 32 * 1024 * 1024


@dataclass(frozen=True)
class Ctx:
    """Where a response came from, for provenance and for error messages."""

    request_type: str
    product: ProductToken | None = None
    project: ProjectToken | None = None
    scope_name: str = ""
    origin: str = ""  # "snapshot file …" when replaying

    @functools.cached_property
    def provenance(self) -> Provenance:
        return Provenance(request_type=self.request_type, scope=self.scope_name)

    def fail(self, field: str, problem: str) -> InputDataError:
        where = f" ({self.scope_name})" if self.scope_name else ""
        origin = f"{self.origin}: " if self.origin else ""
        return InputDataError(f"{origin}{self.request_type}{where}: field {field!r} {problem}")


@functools.lru_cache(maxsize=4096)
def _occurrence(
    product: ProductToken | None, project: ProjectToken, direct: bool | None
) -> Occurrence:
    """One shared record per (product, project, direct): a large product's tens of
    thousands of sightings name a few hundred of them."""
    return Occurrence(product=product, project=project, direct=direct)


# --- small typed accessors -------------------------------------------------------------


def _list(ctx: Ctx, data: Mapping[str, Any], key: str, *, required: bool = True) -> list[Any]:
    if key not in data or data[key] is None:
        if required:
            raise ctx.fail(key, "is missing")
        return []
    value = data[key]
    if not isinstance(value, list):
        raise ctx.fail(key, f"should be a list, got {type(value).__name__}")
    return value


def _obj(ctx: Ctx, value: Any, field: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise ctx.fail(field, f"should be an object, got {type(value).__name__}")
    return value


# Characters no XML document can carry (C0 controls but tab, newline, return; DEL;
# lone surrogates; U+FFFE/U+FFFF). Mend data sometimes has them; they are dropped here,
# at the boundary, with a warning, so that every output format can carry every value.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def decode_entities(value: str) -> str:
    """Mend's texts are HTML-escaped in places (``TJ Holowaychuk &lt;tj@…&gt;``, ``AT&amp;T``):
    decoded here, once, so that every format escapes the real characters its own way. Only
    complete entities (``…;``) are decoded, so "&region=" in a text stays as it is; a text
    escaped twice keeps one level (``&amp;lt;`` → ``&lt;``), as its author wrote it. Applied
    to free texts only (copyrights, authors, names, descriptions, the text files), never to
    URLs, keys or versions."""
    if "&" not in value:
        return value
    decoded = _ENTITY.sub(lambda m: html.unescape(m.group(0)), value)
    if _NOT_XML.search(decoded):
        # an entity for a character no XML document can carry ("&#12;", a form feed):
        # dropped as the character itself would be, so that every format can carry it
        log.warning(
            "a text holds an HTML entity for a control character; it was removed: %r",
            value[:80],
        )
        decoded = _NOT_XML.sub("", decoded)
    return decoded


def _text(ctx: Ctx, data: Mapping[str, Any], key: str, field: str | None = None) -> str | None:
    """A free text: a string with Mend's HTML entities decoded."""
    value = _str(ctx, data, key, field)
    return decode_entities(value) if value is not None else None


def _str(ctx: Ctx, data: Mapping[str, Any], key: str, field: str | None = None) -> str | None:
    value = data.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise ctx.fail(field or key, f"should be a string, got {type(value).__name__}")
    if _NOT_XML.search(value):
        log.warning(
            "%s: field %r holds control characters; they were removed",
            ctx.request_type,
            field or key,
        )
        value = _NOT_XML.sub("", value)
    return value


def _str_at(ctx: Ctx, data: Mapping[str, Any], key: str, at: str) -> str | None:
    """:func:`_str` of field ``at.key``; the common case (printable ASCII) returns at once,
    without building the field's name, which only an error message needs."""
    value = data.get(key)
    if value is None:
        return None
    if type(value) is str and value.isascii() and value.isprintable():
        return value or None
    return _str(ctx, data, key, f"{at}.{key}")


def _text_at(ctx: Ctx, data: Mapping[str, Any], key: str, at: str) -> str | None:
    value = _str_at(ctx, data, key, at)
    return decode_entities(value) if value is not None else None


def _req_str_at(ctx: Ctx, data: Mapping[str, Any], key: str, at: str) -> str:
    value = _str_at(ctx, data, key, at)
    if value is None:
        return _req_str(ctx, data, key, f"{at}.{key}")
    return value


def _clean(ctx: Ctx, value: Any, field: str) -> str:
    """A scalar from a list (a tag value, a v1.2 license name) as text every format can
    carry, as :func:`_str` does for named fields."""
    return _str(ctx, {"value": value}, "value", field) or ""


def _req_str(ctx: Ctx, data: Mapping[str, Any], key: str, field: str) -> str:
    value = _str(ctx, data, key, field)
    if value is None:
        raise ctx.fail(field, "is missing or empty")
    return value


def _int(ctx: Ctx, data: Mapping[str, Any], key: str, field: str) -> int | None:
    value = data.get(key)
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        raise ctx.fail(field, f"should be an integer, got {value!r}") from None


def _float(ctx: Ctx, data: Mapping[str, Any], key: str, field: str) -> float | None:
    value = data.get(key)
    if value is None or value == "":
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ctx.fail(field, f"should be a number, got {value!r}") from None


def _bool(data: Mapping[str, Any], key: str) -> bool | None:
    value = data.get(key)
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return None


# --- vitals, tags ------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Vitals:
    token: str
    name: str
    creation_date: str | None = None
    last_updated: str | None = None
    plugin: str | None = None
    product_name: str | None = None


def parse_vitals(ctx: Ctx, data: Mapping[str, Any], key: str) -> list[Vitals]:
    """``projectVitals`` / ``productVitals``: a list (or, in getProjectInventory, one)."""
    raw = data.get(key)
    items = [raw] if isinstance(raw, dict) else _list(ctx, data, key)
    out = []
    for i, item in enumerate(items):
        field = f"{key}[{i}]"
        item = _obj(ctx, item, field)
        out.append(
            Vitals(
                token=_req_str_at(ctx, item, "token", field),
                name=_req_str_at(ctx, item, "name", field),
                creation_date=_str_at(ctx, item, "creationDate", field),
                last_updated=_str_at(ctx, item, "lastUpdatedDate", field),
                plugin=_str_at(ctx, item, "pluginName", field),
                product_name=_str_at(ctx, item, "productName", field),
            )
        )
    return out


def parse_named_list(
    ctx: Ctx, data: Mapping[str, Any], key: str, name_key: str, token_key: str
) -> list[tuple[str, str]]:
    """``getAllProducts``-style lists: (name, token) pairs."""
    out = []
    for i, item in enumerate(_list(ctx, data, key)):
        item = _obj(ctx, item, f"{key}[{i}]")
        out.append(
            (
                _req_str(ctx, item, name_key, f"{key}[{i}].{name_key}"),
                _req_str(ctx, item, token_key, f"{key}[{i}].{token_key}"),
            )
        )
    return out


@dataclass(frozen=True, kw_only=True)
class Tagged:
    token: str
    name: str
    tags: Mapping[str, tuple[str, ...]]


def parse_tags(ctx: Ctx, data: Mapping[str, Any], key: str) -> list[Tagged]:
    """``productTags`` / ``projectTags``. Tag values come as lists or single strings."""
    out = []
    for i, item in enumerate(_list(ctx, data, key)):
        field = f"{key}[{i}]"
        item = _obj(ctx, item, field)
        raw_tags = _obj(ctx, item.get("tags") or {}, f"{field}.tags")
        tags: dict[str, tuple[str, ...]] = {}
        for tag_key, value in sorted(raw_tags.items()):
            values = value if isinstance(value, list) else [value]
            where = f"{field}.tags.{tag_key}"
            tags[_clean(ctx, tag_key, where)] = tuple(
                _clean(ctx, v if not isinstance(v, (dict, list)) else json.dumps(v), where)
                for v in values
            )
        out.append(
            Tagged(
                token=_req_str_at(ctx, item, "token", field).strip(),
                name=(_str_at(ctx, item, "name", field) or "").strip(),
                tags=tags,
            )
        )
    return out


# --- libraries -------------------------------------------------------------------------


def _references(ctx: Ctx, item: Mapping[str, Any], field: str) -> References:
    raw = item.get("references")
    if not raw:
        return NO_REFERENCES
    at = f"{field}.references"
    refs = _obj(ctx, raw, at)
    return References(
        homepage=_str_at(ctx, refs, "url", at),
        issue_tracker=_str_at(ctx, refs, "issueUrl", at),
        scm=_str_at(ctx, refs, "scmUrl", at),
        pom=_str_at(ctx, refs, "pomUrl", at),
        download=_str_at(ctx, refs, "downloadLink", at),
    )


def _licenses(ctx: Ctx, item: Mapping[str, Any], field: str) -> tuple[MendLicense, ...]:
    out = []
    for j, lic in enumerate(_list(ctx, item, "licenses", required=False)):
        lf = f"{field}.licenses[{j}]"
        if isinstance(lic, str):  # the v1.2 reference shows plain names too
            name = _clean(ctx, lic, lf)
            if name:
                out.append(MendLicense(name=name))
            continue
        lic = _obj(ctx, lic, lf)
        refs = []
        for k, ref in enumerate(_list(ctx, lic, "references", required=False)):
            ref = _obj(ctx, ref, f"{lf}.references[{k}]")
            target = _str(ctx, ref, "reference", f"{lf}.references[{k}].reference")
            if target:
                refs.append(
                    LicenseReference(
                        reference_type=_str(ctx, ref, "referenceType", f"{lf}.references[{k}]")
                        or "",
                        reference=target,
                    )
                )
        out.append(
            MendLicense(
                name=_req_str_at(ctx, lic, "name", lf),
                spdx_name=_str_at(ctx, lic, "spdxName", lf),
                url=_str_at(ctx, lic, "url", lf),
                references=tuple(refs),
            )
        )
    return tuple(out)


def _copyrights(ctx: Ctx, item: Mapping[str, Any], field: str) -> tuple[Copyright, ...]:
    out = []
    for j, ref in enumerate(_list(ctx, item, "copyrightReferences", required=False)):
        cf = f"{field}.copyrightReferences[{j}]"
        ref = _obj(ctx, ref, cf)
        text = _text_at(ctx, ref, "copyright", cf)
        if not text:
            continue
        out.append(
            Copyright(
                text=text.strip(),
                author=_text_at(ctx, ref, "author", cf),
                start_year=_str_at(ctx, ref, "startYear", cf),
                end_year=_str_at(ctx, ref, "endYear", cf),
            )
        )
    return tuple(out)


def _library_core(ctx: Ctx, item: Mapping[str, Any], field: str) -> dict[str, Any]:
    return {
        "key_uuid": KeyUuid(_req_str_at(ctx, item, "keyUuid", field)),
        "key_id": _int(ctx, item, "keyId", f"{field}.keyId"),
        "name": _text_at(ctx, item, "name", field),
        "group_id": _str_at(ctx, item, "groupId", field),
        "artifact_id": _str_at(ctx, item, "artifactId", field),
        "version": _str_at(ctx, item, "version", field),
        "sha1": _str_at(ctx, item, "sha1", field),
        "filename": _str_at(ctx, item, "filename", field),
        "description": _text_at(ctx, item, "description", field),
        "references": _references(ctx, item, field),
        "provenance": (ctx.provenance,),
    }


# A library as one node of a project's tree states it, without where (occurrences) and by
# which answer (provenance): a product's trees repeat the same node in project after
# project, and each repeat is the same record.
TreeNode = tuple[Library, Occurrence]
TreeMemo = dict[Any, Library]


def parse_tree(
    ctx: Ctx, data: Mapping[str, Any], memo: TreeMemo | None = None
) -> tuple[list[TreeNode], list[Edge]]:
    """``getProjectHierarchy``: every node of the tree, in document order, as (the
    library's facts, its occurrence in the project), and the edges.

    With ``memo`` (shared by the trees of one fetch), a node whose fields and their types
    are those of a node parsed before is that node's record, without parsing it again:
    every check ran on the first one, and the same input gives the same record."""
    if ctx.project is None:
        raise ValueError("parse_tree needs a project context")
    nodes: list[TreeNode] = []
    edges: list[Edge] = []

    # depth-first, in document order, without recursion: however deep the tree
    stack: list[tuple[list[Any], int, KeyUuid | None, str]] = [
        (_list(ctx, data, "libraries"), 0, None, "libraries")
    ]
    while stack:
        items, i, parent, path = stack.pop()
        if i >= len(items):
            continue
        stack.append((items, i + 1, parent, path))
        item = items[i]
        lib: Library | None = None
        content: Any = None
        if memo is not None and type(item) is dict:
            fields = item.copy()
            fields.pop("dependencies", None)
            values = tuple(fields.values())
            try:  # 1 == 1.0 == True: the types are part of the key
                content = (tuple(fields), values, tuple(map(type, values)))
                lib = memo.get(content)
            except TypeError:  # a list or object among the fields: parsed each time
                content = None
        if lib is None:
            field = f"{path}[{i}]"
            item = _obj(ctx, item, field)
            core = _library_core(ctx, item, field)
            core["provenance"] = ()
            lib = Library(
                **core,
                type=_str_at(ctx, item, "type", field),
                coordinates=_str_at(ctx, item, "coordinates", field),
                licenses=_licenses(ctx, item, field),
            )
            if content is not None:
                memo[content] = lib  # type: ignore[index]
        key = lib.key_uuid
        nodes.append((lib, _occurrence(ctx.product, ctx.project, parent is None)))
        edges.append(Edge(parent=parent, child=key))
        children = _list(ctx, item, "dependencies", required=False)
        if children:
            stack.append((children, 0, key, f"{path}[{i}].dependencies"))
    return nodes, edges


def parse_hierarchy(ctx: Ctx, data: Mapping[str, Any]) -> tuple[list[Library], list[Edge]]:
    """``getProjectHierarchy``: every level of the tree becomes libraries and edges."""
    nodes, edges = parse_tree(ctx, data)
    provenance = (ctx.provenance,)
    return [lib.sighted((occ,), provenance) for lib, occ in nodes], edges


def parse_inventory(ctx: Ctx, data: Mapping[str, Any]) -> tuple[Vitals | None, list[Library]]:
    """``getProjectInventory``: the project's vitals and every library with its match."""
    if ctx.project is None:
        raise ValueError("parse_inventory needs a project context")
    vitals = parse_vitals(ctx, data, "projectVitals")[0] if data.get("projectVitals") else None
    out = []
    for i, raw in enumerate(_list(ctx, data, "libraries")):
        field = f"libraries[{i}]"
        item = _obj(ctx, raw, field)
        out.append(
            Library(
                **_library_core(ctx, item, field),
                type=_str_at(ctx, item, "type", field),
                coordinates=_str_at(ctx, item, "coordinates", field),
                licenses=_licenses(ctx, item, field),
                occurrences=(
                    Occurrence(
                        product=ctx.product,
                        project=ctx.project,
                        match_type=_str_at(ctx, item, "matchType", field),
                        outdated=_bool(item, "outdated"),
                    ),
                ),
            )
        )
    return vitals, out


def parse_licenses(
    ctx: Ctx, data: Mapping[str, Any], product_of: Mapping[str, ProductToken | None]
) -> list[Library]:
    """``get{Organization,Product,Project}Licenses``: licenses, copyrights, occurrences.

    ``product_of`` maps the project tokens in scope to their product; occurrences in
    projects outside the scope are dropped. ``directDependency`` is per library, not per
    project, so it is only trusted in a project-level response.
    """
    out = []
    for i, raw in enumerate(_list(ctx, data, "libraries")):
        field = f"libraries[{i}]"
        item = _obj(ctx, raw, field)
        occurrences = []
        direct = _bool(item, "directDependency") if ctx.project is not None else None
        for j, proj in enumerate(_list(ctx, item, "projects", required=False)):
            proj = _obj(ctx, proj, f"{field}.projects[{j}]")
            token = _req_str(ctx, proj, "projectToken", f"{field}.projects[{j}].projectToken")
            if token in product_of:
                occurrences.append(_occurrence(product_of[token], ProjectToken(token), direct))
        if not occurrences and ctx.project is not None:
            occurrences.append(_occurrence(ctx.product, ctx.project, direct))
        out.append(
            Library(
                **_library_core(ctx, item, field),
                language_type=_str_at(ctx, item, "type", field)
                or _str_at(ctx, item, "languages", field),
                licenses=_licenses(ctx, item, field),
                copyrights=_copyrights(ctx, item, field),
                occurrences=tuple(occurrences),
            )
        )
    return out


def _fix(ctx: Ctx, raw: Any, field: str) -> VulnerabilityFix:
    fix = _obj(ctx, raw, field)
    return VulnerabilityFix(
        type=_str_at(ctx, fix, "type", field),
        origin=_str_at(ctx, fix, "origin", field)
        or _str_at(ctx, fix, "vulnerabilityFixOrigin", field),
        url=_str_at(ctx, fix, "url", field),
        fix_resolution=_str_at(ctx, fix, "fixResolution", field),
        date=_str_at(ctx, fix, "date", field),
        message=_str_at(ctx, fix, "message", field),
    )


def parse_vulnerability(ctx: Ctx, raw: Any, field: str) -> Vulnerability:
    v = _obj(ctx, raw, field)
    top_key = "topFix" if v.get("topFix") else "vulnerabilityFix"
    top_raw = v.get(top_key)
    top = _fix(ctx, top_raw, f"{field}.{top_key}") if top_raw else None
    fixes = tuple(
        _fix(ctx, f, f"{field}.allFixes[{k}]")
        for k, f in enumerate(_list(ctx, v, "allFixes", required=False))
    )
    resolution = _str_at(ctx, v, "fixResolutionText", field)
    if resolution is None and top is not None:
        resolution = top.fix_resolution
    return Vulnerability(
        id=_req_str_at(ctx, v, "name", field),
        source=_str_at(ctx, v, "type", field),
        severity=_str_at(ctx, v, "severity", field),
        score=_float(ctx, v, "score", f"{field}.score"),
        cvss3_severity=_str_at(ctx, v, "cvss3_severity", field),
        cvss3_score=_float(ctx, v, "cvss3_score", f"{field}.cvss3_score"),
        cvss3_vector=_str_at(ctx, v, "scoreMetadataVector", field),
        description=_text_at(ctx, v, "description", field),
        published=_str_at(ctx, v, "publishDate", field),
        url=_str_at(ctx, v, "url", field),
        fix_resolution=resolution,
        top_fix=top,
        all_fixes=fixes,
    )


def _security_alerts(
    ctx: Ctx, data: Mapping[str, Any]
) -> Iterator[tuple[str, Mapping[str, Any], Mapping[str, Any], Any]]:
    """(field, alert, its library, its vulnerability) of each security alert; the
    reference names the list ``apiAlertInfo``, Mend's SDK and the ignored alerts ``alerts``."""
    key = "alerts" if "alerts" in data else "apiAlertInfo"
    for i, raw in enumerate(_list(ctx, data, key)):
        field = f"{key}[{i}]"
        alert = _obj(ctx, raw, field)
        if alert.get("type") not in (None, "SECURITY_VULNERABILITY"):
            continue
        lib_raw, vuln_raw = alert.get("library"), alert.get("vulnerability")
        if not lib_raw or not vuln_raw:
            log.warning("%s: %s has no library or vulnerability; skipped", ctx.request_type, field)
            continue
        yield field, alert, _obj(ctx, lib_raw, f"{field}.library"), vuln_raw


def parse_alerts(ctx: Ctx, data: Mapping[str, Any]) -> list[Library]:
    """Security alerts: the reference names the list ``apiAlertInfo``, Mend's SDK ``alerts``."""
    out = []
    for field, _alert, lib, vuln_raw in _security_alerts(ctx, data):
        out.append(
            Library(
                **_library_core(ctx, lib, f"{field}.library"),
                vulnerabilities=(parse_vulnerability(ctx, vuln_raw, f"{field}.vulnerability"),),
            )
        )
    return out


def parse_ignored_alerts(
    ctx: Ctx, data: Mapping[str, Any], project_named: Mapping[str, ProjectToken] | None = None
) -> list[Library]:
    """Ignored alerts ("Ignored Alerts", http-api-v1.2): what people decided, with their
    comment kept as written (control characters aside: no format could carry them).

    The reference puts the comment in ``library.comments``; Mend's SDKs read ``comments``
    beside ``library``: both are read. The reference's answer names no project: for a
    project's request the project is the context's; for a product's, the alert's
    ``project`` (a name, as in the active alerts) where the answer gives one and
    ``project_named`` knows it, else None (the fetcher then asks per project)."""
    out = []
    for field, alert, lib, vuln_raw in _security_alerts(ctx, data):
        vuln = parse_vulnerability(ctx, vuln_raw, f"{field}.vulnerability")
        comment = _str_at(ctx, lib, "comments", f"{field}.library") or _str_at(
            ctx, alert, "comments", field
        )
        project = ctx.project
        if project is None and project_named is not None:
            named = _str_at(ctx, alert, "project", field)
            project = project_named.get(named) if named else None
        out.append(
            Library(
                **_library_core(ctx, lib, f"{field}.library"),
                vulnerabilities=(vuln,),
                triage=(
                    Triage(
                        vulnerability=vuln.id,
                        project=project,
                        comment=comment or "",
                        source=f"mend:{ctx.request_type}",
                    ),
                ),
            )
        )
    return out


def parse_in_house(ctx: Ctx, data: Mapping[str, Any]) -> list[Library]:
    out = []
    for i, raw in enumerate(_list(ctx, data, "libraries")):
        item = _obj(ctx, raw, f"libraries[{i}]")
        core = _library_core(ctx, item, f"libraries[{i}]")
        out.append(Library(**core, in_house=True))
    return out


def parse_locations(ctx: Ctx, data: Mapping[str, Any]) -> list[Library]:
    out = []
    for i, raw in enumerate(_list(ctx, data, "libraryLocations")):
        field = f"libraryLocations[{i}]"
        item = _obj(ctx, raw, field)
        locs = []
        for j, loc in enumerate(_list(ctx, item, "locations", required=False)):
            at = f"{field}.locations[{j}]"
            loc = _obj(ctx, loc, at)
            path = _str_at(ctx, loc, "path", at)
            if path:
                locs.append(
                    Location(
                        path=path,
                        match_type=_str_at(ctx, loc, "matchType", at),
                        dependency_file=_str_at(ctx, loc, "dependencyFile", at),
                    )
                )
        out.append(
            Library(
                key_uuid=KeyUuid(_req_str_at(ctx, item, "keyUuid", field)),
                locations=tuple(locs),
                provenance=(ctx.provenance,),
            )
        )
    return out


# --- text files and zips ---------------------------------------------------------------

_BLOCK_HEADER = re.compile(r"^Library:\s*(?P<name>.+?)\s*$", re.MULTILINE)
_RULE_LINE = re.compile(r"\s*[=\-]{5,}\s*")  # a line of five or more "=" or "-": a rule
_RULE_ANYWHERE = re.compile(r"[=\-]{5}")


def parse_library_blocks(ctx: Ctx, body: bytes) -> dict[str, str]:
    """The copyrights and notices text files: blocks headed ``Library: <filename>``.

    Returns filename -> block text. Text before the first header is ignored. The reference
    sends these as ``text/plain`` under a ``….zip`` file name; a body that is in fact a zip
    archive is read as one (its text files, in name order).
    """
    if body.startswith(b"PK\x03\x04"):
        found: dict[str, str] = {}
        for name, data in sorted(_zip_members(ctx, body)):
            blocks = parse_library_blocks(ctx, data)
            if not blocks and data.strip():
                # one file per library, named after it: "<library file name>.txt"
                stem = re.sub(r"\.txt$", "", name.rsplit("/", 1)[-1], flags=re.IGNORECASE)
                blocks = parse_library_blocks(ctx, b"Library: " + stem.encode() + b"\n" + data)
            found.update(blocks)
        return found
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ctx.fail("body", f"is not UTF-8 text ({exc})") from None
    text = decode_entities(text.replace("\r\n", "\n"))
    if _NOT_XML.search(text):
        log.warning("%s: the text holds control characters; they were removed", ctx.request_type)
        text = _NOT_XML.sub("", text)
    matches = list(_BLOCK_HEADER.finditer(text))
    out: dict[str, str] = {}
    for n, m in enumerate(matches):
        end = matches[n + 1].start() if n + 1 < len(matches) else len(text)
        block = text[m.end() : end]
        if _RULE_ANYWHERE.search(block):  # most blocks have no rule: their lines stay
            block = "\n".join(ln for ln in block.split("\n") if not _RULE_LINE.fullmatch(ln))
        content = block.strip()
        if content:
            out[m.group("name")] = content
    return out


TEXT_ZIP_LIMITS = Limits(
    max_members=MAX_ZIP_MEMBERS,
    max_member_bytes=MAX_ZIP_MEMBER_BYTES,
    max_total_bytes=MAX_ZIP_TOTAL_BYTES,
)


def _zip_members(ctx: Ctx, body: bytes) -> Iterator[tuple[str, bytes]]:
    """The members of a text zip, through the same checks as every archive sbomgen opens."""
    what = f"{ctx.request_type} ({ctx.scope_name or 'response'})"
    yield from extract_zip(body, what=what, limits=TEXT_ZIP_LIMITS).items()


def parse_license_zip(ctx: Ctx, body: bytes) -> list[LicenseText]:
    """``getLicensesTextZip``: one text file per license, named after the license."""
    out = []
    for name, data in _zip_members(ctx, body):
        # the whole member path: a license named "zlib/libpng" is stored as zlib/libpng.txt
        stem = re.sub(r"\.(txt|text|md|html?)$", "", name, flags=re.IGNORECASE)
        text = data.decode("utf-8", errors="replace").replace("\r\n", "\n").strip("\n")
        if stem and text.strip():
            out.append(LicenseText(name=stem, text=text + "\n", source=f"mend:{ctx.request_type}"))
    return out


def safe_extract_zip(ctx: Ctx, body: bytes) -> dict[str, bytes]:
    """All members of a zip, refusing path traversal and oversized content."""
    return dict(_zip_members(ctx, body))
