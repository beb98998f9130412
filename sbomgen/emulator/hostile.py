"""Hostile archives, one builder per case, for the emulator's ``--hostile-zip CASE`` switch
and for the tests of :mod:`sbomgen.sources.archive`.

Each builder takes the report's real files and returns zip bytes that carry them plus (or
in place of them) the hostile part, so that a client that extracts blindly would write
the report and also the attack.
"""

from __future__ import annotations

import io
import stat
import zipfile
from collections.abc import Callable, Mapping

Files = Mapping[str, bytes]
STAMP = (2024, 1, 1, 0, 0, 0)


def _info(name: str, mode: int = stat.S_IFREG | 0o644) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=STAMP)
    info.external_attr = mode << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def _zip(entries: list[tuple[zipfile.ZipInfo, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in entries:
            zf.writestr(info, data)
    return buf.getvalue()


def _with(files: Files, *extra: tuple[zipfile.ZipInfo, bytes]) -> bytes:
    return _zip([(_info(n), d) for n, d in files.items()] + list(extra))


def traversal(files: Files) -> bytes:
    return _with(files, (_info("../../escaped.txt"), b"written outside the target\n"))


def absolute(files: Files) -> bytes:
    return _with(files, (_info("/var/sbomgen-absolute.txt"), b"an absolute path\n"))


def symlink(files: Files) -> bytes:
    return _with(files, (_info("link-to-etc", stat.S_IFLNK | 0o777), b"/etc"))


def device(files: Files) -> bytes:
    return _with(files, (_info("null-device", stat.S_IFCHR | 0o666), b""))


def fifo(files: Files) -> bytes:
    return _with(files, (_info("a-fifo", stat.S_IFIFO | 0o644), b""))


def bomb(files: Files) -> bytes:
    """A member that inflates 1000-fold (32 MiB of zeros in about 32 KiB)."""
    return _with(files, (_info("zeros.json"), b"\0" * (32 << 20)))


def many(files: Files) -> bytes:
    return _with(files, *[(_info(f"part-{i:05d}.json"), b"{}") for i in range(1500)])


def duplicate(files: Files) -> bytes:
    first = next(iter(files), "report.json")
    return _with(files, (_info(first.upper()), b"a second file of the same name\n"))


def reserved(files: Files) -> bytes:
    return _with(files, (_info("SHA256SUMS"), b"0" * 64 + b"  report.json\n"))


def backslash(files: Files) -> bytes:
    return _with(files, (_info("..\\..\\escaped.txt"), b"a Windows path\n"))


CASES: dict[str, Callable[[Files], bytes]] = {
    "traversal": traversal,
    "absolute": absolute,
    "backslash": backslash,
    "symlink": symlink,
    "device": device,
    "fifo": fifo,
    "bomb": bomb,
    "many": many,
    "duplicate": duplicate,
    "reserved": reserved,
}
