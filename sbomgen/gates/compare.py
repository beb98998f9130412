"""Mend's native SBOM against sbomgen's assembled model: what they disagree on.

Components in only one of them, version, license and Package URL differences of the
components both have, and the dependency levels the native report does not reach. Printed
as text, Markdown or JSON (schema ``sbomgen-compare/1``, docs/cli-json.md).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sbomgen.enrich.native import assembled_depths, license_symbols, match
from sbomgen.enrich.purl_spec import PurlError, canonical
from sbomgen.enrich.texts import symbols_of
from sbomgen.model import NOASSERTION, Inventory
from sbomgen.sources.documents import DocComponent, DocView

COMPARE_SCHEMA = "sbomgen-compare/1"


def _label(comp: DocComponent) -> str:
    return f"{comp.name} {comp.version}" if comp.version else comp.name


def _canonical(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return canonical(value)
    except PurlError:
        return value


@dataclass
class Comparison:
    native: Mapping[str, Any]
    assembled: Mapping[str, Any]
    only_native: list[str] = field(default_factory=list)
    only_assembled: list[dict[str, Any]] = field(default_factory=list)
    versions: list[dict[str, Any]] = field(default_factory=list)
    licenses: list[dict[str, Any]] = field(default_factory=list)
    purls: list[dict[str, Any]] = field(default_factory=list)
    levels: list[dict[str, Any]] = field(default_factory=list)

    @property
    def agree(self) -> bool:
        return not (
            self.only_native or self.only_assembled or self.versions or self.licenses or self.purls
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": COMPARE_SCHEMA,
            "native": dict(self.native),
            "assembled": dict(self.assembled),
            "only_in_native": self.only_native,
            "only_in_assembled": self.only_assembled,
            "version_differences": self.versions,
            "license_differences": self.licenses,
            "purl_differences": self.purls,
            "missing_levels": self.levels,
        }

    def render(self, fmt: str) -> str:
        if fmt == "json":
            return json.dumps(self.to_json(), indent=2, ensure_ascii=False) + "\n"
        md = fmt == "md"
        out: list[str] = []
        head = "# " if md else ""
        out.append(f"{head}Mend's native SBOM against sbomgen's assembled model")
        out.append("")
        n, a = self.native, self.assembled
        out.append(
            f"- native: {n['file']} ({n['standard']} {n['version']} {n['format']}), "
            f"{n['components']} components, levels 0 to {n['deepest_level']}"
        )
        out.append(f"- assembled: {a['libraries']} libraries, levels 0 to {a['deepest_level']}")
        out.append(f"- matched: {n['matched']}")

        def section(title: str, rows: list[str]) -> None:
            out.append("")
            out.append(f"## {title} ({len(rows)})" if md else f"{title}: {len(rows)}")
            out.extend(f"- {r}" if md else f"  - {r}" for r in rows)

        section("Only in the native report", self.only_native)
        section(
            "Only in the assembled model",
            [
                f"{x['library']} (level {x['level']})"
                if x["level"] >= 0
                else f"{x['library']} (in no project's dependency graph)"
                for x in self.only_assembled
            ],
        )
        section(
            "Missing dependency levels",
            [
                f"level {x['level']}: {x['libraries']} librar{'y' if x['libraries'] == 1 else 'ies'} the native report does not reach"
                for x in self.levels
            ],
        )
        section(
            "Version differences",
            [
                f"{x['name']}: native {x['native']}, assembled {x['assembled']}"
                for x in self.versions
            ],
        )
        section(
            "License differences",
            [
                f"{x['component']}: native {', '.join(x['native']) or '(none)'}; assembled {x['assembled']}"
                for x in self.licenses
            ],
        )
        section(
            "Package URL differences",
            [
                f"{x['component']}: native {x['native'] or '(none)'}; assembled {x['assembled'] or '(none)'}"
                for x in self.purls
            ],
        )
        return "\n".join(out) + "\n"


def compare(view: DocView, inventory: Inventory, *, file: str) -> Comparison:
    result = match(view, inventory)
    native_depths = view.depths()
    lib_depths = assembled_depths(inventory)
    native_max = max(native_depths.values(), default=-1)
    comparison = Comparison(
        native={
            "file": file,
            "standard": view.standard,
            "version": view.version,
            "format": view.fmt,
            "components": len(view.components),
            "deepest_level": native_max,
            "matched": len(result.pairs),
        },
        assembled={
            "libraries": len(inventory.libraries),
            "deepest_level": max(lib_depths.values(), default=-1),
        },
    )
    # the same package at another version is a version difference, not two absences
    native_rest = {ref: view.components[ref] for ref in result.only_native}
    assembled_rest = {k: inventory.libraries[k] for k in result.only_assembled}
    for ref, comp in sorted(native_rest.items()):
        for key, lib in sorted(assembled_rest.items()):
            names = {(lib.name or "").lower(), (lib.artifact_id or "").lower()} - {""}
            if comp.name.lower() in names or (
                lib.filename
                and lib.version
                and lib.filename.lower().replace(lib.version.lower(), "")
                == comp.name.lower().replace((comp.version or "").lower(), "")
            ):
                comparison.versions.append(
                    {
                        "name": lib.name or comp.name,
                        "native": comp.version,
                        "assembled": lib.version,
                    }
                )
                del native_rest[ref], assembled_rest[key]
                break
    comparison.only_native = sorted(_label(c) for c in native_rest.values())
    by_level: dict[int, int] = {}
    for key, lib in sorted(assembled_rest.items(), key=lambda kv: kv[1].display_name):
        level = lib_depths.get(key, -1)
        comparison.only_assembled.append({"library": lib.display_name, "level": level})
        if level > native_max:
            by_level[level] = by_level.get(level, 0) + 1
    comparison.levels = [{"level": lv, "libraries": n} for lv, n in sorted(by_level.items())]
    for ref, key in sorted(result.pairs.items()):
        comp, lib = view.components[ref], inventory.libraries[key]
        concluded = lib.license.concluded if lib.license else NOASSERTION
        native_set = license_symbols(comp.licenses)
        assembled_set = set(symbols_of(concluded))
        if native_set != assembled_set:
            comparison.licenses.append(
                {"component": _label(comp), "native": sorted(native_set), "assembled": concluded}
            )
        if _canonical(comp.purl) != _canonical(lib.purl):
            comparison.purls.append(
                {"component": _label(comp), "native": comp.purl, "assembled": lib.purl}
            )
        if (comp.version or "") != (lib.version or ""):
            comparison.versions.append(
                {"name": _label(comp), "native": comp.version, "assembled": lib.version}
            )
    comparison.licenses.sort(key=lambda x: x["component"])
    comparison.purls.sort(key=lambda x: x["component"])
    comparison.versions.sort(key=lambda x: str(x["name"]))
    return comparison
