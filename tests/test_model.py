"""The model's merge methods: the same library seen twice keeps every fact."""

from __future__ import annotations

import dataclasses

import pytest

from sbomgen.model import (
    Copyright,
    Edge,
    Inventory,
    KeyUuid,
    Library,
    Location,
    MendLicense,
    Occurrence,
    ProductToken,
    Project,
    ProjectToken,
    Provenance,
    References,
    Vulnerability,
)

K = KeyUuid("k-1")
P1, P2 = ProductToken("prod-1"), ProductToken("prod-2")
J1, J2 = ProjectToken("proj-1"), ProjectToken("proj-2")


def test_library_is_frozen() -> None:
    lib = Library(key_uuid=K)
    with pytest.raises(dataclasses.FrozenInstanceError):
        lib.name = "x"  # type: ignore[misc]


def test_merge_keeps_every_occurrence_and_fills_gaps() -> None:
    a = Library(
        key_uuid=K,
        name="jackson-databind",
        type="MAVEN_ARTIFACT",
        licenses=(MendLicense(name="Apache 2.0"),),
        occurrences=(Occurrence(product=P1, project=J1, direct=True),),
        provenance=(Provenance(request_type="getProjectHierarchy", scope="project a"),),
    )
    b = Library(
        key_uuid=K,
        language_type="Java",
        sha1="a" * 40,
        references=References(homepage="https://github.com/FasterXML/jackson"),
        licenses=(MendLicense(name="Apache 2.0", spdx_name="Apache-2.0"),),
        copyrights=(Copyright(text="Copyright 2007- FasterXML"),),
        vulnerabilities=(Vulnerability(id="CVE-2022-42003"),),
        occurrences=(
            Occurrence(product=P2, project=J2, direct=False),
            Occurrence(product=P1, project=J1, match_type="SHA1"),
        ),
        locations=(Location(path="lib/jackson-databind.jar"),),
        provenance=(Provenance(request_type="getProductLicenses", scope="product b"),),
        in_house=False,
    )
    merged = a.merge(b)
    assert merged.name == "jackson-databind" and merged.language_type == "Java"
    assert merged.type == "MAVEN_ARTIFACT" and merged.sha1 == "a" * 40
    assert merged.licenses == (MendLicense(name="Apache 2.0", spdx_name="Apache-2.0"),)
    assert {(o.project, o.direct, o.match_type) for o in merged.occurrences} == {
        (J1, True, "SHA1"),
        (J2, False, None),
    }
    assert merged.projects == {J1, J2}
    assert len(merged.provenance) == 2 and merged.vulnerabilities[0].id == "CVE-2022-42003"
    assert merged.is_direct_in(J1) is True and merged.is_direct_in(J2) is False
    # merging is idempotent and order only affects which non-empty value wins
    assert merged.merge(merged) == merged
    assert b.merge(a).projects == merged.projects


def test_merge_refuses_different_keys() -> None:
    with pytest.raises(ValueError, match="cannot merge"):
        Library(key_uuid=K).merge(Library(key_uuid=KeyUuid("k-2")))


def test_copyrights_merge_by_text() -> None:
    a = Library(key_uuid=K, copyrights=(Copyright(text="Copyright 2020 X", author="X"),))
    b = Library(
        key_uuid=K,
        copyrights=(Copyright(text="Copyright 2020 X"), Copyright(text="Copyright 2021 Y")),
    )
    assert [c.text for c in a.merge(b).copyrights] == ["Copyright 2020 X", "Copyright 2021 Y"]
    assert a.merge(b).copyrights[0].author == "X"


def test_inventory_build_merges_duplicates_and_restricts() -> None:
    lib1 = Library(key_uuid=K, occurrences=(Occurrence(product=P1, project=J1),))
    lib2 = Library(key_uuid=K, occurrences=(Occurrence(product=P1, project=J2),))
    proj1 = Project(token=J1, name="a", product=P1, edges=(Edge(parent=None, child=K),))
    proj2 = Project(token=J2, name="b", product=P1)
    inv = Inventory.build(projects=[proj1, proj2], libraries=[lib1, lib2])
    assert inv.libraries[K].projects == {J1, J2}
    narrowed = inv.restricted_to([J2])
    assert set(narrowed.projects) == {J2}
    assert narrowed.libraries[K].projects == {J2}
    assert inv.merge(inv) == inv
