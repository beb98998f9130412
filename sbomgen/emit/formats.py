"""The output vocabulary: formats, specification versions and bundle options.

Plain constants, importable without loading any emitter (the CLI builds its options and
help from them, and must start in a fraction of a second).
"""

from __future__ import annotations

FORMATS = (
    "cyclonedx-json",
    "cyclonedx-xml",
    "cyclonedx-vex",
    "spdx-json",
    "spdx-yaml",
    "spdx-xml",
    "spdx-tv",
    "spdx-rdf",
    "spdx3-json",
    "openvex",
    "attribution-html",
    "attribution-txt",
    "attribution-md",
)
DEFAULT_FORMATS = ("cyclonedx-json", "spdx-json")
# what people decided about vulnerabilities (VEX), pointing into the CycloneDX JSON SBOM
VEX_FORMATS = ("cyclonedx-vex", "openvex")
CYCLONEDX_VERSIONS = ("1.4", "1.5", "1.6", "1.7")
SPDX_VERSIONS = ("2.2", "2.3")

# the attribution bundle: NOTICE.<format>, sections, layouts, and the missing-license text
ATTRIBUTION_FORMATS = ("html", "txt", "md")
ATTRIBUTION_SCOPES = ("SUMMARY", "LICENSES", "COPYRIGHTS", "NOTICES", "PRIMARY_ATTRIBUTES")
AGGREGATIONS = ("BY_COMPONENT", "BY_PROJECT")
MISSING_LICENSE = ("BLANK", "GENERIC_LICENSE")


def single_file(fmt: str) -> bool:
    """Whether a format is one file (a document), not a bundle of several."""
    return not fmt.startswith("attribution-")
