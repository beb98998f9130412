"""Atomic file output: nothing half-written ever stands under its final name."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping
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


def write_all(
    out_dir: Path, files: Mapping[str, bytes], replace_dirs: Iterable[str] = ()
) -> list[Path]:
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
        # folders this run owns (a bundle's licenses/): what an earlier run left there and
        # this run did not write would stand beside the new files as if it belonged to them
        written = {final.resolve() for _, final in staged}
        for rel in replace_dirs:
            folder = out_dir / rel
            if folder.is_dir():
                for stale in folder.iterdir():
                    if stale.is_file() and stale.resolve() not in written:
                        with contextlib.suppress(OSError):
                            stale.unlink()
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
