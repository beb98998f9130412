"""``sbomgen check``: each policy rule, each expression case, each exit code, exceptions and
their expiry, VEX, the reports (JUnit parsed as JUnit). The CLI runs in a subprocess on
real files; every date is passed (--date), nothing depends on today."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from checkdocs import (
    by_ref,
    component,
    cyclonedx,
    run_check,
    spdx,
    vulnerability,
    write_policy,
)
from conftest import SAMPLE_SNAPSHOT, Mend, run_cli

EXPRESSIONS = {
    "or-choice": "GPL-2.0-only OR MIT",
    "and-both": "GPL-2.0-only AND MIT",
    "with-listed": "GPL-2.0-only WITH Classpath-exception-2.0",
    "plain-gpl": "GPL-2.0-only",
    "with-other": "GPL-2.0-only WITH Autoconf-exception-2.0",
    "plus": "GPL-2.0+",
    "or-later": "GPL-2.0-or-later",
    "nested": "(MIT OR GPL-3.0-only) AND (LGPL-2.1-only OR BSD-3-Clause)",
    "or-none": "GPL-3.0-only OR GPL-2.0-only",
    "or-warn": "MPL-2.0 OR Apache-2.0",
    "warn-only": "MPL-2.0",
    "lowercase": "mit or gpl-3.0-only",
    "licenseref": "LicenseRef-Acme",
}

POLICY = """\
[licenses]
allow = [
  "MIT",
  "Apache-2.0",
  "BSD-3-Clause",
  "LGPL-2.1-only",
  "GPL-2.0-only WITH Classpath-exception-2.0",
]
deny = ["GPL-2.0-only", "GPL-3.0-only"]
warn = ["MPL-2.0"]
"""


@pytest.fixture(scope="module")
def expressions(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, dict[str, Any]]:
    tmp = tmp_path_factory.mktemp("expressions")
    doc = cyclonedx(
        tmp / "bom.cdx.json",
        [
            *(component(ref, expr) for ref, expr in EXPRESSIONS.items()),
            component("no-license"),
            component("by-name", ["Apache License 2.0"]),
            component("classifier", ["License :: OSI Approved :: BSD License"]),
            component(
                "restated", ["Apache-2.0", "License :: OSI Approved :: Apache Software License"]
            ),
            component("unreadable", ["Some License, v2 (custom)"]),
        ],
    )
    return run_check("--policy", write_policy(tmp, POLICY), doc)


def _license(report: dict[str, Any], ref: str) -> dict[str, Any]:
    found: dict[str, Any] = by_ref(report)[ref]["license"]
    return found


def test_or_passes_with_the_branch_it_chose(expressions: tuple[Any, dict[str, Any]]) -> None:
    _result, report = expressions
    lic = _license(report, "or-choice")
    assert lic["verdict"] == "pass"
    assert lic["chosen"] == "MIT"
    assert lic["choices"][0]["rejected"] == [
        {"branch": "GPL-2.0-only", "reason": "GPL-2.0-only: denied by licenses.deny"}
    ]
    assert "passes with MIT, chosen of GPL-2.0-only OR MIT" in lic["reason"]


def test_and_needs_every_part(expressions: tuple[Any, dict[str, Any]]) -> None:
    result, report = expressions
    lic = _license(report, "and-both")
    assert lic["verdict"] == "fail" and lic["chosen"] is None
    assert lic["reason"] == "GPL-2.0-only: denied by licenses.deny"
    violation = next(v for v in report["violations"] if v["ref"] == "and-both")
    assert violation["rule"] == "license" and violation["expression"] == "GPL-2.0-only AND MIT"
    assert result.code == 1


def test_with_allowed_whole_while_the_plain_license_is_denied(
    expressions: tuple[Any, dict[str, Any]],
) -> None:
    _result, report = expressions
    assert _license(report, "with-listed")["verdict"] == "pass"
    assert _license(report, "with-listed")["licenses"][0]["rule"] == "licenses.allow"
    assert _license(report, "plain-gpl")["verdict"] == "fail"
    other = _license(report, "with-other")
    assert other["verdict"] == "fail"
    assert other["reason"] == (
        "GPL-2.0-only WITH Autoconf-exception-2.0: GPL-2.0-only denied by licenses.deny "
        "(GPL-2.0-only WITH Autoconf-exception-2.0 is not listed whole)"
    )


def test_plus_is_or_later_and_allowing_only_does_not_allow_or_later(
    expressions: tuple[Any, dict[str, Any]],
) -> None:
    _result, report = expressions
    plus, later = _license(report, "plus"), _license(report, "or-later")
    assert plus["expression"] == later["expression"] == "GPL-2.0-or-later"
    assert plus["verdict"] == later["verdict"] == "fail"  # not denied: not allowed either
    assert "not allowed" in plus["reason"]


def test_nested_choices_and_branches_that_all_fail(
    expressions: tuple[Any, dict[str, Any]],
) -> None:
    _result, report = expressions
    nested = _license(report, "nested")
    assert nested["verdict"] == "pass" and nested["chosen"] == "MIT AND BSD-3-Clause"
    none = _license(report, "or-none")
    assert none["verdict"] == "fail"
    assert none["reason"] == (
        "GPL-3.0-only: denied by licenses.deny; GPL-2.0-only: denied by licenses.deny"
    )
    assert _license(report, "or-warn")["chosen"] == "Apache-2.0"  # a pass beats a warning
    assert _license(report, "lowercase")["chosen"] == "MIT"


def test_warn_list_and_licenseref_and_noassertion(
    expressions: tuple[Any, dict[str, Any]],
) -> None:
    _result, report = expressions
    assert _license(report, "warn-only")["verdict"] == "warn"
    assert [w["ref"] for w in report["warnings"]] == ["warn-only"]
    ref = _license(report, "licenseref")
    assert ref["verdict"] == "fail" and ref["categories"] == ["unknown"]
    assert _license(report, "no-license")["expression"] == "NOASSERTION"
    assert _license(report, "no-license")["verdict"] == "fail"  # noassertion = "fail" by default


def test_license_names_classifiers_and_unreadable_strings(
    expressions: tuple[Any, dict[str, Any]],
) -> None:
    _result, report = expressions
    named = _license(report, "by-name")
    assert named["verdict"] == "pass"
    assert named["licenses"][0]["read_from"] == "Apache License 2.0"
    family = _license(report, "classifier")
    assert family["verdict"] == "fail"  # the allow list names BSD-3-Clause, not every BSD
    assert "it may be 0BSD, BSD-1-Clause, BSD-2-Clause, BSD-3-Clause" in family["reason"]
    restated = _license(report, "restated")
    assert restated["verdict"] == "pass" and restated["expression"] == "Apache-2.0"
    unreadable = _license(report, "unreadable")
    assert unreadable["verdict"] == "fail" and unreadable["categories"] == ["unknown"]


def test_text_is_the_default_and_says_what_was_chosen(tmp_path: Path) -> None:
    doc = cyclonedx(tmp_path / "b.json", [component("a", "GPL-2.0-only OR MIT")])
    result = run_cli("check", "--policy", write_policy(tmp_path, POLICY), doc)
    assert result.code == 0, result.stderr
    assert result.stdout.startswith("sbomgen check PASSED: 0 violations")
    assert "a 1.0.0: MIT, chosen of GPL-2.0-only OR MIT" in result.stdout
    assert "check PASSED" in result.stderr


def test_or_later_as_a_choice(tmp_path: Path) -> None:
    doc = cyclonedx(
        tmp_path / "b.json", [component("plus", "GPL-2.0+"), component("with", "GPL-2.0-or-later")]
    )
    policy = write_policy(tmp_path, '[licenses]\nallow = ["GPL-2.0-only"]\nor-later = "choice"\n')
    result, report = run_check("--policy", policy, doc)
    assert result.code == 0, result.stdout
    lic = _license(report, "plus")
    assert lic["chosen"] == "GPL-2.0-only"
    assert (
        lic["choices"][0]["expression"]
        == 'GPL-2.0-or-later (read as a choice: or-later = "choice")'
    )


CATEGORY_CASES = {
    "mit": ("MIT", "permissive", "pass"),
    "unlicense": ("Unlicense", "public-domain", "pass"),  # public domain is permissive too
    "lgpl": ("LGPL-2.1-only", "weak-copyleft", "warn"),
    "gpl": ("GPL-3.0-only", "strong-copyleft", "fail"),
    "agpl": ("AGPL-3.0-only", "network-copyleft", "fail"),
    "sspl": ("SSPL-1.0", "network-copyleft", "fail"),  # ScanCode: Source-available
    "eupl": ("EUPL-1.2", "network-copyleft", "fail"),  # ScanCode: Copyleft Limited
    "busl": ("BUSL-1.1", "proprietary", "fail"),
    "scancode-ref": ("LicenseRef-scancode-proprietary-license", "proprietary", "fail"),
    "own-ref": ("LicenseRef-Foo", "unknown", "fail"),
    "apsl-family": (
        ["License :: OSI Approved :: Apple Public Source License"],
        "weak-copyleft",
        "warn",
    ),
}


def test_categories(tmp_path: Path) -> None:
    doc = cyclonedx(
        tmp_path / "b.json", [component(ref, case[0]) for ref, case in CATEGORY_CASES.items()]
    )
    policy = write_policy(
        tmp_path,
        "[licenses]\n"
        'allow-categories = ["permissive"]\n'
        'warn-categories = ["weak-copyleft"]\n'
        'deny-categories = ["strong-copyleft", "network-copyleft"]\n',
    )
    result, report = run_check("--policy", policy, doc)
    assert result.code == 1
    for ref, (_expr, category, verdict) in CATEGORY_CASES.items():
        lic = _license(report, ref)
        assert (lic["categories"], lic["verdict"]) == ([category], verdict), ref
    assert _license(report, "sspl")["licenses"][0]["scancode_category"] == "Source-available"
    assert "licenses.deny-categories (network-copyleft)" in _license(report, "agpl")["reason"]
    assert "not allowed" in _license(report, "busl")["reason"]


def test_licenseref_unknown_and_rules_without_an_allow_list(tmp_path: Path) -> None:
    doc = cyclonedx(
        tmp_path / "b.json",
        [
            component("scancode-ref", "LicenseRef-scancode-proprietary-license"),
            component("own-ref", "LicenseRef-Foo"),
            component("gpl", "GPL-3.0-only"),
        ],
    )
    policy = write_policy(tmp_path, '[licenses]\ndeny = ["GPL-3.0-only"]\nlicenseref = "unknown"\n')
    result, report = run_check("--policy", policy, doc)
    assert _license(report, "scancode-ref")["categories"] == ["unknown"]
    # no allow list: what no rule denies passes, unknown included
    assert _license(report, "own-ref")["verdict"] == "pass"
    assert _license(report, "own-ref")["reason"].endswith(
        'no rule denies it (category unknown, a LicenseRef- (licenses.licenseref = "unknown"))'
    )
    assert result.code == 1
    policy = write_policy(tmp_path, '[licenses]\ndeny-categories = ["unknown"]\n')
    _result, report = run_check("--policy", policy, doc)
    assert _license(report, "own-ref")["verdict"] == "fail"
    assert _license(report, "scancode-ref")["verdict"] == "pass"  # proprietary: not denied


def test_a_denied_id_beats_an_allowed_category(tmp_path: Path) -> None:
    doc = cyclonedx(tmp_path / "b.json", [component("mit", "MIT"), component("isc", "ISC")])
    policy = write_policy(
        tmp_path, '[licenses]\ndeny = ["MIT"]\nallow-categories = ["permissive"]\n'
    )
    result, report = run_check("--policy", policy, doc)
    assert result.code == 1
    assert _license(report, "mit")["reason"] == "MIT: denied by licenses.deny"
    assert _license(report, "isc")["verdict"] == "pass"


@pytest.mark.parametrize(
    ("setting", "code", "verdict"), [("fail", 1, "fail"), ("warn", 0, "warn"), ("pass", 0, "pass")]
)
def test_noassertion(tmp_path: Path, setting: str, code: int, verdict: str) -> None:
    doc = cyclonedx(tmp_path / "b.json", [component("none"), component("mit", "MIT")])
    policy = write_policy(tmp_path, f'[licenses]\nallow = ["MIT"]\nnoassertion = "{setting}"\n')
    result, report = run_check("--policy", policy, doc)
    assert result.code == code, result.stderr
    assert _license(report, "none")["verdict"] == verdict
    assert report["passed"] is (code == 0)


@pytest.mark.parametrize(
    ("setting", "suspected", "plain"),
    [
        ("count", "pass", "pass"),
        ("warn", "warn", "warn"),
        ("fail", "fail", "fail"),
        ("ignore", "fail", "fail"),
    ],
)
def test_suspected_licenses(tmp_path: Path, setting: str, suspected: str, plain: str) -> None:
    """SPDX: concluded MIT with nothing declared is only suspected; CycloneDX: Mend's
    "Suspected MIT". With "ignore" they count as no license (noassertion = "fail")."""
    doc = spdx(
        tmp_path / "b.spdx.json",
        [("suspect", "MIT", "NOASSERTION"), ("declared", "MIT", "MIT")],
    )
    named = cyclonedx(tmp_path / "n.json", [component("named", ["Suspected MIT"])])
    policy = write_policy(tmp_path, f'[licenses]\nallow = ["MIT"]\nsuspected = "{setting}"\n')
    _result, report = run_check("--policy", policy, doc, named)
    assert _license(report, "SPDXRef-suspect")["verdict"] == suspected
    assert _license(report, "SPDXRef-declared")["verdict"] == "pass"
    assert _license(report, "named")["verdict"] == plain


# -- vulnerabilities -----------------------------------------------------------------------

VULNS = [
    vulnerability("CVE-CRIT", "lib", severity="critical", score=9.8),
    vulnerability("CVE-MED", "lib", severity="medium", score=5.0),
    vulnerability(
        "CVE-NA",
        "lib",
        severity="critical",
        score=9.1,
        state="not_affected",
        justification="code_not_reachable",
    ),
    vulnerability("CVE-FP", "lib", severity="high", score=7.5, state="false_positive"),
    vulnerability("CVE-RES", "lib", severity="high", score=7.5, state="resolved"),
    vulnerability("CVE-EXP", "lib", severity="high", score=7.2, state="exploitable"),
    vulnerability("CVE-TRI", "lib", severity="high", score=8.0, state="in_triage"),
    vulnerability("CVE-NONE", "lib"),
    vulnerability("CVE-HIGH-ONLY", "lib", severity="high"),
    vulnerability("CVE-MED-ONLY", "lib", severity="medium"),
]


def _vulns(report: dict[str, Any]) -> dict[str, str]:
    return {v["id"]: v["verdict"] for v in by_ref(report)["lib"]["vulnerabilities"]}


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        (
            '[vulnerabilities]\nseverity = "high"\n',
            {
                "CVE-CRIT": "fail",
                "CVE-MED": "pass",
                "CVE-NA": "pass",
                "CVE-FP": "pass",
                "CVE-RES": "pass",
                "CVE-EXP": "fail",
                "CVE-TRI": "warn",
                "CVE-NONE": "fail",
                "CVE-HIGH-ONLY": "fail",
                "CVE-MED-ONLY": "pass",
            },
        ),
        (
            '[vulnerabilities]\nscore = 5.0\nin-triage = "fail"\nunknown-severity = "pass"\n',
            {
                "CVE-CRIT": "fail",
                "CVE-MED": "fail",
                "CVE-NA": "pass",
                "CVE-FP": "pass",
                "CVE-RES": "pass",
                "CVE-EXP": "fail",
                "CVE-TRI": "fail",
                "CVE-NONE": "pass",
                "CVE-HIGH-ONLY": "fail",
                "CVE-MED-ONLY": "pass",
            },  # medium is 4.0-6.9: unknown
        ),
        (
            '[vulnerabilities]\nseverity = "critical"\nin-triage = "pass"\nunknown-severity = "warn"\n',
            {
                "CVE-CRIT": "fail",
                "CVE-MED": "pass",
                "CVE-NA": "pass",
                "CVE-FP": "pass",
                "CVE-RES": "pass",
                "CVE-EXP": "pass",
                "CVE-TRI": "pass",
                "CVE-NONE": "warn",
                "CVE-HIGH-ONLY": "pass",
                "CVE-MED-ONLY": "pass",
            },
        ),
    ],
)
def test_vulnerability_thresholds_and_vex(
    tmp_path: Path, policy: str, expected: dict[str, str]
) -> None:
    doc = cyclonedx(tmp_path / "b.json", [component("lib", "MIT")], VULNS)
    result, report = run_check("--policy", write_policy(tmp_path, policy), doc)
    assert _vulns(report) == expected
    assert result.code == 1
    assert report["rules"] == ["vulnerability"]
    by_id = {v["id"]: v for v in by_ref(report)["lib"]["vulnerabilities"]}
    assert by_id["CVE-NA"]["reason"] == "VEX not_affected (code_not_reachable)"
    assert by_ref(report)["lib"]["license"] is None  # no [licenses]: not judged


def test_in_triage_fails_only_when_the_policy_says_so(tmp_path: Path) -> None:
    doc = cyclonedx(
        tmp_path / "b.json",
        [component("lib", "MIT")],
        [vulnerability("CVE-TRI", "lib", severity="critical", score=9.0, state="in_triage")],
    )
    result, report = run_check(
        "--policy", write_policy(tmp_path, '[vulnerabilities]\nseverity = "high"\n'), doc
    )
    assert result.code == 0 and report["warnings"][0]["state"] == "in_triage"
    policy = write_policy(tmp_path, '[vulnerabilities]\nseverity = "high"\nin-triage = "fail"\n')
    result, report = run_check("--policy", policy, doc)
    assert result.code == 1
    assert "vulnerabilities.in-triage = 'fail'" in report["violations"][0]["message"]


# -- exceptions ----------------------------------------------------------------------------

EXCEPTION = """\
[licenses]
allow = ["MIT"]

[vulnerabilities]
severity = "high"

[[exceptions]]
purl = "pkg:npm/foo"
versions = "{versions}"
licenses = ["GPL-3.0-only"]
reason = "Legal approved the GPL for the build tool (LEGAL-7)"
expires = 2026-06-30

[[exceptions]]
purl = "pkg:pypi/bar@1.0"
vulnerabilities = ["CVE-2026-0001"]
reason = "Not reachable: we never parse untrusted input"
expires = "2026-06-30"

[[exceptions]]
purl = "pkg:npm/never-used"
licenses = ["*"]
reason = "Stale"
expires = 2026-01-01
"""


@pytest.fixture
def exception_doc(tmp_path: Path) -> Path:
    return cyclonedx(
        tmp_path / "b.json",
        [
            component(
                "foo-1", "GPL-3.0-only", purl="pkg:npm/foo@1.5.0", name="foo", version="1.5.0"
            ),
            component(
                "foo-2", "GPL-3.0-only", purl="pkg:npm/foo@2.5.0", name="foo", version="2.5.0"
            ),
            component("bar", "MIT", purl="pkg:pypi/bar@1.0", name="bar", version="1.0"),
        ],
        [vulnerability("CVE-2026-0001", "bar", severity="critical", score=9.8)],
    )


@pytest.mark.parametrize("versions", [">=1.0, <2.0", "vers:npm/>=1.0.0|<2.0.0"])
def test_an_active_exception_passes_what_it_names(
    tmp_path: Path, exception_doc: Path, versions: str
) -> None:
    policy = write_policy(tmp_path, EXCEPTION.format(versions=versions))
    result, report = run_check("--policy", policy, exception_doc, date="2026-06-29")
    comps = by_ref(report)
    assert comps["foo-1"]["license"]["verdict"] == "pass"
    assert comps["foo-1"]["license"]["exception"] == (
        f"exception for pkg:npm/foo versions {versions} (policy line 7): Legal approved the "
        "GPL for the build tool (LEGAL-7) (until 2026-06-29)"
    )
    assert comps["foo-2"]["license"]["verdict"] == "fail"  # 2.5.0 is outside the range
    assert comps["bar"]["vulnerabilities"][0]["verdict"] == "pass"
    assert [v["ref"] for v in report["violations"]] == ["foo-2"]
    assert report["policy_notes"] == [
        {
            "kind": "expired-exception",
            "line": 20,
            "message": "the exception for pkg:npm/never-used (policy line 20) expired on "
            "2026-01-01; nothing needed it: remove it",
        }
    ]
    assert result.code == 1


def test_an_expired_exception_fails_saying_when_it_expired(
    tmp_path: Path, exception_doc: Path
) -> None:
    policy = write_policy(tmp_path, EXCEPTION.format(versions=">=1.0, <2.0"))
    result, report = run_check("--policy", policy, exception_doc, date="2026-06-30")
    assert result.code == 1
    messages = {v["ref"]: v["message"] for v in report["violations"]}
    assert messages["foo-1"] == (
        "GPL-3.0-only: not allowed: in neither licenses.allow nor an allowed category "
        "(category strong-copyleft, ScanCode: Copyleft); the exception for pkg:npm/foo "
        "versions >=1.0, <2.0 (policy line 7) expired on 2026-06-30 (reason was: Legal "
        "approved the GPL for the build tool (LEGAL-7))"
    )
    assert "expired on 2026-06-30" in messages["bar"]
    text = run_cli("check", "--policy", policy, exception_doc, "--date", "2026-07-01").stdout
    assert "expired on 2026-06-30" in text


def test_an_exception_for_one_version(tmp_path: Path, exception_doc: Path) -> None:
    policy = write_policy(
        tmp_path,
        '[licenses]\nallow = ["MIT"]\n\n[[exceptions]]\npurl = "pkg:npm/foo@2.5.0"\n'
        'licenses = ["GPL-3.0-only"]\nreason = "r"\nexpires = 2027-01-01\n',
    )
    _result, report = run_check("--policy", policy, exception_doc)
    assert by_ref(report)["foo-1"]["license"]["verdict"] == "fail"
    assert by_ref(report)["foo-2"]["license"]["verdict"] == "pass"


# -- exit codes and errors -----------------------------------------------------------------


def test_exit_0_1_2(tmp_path: Path) -> None:
    good = cyclonedx(tmp_path / "good.json", [component("a", "MIT")])
    bad = cyclonedx(tmp_path / "bad.json", [component("a", "GPL-3.0-only")])
    policy = write_policy(tmp_path, '[licenses]\nallow = ["MIT"]\n')
    assert run_cli("check", "--policy", policy, good).code == 0
    failed = run_cli("check", "--policy", policy, good, bad)
    assert failed.code == 1
    assert failed.stderr.strip().splitlines()[-1].startswith("sbomgen: error: FAILED: 1 violation")
    broken = tmp_path / "broken.json"
    broken.write_text('{"bomFormat": "CycloneDX", "specVersion": ', encoding="utf-8")
    unreadable = run_cli("check", "--policy", policy, good, broken)
    assert unreadable.code == 2 and unreadable.stdout == ""
    assert str(broken) in unreadable.stderr and "Traceback" not in unreadable.stderr
    verbose = run_cli("check", "--policy", policy, broken, "-v")
    assert verbose.code == 2 and "Traceback" in verbose.stderr
    assert run_cli("check", good).code == 2  # no policy
    assert "--policy" in run_cli("check", good).stderr
    assert run_cli("check", "--policy", policy).code == 2  # nothing to check
    assert run_cli("check", "--policy", policy, tmp_path / "missing.json").code == 2
    both = run_cli("check", "--policy", policy, good, "--snapshot", SAMPLE_SNAPSHOT)
    assert both.code == 2 and "not both" in both.stderr
    blocked = tmp_path / "file"
    blocked.write_text("")
    junit = run_cli("check", "--policy", policy, good, "--junit", blocked / "x.xml")
    assert junit.code == 2 and "JUnit" in junit.stderr


POLICY_ERRORS = [
    ('[licence]\nallow = ["MIT"]\n', "policy.toml:1: licence: unknown key"),
    (
        '[licenses]\nallow = [\n  "MIT",\n  "Apache2",\n]\n',
        "policy.toml:4: licenses.allow: 'Apache2' is not an SPDX license id",
    ),
    (
        '[licenses]\n\ndeny = ["MIT OR Apache-2.0"]\n',
        "policy.toml:3: licenses.deny: 'MIT OR Apache-2.0' is an expression",
    ),
    (
        '[licenses]\nallow = ["MIT"]\ndeny = ["mit"]\n',
        "policy.toml:3: licenses.deny: 'mit' is also in licenses.allow",
    ),
    (
        '[licenses]\ndeny-categories = ["copyleft"]\n',
        "policy.toml:2: licenses.deny-categories: unknown category 'copyleft'",
    ),
    (
        '[licenses]\nnoassertion = "maybe"\n',
        "policy.toml:2: licenses.noassertion: should be one of pass, warn, fail",
    ),
    (
        '[licenses]\nallow = "MIT"\nsuspected = 1\n',
        "policy.toml:3: licenses.suspected: should be one of",
    ),
    (
        "[vulnerabilities]\nscore = 11\n",
        "policy.toml:2: vulnerabilities.score: should be from 0 to 10",
    ),
    (
        '[vulnerabilities]\nin-triage = "fail"\n',
        "policy.toml:1: vulnerabilities: give a threshold",
    ),
    (
        '[licenses]\nallow = ["MIT"]\n\n[[exceptions]]\npurl = "pkg:npm/a"\nlicenses = ["*"]\nreason = "r"\n',
        "policy.toml:4: exceptions[0].expires: required",
    ),
    (
        '[licenses]\nallow = ["MIT"]\n[[exceptions]]\npurl = "npm/a"\nlicenses = ["*"]\nreason = "r"\nexpires = 2026-01-01\n',
        "policy.toml:4: exceptions[0].purl: not a purl",
    ),
    (
        '[licenses]\nallow = ["MIT"]\n[[exceptions]]\npurl = "pkg:npm/a"\nversions = "~>1"\nlicenses = ["*"]\nreason = "r"\nexpires = 2026-01-01\n',
        "policy.toml:5: exceptions[0].versions: cannot read '~>1'",
    ),
    (
        '[licenses]\nallow = ["MIT"]\n[[exceptions]]\npurl = "pkg:npm/a"\nreason = "r"\nexpires = "soon"\n',
        "policy.toml:6: exceptions[0].expires: should be a date",
    ),
    (
        '[licenses]\nallow = ["MIT"]\n[[exceptions]]\npurl = "pkg:npm/a"\nreason = "r"\nexpires = 2026-01-01\n',
        "policy.toml:3: exceptions[0]: says what it excepts",
    ),
    ('[licenses]\nallow = ["MIT"\n', "policy.toml:2: not valid TOML"),
    ("# nothing\n", "policy.toml: the policy has no rules"),
]


@pytest.mark.parametrize(("text", "message"), POLICY_ERRORS)
def test_policy_errors_name_the_file_line_and_key(tmp_path: Path, text: str, message: str) -> None:
    doc = cyclonedx(tmp_path / "b.json", [component("a", "MIT")])
    result = run_cli("check", "--policy", write_policy(tmp_path, text), doc, cwd=tmp_path)
    assert result.code == 2, result.stderr
    assert result.stdout == ""
    line = result.stderr.strip()
    assert line.startswith("sbomgen: error: ") and message in line, line
    assert "Traceback" not in line


def test_policy_path_is_named_as_given(tmp_path: Path) -> None:
    doc = cyclonedx(tmp_path / "b.json", [component("a", "MIT")])
    path = write_policy(tmp_path, '[licenses]\nallow = ["Nope-1.0"]\n', "gate.toml")
    result = run_cli("check", "--policy", path, doc)
    assert f"{path}:2: licenses.allow: 'Nope-1.0'" in result.stderr


# -- reports -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The sample, generated as CycloneDX, judged by a policy it partly violates."""
    tmp = tmp_path_factory.mktemp("sample")
    out = tmp / "out"
    generated = run_cli(
        "generate", "--snapshot", SAMPLE_SNAPSHOT, "--format", "cyclonedx-json", "--out", out, "-q"
    )
    assert generated.code == 0, generated.stderr
    policy = write_policy(
        tmp,
        "[licenses]\n"
        'allow-categories = ["permissive", "weak-copyleft"]\n'
        'allow = ["GPL-2.0-only WITH Classpath-exception-2.0", "LicenseRef-Acme-Proprietary-License"]\n'
        'deny-categories = ["strong-copyleft", "network-copyleft"]\n'
        'noassertion = "warn"\n\n'
        '[vulnerabilities]\nseverity = "high"\n\n'
        '[[exceptions]]\npurl = "pkg:npm/lodash"\nversions = "<5"\nvulnerabilities = ["*"]\n'
        'reason = "Not reachable; upgrade planned"\nexpires = 2026-09-30\n',
    )
    doc = out / "Acme-Corp.cdx.json"
    runs: dict[str, Any] = {"tmp": tmp, "policy": policy, "doc": doc}
    for fmt in ("text", "markdown", "html"):
        runs[fmt] = run_cli(
            "check", "--policy", policy, doc, "--format", fmt, "--date", "2026-03-01"
        )
    runs["junit"] = tmp / "reports" / "check.xml"
    runs["json"] = run_check("--policy", policy, doc, "--junit", runs["junit"])
    return runs


def test_the_reports_agree(sample_run: dict[str, Any]) -> None:
    result, report = sample_run["json"]
    assert result.code == 1
    assert all(sample_run[f].code == 1 for f in ("text", "markdown", "html"))
    violations = report["violations"]
    assert {(v["component"], v.get("vulnerability")) for v in violations} >= {
        ("org.apache.logging.log4j/log4j-core 2.14.1", "CVE-2021-44228"),
        ("xmlpull/xmlpull 1.1.3.1", None),
    }
    text = sample_run["text"].stdout
    markdown = sample_run["markdown"].stdout
    for v in violations:
        assert v["message"].split("; ")[0] in text
    assert markdown.startswith("## ❌ sbomgen check: failed")
    assert "| component | rule | expression | why |" in markdown
    assert "### Exceptions applied (1)" in markdown and "lodash 4.17.20: CVE-2021-23337" in markdown
    assert "Choices made (6)" in text


def test_html_is_one_page_with_violations_first_and_filters(sample_run: dict[str, Any]) -> None:
    page = sample_run["html"].stdout
    assert page.startswith("<!DOCTYPE html>")
    assert "src=" not in page and "href=" not in page and "@import" not in page
    assert "default-src 'none'" in page
    assert page.index("Violations and warnings") < page.index("All components")
    for legend in ("Verdict", "License category", "Severity"):
        assert f"<legend>{legend}</legend>" in page
    assert 'value="network-copyleft"' not in page  # only the categories present are offered
    assert 'value="weak-copyleft"' in page and 'value="critical"' in page
    assert "CVE-2021-44228" in page and "chosen: <code>CDDL-1.1</code>" in page


def test_junit_parses_with_one_case_per_component_and_rule(sample_run: dict[str, Any]) -> None:
    from junitparser import Failure, JUnitXml

    _result, report = sample_run["json"]
    path: Path = sample_run["junit"]
    assert sorted(p.name for p in path.parent.iterdir()) == ["check.xml"]  # written atomically
    xml = JUnitXml.fromfile(str(path))
    suites = list(xml)
    assert len(suites) == 1 and suites[0].name == str(sample_run["doc"])
    cases = list(suites[0])
    assert len(cases) == 2 * report["counts"]["components"]
    assert {c.classname for c in cases} == {"license", "vulnerability"}
    failed = {(c.classname, c.name) for c in cases if any(isinstance(r, Failure) for r in c.result)}
    expected = {(v["rule"], f"{v['component']} ({v['purl']})") for v in report["violations"]}
    assert failed == expected
    assert suites[0].failures == len(failed) and suites[0].tests == len(cases)
    log4j = next(c for c in cases if c.classname == "vulnerability" and "log4j-core" in c.name)
    assert "CVE-2021-44228" in log4j.result[0].message


def test_a_snapshot_is_judged_as_its_sbom(sample_run: dict[str, Any]) -> None:
    _result, from_file = sample_run["json"]
    result, from_snapshot = run_check(
        "--policy", sample_run["policy"], "--snapshot", SAMPLE_SNAPSHOT
    )
    assert result.code == 1
    assert from_snapshot["inputs"][0]["standard"] == "sbomgen"

    def key(report: dict[str, Any]) -> set[tuple[Any, ...]]:
        return {
            (v["purl"], v["rule"], v["vulnerability"], v["verdict"])
            for v in report["violations"] + report["warnings"]
        }

    assert key(from_snapshot) == key(from_file)
    assert from_snapshot["counts"] == from_file["counts"]


def test_check_help_loads_no_heavy_module() -> None:
    import sys

    code = (
        "from sbomgen.cli import cli\n"
        "try:\n"
        "    cli.main(args=['check', '--help'], prog_name='sbomgen')\n"
        "except SystemExit:\n"
        "    pass\n"
        "import sys, json; print(json.dumps(sorted(sys.modules)))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(json.loads(proc.stdout.splitlines()[-1]))
    heavy = ("license_expression", "jinja2", "univers", "lxml", "sbomgen.gates", "sbomgen.pipeline")
    assert sorted(m for m in loaded if any(m == h or m.startswith(h + ".") for h in heavy)) == []
    assert "Policy:" in proc.stdout and "--policy" in proc.stdout


# -- the HTML in a browser -----------------------------------------------------------------


def _chromium(tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("chromium is not installed (apt-get install chromium)")
    return subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp / 'profile'}",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.browser
def test_html_report_renders_in_headless_chromium(sample_run: dict[str, Any]) -> None:
    """Opt-in (-m browser): Debian's chromium renders the report to a PNG, and runs its
    filters (chosen by the page's address: #verdict=fail shows the violations only)."""
    import os

    tmp: Path = sample_run["tmp"]
    page = tmp / "check.html"
    page.write_text(sample_run["html"].stdout, encoding="utf-8")
    png = tmp / "check.png"
    proc = _chromium(tmp, "--window-size=1400,1800", f"--screenshot={png}", page.as_uri())
    assert png.is_file(), proc.stderr
    data = png.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 50_000
    keep = os.environ.get("SBOMGEN_KEEP_PNG")
    if keep:
        shutil.copy(png, keep)
    dom = _chromium(tmp, "--dump-dom", page.as_uri() + "#verdict=fail").stdout
    _result, report = sample_run["json"]
    rows = dom.count('class="row"') + dom.count('class="row hidden"')
    hidden = dom.count('class="row hidden"')
    shown = rows - hidden
    # the violations' rows, and each failing component once in the table of all
    assert shown == report["counts"]["violations"] + report["counts"]["failed"]
    assert f"showing {shown} of {rows} rows" in dom


def test_a_live_scope_is_judged_as_its_snapshot(acme: Mend, sample_run: dict[str, Any]) -> None:
    """The organization over HTTP (the emulator serving the sample's dataset), enriched as
    generate enriches it, gives the verdicts its recorded snapshot gives."""
    _result, from_snapshot = run_check(
        "--policy", sample_run["policy"], "--snapshot", SAMPLE_SNAPSHOT
    )
    result = run_cli(
        "check", "--policy", sample_run["policy"], "--org", "--format", "json",
        "--date", "2026-03-01", "--retries", "0", env=acme.env(),
    )  # fmt: skip
    assert result.code == 1, result.stderr
    live = json.loads(result.stdout)
    assert live["inputs"][0]["name"].startswith("http://127.0.0.1")
    assert live["counts"] == from_snapshot["counts"]
    assert [{**v, "input": ""} for v in live["violations"]] == [
        {**v, "input": ""} for v in from_snapshot["violations"]
    ]


def test_the_policy_and_format_from_the_config_file(tmp_path: Path) -> None:
    doc = cyclonedx(tmp_path / "b.json", [component("a", "GPL-2.0-only OR MIT")])
    write_policy(tmp_path, POLICY, "gate.toml")
    (tmp_path / "sbomgen.toml").write_text('[check]\npolicy = "gate.toml"\nformat = "markdown"\n')
    result = run_cli("check", doc, "--date", "2026-03-01", cwd=tmp_path)
    assert result.code == 0, result.stderr
    assert result.stdout.startswith("## ✅ sbomgen check: passed")
    (tmp_path / "sbomgen.toml").write_text("[check]\npolicy = 3\n")
    broken = run_cli("check", doc, cwd=tmp_path)
    assert broken.code == 2 and "Traceback" not in broken.stderr


# -- regressions found in review: the reviewer's small documents -----------------------------


def _write(directory: Path, name: str, doc: Any) -> Path:
    path = directory / name
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc), encoding="utf-8")
    return path


def _cdx(components: list[dict[str, Any]], **more: Any) -> dict[str, Any]:
    return {
        "bomFormat": "CycloneDX",
        "specVersion": "1.5",
        "version": 1,
        "components": components,
        **more,
    }


def test_a_third_party_application_is_judged_and_components_without_a_ref_stay_apart(
    tmp_path: Path,
) -> None:
    doc = _write(
        tmp_path,
        "e3.json",
        _cdx(
            [
                {
                    "type": "application",
                    "bom-ref": "busybox",
                    "name": "busybox",
                    "version": "1.36",
                    "purl": "pkg:apk/alpine/busybox@1.36",
                    "licenses": [{"license": {"id": "GPL-2.0-only"}}],
                },
                {
                    "type": "library",
                    "name": "util",
                    "group": "org.a",
                    "version": "1.0",
                    "purl": "pkg:maven/org.a/util@1.0",
                    "licenses": [{"license": {"id": "MIT"}}],
                },
                {
                    "type": "library",
                    "name": "util",
                    "group": "org.b",
                    "version": "1.0",
                    "purl": "pkg:maven/org.b/util@1.0",
                    "licenses": [{"license": {"id": "GPL-3.0-only"}}],
                },
                # the same again without a purl or group: a third, distinct component
                {"type": "library", "name": "util", "version": "1.0"},
                {"type": "library", "name": "util", "version": "1.0"},
                # sbomgen's own project: no component
                {
                    "type": "application",
                    "bom-ref": "project:1",
                    "name": "proj",
                    "properties": [{"name": "mend:kind", "value": "project"}],
                },
            ],
            metadata={"component": {"type": "application", "bom-ref": "root", "name": "myapp"}},
        ),
    )
    policy = write_policy(tmp_path, '[licenses]\nallow = ["MIT"]\nnoassertion = "pass"\n')
    result, report = run_check("--policy", policy, doc)
    assert result.code == 1, result.stderr
    assert report["counts"]["components"] == 5
    failed = {v["purl"] for v in report["violations"]}
    assert failed == {"pkg:apk/alpine/busybox@1.36", "pkg:maven/org.b/util@1.0"}


def test_a_document_of_one_described_package_is_judged_and_an_empty_one_refused(
    tmp_path: Path,
) -> None:
    s1 = _write(
        tmp_path,
        "s1.spdx.json",
        {
            "spdxVersion": "SPDX-2.3",
            "dataLicense": "CC0-1.0",
            "SPDXID": "SPDXRef-DOCUMENT",
            "name": "libfoo",
            "documentNamespace": "https://example.com/libfoo-1",
            "creationInfo": {"created": "2025-01-01T00:00:00Z", "creators": ["Tool: x"]},
            "packages": [
                {
                    "SPDXID": "SPDXRef-Package-libfoo",
                    "name": "libfoo",
                    "versionInfo": "1.0",
                    "downloadLocation": "NOASSERTION",
                    "licenseConcluded": "AGPL-3.0-only",
                    "licenseDeclared": "AGPL-3.0-only",
                    "copyrightText": "NOASSERTION",
                    "externalRefs": [
                        {
                            "referenceCategory": "PACKAGE-MANAGER",
                            "referenceType": "purl",
                            "referenceLocator": "pkg:generic/libfoo@1.0",
                        }
                    ],
                }
            ],
            "relationships": [
                {
                    "spdxElementId": "SPDXRef-DOCUMENT",
                    "relationshipType": "DESCRIBES",
                    "relatedSpdxElement": "SPDXRef-Package-libfoo",
                }
            ],
        },
    )
    policy = write_policy(tmp_path, '[licenses]\nallow = ["MIT"]\n')
    result, report = run_check("--policy", policy, s1)
    assert result.code == 1, result.stderr
    assert report["counts"]["components"] == 1
    assert report["violations"][0]["component"] == "libfoo 1.0"

    empty = _write(tmp_path, "empty.json", {"bomFormat": "CycloneDX", "specVersion": "1.5"})
    refused = run_cli("check", "--policy", policy, empty)
    assert refused.code == 2
    assert "nothing to judge" in refused.stderr


def test_severity_from_a_rating_with_only_a_score_and_synonyms(tmp_path: Path) -> None:
    doc = _write(
        tmp_path,
        "ev2.json",
        _cdx(
            [
                {
                    "type": "library",
                    "bom-ref": "c0",
                    "name": "x",
                    "version": "1",
                    "purl": "pkg:npm/x@1",
                    "licenses": [{"expression": "MIT"}],
                },
                {
                    "type": "library",
                    "bom-ref": "c1",
                    "name": "y",
                    "version": "1",
                    "purl": "pkg:npm/y@1",
                    "licenses": [{"expression": "MIT"}],
                },
            ],
            vulnerabilities=[
                {
                    "id": "CVE-2099-0001",
                    "ratings": [
                        {"score": 9.8, "method": "CVSSv31"},
                        {"severity": "medium", "method": "other"},
                    ],
                    "affects": [{"ref": "c0"}],
                },
                {
                    "id": "CVE-2099-0002",
                    "ratings": [{"severity": "moderate"}],
                    "affects": [{"ref": "c1"}],
                },
            ],
        ),
    )
    policy = write_policy(tmp_path, '[vulnerabilities]\nseverity = "critical"\n')
    result, report = run_check("--policy", policy, doc)
    assert result.code == 1, result.stderr
    assert [(v["vulnerability"], v["severity"]) for v in report["violations"]] == [
        ("CVE-2099-0001", "critical")
    ]
    policy = write_policy(tmp_path, '[vulnerabilities]\nseverity = "medium"\n')
    _, report = run_check("--policy", policy, doc)
    assert {v["vulnerability"]: v["severity"] for v in report["violations"]} == {
        "CVE-2099-0001": "critical",
        "CVE-2099-0002": "medium",
    }


def test_a_suspected_classifier_license_is_judged(tmp_path: Path) -> None:
    doc = _write(
        tmp_path,
        "e2.json",
        _cdx(
            [
                {
                    "type": "library",
                    "bom-ref": "c0",
                    "name": "a",
                    "version": "1",
                    "purl": "pkg:pypi/a@1",
                    "licenses": [
                        {"license": {"name": "Suspected License :: OSI Approved :: BSD License"}}
                    ],
                },
            ]
        ),
    )
    policy = write_policy(
        tmp_path, '[licenses]\nallow-categories = ["permissive"]\nsuspected = "warn"\n'
    )
    result, report = run_check("--policy", policy, doc)
    assert result.code == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert report["counts"]["warned"] == 1


def test_an_or_prefers_the_branch_allowed_without_an_exception(tmp_path: Path) -> None:
    doc = _write(
        tmp_path,
        "eor.json",
        _cdx(
            [
                {
                    "type": "library",
                    "bom-ref": "c0",
                    "name": "dual",
                    "version": "1.0",
                    "purl": "pkg:npm/dual@1.0",
                    "licenses": [{"expression": "MIT OR GPL-2.0-only"}],
                },
                {
                    "type": "library",
                    "bom-ref": "c1",
                    "name": "dual",
                    "version": "2.0",
                    "purl": "pkg:npm/dual@2.0",
                    "licenses": [{"expression": "GPL-2.0-only OR Apache-2.0"}],
                },
            ]
        ),
    )
    policy = write_policy(
        tmp_path,
        '[licenses]\nallow = ["MIT"]\n\n[[exceptions]]\npurl = "pkg:npm/dual"\n'
        'licenses = ["GPL-2.0-only"]\nreason = "LEGAL-7"\nexpires = 2027-01-01\n',
    )
    result, report = run_check("--policy", policy, doc)
    assert result.code == 0, result.stderr
    components = by_ref(report)
    assert components["c0"]["license"]["chosen"] == "MIT"
    assert components["c1"]["license"]["chosen"] == "GPL-2.0-only"
    # the exception was needed (for 2.0): no "matched nothing" note
    assert not [n for n in report["policy_notes"] if "matched no" in n["message"]]

    only_mit = _write(
        tmp_path,
        "mit.json",
        _cdx(
            [
                {
                    "type": "library",
                    "bom-ref": "c0",
                    "name": "dual",
                    "version": "1.0",
                    "purl": "pkg:npm/dual@1.0",
                    "licenses": [{"expression": "MIT OR GPL-2.0-only"}],
                }
            ]
        ),
    )
    _, report = run_check("--policy", policy, only_mit)
    # a rejected branch uses no exception
    assert [n for n in report["policy_notes"] if "matched no" in n["message"]]


def test_an_exception_for_none_covers_none_and_a_missing_license(tmp_path: Path) -> None:
    doc = _write(
        tmp_path,
        "enone.json",
        _cdx(
            [
                {
                    "type": "library",
                    "bom-ref": "c0",
                    "name": "internal-tool",
                    "version": "1.0",
                    "purl": "pkg:npm/internal-tool@1.0",
                    "licenses": [{"expression": "NONE"}],
                },
                {
                    "type": "library",
                    "bom-ref": "c1",
                    "name": "internal-tool",
                    "version": "1.1",
                    "purl": "pkg:npm/internal-tool@1.1",
                },
            ]
        ),
    )
    for listed in ("NONE", "NOASSERTION"):
        policy = write_policy(
            tmp_path,
            f'[licenses]\nallow = ["MIT"]\n\n[[exceptions]]\npurl = "pkg:npm/internal-tool"\n'
            f'licenses = ["{listed}"]\nreason = "ours"\nexpires = 2027-06-01\n',
        )
        result, report = run_check("--policy", policy, doc)
        assert result.code == 0, (listed, result.stdout)
        assert report["counts"]["passed"] == 2


def test_reports_carry_control_characters_safely(tmp_path: Path) -> None:
    doc = _write(
        tmp_path,
        "ef.json",
        _cdx(
            [
                {
                    "type": "library",
                    "bom-ref": "c0",
                    "name": "evil\u001b[31m\u0007\rname",
                    "version": "1",
                    "purl": "pkg:npm/evil@1",
                    "licenses": [{"license": {"name": "GNU GPL\n\fVersion 2 \u0001 License"}}],
                },
            ]
        ),
    )
    policy = write_policy(tmp_path, '[licenses]\nallow = ["MIT"]\n')
    junit = tmp_path / "out.xml"
    result = run_cli("check", "--policy", policy, doc, "--junit", junit, "--date", "2026-03-01")
    assert result.code == 1, result.stderr
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "\r" not in result.stdout and "\x0c" not in result.stdout
    assert "evil\\x1b[31m" in result.stdout
    from lxml import etree

    parsed = etree.fromstring(junit.read_bytes())  # well-formed XML 1.0
    assert parsed.get("failures") == "1"


@pytest.mark.parametrize("versions", ["^1.2", "~1.2", "1.2.*"])
def test_npm_range_shorthands_in_an_exception_are_refused(tmp_path: Path, versions: str) -> None:
    doc = _write(
        tmp_path,
        "e.json",
        _cdx(
            [
                {
                    "type": "library",
                    "bom-ref": "c0",
                    "name": "left-pad",
                    "version": "1.2.0",
                    "purl": "pkg:npm/left-pad@1.2.0",
                    "licenses": [{"expression": "MIT"}],
                }
            ]
        ),
    )
    policy = write_policy(
        tmp_path,
        '[licenses]\nallow = ["MIT"]\n\n[[exceptions]]\npurl = "pkg:npm/left-pad"\n'
        f'versions = "{versions}"\nlicenses = ["GPL-2.0-only"]\nreason = "x"\n'
        "expires = 2027-06-01\n",
    )
    result = run_cli("check", "--policy", policy, doc)
    assert result.code == 2
    assert "policy.toml:6: exceptions[0].versions" in result.stderr
