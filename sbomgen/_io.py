"""Atomic file output: nothing half-written ever stands under its final name."""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sbomgen.errors import OutputError

log = logging.getLogger(__name__)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _file_mode() -> int:
    """0o666 less the umask: what open() would have given (mkstemp gives 0o600)."""
    return 0o666 & ~_umask()


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, fsync it, then rename it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, _file_mode())
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_all(out_dir: Path, files: Mapping[str, bytes]) -> list[Path]:
    """Write several files into ``out_dir`` so that either all appear or none do.

    Every file is first written in full to a temporary name. Only when all of them are on
    disk are they renamed into place; a file they replace is kept aside until every
    rename succeeded, and put back if one fails. On any failure the temporaries and any
    directory created here are removed, so ``out_dir`` is as it was (not even created).
    """
    staged: list[tuple[Path, Path]] = []  # (temporary, final)
    created_dirs: list[Path] = []
    moved: list[tuple[Path, Path | None]] = []  # (final, backup of what it replaced)
    try:
        for rel, data in files.items():
            final = out_dir / rel
            for parent in reversed(final.parents):
                if not parent.exists():
                    parent.mkdir()
                    created_dirs.append(parent)
            fd, tmp_name = tempfile.mkstemp(
                prefix=f".{final.name}.", suffix=".tmp", dir=final.parent
            )
            staged.append((Path(tmp_name), final))
            os.fchmod(fd, _file_mode())
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        for tmp, final in staged:
            backup = None
            if final.exists() or final.is_symlink():
                if final.is_dir() and not final.is_symlink():
                    raise OutputError(f"cannot write {final}: a directory is in the way")
                backup = final.with_name(f".{final.name}.{os.getpid()}.bak")
                os.replace(final, backup)
            moved.append((final, backup))
            os.replace(tmp, final)
        for _, backup in moved:
            if backup is not None:
                with contextlib.suppress(OSError):
                    backup.unlink()
        return [final for _, final in staged]
    except BaseException as exc:
        for final, backup in reversed(moved):  # undo the renames already done
            with contextlib.suppress(OSError):
                if backup is not None:
                    os.replace(backup, final)
                elif final.exists():
                    final.unlink()
        for tmp, _ in staged:
            with contextlib.suppress(OSError):
                tmp.unlink()
        for d in reversed(created_dirs):
            with contextlib.suppress(OSError):
                d.rmdir()
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write to {out_dir}: {exc.strerror or exc}") from exc
        raise


MANIFEST = ".sbomgen-manifest.json"


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


@dataclass
class WriteOutcome:
    written: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)


class OutputDir:
    """An output directory sbomgen owns the files of.

    A small manifest (``.sbomgen-manifest.json``) records each file sbomgen wrote there,
    its SHA-256 and the command that wrote it. A later run of the same command removes
    the files it wrote before and does not write now, so that ``SHA256SUMS`` always
    matches what stands there; and it refuses to replace a file it did not write (or that
    was changed since) unless ``force``. Files it does not own and does not write are
    left alone.
    """

    def __init__(self, path: Path, *, owner: str, force: bool = False) -> None:
        self.path = path
        self.owner = owner
        self.force = force
        self._created: list[Path] = []
        self._lock: int | None = None

    def _acquire(self) -> None:
        """Two runs into one directory would interleave their files and manifests: the
        directory itself is locked (flock on it, released when the run ends or dies)."""
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows: no advisory locks on directories
            return
        fd = os.open(self.path, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise OutputError(
                f"another sbomgen run is writing into --out {self.path}; wait for it to "
                "finish, or choose another directory"
            ) from None
        self._lock = fd

    def release(self) -> None:
        if self._lock is not None:
            os.close(self._lock)  # closing the descriptor releases the lock
            self._lock = None

    def check(self) -> None:
        """Create the directory, prove it writable and lock it, before any work is done."""
        path = self.path
        if path.exists() and not path.is_dir():
            raise OutputError(f"--out {path} exists and is not a directory")
        try:
            for parent in reversed([path, *path.parents]):
                if not parent.exists():
                    parent.mkdir()
                    self._created.append(parent)
            fd, probe = tempfile.mkstemp(prefix=".sbomgen-probe.", dir=path)
            os.close(fd)
            os.unlink(probe)
        except OSError as exc:
            self.discard()
            raise OutputError(f"cannot write to --out {path}: {exc.strerror or exc}") from exc
        try:
            self._acquire()
        except OutputError:
            self.discard()
            raise

    def discard(self) -> None:
        """After a failure: remove the directories :meth:`check` created, if still empty."""
        self.release()
        for folder in reversed(self._created):
            with contextlib.suppress(OSError):
                folder.rmdir()
        self._created = []

    def manifest(self) -> dict[str, dict[str, str]]:
        try:
            data = json.loads((self.path / MANIFEST).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError, RecursionError) as exc:
            log.warning(
                "%s: unreadable (%s); treating no file as sbomgen's", self.path / MANIFEST, exc
            )
            return {}
        files = data.get("files") if isinstance(data, dict) else None
        if not isinstance(files, dict):
            return {}
        return {
            str(k): v
            for k, v in files.items()
            if isinstance(v, dict) and isinstance(v.get("sha256"), str)
        }

    def write(self, files: Mapping[str, bytes]) -> WriteOutcome:
        root = self.path.resolve()
        for rel in files:
            target = self.path / rel
            # an existing folder on the way that is a link elsewhere would carry the write out
            parent = target.parent
            while not parent.exists() and parent != self.path:
                parent = parent.parent
            if root != parent.resolve() and root not in parent.resolve().parents:
                raise OutputError(
                    f"cannot write {rel} into --out {self.path}: {parent} leads outside it "
                    "(a symbolic link?)"
                )
        manifest = self.manifest()

        def owned(rel: str) -> bool:
            entry = manifest.get(rel)
            return entry is not None and _sha256(self.path / rel) == entry["sha256"]

        foreign = [
            rel
            for rel, data in sorted(files.items())
            if (self.path / rel).exists()
            and not owned(rel)
            and _sha256(self.path / rel) != hashlib.sha256(data).hexdigest()
        ]
        if foreign and not self.force:
            shown = ", ".join(foreign[:5]) + (
                f" and {len(foreign) - 5} more" if len(foreign) > 5 else ""
            )
            raise OutputError(
                f"--out {self.path} holds {len(foreign)} file(s) sbomgen did not write, or that "
                f"changed since: {shown}; refusing to replace them (pass --force to replace "
                "them, or choose another --out)"
            )
        stale = sorted(
            rel
            for rel, entry in manifest.items()
            if entry.get("owner") == self.owner and rel not in files
        )
        try:
            written = write_all(self.path, files)
        except BaseException:
            self.discard()
            raise
        self._created = []
        removed: list[Path] = []
        kept = {}
        for rel in stale:
            target = self.path / rel
            if not target.exists():
                continue
            if not owned(rel):
                log.warning("left %s in place: it changed since sbomgen wrote it", target)
                continue
            try:
                target.unlink()
            except OSError as exc:
                log.warning(
                    "could not remove %s, written by an earlier run: %s", target, exc.strerror
                )
                kept[rel] = manifest[rel]
                continue
            removed.append(target)
            for parent in target.parents:
                if parent == self.path or self.path not in parent.parents:
                    break
                with contextlib.suppress(OSError):
                    parent.rmdir()  # only when empty
        entries = {
            rel: entry
            for rel, entry in manifest.items()
            if rel not in files and rel not in stale and (self.path / rel).exists()
        }
        entries.update(kept)
        for rel, data in files.items():
            entries[rel] = {"owner": self.owner, "sha256": hashlib.sha256(data).hexdigest()}
        document = {
            "format": "sbomgen-output-manifest/1",
            "note": "Files sbomgen wrote here; a later run removes those it no longer writes.",
            "files": dict(sorted(entries.items())),
        }
        atomic_write(self.path / MANIFEST, (json.dumps(document, indent=2) + "\n").encode("utf-8"))
        self.release()
        return WriteOutcome(written=written, removed=removed)


def is_snapshot_dir(path: Path) -> bool:
    manifest = path / "manifest.json"
    try:
        return '"sbomgen-snapshot"' in manifest.read_text(encoding="utf-8")[:500]
    except OSError:
        return False


@contextlib.contextmanager
def staged_directory(target: Path) -> Iterator[Path]:
    """Yield a fresh staging directory that replaces ``target`` only on success.

    ``target`` may be missing, empty, or an earlier snapshot; anything else is refused
    rather than deleted.
    """
    target = target.resolve()
    if target.exists():
        if not target.is_dir():
            raise OutputError(f"{target} exists and is not a directory")
        if any(target.iterdir()) and not is_snapshot_dir(target):
            raise OutputError(
                f"{target} is not empty and holds no sbomgen snapshot; refusing to replace it "
                "(give a new or empty directory)"
            )
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(
            tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
        )
        staging.chmod(0o777 & ~_umask())  # mkdtemp gives 0o700
    except OSError as exc:
        raise OutputError(f"cannot create {target}: {exc.strerror or exc}") from exc
    try:
        try:
            yield staging
        except OSError as exc:
            raise OutputError(
                f"cannot write the snapshot into {target}: {exc.strerror or exc}"
            ) from exc
        backup = None
        try:
            if target.exists():
                backup = target.with_name(f".{target.name}.old-{os.getpid()}")
                os.replace(target, backup)
            os.replace(staging, target)
        except OSError as exc:
            if backup is not None and not target.exists():
                os.replace(backup, target)
            raise OutputError(f"cannot replace {target}: {exc.strerror or exc}") from exc
        if backup is not None:
            shutil.rmtree(backup, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
