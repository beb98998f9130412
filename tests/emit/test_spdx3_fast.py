"""The streaming SPDX 3 writer (emit/spdx3_fast.py) against spdx-python-model, the reference.

Equivalence: the same plan written both ways gives the same bytes, on the bundled sample
(with each description of the release the other writers are tested with) and on
generated organizations of several sizes; and the writer's element checks certify them.

Rejection: tests/emit/test_spdx3_shacl.py runs the element checks on every document of its
corpus of broken documents (split into parts of several sizes) and requires that none
pyshacl or the JSON schema faults is certified; here, the checks refuse what the whole
document's schema refuses, and an uncertified document goes through the reference check.
"""

from __future__ import annotations

import copy
import json
import random
from dataclasses import replace
from typing import Any

import pytest
from conftest import spdx3_element_checks

from sbomgen.emit import spdx3_fast
from sbomgen.emit.interface import DocumentMeta
from sbomgen.emit.plan import plan_document
from sbomgen.emit.spdx3 import Spdx3, document_data, serialize
from sbomgen.emit.validate import _spdx3_schema
from sbomgen.model import Inventory

NAME = "Acme-Corp.spdx3.json"


def _both(inventory: Inventory, meta: DocumentMeta, **kw: Any) -> tuple[bytes, bytes, bool]:
    plan = plan_document(inventory, meta, **kw)
    written = spdx3_fast.write(plan)
    assert written is not None
    fast, certified = written
    return serialize(document_data(plan)), fast, certified


def test_the_sample_gives_the_same_bytes(
    sample: Inventory, meta: DocumentMeta, released: DocumentMeta
) -> None:
    bare = DocumentMeta(name="bare", timestamp=meta.timestamp, file_stem="bare")
    for facts in (
        meta,
        released,
        bare,
        replace(meta, supplier_contact="sbom@acme.example"),
        replace(meta, supplier_contact="https://acme.example/sbom", supplier=None),
        replace(meta, versions={"storefront-api": "3.1.0"}, authors=("A", "B")),
    ):
        library, fast, certified = _both(sample, facts)
        assert fast == library, facts.name
        assert certified
    library, fast, certified = _both(sample, meta, exclude_in_house=True)
    assert fast == library and certified
    # every kind of element the sample has is written, the VEX ones included
    kinds = {e["type"] for e in json.loads(fast)["@graph"]}
    assert {
        "security_VexNotAffectedVulnAssessmentRelationship",
        "security_VexAffectedVulnAssessmentRelationship",
        "security_VexUnderInvestigationVulnAssessmentRelationship",
        "simplelicensing_SimpleLicensingText",
        "software_File",
    } <= kinds


def test_a_time_with_an_offset_is_written_as_the_library_writes_it(sample: Inventory) -> None:
    from datetime import datetime, timedelta, timezone

    for tz in (timezone(timedelta(hours=5, minutes=30, seconds=17)), timezone.utc, None):
        when = datetime(2026, 3, 4, 5, 6, 7, 890, tzinfo=tz)
        facts = DocumentMeta(name="t", timestamp=when, file_stem="t")
        library, fast, _ = _both(sample.restricted_to(sorted(sample.projects)[:1]), facts)
        assert fast == library


def test_generated_organizations_give_the_same_bytes(
    generated: Inventory, meta: DocumentMeta
) -> None:
    library, fast, certified = _both(generated, meta)
    packages = [e for e in json.loads(fast)["@graph"] if e["type"] == "software_Package"]
    assert len(packages) > len(generated.libraries)
    assert fast == library
    assert certified


def test_render_writes_the_streamed_document_and_the_library_agrees(
    sample: Inventory, meta: DocumentMeta
) -> None:
    fast = Spdx3().render(sample, meta)
    library = Spdx3(fast=False).render(sample, meta)
    assert list(fast) == [NAME] and fast == library


def test_an_uncertified_document_goes_through_the_reference_check(
    sample: Inventory, meta: DocumentMeta, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When an element does not pass, the whole document is checked by spdx3_problems (the
    reference): here it finds nothing, and the document is written as it is."""
    seen: list[int] = []
    real = spdx3_fast.ElementChecks.__call__

    def refuse(self: spdx3_fast.ElementChecks, batch: list[dict[str, Any]]) -> None:
        real(self, batch)
        seen.append(len(batch))
        self.certified = False

    import sbomgen.emit.validate as validate

    checked: list[int] = []
    reference = validate.spdx3_problems

    def counting(raw: Any) -> Any:
        checked.append(len(raw))
        return reference(raw)

    monkeypatch.setattr(spdx3_fast.ElementChecks, "__call__", refuse)
    monkeypatch.setattr(validate, "spdx3_problems", counting)
    small = sample.restricted_to(sorted(sample.projects)[:1])
    out = Spdx3().render(small, meta)
    assert seen and checked == [len(out[NAME])]
    assert out == Spdx3(fast=False).render(small, meta)


@pytest.fixture(scope="module")
def document(sample: Inventory, meta: DocumentMeta) -> dict[str, Any]:
    return json.loads(Spdx3().render(sample, meta)[NAME])  # type: ignore[no-any-return]


@pytest.mark.parametrize("size", [1, 7, 500])
def test_the_element_checks_certify_sbomgens_document_in_parts_of_any_size(
    document: dict[str, Any], size: int
) -> None:
    assert spdx3_element_checks(document, size).certified


def test_the_element_checks_refuse_what_the_documents_schema_refuses(
    document: dict[str, Any],
) -> None:
    """Seeded edits of one element's property (a value of another type, an unknown key,
    a missing one): whenever the whole document's schema refuses the result, so do the
    element checks."""
    rng = random.Random(7)
    refused = 0
    for _ in range(60):
        data = copy.deepcopy(document)
        item = rng.choice(data["@graph"])
        key = rng.choice(sorted(item))
        change = rng.choice(["drop", "number", "list", "unknown", "empty"])
        if change == "drop":
            del item[key]
        elif change == "number":
            item[key] = 42
        elif change == "list":
            item[key] = [item[key], item[key]]
        elif change == "unknown":
            item["colour"] = "red"
        else:
            item[key] = ""
        whole = _spdx3_schema().is_valid(data)
        if not whole:
            refused += 1
            assert not spdx3_element_checks(data, rng.choice([1, 5, 500])).certified, (change, key)
    assert refused > 20  # the corpus is not vacuous


def test_two_elements_with_one_id_leave_the_document_to_the_library(
    sample: Inventory, meta: DocumentMeta, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The writer lists ids once; a plan that would give two elements one id is written by
    the library path (and checked as a whole)."""
    plan = plan_document(sample, meta)
    assert spdx3_fast.write(plan) is not None
    made: list[str] = []

    class Repeating(spdx3_fast._Pass):
        def __call__(self, obj: Any, local: str) -> None:
            made.append(local)
            super().__call__(obj, made[0] if len(made) == 3 else local)

    monkeypatch.setattr(spdx3_fast, "_Pass", Repeating)
    assert spdx3_fast.write(plan) is None


def test_a_placeholder_publication_date_is_left_out_and_the_document_written(
    sample: Inventory, meta: DocumentMeta
) -> None:
    """Found by review: Mend's "0001-01-01" (a placeholder for no date) made a timestamp
    no standard can carry ("1-01-01T00:00:00Z"), and no SPDX 3 document could be written
    by either path. It is no date: left out, as a missing one is."""
    import dataclasses

    from sbomgen.emit.cyclonedx import CycloneDx
    from sbomgen.emit.plan import published_date

    assert published_date("0001-01-01") is None and published_date("0999-12-31") is None
    assert published_date("1000-01-01") is not None
    libraries = {
        key: dataclasses.replace(
            lib,
            vulnerabilities=tuple(
                dataclasses.replace(v, published="0001-01-01") for v in lib.vulnerabilities
            ),
        )
        for key, lib in sample.libraries.items()
    }
    dated = dataclasses.replace(sample, libraries=libraries)
    assert any(lib.vulnerabilities for lib in libraries.values())
    fast = Spdx3().render(dated, meta)[NAME]
    assert fast == Spdx3(fast=False).render(dated, meta)[NAME]
    assert b"security_publishedTime" not in fast
    cdx = CycloneDx("json", "1.6").render(dated, meta)["Acme-Corp.cdx.json"]
    assert b'"published"' not in cdx
