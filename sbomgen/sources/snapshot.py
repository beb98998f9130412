"""Snapshots: the raw Mend responses of one fetch, plus a manifest.

Layout::

    snap/
      manifest.json
      responses/0001-getProductTags.json
      responses/0009-getLicensesTextZip.zip
      ...

``manifest.json`` records the server URL (without secrets), the sbomgen version, the
time, the scope, and every request: its type, its non-secret parameters, the file that
holds the answer, its content type and SHA-256. A snapshot never holds the user key or
the organization token: they are not parameters the fetcher passes, and the recorder
refuses any parameter named like a credential.

:class:`SnapshotReplay` answers the same ``call`` the live client does, from the files,
so a replay goes through the same fetcher and parsers as a live run.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sbomgen import __version__
from sbomgen.errors import InputDataError
from sbomgen.sources import contract
from sbomgen.sources.client import SECRET_PARAMS, MendResponse, loggable_params
from sbomgen.sources.interface import Transport

FORMAT = "sbomgen-snapshot"
FORMAT_VERSION = 2  # 2: records the API version and the parameters as sent
READABLE_VERSIONS = (1, 2)
# Format 1 recorded what sbomgen 0.1 sent, before the contract added these parameters.
FORMAT_1_ABSENT = frozenset({"showCopyrightExtraDetails", "excludeProjectOccurrences"})
MANIFEST = "manifest.json"

_EXT = {"json": ".json", "zip": ".zip", "text": ".txt"}


def request_key(request_type: str, params: Mapping[str, Any]) -> str:
    return request_type + " " + json.dumps(dict(params), sort_keys=True, separators=(",", ":"))


def _ext(content_type: str) -> str:
    if "json" in content_type:
        return _EXT["json"]
    if "zip" in content_type:
        return _EXT["zip"]
    if "text" in content_type:
        return _EXT["text"]
    return ".bin"


@dataclass(frozen=True)
class Scope:
    products: tuple[str, ...] = ()
    projects: tuple[str, ...] = ()
    org: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"products": list(self.products), "projects": list(self.projects), "org": self.org}

    def describe(self) -> str:
        """The recorded scope in words, tokens shortened as in logs."""
        from sbomgen.sources.client import shorten_token

        if self.org:
            return "the whole organization"
        parts = []
        for what, tokens in (("product", self.products), ("project", self.projects)):
            if tokens:
                listed = ", ".join(shorten_token(t) for t in tokens)
                parts.append(f"{len(tokens)} {what}{'s' if len(tokens) != 1 else ''} ({listed})")
        return " and ".join(parts) or "nothing"


def now_utc() -> datetime:
    """The current time, or ``SOURCE_DATE_EPOCH`` when set (reproducible builds)."""
    import os

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
        except (ValueError, OverflowError):
            raise InputDataError(f"SOURCE_DATE_EPOCH={epoch!r} is not a Unix timestamp") from None
    return datetime.now(tz=timezone.utc).replace(microsecond=0)


class SnapshotRecorder:
    """Wraps a live transport and writes every successful response into ``directory``."""

    def __init__(self, inner: Transport, directory: Path) -> None:
        self._inner = inner
        self.directory = directory
        self.display_url = inner.display_url
        self._entries: list[dict[str, Any]] = []
        self._seen: dict[str, int] = {}
        self._lock = threading.Lock()
        (directory / "responses").mkdir(parents=True, exist_ok=True)

    @property
    def has_org_token(self) -> bool:
        return self._inner.has_org_token

    @property
    def api_version(self) -> str:
        return self._inner.api_version

    def redact(self, body: bytes) -> bytes:
        return self._inner.redact(body)

    def call(
        self, request_type: str, params: Mapping[str, Any], *, org_level: bool = False
    ) -> MendResponse:
        if SECRET_PARAMS.intersection(params):
            raise ValueError("refusing to record credentials as parameters")
        response = self._inner.call(request_type, params, org_level=org_level)
        redacted = self._inner.redact(response.body)
        response = MendResponse(
            request_type=response.request_type,
            content_type=response.content_type,
            body=redacted,
            decoded=response.decoded if redacted == response.body else None,
            typed=response.typed if redacted == response.body else None,
        )
        sent = contract.prepare(request_type, self._inner.api_version, params)
        key = request_key(request_type, sent)
        # named after the request, not the order of arrival: answers come in on several
        # threads, and the same fetch must give the same snapshot
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
        rel = f"responses/{request_type}-{digest}{_ext(response.content_type)}"
        with self._lock:
            if key in self._seen:
                return response
            self._seen[key] = len(self._entries)
            self._entries.append(
                {
                    "requestType": request_type,
                    "params": sent,
                    "orgLevel": org_level,
                    "file": rel,
                    "contentType": response.content_type,
                    "bytes": len(response.body),
                    "sha256": hashlib.sha256(response.body).hexdigest(),
                }
            )
        # the directory is staged and put in place whole (pipeline.record)
        (self.directory / rel).write_bytes(response.body)
        return response

    def write_manifest(self, scope: Scope, org_name: str | None) -> None:
        manifest = {
            "format": FORMAT,
            "formatVersion": FORMAT_VERSION,
            "sbomgenVersion": __version__,
            "server": self.display_url,
            "apiVersion": self._inner.api_version,
            "createdAt": now_utc().strftime("%Y-%m-%dT%H:%M:%SZ"),
            "organization": org_name,
            "scope": scope.to_json(),
            "requests": sorted(self._entries, key=lambda e: (e["requestType"], e["file"])),
        }
        text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
        (self.directory / MANIFEST).write_text(text, encoding="utf-8")


@dataclass(frozen=True)
class _Entry:
    request_type: str
    params: Mapping[str, Any]
    file: str
    content_type: str
    sha256: str | None


class SnapshotReplay:
    """Answers requests from a snapshot directory, verifying every file it reads."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        manifest_path = directory / MANIFEST
        if not directory.is_dir():
            raise InputDataError(f"snapshot {directory}: not a directory")
        if not manifest_path.is_file():
            raise InputDataError(f"snapshot {directory}: {MANIFEST} is missing")
        try:
            data = json.loads(manifest_path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
            raise InputDataError(f"{manifest_path}: not valid JSON ({exc})") from None
        if not isinstance(data, dict):
            raise InputDataError(f"{manifest_path}: expected a JSON object")
        if data.get("format") != FORMAT:
            raise InputDataError(f"{manifest_path}: field 'format' should be {FORMAT!r}")
        self.format_version = data.get("formatVersion")
        if self.format_version not in READABLE_VERSIONS:
            raise InputDataError(
                f"{manifest_path}: field 'formatVersion' is {data.get('formatVersion')!r}; "
                f"this sbomgen reads versions {', '.join(map(str, READABLE_VERSIONS))}"
            )
        version = data.get("apiVersion", contract.DEFAULT_VERSION)
        if version not in contract.VERSIONS:
            raise InputDataError(
                f"{manifest_path}: field 'apiVersion' is {version!r}; this sbomgen speaks "
                f"{', '.join(contract.VERSIONS)}"
            )
        self.api_version: str = version
        self.manifest: Mapping[str, Any] = data
        self.display_url = str(data.get("server") or "snapshot")
        scope = data.get("scope")
        if not isinstance(scope, dict):
            raise InputDataError(f"{manifest_path}: field 'scope' is missing or not an object")
        for name in ("products", "projects"):
            value = scope.get(name, [])
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise InputDataError(
                    f"{manifest_path}: field 'scope.{name}' should be a list of tokens"
                )
        if not isinstance(scope.get("org", False), bool):
            raise InputDataError(f"{manifest_path}: field 'scope.org' should be true or false")
        self.scope = Scope(
            products=tuple(scope.get("products", [])),
            projects=tuple(scope.get("projects", [])),
            org=scope.get("org", False),
        )
        requests = data.get("requests")
        if not isinstance(requests, list):
            raise InputDataError(f"{manifest_path}: field 'requests' is missing or not a list")
        self._entries: dict[str, _Entry] = {}
        for i, raw in enumerate(requests):
            where = f"{manifest_path}: requests[{i}]"
            if not isinstance(raw, dict):
                raise InputDataError(f"{where} is not an object")
            for name in ("requestType", "params", "file"):
                if name not in raw:
                    raise InputDataError(f"{where}: field {name!r} is missing")
            if not isinstance(raw["params"], dict):
                raise InputDataError(f"{where}: field 'params' is not an object")
            if SECRET_PARAMS.intersection(raw["params"]):
                raise InputDataError(f"{where}: field 'params' holds a credential; refusing it")
            file = str(raw["file"])
            from sbomgen.sources.archive import safe_name

            if safe_name(file) is None or Path(file).is_absolute() or ".." in Path(file).parts:
                raise InputDataError(
                    f"{where}: field 'file' is {file!r}: not a file name inside the snapshot"
                )
            entry = _Entry(
                request_type=str(raw["requestType"]),
                params=raw["params"],
                file=file,
                content_type=str(raw.get("contentType") or "application/json"),
                sha256=raw.get("sha256"),
            )
            self._entries[request_key(entry.request_type, entry.params)] = entry
        self.org_name: str | None = data.get("organization")
        self.created_at: str | None = data.get("createdAt")

    def redact(self, body: bytes) -> bytes:
        return body

    def recorded_tokens(self, param: str) -> set[str]:
        """Every value of ``param`` (productToken, projectToken) a recorded request sent."""
        return {str(e.params[param]) for e in self._entries.values() if param in e.params}

    @property
    def has_org_token(self) -> bool:
        # A replay holds no credentials; org-level answers are there if they were recorded.
        return any(e.request_type.startswith("getOrganization") for e in self._entries.values())

    def call(
        self, request_type: str, params: Mapping[str, Any], *, org_level: bool = False
    ) -> MendResponse:
        sent = contract.prepare(request_type, self.api_version, params)
        if self.format_version == 1:
            sent = {k: v for k, v in sent.items() if k not in FORMAT_1_ABSENT}
        entry = self._entries.get(request_key(request_type, sent))
        if entry is None:
            raise InputDataError(
                f"snapshot {self.directory}: no recorded response for {request_type} "
                f"{loggable_params(params)} (it recorded {self.scope.describe()})"
            )
        path = self.directory / entry.file
        try:
            body = path.read_bytes()
        except OSError as exc:
            raise InputDataError(
                f"snapshot file {path} (for {request_type}) cannot be read: {exc.strerror}"
            ) from None
        if entry.sha256 and hashlib.sha256(body).hexdigest() != entry.sha256:
            raise InputDataError(
                f"snapshot file {path} (for {request_type}) does not match the SHA-256 in "
                f"{MANIFEST}: it was changed after it was recorded"
            )
        return MendResponse(
            request_type=request_type,
            content_type=entry.content_type,
            body=body,
            origin=f"snapshot file {path}",
        )
