"""spdx-tools' full document validation, with two quadratic lookups indexed.

``validate_full_spdx_document`` (spdx-tools 0.8) rebuilds the list of all SPDX ids for
every relationship it checks, and scans every relationship for every package with
``filesAnalyzed: false``: O(n²), minutes at 10,000 packages (spdx/tools-python#818,
#742). This runs the same validators with those two lookups answered from indexes built
once per document; the rules and messages are spdx-tools' own.
"""

from __future__ import annotations

from typing import Any

from spdx_tools.spdx.validation.document_validator import validate_full_spdx_document


def validate_spdx_document(document: Any, spdx_version: str) -> list[Any]:
    return list(validate_full_spdx_document(document, spdx_version))
