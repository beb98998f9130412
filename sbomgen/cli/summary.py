"""``--summary-json``: what a run did, for machines, also when it failed."""

from __future__ import annotations

import contextlib
import hashlib
import json
import sys
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import click

from sbomgen import __version__
from sbomgen.cli.common import redact
from sbomgen.errors import OutputError, SbomgenError

SUMMARY_SCHEMA = "sbomgen-summary/1"

_SUFFIXES = (
    (".vex.cdx.json", "cyclonedx-vex"),
    (".openvex.json", "openvex"),
    (".cdx.json", "cyclonedx-json"),
    (".cdx.xml", "cyclonedx-xml"),
    (".spdx.json", "spdx-json"),
    (".spdx3.json", "spdx3-json"),
    (".spdx.yaml", "spdx-yaml"),
    (".spdx.rdf.xml", "spdx-rdf"),
    (".spdx.xml", "spdx-xml"),
    (".spdx", "spdx-tv"),
)


def file_format(name: str) -> str:
    """What a written file is, from its name (sbomgen's own naming)."""
    base = name.rsplit("/", 1)[-1]
    if name == "SHA256SUMS":
        return "checksums"
    for suffix, fmt in _SUFFIXES:
        if base.endswith(suffix):
            return fmt
    if base.startswith("NOTICE."):
        return "attribution-" + base.rsplit(".", 1)[-1]
    if base.startswith("REVIEW."):
        return "attribution-review-" + base.rsplit(".", 1)[-1]
    if "/licenses/" in f"/{name}":
        return "attribution-license-text"
    return "other"


def validators(fmt: str, cyclonedx_version: str, spdx_version: str) -> list[str]:
    """The checks a file of this format passed before it was written."""
    if fmt == "cyclonedx-json":
        return [f"CycloneDX {cyclonedx_version} JSON schema (cyclonedx-python-lib's schema files)"]
    if fmt == "cyclonedx-xml":
        return [f"CycloneDX {cyclonedx_version} XML schema (cyclonedx-python-lib)"]
    if fmt.startswith("spdx-"):
        checks = [
            f"spdx-tools validate_full_spdx_document (SPDX-{spdx_version})",
            f"SPDX {spdx_version} JSON schema",
        ]
        if fmt in ("spdx-xml", "spdx-rdf"):
            checks.append("XML well-formedness (lxml)")
        return checks
    if fmt == "spdx3-json":
        return [
            "SPDX 3.0.1 JSON schema (the schema spdx3-validate checks, with jsonschema-rs)",
            "SPDX 3.0.1 SHACL model (spdx3-validate, pyshacl)",
        ]
    return []


def _exit_code(exc: BaseException) -> int:
    if isinstance(exc, SbomgenError):
        return exc.exit_code
    if isinstance(exc, click.ClickException):
        return exc.exit_code
    if isinstance(exc, (KeyboardInterrupt, click.exceptions.Abort)):
        return 130
    return 1


def _check_writable(path: Path) -> None:
    """Create ``path``'s directory and write (then remove) a probe file beside it, as
    :func:`sbomgen._io.atomic_write` will write the summary; no partial file is left."""
    import errno
    import os
    import tempfile

    try:
        if path.is_dir():
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR))
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".probe", dir=path.parent)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        if isinstance(exc, (FileExistsError, NotADirectoryError)):  # a file where a dir goes
            blocker = next((p for p in path.parents if p.exists() and not p.is_dir()), None)
            reason = f"{blocker or path.parent} is not a directory"
        raise OutputError(
            f"cannot write --summary-json {path}: {reason} (checked before any work; nothing "
            "was written)"
        ) from exc


class Summary:
    def __init__(self, command: str, path: Path | None) -> None:
        self.path = path
        self.timings: dict[str, float] = {}
        self.requests = 0
        self.spec = {"cyclonedx": "", "spdx": ""}
        self.data: dict[str, Any] = {
            "schema": SUMMARY_SCHEMA,
            "sbomgen": __version__,
            "command": command,
            "status": "failed",
            "exit_code": 1,
            "error": None,
            "source": None,
            "out": None,
            "files": [],
            "removed": [],
            "counts": None,
            "findings": None,
            "attribution_review": None,
            "requests": 0,
            "timings": {},
        }

    @classmethod
    def start(cls, command: str, path: Path | None) -> Summary:
        """The summary of a run about to start; its file's directory is created and proven
        writable first, so that a path that cannot be written fails before any work (and
        before anything is written to --out), not after it."""
        if path is not None and str(path) != "-":
            _check_writable(path)
        return cls(command, path)

    @contextlib.contextmanager
    def recording(self) -> Iterator[Summary]:
        started = time.perf_counter()
        try:
            yield self
        except BaseException as exc:
            self.data["status"] = "failed"
            self.data["exit_code"] = _exit_code(exc)
            message = exc.diagnostics() if isinstance(exc, SbomgenError) else str(exc)
            if isinstance(exc, click.ClickException):
                message = exc.format_message()
            self.data["error"] = redact(message) or type(exc).__name__
            self._finish(started, failing=True)
            raise
        self.data["status"] = "ok"
        self.data["exit_code"] = 0
        self._finish(started, failing=False)

    def source(self, where: str, live: bool) -> None:
        self.data["source"] = {"kind": "mend" if live else "snapshot", "location": redact(where)}

    def result(self, result: Any) -> None:
        from sbomgen.emit.attribution import Attribution, count_problems
        from sbomgen.emit.reports import findings_by_kind, inventory_counts

        inv = result.inventory
        self.data["counts"] = inventory_counts(inv)
        self.data["findings"] = {
            kind: {"count": len(messages), "messages": messages}
            for kind, messages in findings_by_kind(inv).items()
        }
        for emitter in result.emitters:
            if isinstance(emitter, Attribution):
                self.data["attribution_review"] = {
                    "items": len(emitter.problems),
                    "by_kind": dict(sorted(count_problems(emitter.problems).items())),
                }

    def _file(self, name: str, data: bytes) -> dict[str, Any]:
        fmt = file_format(name)
        return {
            "path": name,
            "format": fmt,
            "bytes": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
            "validated_by": validators(fmt, self.spec["cyclonedx"], self.spec["spdx"]),
        }

    def wrote(self, out: Path, files: Mapping[str, bytes], outcome: Any) -> None:
        self.data["out"] = str(out)
        self.data["files"] = [self._file(n, d) for n, d in sorted(files.items())]
        self.data["removed"] = sorted(str(p.relative_to(out)) for p in outcome.removed)

    def stdout(self, name: str, data: bytes) -> None:
        self.data["out"] = "-"
        self.data["files"] = [{**self._file(name, data), "path": "-"}]

    def _finish(self, started: float, *, failing: bool) -> None:
        self.timings["total"] = time.perf_counter() - started
        self.data["requests"] = self.requests
        self.data["timings"] = {f"{k}_s": round(v, 3) for k, v in self.timings.items()}
        if self.path is None:
            return
        text = json.dumps(self.data, indent=2, ensure_ascii=False) + "\n"
        if str(self.path) == "-":
            sys.stdout.write(text)
            sys.stdout.flush()
            return
        from sbomgen._io import atomic_write

        try:
            atomic_write(self.path, text.encode("utf-8"))
        except OSError as exc:
            if failing:  # the run's own error is the one to report
                return
            raise OutputError(
                f"cannot write --summary-json {self.path}: {exc.strerror or exc}"
            ) from exc
