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

from sbomgen.emit.interface import DocumentMeta
from sbomgen.enrich.graph import DependencyGraph
from sbomgen.model import Inventory, Library, LicenseText, Product, Project, ProjectToken

ROOT = "root"


def product_node(product: Product) -> str:
    return f"product:{product.token}"


def short_hash(value: str) -> str:
    """Tokens are identifiers we keep out of documents: a short hash stands for them."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:12]


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
