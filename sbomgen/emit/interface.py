"""What every emitter offers the pipeline: render a validated document, or refuse."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sbomgen.model import Inventory


@dataclass(frozen=True, kw_only=True)
class OwnFile:
    """The file one of the release's own pieces of software ships as (config [files])."""

    name: str
    sha512: str | None = None
    url: str | None = None  # where it is downloaded from (an http(s) URL)
    archive: bool | None = None  # None: not said
    executable: bool | None = None
    structured: bool | None = None  # True: a container; False: firmware


@dataclass(frozen=True, kw_only=True)
class DocumentMeta:
    """What describes one output document, besides the inventory itself."""

    name: str  # what the document describes: a product, a project, an organization
    version: str | None = None
    timestamp: datetime
    reproducible: bool = False  # SOURCE_DATE_EPOCH was set
    file_stem: str = "sbom"
    authors: tuple[str, ...] = ()
    supplier: str | None = None  # the organization that supplies the described software
    supplier_contact: str | None = None  # its e-mail address or http(s) URL
    # a product's or project's own version, by name (config [versions]); else ``version``
    versions: Mapping[str, str] = field(default_factory=dict)

    def version_of(self, name: str) -> str | None:
        """The version of one of the release's products or projects."""
        return self.versions.get(name, self.version)

    # the file the described software, a product or a project ships as, by name (config
    # [files]; the root by the document's name): BSI TR-03183-2's "filename"
    files: Mapping[str, OwnFile] = field(default_factory=dict)
    # its Package URLs and CPEs, by name (config [identifiers]): NTIA's "other unique
    # identifiers", CISA 2025's "software identifiers"
    identifiers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def purls_of(self, name: str) -> tuple[str, ...]:
        return tuple(i for i in self.identifiers.get(name, ()) if i.startswith("pkg:"))

    def cpes_of(self, name: str) -> tuple[str, ...]:
        return tuple(i for i in self.identifiers.get(name, ()) if i.startswith("cpe:"))

    license: str | None = None  # SPDX expression of the described software (products, projects)
    license_text: str | None = None  # the text of its LicenseRef, when it has one
    copyright: str | None = None  # copyright text of the described software
    bundle_dir: str = "attribution"  # where an attribution bundle goes, inside --out
    extra: Mapping[str, str] = field(default_factory=dict)


class Emitter(ABC):
    """Turns an inventory into files. Validates before returning; never writes itself."""

    name: str

    @abstractmethod
    def render(self, inventory: Inventory, meta: DocumentMeta) -> dict[str, bytes]:
        """Return ``{relative file name: content}``; raise ValidationFailedError if invalid."""
