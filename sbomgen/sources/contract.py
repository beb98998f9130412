"""The Mend API contract: request type → parameters per API version, and response shapes.

One table, read by the client (what to send, and what a version lacks), the fetcher (what
to ask for) and the emulator (what to refuse and what to serve). It is built from the
reference in ``shared/mend-api/``:

- ``http-api-v1.2.txt`` documents v1.2. It has no "Required" column: a request needs
  ``requestType``, ``userKey`` and the token of its scope ("All requests require a token …
  according to the request's context"), and the parameters its examples show without
  calling them optional.
- ``licenses-libraries-api.txt``, ``product-project-api.txt`` and ``reports-async-api.md``
  are the v1.4 pages (their links point at api-docs.mend.io/1.4). They have a "Required"
  column, which this table copies, including "Yes, only in API v1.4".
- v1.3 has no page of its own. It is read strictly: it offers what v1.2 documents (a
  request documented only on the v1.4 pages is not assumed to exist in v1.3), it requires
  what every version requires, and "only in API v1.4" does not apply to it. Its responses
  may take either the v1.2 or the v1.4 shapes (the emulator serves both).

Where the reference shows two shapes of one response, both are listed, and the parsers in
:mod:`sbomgen.sources.parse` read both:

- alerts: ``apiAlertInfo`` (v1.2 "Response Format") and ``alerts`` (v1.2 "Ignored Alerts",
  and what Mend's own SDK reads);
- licenses: a list of names with ``languages`` (v1.2) and a list of objects with
  ``type``/``resolvedType``, ``spdxName`` and ``copyrightReferences`` (v1.4);
- project tags: single string values (v1.2 response) and lists of strings (v1.4);
- project vitals: a list (``get*ProjectVitals``) and one object (``getProjectInventory``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from sbomgen.errors import MendApiError

VERSIONS: tuple[str, ...] = ("1.2", "1.3", "1.4")  # oldest first
DEFAULT_VERSION = "1.4"
ALL = frozenset(VERSIONS)
V14 = frozenset({"1.4"})
V13_14 = frozenset({"1.3", "1.4"})

Scope = Literal["org", "product", "project"]
Kind = Literal["json", "zip", "text"]

# The token each scope's requests carry. ``orgToken`` is a credential: the client adds it.
TOKEN: Mapping[Scope, str] = {
    "org": "orgToken",
    "product": "productToken",
    "project": "projectToken",
}

ALERT_TYPES = (
    "SECURITY_VULNERABILITY",
    "NEW_MAJOR_VERSION",
    "NEW_MINOR_VERSION",
    "MULTIPLE_LIBRARY_VERSIONS",
    "REJECTED_BY_POLICY_RESOURCE",
)
BOOLEAN = ("true", "false")


@dataclass(frozen=True)
class Param:
    """One documented parameter of a request.

    ``required``: the versions that refuse a request without it. ``documented``: the
    versions whose reference names it (a superset of ``required``). ``values``: the values
    the reference allows (compared as lowercase strings; JSON booleans count as
    ``"true"``/``"false"``). ``default``: the documented default, when there is one.
    """

    name: str
    required: frozenset[str] = frozenset()
    documented: frozenset[str] = ALL
    values: tuple[str, ...] | None = None
    default: str | None = None
    kind: Literal["string", "boolean", "number", "object", "array"] = "string"
    when: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # condition: param → values
    case_sensitive: bool = True  # values compared exactly, unless the reference says otherwise
    pattern: str | None = None  # the documented form of a free value (dates)


@dataclass(frozen=True)
class Response:
    kind: Kind
    # JSON: the top-level keys, each a tuple of alternatives ("alerts" or "apiAlertInfo")
    keys: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class Request:
    type: str
    scope: Scope
    versions: frozenset[str]
    params: tuple[Param, ...]
    response: Response
    source: str  # where the reference documents it

    def param(self, name: str) -> Param | None:
        for p in self.params:
            if p.name == name:
                return p
        return None

    def required(self, version: str, params: Mapping[str, Any] | None = None) -> list[str]:
        """The parameter names a request must carry at ``version`` (credentials included)."""
        out = ["requestType", "userKey"]
        for p in self.params:
            if version not in p.required:
                continue
            if p.when and params is not None:
                if not all(
                    _text(params.get(k)) in {v.lower() for v in vs} for k, vs in p.when.items()
                ):
                    continue
            elif p.when:
                continue
            out.append(p.name)
        return out

    def documented(self, version: str) -> frozenset[str]:
        return frozenset(
            {"requestType", "userKey", *(p.name for p in self.params if version in p.documented)}
        )


def _text(value: Any) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return None
    return str(value).strip().lower()


def _token(scope: Scope) -> Param:
    return Param(TOKEN[scope], required=ALL)


def _req(
    type_: str,
    scope: Scope,
    response: Response,
    *extra: Param,
    versions: frozenset[str] = ALL,
    source: str = "http-api-v1.2.txt",
) -> Request:
    return Request(type_, scope, versions, (_token(scope), *extra), response, source)


def _json(*keys: str | tuple[str, ...]) -> Response:
    return Response("json", tuple(k if isinstance(k, tuple) else (k,) for k in keys))


ZIP = Response("zip")
TEXT = Response("text")
ALERTS = _json(("alerts", "apiAlertInfo"))

INCLUDE_IN_HOUSE = Param("includeInHouseData", values=BOOLEAN, default="true", kind="boolean")
# v1.2 shows it in every licenses example and never calls it optional; v1.4 marks it
# optional (organization, product) or leaves it out (project). Read strictly: required
# up to v1.3. No default is documented anywhere.
V12_13 = frozenset({"1.2", "1.3"})
EXCLUDE_OCCURRENCES = Param(
    "excludeProjectOccurrences", required=V12_13, values=BOOLEAN, kind="boolean"
)
SHOW_COPYRIGHT_DETAILS = Param(
    "showCopyrightExtraDetails", required=V14, documented=V14, values=BOOLEAN
)
ALERT_TYPE = Param("alertType", required=ALL, values=ALERT_TYPES)
# "either with or without time ('yyyy-MM-dd' or 'yyyy-MM-dd hh:mm:ss')"
DATE = r"^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2})?$"
FROM_DATE = Param("fromDate", pattern=DATE)
TO_DATE = Param("toDate", pattern=DATE)

SBOM_REPORTS = ("ProductSBOMReport", "ProjectSBOMReport")
_SBOM = {"reportType": SBOM_REPORTS}
# reports-async-api.md lists the report types of each scope
ORG_REPORTS = [
    "OrgHistoryReport",
    "OrgInventoryReport",
    "OrgLicensesReport",
    "OrgSourceFileInventoryReport",
    "OrgClusterInventoryReport",
    "OrgAlertsReport",
    "OrgIgnoreAlertsReport",
    "OrgResolvedAlertsReport",
    "OrgSecurityAlertsReport",
    "OrgLibrarySecurityAlertsReport",
    "OrgVulnerabilityReport",
    "OrgContainerVulnerabilityReport",
    "OrgBugsReport",
    "OrgMembersReport",
    "OrgAttributesReport",
    "OrgEffectiveLicensesReport",
    "RiskReport",
    "OrgInHouseReport",
    "OrgLibraryLocationReport",
    "PluginPolicyViolationReport",
    "PluginRequestHistoryReport",
    "ChangeLogReport",
    "OrgLicenseAndComplianceAlertReport",
    "OrgEarlyWarningsAlertReport",
    "OrgEarlyWarningsReport",
    "OrgEffectiveUsageAnalysisReport",
]
PRODUCT_REPORTS = [
    "ProductHistoryReport",
    "ProductInventoryReport",
    "ProductLicenseCompatibilityReport",
    "ProductLicensesReport",
    "ProductSourceFileInventoryReport",
    "ProductClusterInventoryReport",
    "ProductAlertsReport",
    "ProductIgnoreAlertsReport",
    "ProductResolvedAlertsReport",
    "ProductSecurityAlertsReport",
    "ProductLibrarySecurityAlertsReport",
    "ProductVulnerabilityReport",
    "ProductContainerVulnerabilityReport",
    "ProductBugsReport",
    "ProductMembersReport",
    "ProductAttributesReport",
    "ProductEffectiveLicensesReport",
    "ProductDiffReport",
    "RiskReport",
    "ProductAttributionReport",
    "ProductInHouseReport",
    "ProductLibraryLocationReport",
    "ProductLicenseAndComplianceAlertReport",
    "ProductEarlyWarningsAlertReport",
    "ProductEarlyWarningsReport",
    "ProductSBOMReport",
]
PROJECT_REPORTS = [
    "ProjectHistoryReport",
    "ProjectInventoryReport",
    "ProjectLicenseCompatibilityReport",
    "ProjectLicensesReport",
    "ProjectSourceFileInventoryReport",
    "ProjectAlertsReport",
    "ProjectIgnoreAlertsReport",
    "ProjectResolvedAlertsReport",
    "ProjectSecurityAlertsReport",
    "ProjectLibrarySecurityAlertsReport",
    "ProjectVulnerabilityReport",
    "ProjectContainerVulnerabilityReport",
    "ProjectBugsReport",
    "ProjectMembersReport",
    "ProjectDiffReport",
    "RiskReport",
    "AttributionReport",
    "ProjectInHouseReport",
    "ProjectLibraryLocationReport",
    "ProjectLicenseAndComplianceAlertReport",
    "ProjectEarlyWarningsAlertReport",
    "ProjectEarlyWarningsReport",
    "ProjectSBOMReport",
]
SBOM_PARAMS = (
    # ProductSBOMReport / ProjectSBOMReport ("SBOM Reporting")
    Param(
        "standard",
        required=V14,
        documented=V14,
        values=("spdx", "cyclonedx"),
        when=_SBOM,
        case_sensitive=False,  # "SPDX (case insensitive)"
    ),
    Param("version", documented=V14, values=("2.2", "2.3", "1.4", "1.5"), when=_SBOM),
    Param("maxDepthLevel", documented=V14, default="0", kind="number", when=_SBOM),
    Param(
        "includeVulnerabilities",
        documented=V14,
        values=BOOLEAN,
        default="true",
        kind="boolean",
        when=_SBOM,
    ),
)


# -- the async reports' own rules (reports-async-api.md) ------------------------------------

# "SPDX: XML, YAML, JSON, TV, XLSX (case insensitive), CycloneDX: XML, JSON"; versions
# 'SPDX: "2.2" (default) or "2.3". For CycloneDX "1.4" (default) or "1.5"'
SBOM_FORMATS: Mapping[str, tuple[str, ...]] = {
    "cyclonedx": ("json", "xml"),
    "spdx": ("json", "yaml", "tv", "xml", "xlsx"),
}
SBOM_VERSIONS: Mapping[str, tuple[str, ...]] = {"cyclonedx": ("1.4", "1.5"), "spdx": ("2.2", "2.3")}
SBOM_DEFAULT_VERSION: Mapping[str, str] = {"cyclonedx": "1.4", "spdx": "2.2"}
ASYNC_FORMATS = ("json", "xlsx", "xml", "pdf")  # "json, xlsx, xml, pdf"


def _formats(report_types: Iterable[str], formats: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    return {t: formats for t in report_types}


# The formats of each non-SBOM report: "Not all formats are available for all report types.
# Refer to the synchronous counterpart of each report" (the v1.2 reports pages). The strict
# reading is the async list intersected with the counterpart's formats; where the reference
# names no counterpart, the async list. Attribution is the one contradiction: its
# counterpart offers TXT and HTML only (exportFormat), none of the async list; both are kept.
# Source: /work/notes/async-reading (a second reading), table F.
_XLSX_JSON = ("xlsx", "json")
_XLSX = ("xlsx",)
REPORT_FORMATS: Mapping[str, tuple[str, ...]] = {
    **{t: ASYNC_FORMATS for t in (*ORG_REPORTS, *PRODUCT_REPORTS, *PROJECT_REPORTS)},
    **_formats(
        [
            f"{s}{r}"
            for s in ("Org", "Product", "Project")
            for r in (
                "InventoryReport",
                "VulnerabilityReport",
                "SourceFileInventoryReport",
                "AlertsReport",
            )
        ],
        _XLSX_JSON,
    ),
    "OrgContainerVulnerabilityReport": _XLSX_JSON,
    **_formats(
        [
            f"{s}{r}"
            for s in ("Org", "Product", "Project")
            for r in (
                "IgnoreAlertsReport",
                "ResolvedAlertsReport",
                "BugsReport",
                "MembersReport",
                "HistoryReport",
                "InHouseReport",
            )
        ],
        _XLSX,
    ),
    **_formats(
        [
            f"{s}{r}"
            for s in ("Org", "Product")
            for r in ("AttributesReport", "EffectiveLicensesReport", "LibraryLocationReport")
        ],
        _XLSX,
    ),
    **_formats(
        [
            "ProductLicenseCompatibilityReport",
            "ProjectLicenseCompatibilityReport",
            "ProductDiffReport",
            "ProjectDiffReport",
            "PluginRequestHistoryReport",
        ],
        _XLSX,
    ),
    "ChangeLogReport": _XLSX_JSON,
    "RiskReport": ("pdf",),
    "ProductAttributionReport": ("html", "txt"),
    "AttributionReport": ("html", "txt"),
    "ProductSBOMReport": tuple(sorted({*SBOM_FORMATS["cyclonedx"], *SBOM_FORMATS["spdx"]})),
    "ProjectSBOMReport": tuple(sorted({*SBOM_FORMATS["cyclonedx"], *SBOM_FORMATS["spdx"]})),
}
SBOM_ONLY = ("standard", "version", "maxDepthLevel", "includeVulnerabilities")


@dataclass(frozen=True)
class ReportRules:
    """How a server reads the async reports' ambiguities; the defaults are the strict
    reading. ``format_rule``: ``documented`` (:data:`REPORT_FORMATS`) or ``async-list``
    (json, xlsx, xml, pdf for every non-SBOM report). ``max_depth_spdx``: ``refuse`` or
    ``ignore`` a maxDepthLevel sent with SPDX ("Only supported by the CycloneDX standard")."""

    format_rule: str = "documented"
    max_depth_spdx: str = "refuse"


def report_problems(body: Mapping[str, Any], rules: ReportRules | None = None) -> list[str]:
    """What a generate…ReportAsync request breaks beyond its parameter table: formats and
    versions per standard and report type, maxDepthLevel with SPDX, the filter's type."""
    rules = rules or ReportRules()
    out: list[str] = []
    report = str(body.get("reportType") or "")
    fmt = _text(body.get("format")) or ""
    if "filter" in body and not isinstance(body["filter"], Mapping):
        out.append(f"Invalid value for filter: {body['filter']!r} (an object)")
    if report in SBOM_REPORTS:
        standard = _text(body.get("standard")) or ""
        if standard in SBOM_FORMATS:
            if fmt and fmt not in SBOM_FORMATS[standard]:
                out.append(
                    f"Invalid value for format: {body.get('format')!r} ({standard}: "
                    f"{', '.join(SBOM_FORMATS[standard])})"
                )
            version = body.get("version")
            if version is not None and str(version) not in SBOM_VERSIONS[standard]:
                out.append(
                    f"Invalid value for version: {version!r} ({standard}: "
                    f"{', '.join(SBOM_VERSIONS[standard])})"
                )
            if version is not None and not isinstance(version, str):
                out.append(f"Invalid value for version: {version!r} (a string)")
            if (
                standard == "spdx"
                and body.get("maxDepthLevel") is not None
                and rules.max_depth_spdx == "refuse"
            ):
                out.append(
                    "Invalid request: maxDepthLevel is only supported by the CycloneDX standard"
                )
        return out
    allowed = REPORT_FORMATS.get(report, ASYNC_FORMATS)
    if rules.format_rule == "async-list":
        allowed = ASYNC_FORMATS
    if fmt and fmt not in allowed:
        out.append(
            f"Invalid value for format: {body.get('format')!r} ({report}: {', '.join(allowed)})"
        )
    return out


def _report_params(report_types: list[str], *, sbom: bool = True) -> tuple[Param, ...]:
    return (
        Param("reportType", required=V14, documented=V14, values=tuple(report_types)),
        # "json, xlsx, xml, pdf"; the SBOM reports add YAML and TV ("case insensitive");
        # attribution's counterpart adds HTML and TXT. Per report type: report_problems().
        Param(
            "format",
            required=V14,
            documented=V14,
            values=("json", "xlsx", "xml", "pdf", "yaml", "tv", "html", "txt"),
            case_sensitive=False,
        ),
        Param("filter", documented=V14, kind="object"),
        *(SBOM_PARAMS if sbom else ()),
    )


ASYNC = "reports-async-api.md"
LICENSES_DOC = "licenses-libraries-api.txt"
PRODUCTS_DOC = "product-project-api.txt"

REQUESTS: Mapping[str, Request] = {
    r.type: r
    for r in (
        # organization
        _req("getOrganizationDetails", "org", _json("orgName")),
        _req("getOrganizationProductVitals", "org", _json("productVitals")),
        _req("getOrganizationProjectVitals", "org", _json("projectVitals")),
        _req("getAllProducts", "org", _json("products")),
        _req("getOrganizationProductTags", "org", _json("productTags")),
        _req("getOrganizationProjectTags", "org", _json("projectTags")),
        _req("getOrganizationLicenses", "org", _json("libraries"), EXCLUDE_OCCURRENCES),
        _req("getOrganizationAlerts", "org", ALERTS),
        _req("getOrganizationAlertsByType", "org", ALERTS, ALERT_TYPE, FROM_DATE, TO_DATE),
        _req("getOrganizationIgnoredAlerts", "org", ALERTS),
        _req("getOrganizationInHouseLibraries", "org", _json("libraries")),
        _req("getOrganizationLicenseHistogram", "org", _json("licenseHistogram")),
        # product
        _req("getProductTags", "product", _json("productTags")),
        _req("getProductProjectVitals", "product", _json("projectVitals")),
        _req("getAllProjects", "product", _json("projects")),
        _req("getProductProjectTags", "product", _json("projectTags")),
        _req("getProductLicenses", "product", _json("libraries"), EXCLUDE_OCCURRENCES),
        _req("getProductAlerts", "product", ALERTS),
        _req("getProductAlertsByType", "product", ALERTS, ALERT_TYPE, FROM_DATE, TO_DATE),
        _req("getProductIgnoredAlerts", "product", ALERTS),
        _req("getProductInHouseLibraries", "product", _json("libraries")),
        _req("getProductLibraryLocations", "product", _json("libraryLocations")),
        _req("getProductLicenseHistogram", "product", _json("licenseHistogram")),
        # "This request is available only for products" (v1.2), and per product in v1.4
        _req("getLicensesTextZip", "product", ZIP),
        _req("getCopyrightsTextFile", "product", TEXT, SHOW_COPYRIGHT_DETAILS),
        _req("getNoticesTextFile", "product", TEXT),
        # project
        _req("getProjectVitals", "project", _json("projectVitals")),
        _req("getProjectTags", "project", _json("projectTags")),
        _req(
            "getProjectLicenses",
            "project",
            _json("libraries"),
            # the v1.2 example shows it; the v1.4 table of the project request does not
            Param(
                "excludeProjectOccurrences",
                required=V12_13,
                documented=V12_13,
                values=BOOLEAN,
                kind="boolean",
            ),
        ),
        _req("getProjectAlerts", "project", ALERTS),
        _req("getProjectAlertsByType", "project", ALERTS, ALERT_TYPE, FROM_DATE, TO_DATE),
        _req("getProjectIgnoredAlerts", "project", ALERTS),
        _req("getProjectInHouseLibraries", "project", _json("libraries")),
        _req("getProjectLibraryLocations", "project", _json("libraryLocations")),
        _req("getProjectLicenseHistogram", "project", _json("licenseHistogram")),
        _req("getProjectHierarchy", "project", _json("libraries"), INCLUDE_IN_HOUSE),
        _req(
            "getProjectInventory",
            "project",
            _json("projectVitals", "libraries"),
            INCLUDE_IN_HOUSE,
            Param(
                "includeOutdatedLibraryData",
                documented=V14,
                values=BOOLEAN,
                default="true",
                kind="boolean",
            ),
        ),
        # Documented on the v1.4 pages only; v1.2 says the text files are "available only
        # for products". Mend's own ws-sbom-generator called getProjectLicensesTextZip on
        # /api/v1.3 in 2022, so v1.3 is asked too; a server that refuses leaves them out.
        _req("getProjectLicensesTextZip", "project", ZIP, versions=V13_14, source=LICENSES_DOC),
        _req(
            "getProjectCopyrightsTextFile",
            "project",
            TEXT,
            SHOW_COPYRIGHT_DETAILS,
            versions=V13_14,
            source=LICENSES_DOC,
        ),
        # asynchronous reports (v1.4 pages only)
        _req(
            "generateOrganizationReportAsync",
            "org",
            _json("asyncProcessStatus"),
            *_report_params(ORG_REPORTS, sbom=False),
            versions=V14,
            source=ASYNC,
        ),
        _req(
            "generateProductReportAsync",
            "product",
            _json("asyncProcessStatus"),
            *_report_params(PRODUCT_REPORTS),
            # the ProductSBOMReport table names projectToken for the product's token
            Param("projectToken", documented=V14),
            versions=V14,
            source=ASYNC,
        ),
        _req(
            "generateProjectReportAsync",
            "project",
            _json("asyncProcessStatus"),
            *_report_params(PROJECT_REPORTS),
            versions=V14,
            source=ASYNC,
        ),
        _req(
            "getAsyncProcessStatus",
            "org",
            _json("asyncProcessStatus"),
            Param("uuid", required=V14, documented=V14),
            versions=V14,
            source=ASYNC,
        ),
        _req(
            "downloadAsyncReport",
            "org",
            ZIP,
            Param("reportStatusUUID", required=V14, documented=V14),
            versions=V14,
            source=ASYNC,
        ),
    )
}


class MendVersionError(MendApiError):
    """The server's API version lacks a request sbomgen needs."""

    def __init__(
        self, request_type: str, version: str, needed: Iterable[str], *, known: str = ""
    ) -> None:
        self.version = version
        self.needed = tuple(needed)
        versions = " or ".join(f"v{v}" for v in self.needed) or "no version sbomgen knows"
        # ``known``: what is known of the server's version when it has not said it
        said = known or f"the server speaks Mend API v{version}"
        super().__init__(request_type, None, f"{said}, and {request_type} needs API {versions}")


def request(request_type: str) -> Request:
    try:
        return REQUESTS[request_type]
    except KeyError:
        raise ValueError(f"{request_type} is not in sbomgen's Mend API contract") from None


def _product_sbom_by_project_token(request_type: str, params: Mapping[str, Any]) -> bool:
    return (
        request_type == "generateProductReportAsync"
        and params.get("reportType") == "ProductSBOMReport"
        and "projectToken" in params
    )


def prepare(request_type: str, version: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """The parameters to send for ``request_type`` at ``version``.

    Drops what that version's reference does not name (the fetcher states every parameter
    it means, e.g. ``showCopyrightExtraDetails``, which only v1.4 knows), refuses a
    request the version lacks (:class:`MendVersionError`), and checks that nothing the
    version requires is missing (a missing parameter here is a bug in sbomgen: ValueError).
    Credentials are the client's to add and are not checked here.
    """
    spec = request(request_type)
    if version not in spec.versions:
        raise MendVersionError(request_type, version, sorted(spec.versions))
    known = spec.documented(version)
    sent = {k: v for k, v in params.items() if k in known}
    missing = [
        name
        for name in spec.required(version, sent)
        if name not in ("requestType", "userKey", "orgToken")
        and name not in sent
        and not (name == "productToken" and _product_sbom_by_project_token(request_type, sent))
    ]
    if missing:
        raise ValueError(f"{request_type} at API v{version} needs {', '.join(missing)}")
    return sent


def problems(request_type: str, version: str, body: Mapping[str, Any]) -> list[str]:
    """What a server following the reference refuses in ``body`` (the whole request,
    credentials included): missing required parameters and values out of range. The
    emulator answers the first one; a test walks them all."""
    spec = REQUESTS.get(request_type)
    if spec is None or version not in spec.versions:
        return [f"Request type not supported in API v{version}: {request_type or '(none)'}"]
    out = []
    for name in spec.required(version, body):
        if body.get(name) in (None, ""):
            qualifier = ""
            p = spec.param(name)
            if p is not None and p.required != ALL:
                qualifier = f" (required in API {', '.join('v' + v for v in sorted(p.required))})"
            out.append(f"Missing parameter: {name}{qualifier}")
    for p in spec.params:
        if version not in p.documented or body.get(p.name) is None:
            continue
        value = body[p.name]
        if p.pattern is not None and not re.match(p.pattern, str(value)):
            out.append(f"Invalid value for {p.name}: {value!r}")
            continue
        if p.kind == "number" and not (
            (isinstance(value, int) and not isinstance(value, bool))
            or (isinstance(value, str) and value.strip().isdigit())
        ):
            out.append(f"Invalid value for {p.name}: {value!r} (a number)")
            continue
        if p.values is None:
            continue
        if p.kind == "string" and isinstance(value, bool) and p.values != BOOLEAN:
            out.append(f"Invalid value for {p.name}: {value!r}")
            continue
        given = _text(value) if not p.case_sensitive or p.values == BOOLEAN else str(value)
        allowed = {v.lower() for v in p.values} if not p.case_sensitive else set(p.values)
        if p.values == BOOLEAN:
            allowed = set(BOOLEAN)
        if given not in allowed:
            shown = ", ".join(p.values[:6]) + (", …" if len(p.values) > 6 else "")
            out.append(f"Invalid value for {p.name}: {value!r} (one of {shown})")
    return out


def undocumented(request_type: str, version: str, body: Mapping[str, Any]) -> list[str]:
    """Parameters in ``body`` that the reference does not name for this request and version."""
    spec = REQUESTS.get(request_type)
    if spec is None:
        return []
    known = spec.documented(version)
    if str(body.get("reportType") or "") not in SBOM_REPORTS:
        known = known - set(SBOM_ONLY)  # the SBOM parameters belong to the SBOM reports only
    if (
        request_type == "generateProductReportAsync"
        and body.get("reportType") != "ProductSBOMReport"
    ):
        known = known - {"projectToken"}
    return sorted(k for k in body if k not in known)
