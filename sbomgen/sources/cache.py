"""Incremental fetching: ``--cache DIR`` keeps each project's dependency tree until Mend
says the project changed.

A project's tree (``getProjectHierarchy``, and ``getProjectInventory`` when it is asked)
changes only when the project is scanned again, and then Mend moves the project's
``lastUpdatedDate``, which the vitals give for every project in one request. So the cache
is a transport between the fetcher and the client: it reads the vitals as they pass, and
answers a per-project request from DIR when the same request was stored under the same
``lastUpdatedDate``. Product-level requests (licenses, alerts, texts) always go to Mend:
a vulnerability published today changes the alerts of a project that was not scanned.

DIR holds the raw answers the way a snapshot does (``responses/…``, credentials scrubbed)
and ``index.json``; every file is written atomically, and an answer whose SHA-256 no
longer matches the index is asked again, never used.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sbomgen._io import atomic_write
from sbomgen.errors import ConfigError, InputDataError, OutputError
from sbomgen.sources import contract
from sbomgen.sources.client import MendResponse
from sbomgen.sources.interface import Transport
from sbomgen.sources.snapshot import request_key

log = logging.getLogger(__name__)

FORMAT = "sbomgen-cache"
FORMAT_VERSION = 1
INDEX = "index.json"
# the requests whose answer depends only on one project's last scan
PER_PROJECT = frozenset({"getProjectHierarchy", "getProjectInventory"})
VITALS = frozenset({"getProductProjectVitals", "getProjectVitals"})


class CachingTransport:
    """Wraps a live transport; answers unchanged projects' trees from ``directory``."""

    def __init__(self, inner: Transport, directory: Path) -> None:
        self._inner = inner
        self.directory = directory
        self.display_url = inner.display_url
        self._lock = threading.Lock()
        self._updated: dict[str, str] = {}  # project token -> lastUpdatedDate
        self.hits = 0
        self.misses = 0
        self._stale: list[str] = []  # files of answers replaced by newer ones
        try:
            (directory / "responses").mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"--cache {directory}: cannot create it: {exc.strerror}") from None
        self._index = self._load_index()

    # -- the Transport protocol -----------------------------------------------------------

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
        project = params.get("projectToken")
        updated = self._updated.get(project) if isinstance(project, str) else None
        if request_type not in PER_PROJECT or not updated:
            response = self._inner.call(request_type, params, org_level=org_level)
            if request_type in VITALS:
                self._learn(response)
            return response
        key = request_key(
            request_type, contract.prepare(request_type, self._inner.api_version, params)
        )
        cached = self._read(key, updated)
        if cached is not None:
            with self._lock:
                self.hits += 1
            return cached
        response = self._inner.call(request_type, params, org_level=org_level)
        self._store(key, updated, response)
        with self._lock:
            self.misses += 1
        return response

    # -- what the cache knows -------------------------------------------------------------

    def _learn(self, response: MendResponse) -> None:
        """Remember each project's lastUpdatedDate from a vitals answer."""
        try:
            data = response.json()
        except InputDataError:  # the fetcher says what is wrong with it, not the cache
            return
        vitals = data.get("projectVitals")
        if not isinstance(vitals, list):
            return
        with self._lock:
            for v in vitals:
                if isinstance(v, dict):
                    token, updated = v.get("token"), v.get("lastUpdatedDate")
                    if isinstance(token, str) and isinstance(updated, str) and updated:
                        self._updated[token] = updated

    def _load_index(self) -> dict[str, dict[str, Any]]:
        path = self.directory / INDEX
        if not path.exists():
            return {}
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            log.warning(
                "--cache %s: %s is unreadable (%s); starting afresh", self.directory, INDEX, exc
            )
            return {}
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ConfigError(
                f"--cache {self.directory}: not an sbomgen cache (no {INDEX} of format {FORMAT}); "
                "give an empty or new directory"
            )
        if data.get("formatVersion") != FORMAT_VERSION or data.get("server") != self.display_url:
            log.info(
                "--cache %s: made for another server or version; starting afresh", self.directory
            )
            return {}
        entries = data.get("entries")
        return dict(entries) if isinstance(entries, dict) else {}

    def _read(self, key: str, updated: str) -> MendResponse | None:
        with self._lock:
            entry = self._index.get(key)
        if not isinstance(entry, dict) or entry.get("lastUpdatedDate") != updated:
            return None
        rel = entry.get("file")
        if not isinstance(rel, str) or "/" not in rel or ".." in rel:
            return None
        try:
            body = (self.directory / rel).read_bytes()
        except OSError:
            return None
        if hashlib.sha256(body).hexdigest() != entry.get("sha256"):
            log.warning(
                "--cache %s: %s was changed since it was stored; asked again", self.directory, rel
            )
            return None
        return MendResponse(
            request_type=key.split(" ", 1)[0],
            content_type=str(entry.get("contentType") or "application/json"),
            body=body,
        )

    def _store(self, key: str, updated: str, response: MendResponse) -> None:
        body = self._inner.redact(response.body)
        digest = hashlib.sha256(f"{key}\n{updated}".encode()).hexdigest()[:20]
        rel = f"responses/{response.request_type}-{digest}.json"
        try:
            atomic_write(self.directory / rel, body)
        except OSError as exc:
            log.warning(
                "--cache %s: cannot store an answer (%s); going on without",
                self.directory,
                exc.strerror,
            )
            return
        with self._lock:
            previous = self._index.get(key)
            if isinstance(previous, dict) and previous.get("file") not in (None, rel):
                self._stale.append(str(previous["file"]))
            self._index[key] = {
                "lastUpdatedDate": updated,
                "file": rel,
                "contentType": response.content_type,
                "sha256": hashlib.sha256(body).hexdigest(),
            }

    def save(self) -> None:
        """Write the index (atomically): what this run stored joins what was there."""
        with self._lock:
            entries = dict(sorted(self._index.items()))
        data = {
            "format": FORMAT,
            "formatVersion": FORMAT_VERSION,
            "server": self.display_url,
            "entries": entries,
        }
        text = json.dumps(data, indent=1, ensure_ascii=False) + "\n"
        try:
            atomic_write(self.directory / INDEX, text.encode("utf-8"))
        except OSError as exc:
            raise OutputError(
                f"--cache {self.directory}: cannot write {INDEX}: {exc.strerror}"
            ) from None
        for rel in self._stale:  # only once the index no longer names them
            if rel.startswith("responses/") and ".." not in rel:
                with contextlib.suppress(OSError):
                    (self.directory / rel).unlink()
        self._stale.clear()
