"""Mend's license vocabulary, mapped to SPDX expressions.

Keys are Mend's license names (matched case-insensitively, whitespace collapsed). Values
are SPDX expressions, or ``None`` for "no assertion". Names Mend uses that have no SPDX id
map to a ``LicenseRef-`` of their own, on purpose, so that the mapping is explicit.

Sources: the license histograms of Mend's API reference (licenses-libraries-api.txt) and
names Mend shows in its UI and reports. Each SPDX id below was checked against the SPDX
license list that license-expression ships (tests/enrich/test_licenses.py re-checks it).
"""

from __future__ import annotations

NOASSERTION = None

# fmt: off
ALIASES: dict[str, str | None] = {
    # -- no assertion -----------------------------------------------------------------------
    "Unknown License": NOASSERTION,
    "Unspecified License": NOASSERTION,
    "Unknown": NOASSERTION,
    "Not Found": NOASSERTION,
    # -- permissive -------------------------------------------------------------------------
    "MIT": "MIT",
    "MIT X11": "MIT",            # "MIT/X11" is the Expat text; SPDX X11 adds the X Consortium clause
    "MIT License": "MIT",
    "Apache 2.0": "Apache-2.0",
    "Apache License 2.0": "Apache-2.0",
    "Apache 1.1": "Apache-1.1",
    "Apache 1.0": "Apache-1.0",
    "BSD 3": "BSD-3-Clause",
    "BSD 3 Clause": "BSD-3-Clause",
    "BSD 2": "BSD-2-Clause",
    "BSD 2 Clause": "BSD-2-Clause",
    "BSD 4": "BSD-4-Clause",
    "BSD Zero Clause": "0BSD",
    "ISC": "ISC",
    "Unlicense": "Unlicense",
    "WTFPL": "WTFPL",
    "Zlib": "Zlib",
    "zlib/libpng": "Zlib",
    "Boost 1.0": "BSL-1.0",
    "Public Domain": "LicenseRef-Public-Domain",  # not a license; SPDX has no id for it
    "CC0": "CC0-1.0",
    "CC0 1.0": "CC0-1.0",
    "CC BY 3.0": "CC-BY-3.0",
    "CC BY 4.0": "CC-BY-4.0",
    "CC BY-SA 3.0": "CC-BY-SA-3.0",
    "CC BY-SA 4.0": "CC-BY-SA-4.0",
    "Python 2.0": "Python-2.0",
    "PSF": "PSF-2.0",
    "Academic 2.1": "AFL-2.1",
    "Academic 3.0": "AFL-3.0",
    "Artistic 1.0": "Artistic-1.0",
    "Artistic 2.0": "Artistic-2.0",
    "Ruby": "Ruby",
    "ICU License": "ICU",
    "Unicode": "Unicode-DFS-2016",
    "JSON License": "JSON",
    "Bouncy Castle License": "MIT",  # the Bouncy Castle licence is the MIT text (bouncycastle.org/licence)
    "Indiana University Extreme!": "xpp",  # SPDX "XPP License" is the Indiana University Extreme! Lab licence
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
    # -- weak copyleft ----------------------------------------------------------------------
    "LGPL 2.0": "LGPL-2.0-only",
    "LGPL 2.1": "LGPL-2.1-only",
    "LGPL 3.0": "LGPL-3.0-only",
    "LGPL 2.1+": "LGPL-2.1-or-later",
    "LGPL 3.0+": "LGPL-3.0-or-later",
    "Mozilla 1.0": "MPL-1.0",
    "Mozilla 1.1": "MPL-1.1",
    "Mozilla 2.0": "MPL-2.0",
    "Eclipse 1.0": "EPL-1.0",
    "Eclipse 2.0": "EPL-2.0",
    "EPL 1.0": "EPL-1.0",
    "EPL 2.0": "EPL-2.0",
    "CDDL 1.0": "CDDL-1.0",
    "CDDL 1.1": "CDDL-1.1",
    "Common Public 1.0": "CPL-1.0",
    "EUPL 1.1": "EUPL-1.1",
    "EUPL 1.2": "EUPL-1.2",
    # -- strong copyleft --------------------------------------------------------------------
    "GPL 1.0": "GPL-1.0-only",
    "GPL 2.0": "GPL-2.0-only",
    "GPL 3.0": "GPL-3.0-only",
    "GPL 2.0+": "GPL-2.0-or-later",
    "GPL 3.0+": "GPL-3.0-or-later",
    "GPL 2.0 Classpath": "GPL-2.0-only WITH Classpath-exception-2.0",
    "GPL 2.0 with Classpath Exception": "GPL-2.0-only WITH Classpath-exception-2.0",
    "GPL 3.0 with GCC Runtime Library Exception": "GPL-3.0-only WITH GCC-exception-3.1",
    "AGPL 3.0": "AGPL-3.0-only",
    "CDDL or GPLv2 with exceptions": "CDDL-1.1 OR GPL-2.0-only WITH Classpath-exception-2.0",
    # -- names without an SPDX id: explicit LicenseRefs ---------------------------------------
    "BSD": "LicenseRef-BSD",            # the clause count is unknown
    "LGPL": "LicenseRef-LGPL",          # the version is unknown
    "GPL": "LicenseRef-GPL",            # the version is unknown
    "Custom": "LicenseRef-Custom",
    "Proprietary": "LicenseRef-Proprietary",
    "Jacob": "LicenseRef-Jacob",
    "JTidy License": "LicenseRef-JTidy-License",
    "Dom4j": "LicenseRef-Dom4j",
    "PIL Software License": "LicenseRef-PIL-Software-License",
    "Oracle Binary (Java SE and JavaFX)": "LicenseRef-Oracle-Binary-Java-SE-and-JavaFX",
}
# fmt: on

# Deprecated SPDX ids that license-expression does not rewrite by itself.
DEPRECATED_COMPOUND: dict[str, str] = {
    "gpl-2.0-with-classpath-exception": "GPL-2.0-only WITH Classpath-exception-2.0",
    "gpl-2.0-with-autoconf-exception": "GPL-2.0-only WITH Autoconf-exception-2.0",
    "gpl-2.0-with-bison-exception": "GPL-2.0-only WITH Bison-exception-2.2",
    "gpl-2.0-with-font-exception": "GPL-2.0-only WITH Font-exception-2.0",
    "gpl-2.0-with-gcc-exception": "GPL-2.0-only WITH GCC-exception-2.0",
    "gpl-3.0-with-autoconf-exception": "GPL-3.0-only WITH Autoconf-exception-3.0",
    "gpl-3.0-with-gcc-exception": "GPL-3.0-only WITH GCC-exception-3.1",
    "ecos-2.0": "GPL-2.0-or-later WITH eCos-exception-2.0",
    "wxwindows": "LGPL-2.0-or-later WITH WxWindows-exception-3.1",
}


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


ALIAS_INDEX: dict[str, str | None] = {_key(k): v for k, v in ALIASES.items()}


def lookup(name: str) -> tuple[bool, str | None]:
    """(found, expression-or-None) for a Mend license name."""
    key = _key(name)
    if key in ALIAS_INDEX:
        return True, ALIAS_INDEX[key]
    return False, None
