"""Python's license classifiers (PyPI's trove classifiers, ``License :: …``), as the
licenses each may stand for.

Python SBOM producers (cyclonedx-py, sbom4python) write a package's classifiers as license
names beside, or instead of, an SPDX expression. Many classifiers name a family, not a
license: "Apache Software License" is Apache-1.1 or Apache-2.0, "BSD License" any BSD
variant. ``check`` never picks one: a classifier that names one license is read as that
license; one that names a family is judged by what all of its licenses share (the same
list entry, or the same category), and fails an allow list that does not cover them all.

Each entry lists the SPDX ids the classifier can mean, from the classifier's own words
(a version in its name, "or later", the family it names); a classifier not listed here
is an unknown license.
"""

from __future__ import annotations

from collections.abc import Mapping

_GPL = (
    "GPL-1.0-only",
    "GPL-1.0-or-later",
    "GPL-2.0-only",
    "GPL-2.0-or-later",
    "GPL-3.0-only",
    "GPL-3.0-or-later",
)
_LGPL = (
    "LGPL-2.0-only",
    "LGPL-2.0-or-later",
    "LGPL-2.1-only",
    "LGPL-2.1-or-later",
    "LGPL-3.0-only",
    "LGPL-3.0-or-later",
)
_GFDL = (
    "GFDL-1.1-only",
    "GFDL-1.1-or-later",
    "GFDL-1.2-only",
    "GFDL-1.2-or-later",
    "GFDL-1.3-only",
    "GFDL-1.3-or-later",
)

# the classifier after "License :: " -> the SPDX ids it may stand for
TROVE: Mapping[str, tuple[str, ...]] = {
    "OSI Approved": (),  # names no license: any OSI-approved one
    "OSI Approved :: Academic Free License (AFL)": (
        "AFL-1.1",
        "AFL-1.2",
        "AFL-2.0",
        "AFL-2.1",
        "AFL-3.0",
    ),
    "OSI Approved :: Apache Software License": ("Apache-1.1", "Apache-2.0"),
    "OSI Approved :: Apple Public Source License": (
        "APSL-1.0",
        "APSL-1.1",
        "APSL-1.2",
        "APSL-2.0",
    ),
    "OSI Approved :: Artistic License": (
        "Artistic-1.0",
        "Artistic-1.0-Perl",
        "Artistic-1.0-cl8",
        "Artistic-2.0",
    ),
    "OSI Approved :: Attribution Assurance License": ("AAL",),
    "OSI Approved :: Blue Oak Model License (BlueOak-1.0.0)": ("BlueOak-1.0.0",),
    "OSI Approved :: Boost Software License 1.0 (BSL-1.0)": ("BSL-1.0",),
    "OSI Approved :: BSD License": ("0BSD", "BSD-1-Clause", "BSD-2-Clause", "BSD-3-Clause"),
    "OSI Approved :: CEA CNRS Inria Logiciel Libre License, version 2.1 (CeCILL-2.1)": (
        "CECILL-2.1",
    ),
    "OSI Approved :: Common Development and Distribution License 1.0 (CDDL-1.0)": ("CDDL-1.0",),
    "OSI Approved :: Common Public License": ("CPL-1.0",),
    "OSI Approved :: Eclipse Public License 1.0 (EPL-1.0)": ("EPL-1.0",),
    "OSI Approved :: Eclipse Public License 2.0 (EPL-2.0)": ("EPL-2.0",),
    "OSI Approved :: Educational Community License, Version 2.0 (ECL-2.0)": ("ECL-2.0",),
    "OSI Approved :: Eiffel Forum License": ("EFL-1.0", "EFL-2.0"),
    "OSI Approved :: European Union Public Licence 1.0 (EUPL 1.0)": ("EUPL-1.0",),
    "OSI Approved :: European Union Public Licence 1.1 (EUPL 1.1)": ("EUPL-1.1",),
    "OSI Approved :: European Union Public Licence 1.2 (EUPL 1.2)": ("EUPL-1.2",),
    "OSI Approved :: GNU Affero General Public License v3": (
        "AGPL-3.0-only",
        "AGPL-3.0-or-later",
    ),
    "OSI Approved :: GNU Affero General Public License v3 or later (AGPLv3+)": (
        "AGPL-3.0-or-later",
    ),
    "OSI Approved :: GNU Free Documentation License (FDL)": _GFDL,
    "OSI Approved :: GNU General Public License (GPL)": _GPL,
    "OSI Approved :: GNU General Public License v2 (GPLv2)": (
        "GPL-2.0-only",
        "GPL-2.0-or-later",
    ),
    "OSI Approved :: GNU General Public License v2 or later (GPLv2+)": ("GPL-2.0-or-later",),
    "OSI Approved :: GNU General Public License v3 (GPLv3)": (
        "GPL-3.0-only",
        "GPL-3.0-or-later",
    ),
    "OSI Approved :: GNU General Public License v3 or later (GPLv3+)": ("GPL-3.0-or-later",),
    "OSI Approved :: GNU Lesser General Public License v2 (LGPLv2)": _LGPL[:4],
    "OSI Approved :: GNU Lesser General Public License v2 or later (LGPLv2+)": (
        "LGPL-2.0-or-later",
        "LGPL-2.1-or-later",
    ),
    "OSI Approved :: GNU Lesser General Public License v3 (LGPLv3)": (
        "LGPL-3.0-only",
        "LGPL-3.0-or-later",
    ),
    "OSI Approved :: GNU Lesser General Public License v3 or later (LGPLv3+)": (
        "LGPL-3.0-or-later",
    ),
    "OSI Approved :: GNU Library or Lesser General Public License (LGPL)": _LGPL,
    "OSI Approved :: Historical Permission Notice and Disclaimer (HPND)": ("HPND",),
    "OSI Approved :: IBM Public License": ("IPL-1.0",),
    "OSI Approved :: Intel Open Source License": ("Intel",),
    "OSI Approved :: ISC License (ISCL)": ("ISC",),
    "OSI Approved :: MIT License": ("MIT",),
    "OSI Approved :: MIT No Attribution License (MIT-0)": ("MIT-0",),
    "OSI Approved :: Motosoto License": ("Motosoto",),
    "OSI Approved :: Mozilla Public License 1.0 (MPL)": ("MPL-1.0",),
    "OSI Approved :: Mozilla Public License 1.1 (MPL 1.1)": ("MPL-1.1",),
    "OSI Approved :: Mozilla Public License 2.0 (MPL 2.0)": ("MPL-2.0",),
    "OSI Approved :: Mulan Permissive Software License v2 (MulanPSL-2.0)": ("MulanPSL-2.0",),
    "OSI Approved :: Nethack General Public License": ("NGPL",),
    "OSI Approved :: Nokia Open Source License": ("Nokia",),
    "OSI Approved :: Open Group Test Suite License": ("OGTSL",),
    "OSI Approved :: Open Software License 3.0 (OSL-3.0)": ("OSL-3.0",),
    "OSI Approved :: PostgreSQL License": ("PostgreSQL",),
    "OSI Approved :: Python License (CNRI Python License)": ("CNRI-Python",),
    "OSI Approved :: Python Software Foundation License": ("PSF-2.0", "Python-2.0"),
    "OSI Approved :: Qt Public License (QPL)": ("QPL-1.0",),
    "OSI Approved :: Ricoh Source Code Public License": ("RSCPL",),
    "OSI Approved :: SIL Open Font License 1.1 (OFL-1.1)": ("OFL-1.1",),
    "OSI Approved :: Sleepycat License": ("Sleepycat",),
    "OSI Approved :: Sun Industry Standards Source License (SISSL)": ("SISSL", "SISSL-1.2"),
    "OSI Approved :: Sun Public License": ("SPL-1.0",),
    "OSI Approved :: The Unlicense (Unlicense)": ("Unlicense",),
    "OSI Approved :: Universal Permissive License (UPL)": ("UPL-1.0",),
    "OSI Approved :: University of Illinois/NCSA Open Source License": ("NCSA",),
    "OSI Approved :: Vovida Software License 1.0": ("VSL-1.0",),
    "OSI Approved :: W3C License": ("W3C", "W3C-19980720", "W3C-20150513"),
    "OSI Approved :: X.Net License": ("Xnet",),
    "OSI Approved :: zlib/libpng License": ("Zlib",),
    "OSI Approved :: Zope Public License": ("ZPL-1.1", "ZPL-2.0", "ZPL-2.1"),
    "Aladdin Free Public License (AFPL)": ("Aladdin",),
    "CC0 1.0 Universal (CC0 1.0) Public Domain Dedication": ("CC0-1.0",),
    "CeCILL-B Free Software License Agreement (CECILL-B)": ("CECILL-B",),
    "CeCILL-C Free Software License Agreement (CECILL-C)": ("CECILL-C",),
    "Eiffel Forum License (EFL)": ("EFL-1.0", "EFL-2.0"),
    "Netscape Public License (NPL)": ("NPL-1.0", "NPL-1.1"),
    "Nokia Open Source License (NOKOS)": ("Nokia",),
    "Other/Proprietary License": ("LicenseRef-scancode-proprietary-license",),
    "Public Domain": ("LicenseRef-scancode-public-domain",),
}

_PREFIX = "License :: "
_FOLDED = {k.casefold(): v for k, v in TROVE.items()}


def classifier_licenses(name: str) -> tuple[str, ...] | None:
    """The SPDX ids a license classifier may stand for, or None when ``name`` is no
    classifier this table knows. Matched whole, without regard to case, with or without
    the leading ``License :: ``."""
    text = " ".join(name.split())
    if text.casefold().startswith(_PREFIX.casefold()):
        text = text[len(_PREFIX) :]
    return _FOLDED.get(text.casefold())
