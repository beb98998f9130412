"""Package URLs as the purl specification defines them: parse, build, canonical form.

This module knows the specification, not Mend (Mend's coordinates become components in
:mod:`sbomgen.enrich.purl`). It follows ``docs/specification/how-to-build.md`` and
``how-to-parse.md`` of package-url/purl-spec, and the machine-readable rules of the type
definitions (``data/purl-types.json``: required or prohibited namespaces, case-insensitive
components, permitted characters, required qualifiers), plus the few rules the definitions
state only in prose (PyPI's ``_`` → ``-``, CPAN's ``::``, MLflow on Databricks).

The canonical string percent-encodes every character except ASCII letters, digits,
``.-_~`` and ``:``, with upper-case hex digits (``libstdc%2B%2B``). packageurl-python writes
some of these differently (``%2b``, an unencoded ``/`` in qualifier values), so sbomgen
builds and canonicalizes purls here; the specification's own test suite
(``tests/data/purl-spec``) proves the result.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-_~:")
TYPE = re.compile(r"^[A-Za-z][A-Za-z0-9.-]*$")
# Types whose name is a path ("repository name with owner"): the namespace is the host.
_PATH_NAMES = frozenset({"git"})
KEY = re.compile(r"^[A-Za-z][A-Za-z0-9._-]*$")


class PurlError(ValueError):
    """Not a valid Package URL (or components that cannot make one)."""


@lru_cache(maxsize=1)
def type_rules() -> Mapping[str, Mapping[str, Any]]:
    text = resources.files("sbomgen.enrich").joinpath("data/purl-types.json").read_text("utf-8")
    rules: Mapping[str, Mapping[str, Any]] = json.loads(text)["types"]
    return rules


def quote(value: str) -> str:
    """Percent-encode as the specification's canonical form does (upper-case hex)."""
    return "".join(
        ch if ch in _SAFE else "".join(f"%{b:02X}" for b in ch.encode("utf-8")) for ch in value
    )


def unquote(value: str) -> str:
    """Percent-decode; a ``%`` that does not start a valid triplet is an error."""
    if "%" not in value:
        return value
    out = bytearray()
    i = 0
    raw = value.encode("utf-8")
    while i < len(raw):
        if raw[i] == 0x25:  # %
            triplet = raw[i + 1 : i + 3]
            if len(triplet) != 2 or not re.fullmatch(rb"[0-9A-Fa-f]{2}", triplet):
                raise PurlError(f"invalid percent-encoding in {value!r}")
            out.append(int(triplet, 16))
            i += 3
        else:
            out.append(raw[i])
            i += 1
    try:
        return out.decode("utf-8")
    except UnicodeDecodeError:
        raise PurlError(f"percent-encoding in {value!r} is not UTF-8") from None


@dataclass(frozen=True)
class Purl:
    """A Package URL in canonical form. Build with :func:`build`, read with :func:`parse`."""

    type: str
    namespace: str | None
    name: str
    version: str | None = None
    qualifiers: tuple[tuple[str, str], ...] = ()  # sorted by key
    subpath: str | None = None

    def __str__(self) -> str:
        out = f"pkg:{self.type}/"
        if self.namespace:
            out += "/".join(quote(s) for s in self.namespace.split("/")) + "/"
        out += (
            "/".join(quote(s) for s in self.name.split("/"))
            if self.type in _PATH_NAMES
            else quote(self.name)
        )
        if self.version:
            out += "@" + quote(self.version)
        if self.qualifiers:
            out += "?" + "&".join(f"{k}={quote(v)}" for k, v in self.qualifiers)
        if self.subpath:
            out += "#" + "/".join(quote(s) for s in self.subpath.split("/"))
        return out

    def qualifier(self, key: str) -> str | None:
        return dict(self.qualifiers).get(key)

    def components(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "namespace": self.namespace,
            "name": self.name,
            "version": self.version,
            "qualifiers": dict(self.qualifiers) or None,
            "subpath": self.subpath,
        }


def _segments(value: str | None, what: str, *, drop_dots: bool = False) -> list[str]:
    parts = [p for p in (value or "").strip("/").split("/") if p]
    if drop_dots:
        parts = [p for p in parts if p not in (".", "..")]
    return parts


def build(
    type: str | None,
    namespace: str | None,
    name: str | None,
    version: str | None = None,
    qualifiers: Mapping[str, str | None] | None = None,
    subpath: str | None = None,
) -> Purl:
    """Components (decoded) → a canonical :class:`Purl`, or :class:`PurlError` saying why not."""
    if not type:
        raise PurlError("a purl needs a type")
    if not TYPE.match(type):
        raise PurlError(f"type {type!r}: letters, digits, '.' and '-', starting with a letter")
    ptype = type.lower()
    rules = type_rules().get(ptype, {})
    ns_parts = _segments(namespace, "namespace")
    if rules.get("namespace_lower"):
        ns_parts = [p.lower() for p in ns_parts]
    if name is None or not name.strip("/"):
        raise PurlError("a purl needs a name")
    pname = name.strip("/")
    if rules.get("name_lower"):
        pname = pname.lower()
    quals: dict[str, str] = {}
    for key, value in (qualifiers or {}).items():
        if not key or not KEY.match(key):
            raise PurlError(
                f"qualifier key {key!r}: lowercase letters, digits, '.-_', a letter first"
            )
        if key.lower() in quals:
            raise PurlError(f"qualifier {key!r} appears twice")
        if value is None or value == "":
            continue
        quals[key.lower()] = str(value)
    pversion = version or None
    pname, ns_parts, pversion = _type_specific(ptype, pname, ns_parts, pversion, quals)
    if rules.get("version_lower") and pversion:
        pversion = pversion.lower()
    if rules.get("namespace") == "required" and not ns_parts:
        raise PurlError(f"a {ptype} purl needs a namespace")
    if rules.get("namespace") == "prohibited" and ns_parts:
        raise PurlError(f"a {ptype} purl has no namespace")
    if rules.get("name_pattern") and not re.search(rules["name_pattern"], pname):
        raise PurlError(f"{ptype} name {pname!r} does not match {rules['name_pattern']}")
    if (
        pversion
        and rules.get("version_pattern")
        and not re.search(rules["version_pattern"], pversion)
    ):
        raise PurlError(f"{ptype} version {pversion!r} does not match {rules['version_pattern']}")
    for key in rules.get("required_qualifiers", ()):
        if key not in quals:
            raise PurlError(f"a {ptype} purl needs the qualifier {key!r}")
    sub = "/".join(_segments(subpath, "subpath", drop_dots=True)) or None
    return Purl(
        type=ptype,
        namespace="/".join(ns_parts) or None,
        name=pname,
        version=pversion,
        qualifiers=tuple(sorted(quals.items())),
        subpath=sub,
    )


def _type_specific(
    ptype: str,
    name: str,
    namespace: list[str],
    version: str | None,
    qualifiers: Mapping[str, str],
) -> tuple[str, list[str], str | None]:
    """The rules type definitions state in prose only."""
    if ptype == "pypi":  # "lowercased and underscore _ replaced with a dash -"
        name = name.lower().replace("_", "-")
    elif ptype == "cpan" and "::" in name:  # a distribution name, not a module name
        raise PurlError(f"cpan name {name!r} is a module name ('::'); use the distribution name")
    elif ptype == "mlflow" and "databricks" in (qualifiers.get("repository_url") or "").lower():
        name = name.lower()  # "for Databricks, it is case insensitive and shall be lowercased"
    elif ptype == "git":
        # namespace = the host, name = the path on it; the suite lowercases both
        # ("git namespace and name should be lowercased"), the definition says case-sensitive
        path = [*namespace, *name.split("/")]
        namespace, name = [p.lower() for p in path[:1]], "/".join(path[1:]).lower()
        if not name:
            raise PurlError("a git purl needs the repository path after the host")
    return name, namespace, version


def parse(text: str, *, strict: bool = True) -> Purl:
    """A purl string → its canonical :class:`Purl` (how-to-parse.md, right to left).

    ``strict`` refuses qualifier keys that are not lowercase (the suite's "parse" cases);
    :func:`canonical` lowercases them (its "validate" round trips)."""
    if not isinstance(text, str) or not text.strip():
        raise PurlError("empty purl")
    remainder = text.strip()
    remainder, hashed, raw_subpath = remainder.partition("#")
    subpath = None
    if hashed:
        segs = [unquote(s) for s in raw_subpath.split("/")]
        segs = [s for s in segs if s and s not in (".", "..")]
        if any("/" in s for s in segs):
            raise PurlError("a subpath segment contains '/'")
        subpath = "/".join(segs) or None
    remainder, questioned, raw_qualifiers = remainder.partition("?")
    qualifiers: dict[str, str] = {}
    if questioned:
        for pair in raw_qualifiers.split("&"):
            if not pair:
                continue
            key, eq, value = pair.partition("=")
            if not eq:
                raise PurlError(f"qualifier {pair!r} has no '='")
            if strict and not key[:1].islower():
                # The suite refuses "Platform=java" and "Arch=i386" in its required parse
                # cases but lowercases "repositorY_url" in another: a key must start with
                # a lowercase letter; the rest is lowercased.
                raise PurlError(f"qualifier key {key!r} does not start with a lowercase letter")
            key = key.lower()
            if not KEY.match(key):
                raise PurlError(f"qualifier key {key!r} is not valid")
            if key in qualifiers:
                raise PurlError(f"qualifier {key!r} appears twice")
            value = unquote(value)
            if value:
                qualifiers[key] = value
    scheme, colon, remainder = remainder.partition(":")
    if not colon or scheme.lower() != "pkg":
        raise PurlError(f"{text!r} does not start with 'pkg:'")
    remainder = remainder.lstrip("/")
    ptype, slash, remainder = remainder.partition("/")
    if not slash or not ptype:
        raise PurlError(f"{text!r} has no type and name")
    if not TYPE.match(ptype):
        raise PurlError(f"type {ptype!r} is not valid")
    at = remainder.rfind("@")
    version = None
    if at > remainder.rfind("/"):  # an '@' in the name's segment (not an npm scope's)
        version = unquote(remainder[at + 1 :]) or None
        remainder = remainder[:at]
        if remainder.endswith("/"):
            raise PurlError(f"{text!r} has an empty name before its version")
    remainder = remainder.rstrip("/")
    head, _, raw_name = remainder.rpartition("/")
    name = unquote(raw_name)
    if not name:
        raise PurlError(f"{text!r} has no name")
    namespace = [unquote(s) for s in head.split("/") if s]
    if any("/" in s for s in namespace):
        raise PurlError("a namespace segment contains '/'")
    return build(ptype, "/".join(namespace) or None, name, version, qualifiers, subpath)


def canonical(text: str) -> str:
    """The canonical form of a purl string (raises :class:`PurlError` if it is not one)."""
    return str(parse(text, strict=False))
