"""Emitters: CycloneDX and SPDX documents and attribution bundles.

Importing this package is cheap: the constants come from :mod:`sbomgen.emit.formats`, and
the emitters (which load cyclonedx-python-lib, spdx-tools, jinja2 and the validators) are
imported on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from sbomgen.emit.formats import CYCLONEDX_VERSIONS, DEFAULT_FORMATS, FORMATS, SPDX_VERSIONS

if TYPE_CHECKING:
    from sbomgen.emit.attribution import Attribution, AttributionOptions
    from sbomgen.emit.cyclonedx import CycloneDx
    from sbomgen.emit.factory import SpdxSet, make_emitters
    from sbomgen.emit.interface import DocumentMeta, Emitter
    from sbomgen.emit.spdx import Spdx

_LAZY = {
    "Attribution": "sbomgen.emit.attribution",
    "AttributionOptions": "sbomgen.emit.attribution",
    "CycloneDx": "sbomgen.emit.cyclonedx",
    "DocumentMeta": "sbomgen.emit.interface",
    "Emitter": "sbomgen.emit.interface",
    "Spdx": "sbomgen.emit.spdx",
    "SpdxSet": "sbomgen.emit.factory",
    "make_emitters": "sbomgen.emit.factory",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'sbomgen.emit' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


__all__ = [
    "CYCLONEDX_VERSIONS",
    "DEFAULT_FORMATS",
    "FORMATS",
    "SPDX_VERSIONS",
    "Attribution",
    "AttributionOptions",
    "CycloneDx",
    "DocumentMeta",
    "Emitter",
    "Spdx",
    "SpdxSet",
    "make_emitters",
]
