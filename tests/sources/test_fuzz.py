"""Bad input, fuzzed: every response the sample's fetch reads, and the snapshot manifest,
mutated by hypothesis. The result is never a traceback: the fetch either succeeds, or fails
with an error of sbomgen's that names the request type (or file) and the field.

``SBOMGEN_FUZZ_EXAMPLES`` sets the examples per test (CI: 150; ``bench/fuzz.py``: more).
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from conftest import SAMPLE_SNAPSHOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sbomgen.errors import SbomgenError
from sbomgen.pipeline import default_enrichers, enrich
from sbomgen.sources.client import MendResponse
from sbomgen.sources.fetcher import Fetcher, FetchScope, NullObserver
from sbomgen.sources.snapshot import SnapshotReplay

EXAMPLES = int(os.environ.get("SBOMGEN_FUZZ_EXAMPLES", "150"))

MANIFEST = json.loads((SAMPLE_SNAPSHOT / "manifest.json").read_text())
JSON_ENTRIES = [
    i
    for i, r in enumerate(MANIFEST["requests"])
    if "json" in r.get("contentType", "application/json")
]

# Text that makes trouble: right-to-left marks and text, emoji, NUL and other controls,
# lone surrogates (which JSON escapes can carry), combining marks, and very long strings.
NASTY = st.one_of(
    st.text(),
    st.sampled_from(
        [
            "\u202e\u0627\u0644\u0639\u0631\u0628\u064a\u0629\u202c",
            "\U0001f4a9\U0001f469\u200d\U0001f4bb",
            "nul\x00byte",
            "\ud800lone",
            "\udfff",
            "e\u0301\u0301\u0301",
            "<script>alert(1)</script>",
            "../../etc/passwd",
            "&lt;&amp;&#x1F4A9;&bogus;",
            "\ufeff\ufffe\uffff",
        ]
    ),
    st.integers(min_value=1000, max_value=200_000).map(lambda n: "x" * n),
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    NASTY,
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into a JSON value (keys and indexes), the value's own path included."""
    out = [prefix]
    stack = [(value, prefix)]
    while stack:
        node, path = stack.pop()
        items = (
            node.items()
            if isinstance(node, dict)
            else enumerate(node)
            if isinstance(node, list)
            else ()
        )
        for k, child in items:
            out.append((*path, k))
            if len(out) > 4000:
                return out
            stack.append((child, (*path, k)))
    return out


def _mutate(data: Any, path: tuple[Any, ...], op: str, value: Any) -> Any:
    if not path:
        return value if op == "set" else data
    parent = data
    for key in path[:-1]:
        parent = parent[key]
    last = path[-1]
    if op == "delete":
        del parent[last]
    elif op == "set":
        parent[last] = value
    elif op == "duplicate" and isinstance(parent, list):
        parent.append(json.loads(json.dumps(parent[last])))
    elif op == "null":
        parent[last] = None
    return data


class Mutated(SnapshotReplay):
    """The sample snapshot, one response replaced."""

    def __init__(self, directory: Path, request_type: str, body: bytes, content_type: str) -> None:
        super().__init__(directory)
        self.target = request_type
        self.body = body
        self.ctype = content_type
        self.used = False

    def call(
        self, request_type: str, params: Mapping[str, Any], *, org_level: bool = False
    ) -> MendResponse:
        response = super().call(request_type, params, org_level=org_level)
        if request_type == self.target and not self.used:
            self.used = True
            return MendResponse(request_type=request_type, content_type=self.ctype, body=self.body)
        return response


def _fetch_or_clean_error(transport: SnapshotReplay, what: str) -> None:
    from sbomgen.sources.contract import REQUESTS

    try:
        inventory = Fetcher(transport, NullObserver()).fetch(FetchScope(org=True))
        enrich(inventory, default_enrichers())
    except SbomgenError as exc:
        message = str(exc)
        # names the request type: this one, or the one a mutated token led to
        assert what in message or any(rt in message for rt in REQUESTS), message


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_a_mutated_response_parses_or_fails_cleanly(data: st.DataObject) -> None:
    index = data.draw(st.sampled_from(JSON_ENTRIES), label="response")
    entry = MANIFEST["requests"][index]
    original = json.loads((SAMPLE_SNAPSHOT / entry["file"]).read_text(encoding="utf-8"))
    paths = _paths(original)
    path = data.draw(st.sampled_from(paths), label="path")
    op = data.draw(st.sampled_from(["delete", "set", "duplicate", "null"]), label="op")
    value = data.draw(VALUES, label="value") if op == "set" else None
    try:
        mutated = _mutate(original, path, op, value)
    except (KeyError, IndexError, TypeError):
        mutated = original
    ensure_ascii = data.draw(st.booleans(), label="ascii escapes")
    body = json.dumps(mutated, ensure_ascii=ensure_ascii).encode("utf-8", "surrogatepass")
    ctype = data.draw(
        st.sampled_from(["application/json", "text/plain", "text/html"]), label="type"
    )
    transport = Mutated(SAMPLE_SNAPSHOT, entry["requestType"], body, ctype)
    _fetch_or_clean_error(transport, entry["requestType"])


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_mangled_bytes_parse_or_fail_cleanly(data: st.DataObject) -> None:
    """Not JSON at all: cut, padded, bytes flipped, other encodings."""
    index = data.draw(st.sampled_from(range(len(MANIFEST["requests"]))), label="response")
    entry = MANIFEST["requests"][index]
    body = (SAMPLE_SNAPSHOT / entry["file"]).read_bytes()
    how = data.draw(st.sampled_from(["cut", "flip", "latin1", "prefix", "empty"]), label="how")
    if how == "cut":
        body = body[: data.draw(st.integers(0, max(0, len(body) - 1)))]
    elif how == "flip" and body:
        i = data.draw(st.integers(0, len(body) - 1))
        body = body[:i] + bytes([body[i] ^ 0xFF]) + body[i + 1 :]
    elif how == "latin1":
        body = body.decode("utf-8", "replace").encode("utf-16")
    elif how == "prefix":
        body = b"\xef\xbb\xbf<html>" + body
    else:
        body = b""
    transport = Mutated(
        SAMPLE_SNAPSHOT, entry["requestType"], body, entry.get("contentType", "application/json")
    )
    _fetch_or_clean_error(transport, entry["requestType"])


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_a_mutated_manifest_reads_or_fails_cleanly(
    tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    folder = tmp_path_factory.mktemp("snap")
    for path in SAMPLE_SNAPSHOT.iterdir():
        if path.name != "manifest.json":
            (folder / path.name).symlink_to(path)
    manifest = json.loads(json.dumps(MANIFEST))
    paths = _paths(manifest)[:2000]
    path = data.draw(st.sampled_from(paths), label="path")
    op = data.draw(st.sampled_from(["delete", "set", "duplicate", "null"]), label="op")
    value = data.draw(VALUES, label="value") if op == "set" else None
    with contextlib.suppress(KeyError, IndexError, TypeError):
        manifest = _mutate(manifest, path, op, value)
    text = json.dumps(manifest, ensure_ascii=data.draw(st.booleans()))
    (folder / "manifest.json").write_bytes(text.encode("utf-8", "surrogatepass"))
    try:
        transport = SnapshotReplay(folder)
    except SbomgenError as exc:
        assert "manifest.json" in str(exc)
        return
    try:
        Fetcher(transport, NullObserver()).fetch(FetchScope(org=True))
    except SbomgenError as exc:
        assert str(exc)


def _deep_hierarchy(levels: int) -> bytes:
    """A hierarchy nested ``levels`` deep, written without recursion."""
    head = '{"libraries": [' + '{"keyUuid": "k", "dependencies": [' * levels
    return (head + "]}" * levels + "]}").encode()


@pytest.mark.parametrize("levels", [150, 5_000, 100_000])
def test_a_very_deep_hierarchy_is_no_traceback(levels: int) -> None:
    transport = Mutated(
        SAMPLE_SNAPSHOT, "getProjectHierarchy", _deep_hierarchy(levels), "application/json"
    )
    try:
        inventory = Fetcher(transport, NullObserver()).fetch(FetchScope(org=True))
    except SbomgenError as exc:
        assert "getProjectHierarchy" in str(exc)
        assert levels > 150  # a reasonable depth parses
    else:
        assert levels == 150
        assert inventory.libraries


def test_a_cycle_and_duplicates_in_the_hierarchy_are_no_traceback(tmp_path: Path) -> None:
    entry = next(r for r in MANIFEST["requests"] if r["requestType"] == "getProjectHierarchy")
    data = json.loads((SAMPLE_SNAPSHOT / entry["file"]).read_text())
    first = data["libraries"][0]
    # the same keyUuid twice at the top, and a library that depends on itself
    data["libraries"].append(json.loads(json.dumps(first)))
    first.setdefault("dependencies", []).append({"keyUuid": first["keyUuid"]})
    transport = Mutated(
        SAMPLE_SNAPSHOT, "getProjectHierarchy", json.dumps(data).encode(), "application/json"
    )
    inventory = Fetcher(transport, NullObserver()).fetch(FetchScope(org=True))
    from sbomgen.emit.factory import make_emitters
    from sbomgen.emit.interface import DocumentMeta
    from sbomgen.pipeline import documents, timestamp

    enriched = enrich(inventory, default_enrichers())
    when, _ = timestamp()
    files = documents(
        enriched,
        make_emitters(["cyclonedx-json", "spdx-json"]),
        DocumentMeta(name="x", timestamp=when),
    )
    assert files


@settings(
    max_examples=max(10, EXAMPLES // 5), deadline=None, suppress_health_check=list(HealthCheck)
)
@given(data=st.data())
def test_a_mutated_response_goes_through_to_valid_documents_or_a_clean_error(
    data: st.DataObject,
) -> None:
    """Parsed is not the end: what a mutated answer carries (RTL text, emoji, NUL, huge
    strings, numbers for strings) must also render into documents that validate."""
    from sbomgen.emit.factory import make_emitters
    from sbomgen.emit.interface import DocumentMeta
    from sbomgen.pipeline import documents, timestamp

    index = data.draw(st.sampled_from(JSON_ENTRIES), label="response")
    entry = MANIFEST["requests"][index]
    original = json.loads((SAMPLE_SNAPSHOT / entry["file"]).read_text(encoding="utf-8"))
    path = data.draw(st.sampled_from(_paths(original)), label="path")
    value = data.draw(SCALARS, label="value")
    with contextlib.suppress(KeyError, IndexError, TypeError):
        original = _mutate(original, path, "set", value)
    body = json.dumps(original).encode("utf-8", "surrogatepass")
    transport = Mutated(SAMPLE_SNAPSHOT, entry["requestType"], body, "application/json")
    try:
        inventory = enrich(
            Fetcher(transport, NullObserver()).fetch(FetchScope(org=True)), default_enrichers()
        )
        when, _ = timestamp()
        emitters = make_emitters(
            ["cyclonedx-json", "cyclonedx-xml", "spdx-json", "attribution-html"]
        )
        files = documents(inventory, emitters, DocumentMeta(name="fuzz", timestamp=when))
    except SbomgenError as exc:
        assert str(exc)
    else:
        assert files
