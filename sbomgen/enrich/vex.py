"""What people decided in Mend, in the terms of VEX.

A person ignores an alert in Mend and writes why. sbomgen reads that comment as a CycloneDX
impact analysis (state, justification, response), by these rules, first match wins, and
says which rule it used (``Analysis.rule``):

1. a ``--vex-map`` entry for the vulnerability (and library, when the entry names one);
2. "false positive" → ``false_positive``;
3. a reason CycloneDX's justification list names → ``not_affected`` with it: the
   vulnerable code is not present (``code_not_present``) or never reached
   (``code_not_reachable``); it needs a configuration, dependency or environment the
   product lacks (``requires_*``); a compiler, runtime, perimeter or mitigating control
   protects it (``protected_*``);
4. text saying the product is not affected → ``not_affected`` (no justification);
5. a fix in place ("fixed", "patched", "upgraded to") → ``resolved`` with response
   ``update``;
6. a risk accepted or "won't fix" → ``exploitable`` with response ``will_not_fix``;
7. anything else → ``in_triage``, with a finding that a person should classify it.

The comment itself is kept verbatim as the analysis detail. Active alerts get no analysis:
nobody decided anything about them.
"""

from __future__ import annotations

import logging
import re
import sys
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from sbomgen.errors import ConfigError
from sbomgen.model import Analysis, Finding, Inventory, KeyUuid, Library, ProjectToken, Triage

log = logging.getLogger(__name__)

STATES = ("not_affected", "false_positive", "exploitable", "resolved", "in_triage")
JUSTIFICATIONS = (
    "code_not_present",
    "code_not_reachable",
    "requires_configuration",
    "requires_dependency",
    "requires_environment",
    "protected_by_compiler",
    "protected_at_runtime",
    "protected_at_perimeter",
    "protected_by_mitigating_control",
)
RESPONSES = ("can_not_fix", "will_not_fix", "update", "rollback", "workaround_available")

_NOT = r"(?:not|never|n't|no longer)"
# (justification, pattern): the reasons CycloneDX names, in words people write
_REASONS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (j, re.compile(p, re.IGNORECASE))
    for j, p in (
        (
            "code_not_present",
            rf"\b(?:{_NOT}\s+(?:present|included|shipped|bundled|packaged|in\s+(?:the|our)\s+"
            r"(?:build|image|distribution|artifact))|(?:is|was|are)\s+(?:removed|excluded|"
            r"stripped)\b|not\s+part\s+of)",
        ),
        (
            "code_not_reachable",
            rf"\b(?:unreachable|not\s+reachable|dead\s+code|{_NOT}\s+(?:be\s+)?(?:called|"
            r"loaded|used|invoked|executed|reached|imported)|code\s+path\s+is\s+never)",
        ),
        (
            "requires_configuration",
            r"\b(?:requires?\s+(?:a\s+|the\s+)?(?:specific\s+|non-default\s+)?configuration|"
            r"(?:disabled|off)\s+by\s+default|(?:feature|option|setting)\s+(?:is\s+)?"
            r"(?:disabled|turned\s+off|not\s+enabled)|not\s+enabled\s+in\s+our\s+config)",
        ),
        (
            "requires_dependency",
            r"\b(?:requires?\s+(?:an?\s+)?(?:optional\s+)?(?:dependency|library|package)|"
            r"optional\s+dependency\s+(?:is\s+)?not\s+installed)",
        ),
        (
            "requires_environment",
            r"\b(?:requires?\s+(?:a\s+|an\s+)?(?:specific\s+)?(?:environment|platform|"
            r"operating\s+system|os)|only\s+(?:affects|on|applies\s+to)\s+(?:windows|macos|"
            r"linux|android|ios))",
        ),
        ("protected_by_compiler", r"\b(?:compiler|compiled\s+(?:with|out))\b"),
        (
            "protected_at_runtime",
            r"\b(?:runtime\s+protection|protected\s+at\s+runtime|sandbox(?:ed)?|"
            r"seccomp|security\s+manager)\b",
        ),
        (
            "protected_at_perimeter",
            r"\b(?:waf|web\s+application\s+firewall|firewall|perimeter|not\s+"
            r"(?:exposed|internet[- ]facing|reachable\s+from\s+(?:the\s+)?internet)|"
            r"internal\s+network\s+only)\b",
        ),
        (
            "protected_by_mitigating_control",
            r"\b(?:mitigat(?:ed|ing|ion)|compensating\s+control|input\s+is\s+validated)\b",
        ),
    )
)
_FALSE_POSITIVE = re.compile(r"(?<!not a )\bfalse[\s-]+positive\b", re.IGNORECASE)
_NOT_AFFECTED = re.compile(
    r"\b(?:not\s+(?:affected|vulnerable|impacted|exploitable|applicable)|"
    r"(?:does\s+not|doesn't|do\s+not|don't)\s+(?:affect|apply|impact)|no\s+impact)\b",
    re.IGNORECASE,
)
_FIXED = re.compile(
    r"\b(?:fixed|patched|remediated|upgraded\s+to|backported|resolved\s+in)\b", re.IGNORECASE
)
_ACCEPTED = re.compile(
    r"\b(?:risk\s+(?:is\s+)?accepted|accept(?:ed|ing)?\s+(?:the\s+)?risk|won'?t\s+fix|"
    r"will\s+not\s+(?:be\s+)?fix(?:ed)?|wontfix|no\s+fix\s+planned)\b",
    re.IGNORECASE,
)


def classify(comment: str) -> Analysis:
    """The comment read by the rules above (without the --vex-map)."""
    text = " ".join(comment.split())
    if _FALSE_POSITIVE.search(text):
        return Analysis(state="false_positive", rule="the comment says false positive")
    for justification, pattern in _REASONS:
        found = pattern.search(text)
        if found:
            return Analysis(
                state="not_affected",
                justification=justification,
                rule=f"the comment gives a reason ({found.group(0)!r})",
            )
    found = _NOT_AFFECTED.search(text)
    if found:
        return Analysis(state="not_affected", rule=f"the comment says {found.group(0)!r}")
    found = _FIXED.search(text)
    if found:
        return Analysis(
            state="resolved", responses=("update",), rule=f"the comment says {found.group(0)!r}"
        )
    found = _ACCEPTED.search(text)
    if found:
        return Analysis(
            state="exploitable",
            responses=("will_not_fix",),
            rule=f"the comment says {found.group(0)!r}",
        )
    return Analysis(state="in_triage", rule="no rule reads the comment")


@dataclass(frozen=True)
class VexEntry:
    """One ``[[vex]]`` entry of a --vex-map file."""

    vulnerability: str
    library: str | None  # a purl, or a library's name; None: every library
    state: str
    justification: str | None
    responses: tuple[str, ...]
    where: str  # FILE:LINE


@dataclass(frozen=True)
class VexMap:
    entries: tuple[VexEntry, ...] = ()

    @classmethod
    def load(cls, path: Path) -> VexMap:
        """Read a --vex-map TOML file::

        [[vex]]
        vulnerability = "CVE-2022-42003"
        library = "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.13.4"  # optional
        state = "not_affected"
        justification = "code_not_reachable"   # for not_affected
        response = ["will_not_fix"]            # optional
        """
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"VEX map {path} cannot be read: {exc}") from None
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"VEX map {path}: not valid TOML: {exc}") from None
        lines = text.splitlines()
        starts = [n for n, line in enumerate(lines, start=1) if line.strip() == "[[vex]]"]
        unknown = set(data) - {"vex"}
        if unknown:
            raise ConfigError(
                f"VEX map {path}: unknown table {sorted(unknown)[0]!r} (expected [[vex]])"
            )
        raw = data.get("vex", [])
        if not isinstance(raw, list):
            raise ConfigError(f"VEX map {path}: 'vex' should be [[vex]] entries")
        entries = []
        for i, item in enumerate(raw):
            where = f"{path}:{starts[i]}" if i < len(starts) else str(path)

            def fail(message: str, where: str = where) -> ConfigError:
                return ConfigError(f"VEX map {where}: {message}")

            if not isinstance(item, dict):
                raise fail("an entry should be a table")
            extra = set(item) - {"vulnerability", "library", "state", "justification", "response"}
            if extra:
                raise fail(f"unknown key {sorted(extra)[0]!r}")
            vuln, state = item.get("vulnerability"), item.get("state")
            if not isinstance(vuln, str) or not vuln.strip():
                raise fail("'vulnerability' (the id, e.g. CVE-2022-42003) is required")
            if state not in STATES:
                raise fail(f"'state' should be one of {', '.join(STATES)}, got {state!r}")
            justification = item.get("justification")
            if justification is not None and justification not in JUSTIFICATIONS:
                raise fail(
                    f"'justification' should be one of {', '.join(JUSTIFICATIONS)}, got "
                    f"{justification!r}"
                )
            if justification is not None and state != "not_affected":
                raise fail("a 'justification' is for state = \"not_affected\" only")
            response = item.get("response", [])
            if isinstance(response, str):
                response = [response]
            if not isinstance(response, list) or any(r not in RESPONSES for r in response):
                raise fail(f"'response' should be a list of {', '.join(RESPONSES)}")
            library = item.get("library")
            if library is not None and (not isinstance(library, str) or not library.strip()):
                raise fail("'library' should be a purl or a library's name")
            entries.append(
                VexEntry(
                    vulnerability=vuln.strip(),
                    library=library.strip() if library else None,
                    state=state,
                    justification=justification,
                    responses=tuple(response),
                    where=where,
                )
            )
        return cls(tuple(entries))

    def find(self, vulnerability: str, lib: Library) -> VexEntry | None:
        """The entry for this vulnerability and library: one naming the library first."""
        general = None
        for entry in self.entries:
            if entry.vulnerability != vulnerability:
                continue
            if entry.library is None:
                general = general or entry
            elif entry.library in (lib.purl, lib.name, lib.filename):
                return entry
        return general


class VexEnricher:
    """Each ignored alert's comment read as an impact analysis (after the purls: a
    --vex-map entry may name a library by its purl)."""

    def __init__(self, vex_map: VexMap | None = None) -> None:
        self.vex_map = vex_map or VexMap()

    def enrich(self, inventory: Inventory) -> Inventory:
        libraries: dict[KeyUuid, Library] = {}
        findings: list[Finding] = []
        used: set[VexEntry] = set()
        known: set[str] = set()
        for key in sorted(inventory.libraries):
            lib = inventory.libraries[key]
            known.update(v.id for v in lib.vulnerabilities)
            if not lib.triage:
                libraries[key] = lib
                continue
            decided: list[Triage] = []
            for t in lib.triage:
                entry = self.vex_map.find(t.vulnerability, lib)
                if entry is not None:
                    used.add(entry)
                    analysis = Analysis(
                        state=entry.state,
                        justification=entry.justification,
                        responses=entry.responses,
                        rule=f"--vex-map {entry.where}",
                    )
                    findings.append(
                        Finding(
                            kind="vex-mapped",
                            key_uuid=key,
                            message=f"{lib.display_name}: {t.vulnerability}: {entry.state} "
                            f"({entry.where})",
                        )
                    )
                else:
                    analysis = classify(t.comment)
                    if analysis.state == "in_triage":
                        findings.append(
                            Finding(
                                kind="vex-unclassified",
                                key_uuid=key,
                                message=f"{lib.display_name}: {t.vulnerability}: the comment "
                                f"{_short(t.comment)!r} says no state sbomgen can read; "
                                "classify it (--vex-map) or reword it in Mend",
                            )
                        )
                decided.append(replace(t, analysis=analysis))
            libraries[key] = replace(lib, triage=tuple(decided))
        for entry in self.vex_map.entries:
            if entry.vulnerability not in known:
                log.warning(
                    "VEX map %s: %s is not a vulnerability of any library in scope",
                    entry.where,
                    entry.vulnerability,
                )
        return replace(inventory, libraries=libraries, findings=(*inventory.findings, *findings))


def _short(text: str, limit: int = 80) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def per_project(lib: Library, vulnerability: str) -> dict[ProjectToken | None, Analysis | None]:
    """The decision about ``vulnerability`` of ``lib`` in each project it occurs in (None:
    an active alert, nobody decided). A decision an answer gave without a project holds
    for every project the library is in."""
    mine = [t for t in lib.triage if t.vulnerability == vulnerability]
    wide = next((t for t in mine if t.project is None), None)
    by_project = {t.project: t for t in mine if t.project is not None}
    projects: list[ProjectToken | None] = list(dict.fromkeys(o.project for o in lib.occurrences))
    out: dict[ProjectToken | None, Analysis | None] = {}
    for project in projects or [None]:
        t = by_project.get(project) if project is not None else None
        t = t or wide
        out[project] = (t.analysis or classify(t.comment)) if t else None
    return out


def analysis_counts(inventory: Inventory) -> dict[str, int]:
    """Decisions by analysis state, one per library, vulnerability and project (``none``:
    an active alert nobody decided about)."""
    counts: Counter[str] = Counter()
    for lib in inventory.libraries.values():
        for vuln in lib.vulnerabilities:
            for analysis in per_project(lib, vuln.id).values():
                counts[analysis.state if analysis else "none"] += 1
    return dict(sorted(counts.items()))


def triage_summary(inventory: Inventory) -> tuple[int, int, int]:
    """(vulnerabilities, assessed, awaiting triage), counting each library's vulnerability
    once: assessed when every project's decision is a final one, awaiting triage when some
    project has none or ``in_triage``."""
    total = assessed = 0
    for lib in inventory.libraries.values():
        for vuln in lib.vulnerabilities:
            total += 1
            decisions = per_project(lib, vuln.id).values()
            if all(a is not None and a.state != "in_triage" for a in decisions):
                assessed += 1
    return total, assessed, total - assessed
