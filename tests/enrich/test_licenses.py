"""License normalization: every alias, deprecated ids, suspected/unknown/custom, joins,
mapping files, and a property test that no input yields an invalid expression."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sbomgen.enrich.licenses import (
    LicenseNormalizer,
    LicensePolicy,
    licenseref_for,
    normalize_expression,
    spdx_licensing,
)
from sbomgen.enrich.mend_licenses import ALIASES
from sbomgen.errors import ConfigError
from sbomgen.model import NOASSERTION, MendLicense

# Written independently of the alias table: Mend's name -> the SPDX expression it means.
# Every name in the license histograms of licenses-libraries-api.txt is here, plus other
# common Mend names. test_every_alias_is_tested keeps the two in step.
EXPECTED = {
    # the histograms of the Mend reference
    "Unlicense": "Unlicense",
    "GPL 3.0": "GPL-3.0-only",
    "Apache 2.0": "Apache-2.0",
    "Apache 1.1": "Apache-1.1",
    "Mozilla 2.0": "MPL-2.0",
    "Mozilla 1.1": "MPL-1.1",
    "PIL Software License": "LicenseRef-PIL-Software-License",
    "Suspected Proprietary": "LicenseRef-Proprietary",
    "GPL 2.0": "GPL-2.0-only",
    "ICU License": "ICU",
    "CC0": "CC0-1.0",
    "BSD": "LicenseRef-BSD",
    "LGPL": "LicenseRef-LGPL",
    "Academic 2.1": "AFL-2.1",
    "Unspecified License": NOASSERTION,
    "CC BY 3.0": "CC-BY-3.0",
    "ISC": "ISC",
    "Common Public 1.0": "CPL-1.0",
    "Oracle Binary (Java SE and JavaFX)": "LicenseRef-Oracle-Binary-Java-SE-and-JavaFX",
    "Ruby": "Ruby",
    "Bouncy Castle License": "MIT",
    "Eclipse 1.0": "EPL-1.0",
    "Artistic 2.0": "Artistic-2.0",
    "CDDL 1.0": "CDDL-1.0",
    "CDDL 1.1": "CDDL-1.1",
    "Indiana University Extreme!": "xpp",
    "Suspected Apache 2.0": "Apache-2.0",
    "Unknown License": NOASSERTION,
    "Dom4j": "LicenseRef-Dom4j",
    "Custom": "LicenseRef-Custom",
    "Public Domain": "LicenseRef-Public-Domain",
    "CDDL or GPLv2 with exceptions": "CDDL-1.1 OR (GPL-2.0-only WITH Classpath-exception-2.0)",
    "BSD 2": "BSD-2-Clause",
    "BSD 3": "BSD-3-Clause",
    "Python 2.0": "Python-2.0",
    "WTFPL": "WTFPL",
    "LGPL 3.0": "LGPL-3.0-only",
    "LGPL 2.1": "LGPL-2.1-only",
    "MIT": "MIT",
    "JTidy License": "LicenseRef-JTidy-License",
    "Jacob": "LicenseRef-Jacob",
    "GPL 2.0 Classpath": "GPL-2.0-only WITH Classpath-exception-2.0",
    # other common names
    "MIT X11": "MIT",
    "MIT License": "MIT",
    "Apache License 2.0": "Apache-2.0",
    "Apache 1.0": "Apache-1.0",
    "BSD 3 Clause": "BSD-3-Clause",
    "BSD 2 Clause": "BSD-2-Clause",
    "BSD 4": "BSD-4-Clause",
    "BSD Zero Clause": "0BSD",
    "Zlib": "Zlib",
    "zlib/libpng": "Zlib",
    "Boost 1.0": "BSL-1.0",
    "CC0 1.0": "CC0-1.0",
    "CC BY 4.0": "CC-BY-4.0",
    "CC BY-SA 3.0": "CC-BY-SA-3.0",
    "CC BY-SA 4.0": "CC-BY-SA-4.0",
    "PSF": "PSF-2.0",
    "Academic 3.0": "AFL-3.0",
    "Artistic 1.0": "Artistic-1.0",
    "Unicode": "Unicode-DFS-2016",
    "JSON License": "JSON",
    "OpenSSL": "OpenSSL",
    "PostgreSQL": "PostgreSQL",
    "Microsoft Public License": "MS-PL",
    "MS-PL": "MS-PL",
    "Microsoft Reciprocal License": "MS-RL",
    "W3C": "W3C",
    "UPL 1.0": "UPL-1.0",
    "BlueOak 1.0.0": "BlueOak-1.0.0",
    "Beerware": "Beerware",
    "SIL OFL 1.1": "OFL-1.1",
    "LGPL 2.0": "LGPL-2.0-only",
    "LGPL 2.1+": "LGPL-2.1-or-later",
    "LGPL 3.0+": "LGPL-3.0-or-later",
    "Mozilla 1.0": "MPL-1.0",
    "Eclipse 2.0": "EPL-2.0",
    "EPL 1.0": "EPL-1.0",
    "EPL 2.0": "EPL-2.0",
    "EUPL 1.1": "EUPL-1.1",
    "EUPL 1.2": "EUPL-1.2",
    "GPL 1.0": "GPL-1.0-only",
    "GPL 2.0+": "GPL-2.0-or-later",
    "GPL 3.0+": "GPL-3.0-or-later",
    "GPL 2.0 with Classpath Exception": "GPL-2.0-only WITH Classpath-exception-2.0",
    "GPL 3.0 with GCC Runtime Library Exception": "GPL-3.0-only WITH GCC-exception-3.1",
    "AGPL 3.0": "AGPL-3.0-only",
    "GPL": "LicenseRef-GPL",
    "Proprietary": "LicenseRef-Proprietary",
    "Unknown": NOASSERTION,
    "Not Found": NOASSERTION,
}


@pytest.fixture(scope="module")
def normalizer() -> LicenseNormalizer:
    return LicenseNormalizer()


@pytest.mark.parametrize(("name", "expected"), sorted(EXPECTED.items()))
def test_mend_name(normalizer: LicenseNormalizer, name: str, expected: str) -> None:
    resolved = normalizer.resolve(MendLicense(name=name))
    assert resolved.expression == expected
    assert resolved.suspected is name.startswith("Suspected ")
    assert normalize_expression(resolved.expression) == expected


def test_every_alias_is_tested() -> None:
    untested = [name for name in ALIASES if name not in EXPECTED]
    assert not untested


def test_alias_table_only_holds_valid_expressions() -> None:
    for name, expression in ALIASES.items():
        if expression is not None:
            assert normalize_expression(expression) is not None, name


@pytest.mark.parametrize(
    ("spdx_name", "expected"),
    [
        ("GPL-2.0", "GPL-2.0-only"),
        ("GPL-2.0+", "GPL-2.0-or-later"),
        ("LGPL-2.1", "LGPL-2.1-only"),
        ("LGPL-3.0+", "LGPL-3.0-or-later"),
        ("AGPL-3.0", "AGPL-3.0-only"),
        ("GFDL-1.3", "GFDL-1.3-only"),
        ("GPL-2.0-with-classpath-exception", "GPL-2.0-only WITH Classpath-exception-2.0"),
        ("GPL-2.0-with-autoconf-exception", "GPL-2.0-only WITH Autoconf-exception-2.0"),
        ("GPL-3.0-with-GCC-exception", "GPL-3.0-only WITH GCC-exception-3.1"),
        ("eCos-2.0", "GPL-2.0-or-later WITH eCos-exception-2.0"),
        ("wxWindows", "LGPL-2.0-or-later WITH WxWindows-exception-3.1"),
        ("StandardML-NJ", "SMLNJ"),
        ("Nunit", "zlib-acknowledgement"),
        ("BSD-2-Clause-NetBSD", "BSD-2-Clause"),
        ("apache-2.0", "Apache-2.0"),
    ],
)
def test_deprecated_spdx_names_become_current(
    normalizer: LicenseNormalizer, spdx_name: str, expected: str
) -> None:
    resolved = normalizer.resolve(MendLicense(name="Some Vendor Name", spdx_name=spdx_name))
    assert (resolved.expression, resolved.method) == (expected, "spdxName")


def test_alias_beats_a_wrong_spdx_name(normalizer: LicenseNormalizer) -> None:
    """Mend's own exporter turned LGPL 2.1 into GPL-2.1-or-later by a substring match."""
    resolved = normalizer.resolve(MendLicense(name="LGPL 2.1", spdx_name="GPL-2.1-or-later"))
    assert resolved.expression == "LGPL-2.1-only"


def test_name_as_spdx_id_and_url(normalizer: LicenseNormalizer) -> None:
    assert normalizer.resolve(MendLicense(name="mpl-2.0")).expression == "MPL-2.0"
    by_url = normalizer.resolve(
        MendLicense(name="Some License", url="http://www.opensource.org/licenses/EPL-1.0")
    )
    assert (by_url.expression, by_url.method) == ("EPL-1.0", "url")
    assert (
        normalizer.resolve(
            MendLicense(name="X", url="https://spdx.org/licenses/0BSD.html")
        ).expression
        == "0BSD"
    )


def test_custom_license_becomes_licenseref(normalizer: LicenseNormalizer) -> None:
    resolved = normalizer.resolve(MendLicense(name="Acme Proprietary License v2 (internal)"))
    assert resolved.expression == "LicenseRef-Acme-Proprietary-License-v2-internal"
    assert resolved.method == "licenseref"
    assert licenseref_for("  ").startswith("LicenseRef-Mend-")


def test_several_licenses_are_a_choice_by_default(normalizer: LicenseNormalizer) -> None:
    decision = normalizer.decide(
        [MendLicense(name="Eclipse 2.0"), MendLicense(name="GPL 2.0 Classpath")]
    )
    assert decision.declared == "EPL-2.0 OR (GPL-2.0-only WITH Classpath-exception-2.0)"
    assert decision.inference is not None and "OR" in decision.inference
    conj = LicenseNormalizer(operator="AND").decide(
        [MendLicense(name="MIT"), MendLicense(name="BSD 3")]
    )
    assert conj.declared == "MIT AND BSD-3-Clause" and conj.inference is not None


def test_duplicates_and_noassertion_parts(normalizer: LicenseNormalizer) -> None:
    same = normalizer.decide([MendLicense(name="MIT"), MendLicense(name="MIT License")])
    assert same.declared == "MIT" and same.inference is None
    mixed = normalizer.decide([MendLicense(name="Unknown License"), MendLicense(name="Apache 2.0")])
    assert mixed.declared == "Apache-2.0"
    assert normalizer.decide([MendLicense(name="Unknown License")]).declared == NOASSERTION
    assert normalizer.decide([]).declared == NOASSERTION


def test_suspected_is_flagged(normalizer: LicenseNormalizer) -> None:
    decision = normalizer.decide([MendLicense(name="Suspected MIT")])
    # a suspicion is Mend's conclusion, not the authors' declaration (SPDX 2.3 7.15)
    assert (decision.declared, decision.concluded) == ("NOASSERTION", "MIT")
    assert decision.suspected
    mixed = normalizer.decide([MendLicense(name="Apache 2.0"), MendLicense(name="Suspected MIT")])
    assert (mixed.declared, mixed.concluded) == ("Apache-2.0", "Apache-2.0 OR MIT")


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "MIT OR",
        "Classpath-exception-2.0",
        "MIT WITH Apache-2.0",
        "FOO",
        "(MIT",
        "MIT AND AND BSD-3-Clause",
        "LicenseRef-",
    ],
)
def test_invalid_expressions_are_refused(bad: str) -> None:
    assert normalize_expression(bad) is None


# -- property: no Mend name, spdxName or url yields an invalid expression -----------------

LICENSEREF = re.compile(r"^LicenseRef-[A-Za-z0-9.-]+$")


def _valid(expression: str) -> bool:
    if expression == NOASSERTION or LICENSEREF.match(expression):
        return True
    licensing = spdx_licensing()
    refs = set(re.findall(r"LicenseRef-[A-Za-z0-9.-]+", expression))
    info = licensing.validate(expression)
    return not info.errors or set(info.invalid_symbols) <= refs


@settings(max_examples=400, deadline=None)
@given(
    name=st.text(max_size=60),
    spdx_name=st.one_of(
        st.none(),
        st.text(max_size=40),
        st.sampled_from(["GPL-2.0", "MIT OR", "LicenseRef-x", "(", "AND"]),
    ),
    url=st.one_of(st.none(), st.text(max_size=40), st.just("https://opensource.org/licenses/MIT")),
)
def test_any_input_gives_a_valid_expression(
    name: str, spdx_name: str | None, url: str | None
) -> None:
    normalizer = LicenseNormalizer()
    decision = normalizer.decide(
        [MendLicense(name=name, spdx_name=spdx_name, url=url), MendLicense(name=name[::-1])]
    )
    for expression in (decision.declared, *(p.expression for p in decision.parts)):
        assert _valid(expression), (name, spdx_name, url, expression)
        assert normalize_expression(expression) is not None


# -- mapping files and curations ----------------------------------------------------------


def _policy(tmp_path: Path, text: str) -> LicensePolicy:
    path = tmp_path / "map.toml"
    path.write_text(text)
    return LicensePolicy.load(path)


def test_mapping_file_wins_and_is_reported(tmp_path: Path) -> None:
    policy = _policy(
        tmp_path, '[licenses]\n"Bouncy Castle License" = "MIT"\n"Dom4j" = "BSD-3-Clause"\n'
    )
    resolved = LicenseNormalizer(policy).resolve(MendLicense(name="Dom4j"))
    assert (resolved.expression, resolved.method) == ("BSD-3-Clause", "mapping-file")


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('[licenses]\n"A" = "MIT"\n"B" = "NOT VALID"\n', 3, "not a valid SPDX expression"),
        ('[licenses]\n"A" = 3\n', 2, "should be a string"),
        (
            '[licenses]\n"A" = "MIT"\n[[curations]]\npurl = "pkg:npm/x@1"\nlicense = "MIT"\n',
            3,
            "'reason' is missing",
        ),
        ('[[curations]]\nlicense = "MIT"\nreason = "r"\n', 1, "needs 'purl' or 'keyUuid'"),
        (
            '[[curations]]\nkeyUuid = "k"\nlicense = "BAD LICENSE"\nreason = "r"\n',
            1,
            "not a valid SPDX",
        ),
        (
            '[[curations]]\nkeyUuid = "k"\nlicense = "MIT"\nreason = "r"\nextra = 1\n',
            1,
            "unknown field 'extra'",
        ),
        ("[mystery]\nx = 1\n", 1, "unknown table 'mystery'"),
    ],
)
def test_malformed_mapping_file_names_file_and_line(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    with pytest.raises(ConfigError) as info:
        _policy(tmp_path, text)
    assert f"map.toml:{line}:" in str(info.value)
    assert message in str(info.value)


def test_toml_syntax_error_names_the_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"map\.toml: not valid TOML: .*line 2"):
        _policy(tmp_path, '[licenses]\n"A" = \n')


def test_mapping_a_suspected_name_keeps_the_suspicion() -> None:
    policy = LicensePolicy(mapping={"suspected mit": "MIT"})
    decision = LicenseNormalizer(policy).decide([MendLicense(name="Suspected MIT")])
    assert (decision.declared, decision.concluded) == ("NOASSERTION", "MIT")
    assert decision.suspected
