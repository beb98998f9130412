"""Library.merge_all is the left fold of Library.merge, in one pass (property test)."""

from __future__ import annotations

from functools import reduce

from hypothesis import given, settings
from hypothesis import strategies as st

from sbomgen.model import (
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
