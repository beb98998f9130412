"""Safe extraction of the zip files Mend answers with (async reports, license texts).

Nothing from an archive reaches the disk here: :func:`extract_zip` returns the members as
bytes, after refusing anything that could write outside the target or exhaust it:

* a name that is absolute, climbs out (``..``), holds a drive letter, a backslash or a NUL,
  has a part longer than a file system takes (255 bytes), or repeats another member's
  name (also in another case: macOS and Windows would merge them), or takes a name
  sbomgen writes itself beside the report (``SHA256SUMS``, ``VALIDATION.json``,
  ``compare.*``, ``enriched/``, the manifest), in any case;
* a member that is a symbolic link, a device, a FIFO or a socket (the Unix mode in the
  entry's external attributes), or encrypted;
* more members, more bytes (one member or all together), or a higher compression ratio
  than the limits allow (one member's, or the whole archive's: many small members that
  each compress well add up); and a member that inflates beyond the size its header
  declares.

Callers write the members with :class:`sbomgen._io.OutputDir`, which stages every file and
renames them into place together, so a refused archive leaves the directory as it was.
"""

from __future__ import annotations

import io
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath

from sbomgen.errors import InputDataError

# what sbomgen writes beside a report (native, report): a member of that name would be
# replaced by sbomgen's own file, or replace it; refused in any case (case-insensitive file
# systems would merge them)
RESERVED = frozenset(
    {
        "SHA256SUMS",
        ".sbomgen-manifest.json",
        "VALIDATION.json",
        "compare.txt",
        "compare.md",
        "compare.json",
        "enriched",
    }
)
_RESERVED_FOLDED = {name.casefold(): name for name in RESERVED}
MAX_PART_BYTES = 255  # NAME_MAX of every common file system


@dataclass(frozen=True)
class Limits:
    """What one archive may hold. The defaults fit a native SBOM of a very large product
    (a 10,000-library CycloneDX JSON is about 30 MB) with a wide margin."""

    max_members: int = 1000
    max_member_bytes: int = 1 << 30  # 1 GiB
    max_total_bytes: int = 2 << 30  # 2 GiB
    max_ratio: float = 200.0  # inflated / compressed: per member, and of the whole archive
    ratio_floor: int = 1 << 20  # below this (a member, or all of them) a ratio is not checked


class UnsafeArchiveError(InputDataError):
    """The archive holds something sbomgen refuses to extract; nothing was written."""

    def __init__(self, what: str, entry: str | None, reason: str) -> None:
        self.what, self.entry, self.reason = what, entry, reason
        where = f" entry {entry!r}" if entry is not None else ""
        super().__init__(f"{what}: refused the archive:{where} {reason}; nothing was written")


def safe_name(name: str) -> str | None:
    """The member name as a relative POSIX path, or None when it is not a safe one."""
    return None if name_problem(name) else "/".join(_parts(name))


def _parts(name: str) -> list[str]:
    return [p for p in PurePosixPath(name).parts if p not in ("", ".")]


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot be written under the target directory, or None."""
    if not name or "\x00" in name or "\\" in name:
        return "has a name that is absolute or leaves the directory (empty, a NUL or a backslash)"
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return "has a name that is absolute or leaves the directory"
    parts = _parts(name)
    if not parts or any(p == ".." for p in parts):
        return "has a name that is absolute or leaves the directory"
    long = next((p for p in parts if len(p.encode("utf-8")) > MAX_PART_BYTES), None)
    if long is not None:
        return (
            f"has a name part of {len(long.encode('utf-8'))} bytes, longer than the "
            f"{MAX_PART_BYTES} a file system takes"
        )
    return None


def reserved_name(name: str) -> str | None:
    """The name sbomgen writes itself that ``name`` (a safe relative path) takes, or None."""
    return _RESERVED_FOLDED.get(name.split("/")[0].casefold())


def extract_zip(data: bytes, *, what: str, limits: Limits | None = None) -> dict[str, bytes]:
    """The regular files of a zip archive, by their (checked) names, in archive order."""
    limits = limits or Limits()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        raise InputDataError(f"{what}: not a readable zip archive ({exc})") from None
    members: list[tuple[str, zipfile.ZipInfo]] = []
    seen: dict[str, str] = {}
    declared_total = 0
    archive_bytes = max(len(data), 1)
    with archive:
        infos = archive.infolist()
        files = [i for i in infos if not i.is_dir()]
        if len(files) > limits.max_members:
            raise UnsafeArchiveError(
                what, None, f"holds {len(files)} files, more than {limits.max_members}"
            )
        for info in files:
            raw_name = info.filename
            problem = name_problem(raw_name)
            if problem is not None:
                raise UnsafeArchiveError(what, raw_name, problem)
            name = "/".join(_parts(raw_name))
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                raise UnsafeArchiveError(what, raw_name, "is a symbolic link")
            if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
                raise UnsafeArchiveError(what, raw_name, "is a device")
            if stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode):
                raise UnsafeArchiveError(what, raw_name, "is a FIFO or a socket")
            if info.flag_bits & 0x1:
                raise UnsafeArchiveError(what, raw_name, "is encrypted")
            taken = reserved_name(name)
            if taken is not None:
                raise UnsafeArchiveError(
                    what, raw_name, f"takes the name {taken}, which sbomgen writes itself"
                )
            folded = name.casefold()
            if folded in seen:
                raise UnsafeArchiveError(
                    what, raw_name, f"repeats the name of entry {seen[folded]!r}"
                )
            seen[folded] = raw_name
            if info.file_size > limits.max_member_bytes:
                raise UnsafeArchiveError(
                    what,
                    raw_name,
                    f"declares {info.file_size} bytes, more than {limits.max_member_bytes}",
                )
            declared_total += info.file_size
            if declared_total > limits.max_total_bytes:
                raise UnsafeArchiveError(
                    what, raw_name, f"brings the archive past {limits.max_total_bytes} bytes"
                )
            if info.file_size > limits.ratio_floor and info.file_size > limits.max_ratio * max(
                info.compress_size, 1
            ):
                ratio = info.file_size / max(info.compress_size, 1)
                raise UnsafeArchiveError(
                    what,
                    raw_name,
                    f"inflates {ratio:.0f} times (a zip bomb?), more than {limits.max_ratio:.0f}",
                )
            if (
                declared_total > limits.ratio_floor
                and declared_total > limits.max_ratio * archive_bytes
            ):
                ratio = declared_total / archive_bytes
                raise UnsafeArchiveError(
                    what,
                    raw_name,
                    f"brings the archive's inflated size to {declared_total} bytes, {ratio:.0f} "
                    f"times its {len(data)} bytes (a zip bomb of many members?), more than "
                    f"{limits.max_ratio:.0f}",
                )
            members.append((name, info))
        out: dict[str, bytes] = {}
        for name, info in members:
            out[name] = _read_bounded(archive, info, what)
    return out


def _read_bounded(archive: zipfile.ZipFile, info: zipfile.ZipInfo, what: str) -> bytes:
    """Read a member, but never more than its header declared (a lying header is refused)."""
    chunks: list[bytes] = []
    size = 0
    try:
        with archive.open(info) as stream:
            while True:
                chunk = stream.read(1 << 20)
                if not chunk:
                    break
                size += len(chunk)
                if size > info.file_size:
                    raise UnsafeArchiveError(
                        what, info.filename, "inflates beyond the size its header declares"
                    )
                chunks.append(chunk)
    except (
        zipfile.BadZipFile,
        zlib.error,
        OSError,
        EOFError,
        RuntimeError,
        NotImplementedError,
    ) as exc:
        raise InputDataError(f"{what}: entry {info.filename!r} cannot be read ({exc})") from None
    return b"".join(chunks)
