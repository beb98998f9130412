"""A Mend API emulator: a real HTTP server on loopback that serves a dataset.

It behaves the way the reference in ``shared/mend-api`` describes: POST JSON to
``/api/v1.x``; authentication by ``userKey`` and the scope's token; errors inside HTTP
200 bodies as ``errorCode``/``errorMessage``; zip and text responses; the async report
state machine. It also counts requests and injects latency and faults (429 with
Retry-After, 503, cut-short bodies, malformed JSON, errorCode 3000 and any other code).

The reference documents no error codes and no error shape. The errorCode/errorMessage
body in HTTP 200 is how Mend's own tools (ws-sdk) and public reports of real answers show
Mend's errors; the codes are, where a real answer was seen, Mend's, and otherwise the
emulator's choice:

=====  ==========================================================================
5001   User is not allowed to perform this action (seen in real answers: unknown user
       key, or a role that lacks the scope, a product admin asking an organization call)
3000   Invalid parameters (named in ws-sdk; retried by Mend's own tools)
1003   Invalid product token (seen in a real answer)
2001   Invalid organization token (the emulator's choice)
2003   Invalid project token (the emulator's choice)
2008   Missing parameter: X (required in API vN), per sources/contract.py
2010   Invalid request: a value outside the documented ones, a parameter the reference
       does not name (unless lenient), a body that is not JSON sent as application/json
2015   Request type not supported in this API version
=====  ==========================================================================
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import random
import socket
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from sbomgen.emulator import reports as _reports
from sbomgen.emulator.dataset import Dataset, JsonObject, ProjectData
from sbomgen.emulator.reports import AsyncOptions, sequence_for
from sbomgen.errors import InputDataError
from sbomgen.sources import contract
from sbomgen.sources.snapshot import SnapshotReplay

log = logging.getLogger(__name__)

ORG_ADMIN = "org-admin"
PRODUCT_ADMIN = "product-admin"


@dataclass(frozen=True)
class User:
    user_key: str
    role: str = ORG_ADMIN
    products: frozenset[str] = frozenset()  # for product admins


@dataclass
class Fault:
    """Misbehaviour to inject. ``request_type`` None matches every request.

    kinds: ``429`` (with ``retry_after``), ``500``, ``502``, ``503``, ``504``, ``404``,
    ``truncate`` (a body cut in half after a full Content-Length), ``malformed`` (a JSON body
    cut in half, with a matching Content-Length; for a text or zip body, as ``truncate``,
    since no client can tell a shorter text from a cut one), ``html`` (HTTP 200 and a proxy's HTML error
    page), ``error`` (HTTP 200 with ``code``/``message``), ``drop`` (close without
    answering), ``reset`` (a TCP reset), ``timeout`` (answer only after ``delay`` seconds).
    """

    kind: str
    request_type: str | None = None
    times: int = 1
    retry_after: int | None = None
    code: int = 3000
    message: str = "Invalid parameters"
    delay: float = 0.0
    fired: int = 0


# what a shaky network and a busy server do, for random fault injection (fault_rate)
RANDOM_FAULTS = (
    "429",
    "500",
    "502",
    "503",
    "504",
    "truncate",
    "malformed",
    "html",
    "reset",
    "drop",
    "error",
    "timeout",
)


@dataclass
class AsyncJob:
    uuid: str
    report_type: str
    scope: str
    token: str
    params: JsonObject
    created: float
    polls: int = 0
    status: str = "PENDING"
    creator: str = ""  # the user key that asked for it
    downloads: int = 0


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)


def _json(data: Any, status: int = 200) -> Reply:
    return Reply(status=status, body=json.dumps(data, ensure_ascii=False).encode("utf-8"))


JSON_TYPE = "application/json"


def _error(code: int, message: str) -> Reply:
    return _json({"errorCode": code, "errorMessage": message})


# Error codes (see the module docstring for where each comes from).
NOT_ALLOWED = 5001
INVALID_PARAMETERS = 3000
INVALID_ORG_TOKEN = 2001
INVALID_PRODUCT_TOKEN = 1003
INVALID_PROJECT_TOKEN = 2003
MISSING_PARAMETER = 2008
UNSUPPORTED_REQUEST = 2015
INVALID_REQUEST = 2010


class MendError(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


# Which token authorizes each request type: the contract's scope (sources/contract.py).
ORG_REQUESTS = {t for t, r in contract.REQUESTS.items() if r.scope == "org"}
PRODUCT_REQUESTS = {t for t, r in contract.REQUESTS.items() if r.scope == "product"}
PROJECT_REQUESTS = {t for t, r in contract.REQUESTS.items() if r.scope == "project"}


class Emulator:
    """The emulator's state: dataset, users, faults, counters and async jobs."""

    def __init__(
        self,
        dataset: Dataset | None,
        users: Iterable[User],
        *,
        snapshot: SnapshotReplay | None = None,
        org_token: str | None = None,
        latency: float = 0.0,
        alerts_key: str | None = None,
        ignored_shape: str = "reference",
        async_polls: int = 2,
        gzip: bool = False,
        versions: Iterable[str] = contract.VERSIONS,
        v13_shapes: str = "1.4",
        strict_params: bool = True,
        occurrences_by_default: bool = True,
        text_layout: str = "blocks",
        json_content_type: str = "application/json",
        async_failures: bool = False,
        async_options: AsyncOptions | None = None,
        fault_rate: float = 0.0,
        fault_seed: int = 0,
        fault_kinds: Iterable[str] = RANDOM_FAULTS,
        fault_delay: float = 1.5,
    ) -> None:
        if (dataset is None) == (snapshot is None):
            raise ValueError("serve either a dataset or a snapshot")
        if snapshot is not None:
            # a snapshot holds the answers of the version it was recorded at, and only those
            versions = (snapshot.api_version,)
        self.dataset = dataset or Dataset({"organization": {"orgToken": org_token or ""}}, {})
        self.snapshot = snapshot
        self.org_token = org_token or self.dataset.org_token
        self.users = {u.user_key: u for u in users}
        self.latency = latency
        self.alerts_key = alerts_key
        # the ignored alerts' shape: "reference" (http-api-v1.2 "Ignored Alerts": the comment
        # in library.comments, no project named) or "named" (as Mend's SDKs read it: the
        # comment beside the library, and the project's name as in the active alerts)
        if ignored_shape not in ("reference", "named"):
            raise ValueError(f"ignored_shape {ignored_shape!r}: reference or named")
        self.ignored_shape = ignored_shape
        self.async_polls = async_polls
        self.gzip = gzip  # compress answers when the client accepts gzip, as servers do
        self.versions = tuple(versions)  # the API paths served; others answer 404
        unknown = set(self.versions) - set(contract.VERSIONS)
        if unknown or not self.versions:
            raise ValueError(f"versions must be among {contract.VERSIONS}, got {self.versions}")
        if v13_shapes not in ("1.2", "1.4"):
            raise ValueError("v13_shapes: '1.2' or '1.4'")
        self.v13_shapes = v13_shapes  # v1.3 has no page: serve either neighbour's shapes
        self.strict_params = strict_params  # refuse parameters the reference does not name
        # excludeProjectOccurrences has no documented default: serve either reading
        self.occurrences_by_default = occurrences_by_default
        # The copyrights and notices files are text/plain named "…-copyrights.zip", and the
        # reference documents no layout: "blocks" (Library: <file> headers), "zip" (that
        # text in a zip), "zip-per-library" (one file per library), "lines" (no headers).
        if text_layout not in ("blocks", "zip", "zip-per-library", "lines"):
            raise ValueError(f"text_layout {text_layout!r}")
        self.text_layout = text_layout
        # the reference names no content type for JSON answers
        self.json_content_type = json_content_type
        self.async_failures = async_failures  # every async report ends FAILED
        options = async_options or AsyncOptions()
        if async_options is None or async_failures or async_polls != 2:
            options = replace(options, sequence=sequence_for(async_polls, async_failures))
        self.async_options = options
        self.faults: list[Fault] = []
        # random faults: each request fails with probability fault_rate, the kind drawn from
        # fault_kinds. The draw depends on the seed, the request and how often that very
        # request came before, not on arrival order: the same seed gives each request the
        # same faults however many a client sends at once
        self.fault_rate = fault_rate
        self.fault_kinds = tuple(fault_kinds)
        self.fault_delay = fault_delay
        self.fault_seed = fault_seed
        self._attempts: Counter[str] = Counter()
        self.random_faults: Counter[str] = Counter()
        self.counts: Counter[str] = Counter()
        self.log: list[tuple[str, int]] = []  # (request type, HTTP status)
        self.flight_lock = threading.Lock()
        self.in_flight = 0  # requests being answered now
        self.peak_in_flight = 0  # the most ever answered at once
        self.errors: list[tuple[str, int, str]] = []  # (request type, errorCode, message)
        self.user_agents: list[str] = []
        self.jobs: dict[str, AsyncJob] = {}
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ----------------------------------------------------------------------

    def start(self, host: str = "127.0.0.1", port: int = 0, *, tls: Any = None) -> str:
        """Serve on ``host:port``; with ``tls`` (an ``ssl.SSLContext`` holding the server's
        certificate) over HTTPS."""
        emulator = self

        class Handler(_Handler):
            state = emulator

        self._server = _Server((host, port), Handler)
        self._scheme = "http"
        if tls is not None:
            self._server.socket = tls.wrap_socket(self._server.socket, server_side=True)
            self._scheme = "https"
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="mend-emulator",
            daemon=True,
        )
        self._thread.start()
        return self.url

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("emulator not started")
        host, port = self._server.server_address[:2]
        host = host.decode() if isinstance(host, bytes) else str(host)
        return f"{getattr(self, '_scheme', 'http')}://{host}:{port}"

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def reset(self) -> None:
        with self._lock:
            self.counts.clear()
            self.log.clear()
            self.errors.clear()
            self.faults.clear()
            self.jobs.clear()
            self.user_agents.clear()
            self.peak_in_flight = 0
            self._attempts.clear()

    def inject(self, fault: Fault) -> Fault:
        with self._lock:
            self.faults.append(fault)
        return fault

    def _take_fault(self, request_type: str, body: bytes = b"") -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if fault.fired < fault.times and fault.request_type in (None, request_type):
                    fault.fired += 1
                    return fault
            if not self.fault_rate:
                return None
            digest = hashlib.sha256(body).hexdigest()
            self._attempts[digest] += 1
            rng = random.Random(f"{self.fault_seed}/{digest}/{self._attempts[digest]}")
            if rng.random() < self.fault_rate:
                kind = rng.choice(self.fault_kinds)
                self.random_faults[kind] += 1
                return Fault(
                    kind=kind,
                    retry_after=1 if kind == "429" else None,
                    delay=self.fault_delay,
                    fired=1,
                )
        return None

    def stats(self) -> JsonObject:
        with self._lock:
            return {
                "counts": dict(sorted(self.counts.items())),
                "total": sum(self.counts.values()),
                "peakInFlight": self.peak_in_flight,
            }

    # -- dispatch ---------------------------------------------------------------------

    def shapes(self, version: str) -> str:
        """Which documented response shapes a version serves: "1.2" or "1.4"."""
        if version == "1.3":
            return self.v13_shapes
        return version

    def handle(
        self, body: bytes, version: str = contract.DEFAULT_VERSION
    ) -> tuple[str, Reply, Fault | None]:
        try:
            data = json.loads(body.decode("utf-8"))
            if not isinstance(data, dict):
                raise ValueError("not an object")
        except (UnicodeDecodeError, ValueError):
            return (
                "<invalid>",
                _error(INVALID_REQUEST, "Invalid request: the body is not a JSON object"),
                None,
            )
        request_type = str(data.get("requestType") or "")
        with self._lock:
            self.counts[request_type or "<none>"] += 1
        fault = self._take_fault(request_type, body)
        if fault is not None and fault.kind == "error":
            return request_type, _error(fault.code, fault.message), None
        try:
            self._check_contract(request_type, version, data)
            if self.snapshot is not None:
                reply = self._from_snapshot(request_type, data)
            else:
                reply = self._dispatch(request_type, data, version)
        except MendError as exc:
            reply = _error(exc.code, exc.message)
            with self._lock:
                self.errors.append((request_type, exc.code, exc.message))
        return request_type, reply, fault

    def _check_contract(self, rt: str, version: str, data: JsonObject) -> None:
        """Refuse what a server following the reference refuses, before anything else."""
        spec = contract.REQUESTS.get(rt)
        if spec is None or version not in spec.versions:
            raise MendError(
                UNSUPPORTED_REQUEST,
                f"Request type not supported in API v{version}: {rt or '(none)'}",
            )
        self._product_sbom_token(rt, data)
        found = contract.problems(rt, version, data)
        if rt.startswith("generate") and rt.endswith("ReportAsync") and not found:
            options = self.async_options
            rules = contract.ReportRules(options.format_rule, options.max_depth_spdx)
            found = contract.report_problems(data, rules)
        if found:
            code = MISSING_PARAMETER if found[0].startswith("Missing") else INVALID_REQUEST
            raise MendError(code, found[0])
        if self.strict_params:
            extra = contract.undocumented(rt, version, data)
            if extra:
                raise MendError(
                    INVALID_REQUEST,
                    f"Invalid request: parameter {extra[0]} is not part of {rt} in API v{version}",
                )

    def _product_sbom_token(self, rt: str, data: JsonObject) -> None:
        """The ProductSBOMReport table names ``projectToken`` for the product, its example
        ``productToken``: served per ``product_sbom_token`` (the token moves to
        ``productToken`` once accepted)."""
        if rt != "generateProductReportAsync" or data.get("reportType") != "ProductSBOMReport":
            return
        mode = self.async_options.product_sbom_token
        if mode == "projectToken":
            if "projectToken" not in data:
                raise MendError(MISSING_PARAMETER, "Missing parameter: projectToken")
            if "productToken" in data:
                raise MendError(
                    INVALID_REQUEST,
                    "Invalid request: parameter productToken is not part of ProductSBOMReport",
                )
            data["productToken"] = data.pop("projectToken")
        elif mode == "either" and "projectToken" in data and "productToken" not in data:
            data["productToken"] = data.pop("projectToken")

    def _user(self, data: JsonObject) -> User:
        user = self.users.get(str(data.get("userKey") or ""))
        if user is None:
            raise MendError(NOT_ALLOWED, "User is not allowed to perform this action")
        return user

    def _from_snapshot(self, rt: str, data: JsonObject) -> Reply:
        """Answer from recorded responses: same request type and non-secret parameters."""
        assert self.snapshot is not None
        user = self._user(data)
        if rt in ORG_REQUESTS:
            if user.role != ORG_ADMIN and rt not in (
                "getAsyncProcessStatus",
                "downloadAsyncReport",
            ):
                raise MendError(NOT_ALLOWED, "User is not allowed to perform this action")
            if data.get("orgToken") != self.org_token:
                raise MendError(INVALID_ORG_TOKEN, "Invalid organization token")
        elif rt in PRODUCT_REQUESTS and user.role != ORG_ADMIN:
            if str(data.get("productToken") or "") not in user.products:
                raise MendError(NOT_ALLOWED, "User is not allowed to perform this action")
        elif rt in PROJECT_REQUESTS and user.role != ORG_ADMIN:
            # a snapshot does not say which product a project is in: product admins may
            # read the projects recorded under their products' requests
            if str(data.get("projectToken") or "") not in self._snapshot_projects(user):
                raise MendError(NOT_ALLOWED, "User is not allowed to perform this action")
        params = {k: v for k, v in data.items() if k not in ("requestType", "userKey", "orgToken")}
        try:
            response = self.snapshot.call(rt, params)
        except (InputDataError, ValueError) as exc:
            raise MendError(INVALID_PARAMETERS, f"Invalid parameters: {exc}") from None
        return Reply(body=response.body, content_type=response.content_type)

    def _snapshot_projects(self, user: User) -> set[str]:
        assert self.snapshot is not None
        allowed: set[str] = set()
        for product in user.products:
            try:
                body = self.snapshot.call(
                    "getProductProjectVitals", {"productToken": product}
                ).json()
            except InputDataError:
                continue
            allowed.update(
                str(v.get("token")) for v in body.get("projectVitals", []) if isinstance(v, dict)
            )
        return allowed

    def _dispatch(self, rt: str, data: JsonObject, version: str) -> Reply:
        ds = self.dataset
        if rt in ORG_REQUESTS:
            user = self._user(data)
            if rt in ("getAsyncProcessStatus", "downloadAsyncReport"):
                if data.get("orgToken") != self.org_token:
                    raise MendError(INVALID_ORG_TOKEN, "Invalid organization token")
                if user.role != ORG_ADMIN and self.async_options.product_admin == "refuse":
                    raise MendError(NOT_ALLOWED, "User is not allowed to perform this action")
                return self._async(rt, data, user)
            if data.get("orgToken") != self.org_token:
                raise MendError(INVALID_ORG_TOKEN, "Invalid organization token")
            if user.role != ORG_ADMIN:
                if rt == "getOrganizationProjectVitals":
                    # "Product administrators can use the Organization level call and get
                    # the product/project vitals related to their products/projects."
                    mine = [
                        pr for p in ds.products if p.token in user.products for pr in p.projects
                    ]
                    return _json({"projectVitals": [ds.project_vitals(pr) for pr in mine]})
                raise MendError(NOT_ALLOWED, "User is not allowed to perform this action")
            return self._org(rt, data, version)
        if rt in PRODUCT_REQUESTS:
            user = self._user(data)
            token = str(data.get("productToken") or "")
            if token not in ds.product_by_token:
                raise MendError(INVALID_PRODUCT_TOKEN, "Invalid product token")
            if user.role != ORG_ADMIN and token not in user.products:
                raise MendError(NOT_ALLOWED, "User is not allowed to perform this action")
            return self._scoped(rt, "product", token, data, version)
        if rt in PROJECT_REQUESTS:
            user = self._user(data)
            token = str(data.get("projectToken") or "")
            project = ds.project_by_token.get(token)
            if project is None:
                raise MendError(INVALID_PROJECT_TOKEN, "Invalid project token")
            if user.role != ORG_ADMIN and project.product.token not in user.products:
                raise MendError(NOT_ALLOWED, "User is not allowed to perform this action")
            return self._scoped(rt, "project", token, data, version)
        raise MendError(INVALID_PARAMETERS, f"Invalid request type: {rt or '(none)'}")

    def _org(self, rt: str, data: JsonObject, version: str) -> Reply:
        ds = self.dataset
        projects = ds.projects_of("org", None)
        if rt == "getOrganizationDetails":
            org = ds.raw.get("organization") or {}
            return _json(
                {
                    "orgName": ds.org_name,
                    "orgToken": ds.org_token,
                    "creationDate": ds.org_created,
                    "numberOfProducts": str(len(ds.products)),
                    "numberOfProjects": str(len(projects)),
                    "numberOfGroups": str(org.get("numberOfGroups", 1)),
                    "numberOfUsers": str(org.get("numberOfUsers", len(self.users))),
                }
            )
        if rt == "getOrganizationProductVitals":
            return _json({"productVitals": [ds.product_vitals(p) for p in ds.products]})
        if rt == "getAllProducts":
            return _json(
                {
                    "products": [
                        {"productName": p.name, "productToken": p.token} for p in ds.products
                    ],
                    "message": "Success",
                }
            )
        if rt == "getOrganizationProductTags":
            return _json({"productTags": [_tags(p.raw) for p in ds.products]})
        if rt == "generateOrganizationReportAsync":
            return self._new_job(data, "org", ds.org_token, self._user(data))
        return self._scoped(rt, "org", None, data, version)

    def _scoped(
        self, rt: str, scope: str, token: str | None, data: JsonObject, version: str
    ) -> Reply:
        ds = self.dataset
        shapes = self.shapes(version)
        projects: list[ProjectData] = ds.projects_of(scope, token)
        label = {"org": ds.org_name}.get(scope) or (
            ds.product_by_token[token].name
            if scope == "product" and token
            else (projects[0].name if projects else "")
        )
        if rt.endswith("ProjectVitals") or rt == "getProjectVitals":
            return _json({"projectVitals": [ds.project_vitals(p) for p in projects]})
        if rt == "getAllProjects":
            return _json(
                {
                    "projects": [
                        {"projectName": p.name, "projectToken": p.token} for p in projects
                    ],
                    "message": "Success",
                }
            )
        if rt == "getProductTags":
            return _json({"productTags": [_tags(ds.product_by_token[str(token)].raw)]})
        if rt.endswith("ProjectTags") or rt == "getProjectTags":
            # v1.2 shows project tag values as single strings, v1.4 as lists
            return _json({"projectTags": [_tags(p.raw, lists=shapes != "1.2") for p in projects]})
        if rt.endswith("Licenses") and not rt.endswith("InHouseLibraries"):
            keys = ds.keys_in(projects)
            exclude = data.get("excludeProjectOccurrences")
            occurrences = self.occurrences_by_default if exclude is None else _false(exclude)
            index = ds.users(projects)
            return _json(
                {
                    "libraries": [
                        ds.licenses_entry(
                            k, projects, shapes=shapes, occurrences=occurrences, index=index
                        )
                        for k in keys
                    ]
                }
            )
        if rt.endswith("LicenseHistogram"):
            return _json({"licenseHistogram": ds.histogram(projects)})
        if rt.endswith("IgnoredAlerts"):  # "Ignored Alerts" (v1.2): the list is "alerts"
            ignored = ds.alerts(projects, ignored=True, shape=self.ignored_shape)
            if version != "1.4":
                ignored = [_before_v14(a) for a in ignored]
            return _json({"alerts": ignored})
        if rt.endswith("AlertsByType") or rt.endswith("Alerts"):
            alert_type = data.get("alertType")
            alerts = ds.alerts(projects)
            if alert_type not in (None, "SECURITY_VULNERABILITY"):
                alerts = []
            if version != "1.4":
                # "critical" is new in v1.4; older versions say "high" for the same score
                alerts = [_before_v14(a) for a in alerts]
            key = self.alerts_key or ("apiAlertInfo" if shapes == "1.2" else "alerts")
            return _json({key: alerts})
        if rt.endswith("InHouseLibraries"):
            return _json({"libraries": ds.in_house(projects)})
        if rt.endswith("LibraryLocations"):
            return _json(
                {"libraryLocations": ds.locations(projects, project_level=scope == "project")}
            )
        if rt in ("getLicensesTextZip", "getProjectLicensesTextZip"):
            return Reply(
                body=ds.license_zip(projects),
                content_type="application/zip",
                headers={"Content-Disposition": f"attachment; filename={label}-licenses.zip"},
            )
        if rt in ("getCopyrightsTextFile", "getProjectCopyrightsTextFile", "getNoticesTextFile"):
            what = "notices" if rt == "getNoticesTextFile" else "copyrights"
            entries = ds.text_entries(projects, what)
            text = "\n".join(f"Library: {n}\n{b}\n" for n, b in entries)
            if self.text_layout == "zip":
                body = _zip({f"{label}-{what}.txt": text.encode("utf-8")})
            elif self.text_layout == "zip-per-library":
                body = _zip({f"{n}.txt": b.encode("utf-8") for n, b in entries})
            elif self.text_layout == "lines":
                body = "\n".join(b for _n, b in entries).encode("utf-8")
            else:
                body = text.encode("utf-8")
            return Reply(
                body=body,
                content_type="text/plain; charset=utf-8",
                headers={"Content-Disposition": f"attachment; filename={label}-{what}.zip"},
            )
        in_house = not _false(data.get("includeInHouseData", True))  # documented default: true
        if rt == "getProjectHierarchy":
            pr = projects[0]
            return _json({"libraries": ds.hierarchy(pr, in_house=in_house)})
        if rt == "getProjectInventory":
            outdated = not _false(data.get("includeOutdatedLibraryData", True))
            return _json(ds.inventory(projects[0], in_house=in_house, outdated=outdated))
        if rt.startswith("generate") and rt.endswith("ReportAsync"):
            return self._new_job(data, scope, str(token), self._user(data))
        raise MendError(INVALID_PARAMETERS, f"Invalid request type: {rt}")

    # -- async reports ----------------------------------------------------------------

    def _new_job(self, data: JsonObject, scope: str, token: str, user: User) -> Reply:
        options = self.async_options
        job = AsyncJob(
            uuid=str(uuid.uuid4()),
            report_type=str(data.get("reportType") or ""),
            scope=scope,
            token=token,
            params={k: v for k, v in data.items() if k not in ("userKey", "orgToken")},
            created=time.time(),
            status=options.sequence[0],
            creator=user.user_key,
        )
        if job.report_type == "ProductSBOMReport" and options.product_sbom_sync != "off":
            # "The response is the requested report file"
            files = self._report(job)
            if options.product_sbom_sync == "file" and len(files) == 1:
                name, body = next(iter(files.items()))
                return Reply(
                    body=body,
                    content_type=_reports.content_type(name),
                    headers={"Content-Disposition": f"attachment; filename={name}"},
                )
            body, ctype, name = _reports.package(files, replace(options, download_layout="zip-one"))
            return Reply(
                body=body,
                content_type=ctype,
                headers={"Content-Disposition": f"attachment; filename={name}"},
            )
        with self._lock:
            self.jobs[job.uuid] = job
        return _json({"asyncProcessStatus": self._status(job)})

    def _status(self, job: AsyncJob) -> JsonObject:
        options = self.async_options
        stamp = _reports.status_time(job.created, options.dates)
        context = int(hashlib.sha256(job.token.encode()).hexdigest()[:6], 16)
        sbom = job.report_type.endswith("SBOMReport")
        return {
            "uuid": job.uuid,
            "requestToken": hashlib.sha256(job.uuid.encode()).hexdigest()[:40]
            + f"{int(job.created):d}"[-6:],
            "contextId": context if options.context_id == "number" else str(context),
            # the examples: DOMAIN, except PROJECT for the project SBOM
            "contextType": "PROJECT" if sbom and job.scope == "project" else "DOMAIN",
            "processType": _reports.process_type(job.report_type, job.scope),
            "userEmail": "emulated.user@example.invalid",
            "messageContentSha1": hashlib.sha1(
                json.dumps(job.params, sort_keys=True).encode(), usedforsecurity=False
            ).hexdigest(),
            "status": job.status,
            "created": stamp,
            "modified": _reports.status_time(job.created + job.polls, options.dates),
            **_reports.status_extra(job.status, options),
        }

    def _job_for(self, uuid_: str, user: User, name: str) -> AsyncJob:
        job = self.jobs.get(uuid_)
        if job is None:
            raise MendError(INVALID_PARAMETERS, f"Invalid parameters: unknown {name}")
        if (
            user.role != ORG_ADMIN
            and self.async_options.product_admin == "own"
            and job.creator != user.user_key
        ):
            raise MendError(NOT_ALLOWED, "User is not allowed to perform this action")
        return job

    def _async(self, rt: str, data: JsonObject, user: User) -> Reply:
        sequence = self.async_options.sequence
        if rt == "getAsyncProcessStatus":
            job = self._job_for(str(data.get("uuid") or ""), user, "uuid")
            with self._lock:
                job.polls += 1
                if job.status not in _reports.TERMINAL:
                    job.status = sequence[min(job.polls, len(sequence) - 1)]
            return _json({"asyncProcessStatus": self._status(job)})
        job = self._job_for(str(data.get("reportStatusUUID") or ""), user, "reportStatusUUID")
        if job.status != "SUCCESS":
            raise MendError(INVALID_PARAMETERS, f"Report is not ready (status {job.status})")
        body, ctype, name = _reports.package(self._report(job), self.async_options)
        with self._lock:
            job.downloads += 1
        return Reply(
            body=body,
            content_type=ctype,
            headers={"Content-Disposition": f"attachment; filename={name}"},
        )

    report_builder: Callable[[Emulator, AsyncJob], dict[str, bytes]] | None = None

    def _report(self, job: AsyncJob) -> dict[str, bytes]:
        if self.report_builder is not None:
            return self.report_builder(self, job)
        ds = self.dataset
        if job.scope == "org":
            scope = _reports.Scope(
                "org", ds.org_name, ds.org_token, tuple(ds.projects_of("org", None))
            )
        elif job.scope == "product":
            product = ds.product_by_token[job.token]
            scope = _reports.Scope("product", product.name, job.token, tuple(product.projects))
        else:
            project = ds.project_by_token[job.token]
            scope = _reports.Scope("project", project.name, job.token, (project,))
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(job.created))
        return _reports.report_files(ds, scope, job.params, options=self.async_options, stamp=stamp)

    def report_zip(self, job: AsyncJob) -> bytes:
        return _reports.package(self._report(job), self.async_options)[0]


def _tags(raw: JsonObject, *, lists: bool = True) -> JsonObject:
    tags = raw.get("tags") or {}
    if not lists:
        tags = {k: v[0] if isinstance(v, list) and len(v) == 1 else v for k, v in tags.items()}
    return {"name": raw.get("name"), "token": raw.get("token"), "tags": tags}


def _zip(files: dict[str, bytes]) -> bytes:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in files.items():
            zf.writestr(zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)), content)
    return buf.getvalue()


def _before_v14(alert: JsonObject) -> JsonObject:
    vuln = alert.get("vulnerability") or {}
    if str(vuln.get("cvss3_severity", "")).lower() == "critical":
        alert = {**alert, "vulnerability": {**vuln, "cvss3_severity": "high"}}
    return alert


def _false(value: Any) -> bool:
    """A boolean parameter set to false (JSON false or the string "false")."""
    return value is False or (isinstance(value, str) and value.strip().lower() == "false")


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that gave up (its read timed out) closes the connection before the
        answer is written: expected under injected faults, not worth a traceback."""
        import sys

        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError)):
            log.debug("emulator: %s: %s", client_address, exc)
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    state: Emulator
    protocol_version = "HTTP/1.1"
    server_version = "MendEmulator/1"

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in two writes; without this, delayed ACKs add ~40 ms.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("emulator: " + format, *args)

    def _send(self, reply: Reply, fault: Fault | None = None) -> None:
        body = reply.body
        if fault is not None and fault.kind == "malformed":
            if "json" in reply.content_type:
                body = body[: max(1, len(body) // 2)]
            else:
                # A text or zip body cut short under a matching Content-Length: a zip
                # shows it (its directory is at the end), plain text cannot (Mend's API
                # carries no checksum), so the cut goes out as "truncate": the
                # Content-Length of the whole body, then half of it.
                fault = Fault(kind="truncate")
        compressed = self.state.gzip and "gzip" in self.headers.get("Accept-Encoding", "")
        if compressed:
            body = gzip.compress(body, mtime=0)
        self.send_response(reply.status)
        if compressed:
            self.send_header("Content-Encoding", "gzip")
        content_type = reply.content_type
        if content_type == JSON_TYPE:
            content_type = self.state.json_content_type
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for k, v in reply.headers.items():
            self.send_header(k, v)
        self.end_headers()
        if fault is not None and fault.kind == "truncate":
            self.wfile.write(body[: max(1, len(body) // 2)])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(body)

    def do_GET(self) -> None:
        if self.path == "/_emulator/stats":
            self._send(_json(self.state.stats()))
        else:
            self._send(Reply(status=404, body=b"not found", content_type="text/plain"))

    def do_POST(self) -> None:
        with self.state.flight_lock:
            self.state.in_flight += 1
            self.state.peak_in_flight = max(self.state.peak_in_flight, self.state.in_flight)
        try:
            self._post()
        finally:
            with self.state.flight_lock:
                self.state.in_flight -= 1

    def _post(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        self.state.user_agents.append(self.headers.get("User-Agent", ""))
        path = self.path.split("?", 1)[0].rstrip("/")
        version = path.removeprefix("/api/v") if path.startswith("/api/v") else ""
        if version not in self.state.versions:
            # an on-premises server without this API version answers like any web server
            self.state.log.append(("<404 " + path + ">", 404))
            self._send(Reply(status=404, body=b"<html>Not Found</html>", content_type="text/html"))
            return
        if self.state.latency:
            time.sleep(self.state.latency)
        media = self.headers.get("Content-Type", "").split(";", 1)[0].strip().lower()
        if (
            media != "application/json"
        ):  # "Request payload should have: Content-Type = application/json"
            reply = _error(
                INVALID_REQUEST, "Invalid request: Content-Type must be application/json"
            )
            self.state.log.append(("<content-type>", 200))
            self._send(reply)
            return
        request_type, reply, fault = self.state.handle(body, version)
        if fault is not None:
            if fault.kind == "429":
                headers = (
                    {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
                )
                reply = Reply(status=429, body=b'{"message":"Too Many Requests"}', headers=headers)
                fault = None
            elif fault.kind == "404":  # a proxy or load balancer that briefly lost the route
                reply = Reply(status=404, body=b"<html>Not Found</html>", content_type="text/html")
                fault = None
            elif fault.kind == "html":  # a proxy's error page in place of the answer
                reply = Reply(
                    body=b"<!DOCTYPE html><html><head><title>Gateway error</title></head>"
                    b"<body><h1>Please try again later</h1></body></html>",
                    content_type="text/html; charset=utf-8",
                )
                fault = None
            elif fault.kind == "reset":
                import struct

                self.connection.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                )
                self.close_connection = True
                self.state.log.append((request_type, 0))
                return
            elif fault.kind == "timeout":
                time.sleep(fault.delay)
                fault = None
            elif fault.kind in ("503", "500", "502", "504"):
                headers = (
                    {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
                )
                reply = Reply(
                    status=int(fault.kind),
                    body=b"<html>Service Unavailable</html>",
                    content_type="text/html",
                    headers=headers,
                )
                fault = None
            elif fault.kind == "drop":
                self.close_connection = True
                self.state.log.append((request_type, 0))
                return
        self.state.log.append((request_type, reply.status))
        self._send(reply, fault)
