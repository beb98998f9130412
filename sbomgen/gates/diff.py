"""Two SBOMs (or snapshots) of two releases: what changed between them.

Each input is read into :class:`~sbomgen.sources.documents.DocView` (any CycloneDX or SPDX
document sbomgen reads, or a snapshot directory, enriched as ``generate`` would), so a
CycloneDX document compares with an SPDX one.

Components are matched by Package URL without its version, qualifiers left out (they only
break ties; NuGet names compare without regard to case, PyPI names as PEP 503 normalizes
them); a component without a purl by its group and name (case-insensitive), and one
left over with a purl on one side only by its name alone when that name is unique on both
sides. The report says how each change was matched. A package present in several versions
on one side pairs equal versions first, then the rest from the highest down; the surplus is
added or removed.

Versions are ordered by the scheme of the purl's ecosystem (:func:`compare_versions`, with
the ``univers`` package); where univers has no scheme for the purl type, or cannot read a
version, the natural ordering documented there applies, and the report names the ordering
used. A version given only in the purl counts. Digests and commit ids have no order, nor
has a version stated on one side only: such a change is "version changed".

Licenses are compared as SPDX expressions (``MIT AND Apache-2.0`` equals
``Apache-2.0 AND MIT``), the concluded license where stated, else the declared one.
Vulnerabilities are compared by id and matched component; VEX state changes by the set of
states stated for them (several where a library's projects decided differently), and by
justification: exactly between two CycloneDX (or SPDX 2) documents, in the terms every VEX
format shares where one side is SPDX 3 (coarser than CycloneDX). Scores are not compared: not every format carries them.

Printed as text, Markdown (release notes, pull-request comments) or JSON (schema
``sbomgen-diff/1``, docs/cli-json.md).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cmp_to_key, lru_cache
from pathlib import Path
from typing import Any

from sbomgen.errors import SbomgenError
from sbomgen.sources.documents import (
    SEVERITIES,
    DocComponent,
    DocView,
    justification_class,
)

DIFF_SCHEMA = "sbomgen-diff/1"


class DiffInputError(SbomgenError):
    """An input of ``sbomgen diff`` that cannot be read (exit 2, as ``diff`` does)."""

    exit_code = 2


# -- reading the inputs --------------------------------------------------------------------


@dataclass
class Side:
    """One input: where it came from and its view."""

    path: Path
    kind: str  # document | snapshot
    view: DocView

    def to_json(self) -> dict[str, Any]:
        return {
            "input": str(self.path),
            "kind": self.kind,
            "standard": self.view.standard,
            "version": self.view.version,
            "format": self.view.fmt,
            "components": len(_components(self.view)),
            "vulnerabilities": len({(f.id, f.ref) for f in self.view.vulnerability_facts}),
        }

    def describe(self) -> str:
        if self.kind == "snapshot":
            what = "snapshot"
        else:
            what = f"{self.view.standard} {self.view.version} {self.view.fmt.upper()}"
        n = len(_components(self.view))
        return f"{self.path} ({what}, {n} component{'s' if n != 1 else ''})"


def load(path: Path) -> Side:
    """An input of the diff: an SBOM file, or a snapshot directory (one with a
    manifest.json, as ``sbomgen fetch`` records it), enriched with the default rules."""
    try:
        if path.is_dir():
            if not (path / "manifest.json").is_file():
                raise DiffInputError(
                    f"{path}: a directory without a manifest.json, so no snapshot; give an "
                    "SBOM file or a snapshot directory recorded by 'sbomgen fetch'"
                )
            from sbomgen.pipeline import SnapshotSource, enrich
            from sbomgen.sources.documents import read_inventory
            from sbomgen.sources.fetcher import NullObserver

            inventory = enrich(SnapshotSource(path).load(NullObserver()))
            return Side(path, "snapshot", read_inventory(inventory))
        from sbomgen.sources.documents import read_document

        try:
            data = path.read_bytes()
        except OSError as exc:
            raise DiffInputError(f"{path}: cannot be read ({exc.strerror})") from None
        view = read_document(str(path), data)
        if view is None:
            raise DiffInputError(
                f"{path}: an SPDX spreadsheet (XLSX); diff reads CycloneDX and SPDX as JSON, "
                "XML, YAML, tag-value or RDF"
            )
        return Side(path, "document", view)
    except DiffInputError:
        raise
    except SbomgenError as exc:
        message = exc.diagnostics()
        raise DiffInputError(message if str(path) in message else f"{path}: {message}") from exc
    except Exception as exc:
        raise DiffInputError(
            f"{path}: cannot be read as an SBOM ({type(exc).__name__}: {exc}); "
            "rerun with -v for the traceback"
        ) from exc


# -- version ordering ----------------------------------------------------------------------

# purl types whose versions follow another type's scheme
_SCHEME_ALIASES = {"bower": "npm"}
# univers schemes that order nothing of a purl type's own
_NO_SCHEME = frozenset({"all", "none", "generic", "lexicographic", "datetime", "intdot"})
NATURAL = "natural"


@lru_cache(maxsize=64)
def _version_class(scheme: str) -> Any:
    from univers.version_range import RANGE_CLASS_BY_SCHEMES

    range_class = RANGE_CLASS_BY_SCHEMES.get(scheme)
    return getattr(range_class, "version_class", None)


def version_scheme(ecosystem: str | None) -> str:
    """The univers scheme that orders the versions of a purl type, or ``natural``."""
    if not ecosystem:
        return NATURAL
    scheme = _SCHEME_ALIASES.get(ecosystem.lower(), ecosystem.lower())
    if scheme in _NO_SCHEME or _version_class(scheme) is None:
        return NATURAL
    return scheme


_TOKEN = re.compile(r"\d+|[A-Za-z]+")


def natural_compare(a: str, b: str) -> int:
    """The fallback ordering: a version is split into runs of digits and of letters (other
    characters separate them); runs compare left to right, digits as numbers, letters
    case-insensitively, a number above letters. Where one version runs out, the longer one
    is higher if its next run is a number (1.0 < 1.0.1) and lower if it is letters (a
    pre-release: 1.0rc1 < 1.0). A leading ``v`` is ignored."""
    ta = _TOKEN.findall(a.removeprefix("v").removeprefix("V"))
    tb = _TOKEN.findall(b.removeprefix("v").removeprefix("V"))
    for x, y in zip(ta, tb, strict=False):
        if x == y:
            continue
        if x.isdigit() and y.isdigit():
            if int(x) != int(y):
                return -1 if int(x) < int(y) else 1
            continue
        if x.isdigit() != y.isdigit():
            return 1 if x.isdigit() else -1
        if x.lower() != y.lower():
            return -1 if x.lower() < y.lower() else 1
    if len(ta) == len(tb):
        return 0
    longer, sign = (ta, 1) if len(ta) > len(tb) else (tb, -1)
    nxt = longer[min(len(ta), len(tb))]
    return sign if nxt.isdigit() else -sign


UNORDERED = "none"  # the ordering of versions that have none (digests, one side only)
_DIGEST = re.compile(r"(?:sha\d*|sha3-\d+|md5|blake\w*):[0-9a-f]+|[0-9a-f]{40}|[0-9a-f]{64}", re.I)
_COMMIT = re.compile(r"[0-9a-f]{7,}", re.I)


def _unordered(version: str) -> bool:
    """Whether ``version`` is a content digest (``sha256:…``, 40 or 64 hex digits) or a
    commit id (7 or more hex digits, not all of them decimal): names, not versions, with
    no order among them."""
    v = version.strip()
    if _DIGEST.fullmatch(v):
        return True
    return bool(_COMMIT.fullmatch(v)) and not v.isdigit()


def compare_versions(ecosystem: str | None, a: str, b: str) -> tuple[int, str]:
    """(-1, 0 or 1, the ordering used): ``a`` against ``b`` in the version scheme of the
    purl type ``ecosystem`` (univers); the natural ordering (:func:`natural_compare`)
    where univers has no scheme for it or cannot read one of the versions."""
    if _unordered(a) and _unordered(b):
        return 0, UNORDERED
    scheme = version_scheme(ecosystem)
    if scheme != NATURAL:
        cls = _version_class(scheme)
        try:
            va, vb = cls(a), cls(b)
            result = -1 if va < vb else (1 if va > vb else 0)
            return result, scheme
        except Exception:  # univers raises InvalidVersion, and others on odd input
            return natural_compare(a, b), f"{NATURAL} ({scheme} cannot read the version)"
    return natural_compare(a, b), NATURAL


# -- matching ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Entry:
    comp: DocComponent
    key: str  # the purl without version and qualifiers, or name:group/name
    by: str  # purl | name
    ecosystem: str | None
    qualifiers: str
    loose: str  # the name alone, lowercase
    version: str | None  # the component's version, else its purl's


def _purl_key_name(ptype: str, name: str) -> str:
    """The name as its ecosystem compares names: NuGet's without regard to case, PyPI's
    normalized as PEP 503 says; others as written."""
    if ptype == "nuget":
        return name.lower()
    if ptype == "pypi":
        return re.sub(r"[-_.]+", "-", name).lower()
    return name


def _entry(comp: DocComponent) -> _Entry:
    from sbomgen.enrich.purl_spec import PurlError, parse

    if comp.purl:
        try:
            purl = parse(comp.purl, strict=False)
        except PurlError:
            purl = None
        if purl is not None:
            ptype = purl.type.lower()
            namespace = purl.namespace
            if namespace is not None and ptype == "nuget":
                namespace = namespace.lower()
            bare = replace(
                purl,
                namespace=namespace,
                name=_purl_key_name(ptype, purl.name),
                version=None,
                qualifiers=(),
            )
            quals = "&".join(f"{k}={v}" for k, v in purl.qualifiers)
            version = comp.version or purl.version or None
            return _Entry(comp, str(bare), "purl", purl.type, quals, _loose(purl.name), version)
    group = _loose(comp.group or "")
    name = _loose(comp.name)
    return _Entry(comp, f"name:{group}/{name}", "name", None, "", name, comp.version)


def _loose(name: str) -> str:
    """A name compared loosely: lowercase, runs of ``-``, ``_`` and ``.`` as one ``-`` (as
    Python package names are normalized)."""
    return re.sub(r"[-_.]+", "-", name.strip().lower())


def _components(view: DocView) -> dict[str, DocComponent]:
    """The components, and what the document describes where it is a package (it has a
    Package URL: ``sbom4python -m …`` describes the module), not the product."""
    components = dict(view.components)
    root = view.root_component
    if root is not None and root.purl and root.ref not in components:
        components[root.ref] = root
    return components


def _entries(view: DocView) -> tuple[list[_Entry], dict[str, _Entry]]:
    """Each distinct component (the same package and version twice counts once), and the
    entry each component ref stands for. What the document describes counts when it has a
    Package URL (a package, not the product the document is of)."""
    seen: dict[tuple[str, str, str], _Entry] = {}
    by_ref: dict[str, _Entry] = {}
    components = _components(view)
    for ref in sorted(components):
        entry = _entry(components[ref])
        ident = (entry.key, entry.version or "", entry.qualifiers)
        by_ref[ref] = seen.setdefault(ident, entry)
    return list(seen.values()), by_ref


@dataclass
class _Pair:
    old: _Entry | None
    new: _Entry | None
    by: str  # purl | name | name only


def _pair_group(old: list[_Entry], new: list[_Entry], by: str) -> list[_Pair]:
    """Equal versions first (same qualifiers before others), then the rest in version
    order from the highest down; the surplus alone."""
    pairs: list[_Pair] = []
    old, new = list(old), list(new)
    for same_qualifiers in (True, False):
        for o in list(old):
            match = next(
                (
                    n
                    for n in new
                    if (n.version or "") == (o.version or "")
                    and (not same_qualifiers or n.qualifiers == o.qualifiers)
                ),
                None,
            )
            if match is not None:
                pairs.append(_Pair(o, match, by))
                old.remove(o)
                new.remove(match)

    def order(a: _Entry, b: _Entry) -> int:
        eco = a.ecosystem or b.ecosystem
        return compare_versions(eco, a.version or "", b.version or "")[0]

    old.sort(key=cmp_to_key(order), reverse=True)
    new.sort(key=cmp_to_key(order), reverse=True)
    for o, n in zip(old, new, strict=False):
        pairs.append(_Pair(o, n, by))
    pairs += [_Pair(o, None, by) for o in old[len(new) :]]
    pairs += [_Pair(None, n, by) for n in new[len(old) :]]
    return pairs


def _match(old: list[_Entry], new: list[_Entry]) -> list[_Pair]:
    def grouped(entries: list[_Entry]) -> dict[str, list[_Entry]]:
        out: dict[str, list[_Entry]] = {}
        for e in entries:
            out.setdefault(e.key, []).append(e)
        return out

    go, gn = grouped(old), grouped(new)
    pairs: list[_Pair] = []
    for key in sorted(go.keys() & gn.keys()):
        pairs += _pair_group(go[key], gn[key], go[key][0].by)
    rest_old = {k: v for k, v in go.items() if k not in gn}
    rest_new = {k: v for k, v in gn.items() if k not in go}
    # left over: by the name alone, where it is unique on both sides and one side has no
    # purl (two different purls are two different packages)
    loose_old: dict[str, list[str]] = {}
    loose_new: dict[str, list[str]] = {}
    for k, v in rest_old.items():
        loose_old.setdefault(v[0].loose, []).append(k)
    for k, v in rest_new.items():
        loose_new.setdefault(v[0].loose, []).append(k)
    for name in sorted(loose_old.keys() & loose_new.keys()):
        if len(loose_old[name]) != 1 or len(loose_new[name]) != 1:
            continue
        ko, kn = loose_old[name][0], loose_new[name][0]
        if rest_old[ko][0].by == "purl" and rest_new[kn][0].by == "purl":
            continue
        pairs += _pair_group(rest_old.pop(ko), rest_new.pop(kn), "name only")
    for entries in rest_old.values():
        pairs += [_Pair(e, None, e.by) for e in entries]
    for entries in rest_new.values():
        pairs += [_Pair(None, e, e.by) for e in entries]
    return pairs


# -- licenses ------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _license_key(expression: str | None) -> str | None:
    """An expression in a form where equal licenses are equal: parsed and simplified as
    SPDX (order and letter case do not matter), else the text with its spaces collapsed."""
    if expression is None:
        return None
    text = " ".join(expression.split())
    try:
        from sbomgen.enrich.licenses import spdx_licensing

        parsed = spdx_licensing().parse(text, validate=False, strict=False)
        if parsed is None:
            return None
        return str(parsed.simplify())
    except Exception:  # not an SPDX expression (a license name): compared as written
        return text


# -- the diff ------------------------------------------------------------------------------


def _component(entry: _Entry) -> dict[str, Any]:
    c = entry.comp
    return {
        "identity": entry.key,
        "matched_by": entry.by,
        "name": c.name,
        "group": c.group,
        "version": entry.version,
        "purl": c.purl,
        "license": c.license_expression,
    }


def _change(pair: _Pair, ordering: str | None = None) -> dict[str, Any]:
    assert pair.old is not None and pair.new is not None
    o, n = pair.old.comp, pair.new.comp
    out: dict[str, Any] = {
        "identity": pair.new.key if pair.new.by == "purl" else pair.old.key,
        "matched_by": pair.by,
        "name": n.name or o.name,
        "group": n.group or o.group,
        "old_version": pair.old.version,
        "new_version": pair.new.version,
        "old_purl": o.purl,
        "new_purl": n.purl,
    }
    if ordering is not None:
        out["ordering"] = ordering
    return out


@dataclass
class _Vuln:
    id: str
    node: str
    label: dict[str, Any]
    states: set[str | None] = field(default_factory=set)
    justifications: set[str] = field(default_factory=set)
    score: float | None = None
    severity: str | None = None


def _severity_rank(severity: str | None) -> int:
    return SEVERITIES.index(severity) if severity in SEVERITIES else -1


def _vulns(
    view: DocView, node_of: Callable[[str], tuple[str, dict[str, Any]]]
) -> dict[tuple[str, str], _Vuln]:
    out: dict[tuple[str, str], _Vuln] = {}
    for fact in view.vulnerability_facts:
        node, label = node_of(fact.ref)
        v = out.setdefault((fact.id, node), _Vuln(fact.id, node, label))
        v.states.add(fact.state)
        if fact.justification:
            v.justifications.add(fact.justification)
        if fact.score is not None and (v.score is None or fact.score > v.score):
            v.score = fact.score
        if _severity_rank(fact.severity) > _severity_rank(v.severity):
            v.severity = fact.severity
    return out


def _states(states: Iterable[str | None]) -> list[str | None]:
    return sorted(states, key=lambda s: (s is not None, s or ""))


@dataclass
class Diff:
    old: Side
    new: Side
    added: list[dict[str, Any]] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)
    upgraded: list[dict[str, Any]] = field(default_factory=list)
    downgraded: list[dict[str, Any]] = field(default_factory=list)
    version_changed: list[dict[str, Any]] = field(default_factory=list)
    licenses: list[dict[str, Any]] = field(default_factory=list)
    new_vulnerabilities: list[dict[str, Any]] = field(default_factory=list)
    fixed_vulnerabilities: list[dict[str, Any]] = field(default_factory=list)
    vex_changes: list[dict[str, Any]] = field(default_factory=list)
    matched_by_name: int = 0

    @property
    def differs(self) -> bool:
        return any(self.summary().values())

    def summary(self) -> dict[str, int]:
        return {
            "added": len(self.added),
            "removed": len(self.removed),
            "upgraded": len(self.upgraded),
            "downgraded": len(self.downgraded),
            "version_changed": len(self.version_changed),
            "license_changed": len(self.licenses),
            "new_vulnerabilities": len(self.new_vulnerabilities),
            "fixed_vulnerabilities": len(self.fixed_vulnerabilities),
            "vex_changed": len(self.vex_changes),
        }

    def notes(self) -> list[str]:
        out = []
        if self.matched_by_name:
            out.append(
                f"{self.matched_by_name} component{'s' if self.matched_by_name != 1 else ''} "
                "without a Package URL on one side or both matched by name (and group)"
            )
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": DIFF_SCHEMA,
            "old": self.old.to_json(),
            "new": self.new.to_json(),
            "differences": self.differs,
            "summary": self.summary(),
            "components": {
                "added": self.added,
                "removed": self.removed,
                "upgraded": self.upgraded,
                "downgraded": self.downgraded,
                "version_changed": self.version_changed,
            },
            "licenses": self.licenses,
            "vulnerabilities": {
                "new": self.new_vulnerabilities,
                "fixed": self.fixed_vulnerabilities,
                "vex_changed": self.vex_changes,
            },
            "notes": self.notes(),
        }

    def render(self, fmt: str) -> str:
        if fmt == "json":
            return json.dumps(self.to_json(), indent=2, ensure_ascii=False) + "\n"
        if fmt == "markdown":
            return _markdown(self)
        return _text(self)


def diff(old: Side, new: Side) -> Diff:
    """What changed from ``old`` to ``new``."""
    result = Diff(old, new)
    old_entries, old_by_ref = _entries(old.view)
    new_entries, new_by_ref = _entries(new.view)
    pairs = _match(old_entries, new_entries)
    node: dict[int, int] = {}  # id(entry) -> pair index
    change_of: dict[int, str] = {}  # pair index -> what happened to the component
    for i, pair in enumerate(pairs):
        for entry in (pair.old, pair.new):
            if entry is not None:
                node[id(entry)] = i
        if pair.by != "purl" and pair.old is not None and pair.new is not None:
            result.matched_by_name += 1
        if pair.old is None:
            assert pair.new is not None
            result.added.append(_component(pair.new))
            change_of[i] = "added"
            continue
        if pair.new is None:
            result.removed.append(_component(pair.old))
            change_of[i] = "removed"
            continue
        ov, nv = pair.old.version or "", pair.new.version or ""
        if ov != nv:
            eco = pair.new.ecosystem or pair.old.ecosystem
            if not ov or not nv:  # stated on one side only: no order to speak of
                cmp, ordering = 0, UNORDERED
            else:
                cmp, ordering = compare_versions(eco, ov, nv)
            change = _change(pair, ordering)
            if cmp < 0:
                result.upgraded.append(change)
                change_of[i] = "upgraded"
            elif cmp > 0:
                result.downgraded.append(change)
                change_of[i] = "downgraded"
            else:
                result.version_changed.append(change)
                change_of[i] = "version_changed"
        lo, ln = pair.old.comp.license_expression, pair.new.comp.license_expression
        if _license_key(lo) != _license_key(ln):
            record = _change(pair)
            record.update(old_license=lo, new_license=ln)
            result.licenses.append(record)

    def labeller(
        by_ref: Mapping[str, _Entry], view: DocView
    ) -> Callable[[str], tuple[str, dict[str, Any]]]:
        def node_of(ref: str) -> tuple[str, dict[str, Any]]:
            entry = by_ref.get(ref)
            if entry is None:  # a ref the document resolves to no component
                return f"ref:{ref}", {"identity": ref, "name": ref, "version": None, "purl": None}
            return f"pair:{node[id(entry)]}", {
                "identity": entry.key,
                "name": entry.comp.name,
                "version": entry.version,
                "purl": entry.comp.purl,
            }

        return node_of

    vo = _vulns(old.view, labeller(old_by_ref, old.view))
    vn = _vulns(new.view, labeller(new_by_ref, new.view))

    def vuln_json(v: _Vuln) -> dict[str, Any]:
        change = None
        if v.node.startswith("pair:"):
            change = change_of.get(int(v.node[5:]))
        return {
            "id": v.id,
            "component": v.label,
            "component_change": change,
            "severity": v.severity,
            "score": v.score,
            "states": _states(v.states),
        }

    def order(v: _Vuln) -> tuple[Any, ...]:
        return (-_severity_rank(v.severity), v.id, v.label["identity"], v.label["version"] or "")

    result.new_vulnerabilities = [
        vuln_json(vn[k]) for k in sorted(vn.keys() - vo.keys(), key=lambda k: order(vn[k]))
    ]
    result.fixed_vulnerabilities = [
        vuln_json(vo[k]) for k in sorted(vo.keys() - vn.keys(), key=lambda k: order(vo[k]))
    ]
    # SPDX 3 (and OpenVEX) say a justification only in coarse classes, read back as one
    # CycloneDX justification of each: against such a side, only the classes compare.
    exact_justifications = not _coarse_vex(old.view) and not _coarse_vex(new.view)
    for key in sorted(vo.keys() & vn.keys(), key=lambda k: order(vn[k])):
        a, b = vo[key], vn[key]
        if exact_justifications:
            ja, jb = set(a.justifications), set(b.justifications)
        else:
            ja = {justification_class(j) or j for j in a.justifications}
            jb = {justification_class(j) or j for j in b.justifications}
        if a.states == b.states and ja == jb:
            continue
        record = vuln_json(b)
        record.pop("states")
        record.update(
            old_states=_states(a.states),
            new_states=_states(b.states),
            old_justifications=sorted(a.justifications),
            new_justifications=sorted(b.justifications),
        )
        result.vex_changes.append(record)
    return result


def _coarse_vex(view: DocView) -> bool:
    """Whether the document's format states VEX justifications only coarsely (SPDX 3,
    OpenVEX), not in CycloneDX's finer vocabulary."""
    return view.standard == "OpenVEX" or (
        view.standard == "SPDX" and str(view.version).startswith("3")
    )


# -- rendering -----------------------------------------------------------------------------


def _ordering_words(ordering: str | None) -> str:
    if ordering is None or ordering == NATURAL:
        return ""
    if ordering == UNORDERED:
        return " (no order between them)"
    return f" ({ordering} ordering)"


def _label(c: Mapping[str, Any]) -> str:
    name = str(c.get("name") or c.get("identity") or "?")
    group = c.get("group")
    if not group:
        return name
    return f"{group}/{name}" if str(group).startswith("@") else f"{group}:{name}"


def _ident(c: Mapping[str, Any]) -> str:
    """What the component is known by: its purl without the version, else its name."""
    identity = str(c.get("identity") or "")
    return identity if identity.startswith("pkg:") else _label(c)


def _state_words(states: Iterable[str | None]) -> str:
    return ", ".join(s or "no decision" for s in states) or "no decision"


def _vuln_line(v: Mapping[str, Any]) -> str:
    comp = v["component"]
    where = _ident(comp) + (f" {comp['version']}" if comp.get("version") else "")
    rating = " ".join(str(x) for x in (v.get("severity"), v.get("score")) if x is not None)
    extra = []
    if rating:
        extra.append(rating)
    if v.get("component_change"):
        extra.append(f"component {v['component_change'].replace('_', ' ')}")
    states = [s for s in v.get("states", []) if s]
    if states:
        extra.append("VEX: " + ", ".join(states))
    return f"{v['id']} in {where}" + (f" ({'; '.join(extra)})" if extra else "")


def _license_words(value: str | None) -> str:
    return value if value else "none stated"


def _text(d: Diff) -> str:
    out = [f"old: {d.old.describe()}", f"new: {d.new.describe()}"]
    s = d.summary()
    if not d.differs:
        out.append("No differences: the same components, licenses and vulnerabilities.")
        out += [f"note: {n}" for n in d.notes()]
        return "\n".join(out) + "\n"
    out.append(
        f"components: {s['added']} added, {s['removed']} removed, {s['upgraded']} upgraded, "
        f"{s['downgraded']} downgraded"
        + (f", {s['version_changed']} version changed" if s["version_changed"] else "")
        + f"; licenses: {s['license_changed']} changed; vulnerabilities: "
        f"{s['new_vulnerabilities']} new, {s['fixed_vulnerabilities']} fixed, "
        f"{s['vex_changed']} VEX changed"
    )

    def section(title: str, lines: list[str]) -> None:
        if lines:
            out.append("")
            out.append(f"{title} ({len(lines)}):")
            out.extend(f"  {line}" for line in lines)

    section("Added", [f"+ {_ident(c)} {c['version'] or ''}".rstrip() for c in d.added])
    section("Removed", [f"- {_ident(c)} {c['version'] or ''}".rstrip() for c in d.removed])
    for title, rows in (
        ("Upgraded", d.upgraded),
        ("Downgraded", d.downgraded),
        ("Version changed (equal in their ordering)", d.version_changed),
    ):
        section(
            title,
            [
                f"{_ident(c)}: {c['old_version']} -> {c['new_version']}"
                + _ordering_words(c.get("ordering"))
                for c in rows
            ],
        )
    section(
        "License changed",
        [
            f"{_ident(c)} {c['new_version'] or ''}: {_license_words(c['old_license'])} -> "
            f"{_license_words(c['new_license'])}"
            for c in d.licenses
        ],
    )
    section("New vulnerabilities", [f"+ {_vuln_line(v)}" for v in d.new_vulnerabilities])
    section("Fixed vulnerabilities", [f"- {_vuln_line(v)}" for v in d.fixed_vulnerabilities])
    section(
        "VEX state changed",
        [
            f"{v['id']} in {_ident(v['component'])} {v['component'].get('version') or ''}: "
            f"{_state_words(v['old_states'])}"
            + (f" ({', '.join(v['old_justifications'])})" if v["old_justifications"] else "")
            + f" -> {_state_words(v['new_states'])}"
            + (f" ({', '.join(v['new_justifications'])})" if v["new_justifications"] else "")
            for v in d.vex_changes
        ],
    )
    notes = d.notes()
    if notes:
        out.append("")
        out += [f"note: {n}" for n in notes]
    return "\n".join(out) + "\n"


def _cell(value: Any) -> str:
    """A Markdown table cell: pipes escaped, line breaks as spaces, empty as a dash."""
    if value is None or value == "":
        return "—"
    return " ".join(str(value).split()).replace("|", "\\|")


def _code(value: Any) -> str:
    if value is None or value == "":
        return "—"
    text = " ".join(str(value).split()).replace("|", "\\|")
    return f"`{text}`" if "`" not in text else text


def _markdown(d: Diff) -> str:
    s = d.summary()
    out = ["## SBOM diff", ""]
    out.append(f"- old: {_cell(d.old.describe())}")
    out.append(f"- new: {_cell(d.new.describe())}")
    out.append("")
    if not d.differs:
        out.append("No differences: the same components, licenses and vulnerabilities.")
        out += ["", *[f"> {n}" for n in d.notes()]] if d.notes() else []
        return "\n".join(out) + "\n"
    out += [
        "| Change | Count |",
        "| --- | ---: |",
        f"| Added | {s['added']} |",
        f"| Removed | {s['removed']} |",
        f"| Upgraded | {s['upgraded']} |",
        f"| Downgraded | {s['downgraded']} |",
    ]
    if s["version_changed"]:
        out.append(f"| Version changed | {s['version_changed']} |")
    out += [
        f"| License changed | {s['license_changed']} |",
        f"| New vulnerabilities | {s['new_vulnerabilities']} |",
        f"| Fixed vulnerabilities | {s['fixed_vulnerabilities']} |",
        f"| VEX state changed | {s['vex_changed']} |",
    ]

    def table(title: str, head: list[str], rows: list[list[str]]) -> None:
        if not rows:
            return
        out.extend(["", f"### {title} ({len(rows)})", ""])
        out.append("| " + " | ".join(head) + " |")
        out.append("| " + " | ".join("---" for _ in head) + " |")
        out.extend("| " + " | ".join(r) + " |" for r in rows)

    table(
        "Added",
        ["Component", "Version", "License"],
        [[_code(_ident(c)), _cell(c["version"]), _cell(c["license"])] for c in d.added],
    )
    table(
        "Removed",
        ["Component", "Version", "License"],
        [[_code(_ident(c)), _cell(c["version"]), _cell(c["license"])] for c in d.removed],
    )
    for title, rows in (
        ("Upgraded", d.upgraded),
        ("Downgraded", d.downgraded),
        ("Version changed", d.version_changed),
    ):
        table(
            title,
            ["Component", "From", "To"],
            [[_code(_ident(c)), _cell(c["old_version"]), _cell(c["new_version"])] for c in rows],
        )
    table(
        "License changed",
        ["Component", "Version", "From", "To"],
        [
            [
                _code(_ident(c)),
                _cell(c["new_version"]),
                _cell(_license_words(c["old_license"])),
                _cell(_license_words(c["new_license"])),
            ]
            for c in d.licenses
        ],
    )

    def vuln_rows(rows: list[dict[str, Any]]) -> list[list[str]]:
        return [
            [
                _code(v["id"]),
                _code(_ident(v["component"])),
                _cell(v["component"].get("version")),
                _cell(v.get("severity")),
                _cell(v.get("score")),
                _cell(", ".join(s for s in v["states"] if s)),
            ]
            for v in rows
        ]

    head = ["Vulnerability", "Component", "Version", "Severity", "Score", "VEX"]
    table("New vulnerabilities", head, vuln_rows(d.new_vulnerabilities))
    table("Fixed vulnerabilities", head, vuln_rows(d.fixed_vulnerabilities))
    table(
        "VEX state changed",
        ["Vulnerability", "Component", "Version", "From", "To"],
        [
            [
                _code(v["id"]),
                _code(_ident(v["component"])),
                _cell(v["component"].get("version")),
                _cell(
                    _state_words(v["old_states"])
                    + (
                        f" ({', '.join(v['old_justifications'])})"
                        if v["old_justifications"]
                        else ""
                    )
                ),
                _cell(
                    _state_words(v["new_states"])
                    + (
                        f" ({', '.join(v['new_justifications'])})"
                        if v["new_justifications"]
                        else ""
                    )
                ),
            ]
            for v in d.vex_changes
        ],
    )
    notes = d.notes()
    if notes:
        out.append("")
        out += [f"> {n}" for n in notes]
    return "\n".join(out) + "\n"
