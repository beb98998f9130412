"""Atomic file output: nothing half-written ever stands under its final name."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

from sbomgen.errors import OutputError


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

    Every file is first written in full to a temporary name; only when all of them are
    on disk are they renamed into place. A failure before that removes the temporaries
    and leaves ``out_dir`` as it was (it is not even created).
    """
    staged: list[tuple[str, Path]] = []
    created_dirs: list[Path] = []
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
            staged.append((rel, Path(tmp_name)))
            os.fchmod(fd, _file_mode())
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        written = []
        for rel, staged_path in staged:
            os.replace(staged_path, out_dir / rel)
            written.append(out_dir / rel)
        return written
    except OSError as exc:
        for _, staged_path in staged:
            with contextlib.suppress(OSError):
                staged_path.unlink()
        for d in reversed(created_dirs):
            with contextlib.suppress(OSError):
                d.rmdir()
        raise OutputError(f"cannot write to {out_dir}: {exc.strerror or exc}") from exc


@contextlib.contextmanager
def staged_directory(target: Path) -> Iterator[Path]:
    """Yield a fresh staging directory that replaces ``target`` only on success."""
    target = target.resolve()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(
            tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
        )
    except OSError as exc:
        raise OutputError(f"cannot create {target}: {exc.strerror or exc}") from exc
    try:
        yield staging
        backup = None
        if target.exists():
            backup = target.with_name(f".{target.name}.old-{os.getpid()}")
            os.replace(target, backup)
        os.replace(staging, target)
        if backup is not None:
            shutil.rmtree(backup, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
