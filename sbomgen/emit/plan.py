"""What goes into one document, decided once for every format.

A document describes a *root*: the product when the scope is one product, the project when
it is one project without its product, and otherwise a collection (the organization, or
the name given with ``--name``) that contains the products. Products contain projects,
projects depend on their direct libraries, libraries on theirs.

Node ids are ``root``, ``product:<token>``, ``project:<token>`` and ``lib:<keyUuid>``.
Every list here is sorted, so that equal input gives byte-identical documents.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone

from sbomgen.emit.interface import DocumentMeta
from sbomgen.enrich.graph import DependencyGraph
from sbomgen.model import (
    Analysis,
    Inventory,
    Library,
    LicenseText,
    Product,
    Project,
    ProjectToken,
    Vulnerability,
)

ROOT = "root"


def product_node(product: Product) -> str:
    return f"product:{product.token}"


def short_hash(value: str) -> str:
    """Tokens are identifiers we keep out of documents: a short hash stands for them."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:12]


def published_date(value: str | None) -> datetime | None:
    """Mend's publishDate ("2021-12-10" or "2021-12-10 00:00:00") in UTC, or None when it
    is missing or unreadable (every writer states the same time). A year before 1000
    ("0001-01-01", a placeholder for no date) is no publication date, and no standard's
    timestamp (four-digit years) can carry it: it is left out (found by review: it
    stopped every SPDX 3 document)."""
    if not value:
        return None
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
        try:
            when = datetime.strptime(value.strip()[:19], fmt).replace(tzinfo=timezone.utc)
        except ValueError:
            continue
        return when if when.year >= 1000 else None
    return None


def library_sort_key(lib: Library) -> tuple[str, str, str]:
    return (lib.purl or "~" + (lib.name or ""), lib.version or "", lib.key_uuid)


@dataclass(frozen=True)
class DocumentPlan:
    meta: DocumentMeta
    root_kind: str  # "product", "project" or "collection"
    root_token: str | None  # the product's or project's token when it is the root
    products: tuple[Product, ...]
    projects: tuple[Project, ...]
    libraries: tuple[Library, ...]
    edges: Mapping[str, tuple[str, ...]]  # node -> children (CONTAINS, then DEPENDS_ON)
    texts: Mapping[str, LicenseText]
    excluded_in_house: int = 0
    # projects with libraries Mend could not place in their dependency tree
    incomplete_projects: frozenset[str] = frozenset()

    @property
    def root_project(self) -> Project | None:
        return self._root_project

    _root_project: Project | None = None


def plan_document(
    inventory: Inventory, meta: DocumentMeta, *, exclude_in_house: bool = False
) -> DocumentPlan:
    graph = DependencyGraph.from_inventory(inventory)
    libraries = {
        k: v for k, v in inventory.libraries.items() if not (exclude_in_house and v.in_house)
    }
    excluded = {f"lib:{k}" for k in inventory.libraries if k not in libraries}
    edges: dict[str, set[str]] = {node: set(children) for node, children in graph.edges.items()}
    if excluded:
        edges = _contract(edges, excluded)
    products = tuple(sorted(inventory.products.values(), key=lambda p: (p.name, p.token)))
    projects = tuple(
        sorted(inventory.projects.values(), key=lambda p: (p.product_name or "", p.name, p.token))
    )
    root_kind: str = "collection"
    root_token: str | None = None
    if len(products) == 1:
        root_kind, root_token = "product", str(products[0].token)
    elif not products and len(projects) == 1:
        root_kind, root_token = "project", str(projects[0].token)
    top: set[str] = set()
    if root_kind == "product":
        top = {f"project:{t}" for t in products[0].projects if t in inventory.projects}
    elif root_kind == "project":
        top = set(edges.pop(f"project:{root_token}", set()))
    else:
        top = {product_node(p) for p in products}
        in_products = {t for p in products for t in p.projects}
        top |= {f"project:{p.token}" for p in projects if p.token not in in_products}
        for p in products:
            edges[product_node(p)] = {f"project:{t}" for t in p.projects if t in inventory.projects}
    edges[ROOT] = top
    ordered = {node: tuple(sorted(children)) for node, children in sorted(edges.items())}
    placed = {t: {e.child for e in p.edges} for t, p in inventory.projects.items()}
    unplaced = {
        o.project
        for lib in libraries.values()
        for o in lib.occurrences
        if o.project in placed and lib.key_uuid not in placed[o.project]
    }
    incomplete = frozenset(
        ROOT if root_kind == "project" and str(t) == root_token else f"project:{t}"
        for t in unplaced
    )
    return DocumentPlan(
        meta=meta,
        root_kind=root_kind,
        root_token=root_token,
        products=products if root_kind == "collection" else (),
        projects=tuple(
            p for p in projects if not (root_kind == "project" and p.token == root_token)
        ),
        libraries=tuple(sorted(libraries.values(), key=library_sort_key)),
        edges=ordered,
        texts=dict(sorted(inventory.texts.items())),
        excluded_in_house=len(excluded),
        incomplete_projects=incomplete,
        _root_project=inventory.projects.get(ProjectToken(root_token))
        if root_kind == "project" and root_token
        else None,
    )


def _contract(edges: dict[str, set[str]], removed: set[str]) -> dict[str, set[str]]:
    """Remove nodes, linking their parents to their children so no library is orphaned."""
    out: dict[str, set[str]] = {}
    for node, children in edges.items():
        if node in removed:
            continue
        keep: set[str] = set()
        stack, seen = list(children), set()
        while stack:
            child = stack.pop()
            if child in seen:
                continue
            seen.add(child)
            if child in removed:
                stack.extend(edges.get(child, ()))
            else:
                keep.add(child)
        out[node] = keep
    return out


def compositions(plan: DocumentPlan) -> list[tuple[str, list[str]]]:
    """How complete each dependency list is, as far as Mend's hierarchy says: (aggregate,
    nodes) for the nodes whose ``dependencies`` the document states as ``complete``,
    ``incomplete`` or ``unknown`` (CycloneDX ``compositions``).

    - A library's list is complete when Mend's resolver placed it in a tree: it has
      dependencies there, or another library depends on it (a resolved leaf has none).
    - A library only at the top of a project's tree with nothing under it is unknown: a
      file Mend matched by its hash sits there too, and that says nothing about what it
      depends on.
    - A project's (or the root project's) list is complete when every library Mend found
      in it is in its tree, incomplete when some are not.
    """
    libraries = {f"lib:{lib.key_uuid}" for lib in plan.libraries}
    under_a_library = {
        child for node, children in plan.edges.items() if node in libraries for child in children
    }
    complete: list[str] = []
    unknown: list[str] = []
    for node in sorted(libraries):
        if plan.edges.get(node) or node in under_a_library:
            complete.append(node)
        else:
            unknown.append(node)
    projects = [f"project:{p.token}" for p in plan.projects]
    if plan.root_kind == "project":
        projects.append(ROOT)
    incomplete = sorted(n for n in projects if n in plan.incomplete_projects)
    complete += [n for n in projects if n not in plan.incomplete_projects]
    out = [
        ("complete", sorted(complete)),
        ("incomplete", incomplete),
        ("unknown", unknown),
    ]
    return [(aggregate, nodes) for aggregate, nodes in out if nodes]


# The document's root as an assembly: whether Mend found every part of the software is
# not known (a scan sees what it can match), so its constituents are stated ``unknown``.
ROOT_ASSEMBLY = ("unknown", ROOT)


@dataclass(frozen=True)
class VulnStatement:
    """One vulnerability entry of a document: the vulnerability, what people decided about
    it (None: an active alert, nobody decided) with their comment, and the nodes it is
    stated for."""

    vuln: Vulnerability
    analysis: Analysis | None
    detail: str | None
    nodes: tuple[str, ...]
    ref: str  # the entry's own id in the document: vuln:<id>, or vuln:<id>:<n> for more


def vulnerability_statements(plan: DocumentPlan) -> list[VulnStatement]:
    """Each vulnerability with its decisions. Where every project a library is in decided
    the same (or nobody decided), the statement is about the library; where they differ,
    each decision is stated for the projects that made it (CycloneDX ``affects`` naming
    project components) and the library is stated where nobody decided."""
    from sbomgen.enrich.vex import per_project

    def project_node(token: ProjectToken | None) -> str | None:
        if token is None:
            return None
        if plan.root_kind == "project" and str(token) == plan.root_token:
            return ROOT
        return f"project:{token}"

    comments: dict[tuple[str, str, ProjectToken | None], str] = {}
    for lib in plan.libraries:
        for t in lib.triage:
            comments[(lib.key_uuid, t.vulnerability, t.project)] = t.comment
    first: dict[str, Vulnerability] = {}
    grouped: dict[tuple[str, Analysis | None, str | None], set[str]] = {}
    for lib in plan.libraries:
        lib_node = f"lib:{lib.key_uuid}"
        for vuln in lib.vulnerabilities:
            first.setdefault(vuln.id, vuln)
            decisions = per_project(lib, vuln.id)
            by_decision: dict[tuple[Analysis | None, str | None], list[ProjectToken | None]] = {}
            for project, analysis in decisions.items():
                comment = None
                if analysis is not None:
                    comment = comments.get((lib.key_uuid, vuln.id, project))
                    if comment is None:
                        comment = comments.get((lib.key_uuid, vuln.id, None))
                by_decision.setdefault((analysis, comment), []).append(project)
            if len(by_decision) == 1:
                [(analysis, comment)] = by_decision
                grouped.setdefault((vuln.id, analysis, comment), set()).add(lib_node)
                continue
            for (analysis, comment), projects in by_decision.items():
                nodes = (
                    {lib_node}
                    if analysis is None
                    else {n for n in map(project_node, projects) if n is not None} or {lib_node}
                )
                grouped.setdefault((vuln.id, analysis, comment), set()).update(nodes)

    def order(key: tuple[str, Analysis | None, str | None]) -> tuple[object, ...]:
        vuln_id, analysis, comment = key
        return (vuln_id, analysis is not None, analysis or Analysis(state=""), comment or "")

    keys = sorted(grouped, key=order)
    per_id: dict[str, int] = {}
    for vuln_id, _, _ in keys:
        per_id[vuln_id] = per_id.get(vuln_id, 0) + 1
    seen: dict[str, int] = {}
    out = []
    for key in keys:
        vuln_id, analysis, comment = key
        n = seen[vuln_id] = seen.get(vuln_id, 0) + 1
        ref = f"vuln:{vuln_id}" if n == 1 else f"vuln:{vuln_id}:{n}"
        out.append(
            VulnStatement(
                vuln=first[vuln_id],
                analysis=analysis,
                detail=comment,
                nodes=tuple(sorted(grouped[key])),
                ref=ref,
            )
        )
    return out
