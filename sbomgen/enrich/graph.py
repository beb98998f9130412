"""The dependency graph: every level of every project's hierarchy, projects as roots."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sbomgen.model import Inventory, KeyUuid, ProjectToken


def project_node(token: ProjectToken) -> str:
    return f"project:{token}"


def library_node(key: KeyUuid) -> str:
    return f"lib:{key}"


@dataclass(frozen=True)
class DependencyGraph:
    """Nodes are ``project:<token>`` and ``lib:<keyUuid>``; edges point to dependencies.

    A library reached from two parents keeps both edges and is one node. Cycles are kept
    as they are (nothing here walks the graph recursively). Libraries in a project's
    inventory that its hierarchy does not place hang directly under the project.
    """

    roots: tuple[str, ...]
    edges: Mapping[str, frozenset[str]]

    @classmethod
    def from_inventory(cls, inventory: Inventory) -> DependencyGraph:
        edges: dict[str, set[str]] = {}
        placed: dict[ProjectToken, set[KeyUuid]] = {}
        for token, project in inventory.projects.items():
            root = project_node(token)
            edges.setdefault(root, set())
            seen = placed.setdefault(token, set())
            for edge in project.edges:
                if edge.child not in inventory.libraries:
                    continue
                parent = root if edge.parent is None else library_node(edge.parent)
                edges.setdefault(parent, set()).add(library_node(edge.child))
                seen.add(edge.child)
        for key, lib in inventory.libraries.items():
            edges.setdefault(library_node(key), set())
            for occ in lib.occurrences:
                if occ.project in inventory.projects and key not in placed.get(occ.project, set()):
                    edges[project_node(occ.project)].add(library_node(key))
        roots = tuple(sorted(project_node(t) for t in inventory.projects))
        return cls(roots=roots, edges={n: frozenset(c) for n, c in sorted(edges.items())})

    def children(self, node: str) -> list[str]:
        return sorted(self.edges.get(node, ()))
