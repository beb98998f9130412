"""SPDX 3 JSON-LD written element by element: the streaming path.

spdx-python-model stays the reference. Its objects for a document of 50,000 libraries take
more than a gigabyte, and the document is then held three more times: as the serializer's
data, as text, and as the validators' copies. Here the same builder
(:class:`sbomgen.emit.spdx3._Builder`, every decision in one place) makes plain objects
instead of the bindings' (:class:`_Bindings`), and each element is encoded, checked and
spooled to a temporary file as soon as it is made; only the ids are kept.

The document is written twice, because its namespace ends with a UUID derived from its
own content, written with a provisional namespace (as the library path derives it):

1. with the provisional namespace: each element's compact text goes to a spool; in the
   document's order (by id) they are hashed exactly as the library path hashes
   ``json.dumps(document, sort_keys=True, ensure_ascii=False)``;
2. with the final namespace: each element is checked, in batches, against the SPDX 3.0.1
   JSON schema (jsonschema-rs, the document's own schema: its ``@graph`` items are
   independent) and the SHACL certificate (:func:`sbomgen.emit.spdx3_shacl.
   conforms_elements`, the other elements' types known from the first pass), and its
   indented text goes to a second spool, from which the document is put together in
   order.

An element the checks do not pass sends the whole document through the reference check
(:func:`sbomgen.emit.validate.spdx3_problems`, with spdx3-validate's messages). It is
proven, not assumed: tests/emit/test_spdx3_fast.py writes the bundled sample and
generated organizations of several sizes both ways and requires equal bytes, and shows
over a corpus of broken documents that no document the reference rejects passes the
element checks.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import uuid
from array import array
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

from sbomgen.emit.jsontext import compact, pretty
from sbomgen.emit.spool import Spool
from sbomgen.emit.validate import SPDX3_CONTEXT

CREATION_ID = "_:CreationInfo0"  # the one CreationInfo, a blank node as the library names it
BATCH = 500  # elements checked at once


class _EveryElement:
    """An SBOM's or a document's ``element``: every element made before it, by id."""

    def __repr__(self) -> str:
        return "EVERY_ELEMENT"


EVERY_ELEMENT = _EveryElement()

# the enumerations the builder uses: a member is written as its name
_ENUMERATIONS = frozenset(
    {
        "ExternalIdentifierType",
        "ExternalRefType",
        "HashAlgorithm",
        "ProfileIdentifierType",
        "RelationshipCompleteness",
        "RelationshipType",
        "security_VexJustificationType",
        "software_SbomType",
        "software_SoftwarePurpose",
    }
)
# individuals: written as their term in the SPDX context
_INDIVIDUALS = {"expandedlicensing_IndividualLicensingInfo": "expandedlicensing_"}


class _Plain:
    """An object of an SPDX 3 class, its properties as attributes (``from_`` is ``from``)."""

    def __init__(self, kind: str, **properties: Any) -> None:
        self.__dict__.update(properties)
        self._kind = kind


class _Members:
    def __init__(self, prefix: str = "") -> None:
        self._prefix = prefix

    def __getattr__(self, name: str) -> str:
        if name.startswith("_"):
            raise AttributeError(name)
        return self._prefix + name


class _Bindings:
    """What the builder reads of spdx-python-model, as plain objects and names."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        if name in _ENUMERATIONS:
            return _Members()
        if name in _INDIVIDUALS:
            return _Members(_INDIVIDUALS[name])
        return functools.partial(_Plain, name)


def _datetime(value: datetime) -> str:
    """A time as spdx-python-model writes it (DateTimeProp: whole seconds, the offset in
    whole minutes, UTC as "Z")."""
    if value.utcoffset() is None:
        value = value.astimezone()
    offset = value.utcoffset()
    assert offset is not None
    seconds = offset % timedelta(minutes=-1 if offset.total_seconds() < 0 else 1)
    if seconds:
        value = value.replace(tzinfo=timezone(offset - seconds))
    offset = value.utcoffset()
    if offset is not None and offset.seconds == 0:
        value = value.astimezone(timezone.utc)
    value = value.replace(microsecond=0)
    if value.tzinfo == timezone.utc:
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    return value.isoformat()


def _value(value: Any) -> Any:
    if isinstance(value, _Plain):
        ref = value.__dict__.get("spdxId") or value.__dict__.get("_blank")
        return ref if ref is not None else _object(value)
    if isinstance(value, list):
        return [_value(v) for v in value]
    if isinstance(value, datetime):
        return _datetime(value)
    return value


def _object(obj: _Plain) -> dict[str, Any]:
    """The JSON-LD object of one element or nested object (as the library writes it: an
    unset or empty property left out, an element by its id)."""
    out: dict[str, Any] = {"type": obj._kind}
    for key, value in obj.__dict__.items():
        if key == "_blank":
            out["@id"] = value
        elif key.startswith("_") or value is None or value == []:
            continue
        elif value is EVERY_ELEMENT:
            out[key] = value  # listed by the writer, which knows the ids
        else:
            out["from" if key == "from_" else key] = _value(value)
    return out


class _Pass:
    """The sink of one pass: every element in the order the builder makes them. The first
    pass keeps their ids and classes; the second (``expected``: the first's) only checks
    that it makes the same ones."""

    def __init__(
        self, namespace: str, pretty: bool, expected: tuple[list[str], list[str]] | None
    ) -> None:
        self.namespace = namespace
        self.pretty = pretty
        self.repeat = expected is not None
        self.locals, self.kinds = expected if expected is not None else ([], [])
        self.made = 0
        self.spool = Spool(prefix="sbomgen-spdx3-")
        self.batch: list[dict[str, Any]] = []
        self.check: Any = None  # called with each batch of elements (the second pass)

    def every(self) -> list[str]:
        return [f"{self.namespace}#{local}" for local in sorted(self.locals[: self.made])]

    def __call__(self, obj: _Plain, local: str) -> None:
        n = self.made
        if self.repeat:
            if n >= len(self.locals) or self.locals[n] != local or self.kinds[n] != obj._kind:
                raise RuntimeError(f"the second pass made {local!r} out of turn")
        else:
            self.locals.append(local)
            self.kinds.append(obj._kind)
        data = _object(obj)
        listing = False
        for key, value in data.items():
            if value is EVERY_ELEMENT:
                data[key] = self.every()
                listing = True
        self.made += 1
        if listing:  # an element that lists every other: checked alone, then let go
            self.flush()
        self.add(data)
        if listing:
            self.flush()

    def add(self, data: dict[str, Any]) -> None:
        if self.pretty:  # as an item of the document's @graph, two levels in
            self.spool.add(("    " + pretty(data, "    ")).encode("utf-8"))
        else:
            self.spool.add(compact(data).encode("utf-8"))
        if self.check is not None:
            self.batch.append(data)
            if len(self.batch) >= BATCH:
                self.flush()

    def flush(self) -> None:
        if self.check is not None and self.batch:
            self.check(self.batch)
        self.batch = []


class ElementChecks:
    """The SPDX 3.0.1 JSON schema and the SHACL certificate, a batch of a document's
    top-level objects at a time; ``certified`` stays True while every object passes both.

    ``kind_of`` gives the ``type`` of every top-level object of the document by its id
    (``spdxId`` or ``@id``), None for an id no top-level object has; each id must be given
    once in the document (the writer makes sure). The schema's ``@graph`` items are
    checked one by one in the schema itself, and the certificate's parts are shown
    equivalent to the whole in :func:`sbomgen.emit.spdx3_shacl.conforms_elements`."""

    def __init__(self, kind_of: Callable[[str], str | None]) -> None:
        from sbomgen.emit.validate import _spdx3_json_schema

        # the classes the schema's AnyClass tries: an item valid as one of them is valid
        self.classes = frozenset(
            ref["$ref"].rsplit("/", 1)[-1]
            for ref in _spdx3_json_schema()["$defs"]["AnyClass"]["anyOf"]
        )
        self.kind_of = kind_of
        self.certified = True
        self.cache: dict[str, frozenset[str]] = {}
        self.schemas: dict[str, Any] = {}  # each class's validator, for this document

    def _schema(self, kind: str) -> Any:
        if kind not in self.schemas:
            self.schemas[kind] = _class_schema(kind)
        return self.schemas[kind]

    def _classes(self, kind: str | None) -> frozenset[str] | None:
        from sbomgen.emit.spdx3_shacl import class_iri

        if kind is None:
            return None
        if not isinstance(kind, str):  # read as fewer types than it has: never more lenient
            return frozenset()
        if kind not in self.cache:
            iri = class_iri(kind)
            self.cache[kind] = frozenset({iri}) if iri else frozenset()
        return self.cache[kind]

    def known(self, node: tuple[str, ...]) -> frozenset[str] | None:
        if node[0] == "I":
            return self._classes(self.kind_of(node[1]))
        if node[0] == "B":
            return self._classes(self.kind_of("_:" + node[1]))
        return None

    def __call__(self, batch: list[dict[str, Any]]) -> None:
        from sbomgen.emit.spdx3_shacl import conforms_elements

        if not self.certified:
            return
        by_kind: dict[str, list[dict[str, Any]]] = {}
        for item in batch:
            kind = item.get("type") if isinstance(item, dict) else None
            if not isinstance(kind, str) or kind not in self.classes:
                self.certified = False
                return
            by_kind.setdefault(kind, []).append(item)
        try:
            valid = all(self._schema(kind).is_valid(items) for kind, items in by_kind.items())
        except ValueError:  # jsonschema-rs: nested deeper than it reads
            valid = False
        self.certified = valid and conforms_elements(batch, self.known) is True


def _class_schema(kind: str) -> Any:
    """jsonschema-rs over a list of objects of one class of the SPDX 3.0.1 JSON schema, as
    the schema checks a ``@graph`` item (``unevaluatedProperties: false``). An item valid as
    its own class is valid as the schema's ``AnyClass`` (one of the classes it tries), so a
    document whose items all pass is valid; an item that does not pass sends the document
    to the whole schema. (Checked this way, not as ``AnyClass``: that tries every class for
    every item, two thirds of the writer's time; and faster than one validator choosing
    the class by ``if``/``then``. Each holds the whole schema, 2.3 MB: ElementChecks keeps
    them for one document only.)"""
    import jsonschema_rs

    from sbomgen.emit.validate import _spdx3_json_schema

    schema = _spdx3_json_schema()
    return jsonschema_rs.validator_for(
        {
            "$schema": schema["$schema"],
            "$defs": schema["$defs"],
            "type": "array",
            "items": {"type": "object", "$ref": f"#/$defs/{kind}", "unevaluatedProperties": False},
        },
        validate_formats=True,  # as the whole document is checked (emit/validate.py)
    )


def _graph(
    write: Callable[[bytes], object], spool: Spool, order: array[int], *, indented: bool
) -> None:
    """The document's text around its spooled elements, in ``order``: compact, as the
    library hashes it for the namespace (``json.dumps(..., sort_keys=True)``), or
    indented, as it is written."""
    context = json.dumps(SPDX3_CONTEXT)
    if indented:
        head, between, tail = (
            f'{{\n  "@context": {context},\n  "@graph": [\n',
            b",\n",
            b"\n  ]\n}\n",
        )
    else:
        head, between, tail = f'{{"@context": {context}, "@graph": [', b", ", b"]}"
    write(head.encode())
    for part in spool.in_order(order, between):
        write(part)
    write(tail)


class _KindOf:
    """The class of each element of the document by its id (the first pass's record)."""

    def __init__(self, namespace: str, locals_: list[str], kinds: list[str]) -> None:
        self.prefix = namespace + "#"
        self.index = {local: i for i, local in enumerate(locals_)}
        self.kinds = kinds

    def __call__(self, node_id: str) -> str | None:
        if node_id == CREATION_ID:
            return "CreationInfo"
        if not node_id.startswith(self.prefix):
            return None
        i = self.index.get(node_id[len(self.prefix) :])
        return self.kinds[i] if i is not None else None


def _namespace_stem(file_stem: str) -> str:
    from sbomgen.emit.spdx import _id_part

    return f"https://spdx.org/spdxdocs/sbomgen/{_id_part(file_stem)}-"


def write(plan: Any) -> tuple[bytes, bool] | None:
    """The document of ``plan`` as the library path writes it, and whether every element
    passed the checks (if not, the caller runs the reference check on the text). None when
    the plan gives two elements one id (the library path then decides)."""
    from sbomgen.emit.spdx import NAMESPACE, PROVISIONAL_UUID
    from sbomgen.emit.spdx3 import _Builder

    stem = _namespace_stem(plan.meta.file_stem)

    def run(sink: _Pass) -> None:
        builder = _Builder(plan, sink.namespace, bindings=_Bindings(), sink=sink)
        builder.creation._blank = CREATION_ID
        builder.build()
        creation = builder.creation
        sink.add(_object(creation))  # spooled last, written first
        sink.flush()
        # it and its creators refer to each other: a cycle the paused collector would keep
        creation.createdBy = creation.createdUsing = None

    first = _Pass(f"{stem}{PROVISIONAL_UUID}", pretty=False, expected=None)
    try:
        run(first)
        locals_, kinds = first.locals, first.kinds
        n = len(locals_)
        if len(set(locals_)) != n:
            return None
        # the document's order: the CreationInfo (spooled last; its id is empty in the
        # library's order), then the elements by id
        order = array("q", [n])
        order.extend(sorted(range(n), key=locals_.__getitem__))
        hasher = hashlib.sha256()
        _graph(hasher.update, first.spool, order, indented=False)
    finally:
        first.spool.close()
    del first
    namespace = f"{stem}{uuid.uuid5(NAMESPACE, 'spdx3:' + hasher.hexdigest())}"
    checks = ElementChecks(_KindOf(namespace, locals_, kinds))
    second = _Pass(namespace, pretty=True, expected=(locals_, kinds))
    second.check = checks
    try:
        run(second)
        if second.made != n:
            raise RuntimeError("the second pass made fewer elements than the first")
        certified = checks.certified
        # what only the passes needed goes before the text is put together
        del checks, locals_, kinds
        second.check = second.locals = second.kinds = None  # type: ignore[assignment]
        out = io.BytesIO()  # getvalue() hands over its buffer: the text is held once
        _graph(out.write, second.spool, order, indented=True)
    finally:
        second.spool.close()
    return out.getvalue(), certified
