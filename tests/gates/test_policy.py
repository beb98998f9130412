"""sbomgen.gates.policy as a library: the category table docs/policy.md documents, policy
entries, version ranges, and the judgement of expressions on their own."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sbomgen.gates.classifiers import TROVE, classifier_licenses
from sbomgen.gates.policy import (
    CheckInput,
    CheckResult,
    Subject,
    VulnerabilityFact,
    category_of,
    judge,
    load_policy,
    parse_entry,
    version_range,
)


@pytest.mark.parametrize(
    ("license_id", "category", "scancode"),
    [
        ("MIT", "permissive", "Permissive"),
        ("CC0-1.0", "public-domain", "Public Domain"),
        ("LGPL-2.1-or-later", "weak-copyleft", "Copyleft Limited"),
        ("MPL-2.0", "weak-copyleft", "Copyleft Limited"),
        ("GPL-3.0-only", "strong-copyleft", "Copyleft"),
        ("AGPL-3.0-or-later", "network-copyleft", "Copyleft"),
        ("SSPL-1.0", "network-copyleft", "Source-available"),
        ("EUPL-1.2", "network-copyleft", "Copyleft Limited"),
        ("OSL-3.0", "network-copyleft", "Copyleft"),
        ("BUSL-1.1", "proprietary", "Source-available"),
        ("LicenseRef-scancode-commercial-license", "proprietary", "Commercial"),
        ("GPL-2.0", "strong-copyleft", "Copyleft"),  # deprecated id, other_spdx_license_keys
        ("Apache-1.0+", "permissive", "Permissive"),  # X+ takes the category of X
        ("LicenseRef-Acme", "unknown", None),
        ("NotALicense-1.0", "unknown", None),
    ],
)
def test_categories(license_id: str, category: str, scancode: str | None) -> None:
    found = category_of(license_id)
    assert (found.name, found.scancode_category) == (category, scancode)


def test_public_domain_is_permissive_and_fine_names_are_kept() -> None:
    assert category_of("Unlicense").names == {"public-domain", "permissive"}
    assert category_of("BUSL-1.1").names == {"proprietary", "source-available"}
    assert category_of("LicenseRef-scancode-commercial-license", licenseref="unknown").name == (
        "unknown"
    )


def test_every_classifier_names_known_licenses_of_one_category() -> None:
    from license_expression import get_spdx_licensing

    known = get_spdx_licensing().known_symbols
    for classifier, ids in TROVE.items():
        for license_id in ids:
            if not license_id.startswith("LicenseRef-"):
                assert str(known[license_id].key) == license_id, classifier
        assert len({category_of(i).name for i in ids}) <= 1, classifier
    assert classifier_licenses("License :: OSI Approved :: MIT License") == ("MIT",)
    assert classifier_licenses("license ::  osi approved :: mit license") == ("MIT",)
    assert classifier_licenses("OSI Approved :: BSD License") is not None
    assert classifier_licenses("MIT License") is None


@pytest.mark.parametrize(
    ("entry", "key"),
    [
        ("mit", "mit"),
        ("GPL-2.0", "gpl-2.0-only"),
        ("GPL-2.0+", "gpl-2.0-or-later"),
        ("gpl-2.0-only with classpath-exception-2.0", "gpl-2.0-only with classpath-exception-2.0"),
        ("LicenseRef-Apache", "licenseref-apache"),  # not license-expression's Apache-2.0
    ],
)
def test_policy_entries(entry: str, key: str) -> None:
    assert parse_entry(entry).key == key


@pytest.mark.parametrize(
    ("entry", "why"),
    [
        ("MIT OR Apache-2.0", "is an expression"),
        ("Apache2", "not an SPDX license id"),
        ("NOASSERTION", "is no license"),
        ("Classpath-exception-2.0", "not an SPDX license"),
        ("License :: OSI Approved :: MIT License", "not an SPDX license"),  # no names
    ],
)
def test_bad_policy_entries(entry: str, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        parse_entry(entry)


@pytest.mark.parametrize(
    ("spec", "purl_type", "inside", "outside"),
    [
        (">=1.0, <2.0", "npm", ["1.0.0", "1.9.9"], ["2.0.0", "0.9"]),
        (">=1.9, <1.10", "maven", ["1.9.5"], ["1.10", "1.8"]),  # not string order
        ("1.2.3", "pypi", ["1.2.3"], ["1.2.4"]),
        ("!=2.0", "pypi", ["1.0", "3.0"], ["2.0"]),
        ("*", "gem", ["0.1", "9"], []),
        ("vers:npm/>=1.0.0|<2.0.0", "npm", ["1.5.0"], ["2.0.0"]),
    ],
)
def test_version_ranges(spec: str, purl_type: str, inside: list[str], outside: list[str]) -> None:
    contains = version_range(spec, purl_type)
    assert all(contains(v) for v in inside) and not any(contains(v) for v in outside)


def test_bad_version_ranges() -> None:
    for spec in ("~>1.0", ">= 1.0 <2.0", "vers:nope"):
        with pytest.raises(ValueError):
            version_range(spec, "npm")


def _judge(
    tmp_path: Path, policy: str, *subjects: Subject, vulns: tuple[VulnerabilityFact, ...] = ()
) -> CheckResult:
    path = tmp_path / "p.toml"
    path.write_text(policy)
    item = CheckInput("doc", "CycloneDX", "1.6", "json", subjects, vulns)
    return judge(load_policy(path), [item], dt.date(2026, 3, 1))


def test_judgement_is_pure_and_ordered(tmp_path: Path) -> None:
    result = _judge(
        tmp_path,
        '[licenses]\nallow = ["MIT"]\n',
        Subject("b", "zeta", "1", None, "GPL-3.0-only"),
        Subject("a", "alpha", "1", None, "GPL-3.0-only OR MIT"),
    )
    assert [c.subject.name for c in result.inputs[0].components] == ["alpha", "zeta"]
    assert result.inputs[0].components[0].license is not None
    assert result.inputs[0].components[0].license.chosen == "MIT"
    assert not result.passed and [f.ref for f in result.violations] == ["b"]


def test_the_worst_of_several_decisions_counts(tmp_path: Path) -> None:
    facts = (
        VulnerabilityFact("CVE-1", "a", 9.0, "critical", "not_affected", "code_not_present"),
        VulnerabilityFact("CVE-1", "a", 9.0, "critical", None),
    )
    result = _judge(
        tmp_path, '[vulnerabilities]\nseverity = "high"\n', Subject("a", "a"), vulns=facts
    )
    (outcome,) = result.inputs[0].components[0].vulnerabilities
    assert outcome.verdict == "fail"
    assert outcome.reason.endswith("(the worst of 2 decisions; the others: not_affected)")
