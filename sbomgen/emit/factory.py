"""The emitters a run needs, built from the formats the user chose."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from sbomgen.emit.attribution import Attribution, AttributionOptions
from sbomgen.emit.cyclonedx import CycloneDx
from sbomgen.emit.formats import FORMATS, VEX_FORMATS
from sbomgen.emit.interface import DocumentMeta, Emitter
from sbomgen.emit.spdx import Spdx, render_many
from sbomgen.emit.spdx3 import Spdx3
from sbomgen.model import Inventory


class SpdxSet(Emitter):
    """Several SPDX formats of one document: built and validated once, written in each."""

    def __init__(
        self, formats: Sequence[str], version: str, *, exclude_in_house: bool = False
    ) -> None:
        self.members = [Spdx(f, version, exclude_in_house=exclude_in_house) for f in formats]
        self.name = ",".join(m.name for m in self.members)

    def render(self, inventory: Inventory, meta: DocumentMeta) -> dict[str, bytes]:
        return render_many(inventory, meta, self.members)


def make_emitters(
    formats: Sequence[str],
    *,
    cyclonedx_version: str = "1.6",
    spdx_version: str = "2.3",
    exclude_in_house: bool = False,
    attribution: AttributionOptions | None = None,
) -> list[Emitter]:
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown format {unknown[0]!r}")
    out: list[Emitter] = [
        CycloneDx(
            f.removeprefix("cyclonedx-"), cyclonedx_version, exclude_in_house=exclude_in_house
        )
        for f in formats
        if f in ("cyclonedx-json", "cyclonedx-xml")
    ]
    spdx = [f.removeprefix("spdx-") for f in formats if f.startswith("spdx-")]  # SPDX 2
    if spdx:
        out.append(SpdxSet(spdx, spdx_version, exclude_in_house=exclude_in_house))
    if "spdx3-json" in formats:  # SPDX 3.0.1 JSON-LD, whatever --spdx-version says
        out.append(Spdx3(exclude_in_house=exclude_in_house))
    bundle = [f.removeprefix("attribution-") for f in formats if f.startswith("attribution-")]
    if bundle:
        options = attribution or AttributionOptions()
        if exclude_in_house and options.include_in_house:
            options = replace(options, include_in_house=False)
        out.append(Attribution(bundle, options))
    vex = [f for f in formats if f in VEX_FORMATS]
    if vex:  # VEX documents link into the CycloneDX JSON SBOM (sbomgen.emit.cyclonedx_vex)
        from sbomgen.emit.cyclonedx_vex import with_vex

        out = with_vex(out, vex, cyclonedx_version, exclude_in_house=exclude_in_house)
    return out
