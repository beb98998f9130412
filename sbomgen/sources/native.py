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

Several jobs run at once; each ends with its files or its own error, and every outcome is
kept (:meth:`AsyncReports.run_all`). An interrupt (Ctrl-C, SIGTERM) cancels the jobs still
polling at once (their waits are on one shared event) and leaves :attr:`AsyncReports.states`
to say which reports were in flight, so that each can be resumed.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from sbomgen.errors import (
    ConfigError,
    InputDataError,
    MendApiError,
    MendConnectionError,
    SbomgenError,
)
from sbomgen.sources import contract
from sbomgen.sources.archive import Limits, extract_zip
from sbomgen.sources.client import MendClient, MendResponse, shorten_token

if TYPE_CHECKING:
    import requests

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


class Cancelled(Exception):
    """The run was interrupted: a job stops where it is (its report may still finish on
    Mend's side, and its uuid resumes it)."""


class JobsFailedError(SbomgenError):
    """Some of several jobs ended without their files; ``failures`` holds each one's state
    (its error and uuid). The exit code is that of the first failure."""

    def __init__(self, message: str, failures: Sequence[JobState]) -> None:
        super().__init__(message)
        self.failures = list(failures)
        first = self.failures[0].error if self.failures else None
        self.exit_code = first.exit_code if isinstance(first, SbomgenError) else 1


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
    detail: Mapping[str, Any] = field(default_factory=dict)  # the last asyncProcessStatus

    @property
    def done(self) -> bool:
        return self.status == "DOWNLOADED" and self.error is None

    @property
    def resumable(self) -> bool:
        """Mend has the report (a uuid) and it did not fail: ``--resume`` picks it up."""
        return (
            self.uuid is not None
            and not self.done
            and not isinstance(self.error, ReportFailedError)
            and self.status != "FAILED"
        )


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
        sleep: Callable[[float], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
        limits: Limits | None = None,
        concurrency: int = 4,
    ) -> None:
        self.client = client
        self.policy = policy or PollPolicy()
        self.progress = progress or _NoProgress()
        self._sleep = sleep  # None: wait on the cancel event (an interrupt ends the wait)
        self._clock = clock
        self.limits = limits or Limits()
        self.concurrency = concurrency
        self._lock = threading.Lock()
        self._cancel = threading.Event()
        self.states: list[JobState] = []  # the last run's jobs, also after an interrupt

    def check(self) -> None:
        """Before any request: polling and downloading take the organization token."""
        if not self.client.has_org_token:
            raise ConfigError(
                "Mend's asynchronous reports are polled with getAsyncProcessStatus and fetched "
                "with downloadAsyncReport, which take the organization token: set "
                "MEND_ORG_TOKEN (or WS_ORG_TOKEN / WS_APIKEY)"
            )

    def run(self, jobs: Sequence[Job], *, resume: str | None = None) -> list[Downloaded]:
        """Every job to its files, in the order given, or an error once every job has
        ended: a single job's own, or :class:`JobsFailedError` naming each that failed."""
        states = self.run_all(jobs, resume=resume)
        failed = [s for s in states if not s.done]
        if len(states) == 1 and failed and failed[0].error is not None:
            raise failed[0].error
        if failed:
            raise JobsFailedError(
                f"{len(failed)} of {len(states)} report jobs did not finish: "
                + "; ".join(str(s.error) for s in failed),
                failed,
            )
        return [Downloaded(job=s.job, uuid=s.uuid, files=s.files) for s in states]

    def run_all(self, jobs: Sequence[Job], *, resume: str | None = None) -> list[JobState]:
        """Every job to its outcome, in the order given: its files (``done``) or the error
        it ended with (``error``, its ``uuid`` when Mend gave one). One job's failure does
        not stop the others.

        An interrupt (KeyboardInterrupt, or the CLI's SIGTERM exception, in the calling
        thread) cancels every job at once (a poll's wait ends, no new request is sent)
        and is raised without waiting for the jobs' threads (daemons, holding nothing
        but memory); :attr:`states` then says which reports were in flight."""
        self.check()
        if resume is not None and len(jobs) > 1:
            raise ConfigError("--resume picks up one report; give one scope, or none")
        self._cancel.clear()
        states = [JobState(job=j, started=self._clock()) for j in jobs]
        self.states = states
        try:
            if len(states) == 1:
                self._run_one(0, states[0], resume)
            else:
                self._run_threads(states)
        except BaseException:
            self._cancel.set()
            raise
        return states

    def cancel(self) -> None:
        """Stop every job of the run at its next wait or request."""
        self._cancel.set()

    def _run_threads(self, states: list[JobState]) -> None:
        todo = list(range(len(states)))
        taken = threading.Lock()

        def worker() -> None:
            while not self._cancel.is_set():
                with taken:
                    if not todo:
                        return
                    index = todo.pop(0)
                try:
                    self._run_one(index, states[index], None)
                except BaseException as exc:  # nothing leaves a worker thread unrecorded
                    states[index].error = exc
                    states[index].status = "ERROR"

        threads = [
            # daemons: an interrupted run exits without waiting for a request in flight
            threading.Thread(target=worker, name=f"sbomgen-report-{n}", daemon=True)
            for n in range(max(1, min(self.concurrency, len(states))))
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            while thread.is_alive():
                thread.join(0.1)  # short joins: an interrupt lands at once

    # -- one job ----------------------------------------------------------------------

    def _run_one(self, index: int, state: JobState, resume: str | None) -> None:
        """One job; its error is recorded in ``state``, an interrupt is raised."""
        client = self.client if index == 0 else self.client.clone()
        try:
            with _bounded_bodies(client, self.limits.max_total_bytes, state.job):
                self._job(client, index, state, resume)
        except Cancelled as exc:  # the status stays Mend's last, for the interrupt's message
            state.error = exc
        except Exception as exc:  # reported once every job has ended
            state.error = exc
            state.status = "ERROR"
            self._update(index, state)
        finally:
            if client is not self.client:
                client.close()

    def _job(self, client: MendClient, index: int, state: JobState, resume: str | None) -> None:
        if resume is not None:
            state.uuid = resume
            state.status = "RESUMING"
            self._update(index, state)
        else:
            self._cancelled()
            direct = self._request(client, index, state)
            if direct is not None:  # "The response is the requested report file"
                state.files = self._files(direct, state.job)
                state.status = "DOWNLOADED"
                self._update(index, state)
                return
        self._wait(client, index, state)
        self._cancelled()
        response = client.call("downloadAsyncReport", {"reportStatusUUID": state.uuid})
        state.files = self._files(response, state.job)
        state.status = "DOWNLOADED"
        self._update(index, state)

    def _cancelled(self) -> None:
        if self._cancel.is_set():
            raise Cancelled()

    def _pause(self, seconds: float) -> None:
        """The wait between two polls; an interrupt ends it at once."""
        if self._sleep is not None:
            self._sleep(seconds)
        else:
            self._cancel.wait(seconds)
        self._cancelled()

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
        state.detail = status
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
            self._pause(min(interval, max(0.0, policy.wait - waited)))
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
            state.detail = status
            self._update(index, state)
        if state.status == "FAILED":
            raise ReportFailedError(
                "getAsyncProcessStatus",
                None,
                f"Mend reports FAILED for {state.job.report_type} of {state.job.describe()} "
                f"(uuid {state.uuid}){_reason(state.detail)}",
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


@contextlib.contextmanager
def _bounded_bodies(client: MendClient, limit: int, job: Job) -> Iterator[None]:
    """While a job runs, its connection reads no answer beyond ``limit`` bytes (the
    archive's total size limit): a huge download is refused as it streams in, not held
    whole in memory first. A response hook on this thread's session reads the body in
    chunks before requests would read it all."""
    session = client._session_here()

    def bounded(response: requests.Response, *args: Any, **kwargs: Any) -> requests.Response:
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > limit:
            response.close()
            raise _too_large(job, limit, f"it declares {int(declared)} bytes")
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_content(1 << 20):
            size += len(chunk)
            if size > limit:
                response.close()
                raise _too_large(job, limit, "it goes on beyond that")
            chunks.append(chunk)
        response._content = b"".join(chunks)
        return response

    hooks = session.hooks.setdefault("response", [])
    hooks.append(bounded)
    try:
        yield
    finally:
        with contextlib.suppress(ValueError):
            hooks.remove(bounded)


def _too_large(job: Job, limit: int, detail: str) -> InputDataError:
    return InputDataError(
        f"{job.report_type} of {job.describe()}: Mend's answer is larger than {limit} bytes, "
        f"the size limit of a report archive ({detail}); refused without reading it whole, "
        "nothing was written"
    )


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


FAILURE_KEYS = ("errorMessage", "message", "error", "failureReason", "statusMessage")


def _reason(status: Any) -> str:
    """Whatever a FAILED status says about why. The reference names no field for it: the
    keys Mend uses for messages elsewhere are looked for (the emulator's
    ``--async-failure-reason`` serves one)."""
    if not isinstance(status, Mapping):
        return ""
    for key in FAILURE_KEYS:
        value = status.get(key)
        if isinstance(value, str) and value.strip():
            return f"; Mend's message: {value.strip()}"
    return "; Mend gave no reason"


def _disposition_name(response: MendResponse) -> str | None:
    """The file name the server gives, when it is one sbomgen can write and does not write
    itself (a download named SHA256SUMS would replace sbomgen's own)."""
    from sbomgen.sources.archive import reserved_name, safe_name

    header = response.filename
    if not header:
        return None
    name = safe_name(header.rsplit("/", 1)[-1])
    if name is not None and reserved_name(name) is not None:
        log.warning(
            "the download is named %r, a name sbomgen writes itself; kept under its default name",
            name,
        )
        return None
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
