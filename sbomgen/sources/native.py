"""Mend's asynchronous reports: request, poll with a bounded wait, download, extract safely.

``reports-async-api.md`` describes the flow: ``generate{Organization,Product,Project}
ReportAsync`` answers with an ``asyncProcessStatus`` (its ``uuid`` and a ``status``);
``getAsyncProcessStatus`` is polled until the status is SUCCESS or FAILED (the four
statuses are PENDING, IN_PROGRESS, FAILED, SUCCESS); ``downloadAsyncReport`` takes the same
uuid as ``reportStatusUUID`` and answers with the report, "as a ZIP file that contains the
actual report file".

The reference reads two ways in places, and this module takes both:

* for ``ProductSBOMReport`` it says "The response is the requested report file": a
  generate request that answers with a file (not an ``asyncProcessStatus``) is that file;
* the download is a zip holding the report, or the report itself: a body that is not a
  zip is kept as the one file, named from ``Content-Disposition`` or after the report;
* ``getAsyncProcessStatus`` and ``downloadAsyncReport`` take the organization token, so
  even a product admin's run needs it; this is checked before the first request.

Mend's own scripts poll forever, or test for a misspelt status. Here the wait is bounded
(``wait``), the interval grows (``PollPolicy``), an unknown status is an error, and a
timeout says how to resume the same report (``resume``).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Protocol

from sbomgen.errors import ConfigError, InputDataError, MendApiError, MendConnectionError
from sbomgen.sources import contract
from sbomgen.sources.archive import Limits, extract_zip
from sbomgen.sources.client import MendClient, MendResponse, shorten_token

log = logging.getLogger(__name__)

STATUSES = ("PENDING", "IN_PROGRESS", "FAILED", "SUCCESS")
DONE = ("FAILED", "SUCCESS")

# SBOM reports: formats and versions per standard ("SBOM Reporting" tables)
SBOM_FORMATS = {"cyclonedx": ("json", "xml"), "spdx": ("json", "yaml", "tv", "xml", "xlsx")}
SBOM_VERSIONS = {"cyclonedx": ("1.4", "1.5"), "spdx": ("2.2", "2.3")}
SBOM_DEFAULT_VERSION = {"cyclonedx": "1.4", "spdx": "2.2"}  # Mend's defaults, when none is sent
SBOM_REPORT = {"product": "ProductSBOMReport", "project": "ProjectSBOMReport"}
WHOLE_TREE = 100  # maxDepthLevel sent for "the whole tree": deeper than any real graph

FORMAT_EXTENSIONS = {"tv": "spdx"}


class ReportFailedError(MendApiError):
    """Mend finished the report with status FAILED."""


class ReportTimeoutError(MendConnectionError):
    """The report was not ready within the wait; the uuid resumes it."""

    def __init__(self, message: str, uuid: str) -> None:
        super().__init__(message)
        self.uuid = uuid


@dataclass(frozen=True)
class SbomRequest:
    """What ``sbomgen native`` asks for; checked before any request is sent."""

    standard: str  # cyclonedx | spdx
    fmt: str
    version: str | None = None  # None: Mend's default for the standard
    max_depth: int | None = WHOLE_TREE  # None: not sent (Mend's default, 0: top level only)
    vulnerabilities: bool = True

    def check(self) -> None:
        standard = self.standard.lower()
        if standard not in SBOM_FORMATS:
            raise ConfigError(f"--standard {self.standard!r}: cyclonedx or spdx")
        formats = SBOM_FORMATS[standard]
        if self.fmt.lower() not in formats:
            raise ConfigError(
                f"--format {self.fmt}: Mend's {standard} SBOM comes as {', '.join(formats)}"
            )
        if self.version is not None and self.version not in SBOM_VERSIONS[standard]:
            raise ConfigError(
                f"--spec-version {self.version}: Mend's {standard} SBOM is version "
                f"{' or '.join(SBOM_VERSIONS[standard])}"
            )
        if self.max_depth is not None and self.max_depth < 0:
            raise ConfigError(f"--max-depth {self.max_depth}: 0 (top level) or more")

    def params(self, scope: str) -> dict[str, Any]:
        standard = self.standard.lower()
        out: dict[str, Any] = {
            "reportType": SBOM_REPORT[scope],
            "standard": standard,
            "format": self.fmt.lower(),
        }
        if self.version is not None:
            out["version"] = self.version
        if standard == "cyclonedx" and self.max_depth is not None:
            # "Only supported by the CycloneDX standard": never sent with SPDX
            out["maxDepthLevel"] = self.max_depth
        out["includeVulnerabilities"] = self.vulnerabilities
        return out

    @property
    def effective_version(self) -> str:
        return self.version or SBOM_DEFAULT_VERSION[self.standard.lower()]


@dataclass(frozen=True)
class Job:
    """One asynchronous report: its scope, token (None for the organization) and the
    request parameters (reportType, format, …)."""

    scope: str  # org | product | project
    token: str | None
    params: Mapping[str, Any]
    label: str = ""  # for messages and progress: "product Acme Payments"

    @property
    def request_type(self) -> str:
        return {
            "org": "generateOrganizationReportAsync",
            "product": "generateProductReportAsync",
            "project": "generateProjectReportAsync",
        }[self.scope]

    @property
    def report_type(self) -> str:
        return str(self.params.get("reportType", "report"))

    def describe(self) -> str:
        return self.label or (
            f"{self.scope} {shorten_token(self.token)}" if self.token else self.scope
        )


@dataclass(frozen=True)
class PollPolicy:
    """The first interval, its growth and its cap; the whole wait is bounded separately.

    The default wait, an hour, suits a very large product: Mend builds the report on its
    side, and a 10,000-library product can take many minutes."""

    first: float = 2.0
    factor: float = 1.5
    cap: float = 30.0
    wait: float = 3600.0


@dataclass
class JobState:
    job: Job
    uuid: str | None = None
    status: str = "REQUESTING"
    started: float = 0.0
    polls: int = 0
    files: dict[str, bytes] = field(default_factory=dict)
    error: BaseException | None = None


class Progress(Protocol):
    def update(self, index: int, state: JobState) -> None: ...


class _NoProgress:
    def update(self, index: int, state: JobState) -> None:
        log.info(
            "%s: %s%s",
            state.job.describe(),
            state.status,
            f" (uuid {state.uuid})" if state.uuid else "",
        )


@dataclass
class Downloaded:
    job: Job
    uuid: str | None
    files: dict[str, bytes]


class AsyncReports:
    """Runs report jobs, each on its own connection, several at once."""

    def __init__(
        self,
        client: MendClient,
        *,
        policy: PollPolicy | None = None,
        progress: Progress | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        limits: Limits | None = None,
        concurrency: int = 4,
    ) -> None:
        self.client = client
        self.policy = policy or PollPolicy()
        self.progress = progress or _NoProgress()
        self._sleep = sleep
        self._clock = clock
        self.limits = limits or Limits()
        self.concurrency = concurrency
        self._lock = threading.Lock()

    def check(self) -> None:
        """Before any request: polling and downloading take the organization token."""
        if not self.client.has_org_token:
            raise ConfigError(
                "Mend's asynchronous reports are polled with getAsyncProcessStatus and fetched "
                "with downloadAsyncReport, which take the organization token: set "
                "MEND_ORG_TOKEN (or WS_ORG_TOKEN / WS_APIKEY)"
            )

    def run(self, jobs: Sequence[Job], *, resume: str | None = None) -> list[Downloaded]:
        """Every job to its files, in the order given. The first error (after every job
        has finished or failed) is raised; each job's own errors name its scope."""
        self.check()
        if resume is not None and len(jobs) > 1:
            raise ConfigError("--resume picks up one report; give one scope, or none")
        states = [JobState(job=j, started=self._clock()) for j in jobs]
        if len(states) == 1:
            self._run_one(0, states[0], resume)
        else:
            with ThreadPoolExecutor(max_workers=max(1, min(self.concurrency, len(states)))) as pool:
                list(pool.map(lambda i: self._run_one(i, states[i], None), range(len(states))))
        for state in states:
            if state.error is not None:
                raise state.error
        return [Downloaded(job=s.job, uuid=s.uuid, files=s.files) for s in states]

    # -- one job ----------------------------------------------------------------------

    def _run_one(self, index: int, state: JobState, resume: str | None) -> None:
        client = self.client if index == 0 else self.client.clone()
        try:
            if resume is not None:
                state.uuid = resume
                state.status = "RESUMING"
                self._update(index, state)
            else:
                direct = self._request(client, index, state)
                if direct is not None:  # "The response is the requested report file"
                    state.files = self._files(direct, state.job)
                    state.status = "DOWNLOADED"
                    self._update(index, state)
                    return
            self._wait(client, index, state)
            response = client.call("downloadAsyncReport", {"reportStatusUUID": state.uuid})
            state.files = self._files(response, state.job)
            state.status = "DOWNLOADED"
            self._update(index, state)
        except BaseException as exc:  # reported once every job has ended
            state.error = exc
            state.status = "ERROR"
            self._update(index, state)
        finally:
            if client is not self.client:
                client.close()

    def _request(self, client: MendClient, index: int, state: JobState) -> MendResponse | None:
        job = state.job
        params = dict(job.params)
        if job.scope == "product":
            params["productToken"] = job.token
        elif job.scope == "project":
            params["projectToken"] = job.token
        try:
            response = client.call(job.request_type, params, org_level=job.scope == "org")
        except MendApiError as exc:
            # the ProductSBOMReport table names projectToken for the product: a server that
            # reads it so asks for it; ask once more in that form
            if not (
                job.report_type == "ProductSBOMReport"
                and "projectToken" in exc.message
                and "productToken" in params
            ):
                raise
            log.info("%s: the server wants the product token as projectToken", job.describe())
            params["projectToken"] = params.pop("productToken")
            response = client.call(job.request_type, params)
        if not response.is_json and response.body.lstrip()[:1] not in (b"{", b"["):
            return response
        try:
            data = response.json()
        except InputDataError:
            return response
        status = data.get("asyncProcessStatus")
        if not isinstance(status, dict):
            if _looks_like_document(data):
                return response  # a JSON report answered directly
            raise InputDataError(
                f"{job.request_type} for {job.describe()}: the answer holds no asyncProcessStatus "
                f"(keys: {', '.join(sorted(data)) or 'none'})"
            )
        state.uuid = _uuid(status, job)
        state.status = _status(status, job, state.uuid)
        self._update(index, state)
        return None

    def _wait(self, client: MendClient, index: int, state: JobState) -> None:
        policy = self.policy
        started = self._clock()
        interval = policy.first
        while state.status not in DONE:
            waited = self._clock() - started
            if waited >= policy.wait:
                raise ReportTimeoutError(
                    f"{state.job.report_type} for {state.job.describe()} was not ready after "
                    f"{_duration(waited)} (last status {state.status}, uuid {state.uuid}); it may "
                    f"still finish on Mend's side: resume it with --resume {state.uuid}",
                    str(state.uuid),
                )
            self._sleep(min(interval, max(0.0, policy.wait - waited)))
            interval = min(interval * policy.factor, policy.cap)
            response = client.call("getAsyncProcessStatus", {"uuid": state.uuid})
            status = response.json().get("asyncProcessStatus")
            if not isinstance(status, dict):
                raise InputDataError(
                    f"getAsyncProcessStatus for uuid {state.uuid}: the answer holds no "
                    "asyncProcessStatus"
                )
            state.polls += 1
            state.status = _status(status, state.job, str(state.uuid))
            self._update(index, state)
        if state.status == "FAILED":
            raise ReportFailedError(
                "getAsyncProcessStatus",
                None,
                f"Mend reports FAILED for {state.job.report_type} of {state.job.describe()} "
                f"(uuid {state.uuid}){_reason(status)}",
            )

    def _files(self, response: MendResponse, job: Job) -> dict[str, bytes]:
        body = response.body
        what = f"{job.report_type} of {job.describe()}"
        if body[:4] == b"PK\x03\x04" or "zip" in response.content_type:
            files = extract_zip(body, what=what, limits=self.limits)
            if not files:
                raise InputDataError(f"{what}: the downloaded zip holds no file")
            return files
        if len(body) > self.limits.max_member_bytes:
            raise InputDataError(
                f"{what}: the download is over {self.limits.max_member_bytes} bytes"
            )
        name = _disposition_name(response) or _default_name(job)
        return {name: body}

    def _update(self, index: int, state: JobState) -> None:
        with self._lock:
            self.progress.update(index, state)


def _looks_like_document(data: Mapping[str, Any]) -> bool:
    return data.get("bomFormat") == "CycloneDX" or "spdxVersion" in data


def _uuid(status: Mapping[str, Any], job: Job) -> str:
    value = status.get("uuid")
    if not isinstance(value, str) or not value.strip():
        raise InputDataError(
            f"{job.request_type} for {job.describe()}: asyncProcessStatus has no uuid"
        )
    return value.strip()


def _status(status: Mapping[str, Any], job: Job, uuid: str) -> str:
    value = str(status.get("status") or "").strip().upper()
    if value not in STATUSES:
        raise InputDataError(
            f"{job.report_type} for {job.describe()} (uuid {uuid}): status {status.get('status')!r} "
            f"is none of {', '.join(STATUSES)}"
        )
    return value


def _reason(status: Any) -> str:
    """Whatever a FAILED status says about why (the reference names no field for it)."""
    if not isinstance(status, Mapping):
        return ""
    for key in ("errorMessage", "message", "error", "failureReason", "statusMessage"):
        value = status.get(key)
        if isinstance(value, str) and value.strip():
            return f": {value.strip()}"
    return "; Mend gave no reason"


def _disposition_name(response: MendResponse) -> str | None:
    from sbomgen.sources.archive import safe_name

    header = response.filename
    if not header:
        return None
    name = safe_name(header.rsplit("/", 1)[-1])
    return name


def _default_name(job: Job) -> str:
    fmt = str(job.params.get("format", "json")).lower()
    standard = str(job.params.get("standard", "")).lower()
    ext = FORMAT_EXTENSIONS.get(fmt, fmt)
    if standard == "cyclonedx":
        ext = f"cdx.{fmt}"
    elif standard == "spdx":
        ext = {"tv": "spdx", "xlsx": "spdx.xlsx"}.get(fmt, f"spdx.{fmt}")
    return f"{job.report_type}.{ext}"


def _duration(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes}m {secs}s" if minutes else f"{secs}s"


def report_types(scope: str) -> list[str]:
    return {
        "org": contract.ORG_REPORTS,
        "product": contract.PRODUCT_REPORTS,
        "project": contract.PROJECT_REPORTS,
    }[scope]
