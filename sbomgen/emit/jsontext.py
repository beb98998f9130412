"""JSON text as the json module writes it, written a part at a time.

``json.dumps(value, indent=2)`` runs the json module's pure-Python encoder, whose nested
closures refer to each other: one reference cycle per call, which the paused cycle
collector (sbomgen._gc) keeps until the process ends; and a whole document's text is one
string, then one more copy as bytes. :func:`pretty` writes the same text from C's string
encoder without a cycle; :func:`compact_digest` and :func:`write_pretty` take a large
document one top-level item at a time, so that its text is never held whole besides
the bytes written.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import IO, Any

compact = json.JSONEncoder(sort_keys=True, ensure_ascii=False).encode  # the C encoder
_string = json.encoder.encode_basestring  # a JSON string, UTF-8 as is (the C function)


def pretty(value: Any, pad: str = "", sort_keys: bool = True) -> str:
    """``json.dumps(value, indent=2, sort_keys=sort_keys, ensure_ascii=False)``, its
    lines after the first indented by ``pad``."""
    if isinstance(value, str):
        return _string(value)
    inner = pad + "  "
    if isinstance(value, dict):
        if not value:
            return "{}"
        keys = sorted(value) if sort_keys else value
        items = [f"{inner}{_key(k)}: {pretty(value[k], inner, sort_keys)}" for k in keys]
        return "{\n" + ",\n".join(items) + f"\n{pad}}}"
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        return "[\n" + ",\n".join(inner + pretty(v, inner, sort_keys) for v in value) + f"\n{pad}]"
    return compact(value)  # numbers, true, false, null


def _key(key: Any) -> str:
    if not isinstance(key, str):
        raise TypeError(f"a key that is not text: {key!r}")
    return _string(key)


def compact_digest(data: Mapping[str, Any]) -> str:
    """The SHA-256 of ``json.dumps(data, sort_keys=True, ensure_ascii=False)`` in UTF-8,
    hashed a top-level value (a list: an item) at a time."""
    hasher = hashlib.sha256(b"{")
    for i, key in enumerate(sorted(data)):
        hasher.update(f"{', ' if i else ''}{_key(key)}: ".encode())
        value = data[key]
        if isinstance(value, list) and value:
            hasher.update(b"[")
            for j, item in enumerate(value):
                hasher.update((", " if j else "").encode() + compact(item).encode("utf-8"))
            hasher.update(b"]")
        else:
            hasher.update(compact(value).encode("utf-8"))
    hasher.update(b"}")
    return hasher.hexdigest()


def write_pretty(data: Mapping[str, Any], out: IO[bytes]) -> None:
    """``json.dumps(data, indent=2, ensure_ascii=False) + "\\n"`` (keys in their order) in
    UTF-8 into ``out``, a top-level value (a list: an item) at a time."""
    if not data:
        out.write(b"{}\n")
        return
    out.write(b"{\n")
    for i, (key, value) in enumerate(data.items()):
        out.write(f"{',' if i else ''}{chr(10) if i else ''}  {_key(key)}: ".encode())
        if isinstance(value, list) and value:
            out.write(b"[\n")
            for j, item in enumerate(value):
                text = ("," + "\n" if j else "") + "    " + pretty(item, "    ", sort_keys=False)
                out.write(text.encode("utf-8"))
            out.write(b"\n  ]")
        else:
            out.write(pretty(value, "  ", sort_keys=False).encode("utf-8"))
    out.write(b"\n}\n")
