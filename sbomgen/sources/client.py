"""The one careful HTTP client for the Mend API.

- One :class:`requests.Session`, a ``sbomgen/<version>`` User-Agent, explicit connect
  and read timeouts.
- Retries with exponential backoff on 429 (honouring ``Retry-After``), on 5xx, on
  connection errors and on bodies cut short by a dropped connection. Mend reads are
  POSTs, so POSTs are retried.
- Every 2xx JSON body is checked for ``errorCode``: Mend reports errors inside HTTP 200.
  5001 raises :class:`MendNotAllowedError`; 3000 (sometimes sporadic) is retried once.
- The user key and organization token go into request bodies only. They never appear in
  logs, errors, recorded parameters or any output; project and product tokens are
  shortened in logs.
"""

from __future__ import annotations

import contextlib
import email.utils
import json
import logging
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests

from sbomgen import __version__
from sbomgen.errors import (
    ConfigError,
    InputDataError,
    MendApiError,
    MendConnectionError,
    MendInvalidParametersError,
    MendNotAllowedError,
)
from sbomgen.sources import contract, fastparse

log = logging.getLogger(__name__)

JsonObject = dict[str, Any]

# Parameters that are credentials: never logged, recorded or echoed.
SECRET_PARAMS = frozenset({"userKey", "orgToken", "globalOrgToken"})
# Parameters that identify scope: recorded in snapshots, shortened in logs.
TOKEN_PARAMS = frozenset({"productToken", "projectToken", "productToken2", "projectToken2"})


@dataclass(frozen=True)
class ServerUrl:
    """A Mend server as sbomgen addresses it: the base URL, and the API version the user's
    URL named (None: sbomgen chooses, see :class:`MendClient`)."""

    base: str  # scheme://host[:port][/path], without /api…; safe to log and record
    version: str | None = None
    scheme_given: bool = True  # False: the user wrote no scheme, and https was assumed

    def endpoint(self, version: str) -> str:
        return f"{self.base}/api/v{version}"


def normalize_url(url: str) -> ServerUrl:
    """Turn a Mend server URL as users copy it into a :class:`ServerUrl`.

    Accepts ``https://saas.mend.io``, ``…/api``, ``…/api/v1.3``, ``…/agent`` and trailing
    slashes. A version in the URL (``/api/v1.3``) is the version sbomgen talks; it must be
    one sbomgen knows. The base has no user info, query or fragment, so it is safe to log
    and to record.
    """
    raw = url.strip()
    if not raw:
        raise ConfigError("the Mend URL is empty (set --url or MEND_URL)")
    scheme_given = "://" in raw
    if not scheme_given:
        raw = "https://" + raw
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError as exc:
        raise ConfigError(
            f"not a valid URL: {safe_url(url)!r} ({exc}; from --url or MEND_URL)"
        ) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"not an http(s) URL: {safe_url(url)!r} (from --url or MEND_URL)")
    path = re.sub(r"/+$", "", parts.path)
    version = None
    m = re.search(r"/api/v(?P<v>\d+(?:\.\d+)?)$", path, flags=re.IGNORECASE)
    if m:
        version = m.group("v")
        if version not in contract.VERSIONS:
            known = ", ".join(f"v{v}" for v in contract.VERSIONS)
            raise ConfigError(
                f"the URL {safe_url(url)!r} names Mend API v{version}; sbomgen speaks {known} "
                "(give one of them, or leave the version out)"
            )
    path = re.sub(r"/(api(/v\d+(\.\d+)?)?|agent)$", "", path, flags=re.IGNORECASE)
    host = parts.hostname
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = host if port is None else f"{host}:{port}"
    return ServerUrl(urlunsplit((parts.scheme, netloc, path, "", "")), version, scheme_given)


def safe_url(url: str) -> str:
    """A URL with user info, query and fragment removed, for messages."""
    try:
        parts = urlsplit(url if "://" in url else "https://" + url)
        host = parts.hostname or ""
        netloc = host if parts.port is None else f"{host}:{parts.port}"
        return urlunsplit((parts.scheme, netloc, parts.path, "", ""))
    except ValueError:
        return "<unparseable URL>"


def shorten_token(value: str) -> str:
    return "…" + value[-6:] if len(value) > 8 else value


def loggable_params(params: Mapping[str, Any]) -> str:
    shown = []
    for k, v in params.items():
        if k in SECRET_PARAMS:
            continue
        if k in TOKEN_PARAMS and isinstance(v, str):
            v = shorten_token(v)
        shown.append(f"{k}={v}")
    return " ".join(shown)


@dataclass(frozen=True)
class Credentials:
    """The user key and (optional) organization token. Their repr never shows them."""

    user_key: str = field(repr=False)
    org_token: str | None = field(default=None, repr=False)
    user_key_source: str = "MEND_USER_KEY"
    org_token_source: str = "MEND_ORG_TOKEN"  # noqa: S105 - a variable name, not a secret

    def secrets(self) -> tuple[str, ...]:
        return tuple(s for s in (self.user_key, self.org_token) if s)


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 5  # total tries for a request, the first included
    backoff: float = 0.5  # seconds before the first retry; doubles every retry
    max_backoff: float = 30.0
    max_retry_after: float = 120.0  # never wait longer than this for Retry-After
    connect_timeout: float = 10.0
    read_timeout: float = 300.0
    # Seconds one run may spend on failed attempts and the waits between them, all requests
    # together: a server that accepts connections and never answers is abandoned after
    # about two read timeouts, not after retries x requests x timeout.
    budget: float = 600.0


@dataclass(frozen=True)
class MendResponse:
    """A successful answer: its request type, content type and raw body."""

    request_type: str
    content_type: str
    body: bytes
    origin: str = ""  # where the body came from, for messages ("snapshot file …")
    filename: str | None = None  # from Content-Disposition, when the server names the file
    # the body, decoded already when the client checked it (a large answer is decoded once)
    decoded: JsonObject | None = field(default=None, compare=False, repr=False)
    # or, for the answers sbomgen.sources.fastparse reads, its typed records
    typed: Any = field(default=None, compare=False, repr=False)

    @property
    def is_json(self) -> bool:
        return "json" in self.content_type

    def json(self) -> JsonObject:
        if self.decoded is not None:
            return self.decoded
        try:
            return decode_json(self.request_type, self.body)
        except InputDataError as exc:
            if self.origin:
                raise InputDataError(f"{self.origin}: {exc}") from None
            raise


def decode_json(request_type: str, body: bytes) -> JsonObject:
    try:
        data = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise InputDataError(f"response to {request_type} is not UTF-8 text: {exc}") from exc
    except RecursionError:
        raise InputDataError(
            f"response to {request_type} nests deeper than sbomgen reads (JSON arrays and "
            "objects more than about 900 levels deep)"
        ) from None
    except json.JSONDecodeError as exc:
        hint = " (it ends too early)" if exc.pos >= len(body.strip()) - 1 else ""
        raise InputDataError(
            f"response to {request_type} is not valid JSON{hint}: "
            f"{exc.msg.removesuffix(' at')} at byte {exc.pos} "
            f"of {len(body)}"
        ) from exc
    except ValueError as exc:  # a number longer than Python converts (4,300 digits)
        raise InputDataError(f"response to {request_type} is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise InputDataError(
            f"response to {request_type} is a JSON {type(data).__name__}, expected an object"
        )
    return data


def raise_for_mend_error(request_type: str, data: Mapping[str, Any]) -> None:
    """Raise the typed error for a Mend ``errorCode`` body, if it is one."""
    if "errorCode" not in data:
        return
    raw = data.get("errorCode")
    try:
        code: int | None = int(raw)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        code = None
    message = str(data.get("errorMessage") or "no message")
    if code == 5001:
        raise MendNotAllowedError(request_type, code, message)
    if code == 3000:
        raise MendInvalidParametersError(request_type, code, message)
    raise MendApiError(request_type, code, message)


class _Retryable(Exception):
    def __init__(self, reason: str, wait: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.wait = wait


class _NotFound(Exception):
    """HTTP 404 for the API path: this server has no such API version."""


class _Shared:
    """What every thread using one client (and every clone of it) shares: the failure
    budget, the pause a 429 or 503 with Retry-After imposes on all of them, and the count
    of requests sent."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.settle = threading.Lock()  # held while the API version is being found
        self.failed_time = 0.0  # seconds spent on failed attempts and waits (the budget)
        self.pause_until = 0.0  # time.monotonic() before which no request is sent
        self.requests_made = 0

    def spend(self, seconds: float) -> float:
        with self.lock:
            self.failed_time += seconds
            return self.failed_time

    def pause(self, seconds: float) -> float:
        with self.lock:
            self.pause_until = max(self.pause_until, time.monotonic() + seconds)
            return self.pause_until

    def count(self) -> None:
        with self.lock:
            self.requests_made += 1


class MendClient:
    """Posts requests to one Mend server, at one API version.

    Safe to share between threads: each thread gets its own connection (a requests
    Session), while the retry budget, the request count and the limiter are shared, so a
    429 with Retry-After holds back every thread, not only the one that got it.

    The version is the one the URL names (``…/api/v1.3``). When the URL names none,
    sbomgen talks v1.4 and, if the server answers 404 for ``/api/v1.4`` (an on-premises
    server that lags behind SaaS), falls back to the newest version it offers, saying so
    once. What is sent follows :mod:`sbomgen.sources.contract` for the version in use.
    """

    def __init__(
        self,
        url: str,
        credentials: Credentials,
        *,
        policy: RetryPolicy | None = None,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        verify: bool | str = True,
    ) -> None:
        self.server = normalize_url(url)
        self.display_url = self.server.base
        self._version = self.server.version or contract.DEFAULT_VERSION
        self._settled = self.server.version is not None  # no fallback once the server answered
        self._credentials = credentials
        self.policy = policy or RetryPolicy()
        self._session = session or requests.Session()
        self._session.headers.update(
            {
                "User-Agent": f"sbomgen/{__version__}",
                "Content-Type": "application/json",
                "Accept": "application/json, application/zip, text/plain, */*",
                "Accept-Charset": "utf-8",
            }
        )
        self._sleep = sleep
        # passed with each request: requests lets REQUESTS_CA_BUNDLE override a Session's
        # own verify; True leaves the standard variables in charge
        self.verify = verify
        self._shared = _Shared()
        self._owner = threading.current_thread()
        self._local = threading.local()
        self._sessions: list[requests.Session] = []
        self._env: dict[str, Any] | None = None  # proxies and CA bundle, read once
        self._reached = False  # the server has answered once (a refusal is transient after)
        self._succeeded = False  # a request has succeeded with these credentials

    @property
    def requests_made(self) -> int:
        return self._shared.requests_made

    @property
    def _failed_time(self) -> float:
        return self._shared.failed_time

    def _session_here(self) -> requests.Session:
        """This thread's connection: the client's own in the thread that made it, a twin
        with the same headers and settings in any other."""
        if threading.current_thread() is self._owner:
            return self._session
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.headers.update(self._session.headers)
            session.proxies.update(self._session.proxies)
            session.trust_env = False  # read once: see _environment
            self._local.session = session
            with self._shared.lock:
                self._sessions.append(session)
        return session

    def _environment(self) -> dict[str, Any]:
        """The proxies and CA bundle the environment asks for (``HTTPS_PROXY``,
        ``NO_PROXY``, ``REQUESTS_CA_BUNDLE`` …), read once per client rather than by
        requests on every request: that lookup, with its ``~/.netrc`` search, was a fifth of
        a large fetch's CPU. The sessions then stop consulting the environment; a netrc
        entry is not sent (Mend authenticates by the user key in the body)."""
        env = self._env
        if env is None:
            base = self._session
            if base.trust_env:
                settings = base.merge_environment_settings(
                    self.endpoint, {}, None, None if self.verify is True else self.verify, None
                )
                env = {"proxies": settings["proxies"], "verify": settings["verify"]}
            else:
                env = {"proxies": {}, "verify": None if self.verify is True else self.verify}
            self._env = env
        return env

    def close(self) -> None:
        self._session.close()
        with self._shared.lock:
            extra, self._sessions = self._sessions, []
        for session in extra:
            session.close()

    def clone(self) -> MendClient:
        """A client of the same server, version and credentials, with its own connection,
        sharing this one's budget and limiter."""
        other = MendClient(
            self.server.base,
            self._credentials,
            policy=self.policy,
            sleep=self._sleep,
            verify=self.verify,
        )
        other.server = self.server
        other._shared = self._shared  # one budget and one limiter for all of them
        other._version, other._settled = self._version, self._settled
        other._reached, other._succeeded = self._reached, self._succeeded
        return other

    def __enter__(self) -> MendClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def has_org_token(self) -> bool:
        return bool(self._credentials.org_token)

    @property
    def api_version(self) -> str:
        """The API version in use (before the first answer, the one sbomgen will try)."""
        return self._version

    @property
    def endpoint(self) -> str:
        return self.server.endpoint(self._version)

    def redact(self, body: bytes) -> bytes:
        """``body`` with every credential replaced: Mend echoes orgToken in some answers."""
        for secret in self._credentials.secrets():
            body = body.replace(secret.encode("utf-8"), b"***")
        return body

    def call(
        self, request_type: str, params: Mapping[str, Any], *, org_level: bool = False
    ) -> MendResponse:
        """Post one request; return the successful response or raise a typed error.

        ``params`` must not hold credentials: the client adds ``userKey`` (and
        ``orgToken`` for ``org_level`` requests) itself.
        """
        leaked = SECRET_PARAMS.intersection(params)
        if leaked:
            raise ValueError(f"credentials passed as parameters: {sorted(leaked)}")
        if org_level and not self._credentials.org_token:
            raise ConfigError(
                f"{request_type} is an organization-level request and needs an organization "
                f"token: set {self._credentials.org_token_source} (or WS_ORG_TOKEN / WS_APIKEY)"
            )
        org_level = org_level or contract.request(request_type).scope == "org"
        if not self._settled:
            # Until the server has answered once, the API version is not known: one thread
            # finds it (and falls back if need be), the others wait for it, then go at once.
            with self._shared.settle:
                if not self._settled:
                    return self._call_settling(request_type, params, org_level)
        return self._call_settling(request_type, params, org_level)

    def _call_settling(
        self, request_type: str, params: Mapping[str, Any], org_level: bool
    ) -> MendResponse:
        first = self._version
        confirmed = self._settled  # a 404 before any answer is asked again before believed
        while True:
            try:
                response = self._call_version(request_type, params, org_level=org_level)
            except contract.MendVersionError as exc:
                if not self._settled and self._version != first:
                    # fallen back after a 404, before the server said which version it has
                    raise contract.MendVersionError(
                        request_type,
                        self._version,
                        exc.needed,
                        known=f"{self.display_url} has no /api/v{first} (HTTP 404)",
                    ) from None
                raise
            except MendApiError as exc:
                self._explain(exc, params)
                raise
            except _NotFound:
                if not confirmed:
                    confirmed = True
                    log.debug(
                        "%s: HTTP 404 for /api/v%s; asking once more", request_type, self._version
                    )
                    continue
                self._fall_back(request_type, first)
                continue
            if not self._settled and self._version != first:
                log.warning(
                    "%s has no /api/v%s (HTTP 404); using /api/v%s, the newest Mend API "
                    "version it offers",
                    self.display_url,
                    first,
                    self._version,
                )
            self._settled = True
            self._succeeded = True
            return response

    def _explain(self, exc: MendApiError, params: Mapping[str, Any]) -> None:
        """Name the input an error is about: the scope token (shortened, as in logs), and
        for a refused key where it came from and whether it had worked before."""
        if exc.subject is None and not isinstance(exc, contract.MendVersionError):
            for key in ("projectToken", "productToken"):
                value = params.get(key)
                if isinstance(value, str) and value:
                    exc.subject = f"{key} {shorten_token(value)}"
                    break
        if isinstance(exc, MendNotAllowedError):
            exc.key_worked = self._succeeded
            exc.key_source = self._credentials.user_key_source

    def _fall_back(self, request_type: str, first: str) -> None:
        at = contract.VERSIONS.index(self._version)
        older = contract.VERSIONS[:at]
        if self._settled or not older:
            tried = contract.VERSIONS[at : contract.VERSIONS.index(first) + 1]
            hint = (
                "the URL names this version; is it right?"
                if self.server.version
                else f"tried {', '.join('v' + v for v in reversed(tried))}; is the URL right?"
            )
            raise MendApiError(
                request_type,
                None,
                f"HTTP 404 from {self.server.endpoint(self._version)}: no Mend API there ({hint})",
            )
        self._version = older[-1]

    def _call_version(
        self, request_type: str, params: Mapping[str, Any], *, org_level: bool
    ) -> MendResponse:
        wire = contract.prepare(request_type, self._version, params)
        body: dict[str, Any] = {"requestType": request_type, **wire}
        body["userKey"] = self._credentials.user_key
        if org_level and self._credentials.org_token:
            body["orgToken"] = self._credentials.org_token
        payload = json.dumps(body).encode("utf-8")
        described = f"{request_type} {loggable_params(wire)}".strip()

        attempt = 0
        while True:
            attempt += 1
            started = time.monotonic()
            try:
                response = self._post_once(request_type, payload, described, attempt)
                # a server may echo a credential in its error message: checked redacted
                checked = self.redact(response.body)
                problem, decoded = _body_problem(request_type, response, checked)
                if problem is not None:
                    # every Mend read is idempotent: a body cut short or replaced by a proxy's
                    # page is a transport fault, retried; one that stays so is bad input
                    if attempt >= self.policy.attempts or self._over_budget():
                        raise InputDataError(
                            f"response to {request_type} {problem} (after {attempt} "
                            f"attempt{'s' if attempt != 1 else ''})"
                        )
                    raise _Retryable(f"the response {problem}")
                if isinstance(decoded, fastparse.ANSWERS):  # valid, and no error body
                    if checked == response.body:
                        response = replace(response, typed=decoded)
                elif isinstance(decoded, dict):
                    raise_for_mend_error(request_type, decoded)
                    if checked == response.body:
                        response = replace(response, decoded=decoded)
                elif response.is_json:
                    raise_for_mend_error(request_type, decode_json(request_type, checked))
                elif checked.lstrip()[:1] == b"{":
                    # an error body under another content type (the reference names none)
                    with contextlib.suppress(InputDataError):
                        raise_for_mend_error(request_type, decode_json(request_type, checked))
                return response
            except MendInvalidParametersError:
                # Mend's tools retry errorCode 3000 ("Invalid parameters"): it comes and goes
                # under load; a request that keeps getting it fails after the retries
                self._shared.spend(time.monotonic() - started)
                if attempt >= self.policy.attempts or self._over_budget():
                    raise
                delay = min(self.policy.backoff * (2 ** (attempt - 1)), self.policy.max_backoff)
                log.warning(
                    "%s: errorCode 3000 (invalid parameters); retry %d of %d in %.1fs",
                    request_type,
                    attempt,
                    self.policy.attempts - 1,
                    delay,
                )
                self._shared.spend(delay)
                self._sleep(delay)
            except _Retryable as exc:
                self._shared.spend(time.monotonic() - started)
                if attempt >= self.policy.attempts:
                    raise MendConnectionError(
                        f"{request_type} to {self.display_url} failed after {attempt} "
                        f"attempt{'s' if attempt != 1 else ''}: {exc.reason}"
                    ) from None
                if self._over_budget():
                    raise MendConnectionError(
                        f"{request_type} to {self.display_url} failed ({exc.reason}), and this "
                        f"run has spent {self._failed_time:.0f}s on failed requests, its budget "
                        f"of {self.policy.budget:.0f}s: the server is given up"
                    ) from None
                delay = min(self.policy.backoff * (2 ** (attempt - 1)), self.policy.max_backoff)
                if exc.wait is not None:
                    delay = min(max(exc.wait, 0.0), self.policy.max_retry_after)
                    # the server asked to be left alone: every thread waits, not only this one
                    self._local.served = self._shared.pause(delay)
                delay = min(delay, max(0.0, self.policy.budget - self._failed_time))
                self._shared.spend(delay)
                log.warning(
                    "%s: %s; retry %d of %d in %.1fs",
                    request_type,
                    exc.reason,
                    attempt,
                    self.policy.attempts - 1,
                    delay,
                )
                self._sleep(delay)

    def _over_budget(self) -> bool:
        return self._failed_time >= self.policy.budget

    def _post_once(
        self, request_type: str, payload: bytes, described: str, attempt: int
    ) -> MendResponse:
        until = self._shared.pause_until
        held = until - time.monotonic()
        if held > 0 and until > getattr(self._local, "served", 0.0):
            # another thread was told to wait (429 / 503 with Retry-After): so is this one
            self._local.served = until
            self._sleep(min(held, self.policy.max_retry_after))
        started = time.monotonic()
        self._shared.count()
        env = self._environment()
        session = self._session_here()
        session.trust_env = False  # read once: see _environment
        try:
            resp = session.post(
                self.endpoint,
                data=payload,
                timeout=(self.policy.connect_timeout, self.policy.read_timeout),
                # a redirect would carry the user key to wherever it points
                allow_redirects=False,
                proxies=env["proxies"],
                verify=env["verify"],
            )
            # the whole body (a cut-short body raises here), read a megabyte at a time: in
            # the 10 KB pieces of resp.content, each piece waits for the interpreter lock
            # while other threads parse (a tree answer took 0.10 s instead of 0.06)
            body = b"".join(resp.iter_content(1 << 20))
        except requests.exceptions.Timeout as exc:
            raise _Retryable(f"timed out ({type(exc).__name__})") from None
        except requests.exceptions.ConnectionError as exc:
            final = self._deterministic(request_type, exc)
            if final is not None:
                raise final from None
            raise _Retryable(f"connection failed ({_reason(exc)})") from None
        except requests.exceptions.ChunkedEncodingError as exc:
            raise _Retryable(f"the response body was cut short ({_reason(exc)})") from None
        except requests.exceptions.RequestException as exc:
            raise MendConnectionError(
                f"{request_type} to {self.display_url} failed: {type(exc).__name__}"
            ) from None
        self._reached = True
        elapsed = time.monotonic() - started
        log.debug(
            "POST %s [%s] attempt %d -> HTTP %d, %d bytes, %.3fs",
            self.endpoint,
            described,
            attempt,
            resp.status_code,
            len(body),
            elapsed,
        )
        status = resp.status_code
        if 300 <= status < 400:
            target = resp.headers.get("Location", "")
            raise MendApiError(
                request_type,
                None,
                f"HTTP {status}: {self.display_url} redirects to {safe_url(target) or '(nowhere)'}; "
                "sbomgen does not follow redirects, which would carry the user key along: give "
                "the URL it points to",
            )
        if status == 429:
            raise _Retryable(
                "HTTP 429 Too Many Requests", _retry_after(resp.headers.get("Retry-After"))
            )
        if status >= 500:
            wait = _retry_after(resp.headers.get("Retry-After")) if status == 503 else None
            raise _Retryable(f"HTTP {status} {resp.reason or ''}".strip(), wait)
        if status == 404:
            raise _NotFound()
        if status >= 400:
            detail = ""
            if "json" in resp.headers.get("Content-Type", ""):
                with contextlib.suppress(InputDataError):
                    raise_for_mend_error(request_type, decode_json(request_type, body))
            else:
                detail = f": {resp.reason}" if resp.reason else ""
            raise MendApiError(request_type, None, f"HTTP {status}{detail} from {self.display_url}")
        return MendResponse(
            request_type=request_type,
            content_type=resp.headers.get("Content-Type", "application/octet-stream"),
            body=body,
            filename=_disposition_filename(resp.headers.get("Content-Disposition")),
        )

    def _deterministic(
        self, request_type: str, exc: requests.exceptions.ConnectionError
    ) -> MendConnectionError | None:
        """A connection failure that a retry cannot mend, as the error to stop with (and a
        hint); None for a transient one. An unknown host, a TLS handshake that fails, and
        a refused connection to a server that never answered are final; a temporary DNS
        failure, or a refusal after the server has answered (a restart), are retried."""
        parts = urlsplit(self.display_url)
        host = parts.hostname or "?"
        where = parts.netloc or host
        cause = getattr(exc.args[0], "reason", exc.args[0]) if exc.args else exc
        text = str(cause)
        head = f"{request_type} to {self.display_url} failed at once (retrying cannot help)"
        if isinstance(exc, requests.exceptions.SSLError) or "SSL" in type(cause).__name__:
            detail = _tls_detail(text)
            if not self.server.scheme_given:
                return MendConnectionError(
                    f"{head}: the TLS handshake with {where} failed ({detail}). The URL has no "
                    f"scheme, so sbomgen used https://; if the server speaks plain HTTP, give "
                    f"--url http://{where}{parts.path}"
                )
            hint = (
                "; if the server's certificate comes from a private CA, point "
                "REQUESTS_CA_BUNDLE at that CA's certificate"
                if "certificate" in text.lower()
                else "; is it an https server? (http:// for plain HTTP)"
            )
            return MendConnectionError(
                f"{head}: the TLS handshake with {where} failed ({detail}){hint}"
            )
        if "NameResolution" in type(cause).__name__ or "Failed to resolve" in text:
            if "Temporary failure" in text or "try again" in text.lower():
                return None  # EAI_AGAIN: the resolver may answer next time
            return MendConnectionError(
                f"{head}: the host name {host!r} does not resolve (unknown host); check the URL "
                "(--url, MEND_URL)"
            )
        if "Connection refused" in text and not self._reached:
            return MendConnectionError(
                f"{head}: {where} refused the connection: nothing accepts connections there. "
                "Check the URL (host and port) and that the server is up"
            )
        return None


_HTML = re.compile(rb"^\s*(<!doctype html|<html)", re.IGNORECASE)
_REPORT_REQUESTS = (
    "downloadAsyncReport",
    "generateOrganizationReportAsync",
    "generateProductReportAsync",
    "generateProjectReportAsync",
)


def _body_problem(request_type: str, response: MendResponse, body: bytes) -> tuple[str | None, Any]:
    """Why a successful-looking answer is not the answer (None when it is): JSON that does
    not parse (a body cut short), a zip that is broken, an HTML page where the reference
    promises JSON, a zip or text (a proxy's error page). Also the decoded JSON, when the
    body is JSON (None otherwise), so that it is decoded once."""
    import io
    import zipfile
    import zlib

    kind = (
        contract.request(request_type).response.kind
        if request_type in contract.REQUESTS
        else "json"
    )
    report = request_type in _REPORT_REQUESTS  # a report may be HTML, XML, a PDF …
    if not report and (_HTML.match(body[:200]) or "text/html" in response.content_type):
        return "is an HTML page, not the answer (a proxy's or load balancer's error page?)", None
    stripped = body.lstrip()
    decoded: Any = None
    if response.is_json or stripped[:1] in (b"{", b"[") or (kind == "json" and not report):
        typed = fastparse.decode(request_type, body)
        if typed is not None:  # read in C, straight into typed records
            return None, typed
        try:
            decoded = json.loads(body.decode("utf-8"))
        except RecursionError:
            return None, None  # valid or not, too deep to judge here: decode_json says so
        except (UnicodeDecodeError, ValueError) as exc:
            if kind == "json" or response.is_json or stripped[:1] == b"{":
                ends = (
                    " (it ends too early)"
                    if isinstance(exc, json.JSONDecodeError) and exc.pos >= len(body.rstrip()) - 1
                    else ""
                )
                reason = (
                    exc.msg.removesuffix(" at")
                    if isinstance(exc, json.JSONDecodeError)
                    else str(exc)
                )
                return f"is not valid JSON{ends}: {reason}", None
    if body[:4] in (b"PK\x03\x04", b"PK\x05\x06"):  # a zip (or an empty one)
        try:
            with zipfile.ZipFile(io.BytesIO(body)) as archive:
                broken = archive.testzip()
        except (
            zipfile.BadZipFile,
            zlib.error,
            OSError,
            EOFError,
            ValueError,
            NotImplementedError,
        ) as exc:
            return f"is a zip archive that cannot be read (cut short?): {exc}", None
        if broken is not None:
            return f"is a zip archive with a damaged member {broken!r} (cut short?)", None
    elif kind == "zip" and not report and stripped[:1] != b"{":
        return "is not the zip archive the reference promises", None
    return None, decoded


def _disposition_filename(value: str | None) -> str | None:
    """The file name of a ``Content-Disposition: attachment; filename=…`` header."""
    if not value:
        return None
    from email.message import Message

    message = Message()
    message["Content-Disposition"] = value
    name = message.get_filename()
    return name.strip() if isinstance(name, str) and name.strip() else None


def _tls_detail(text: str) -> str:
    m = re.search(r"\[SSL: [A-Z_]+\] ([^(]+?)\s*\(", text)
    if m:
        return m.group(1).strip()
    m = re.search(r"certificate verify failed: ([^(]+?)\s*\(", text)
    if m:
        return "certificate verify failed: " + m.group(1).strip()
    return "TLS error"


def _reason(exc: Exception) -> str:
    """A short cause for a connection error, without URLs that could carry secrets."""
    text = str(exc.args[0]) if exc.args else type(exc).__name__
    for pattern, label in (
        (r"Connection refused", "connection refused"),
        (r"Name or service not known|nodename nor servname|getaddrinfo failed", "unknown host"),
        (r"IncompleteRead|Connection broken", "connection broken mid-response"),
        (r"Read timed out", "read timed out"),
        (r"RemoteDisconnected|Remote end closed", "server closed the connection"),
        (r"SSL|certificate", "TLS error"),
    ):
        if re.search(pattern, text):
            return label
    return type(exc).__name__


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
