"""spdx-tools' full document validation, with its three quadratic lookups indexed.

``validate_full_spdx_document`` (spdx-tools 0.8) rebuilds the list of every SPDX id of
the document for each relationship it checks (``get_list_of_all_spdx_ids``), and scans
every relationship for each ``filesAnalyzed: false`` package (``filter_by_type_and_origin``
/ ``_target``); and for each CONTAINS relationship of a package it lists every package,
file and snippet id to learn an element's type (``get_element_type_from_spdx_id``). All
are O(n²): minutes at 10,000 packages, a quarter of an hour at 50,000
(spdx/tools-python#818, #742).

This runs spdx-tools' own ``validate_full_spdx_document`` — its rules, its messages — with
those functions answered from indexes built once per document. They are swapped in the
two spdx-tools modules that call them in a loop, for the duration of the call only, under a
lock. tests/emit/test_spdx_validation.py checks that the messages are the same as the
unindexed run, on valid and on broken documents.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from spdx_tools.spdx.document_utils import get_contained_spdx_element_ids
from spdx_tools.spdx.model import File, Package, Snippet
from spdx_tools.spdx.spdx_element_utils import get_element_type_from_spdx_id
from spdx_tools.spdx.validation import package_validator, spdx_id_validators
from spdx_tools.spdx.validation.document_validator import validate_full_spdx_document

_lock = threading.Lock()


class _IdSet(list[str]):
    """The document's SPDX ids: a list (as spdx-tools returns) with O(1) membership."""

    def __init__(self, ids: list[str]) -> None:
        super().__init__(ids)
        self._set = frozenset(ids)

    def __contains__(self, item: object) -> bool:
        return item in self._set


def _indexes(
    document: Any,
) -> tuple[Callable[..., Any], Callable[..., Any], Callable[..., Any], Callable[..., Any]]:
    ids = _IdSet([document.creation_info.spdx_id, *get_contained_spdx_element_ids(document)])
    relationships = document.relationships
    by_origin: dict[tuple[Any, str], list[Any]] = defaultdict(list)
    by_target: dict[tuple[Any, str], list[Any]] = defaultdict(list)
    for rel in relationships:
        by_origin[(rel.relationship_type, rel.spdx_element_id)].append(rel)
        by_target[(rel.relationship_type, str(rel.related_spdx_element_id))].append(rel)

    def all_ids(doc: Any) -> list[str]:
        if doc is document:
            return ids
        return [doc.creation_info.spdx_id, *get_contained_spdx_element_ids(doc)]

    def by_type_and_origin(rels: list[Any], relationship_type: Any, origin: str) -> list[Any]:
        if rels is relationships:
            return list(by_origin.get((relationship_type, origin), ()))
        return [
            r
            for r in rels
            if r.relationship_type == relationship_type and r.spdx_element_id == origin
        ]

    def by_type_and_target(rels: list[Any], relationship_type: Any, target: str) -> list[Any]:
        if rels is relationships:
            return list(by_target.get((relationship_type, str(target)), ()))
        return [
            r
            for r in rels
            if r.relationship_type == relationship_type and r.related_spdx_element_id == target
        ]

    kinds: dict[str, Any] = {}
    for kind, elements in (
        (Snippet, document.snippets),
        (File, document.files),
        (Package, document.packages),
    ):
        for element in elements:  # the first kind spdx-tools checks wins, as there
            kinds[element.spdx_id] = kind

    def element_type(spdx_id: str, doc: Any) -> Any:
        if doc is document:
            return kinds.get(spdx_id)
        return get_element_type_from_spdx_id(spdx_id, doc)

    return all_ids, by_type_and_origin, by_type_and_target, element_type


@contextmanager
def _indexed(document: Any) -> Iterator[None]:
    all_ids, origin, target, element_type = _indexes(document)
    swaps = [
        (spdx_id_validators, "get_list_of_all_spdx_ids", all_ids),
        (package_validator, "filter_by_type_and_origin", origin),
        (package_validator, "filter_by_type_and_target", target),
        (package_validator, "get_element_type_from_spdx_id", element_type),
    ]
    with _lock:
        saved = [(module, name, getattr(module, name)) for module, name, _ in swaps]
        try:
            for module, name, replacement in swaps:
                setattr(module, name, replacement)
            yield
        finally:
            for module, name, original in saved:
                setattr(module, name, original)


def validate_spdx_document(document: Any, spdx_version: str, *, indexed: bool = True) -> list[Any]:
    if not indexed:
        return list(validate_full_spdx_document(document, spdx_version))
    with _indexed(document):
        return list(validate_full_spdx_document(document, spdx_version))
