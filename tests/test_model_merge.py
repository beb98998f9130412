"""Library.merge_all is the left fold of Library.merge, in one pass (property test)."""

from __future__ import annotations

from dataclasses import fields
from functools import reduce

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sbomgen.model import (
    SPARSE_FIELDS,
    TREE_FIELDS,
    Copyright,
    KeyUuid,
    Library,
    Location,
    MendLicense,
    Occurrence,
    ProductToken,
    ProjectToken,
    Provenance,
    References,
    Vulnerability,
    states_only,
)

text = st.sampled_from([None, "", "a", "b", "c"])
occurrence = st.builds(
    Occurrence,
    product=st.sampled_from([None, ProductToken("P1")]),
    project=st.sampled_from([ProjectToken("p1"), ProjectToken("p2"), ProjectToken("p3")]),
    direct=st.sampled_from([None, True, False]),
    match_type=st.sampled_from([None, "SHA1", "FILENAME"]),
    outdated=st.sampled_from([None, True, False]),
)
part = st.builds(
    Library,
    key_uuid=st.just(KeyUuid("k")),
    key_id=st.sampled_from([None, 1, 2]),
    name=text,
    group_id=text,
    version=text,
    type=text,
    sha1=text,
    description=text,
    references=st.builds(References, homepage=text, scm=text),
    licenses=st.lists(
        st.builds(MendLicense, name=st.sampled_from(["MIT", "BSD"]), spdx_name=text, url=text),
        max_size=2,
    ).map(tuple),
    copyrights=st.lists(
        st.builds(Copyright, text=st.sampled_from(["(c) A", "(c) B"]), author=text), max_size=2
    ).map(tuple),
    notices=st.lists(st.sampled_from(["n1", "n2"]), max_size=2).map(tuple),
    vulnerabilities=st.lists(
        st.builds(Vulnerability, id=st.sampled_from(["CVE-1", "CVE-2"]), severity=text),
        max_size=2,
    ).map(tuple),
    in_house=st.booleans(),
    locations=st.lists(
        st.builds(Location, path=st.sampled_from(["x", "y"]), match_type=text), max_size=2
    ).map(tuple),
    occurrences=st.lists(occurrence, max_size=3).map(tuple),
    provenance=st.lists(
        st.builds(Provenance, request_type=st.sampled_from(["a", "b"]), scope=text.map(str)),
        max_size=2,
    ).map(tuple),
    purl=text,
)


# what the locations answer and the text files state of a library (SPARSE_FIELDS)
sparse = st.builds(
    Library,
    key_uuid=st.just(KeyUuid("k")),
    copyrights=st.lists(
        st.builds(Copyright, text=st.sampled_from(["(c) A", "(c) C"]), author=text), max_size=2
    ).map(tuple),
    notices=st.lists(st.sampled_from(["n1", "n3"]), max_size=2).map(tuple),
    locations=st.lists(
        st.builds(Location, path=st.sampled_from(["x", "z"]), match_type=text), max_size=2
    ).map(tuple),
    provenance=st.lists(
        st.builds(Provenance, request_type=st.sampled_from(["a", "c"]), scope=text.map(str)),
        max_size=2,
    ).map(tuple),
)


@settings(max_examples=400, deadline=None)
@given(part, st.lists(sparse, max_size=4))
def test_merging_sparse_parts_is_merging_them(base: Library, parts: list[Library]) -> None:
    assert all(states_only(p, SPARSE_FIELDS) for p in parts)
    assert Library.merge_stating(base, parts, SPARSE_FIELDS) == Library.merge_all([base, *parts])


def _stating(lib: Library, stated: frozenset[str]) -> Library:
    """``lib`` with every field outside ``stated`` as a new Library has it."""
    return Library(**{k: v for k, v in lib.__dict__.items() if k in stated})


fields_stated = st.sets(st.sampled_from(sorted(f.name for f in fields(Library)))).map(
    lambda names: frozenset(names | {"key_uuid"})
)


@settings(max_examples=500, deadline=None)
@given(part, st.lists(part, max_size=4), fields_stated)
def test_merging_what_parts_state_is_merging_them(
    base: Library, parts: list[Library], stated: frozenset[str]
) -> None:
    parts = [_stating(p, stated) for p in parts]
    assert all(states_only(p, stated) for p in parts)
    assert Library.merge_stating(base, parts, stated) == Library.merge_all([base, *parts])


@settings(max_examples=300, deadline=None)
@given(part, st.lists(part, min_size=1, max_size=2))
def test_merging_a_tree_nodes_record_is_merging_it(base: Library, nodes: list[Library]) -> None:
    records = [_stating(n, TREE_FIELDS) for n in nodes]
    assert Library.merge_stating(base, records, TREE_FIELDS) == Library.merge_all([base, *records])


@pytest.mark.parametrize(
    "more",
    [
        {"key_id": 1},
        {"name": "a"},
        {"name": ""},
        {"version": "1.0"},
        {"sha1": "ab"},
        {"references": References()},  # an empty record, but not the shared one
        {"licenses": (MendLicense(name="MIT"),)},
        {"vulnerabilities": (Vulnerability(id="CVE-1"),)},
        {"in_house": True},
        {"occurrences": (Occurrence(product=None, project=ProjectToken("p1")),)},
        {"purl": "pkg:npm/a@1"},
        {"name": ()},  # empty, but not what a new Library has there (review finding)
        {"license": ()},
    ],
)
def test_a_part_stating_more_is_not_sparse(more: dict[str, object]) -> None:
    from dataclasses import replace

    lib = Library(key_uuid=KeyUuid("k"), notices=("n",), provenance=(Provenance(request_type="a"),))
    assert states_only(lib, SPARSE_FIELDS)
    assert not states_only(replace(lib, **more), SPARSE_FIELDS)  # type: ignore[arg-type]


@settings(max_examples=300, deadline=None)
@given(st.lists(part, min_size=1, max_size=6))
def test_merge_all_is_the_fold_of_merge(parts: list[Library]) -> None:
    assert Library.merge_all(parts) == reduce(Library.merge, parts)


@settings(max_examples=300, deadline=None)
@given(st.lists(part, min_size=2, max_size=6), st.integers(min_value=1, max_value=5))
def test_merging_is_associative(parts: list[Library], cut: int) -> None:
    """The fetcher merges what arrived first while the rest is on its way."""
    cut = min(cut, len(parts) - 1)
    head, tail = parts[:cut], parts[cut:]
    whole = Library.merge_all(parts)
    assert Library.merge_all([Library.merge_all(head), Library.merge_all(tail)]) == whole
    assert Library.merge_all([*head, Library.merge_all(tail)]) == whole


# a tree node's record (parse.parse_tree): what a node states, no occurrence or provenance
template = part.map(lambda lib: _stating(lib, TREE_FIELDS))
tree_provenance = st.builds(
    Provenance, request_type=st.just("getProjectHierarchy"), scope=st.sampled_from(["x", "y"])
)


@settings(max_examples=400, deadline=None)
@given(
    first=st.lists(part, max_size=3),
    pool=st.lists(template, min_size=1, max_size=3),
    ops=st.lists(
        st.one_of(
            part,
            sparse.map(lambda lib: [lib]),  # taken as sparse (Sightings.take_sparse)
            st.tuples(
                st.lists(st.tuples(st.integers(0, 2), occurrence), max_size=4), tree_provenance
            ),
        ),
        max_size=8,
    ),
    lead_at=st.integers(0, 8),
)
def test_the_fetchers_sightings_merge_as_one_fold_in_request_order(
    first: list[Library],
    pool: list[Library],
    ops: list[Library | list[Library] | tuple[list[tuple[int, Occurrence]], Provenance]],
    lead_at: int,
) -> None:
    """What the fetcher takes (answers; the licenses answer, which leads them all, at any
    point; the sparse sightings of the locations answer and the text files; trees, whose
    repeated nodes are one record) merges to the fold of every sighting in request order,
    however it groups them on the way."""
    from sbomgen.sources.fetcher import _Sightings

    sightings = _Sightings()
    expanded = list(first)
    for n, op in enumerate(ops):
        if n == lead_at:
            sightings.lead(first)
        if isinstance(op, Library):
            sightings.take([op])
            expanded.append(op)
        elif isinstance(op, list):
            sightings.take_sparse(op)
            expanded += op
        else:
            nodes, prov = op
            picked = [(pool[i % len(pool)], occ) for i, occ in nodes]
            sightings.take_tree(picked, prov)
            expanded += [lib.sighted((occ,), (prov,)) for lib, occ in picked]
    if lead_at >= len(ops):
        sightings.lead(first)
    got = sightings.merged()
    assert got == ([Library.merge_all(expanded)] if expanded else [])


def _spec_per_project(occurrences: tuple[Occurrence, ...]) -> tuple[Occurrence, ...]:
    """One occurrence per project, written from the rule, not from the code: the first
    product and match type given, direct if any sighting says so (None if none says), the
    first outdated flag given."""
    out = []
    for project in dict.fromkeys(o.project for o in occurrences):
        mine = [o for o in occurrences if o.project == project]
        directs = [o.direct for o in mine if o.direct is not None]
        outdated = [o.outdated for o in mine if o.outdated is not None]
        out.append(
            Occurrence(
                product=next((o.product for o in mine if o.product), mine[-1].product),
                project=project,
                direct=any(directs) if directs else None,
                match_type=next((o.match_type for o in mine if o.match_type), mine[-1].match_type),
                outdated=outdated[0] if outdated else None,
            )
        )
    return tuple(out)


@settings(max_examples=500, deadline=None)
@given(st.lists(occurrence, max_size=6).map(tuple))
def test_occurrences_merge_per_project_by_the_rule(occurrences: tuple[Occurrence, ...]) -> None:
    from sbomgen.model import one_per_project

    assert one_per_project(occurrences) == _spec_per_project(occurrences)
