"""Release gates: a license and vulnerability policy, judged exactly, on any SBOM.

The policy is a TOML file (docs/policy.md): ``[licenses]`` allow, warn and deny lists of
SPDX ids and of license categories, ``[vulnerabilities]`` a threshold by CVSS severity or
score, and ``[[exceptions]]`` per library (by purl, versions allowed) with a reason and an
expiry date. :func:`load_policy` reads and checks it; every mistake is reported with the
file, the line and the key (:class:`PolicyError`, exit 2).

:func:`judge` applies it to components and vulnerabilities. Nothing here does I/O but
reading the policy file, and every result is a frozen dataclass.

License expressions are parsed with license-expression's SPDX licensing:

* ``A OR B`` passes when one branch passes; the branch chosen is one of the best verdict
  (pass, then warn), of those the one with the fewest licenses, then the first in
  alphabetical order (not the order written: formats reorder an OR); the result says
  which it was;
* ``A AND B`` needs every part;
* ``X WITH E`` is matched whole first (an allow-list entry may be ``GPL-2.0-only WITH
  Classpath-exception-2.0`` while ``GPL-2.0-only`` is denied), then as ``X``;
* ``X+`` is ``X-or-later`` (license-expression reads GPL-2.0+ as GPL-2.0-or-later); by
  default it is an id of its own (allowing GPL-2.0-only does not allow
  GPL-2.0-or-later); with ``or-later = "choice"`` it is read as a choice that includes X.

Categories come from the ScanCode license index that license-expression ships
(``data/scancode-licensedb-index.json``, a ``category`` per license key), mapped to the
policy's names by :data:`SCANCODE_CATEGORIES`; the network copyleft licenses, which
ScanCode does not single out, are the documented table :data:`NETWORK_COPYLEFT`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from sbomgen.errors import SbomgenError

if TYPE_CHECKING:
    from sbomgen.sources.documents import DocView

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

Verdict = Literal["pass", "warn", "fail"]
VERDICTS: tuple[Verdict, ...] = ("pass", "warn", "fail")
_RANK: dict[str, int] = {"pass": 0, "warn": 1, "fail": 2}

POLICY_RULES = ("license", "vulnerability")

# ScanCode's categories -> the policy's (a license has one of these, and public-domain
# licenses are also permissive)
SCANCODE_CATEGORIES: Mapping[str, str] = {
    "Permissive": "permissive",
    "Public Domain": "public-domain",
    "Copyleft Limited": "weak-copyleft",
    "Copyleft": "strong-copyleft",
    "Commercial": "proprietary",
    "Proprietary Free": "proprietary",
    "Source-available": "proprietary",
    "Free Restricted": "proprietary",
    "Patent License": "other",
    "CLA": "other",
    "Unstated License": "unknown",
}
# ScanCode's own names for the categories the policy's merge, usable in the lists too
FINE_CATEGORIES: Mapping[str, str] = {
    "Commercial": "commercial",
    "Proprietary Free": "proprietary-free",
    "Source-available": "source-available",
    "Free Restricted": "free-restricted",
    "Patent License": "patent-license",
    "CLA": "cla",
}
# Licenses whose text makes use over a network (or "external deployment") an occasion to
# offer the source: network copyleft, whatever ScanCode's category (docs/policy.md).
NETWORK_COPYLEFT: frozenset[str] = frozenset(
    s.casefold()
    for s in (
        "AGPL-1.0",
        "AGPL-1.0-only",
        "AGPL-1.0-or-later",
        "AGPL-3.0",
        "AGPL-3.0-only",
        "AGPL-3.0-or-later",
        "SSPL-1.0",
        "OSL-2.0",
        "OSL-2.1",
        "OSL-3.0",
        "RPL-1.1",
        "RPL-1.5",
        "CPAL-1.0",
        "EUPL-1.1",
        "EUPL-1.2",
        "Parity-6.0.0",
        "Parity-7.0.0",
    )
)
CATEGORIES: tuple[str, ...] = (
    "permissive",
    "public-domain",
    "weak-copyleft",
    "strong-copyleft",
    "network-copyleft",
    "proprietary",
    "other",
    "unknown",
    *FINE_CATEGORIES.values(),
)
SEVERITIES: tuple[str, ...] = ("none", "low", "medium", "high", "critical")
# CVSS v3/v4 qualitative bands
SEVERITY_BANDS: Mapping[str, tuple[float, float]] = {
    "none": (0.0, 0.0),
    "low": (0.1, 3.9),
    "medium": (4.0, 6.9),
    "high": (7.0, 8.9),
    "critical": (9.0, 10.0),
}
VEX_NOT_FAILING = ("not_affected", "false_positive", "resolved")
VEX_STATES = (*VEX_NOT_FAILING, "exploitable", "in_triage")

NOASSERTION = "NOASSERTION"
_LICENSEREF = re.compile(r"(?:DocumentRef-[A-Za-z0-9.-]+:)?LicenseRef-[A-Za-z0-9.+-]+")
_SUSPECTED = re.compile(r"^\s*suspected\s+", re.IGNORECASE)


class PolicyError(SbomgenError):
    """The policy file cannot be used (exit 2, like any input ``check`` cannot use)."""

    exit_code = 2


# -- the policy ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LicenseEntry:
    """One entry of a license list: a license id, or ``X WITH E`` whole."""

    text: str  # as canonical as the licensing knows it
    key: str  # casefolded, for matching
    line: int | None = None


@dataclass(frozen=True)
class LicenseRules:
    allow: tuple[LicenseEntry, ...] = ()
    warn: tuple[LicenseEntry, ...] = ()
    deny: tuple[LicenseEntry, ...] = ()
    allow_categories: tuple[str, ...] = ()
    warn_categories: tuple[str, ...] = ()
    deny_categories: tuple[str, ...] = ()
    noassertion: Verdict = "fail"
    suspected: Literal["count", "warn", "fail", "ignore"] = "count"
    licenseref: Literal["category", "unknown"] = "category"
    or_later: Literal["exact", "choice"] = "exact"

    @property
    def has_allow_list(self) -> bool:
        return bool(self.allow or self.allow_categories)


@dataclass(frozen=True)
class VulnerabilityRules:
    severity: str | None = None  # fail at this severity or above
    score: float | None = None  # fail at this CVSS score or above
    in_triage: Verdict = "warn"
    unknown_severity: Verdict = "fail"

    def describe(self) -> str:
        parts = []
        if self.severity is not None:
            parts.append(f"severity {self.severity} or above")
        if self.score is not None:
            parts.append(f"CVSS score {self.score:g} or above")
        return " or ".join(parts)


@dataclass(frozen=True)
class PolicyException:
    """``[[exceptions]]``: a library whose listed licenses or vulnerabilities pass."""

    purl: str  # as written
    match: tuple[str, str | None, str]  # (type, namespace, name), canonical
    version: str | None  # an exact version (from the purl), or None
    versions: str | None  # a range (the ``versions`` key), or None
    licenses: tuple[str, ...]  # casefolded keys; "*" for any
    vulnerabilities: tuple[str, ...]  # casefolded ids; "*" for any
    reason: str
    expires: dt.date
    line: int | None = None

    def active(self, today: dt.date) -> bool:
        """It applies up to the day before ``expires``; on that day it has expired."""
        return today < self.expires

    def describe(self) -> str:
        where = f" (policy line {self.line})" if self.line else ""
        what = self.purl + (f" versions {self.versions}" if self.versions else "")
        return f"exception for {what}{where}"


@dataclass(frozen=True)
class Policy:
    path: str
    licenses: LicenseRules | None
    vulnerabilities: VulnerabilityRules | None
    exceptions: tuple[PolicyException, ...] = ()

    @property
    def rules(self) -> tuple[str, ...]:
        return tuple(
            rule
            for rule, present in (
                ("license", self.licenses is not None),
                ("vulnerability", self.vulnerabilities is not None),
            )
            if present
        )


# -- reading the policy file ---------------------------------------------------------------


class _Lines:
    """Where a key of the policy file is, for the messages (tomllib keeps no positions)."""

    _TABLE = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\"' -]+?)\s*\]\]?\s*(?:#.*)?$")
    _KEY = re.compile(r"""^\s*(?:"([^"]+)"|'([^']+)'|([A-Za-z0-9_-]+))\s*=""")

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        # (table, index of an array table or None) -> first line of that table
        self.tables: dict[tuple[str, int | None], int] = {}
        self.keys: dict[tuple[str, int | None, str], int] = {}
        table, index = "", None
        counts: dict[str, int] = {}
        for number, line in enumerate(self.lines, 1):
            m = self._TABLE.match(line)
            if m and not line.strip().startswith("#"):
                table = m.group(2).replace('"', "").replace("'", "").strip()
                if m.group(1) == "[[":
                    index = counts.get(table, 0)
                    counts[table] = index + 1
                else:
                    index = None
                self.tables.setdefault((table, index), number)
                continue
            k = self._KEY.match(line)
            if k:
                key = k.group(1) or k.group(2) or k.group(3)
                self.keys.setdefault((table, index, key), number)

    def of(self, table: str, key: str | None = None, index: int | None = None) -> int | None:
        if key is not None and (table, index, key) in self.keys:
            return self.keys[(table, index, key)]
        if key is not None and not table:  # a table named at the top: its header
            found = self.tables.get((key, None)) or self.tables.get((key, 0))
            if found is not None:
                return found
        return self.tables.get((table, index))

    def of_item(self, table: str, key: str, item: str, index: int | None = None) -> int | None:
        """The line of one string in a (possibly multi-line) array."""
        start = self.of(table, key, index)
        if start is None:
            return None
        for number in range(start, len(self.lines) + 1):
            text = self.lines[number - 1]
            if number > start and (self._KEY.match(text) or self._TABLE.match(text)):
                break
            if f'"{item}"' in text or f"'{item}'" in text:
                return number
        return start


class _Reader:
    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = _Lines(text)

    def error(
        self,
        message: str,
        table: str,
        key: str | None = None,
        index: int | None = None,
        *,
        item: str | None = None,
    ) -> PolicyError:
        line = (
            self.lines.of_item(table, key, item, index)
            if key is not None and item is not None
            else self.lines.of(table, key, index)
        )
        where = f"{self.path}:{line}" if line else str(self.path)
        name = table + (f"[{index}]" if index is not None else "")
        if key is not None:
            name = f"{name}.{key}" if name else key
        return PolicyError(f"{where}: {name}: {message}")

    def line(self, table: str, key: str | None = None, index: int | None = None) -> int | None:
        return self.lines.of(table, key, index)


def _choice(
    r: _Reader,
    table: str,
    data: Mapping[str, Any],
    key: str,
    choices: Sequence[str],
    default: str,
    index: int | None = None,
) -> str:
    value = data.get(key, default)
    if not isinstance(value, str) or value.casefold() not in choices:
        raise r.error(f"should be one of {', '.join(choices)}, not {value!r}", table, key, index)
    return value.casefold()


def _strings(
    r: _Reader, table: str, data: Mapping[str, Any], key: str, index: int | None = None
) -> list[str]:
    value = data.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise r.error("should be a list of strings", table, key, index)
    return [v.strip() for v in value]


def _unknown_keys(
    r: _Reader, table: str, data: Mapping[str, Any], known: Iterable[str], index: int | None = None
) -> None:
    known = tuple(known)
    for key in data:
        if key not in known:
            raise r.error(f"unknown key (expected one of {', '.join(known)})", table, key, index)


def load_policy(path: Path) -> Policy:
    """Read and check a policy file. Raises :class:`PolicyError` naming the file, the line
    and the key of the first mistake."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PolicyError(f"{path}: cannot read the policy: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PolicyError(f"{path}: the policy is not UTF-8 text ({exc.reason})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        m = re.search(r"\(at line (\d+), column (\d+)\)", message)
        if m:
            message = message[: m.start()].strip()
            raise PolicyError(f"{path}:{m.group(1)}: not valid TOML: {message}") from None
        if "(at end of document)" in message:
            last = max(len(text.splitlines()), 1)
            message = message.replace("(at end of document)", "").strip()
            raise PolicyError(
                f"{path}:{last}: not valid TOML: {message} (at the end of the file)"
            ) from None
        raise PolicyError(f"{path}: not valid TOML: {message}") from None
    return policy_from_toml(path, text, data)


def policy_from_toml(path: Path, text: str, data: Mapping[str, Any]) -> Policy:
    r = _Reader(path, text)
    _unknown_keys(r, "", data, ("licenses", "vulnerabilities", "exceptions"))
    licenses = None
    if "licenses" in data:
        if not isinstance(data["licenses"], dict):
            raise r.error("should be a table ([licenses])", "", "licenses")
        licenses = _license_rules(r, data["licenses"])
    vulnerabilities = None
    if "vulnerabilities" in data:
        if not isinstance(data["vulnerabilities"], dict):
            raise r.error("should be a table ([vulnerabilities])", "", "vulnerabilities")
        vulnerabilities = _vulnerability_rules(r, data["vulnerabilities"])
    if licenses is None and vulnerabilities is None:
        raise PolicyError(
            f"{path}: the policy has no rules: give a [licenses] or a [vulnerabilities] table"
        )
    exceptions: list[PolicyException] = []
    raw_exceptions = data.get("exceptions", [])
    if not isinstance(raw_exceptions, list):
        raise r.error("should be an array of tables ([[exceptions]])", "", "exceptions")
    for index, entry in enumerate(raw_exceptions):
        if not isinstance(entry, dict):
            raise r.error("should be a table", "exceptions", None, index)
        exceptions.append(_exception(r, entry, index))
    return Policy(str(path), licenses, vulnerabilities, tuple(exceptions))


def _license_rules(r: _Reader, data: Mapping[str, Any]) -> LicenseRules:
    t = "licenses"
    lists = ("allow", "warn", "deny")
    cat_lists = ("allow-categories", "warn-categories", "deny-categories")
    options = ("noassertion", "suspected", "licenseref", "or-later")
    _unknown_keys(r, t, data, (*lists, *cat_lists, *options))
    entries: dict[str, tuple[LicenseEntry, ...]] = {}
    seen: dict[str, str] = {}
    for key in lists:
        out = []
        for item in _strings(r, t, data, key):
            try:
                entry = parse_entry(item)
            except ValueError as exc:
                raise r.error(str(exc), t, key, item=item) from None
            if entry.key in seen and seen[entry.key] != key:
                raise r.error(
                    f"{item!r} is also in licenses.{seen[entry.key]}: one list per license",
                    t,
                    key,
                    item=item,
                )
            seen[entry.key] = key
            out.append(LicenseEntry(entry.text, entry.key, r.lines.of_item(t, key, item)))
        entries[key] = tuple(out)
    cats: dict[str, tuple[str, ...]] = {}
    seen_cat: dict[str, str] = {}
    for key in cat_lists:
        out_cats = []
        for item in _strings(r, t, data, key):
            name = item.casefold()
            if name not in CATEGORIES:
                raise r.error(
                    f"unknown category {item!r} (expected one of {', '.join(CATEGORIES)})",
                    t,
                    key,
                    item=item,
                )
            if name in seen_cat and seen_cat[name] != key:
                raise r.error(
                    f"{item!r} is also in licenses.{seen_cat[name]}: one list per category",
                    t,
                    key,
                    item=item,
                )
            seen_cat[name] = key
            out_cats.append(name)
        cats[key] = tuple(out_cats)
    return LicenseRules(
        allow=entries["allow"],
        warn=entries["warn"],
        deny=entries["deny"],
        allow_categories=cats["allow-categories"],
        warn_categories=cats["warn-categories"],
        deny_categories=cats["deny-categories"],
        noassertion=_choice(r, t, data, "noassertion", VERDICTS, "fail"),  # type: ignore[arg-type]
        suspected=_choice(r, t, data, "suspected", ("count", "warn", "fail", "ignore"), "count"),  # type: ignore[arg-type]
        licenseref=_choice(r, t, data, "licenseref", ("category", "unknown"), "category"),  # type: ignore[arg-type]
        or_later=_choice(r, t, data, "or-later", ("exact", "choice"), "exact"),  # type: ignore[arg-type]
    )


def _vulnerability_rules(r: _Reader, data: Mapping[str, Any]) -> VulnerabilityRules:
    t = "vulnerabilities"
    _unknown_keys(r, t, data, ("severity", "score", "in-triage", "unknown-severity"))
    severity = None
    if "severity" in data:
        severity = _choice(r, t, data, "severity", SEVERITIES, "")
    score = None
    if "score" in data:
        value = data["score"]
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise r.error(f"should be a number from 0 to 10, not {value!r}", t, "score")
        if not 0 <= value <= 10:
            raise r.error(f"should be from 0 to 10, not {value!r}", t, "score")
        score = float(value)
    if severity is None and score is None:
        raise r.error('give a threshold: severity = "high" or score = 7.0', "", t)
    return VulnerabilityRules(
        severity=severity,
        score=score,
        in_triage=_choice(r, t, data, "in-triage", VERDICTS, "warn"),  # type: ignore[arg-type]
        unknown_severity=_choice(r, t, data, "unknown-severity", VERDICTS, "fail"),  # type: ignore[arg-type]
    )


def _exception(r: _Reader, data: Mapping[str, Any], index: int) -> PolicyException:
    from sbomgen.enrich.purl_spec import PurlError
    from sbomgen.enrich.purl_spec import parse as parse_purl

    t = "exceptions"
    _unknown_keys(
        r, t, data, ("purl", "versions", "licenses", "vulnerabilities", "reason", "expires"), index
    )
    purl = data.get("purl")
    if not isinstance(purl, str) or not purl.strip():
        raise r.error("required: the library's purl (pkg:type/namespace/name)", t, "purl", index)
    try:
        parsed = parse_purl(purl, strict=False)
    except PurlError as exc:
        raise r.error(f"not a purl: {exc}", t, "purl", index) from None
    versions = data.get("versions")
    if versions is not None:
        if not isinstance(versions, str) or not versions.strip():
            raise r.error('should be a version range such as ">=1.0, <2.0"', t, "versions", index)
        if parsed.version:
            raise r.error(
                "give either a version in the purl or a versions range, not both",
                t,
                "versions",
                index,
            )
        try:
            version_range(versions, parsed.type)
        except ValueError as exc:
            raise r.error(str(exc), t, "versions", index) from None
    licenses: list[str] = []
    for item in _strings(r, t, data, "licenses", index):
        if item == "*":
            licenses.append("*")
            continue
        try:
            licenses.append(parse_entry(item, noassertion=True, names=True).key)
        except ValueError as exc:
            raise r.error(str(exc), t, "licenses", index, item=item) from None
    vulnerabilities = [v.casefold() for v in _strings(r, t, data, "vulnerabilities", index)]
    reason = data.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise r.error("required: why the exception is granted", t, "reason", index)
    expires = data.get("expires")
    if isinstance(expires, str):
        try:
            expires = dt.date.fromisoformat(expires.strip())
        except ValueError:
            raise r.error(
                f"should be a date (YYYY-MM-DD), not {expires!r}", t, "expires", index
            ) from None
    if isinstance(expires, dt.datetime):
        expires = expires.date()
    if not isinstance(expires, dt.date):
        raise r.error(
            "required: the date the exception expires (expires = 2026-12-31)", t, "expires", index
        )
    if not licenses and not vulnerabilities:
        raise r.error(
            'says what it excepts: licenses = [...] and/or vulnerabilities = [...] ("*" for any)',
            t,
            None,
            index,
        )
    return PolicyException(
        purl=purl.strip(),
        match=(parsed.type, parsed.namespace, parsed.name),
        version=parsed.version,
        versions=versions.strip() if isinstance(versions, str) else None,
        licenses=tuple(licenses),
        vulnerabilities=tuple(vulnerabilities),
        reason=" ".join(reason.split()),
        expires=expires,
        line=r.line(t, None, index),
    )


# -- version ranges ------------------------------------------------------------------------


_COMPARATOR = re.compile(r"^(>=|<=|!=|==|=|>|<)?\s*([^\s<>=!,|]+)$")


def version_range(text: str, purl_type: str) -> Callable[[str], bool]:
    """A test for versions. Either the purl spec's VERS (``vers:npm/>=1.0.0|<2.0.0``, read
    by univers), or comparisons that must all hold, separated by commas (``>=1.0, <2.0``;
    ``1.2.3`` is ``=1.2.3``; ``*`` is any version), compared in the purl type's version
    scheme as ``sbomgen diff`` orders versions (univers, else a natural ordering). Raises
    ValueError for a range that cannot be read."""
    spec = text.strip()
    if spec.startswith("vers:"):
        from univers.version_range import VersionRange

        try:
            parsed = VersionRange.from_string(spec)  # type: ignore[no-untyped-call]
        except Exception as exc:
            raise ValueError(f"not a VERS version range: {exc}") from None
        version_class = parsed.version_class

        def in_vers(version: str) -> bool:
            try:
                return bool(version_class(version) in parsed)
            except Exception:
                return False

        return in_vers
    from sbomgen.gates.diff import compare_versions

    if spec == "*":
        return lambda version: True
    tests: list[tuple[str, str]] = []
    for part in spec.split(","):
        m = _COMPARATOR.match(part.strip())
        if not m:
            raise ValueError(
                f"cannot read {part.strip()!r}: write comparisons such as '>=1.0, <2.0' "
                "(or a vers: range)"
            )
        bound = m.group(2)
        if bound.startswith(("^", "~")) or "*" in bound or bound.lower().endswith(".x"):
            # npm's and Cargo's shorthands: taken as an exact version, they would match
            # nothing (or not what was meant)
            raise ValueError(
                f"cannot read {part.strip()!r}: '^', '~' and wildcards are not read; write "
                "comparisons such as '>=1.2, <2.0' (or a vers: range)"
            )
        tests.append((m.group(1) or "=", bound))
    wanted = {
        ">=": (0, 1),
        "<=": (-1, 0),
        ">": (1,),
        "<": (-1,),
        "=": (0,),
        "==": (0,),
        "!=": (-1, 1),
    }

    def in_range(version: str) -> bool:
        return all(
            compare_versions(purl_type, version, bound)[0] in wanted[op] for op, bound in tests
        )

    return in_range


# -- license expressions -------------------------------------------------------------------


@lru_cache(maxsize=1)
def _licensing() -> Any:
    from license_expression import get_spdx_licensing

    return get_spdx_licensing()


@lru_cache(maxsize=1)
def _scancode() -> Mapping[str, tuple[str, str]]:
    """casefolded SPDX id (ScanCode's own and the other ids it lists) -> (key, category)."""
    from importlib import resources

    raw = (
        resources.files("license_expression")
        .joinpath("data/scancode-licensedb-index.json")
        .read_bytes()
    )
    index: dict[str, tuple[str, str]] = {}
    others: dict[str, tuple[str, str]] = {}
    for entry in json.loads(raw):
        if entry.get("is_exception"):
            continue
        value = (str(entry["license_key"]), str(entry.get("category") or "Unstated License"))
        if entry.get("spdx_license_key"):
            index.setdefault(str(entry["spdx_license_key"]).casefold(), value)
        for other in entry.get("other_spdx_license_keys") or []:
            others.setdefault(str(other).casefold(), value)
    for key, value in others.items():
        index.setdefault(key, value)
    return index


@dataclass(frozen=True)
class Category:
    """What a license is, for the category lists."""

    name: str  # the policy's category
    names: frozenset[str]  # every name a category list may match it by
    scancode_key: str | None = None
    scancode_category: str | None = None
    why: str = ""


def category_of(license_id: str, *, licenseref: str = "category") -> Category:
    """The category of one license id (no expression): the ScanCode index's, mapped;
    network copyleft from :data:`NETWORK_COPYLEFT`; else unknown."""
    folded = license_id.casefold()
    base = folded[:-1] if folded.endswith("+") else folded
    is_ref = bool(_LICENSEREF.fullmatch(license_id))
    if is_ref and licenseref == "unknown":
        return Category(
            "unknown", frozenset({"unknown"}), why='a LicenseRef- (licenses.licenseref = "unknown")'
        )
    found = _scancode().get(folded) or _scancode().get(base)
    if base in NETWORK_COPYLEFT or (found and found[0].startswith("agpl-") and not is_ref):
        return Category(
            "network-copyleft",
            frozenset({"network-copyleft"}),
            found[0] if found else None,
            found[1] if found else None,
            "network copyleft (sbomgen's table)",
        )
    if found is None:
        why = (
            "a LicenseRef- that ScanCode's index does not know"
            if is_ref
            else "an id that ScanCode's index does not know"
        )
        return Category("unknown", frozenset({"unknown"}), why=why)
    key, scancode = found
    name = SCANCODE_CATEGORIES.get(scancode, "unknown")
    names = {name}
    if name == "public-domain":
        names.add("permissive")
    if scancode in FINE_CATEGORIES:
        names.add(FINE_CATEGORIES[scancode])
    return Category(name, frozenset(names), key, scancode, f"ScanCode: {scancode}")


@dataclass(frozen=True)
class _Leaf:
    text: str  # shown: the canonical id, or the name as written
    key: str  # casefolded match key ("gpl-2.0-only with classpath-exception-2.0")
    kind: Literal["license", "noassertion", "unknown", "family"]
    license_id: str = ""  # the license part (without WITH)
    exception_id: str | None = None
    read_as: str | None = None  # the name this leaf was read from, when it was a name
    suspected: bool = False
    or_later_of: str | None = None  # X-only, for an X-or-later / X+ license
    why: str = ""
    candidates: tuple[str, ...] = ()  # a family (a classifier): the licenses it may be


@dataclass(frozen=True)
class _Op:
    op: Literal["AND", "OR"]
    args: tuple[_Node, ...]


_Node = _Leaf | _Op


def _shield(text: str) -> tuple[str, dict[str, str]]:
    """LicenseRef- ids hidden from license-expression, which reads some as aliases of
    listed licenses (LicenseRef-Apache as Apache-2.0): a LicenseRef- is what it says."""
    refs: dict[str, str] = {}

    def swap(m: re.Match[str]) -> str:
        stand_in = f"LicenseRef-sbomgencheck{len(refs):05d}"
        refs[stand_in.casefold()] = m.group(0)
        return stand_in

    return _LICENSEREF.sub(swap, text), refs


def _or_later_base(key: str) -> str | None:
    """GPL-2.0-or-later -> GPL-2.0-only, Apache-1.0+ -> Apache-1.0 (when that is listed)."""
    known = _licensing().known_symbols
    if key.endswith("-or-later"):
        stem = key[: -len("-or-later")]
        for candidate in (f"{stem}-only", stem):
            symbol = known.get(candidate)
            if symbol is not None and not symbol.is_exception:
                return str(symbol.key)
    if key.endswith("+"):
        symbol = known.get(key[:-1])
        if symbol is not None and not symbol.is_exception:
            return str(symbol.key)
    return None


def _license_part(key: str, refs: Mapping[str, str]) -> tuple[str, str, str | None]:
    """(shown id, kind, reason) of the license side of a symbol."""
    if key.casefold() in refs:
        return refs[key.casefold()], "license", None
    upper = key.upper()
    if upper in ("NOASSERTION", "NONE"):
        return upper, "noassertion", None
    known = _licensing().known_symbols
    symbol = known.get(key)
    if symbol is not None and not symbol.is_exception:
        return str(symbol.key), "license", None
    if key.endswith("+") and _or_later_base(key) is not None:
        return key, "license", None
    return key, "unknown", "not an SPDX license id"


def _to_node(expr: Any, refs: Mapping[str, str], *, suspected: bool, read_as: str | None) -> _Node:
    from license_expression import LicenseSymbol, LicenseWithExceptionSymbol

    licensing = _licensing()
    if isinstance(expr, (licensing.AND, licensing.OR)):
        op: Literal["AND", "OR"] = "AND" if isinstance(expr, licensing.AND) else "OR"
        return _Op(
            op, tuple(_to_node(a, refs, suspected=suspected, read_as=read_as) for a in expr.args)
        )
    if isinstance(expr, LicenseWithExceptionSymbol):
        lic, kind, why = _license_part(str(expr.license_symbol.key), refs)
        exc = str(expr.exception_symbol.key)
        exc_symbol = licensing.known_symbols.get(exc)
        if exc_symbol is not None and exc_symbol.is_exception:
            exc = str(exc_symbol.key)
        elif kind == "license":
            kind, why = "unknown", f"{exc} is not an SPDX license exception"
        text = f"{lic} WITH {exc}"
        return _Leaf(
            text,
            text.casefold(),
            "unknown" if kind == "noassertion" else kind,  # type: ignore[arg-type]
            lic,
            exc,
            read_as,
            suspected,
            _or_later_base(lic),
            why or "",
        )
    if isinstance(expr, LicenseSymbol):
        raw = str(expr.key)
        lic, kind, why = _license_part(raw, refs)
        if kind == "unknown" and read_as is None:
            named = _by_name(raw, suspected=suspected)
            if named is not None:
                return named
        return _Leaf(
            lic,
            # NONE and NOASSERTION (and a missing license) are one key: an exception
            # listing either covers them all
            "noassertion" if kind == "noassertion" else lic.casefold(),
            kind,  # type: ignore[arg-type]
            lic,
            None,
            read_as,
            suspected,
            _or_later_base(lic) if kind == "license" else None,
            why or "",
        )
    raise ValueError(f"unexpected part of a license expression: {expr!r}")


def _by_name(name: str, *, suspected: bool) -> _Node | None:
    """A license name: a Python license classifier (sbomgen.gates.classifiers), or a name
    in sbomgen's table of Mend's license names ("Apache License 2.0")."""
    from sbomgen.enrich.mend_licenses import lookup
    from sbomgen.gates.classifiers import classifier_licenses

    ids = classifier_licenses(name)
    if ids == ():
        return _Leaf(
            name,
            name.casefold(),
            "unknown",
            name,
            suspected=suspected,
            why="a license classifier that names no license",
        )
    if ids is not None and len(ids) == 1:
        return _parse(ids[0], suspected=suspected, read_as=name)
    if ids is not None:
        return _Leaf(
            name,
            name.casefold(),
            "family",
            name,
            read_as=None,
            suspected=suspected,
            why="a license classifier naming a family: " + ", ".join(ids),
            candidates=ids,
        )
    found, alias = lookup(name)
    if not found or alias is None:
        return None
    return _parse(alias, suspected=suspected, read_as=name)


def _split_top(text: str, op: str) -> list[str]:
    """``text`` split at each `` op `` outside parentheses (SPDX operators are upper case)."""
    parts: list[str] = []
    depth = 0
    start = 0
    i = 0
    token = f" {op} "
    while i < len(text):
        ch = text[i]
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(depth - 1, 0)
        elif depth == 0 and text.startswith(token, i):
            parts.append(text[start:i])
            i += len(token)
            start = i
            continue
        i += 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def _loose(text: str, *, suspected: bool, read_as: str | None) -> _Node | None:
    """An expression license-expression cannot parse because license names stand in it
    (``MPL-2.0 AND License :: OSI Approved :: Mozilla Public License 2.0 (MPL 2.0)``): split
    at its top-level OR, then AND, and each part read on its own."""
    for op in ("OR", "AND"):
        parts = _split_top(text, op)
        if len(parts) > 1:
            return _Op(
                op,
                tuple(_parse(p, suspected=suspected, read_as=read_as) for p in parts),
            )
    if _wrapped(text):
        return _parse(text[1:-1], suspected=suspected, read_as=read_as)
    return None


def _wrapped(text: str) -> bool:
    """Whether one pair of parentheses encloses all of ``text``."""
    if not (text.startswith("(") and text.endswith(")")):
        return False
    depth = 0
    for i, ch in enumerate(text):
        depth += 1 if ch == "(" else -1 if ch == ")" else 0
        if depth == 0 and i < len(text) - 1:
            return False
    return depth == 0


def _parse(text: str, *, suspected: bool = False, read_as: str | None = None) -> _Node:
    from sbomgen.enrich.mend_licenses import DEPRECATED_COMPOUND

    stripped = text.strip()
    if not stripped:
        return _Leaf("NOASSERTION", "noassertion", "noassertion", "NOASSERTION")
    if _SUSPECTED.match(stripped):
        return _parse(_SUSPECTED.sub("", stripped), suspected=True, read_as=read_as)
    names = read_as is None  # names are read in documents, never in a policy
    if names and "::" in stripped:
        from sbomgen.gates.classifiers import classifier_licenses

        if classifier_licenses(stripped) is not None:
            named = _by_name(stripped, suspected=suspected)
            if named is not None:
                return named
    shielded, refs = _shield(stripped)

    def deprecated(m: re.Match[str]) -> str:
        repl = DEPRECATED_COMPOUND.get(m.group(0).casefold())
        return f"({repl})" if repl else m.group(0)

    shielded = re.sub(r"[A-Za-z0-9.+-]+", deprecated, shielded)
    try:
        if len(shielded) > 4000:
            raise ValueError("too long")
        parsed = _licensing().parse(shielded, validate=False, strict=True)
        if parsed is None:
            raise ValueError("empty")
    except Exception:
        if names:
            loose = _loose(stripped, suspected=suspected, read_as=read_as)
            if loose is not None:
                return _restate(loose)
            named = _by_name(stripped, suspected=suspected)
            if named is not None:
                return named
        return _Leaf(
            stripped,
            stripped.casefold(),
            "unknown",
            stripped,
            read_as=read_as,
            suspected=suspected,
            why="not an SPDX license expression",
        )
    return _restate(_to_node(parsed, refs, suspected=suspected, read_as=read_as))


def _restate(node: _Node) -> _Node:
    """In an AND, a classifier naming a family that includes a license stated beside it is
    read as a restatement of that license (cyclonedx-py writes ``Apache-2.0`` and
    ``License :: OSI Approved :: Apache Software License`` for one license); then the
    same license twice is kept once."""
    if isinstance(node, _Leaf):
        return node
    args = [_restate(a) for a in node.args]
    if node.op == "AND":
        stated = {
            a.key: a
            for a in args
            if isinstance(a, _Leaf) and a.kind == "license" and not a.exception_id
        }
        restated: list[_Node] = []
        for a in args:
            if isinstance(a, _Leaf) and a.kind == "family":
                same = next(
                    (stated[c.casefold()] for c in a.candidates if c.casefold() in stated), None
                )
                if same is not None:
                    a = replace(same, read_as=a.text)
            restated.append(a)
        args = []
        seen: set[str] = set()
        for a in restated:
            key = a.key if isinstance(a, _Leaf) else ""
            if key and key in seen:
                continue
            if key:
                seen.add(key)
            args.append(a)
    if len(args) == 1:
        return args[0]
    return _Op(node.op, tuple(args))


@lru_cache(maxsize=8192)
def parse_expression(text: str) -> _Node:
    """A license string as written in an SBOM, as a tree of AND/OR over leaves."""
    return _parse(text)


def parse_entry(text: str, *, noassertion: bool = False, names: bool = False) -> LicenseEntry:
    """A policy list entry: one license id (LicenseRef- included) or ``X WITH E``; raises
    ValueError, saying why, for anything else. With ``names`` (an exception's list), a
    license name as an SBOM writes it ("Apache Software License") is taken as written."""
    if not text:
        raise ValueError("an empty license id")
    if noassertion and text.strip().upper() in ("NOASSERTION", "NONE"):
        return LicenseEntry("NOASSERTION", "noassertion")
    node = _parse(text, read_as="")  # read_as="": no name lookup in a policy
    if isinstance(node, _Op):
        raise ValueError(
            f"{text!r} is an expression: list its licenses one by one (an entry is one "
            "license id, or 'X WITH exception')"
        )
    if node.kind == "noassertion":
        raise ValueError(
            f"{text!r} is no license: set licenses.noassertion (or list it in an exception)"
        )
    if node.kind == "unknown":
        if names:
            return LicenseEntry(text.strip(), text.strip().casefold())
        raise ValueError(
            f"{text!r} is not an SPDX license id, 'X WITH exception' or LicenseRef-: {node.why}"
        )
    return LicenseEntry(node.text, node.key)


# -- judging -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Subject:
    """A component to judge."""

    ref: str
    name: str
    version: str | None = None
    purl: str | None = None
    license: str | None = None  # the expression to judge; None: the document states none
    declared: str | None = None  # the declared license, for suspected = "ignore"
    suspected: bool = False  # the license is only concluded (suspected), not declared

    @property
    def label(self) -> str:
        return f"{self.name} {self.version}" if self.version else self.name


@dataclass(frozen=True)
class VulnerabilityFact:
    id: str
    ref: str
    score: float | None = None
    severity: str | None = None
    state: str | None = None
    justification: str | None = None


@dataclass(frozen=True)
class CheckInput:
    """One SBOM (or a scope or snapshot) to judge."""

    name: str
    standard: str
    version: str
    fmt: str
    subjects: tuple[Subject, ...]
    vulnerabilities: tuple[VulnerabilityFact, ...] = ()


@dataclass(frozen=True)
class LeafJudgement:
    license: str  # the id, or `X WITH E`, or the name as written
    verdict: Verdict
    rule: str  # the policy key that decided, e.g. licenses.deny, exceptions[0]
    detail: str
    category: str | None = None  # the policy's category, None for NOASSERTION
    scancode: str | None = None  # ScanCode's category
    read_as: str | None = None  # the name it was read from
    exception: str | None = None  # the policy exception that made it pass, described

    def describe(self) -> str:
        shown = f"{self.license} (read from {self.read_as!r})" if self.read_as else self.license
        return f"{shown}: {self.detail}"


@dataclass(frozen=True)
class Choice:
    """An OR: which branch was chosen, and why each other one was not."""

    expression: str
    chosen: str | None
    rejected: tuple[tuple[str, str], ...]  # (branch, why not)


@dataclass(frozen=True)
class LicenseOutcome:
    verdict: Verdict
    expression: str  # as judged (NOASSERTION when none)
    chosen: str | None  # what satisfies the policy, when a choice was made; else None
    leaves: tuple[LeafJudgement, ...]  # the judgements behind the verdict
    choices: tuple[Choice, ...] = ()
    reason: str = ""
    exception: str | None = None  # the exception applied, described
    categories: tuple[str, ...] = ()  # of every license in the expression


@dataclass(frozen=True)
class VulnerabilityOutcome:
    id: str
    verdict: Verdict
    reason: str
    severity: str | None
    score: float | None
    state: str | None
    justification: str | None
    exception: str | None = None


@dataclass(frozen=True)
class ComponentResult:
    subject: Subject
    license: LicenseOutcome | None  # None: the policy has no [licenses]
    vulnerabilities: tuple[VulnerabilityOutcome, ...] = ()
    vulnerabilities_checked: bool = False

    @property
    def verdict(self) -> Verdict:
        return _worst(
            [
                *([self.license.verdict] if self.license else []),
                *(v.verdict for v in self.vulnerabilities),
            ]
        )

    def rule_verdict(self, rule: str) -> Verdict:
        if rule == "license":
            return self.license.verdict if self.license else "pass"
        return _worst([v.verdict for v in self.vulnerabilities])


@dataclass(frozen=True)
class Finding:
    """A violation (fail) or a warning (warn) of one component and rule."""

    input: str
    ref: str
    component: str
    purl: str | None
    rule: str  # license | vulnerability
    verdict: Verdict
    message: str
    expression: str | None = None
    chosen: str | None = None
    categories: tuple[str, ...] = ()
    vulnerability: str | None = None
    severity: str | None = None
    score: float | None = None
    state: str | None = None


@dataclass(frozen=True)
class PolicyNote:
    """Something about the policy itself: an exception that matched nothing, or expired."""

    kind: Literal["unused-exception", "expired-exception"]
    line: int | None
    message: str


@dataclass(frozen=True)
class InputResult:
    input: CheckInput
    components: tuple[ComponentResult, ...]


@dataclass(frozen=True)
class CheckResult:
    policy: Policy
    date: dt.date
    inputs: tuple[InputResult, ...]
    notes: tuple[PolicyNote, ...] = ()
    findings: tuple[Finding, ...] = field(default=())

    @property
    def violations(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.verdict == "fail")

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.verdict == "warn")

    @property
    def passed(self) -> bool:
        return not self.violations

    def counts(self) -> dict[str, int]:
        every = [c for i in self.inputs for c in i.components]
        return {
            "components": len(every),
            "passed": sum(1 for c in every if c.verdict == "pass"),
            "warned": sum(1 for c in every if c.verdict == "warn"),
            "failed": sum(1 for c in every if c.verdict == "fail"),
            "violations": len(self.violations),
            "warnings": len(self.warnings),
        }


def _worst(verdicts: Iterable[str]) -> Verdict:
    worst: Verdict = "pass"
    for v in verdicts:
        if _RANK[v] > _RANK[worst]:
            worst = v  # type: ignore[assignment]
    return worst


class _Exceptions:
    """The policy's exceptions that match one component, and which of them were used."""

    def __init__(self, policy: Policy, subject: Subject, today: dt.date, used: set[int]) -> None:
        self.today = today
        self.used = used
        self.matching: list[tuple[int, PolicyException]] = []
        if not subject.purl or not policy.exceptions:
            return
        from sbomgen.enrich.purl_spec import PurlError
        from sbomgen.enrich.purl_spec import parse as parse_purl

        try:
            purl = parse_purl(subject.purl, strict=False)
        except PurlError:
            return
        version = purl.version or subject.version
        for number, exc in enumerate(policy.exceptions):
            if exc.match != (purl.type, purl.namespace, purl.name):
                continue
            if exc.version is not None and exc.version != version:
                continue
            if exc.versions is not None and (
                version is None or not _in_range(exc.versions, purl.type, version)
            ):
                continue
            self.matching.append((number, exc))

    def cover(
        self, kind: Literal["licenses", "vulnerabilities"], key: str
    ) -> tuple[int, PolicyException] | None:
        for number, exc in self.matching:
            listed = exc.licenses if kind == "licenses" else exc.vulnerabilities
            if "*" in listed or key.casefold() in listed:
                return number, exc
        return None

    def apply(
        self, kind: Literal["licenses", "vulnerabilities"], key: str, verdict: Verdict, detail: str
    ) -> tuple[Verdict, str, str | None, str | None]:
        """(verdict, detail, rule, exception described) once the exceptions are applied to
        a verdict that is not a pass; the exception counts as used."""
        verdict, detail, rule, text, number = self.consider(kind, key, verdict, detail)
        if number is not None:
            self.used.add(number)
        return verdict, detail, rule, text

    def consider(
        self, kind: Literal["licenses", "vulnerabilities"], key: str, verdict: Verdict, detail: str
    ) -> tuple[Verdict, str, str | None, str | None, int | None]:
        """As :meth:`apply`, with the number of the exception that matched, not yet counted
        as used (an OR's branch that is not chosen uses none)."""
        if verdict == "pass":
            return verdict, detail, None, None, None
        found = self.cover(kind, key)
        if found is None:
            return verdict, detail, None, None, None
        number, exc = found
        if exc.active(self.today):
            last = exc.expires - dt.timedelta(days=1)
            text = f"{exc.describe()}: {exc.reason} (until {last.isoformat()})"
            return (
                "pass",
                f"excepted: {text}; without it: {detail}",
                f"exceptions[{number}]",
                text,
                number,
            )
        return (
            verdict,
            f"{detail}; the {exc.describe()} expired on {exc.expires.isoformat()} "
            f"(reason was: {exc.reason})",
            None,
            None,
            number,
        )


@lru_cache(maxsize=1024)
def _range(text: str, purl_type: str) -> Callable[[str], bool]:
    return version_range(text, purl_type)


def _in_range(text: str, purl_type: str, version: str) -> bool:
    return _range(text, purl_type)(version)


@dataclass(frozen=True)
class _Eval:
    verdict: Verdict
    chosen: str | None  # the licenses that satisfy it (None when nothing does)
    leaves: tuple[LeafJudgement, ...]
    choices: tuple[Choice, ...] = ()
    exceptions: tuple[str, ...] = ()
    numbers: frozenset[int] = frozenset()  # the policy exceptions it needed


def _numbers(number: int | None) -> frozenset[int]:
    return frozenset() if number is None else frozenset((number,))


def _wrap(text: str) -> str:
    return f"({text})" if re.search(r"\s(AND|OR)\s", text) else text


def _render(node: _Node) -> str:
    if isinstance(node, _Leaf):
        return node.text
    return f" {node.op} ".join(_wrap(_render(a)) for a in node.args)


class _LicenseJudge:
    def __init__(self, rules: LicenseRules, exceptions: _Exceptions) -> None:
        self.rules = rules
        self.exceptions = exceptions

    def node(self, node: _Node) -> _Eval:
        if isinstance(node, _Leaf):
            return self.leaf(node)
        results = [self.node(a) for a in node.args]
        if node.op == "AND":
            chosen = (
                " AND ".join(_wrap(r.chosen) for r in results if r.chosen is not None)
                if all(r.chosen is not None for r in results)
                else None
            )
            return _Eval(
                _worst(r.verdict for r in results),
                chosen,
                tuple(j for r in results for j in r.leaves),
                tuple(c for r in results for c in r.choices),
                tuple(e for r in results for e in r.exceptions),
                frozenset(n for r in results for n in r.numbers),
            )
        # the best verdict; of equals, one allowed without an exception, then the branch
        # with the fewest licenses, then the first in alphabetical order: the choice does
        # not depend on how a format orders an OR
        best_index = min(
            range(len(results)),
            key=lambda i: (
                _RANK[results[i].verdict],
                bool(results[i].exceptions),
                len(results[i].leaves),
                _render(node.args[i]).casefold(),
            ),
        )
        best = results[best_index]
        expression = _render(node)
        if best.verdict == "fail":  # no branch passes: every branch's reasons
            return _Eval(
                "fail",
                None,
                tuple(j for r in results for j in r.leaves),
                (
                    Choice(
                        expression,
                        None,
                        tuple(
                            (_render(a), _reasons(r))
                            for a, r in zip(node.args, results, strict=True)
                        ),
                    ),
                ),
                tuple(e for r in results for e in r.exceptions),
                frozenset(n for r in results for n in r.numbers),
            )
        rejected = tuple(
            (_render(a), _reasons(r) or "not needed")
            for i, (a, r) in enumerate(zip(node.args, results, strict=True))
            if i != best_index
        )
        return _Eval(
            best.verdict,
            best.chosen,
            best.leaves,
            (*best.choices, Choice(expression, best.chosen, rejected)),
            best.exceptions,
            best.numbers,
        )

    def leaf(self, leaf: _Leaf) -> _Eval:
        if self.rules.or_later == "choice" and leaf.or_later_of and leaf.kind == "license":
            whole, whole_number = self._judge(leaf)
            only = _Leaf(
                leaf.or_later_of,
                leaf.or_later_of.casefold(),
                "license",
                leaf.or_later_of,
                None,
                leaf.read_as,
                leaf.suspected,
                None,
            )
            if leaf.exception_id:
                text = f"{leaf.or_later_of} WITH {leaf.exception_id}"
                only = _Leaf(
                    text,
                    text.casefold(),
                    "license",
                    leaf.or_later_of,
                    leaf.exception_id,
                    leaf.read_as,
                    leaf.suspected,
                )
            alternative, alternative_number = self._judge(only)
            if _RANK[alternative.verdict] < _RANK[whole.verdict]:
                return _Eval(
                    alternative.verdict,
                    only.text,
                    (alternative,),
                    (
                        Choice(
                            f'{leaf.text} (read as a choice: or-later = "choice")',
                            only.text,
                            ((leaf.text, whole.describe()),),
                        ),
                    ),
                    (alternative.exception,) if alternative.exception else (),
                    _numbers(alternative_number),
                )
            judged, number = whole, whole_number
        else:
            judged, number = self._judge(leaf)
        exceptions = (judged.exception,) if judged.exception else ()
        return _Eval(
            judged.verdict,
            leaf.text if judged.verdict != "fail" else None,
            (judged,),
            (),
            exceptions,
            _numbers(number),
        )

    def _judge(self, leaf: _Leaf) -> tuple[LeafJudgement, int | None]:
        """The leaf's judgement, and the number of the policy exception that matched it."""
        rules = self.rules
        category: Category | None = None
        if leaf.kind == "noassertion":
            verdict: Verdict = rules.noassertion
            rule = "licenses.noassertion"
            detail = f"no license stated (licenses.noassertion = {rules.noassertion!r})"
        else:
            category = _leaf_category(leaf, rules)
            if leaf.kind == "family":
                verdict, rule, detail = self._family(leaf, category)
            else:
                verdict, rule, detail = self._lists(leaf, category)
        if leaf.suspected and rules.suspected in ("warn", "fail"):
            if _RANK[rules.suspected] > _RANK[verdict]:
                verdict = rules.suspected
                rule = "licenses.suspected"
            detail += f"; only suspected, not declared (licenses.suspected = {rules.suspected!r})"
        verdict, detail, by_exception, excepted, number = self.exceptions.consider(
            "licenses", leaf.key, verdict, detail
        )
        judgement = LeafJudgement(
            leaf.text,
            verdict,
            by_exception or rule,
            detail,
            category.name if category else None,
            category.scancode_category if category else None,
            leaf.read_as or None,
            excepted,
        )
        return judgement, number

    def _listed(self, key: str) -> tuple[Verdict, str] | None:
        """(verdict, list) of the first license list naming ``key``: deny, warn, allow."""
        rules = self.rules
        lists: tuple[tuple[str, tuple[LicenseEntry, ...], Verdict], ...] = (
            ("deny", rules.deny, "fail"),
            ("warn", rules.warn, "warn"),
            ("allow", rules.allow, "pass"),
        )
        for name, entries, verdict in lists:
            if any(e.key == key for e in entries):
                return verdict, name
        return None

    def _lists(self, leaf: _Leaf, category: Category) -> tuple[Verdict, str, str]:
        keys = [leaf.key]
        if leaf.exception_id:
            keys.append(leaf.license_id.casefold())
        for key in keys:
            listed = self._listed(key)
            if listed is not None:
                verdict, name = listed
                text = f"{_HOW[name]} by licenses.{name}"
                if key != leaf.key:
                    text = f"{leaf.license_id} {text} ({leaf.text} is not listed whole)"
                return verdict, f"licenses.{name}", text
        return self._categories(category, "")

    def _family(self, leaf: _Leaf, category: Category) -> tuple[Verdict, str, str]:
        """A classifier naming a family: a list decides only when it names every license
        the classifier may stand for; otherwise the family's category decides."""
        listed = [self._listed(c.casefold()) for c in leaf.candidates]
        may_be = ", ".join(leaf.candidates)
        if all(x is not None for x in listed):
            known = [x for x in listed if x is not None]
            verdict, name = max(known, key=lambda x: _RANK[x[0]])
            lists = ", ".join(sorted({f"licenses.{x[1]}" for x in known}))
            return verdict, f"licenses.{name}", f"every license it may be ({may_be}) is in {lists}"
        return self._categories(category, f"it may be {may_be}, not all of them listed; ")

    def _categories(self, category: Category, prefix: str) -> tuple[Verdict, str, str]:
        rules = self.rules
        cat = f"category {category.name}" + (f", {category.why}" if category.why else "")
        cat_lists: tuple[tuple[str, tuple[str, ...], Verdict], ...] = (
            ("deny-categories", rules.deny_categories, "fail"),
            ("warn-categories", rules.warn_categories, "warn"),
            ("allow-categories", rules.allow_categories, "pass"),
        )
        for name, listed, verdict in cat_lists:
            hit = sorted(category.names & set(listed))
            if hit:
                how = _HOW[name.split("-")[0]]
                return (
                    verdict,
                    f"licenses.{name}",
                    f"{prefix}{cat}, {how} by licenses.{name} ({hit[0]})",
                )
        if rules.has_allow_list:
            return (
                "fail",
                "licenses.allow",
                f"{prefix}not allowed: in neither licenses.allow nor an allowed category ({cat})",
            )
        return "pass", "licenses", f"{prefix}no rule denies it ({cat})"


_HOW = {"deny": "denied", "warn": "to be warned about", "allow": "allowed"}


def _reasons(result: _Eval) -> str:
    bad = [j for j in result.leaves if j.verdict != "pass"]
    return "; ".join(j.describe() for j in bad)


def judge_license(subject: Subject, rules: LicenseRules, exceptions: _Exceptions) -> LicenseOutcome:
    text = subject.license
    if rules.suspected == "ignore" and subject.suspected:
        text = subject.declared
    node = parse_expression(text or "")
    if subject.suspected and rules.suspected != "ignore":
        node = _mark_suspected(node)
    result = _LicenseJudge(rules, exceptions).node(node)
    exceptions.used.update(result.numbers)  # those the chosen branch needed
    expression = _render(node)
    chosen = result.chosen if result.choices and result.verdict != "fail" else None
    categories = tuple(dict.fromkeys(c for c in _all_leaves(node, rules) if c))
    if result.verdict == "fail":
        reason = _reasons(result)
    elif result.verdict == "warn":
        reason = _reasons(result)
        if chosen:
            reason = f"{chosen} (chosen of {expression}): {reason}"
    elif chosen:
        reason = f"passes with {chosen}, chosen of {expression}"
    else:
        reason = "; ".join(j.describe() for j in result.leaves)
    return LicenseOutcome(
        result.verdict,
        expression,
        chosen,
        result.leaves,
        result.choices,
        reason,
        "; ".join(dict.fromkeys(result.exceptions)) or None,
        categories,
    )


def _mark_suspected(node: _Node) -> _Node:
    if isinstance(node, _Leaf):
        return replace(node, suspected=True)  # candidates and all kept
    return _Op(node.op, tuple(_mark_suspected(a) for a in node.args))


def _all_leaves(node: _Node, rules: LicenseRules) -> list[str | None]:
    if isinstance(node, _Op):
        return [c for a in node.args for c in _all_leaves(a, rules)]
    if node.kind == "noassertion":
        return [None]
    return [_leaf_category(node, rules).name]


def _leaf_category(leaf: _Leaf, rules: LicenseRules) -> Category:
    if leaf.kind == "unknown":
        return Category("unknown", frozenset({"unknown"}), why=leaf.why)
    if leaf.kind == "family":
        found = [category_of(c, licenseref=rules.licenseref) for c in leaf.candidates]
        names = frozenset.intersection(*(c.names for c in found))
        primary = {c.name for c in found}
        if len(primary) == 1:
            return Category(
                found[0].name,
                names,
                scancode_category=found[0].scancode_category
                if len({c.scancode_category for c in found}) == 1
                else None,
                why=f"the category of all of {', '.join(leaf.candidates)}",
            )
        return Category(
            "unknown",
            frozenset({"unknown"}),
            why=f"its licenses are of different categories ({', '.join(sorted(primary))})",
        )
    return category_of(leaf.license_id, licenseref=rules.licenseref)


def _band(severity: str) -> tuple[float, float] | None:
    return SEVERITY_BANDS.get(severity)


def _severity_of_score(score: float) -> str:
    for name in reversed(SEVERITIES):
        low, _high = SEVERITY_BANDS[name]
        if score >= low:
            return name
    return "none"


def judge_vulnerability(
    fact: VulnerabilityFact, rules: VulnerabilityRules, exceptions: _Exceptions
) -> VulnerabilityOutcome:
    severity = fact.severity.casefold() if fact.severity else None
    if severity not in SEVERITIES:
        severity = None
    state = fact.state.casefold() if fact.state else None
    if state not in VEX_STATES:
        state = None
    shown = (severity or "no severity") + (
        f", CVSS {fact.score:g}" if fact.score is not None else ""
    )
    verdict: Verdict
    if state in VEX_NOT_FAILING:
        verdict = "pass"
        reason = f"VEX {state}" + (f" ({fact.justification})" if fact.justification else "")
    else:
        meets = _meets(severity, fact.score, rules)
        if meets is None:
            verdict = rules.unknown_severity
            reason = (
                f"{shown}: cannot tell whether it reaches {rules.describe()} "
                f"(vulnerabilities.unknown-severity = {rules.unknown_severity!r})"
            )
        elif not meets:
            verdict = "pass"
            reason = f"{shown}: below the threshold ({rules.describe()})"
        elif state == "in_triage":
            verdict = rules.in_triage
            reason = (
                f"{shown}, in triage (VEX in_triage): reaches {rules.describe()} "
                f"(vulnerabilities.in-triage = {rules.in_triage!r})"
            )
        else:
            verdict = "fail"
            vex = " (VEX exploitable)" if state == "exploitable" else ""
            reason = f"{shown}{vex}: reaches {rules.describe()}"
    verdict, reason, _rule, excepted = exceptions.apply("vulnerabilities", fact.id, verdict, reason)
    return VulnerabilityOutcome(
        fact.id, verdict, reason, severity, fact.score, state, fact.justification, excepted
    )


def _meets(severity: str | None, score: float | None, rules: VulnerabilityRules) -> bool | None:
    """True when the vulnerability reaches a threshold, False when it reaches none, None when
    what the document states cannot tell."""
    answers: list[bool | None] = []
    if rules.severity is not None:
        known = severity or (_severity_of_score(score) if score is not None else None)
        answers.append(
            None if known is None else SEVERITIES.index(known) >= SEVERITIES.index(rules.severity)
        )
    if rules.score is not None:
        if score is not None:
            answers.append(score >= rules.score)
        elif severity is not None:
            low, high = SEVERITY_BANDS[severity]
            answers.append(True if low >= rules.score else False if high < rules.score else None)
        else:
            answers.append(None)
    if any(a is True for a in answers):
        return True
    if any(a is None for a in answers):
        return None
    return False


def _judge_vulnerabilities(
    facts: Sequence[VulnerabilityFact], rules: VulnerabilityRules, exceptions: _Exceptions
) -> tuple[VulnerabilityOutcome, ...]:
    """One outcome per vulnerability id. A document may state several decisions for one
    vulnerability of one component (sbomgen's inventory: one per project that decided
    differently); the worst of them counts, and the others are named."""
    by_id: dict[str, list[VulnerabilityOutcome]] = {}
    for fact in facts:
        by_id.setdefault(fact.id, []).append(judge_vulnerability(fact, rules, exceptions))
    out = []
    for outcomes in by_id.values():
        worst = max(outcomes, key=lambda o: _RANK[o.verdict])  # the first of the worst
        others = sorted({o.state or "no decision" for o in outcomes if o is not worst})
        if others:
            worst = replace(
                worst,
                reason=f"{worst.reason} (the worst of {len(outcomes)} decisions; the others: "
                + ", ".join(others)
                + ")",
            )
        out.append(worst)
    return tuple(out)


def judge(policy: Policy, inputs: Sequence[CheckInput], today: dt.date) -> CheckResult:
    """Every component of every input against the policy, on the day ``today`` (for the
    exceptions' expiry)."""
    used: set[int] = set()
    results: list[InputResult] = []
    findings: list[Finding] = []
    for item in inputs:
        by_ref = {s.ref: s for s in item.subjects}
        own = set(by_ref)
        facts: dict[str, list[VulnerabilityFact]] = {}
        for fact in item.vulnerabilities:
            facts.setdefault(fact.ref, []).append(fact)
        subjects = list(item.subjects)
        for ref in facts:  # vulnerabilities of something that is no component of the view
            if ref not in by_ref:
                subject = Subject(ref=ref, name=ref)
                by_ref[ref] = subject
                subjects.append(subject)
        components: list[ComponentResult] = []
        subjects.sort(key=lambda x: (x.label.casefold(), x.purl or "", x.ref))
        for subject in subjects:
            exceptions = _Exceptions(policy, subject, today, used)
            license_outcome = (
                judge_license(subject, policy.licenses, exceptions)
                if policy.licenses is not None and subject.ref in own
                else None
            )
            vulns: tuple[VulnerabilityOutcome, ...] = ()
            if policy.vulnerabilities is not None:
                vulns = _judge_vulnerabilities(
                    facts.get(subject.ref, []), policy.vulnerabilities, exceptions
                )
            result = ComponentResult(
                subject, license_outcome, vulns, policy.vulnerabilities is not None
            )
            components.append(result)
            findings.extend(_findings(item.name, result))
        results.append(InputResult(item, tuple(components)))
    notes = []
    for number, exc in enumerate(policy.exceptions):
        if number not in used and not exc.active(today):
            notes.append(
                PolicyNote(
                    "expired-exception",
                    exc.line,
                    f"the {exc.describe()} expired on {exc.expires.isoformat()}; "
                    "nothing needed it: remove it",
                )
            )
        elif number not in used:
            notes.append(
                PolicyNote(
                    "unused-exception",
                    exc.line,
                    f"the {exc.describe()} matched no license or vulnerability that needed it",
                )
            )
    return CheckResult(policy, today, tuple(results), tuple(notes), tuple(findings))


def _findings(input_name: str, result: ComponentResult) -> list[Finding]:
    s = result.subject
    out = []
    lic = result.license
    if lic is not None and lic.verdict != "pass":
        out.append(
            Finding(
                input_name,
                s.ref,
                s.label,
                s.purl,
                "license",
                lic.verdict,
                lic.reason,
                lic.expression,
                lic.chosen,
                lic.categories,
            )
        )
    for v in result.vulnerabilities:
        if v.verdict == "pass":
            continue
        out.append(
            Finding(
                input_name,
                s.ref,
                s.label,
                s.purl,
                "vulnerability",
                v.verdict,
                f"{v.id}: {v.reason}",
                vulnerability=v.id,
                severity=v.severity,
                score=v.score,
                state=v.state,
            )
        )
    return out


# -- inputs --------------------------------------------------------------------------------


def input_from_view(
    name: str, view: DocView, *, fields_mark_suspected: bool | None = None
) -> CheckInput:
    """A document's view (sbomgen.sources.documents) as something to judge.

    The license judged is the concluded one, else the declared one. A license is *only
    suspected* when it is written as Mend's "Suspected X", or when the document concludes
    a license and declares none: the SPDX fields (and sbomgen's own inventory) say so;
    CycloneDX has no such distinction before 1.6, so by default only SPDX documents are
    read this way (``fields_mark_suspected``)."""
    if fields_mark_suspected is None:
        fields_mark_suspected = view.standard.upper().startswith("SPDX")
    subjects = []
    for ref, comp in view.components.items():
        concluded = comp.license_concluded
        declared = comp.license_declared
        license_text = concluded or declared
        if license_text is None and comp.licenses:
            license_text = " AND ".join(_wrap(x) for x in comp.licenses)
        suspected = bool(fields_mark_suspected and concluded and not declared) or bool(
            license_text and _SUSPECTED.match(license_text)
        )
        subjects.append(
            Subject(
                ref=ref,
                name=f"{comp.group}/{comp.name}" if comp.group else comp.name,
                version=comp.version,
                purl=comp.purl,
                license=license_text,
                declared=declared,
                suspected=suspected,
            )
        )
    facts = tuple(
        VulnerabilityFact(v.id, v.ref, v.score, v.severity, v.state, v.justification)
        for v in view.vulnerability_facts
    )
    return CheckInput(name, view.standard, view.version, view.fmt, tuple(subjects), facts)
