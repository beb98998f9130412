"""Assembling mode: gather every fact for a scope with the fewest requests.

For a product (works with a product-admin key; no organization-level request):

=============================  ==========================================================
request                        why
=============================  ==========================================================
getProductTags                 the product's name and tags
getProductProjectVitals        its projects: names, tokens, dates, plugin
getProductProjectTags          the projects' tags, in one call
getProductLicenses             every library's licenses, copyright references,
                               description, references and the projects it occurs in
getProductAlertsByType         SECURITY_VULNERABILITY alerts: the vulnerabilities
getProductInHouseLibraries     which libraries are in-house
getProductLibraryLocations     where each library was found
getLicensesTextZip             the license texts Mend holds
getCopyrightsTextFile          the copyrights text file (kept as evidence, and merged)
getNoticesTextFile             NOTICE texts (only available per product)
getProjectHierarchy (each)     the dependency tree: edges, direct/transitive, Mend type
getProjectInventory (each)     every library with its match type, including libraries
                               the hierarchy does not place
=============================  ==========================================================

For projects given without their product, the project-level twins are used (and the
notices file, which Mend offers per product only, is missing: a warning says so). With
``--org``, ``getOrganizationDetails`` and ``getOrganizationProductVitals`` list the
products, then each product is fetched as above.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Protocol, TypeVar

from sbomgen.errors import ConfigError, InputDataError, MendApiError
from sbomgen.model import (
    Copyright,
    Inventory,
    KeyUuid,
    Library,
    LicenseText,
    Product,
    ProductToken,
    Project,
    ProjectToken,
    Provenance,
)
from sbomgen.sources import parse
from sbomgen.sources.client import MendResponse
from sbomgen.sources.contract import MendVersionError
from sbomgen.sources.interface import Transport
from sbomgen.sources.parse import Ctx

log = logging.getLogger(__name__)
T = TypeVar("T")

VULN_ALERT = "SECURITY_VULNERABILITY"
# Every occurrence: the reference documents no default for excludeProjectOccurrences.
OCCURRENCES = {"excludeProjectOccurrences": False}
# Required in API v1.4. "true" adds who changed a copyright; sbomgen wants the lines only.
COPYRIGHT_LINES = {"showCopyrightExtraDetails": "false"}


@dataclass(frozen=True)
class FetchScope:
    products: tuple[str, ...] = ()
    projects: tuple[str, ...] = ()
    org: bool = False

    def __post_init__(self) -> None:
        if not (self.products or self.projects or self.org):
            raise ConfigError("no scope: give --product TOKEN, --project TOKEN or --org")


class Observer(Protocol):
    """Progress hooks; the CLI draws them, everything else ignores them."""

    def request(self, request_type: str, scope: str) -> None: ...

    def note(self, message: str) -> None: ...


class NullObserver:
    def request(self, request_type: str, scope: str) -> None:
        pass

    def note(self, message: str) -> None:
        pass


class Fetcher:
    def __init__(self, transport: Transport, observer: Observer | None = None) -> None:
        self.transport = transport
        self.observer = observer or NullObserver()

    # -- plumbing ---------------------------------------------------------------------

    def _call(
        self, ctx: Ctx, params: Mapping[str, Any], *, org_level: bool = False
    ) -> tuple[MendResponse, Ctx]:
        self.observer.request(ctx.request_type, ctx.scope_name)
        response = self.transport.call(ctx.request_type, params, org_level=org_level)
        if response.origin:
            ctx = replace(ctx, origin=response.origin)
        return response, ctx

    def _json(
        self, ctx: Ctx, params: Mapping[str, Any], *, org_level: bool = False
    ) -> tuple[dict[str, Any], Ctx]:
        response, ctx = self._call(ctx, params, org_level=org_level)
        if not response.is_json and response.body.lstrip()[:1] != b"{":
            # the reference calls the API "a JSON speaking web service" and names no content
            # type for JSON answers: the body decides
            raise ctx.fail("body", f"should be JSON, got content type {response.content_type!r}")
        return response.json(), ctx

    # -- entry point ------------------------------------------------------------------

    def fetch(self, scope: FetchScope) -> Inventory:
        org_name: str | None = None
        product_tokens = list(dict.fromkeys(scope.products))
        if scope.org:
            data, ctx = self._json(
                Ctx("getOrganizationDetails", scope_name="organization"), {}, org_level=True
            )
            org_name = parse._str(ctx, data, "orgName")
            data, ctx = self._json(
                Ctx("getOrganizationProductVitals", scope_name="organization"), {}, org_level=True
            )
            for v in parse.parse_vitals(ctx, data, "productVitals"):
                if v.token not in product_tokens:
                    product_tokens.append(v.token)
        wanted = set(scope.projects)
        inventory = Inventory(org_name=org_name)
        explicit = set(scope.products)
        for token in product_tokens:
            inventory = inventory.merge(
                self.fetch_product(ProductToken(token), wanted or None, quiet=token not in explicit)
            )
        leftovers = [p for p in dict.fromkeys(scope.projects) if p not in inventory.projects]
        if leftovers and product_tokens:
            where = (
                "any product of the organization"
                if scope.org
                else f"the given --product{'s' if len(explicit) != 1 else ''}"
            )
            raise ConfigError(
                f"--project {leftovers[0]} is not in {where}"
                + ("" if scope.org else "; give its product too, or only --project")
            )
        for token in leftovers:
            inventory = inventory.merge(self.fetch_project(ProjectToken(token)))
        return inventory

    # -- one product ------------------------------------------------------------------

    def fetch_product(
        self, product: ProductToken, only: set[str] | None = None, *, quiet: bool = False
    ) -> Inventory:
        base = {"productToken": product}
        data, ctx = self._json(Ctx("getProductTags", product=product, scope_name="product"), base)
        tagged = parse.parse_tags(ctx, data, "productTags")
        if not tagged:
            raise ctx.fail("productTags", "is empty: the product token is unknown to Mend")
        name = tagged[0].name or str(product)
        scope_name = f"product {name}"

        def c(request_type: str) -> Ctx:
            return Ctx(request_type, product=product, scope_name=scope_name)

        data, ctx = self._json(c("getProductProjectVitals"), base)
        vitals = parse.parse_vitals(ctx, data, "projectVitals")
        if only is not None:
            vitals = [v for v in vitals if v.token in only]
            if not vitals and not quiet:
                log.warning(
                    "%s holds none of the given --project tokens; it is left out", scope_name
                )
                self.observer.note(f"{scope_name}: none of the given projects; left out")
        data, ctx = self._json(c("getProductProjectTags"), base)
        project_tags = {t.token: t.tags for t in parse.parse_tags(ctx, data, "projectTags")}
        product_of: dict[str, ProductToken | None] = {v.token: product for v in vitals}

        libraries: list[Library] = []
        data, ctx = self._json(c("getProductLicenses"), {**base, **OCCURRENCES})
        libraries += parse.parse_licenses(ctx, data, product_of)
        data, ctx = self._json(c("getProductAlertsByType"), {**base, "alertType": VULN_ALERT})
        libraries += parse.parse_alerts(ctx, data)
        data, ctx = self._json(c("getProductInHouseLibraries"), base)
        libraries += parse.parse_in_house(ctx, data)
        data, ctx = self._json(c("getProductLibraryLocations"), base)
        libraries += parse.parse_locations(ctx, data)
        texts = self._license_texts(c("getLicensesTextZip"), base)

        projects = []
        for v in vitals:
            project, libs = self._project_tree(
                ProjectToken(v.token), product, name, v, project_tags.get(v.token, {})
            )
            projects.append(project)
            libraries += libs

        copyrights = self._text_blocks(c("getCopyrightsTextFile"), {**base, **COPYRIGHT_LINES})
        notices = self._text_blocks(c("getNoticesTextFile"), base)
        libraries = _attach_text_blocks(libraries, copyrights, notices)
        product_rec = Product(
            token=product,
            name=name,
            tags=tagged[0].tags,
            projects=tuple(ProjectToken(v.token) for v in vitals),
        )
        inventory = Inventory.build(
            products=[product_rec], projects=projects, libraries=libraries, license_texts=texts
        )
        return inventory.restricted_to(product_rec.projects)

    # -- one project without its product ----------------------------------------------

    def fetch_project(self, project: ProjectToken) -> Inventory:
        base = {"projectToken": project}
        data, ctx = self._json(Ctx("getProjectVitals", project=project, scope_name="project"), base)
        vitals_list = parse.parse_vitals(ctx, data, "projectVitals")
        if not vitals_list:
            raise ctx.fail("projectVitals", "is empty: the project token is unknown to Mend")
        vitals = vitals_list[0]
        scope_name = f"project {vitals.name}"

        def c(request_type: str) -> Ctx:
            return Ctx(request_type, project=project, scope_name=scope_name)

        data, ctx = self._json(c("getProjectTags"), base)
        tags = {t.token: t.tags for t in parse.parse_tags(ctx, data, "projectTags")}.get(
            project, {}
        )
        libraries: list[Library] = []
        data, ctx = self._json(c("getProjectLicenses"), {**base, **OCCURRENCES})
        libraries += parse.parse_licenses(ctx, data, {project: None})
        data, ctx = self._json(c("getProjectAlertsByType"), {**base, "alertType": VULN_ALERT})
        libraries += parse.parse_alerts(ctx, data)
        data, ctx = self._json(c("getProjectInHouseLibraries"), base)
        libraries += parse.parse_in_house(ctx, data)
        data, ctx = self._json(c("getProjectLibraryLocations"), base)
        libraries += parse.parse_locations(ctx, data)
        texts = self._optional(
            c("getProjectLicensesTextZip"),
            "license texts",
            lambda ctx: self._license_texts(ctx, base),
        )
        proj, libs = self._project_tree(project, None, None, vitals, tags)
        libraries += libs
        copyrights = self._optional(
            c("getProjectCopyrightsTextFile"),
            "the copyrights text file",
            lambda ctx: self._text_blocks(ctx, {**base, **COPYRIGHT_LINES}),
        )
        libraries = _attach_text_blocks(libraries, copyrights or {}, {})
        log.warning(
            "project %s was fetched without its product: Mend offers NOTICE texts per product "
            "only, so notices are missing (give --product too)",
            vitals.name,
        )
        self.observer.note(f"notices unavailable for project {vitals.name} (no --product)")
        inventory = Inventory.build(projects=[proj], libraries=libraries, license_texts=texts or [])
        return inventory.restricted_to([project])

    # -- pieces -----------------------------------------------------------------------

    def _project_tree(
        self,
        project: ProjectToken,
        product: ProductToken | None,
        product_name: str | None,
        vitals: parse.Vitals,
        tags: Mapping[str, tuple[str, ...]],
    ) -> tuple[Project, list[Library]]:
        scope_name = f"project {vitals.name}"
        params = {"projectToken": project, "includeInHouseData": True}
        data, ctx = self._json(
            Ctx("getProjectHierarchy", product=product, project=project, scope_name=scope_name),
            params,
        )
        libs, edges = parse.parse_hierarchy(ctx, data)
        data, ctx = self._json(
            Ctx("getProjectInventory", product=product, project=project, scope_name=scope_name),
            params,
        )
        inv_vitals, inv_libs = parse.parse_inventory(ctx, data)
        project_rec = Project(
            token=project,
            name=vitals.name,
            product=product,
            product_name=product_name or (inv_vitals.product_name if inv_vitals else None),
            creation_date=vitals.creation_date,
            last_updated=vitals.last_updated,
            plugin=vitals.plugin,
            tags=dict(tags),
            edges=tuple(dict.fromkeys(edges)),
        )
        return project_rec, libs + inv_libs

    def _optional(self, ctx: Ctx, what: str, get: Callable[[Ctx], T]) -> T | None:
        """A request whose answer the fetch can do without (the project-level license texts
        and copyrights file, documented on the v1.4 pages only): when the server's version
        lacks it, or the server refuses it, a warning says what is missing and why."""
        try:
            return get(ctx)
        except (MendVersionError, MendApiError) as exc:
            log.warning("%s: %s is unavailable: %s", ctx.scope_name, what, exc.message)
            self.observer.note(f"{ctx.scope_name}: {what} unavailable ({exc.message})")
            return None

    def _license_texts(self, ctx: Ctx, params: Mapping[str, Any]) -> list[LicenseText]:
        response, ctx = self._call(ctx, params)
        if response.is_json:  # an empty product answers with JSON, not a zip
            return []
        return parse.parse_license_zip(ctx, response.body)

    def _text_blocks(
        self, ctx: Ctx, params: Mapping[str, Any]
    ) -> tuple[dict[str, str], Provenance]:
        response, ctx = self._call(ctx, params)
        if response.is_json:
            return {}, ctx.provenance
        blocks = parse.parse_library_blocks(ctx, response.body)
        if not blocks and response.body.strip():
            # the reference documents the headers of these files, not their layout
            log.warning(
                "%s (%s): %d bytes, but no 'Library: <file name>' block sbomgen can read; "
                "its content is not used",
                ctx.request_type,
                ctx.scope_name,
                len(response.body),
            )
            self.observer.note(f"{ctx.request_type}: unreadable layout, content not used")
        return blocks, ctx.provenance


def _attach_text_blocks(
    libraries: Iterable[Library],
    copyrights: tuple[dict[str, str], Provenance] | dict[str, str],
    notices: tuple[dict[str, str], Provenance] | dict[str, str],
) -> list[Library]:
    """Attach copyright lines and notices from the text files, matched by file name."""
    libs = list(libraries)
    by_file: dict[str, KeyUuid] = {}
    for lib in libs:
        if lib.filename:
            by_file.setdefault(lib.filename, lib.key_uuid)
    extra: list[Library] = []

    def add(
        blocks: tuple[dict[str, str], Provenance] | dict[str, str],
        make: Callable[[str, Provenance], Library | None],
    ) -> None:
        if isinstance(blocks, dict):
            return
        mapping, prov = blocks
        for filename, text in mapping.items():
            key = by_file.get(filename)
            if key is None:
                log.warning(
                    "%s names library file %r, which is not in scope; ignored",
                    prov.request_type,
                    filename,
                )
                continue
            lib = make(text, prov)
            if lib is not None:
                extra.append(replace(lib, key_uuid=key))

    add(
        copyrights,
        lambda text, prov: Library(
            key_uuid=KeyUuid(""),
            copyrights=tuple(
                Copyright(text=line.strip()) for line in text.split("\n") if line.strip()
            ),
            provenance=(prov,),
        ),
    )
    add(
        notices,
        lambda text, prov: Library(key_uuid=KeyUuid(""), notices=(text,), provenance=(prov,)),
    )
    return libs + extra


def check_nonempty(inventory: Inventory, what: str) -> Inventory:
    if not inventory.projects:
        raise InputDataError(f"{what}: the scope holds no project")
    return inventory
