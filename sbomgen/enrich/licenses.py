"""Mend licenses → valid SPDX expressions (policy: docs/enrichment.md).

Every expression this module returns has been parsed and checked symbol by symbol
against the SPDX license list that license-expression ships: license ids must be known
licenses, exception ids known exceptions, and ``LicenseRef-`` ids well formed. Anything
else falls through to a ``LicenseRef-`` of the Mend name, with a warning. The result is
never an invalid expression.
"""

from __future__ import annotations

import hashlib
import logging
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from license_expression import (
    LicenseSymbol,
    LicenseWithExceptionSymbol,
    Licensing,
    get_spdx_licensing,
)

from sbomgen.enrich.mend_licenses import DEPRECATED_COMPOUND, lookup
from sbomgen.enrich.purl_spec import PurlError, canonical
from sbomgen.errors import ConfigError
from sbomgen.model import (
    NOASSERTION,
    Finding,
    Inventory,
    KeyUuid,
    Library,
    LicenseDecision,
    MendLicense,
    ResolvedLicense,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

log = logging.getLogger(__name__)

LICENSEREF = re.compile(r"^(DocumentRef-[A-Za-z0-9.-]+:)?LicenseRef-[A-Za-z0-9.-]+$")
SUSPECTED = re.compile(r"^\s*suspected\s+", re.IGNORECASE)
LICENSE_URL = re.compile(
    r"^https?://(?:www\.)?(?:opensource\.org/licenses?|spdx\.org/licenses)/"
    r"(?P<id>[A-Za-z0-9.+-]+?)(?:\.php|\.html?|\.json|\.txt)?/?$",
    re.IGNORECASE,
)


@lru_cache(maxsize=1)
def spdx_licensing() -> Licensing:
    return get_spdx_licensing()


def licenseref_for(name: str) -> str:
    """``LicenseRef-`` + the name with runs of other characters than [A-Za-z0-9.-] as '-';
    a name in another script transliterated, with a hash of the original (two names never
    share a LicenseRef)."""
    from sbomgen.names import ascii_id

    return f"LicenseRef-{ascii_id(name, limit=200, fallback='Mend')}"


def _is_compound(expression: str) -> bool:
    return bool(re.search(r"\s(AND|OR|WITH)\s", expression))


def _wrap(expression: str) -> str:
    return f"({expression})" if _is_compound(expression) else expression


def _replace_deprecated(expression: str) -> str:
    def swap(m: re.Match[str]) -> str:
        repl = DEPRECATED_COMPOUND.get(m.group(0).casefold())
        return f"({repl})" if repl else m.group(0)

    return re.sub(r"[A-Za-z0-9.+-]+", swap, expression)


@lru_cache(maxsize=4096)
def normalize_expression(expression: str) -> str | None:
    """The canonical form of a valid SPDX expression, or None when it is not valid.

    ``NOASSERTION`` is returned as is. Deprecated ids are replaced by current ones.
    """
    text = expression.strip()
    if not text:
        return None
    if text == NOASSERTION:
        return NOASSERTION
    if len(text) > 2000 or not re.fullmatch(r"[A-Za-z0-9.+:()\s-]+", text):
        return None
    # LicenseRef ids are ours to keep: license-expression knows aliases for some of them
    # (it reads "LicenseRef-GPL" as GPL-1.0-or-later), so hide them from it.
    refs: dict[str, str] = {}

    def shield(m: re.Match[str]) -> str:
        stand_in = f"LicenseRef-sbomgenref{len(refs):05d}"
        refs[stand_in] = m.group(0)
        return stand_in

    text = re.sub(r"(?:DocumentRef-[A-Za-z0-9.-]+:)?LicenseRef-[A-Za-z0-9.-]+", shield, text)
    licensing = spdx_licensing()
    try:
        parsed = licensing.parse(_replace_deprecated(text), validate=False, strict=True)
        if parsed is None:
            return None
        symbols = licensing.license_symbols(parsed, unique=False, decompose=False)
    except Exception:
        return None
    known = licensing.known_symbols
    for symbol in symbols:
        if isinstance(symbol, LicenseWithExceptionSymbol):
            if not _is_license(symbol.license_symbol, known):
                return None
            exc = known.get(symbol.exception_symbol.key)
            if exc is None or not exc.is_exception:
                return None
        elif not _is_license(symbol, known):
            return None
    try:
        rendered = str(parsed.render_as_readable())
    except Exception:
        return None
    return re.sub(r"LicenseRef-sbomgenref\d{5}", lambda m: refs[m.group(0)], rendered)


def _is_license(symbol: Any, known: Mapping[str, LicenseSymbol]) -> bool:
    key = str(symbol.key)
    if LICENSEREF.match(key):
        return True
    entry = known.get(key)
    return entry is not None and not entry.is_exception


def join(expressions: Sequence[str], operator: str = "OR") -> str:
    """Join expressions, keeping order, dropping duplicates and (if others remain) NOASSERTION."""
    unique = list(dict.fromkeys(expressions))
    known = [e for e in unique if e != NOASSERTION]
    if not known:
        return NOASSERTION
    if len(known) == 1:
        return known[0]
    return f" {operator} ".join(_wrap(e) for e in known)


@dataclass(frozen=True)
class Curation:
    license: str
    reason: str
    key_uuid: str | None = None
    purl: str | None = None
    line: int = 0


@dataclass(frozen=True)
class LicensePolicy:
    """The user's mapping file: name → expression, and per-library curations."""

    mapping: Mapping[str, str]
    curations: tuple[Curation, ...] = ()
    source: str = ""

    @classmethod
    def empty(cls) -> LicensePolicy:
        return cls(mapping={})

    @classmethod
    def load(cls, path: Path) -> LicensePolicy:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"license map {path} cannot be read: {exc}") from None
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"license map {path}: not valid TOML: {exc}") from None
        lines = text.splitlines()

        def line_of(needle: str, start: int = 0) -> int:
            for n, line in enumerate(lines[start:], start=start + 1):
                if needle in line:
                    return n
            return 0

        def fail(line: int, message: str) -> ConfigError:
            where = f"{path}:{line}" if line else str(path)
            return ConfigError(f"license map {where}: {message}")

        unknown = set(data) - {"licenses", "curations"}
        if unknown:
            key = sorted(unknown)[0]
            raise fail(
                line_of(key), f"unknown table {key!r} (expected [licenses] and [[curations]])"
            )
        mapping: dict[str, str] = {}
        table = data.get("licenses", {})
        if not isinstance(table, dict):
            raise fail(line_of("licenses"), "'licenses' should be a table of name = expression")
        for name, expr in table.items():
            line = line_of(name)
            if not isinstance(expr, str):
                raise fail(line, f"the expression for {name!r} should be a string")
            normalized = normalize_expression(expr)
            if normalized is None:
                raise fail(line, f"{expr!r} (for {name!r}) is not a valid SPDX expression")
            if "DocumentRef-" in normalized:
                raise fail(
                    line, f"{expr!r}: a DocumentRef points into another document; use a LicenseRef"
                )
            mapping[" ".join(name.split()).casefold()] = normalized
        curations = []
        raw_curations = data.get("curations", [])
        if not isinstance(raw_curations, list):
            raise fail(
                line_of("curations"), "'curations' should be an array of tables ([[curations]])"
            )
        search_from = 0
        for i, cur in enumerate(raw_curations):
            line = line_of("[[curations]]", search_from)
            search_from = line
            if not isinstance(cur, dict):
                raise fail(line, f"curation {i + 1} should be a table")
            extra = set(cur) - {"license", "reason", "purl", "keyUuid"}
            if extra:
                raise fail(line, f"curation {i + 1}: unknown field {sorted(extra)[0]!r}")
            if not (cur.get("purl") or cur.get("keyUuid")):
                raise fail(line, f"curation {i + 1}: needs 'purl' or 'keyUuid' to name the library")
            for field in ("license", "reason"):
                if not isinstance(cur.get(field), str) or not cur[field].strip():
                    raise fail(line, f"curation {i + 1}: field {field!r} is missing or empty")
            normalized = normalize_expression(cur["license"])
            if normalized is None:
                raise fail(
                    line, f"curation {i + 1}: {cur['license']!r} is not a valid SPDX expression"
                )
            if "DocumentRef-" in normalized:
                raise fail(
                    line,
                    f"curation {i + 1}: a DocumentRef points into another document; use a LicenseRef",
                )
            purl = cur.get("purl")
            if purl is not None:
                try:
                    purl = canonical(str(purl))  # the canonical form, as sbomgen builds it
                except PurlError as exc:
                    raise fail(
                        line, f"curation {i + 1}: {cur['purl']!r} is not a Package URL ({exc})"
                    ) from None
            curations.append(
                Curation(
                    license=normalized,
                    reason=cur["reason"].strip(),
                    key_uuid=cur.get("keyUuid"),
                    purl=purl,
                    line=line,
                )
            )
        return cls(mapping=mapping, curations=tuple(curations), source=str(path))


class LicenseNormalizer:
    """Resolves Mend licenses one by one, with a cache (Mend repeats the same few names)."""

    def __init__(self, policy: LicensePolicy | None = None, operator: str = "OR") -> None:
        if operator not in ("OR", "AND"):
            raise ValueError("operator must be OR or AND")
        self.policy = policy or LicensePolicy.empty()
        self.operator = operator
        self._cache: dict[tuple[str, str | None, str | None], ResolvedLicense] = {}
        # Mend names whose LicenseRef would collide with another name's (see LicenseEnricher)
        self.licenseref_overrides: dict[str, str] = {}

    def resolve(self, lic: MendLicense) -> ResolvedLicense:
        key = (lic.name, lic.spdx_name, lic.url)
        cached = self._cache.get(key)
        if cached is None:
            cached = self._resolve(lic)
            self._cache[key] = cached
        return cached

    def _resolve(self, lic: MendLicense) -> ResolvedLicense:
        raw = lic.name or ""
        # A mapping of Mend's exact name ("Suspected MIT" = "MIT") maps the name; what Mend
        # only suspects stays a suspicion (concluded, not declared).
        suspected = bool(SUSPECTED.match(raw))
        mapped = self.policy.mapping.get(" ".join(raw.split()).casefold())
        if mapped is not None:
            return ResolvedLicense(
                mend_name=raw, expression=mapped, method="mapping-file", suspected=suspected
            )
        name = SUSPECTED.sub("", raw).strip() if suspected else raw.strip()

        def done(expression: str, method: str) -> ResolvedLicense:
            return ResolvedLicense(
                mend_name=raw, expression=expression, method=method, suspected=suspected
            )

        if suspected:
            mapped = self.policy.mapping.get(" ".join(name.split()).casefold())
            if mapped is not None:
                return done(mapped, "mapping-file")
        if not name:
            return done(NOASSERTION, "noassertion")
        found, alias = lookup(name)
        if found:
            if alias is None:
                return done(NOASSERTION, "noassertion")
            normalized = normalize_expression(alias)
            if normalized is not None:
                return done(normalized, "alias")
        if lic.spdx_name and not suspected:
            normalized = normalize_expression(lic.spdx_name)
            if normalized is not None and normalized != NOASSERTION:
                return done(normalized, "spdxName")
        normalized = normalize_expression(name)
        if normalized is not None and normalized != NOASSERTION:
            return done(normalized, "spdx-id")
        if lic.url:
            m = LICENSE_URL.match(lic.url.strip())
            if m:
                normalized = normalize_expression(m.group("id"))
                if normalized is not None and normalized != NOASSERTION:
                    return done(normalized, "url")
        return done(self.licenseref_overrides.get(name) or licenseref_for(name), "licenseref")

    def decide(self, licenses: Iterable[MendLicense]) -> LicenseDecision:
        """Declared: what the authors declared (Mend's licenses it did not merely suspect).
        Concluded: Mend's reading of all of them, suspicions included; a curation replaces
        it later. A library whose licenses Mend only suspects declares NOASSERTION."""
        parts = tuple(self.resolve(lic) for lic in licenses)
        if not parts:
            return LicenseDecision(declared=NOASSERTION, concluded=NOASSERTION)
        expressions = [p.expression for p in parts]
        declared = join([p.expression for p in parts if not p.suspected], self.operator)
        concluded = join(expressions, self.operator)
        inference = None
        distinct = [e for e in dict.fromkeys(expressions) if e != NOASSERTION]
        if len(distinct) > 1:
            reading = "a choice (dual licensing)" if self.operator == "OR" else "all applying"
            inference = (
                f"Mend lists {len(distinct)} licenses ({', '.join(p.mend_name for p in parts)}); "
                f"read as {reading}: joined with {self.operator}"
            )
        elif len(distinct) == 1 and re.search(r"\sOR\s", distinct[0]):
            names = ", ".join(p.mend_name for p in parts if p.expression == distinct[0])
            inference = f"Mend's license name {names!r} is itself a choice: {distinct[0]}"
        for expression in (declared, concluded):
            if normalize_expression(expression) is None:  # cannot happen: parts are valid
                raise AssertionError(f"joined expression {expression!r} does not validate")
        return LicenseDecision(
            declared=declared,
            concluded=concluded,
            parts=parts,
            inference=inference,
            joined=len(distinct) > 1,
        )


class LicenseEnricher:
    """Decides every library's license; applies curations last and reports them."""

    def __init__(self, normalizer: LicenseNormalizer | None = None) -> None:
        self.normalizer = normalizer or LicenseNormalizer()

    def _avoid_licenseref_collisions(self, inventory: Inventory) -> None:
        """Two different Mend names that sanitize to the same LicenseRef (say "Acme License"
        and "Acme_License") would share one id and one text. All but the first name (in
        sorted order) get a short hash of the name appended."""
        by_id: dict[str, set[str]] = {}
        for lib in inventory.libraries.values():
            for lic in lib.licenses:
                part = self.normalizer.resolve(lic)
                if part.method == "licenseref":
                    name = (
                        SUSPECTED.sub("", lic.name).strip() if part.suspected else lic.name.strip()
                    )
                    by_id.setdefault(part.expression, set()).add(name)
        overrides = {}
        for identifier, names in by_id.items():
            for name in sorted(names)[1:]:
                overrides[name] = (
                    f"{identifier}-{hashlib.sha256(name.encode('utf-8')).hexdigest()[:8]}"
                )
        if overrides:
            self.normalizer.licenseref_overrides.update(overrides)
            self.normalizer._cache.clear()

    def enrich(self, inventory: Inventory) -> Inventory:
        policy = self.normalizer.policy
        self._avoid_licenseref_collisions(inventory)
        by_key = {c.key_uuid: c for c in policy.curations if c.key_uuid}
        by_purl = {c.purl: c for c in policy.curations if c.purl}
        used: set[Curation] = set()
        findings: list[Finding] = []
        libraries: dict[KeyUuid, Library] = {}
        for key in sorted(inventory.libraries):
            lib = inventory.libraries[key]

            def note(kind: str, message: str, key: KeyUuid = key) -> None:
                findings.append(Finding(kind=kind, key_uuid=key, message=message))

            decision = self.normalizer.decide(lib.licenses)
            label = lib.display_name
            for part in decision.parts:
                if part.method == "licenseref":
                    note(
                        "license-unmapped",
                        f"{label}: Mend license {part.mend_name!r} has no SPDX id; "
                        f"emitted as {part.expression}",
                    )
                elif part.method == "mapping-file":
                    note(
                        "license-mapped",
                        f"{label}: {part.mend_name!r} -> {part.expression} (from {policy.source})",
                    )
            if decision.inference:
                note("license-inferred", f"{label}: {decision.inference}")
            if decision.suspected:
                names = ", ".join(repr(p.mend_name) for p in decision.parts if p.suspected)
                note(
                    "license-suspected",
                    f"{label}: Mend names {names}, a license it suspects but found no "
                    f"declaration of; concluded {decision.concluded}, declared "
                    f"{decision.declared}",
                )
            by_its_purl = by_purl.get(lib.purl) if lib.purl else None
            curation = by_key.get(key) or by_its_purl
            if by_its_purl is not None:
                used.add(by_its_purl)  # matched, even when a keyUuid curation takes precedence
            if curation is not None:
                used.add(curation)
                decision = replace(decision, concluded=curation.license, curation=curation.reason)
                note(
                    "curation",
                    f"{label}: concluded {curation.license} (declared {decision.declared}): "
                    f"{curation.reason} [{policy.source}:{curation.line}]",
                )
            if decision.concluded == NOASSERTION:
                note("license-missing", f"{label}: no license known (NOASSERTION)")
            libraries[key] = replace(lib, license=decision)
        for curation in policy.curations:
            if curation not in used:
                target = curation.purl or curation.key_uuid
                log.warning(
                    "%s:%d: curation for %s matches no library in scope",
                    policy.source,
                    curation.line,
                    target,
                )
                findings.append(
                    Finding(
                        kind="curation-unused",
                        message=f"curation for {target} ({policy.source}:{curation.line}) matched no library",
                    )
                )
        for f in findings:
            if f.kind == "license-unmapped":
                log.warning("%s", f.message)
            elif f.kind in ("curation", "license-mapped"):
                log.info("%s", f.message)
        return replace(inventory, libraries=libraries, findings=(*inventory.findings, *findings))
