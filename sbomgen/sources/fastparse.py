"""The three largest answers of a product, read without building their JSON first.

A product's ``getProductLicenses``, ``getProjectHierarchy`` (one per project) and
``getProductLibraryLocations`` answers are most of what a large fetch reads. Here they are
decoded by msgspec straight into typed records (the JSON's types checked in C, no dict per
library), and turned into the same model records :mod:`sbomgen.sources.parse` makes.

:mod:`~sbomgen.sources.parse` stays the reference and the one place that explains what
is wrong. This path only takes an answer it reads exactly as the reference does, and says
``None`` for any other; the caller then parses it the reference's way, which gives the
record, the warning or the error. It says ``None`` when

- the body is not an object with the answer's list (invalid JSON, an error body, another
  shape), or a value has another JSON type than the usual one (a number where text is
  usual: the reference reads it as text);
- the body may hold a character no XML document can carry (the reference drops it with a
  warning): any ``\\u`` escape of a control character, a surrogate or U+FFFE/U+FFFF, a
  ``\\b`` or ``\\f`` escape, a DEL or U+FFFE/U+FFFF byte sequence;
- a value the reference requires is missing or empty (it names it in its error);
- the body nests 100 levels deep (json.loads's limit is near 990, msgspec's a little
  further; a tree of about 48 levels of dependencies), or holds an integer longer than
  Python converts (4,300 digits by default: json.loads refuses it).

``tests/sources/test_fastparse.py`` proves it on the sample, generated organizations and
generated and broken answers: every answer taken here gives the reference's records, and
no answer the reference (or ``json.loads``) rejects is taken here.
"""

from __future__ import annotations

import html
import re
import sys
from collections.abc import Iterator
from typing import Any

import msgspec

from sbomgen.model import (
    NO_REFERENCES,
    Copyright,
    Edge,
    KeyUuid,
    Library,
    LicenseReference,
    Location,
    MendLicense,
    Occurrence,
    ProductToken,
    ProjectToken,
    References,
)
from sbomgen.sources.parse import (
    _NOT_XML,
    Ctx,
    TreeMemo,
    TreeNode,
    _occurrence,
    decode_entities,
)

# an escape that may stand for a character parse._NOT_XML removes (conservative: "\\u0009"
# or an escaped backslash before "b" also send the answer the reference's way); the bytes
# of DEL and of U+FFFE/U+FFFF are looked for on their own (bytes.find is much faster)
_ESCAPE = re.compile(rb"\\(?:u(?:00[01]|007[fF]|[dD][89a-fA-F]|[fF][fF][fF][eEfF])|[bf])")
_RAW_NOT_XML = (b"\x7f", b"\xef\xbf\xbe", b"\xef\xbf\xbf")
_NUMERIC_ENTITY = re.compile(rb"&#(?:[0-9]{1,7}|[xX][0-9a-fA-F]{1,6});")
_DECLINED = (msgspec.MsgspecError, ValueError, RecursionError)
# The body's brackets outside its texts, openers as "(" and closers as ")"; removing every
# "()" once takes one level of nesting off, so a body still nested after DEEP rounds is
# nested that deep. json.loads gives up at about 990 levels and msgspec a few levels
# later: a body nested 100 deep is left to the reference (which reads it, or says it nests
# too deep). A tree is so read up to about 48 levels of dependencies.
_BRACKETS = bytes.maketrans(b"[{]}", b"(())")
_NOT_STRUCTURE = bytes(sorted(set(range(256)) - set(b'"[]{}')))
DEEP = 100
# every digit as "0", every other byte as "x": a run of digits is a run of "0"
_DIGITS = bytes(ord("0") if chr(b).isdigit() and b < 128 else ord("x") for b in range(256))


def _int_digits() -> int:
    """Python's limit on the digits of an integer it converts (0: none)."""
    limit = getattr(sys, "get_int_max_str_digits", None)
    return int(limit()) if limit is not None else 0


def _nesting(body: bytes) -> bytes:
    """The body's brackets outside its texts (found by review: a "]" inside a text closed
    a real "[" when texts were not left out), as "(" and ")". For valid JSON, which is all
    msgspec reads: escaped backslashes and quotes gone, every quote left opens or closes a
    text."""
    if b"\\" in body:
        body = body.replace(b"\\\\", b"").replace(b'\\"', b"")
    kept = body.translate(None, _NOT_STRUCTURE)
    # a text without brackets is '""' here; when no quote is left without them, no text
    # held a bracket (each run of quotes has two a text, and one more where a text with
    # brackets begins or ends): what is left is the structure. (Counted rather than
    # replaced: every quote in a '""' means removing the pairs removes every quote.)
    if kept.count(b'""') * 2 == kept.count(b'"'):
        bare = kept.translate(None, b'"')
    else:
        bare = b"".join(kept.split(b'"')[::2])
    return bare.translate(_BRACKETS)


def _left_to_the_reference(body: bytes) -> bool:
    """Whether the body may hold what parse.py reads otherwise than this module: a
    character it removes with a warning, nesting near json.loads's limit, or an integer
    longer than Python converts (json.loads refuses it; msgspec reads or skips it)."""
    if b"\x7f" in body or (not body.isascii() and any(raw in body for raw in _RAW_NOT_XML)):
        return True
    if b"\\" in body and _ESCAPE.search(body):
        return True
    # "&" first: bytes.find looks for one byte with memchr, for two much more slowly
    if (
        b"&" in body
        and b"&#" in body
        and any(
            _NOT_XML.search(html.unescape(m.decode("ascii")))
            for m in set(_NUMERIC_ENTITY.findall(body))
        )
    ):
        return True  # an entity parse.decode_entities drops with a warning ("&#12;")
    nesting = _nesting(body)
    for _ in range(DEEP):
        if b"()" not in nesting:
            break
        nesting = nesting.replace(b"()", b"")
    else:
        return True
    digits = _int_digits()
    return bool(digits) and b"0" * (digits + 1) in body.translate(_DIGITS)


Text = str | None


class _Refs(msgspec.Struct, frozen=True):
    url: Text = None
    issueUrl: Text = None
    scmUrl: Text = None
    pomUrl: Text = None
    downloadLink: Text = None


class _LicenseRef(msgspec.Struct, frozen=True):
    referenceType: Text = None
    reference: Text = None


class _License(msgspec.Struct, frozen=True):
    name: Text = None
    spdxName: Text = None
    url: Text = None
    references: tuple[_LicenseRef, ...] | None = None


class _Copyright(msgspec.Struct, frozen=True):
    copyright: Text = None
    author: Text = None
    startYear: Text = None
    endYear: Text = None


class _Project(msgspec.Struct, frozen=True):
    projectToken: Text = None


class _Library(msgspec.Struct, frozen=True):
    """What a library of the licenses answer and a node of a tree both have."""

    keyUuid: Text = None
    keyId: int | None = None
    name: Text = None
    groupId: Text = None
    artifactId: Text = None
    version: Text = None
    sha1: Text = None
    filename: Text = None
    description: Text = None
    references: _Refs | None = None
    type: Text = None
    licenses: tuple[_License | str, ...] | None = None


class _Node(_Library, frozen=True):
    """A node of a project's tree; its fields but ``dependencies`` are its record."""

    coordinates: Text = None
    dependencies: tuple[_Node, ...] | None = None  # last: the record is the fields before


if _Node.__struct_fields__[-1] != "dependencies":  # tree() keys its memo on the others
    raise AssertionError("_Node.dependencies must be its last field")


class _Licensed(_Library, frozen=True):
    """A library of a get*Licenses answer."""

    languages: Text = None
    copyrightReferences: tuple[_Copyright, ...] | None = None
    projects: tuple[_Project, ...] | None = None


class _Located(msgspec.Struct):
    keyUuid: Text = None
    locations: list[_Location] | None = None


class _Location(msgspec.Struct):
    path: Text = None
    matchType: Text = None
    dependencyFile: Text = None


# The answers. ``errorCode`` is read only to see whether it is there (the client raises
# Mend's error for a body that has it).
class LicensesAnswer(msgspec.Struct):
    libraries: list[_Licensed]
    errorCode: Any = msgspec.UNSET


class HierarchyAnswer(msgspec.Struct):
    libraries: tuple[_Node, ...]
    errorCode: Any = msgspec.UNSET


class LocationsAnswer(msgspec.Struct):
    libraryLocations: list[_Located]
    errorCode: Any = msgspec.UNSET


Answer = LicensesAnswer | HierarchyAnswer | LocationsAnswer
ANSWERS = (LicensesAnswer, HierarchyAnswer, LocationsAnswer)

_DECODERS: dict[str, msgspec.json.Decoder[Any]] = {
    "getProductLicenses": msgspec.json.Decoder(LicensesAnswer),
    "getProjectHierarchy": msgspec.json.Decoder(HierarchyAnswer),
    "getProductLibraryLocations": msgspec.json.Decoder(LocationsAnswer),
}
READS = frozenset(_DECODERS)  # the request types read here


def decode(request_type: str, body: bytes) -> Answer | None:
    """The answer as typed records, or None when it is not one this path reads (then
    ``json.loads`` and :mod:`~sbomgen.sources.parse` judge it)."""
    decoder = _DECODERS.get(request_type)
    if decoder is None or _left_to_the_reference(body):
        return None
    try:
        if not body.isascii():
            # msgspec skips what it does not read (a field sbomgen does not use) without
            # checking its UTF-8; json.loads refuses a body that is not UTF-8 at all
            body.decode("utf-8")
        answer: Answer = decoder.decode(body)
    except _DECLINED:
        return None
    return None if answer.errorCode is not msgspec.UNSET else answer


def _t(value: str | None) -> str | None:
    """A free text, as parse._text_at reads it."""
    return decode_entities(value) if value else None


def _references(refs: _Refs | None) -> References:
    if refs is None:
        return NO_REFERENCES
    if not (refs.url or refs.issueUrl or refs.scmUrl or refs.pomUrl or refs.downloadLink):
        return NO_REFERENCES  # parse reads {} so, and {"url": ""} as a record equal to it
    return References(
        homepage=refs.url or None,
        issue_tracker=refs.issueUrl or None,
        scm=refs.scmUrl or None,
        pom=refs.pomUrl or None,
        download=refs.downloadLink or None,
    )


class _Declined(Exception):
    """A value the reference requires is missing: it says so, not this path."""


def _licenses(items: tuple[_License | str, ...] | None) -> tuple[MendLicense, ...]:
    if not items:
        return ()
    out = []
    for lic in items:
        if type(lic) is str:
            if lic:
                out.append(MendLicense(name=lic))
            continue
        assert isinstance(lic, _License)
        if not lic.name:
            raise _Declined
        refs: tuple[LicenseReference, ...] = ()
        if lic.references:
            refs = tuple(
                LicenseReference(reference_type=r.referenceType or "", reference=r.reference)
                for r in lic.references
                if r.reference
            )
        out.append(
            MendLicense(
                name=lic.name, spdx_name=lic.spdxName or None, url=lic.url or None, references=refs
            )
        )
    return tuple(out)


def _copyrights(items: tuple[_Copyright, ...] | None) -> tuple[Copyright, ...]:
    if not items:
        return ()
    out = []
    for c in items:
        if not c.copyright:
            continue
        text = decode_entities(c.copyright)
        if not text:
            continue
        out.append(
            Copyright(
                text=text.strip(),
                author=_t(c.author),
                start_year=c.startYear or None,
                end_year=c.endYear or None,
            )
        )
    return tuple(out)


def _core(item: _Library) -> dict[str, Any]:
    """parse._library_core of a typed record (without its provenance)."""
    if not item.keyUuid:
        raise _Declined
    return {
        "key_uuid": KeyUuid(item.keyUuid),
        "key_id": item.keyId,
        "name": _t(item.name),
        "group_id": item.groupId or None,
        "artifact_id": item.artifactId or None,
        "version": item.version or None,
        "sha1": item.sha1 or None,
        "filename": item.filename or None,
        "description": _t(item.description),
        "references": _references(item.references),
    }


def licenses(
    ctx: Ctx, answer: Answer | None, product_of: dict[str, ProductToken | None]
) -> tuple[list[Library], bool] | None:
    """parse.parse_licenses of a product's answer (and whether a library in it names no
    projects), or None."""
    if not isinstance(answer, LicensesAnswer) or ctx.project is not None:
        return None
    provenance = (ctx.provenance,)
    out = []
    no_projects = False
    try:
        for item in answer.libraries:
            occurrences = []
            if item.projects is None:
                no_projects = True
            else:
                for project in item.projects:
                    token = project.projectToken
                    if not token:
                        raise _Declined
                    if token in product_of:
                        occurrences.append(
                            _occurrence(product_of[token], ProjectToken(token), None)
                        )
            out.append(
                Library(
                    **_core(item),
                    provenance=provenance,
                    language_type=item.type or item.languages or None,
                    licenses=_licenses(item.licenses),
                    copyrights=_copyrights(item.copyrightReferences),
                    occurrences=tuple(occurrences),
                )
            )
    except _Declined:
        return None
    return out, no_projects


def tree(
    ctx: Ctx, answer: Answer | None, memo: TreeMemo
) -> tuple[list[TreeNode], list[Edge]] | None:
    """parse.parse_tree of a project's tree, or None. ``memo`` is the one the reference
    parser is given: this path's keys (typed records) are not its keys (field dicts)."""
    if not isinstance(answer, HierarchyAnswer) or ctx.project is None:
        return None
    nodes: list[TreeNode] = []
    edges: list[Edge] = []
    product, project = ctx.product, ctx.project
    direct = _occurrence(product, project, True)
    transitive = _occurrence(product, project, False)
    # depth-first, in document order: each level's remaining items, its parent, and what
    # its nodes' occurrence is
    stack: list[tuple[Iterator[_Node], KeyUuid | None, Occurrence]] = [
        (iter(answer.libraries), None, direct)
    ]
    astuple = msgspec.structs.astuple
    try:
        while stack:
            items, parent, occurrence = stack[-1]
            for item in items:
                content = (_Node, astuple(item)[:-1])
                lib = memo.get(content)
                if lib is None:
                    lib = Library(
                        **_core(item),
                        type=item.type or None,
                        coordinates=item.coordinates or None,
                        licenses=_licenses(item.licenses),
                    )
                    memo[content] = lib
                key = lib.key_uuid
                nodes.append((lib, occurrence))
                edges.append(Edge(parent=parent, child=key))
                if item.dependencies:  # its dependencies next, then its next sibling
                    stack.append((iter(item.dependencies), key, transitive))
                    break
            else:
                stack.pop()
    except _Declined:
        return None
    return nodes, edges


def locations(ctx: Ctx, answer: Answer | None) -> list[Library] | None:
    """parse.parse_locations of a product's answer, or None."""
    if not isinstance(answer, LocationsAnswer):
        return None
    provenance = (ctx.provenance,)
    out = []
    for item in answer.libraryLocations:
        if not item.keyUuid:
            return None
        found: tuple[Location, ...] = ()
        if item.locations:
            found = tuple(
                Location(
                    path=loc.path,
                    match_type=loc.matchType or None,
                    dependency_file=loc.dependencyFile or None,
                )
                for loc in item.locations
                if loc.path
            )
        out.append(Library(key_uuid=KeyUuid(item.keyUuid), locations=found, provenance=provenance))
    return out
