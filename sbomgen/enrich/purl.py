"""Package URLs from Mend's coordinates (policy: docs/enrichment.md).

A purl is built only from what Mend states: never from a guess. When the coordinates are
not enough, or contradict each other, the library gets no purl and the reason is recorded
(a finding names the library and says why).

Which field holds what depends on the library type. The reference's "Library details
overview" table (``http-api-v1.2.txt``) is the authority:

- package managers (Alpine, Arch Linux, Debian, Nuget, Python, RPM, Ruby, JavaScript,
  javascript/Node.js …): groupId = package name, artifactId = the file name;
- Java: Maven groupId and artifactId;
- javascript/Bower: groupId = project owner, artifactId = package name;
- .NET: groupId = owner / organization (free text), artifactId = the .NET project name;
- Source Library: groupId = project owner, artifactId = SCM project name.

Go is not in the table; Mend gives the module path in groupId (and artifactId holds the
module path again, or the module archive's file name). Mend names types in two vocabularies:
an enum in hierarchy/inventory (``MAVEN_ARTIFACT``) and the table's names in license
responses (``Java``). Both map to one recipe in :data:`ENUM_TYPES` / :data:`DISPLAY_TYPES`.
The purls themselves are built and canonicalized by :mod:`sbomgen.enrich.purl_spec`.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from urllib.parse import unquote, urlsplit

from sbomgen.enrich.purl_spec import Purl, PurlError, build
from sbomgen.model import Finding, Inventory, KeyUuid, Library

log = logging.getLogger(__name__)

# The hierarchy/inventory vocabulary. Seen in Mend output: MAVEN_ARTIFACT, UNKNOWN_ARTIFACT
# (the reference's hierarchy example), JAVA_ARCHIVE, NODE_PACKAGED_MODULE, SOURCE_LIBRARY,
# DOT_NET_AS_GENERIC_RESOURCE, REDHAT_PACKAGE_MODULE, GO_PACKAGE. Listed by Mend without an
# example: PYTHON_PACKAGE, DOT_NET_RESOURCE, NUGET_PACKAGE_MODULE, JAVA_SCRIPT_LIBRARY. The
# rest are names used by other tools for Mend data; a library whose enum is not here falls
# back on its license-response type.
ENUM_TYPES: Mapping[str, str] = {
    "MAVEN_ARTIFACT": "maven",
    "JAVA_ARCHIVE": "file",
    "NODE_PACKAGED_MODULE": "npm",
    "JAVA_SCRIPT_LIBRARY": "file",
    "PYTHON_PACKAGE": "pypi",
    "NUGET_PACKAGE_MODULE": "nuget",
    "DOT_NET_AS_GENERIC_RESOURCE": "dotnet",
    "DOT_NET_RESOURCE": "dotnet",
    "GO_PACKAGE": "golang",
    "REDHAT_PACKAGE_MODULE": "rpm",
    "RPM": "rpm",
    "DEBIAN_PACKAGE": "deb",
    "RUBY_GEM": "gem",
    "BOWER_MODULE": "bower",
    "SOURCE_LIBRARY": "source",
    "UNKNOWN_ARTIFACT": "unknown",
}
# The license-response vocabulary (type / resolvedType / languages), compared case-insensitively:
# the reference's table, plus "Go" (not in the table).
DISPLAY_TYPES: Mapping[str, str] = {
    "java": "maven",
    "java archive": "file",
    "javascript/node.js": "npm",
    "javascript": "file",
    "actionscript": "file",
    "javascript/bower": "bower",
    "python": "pypi",
    "nuget": "nuget",
    ".net": "dotnet",
    "ruby": "gem",
    "go": "golang",
    "debian": "deb",
    "rpm": "rpm",
    "alpine": "apk",
    "arch linux": "alpm",
    "source library": "source",
    "unknown library": "unknown",
}

FILE_NAME = re.compile(
    r"\.(tgz|tar\.gz|tar\.xz|tar\.zst|zip|jar|war|ear|aar|whl|egg|nupkg|dll|exe|gem|deb|rpm"
    r"|apk|pkg\.tar\.(xz|zst|gz))$",
    re.IGNORECASE,
)
NPM_NAME = re.compile(r"^(@[a-z0-9][a-z0-9._~-]*/)?[a-z0-9._~-][a-z0-9._~-]*$")
MAVEN_PART = re.compile(r"^[A-Za-z0-9_.-]+$")
PACKAGE_ID = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.+-]*$")  # NuGet ids, gem/pypi/deb names
GO_MODULE = re.compile(r"^[a-z0-9][a-z0-9-]*(\.[a-z0-9-]+)+(/[A-Za-z0-9._~+-]+)*$")
# Hosts whose module paths are host/owner/repo at least
CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org")


def _go_module(value: str) -> bool:
    """A Go module path: a domain first (``golang.org/x/net``, ``go.opencensus.io``); on
    the big code hosts, owner and repository after it (``github.com/gorilla/mux``)."""
    if not GO_MODULE.match(value) or _is_file(value):
        return False
    parts = value.split("/")
    return not (parts[0] in CODE_HOSTS and len(parts) < 3)


class NoPurl(Exception):
    """The coordinates do not state a purl; the message says why."""


@dataclass(frozen=True)
class Decision:
    purl: Purl | None
    problem: str | None = None
    note: str | None = None  # how the purl was read, when that needs saying


def kind_of(lib: Library) -> str | None:
    """Which recipe applies: the enum type when it is specific, else the license type."""
    enum = ENUM_TYPES.get((lib.type or "").strip().upper())
    display = DISPLAY_TYPES.get((lib.language_type or "").strip().casefold())
    if enum in (None, "unknown"):
        # UNKNOWN_ARTIFACT is Mend's unresolved artifact: its language may say more
        return display or enum
    return enum


def type_label(lib: Library) -> str:
    """The Mend type as a person reads it: both vocabularies when both are known."""
    parts = [p for p in (lib.type, lib.language_type) if p]
    return " / ".join(dict.fromkeys(parts)) or "(no type)"


# --- helpers -------------------------------------------------------------------------------


def _is_file(value: str | None) -> bool:
    return bool(value and FILE_NAME.search(value))


def _file_name(lib: Library) -> str | None:
    """The package's file name: the artifactId of package managers, or ``filename``."""
    for candidate in (lib.artifact_id, lib.filename):
        if _is_file(candidate):
            return candidate
    return None


def _version(lib: Library) -> str:
    version = (lib.version or "").strip()
    if not version:
        raise NoPurl("Mend gives no version")
    return version


def _package_name(lib: Library, what: str) -> str:
    """groupId holds the package name for package managers (the reference's table)."""
    for candidate in (lib.group_id, lib.name):
        if candidate and not _is_file(candidate) and PACKAGE_ID.match(candidate):
            return candidate
    raise NoPurl(f"no {what} package name (groupId {lib.group_id!r})")


def _suffix(file_name: str | None, prefix: str, suffix: str) -> str | None:
    """What a file name holds between ``prefix`` and ``suffix`` (case-sensitive), if it
    has that form. File names may percent-encode an epoch's colon (``1%3a1.2``)."""
    if not file_name:
        return None
    name = unquote(file_name)
    if name.startswith(prefix) and name.endswith(suffix) and len(name) > len(prefix + suffix):
        return name[len(prefix) : len(name) - len(suffix)]
    return None


def _ends_with_version(value: str, version: str) -> bool:
    """``log4net-2.0.15``, ``jquery-3.4.1``: a label that carries the version."""
    return value.lower().endswith((f"-{version}".lower(), f".{version}".lower()))


def _without_epoch(version: str) -> str:
    return version.split(":", 1)[1] if re.match(r"^\d+:", version) else version


# --- recipes -------------------------------------------------------------------------------


def _maven(lib: Library) -> Decision:
    group, artifact, version = lib.group_id, lib.artifact_id, (lib.version or "").strip()
    qualifiers: dict[str, str | None] = {}
    if not (group and artifact) and lib.coordinates:
        # g:a:v, g:a:packaging:v or g:a:packaging:classifier:v
        parts = lib.coordinates.split(":")
        if len(parts) in (3, 4, 5):
            group, artifact, version = parts[0], parts[1], parts[-1]
            packaging = parts[2] if len(parts) > 3 else None
            qualifiers = {
                "type": packaging if packaging != "jar" else None,
                "classifier": parts[3] if len(parts) == 5 else None,
            }
    if not (group and artifact):
        raise NoPurl("no Maven groupId/artifactId")
    if _is_file(artifact) or _is_file(group):
        raise NoPurl(f"artifactId {artifact!r} is a file name, not Maven coordinates")
    if not (MAVEN_PART.match(group) and MAVEN_PART.match(artifact)):
        raise NoPurl(f"{group}:{artifact} are not Maven coordinates")
    if not version:
        raise NoPurl("Mend gives no version")
    return Decision(build("maven", group, artifact, version, qualifiers))


def _npm(lib: Library) -> Decision:
    for candidate in (lib.group_id, lib.name, lib.artifact_id):
        if candidate and not _is_file(candidate) and NPM_NAME.match(candidate.lower()):
            namespace, _, base = candidate.rpartition("/")
            return Decision(build("npm", namespace or None, base, _version(lib)))
    raise NoPurl("no npm package name (only a file name)")


def _pypi(lib: Library) -> Decision:
    return Decision(build("pypi", None, _package_name(lib, "PyPI"), _version(lib)))


def _nuget(lib: Library) -> Decision:
    return Decision(build("nuget", None, _package_name(lib, "NuGet"), _version(lib)))


def _dotnet(lib: Library) -> Decision:
    """.NET: groupId is the owner (free text), artifactId the .NET project name."""
    version = _version(lib)
    artifact = (lib.artifact_id or "").strip()
    group = (lib.group_id or "").strip()
    if artifact.lower().endswith(".nupkg"):
        # a NuGet package file, "<id>.<version>.nupkg": it names the package
        for candidate in (group, lib.name or ""):
            if candidate and artifact.lower() == f"{candidate}.{version}.nupkg".lower():
                return Decision(build("nuget", None, candidate, version))
        raise NoPurl(f"NuGet file {artifact!r} does not match groupId {group!r} and version")
    if artifact and not _is_file(artifact) and PACKAGE_ID.match(artifact):
        if _ends_with_version(artifact, version):
            raise NoPurl(
                f"artifactId {artifact!r} holds the version: a file label, not the .NET "
                "project name"
            )
        return Decision(
            build("nuget", None, artifact, version),
            note=f"NuGet id from the .NET project name (artifactId {artifact!r})",
        )
    if _is_file(artifact):
        sha1 = _sha1(lib)
        if sha1:
            return Decision(
                _generic(artifact, version, sha1),
                note=f".NET assembly {artifact!r}: the NuGet package that ships it is not stated",
            )
        raise NoPurl(
            f".NET assembly {artifact!r} is known by its file only; the NuGet package that "
            "ships it is not stated, and Mend gives no sha1"
        )
    if group:
        raise NoPurl(f"only the owner of the .NET library is known (groupId {group!r})")
    raise NoPurl("no .NET project name (artifactId)")


def _golang(lib: Library) -> Decision:
    group = (lib.group_id or "").strip()
    artifact = (lib.artifact_id or "").strip()
    module = None
    if _go_module(group):
        module = group
        if _go_module(artifact) and artifact != group:
            raise NoPurl(f"groupId {group!r} and artifactId {artifact!r} name different modules")
    elif _go_module(artifact):
        module = artifact  # the owner in groupId, the module path in artifactId
    if module is None:
        raise NoPurl(f"Go groupId {group or None!r} is not a module path")
    namespace, _, name = module.rpartition("/")
    if not namespace:
        raise NoPurl(
            f"module path {module!r} has one element; the golang purl type requires a namespace"
        )
    version = _version(lib)
    _check_go_major(module, version)
    return Decision(build("golang", namespace, name, version))


def _check_go_major(module: str, version: str) -> None:
    """Go's import compatibility rule: a module at major version 2 or more ends its path in
    ``/vN`` (``gopkg.in/yaml.v3`` in ``.vN``), unless its version is ``+incompatible``; a
    path ending in ``/vN`` holds vN versions only. Coordinates breaking the rule name a
    module no scanner knows."""
    stated = re.match(r"v?(\d+)\.", version)
    in_path = re.search(r"(?:/|^gopkg\.in/.*\.)v(\d+)$", module)
    path_major = int(in_path[1]) if in_path else None
    if not stated or "+incompatible" in version:
        return
    major = int(stated[1])
    if major >= 2 and path_major != major:
        raise NoPurl(
            f"version {version!r} is major version {major}, and Go module paths at v2 or "
            f"more end in /v{major}: {module!r} does not"
        )
    if path_major is not None and path_major >= 2 and major != path_major:
        raise NoPurl(f"module path {module!r} holds v{path_major} versions, not {version!r}")


# Debian derivatives that mark their own builds in the version: the purl vendor, or None
# when sbomgen knows none
DEB_DERIVATIVES: tuple[tuple[str, str | None], ...] = (
    (r"ubuntu|build\d+$", "ubuntu"),  # "0ubuntu3", and Ubuntu's no-change rebuilds "3build1"
    (r"\+kali\d", None),
    (r"\+rpi\d|raspbian", None),
    (r"deepin", None),
    (r"pureos", None),
    (r"linuxmint", None),
    (r"devuan", None),
)


def _deb(lib: Library) -> Decision:
    """Mend's type says Debian. A version that marks another distribution's build
    ("0ubuntu3", "3build1", "+kali1") is that distribution's: Ubuntu's is ``ubuntu``; for
    others sbomgen knows no purl vendor and builds none."""
    name, version = _package_name(lib, "Debian"), _version(lib)
    vendor = "debian"
    for marker, purl_vendor in DEB_DERIVATIVES:
        if re.search(marker, version.lower()):
            if purl_vendor is None:
                raise NoPurl(
                    f"version {version!r} is a Debian derivative's build; sbomgen knows no "
                    "purl vendor for it"
                )
            vendor = purl_vendor
            break
    file_name = _file_name(lib)
    arch = _suffix(file_name, f"{name}_{_without_epoch(version)}_", ".deb") or _suffix(
        file_name, f"{name}_{version}_", ".deb"
    )
    if arch and not re.fullmatch(r"[a-z0-9-]+", arch):
        arch = None
    # Debian's stable and security updates say their release in the version: "+deb12u14",
    # "~deb12u2" (built for Debian 12)
    release = re.search(r"[+~]deb(\d+)u\d+", version) if vendor == "debian" else None
    distro = f"debian-{release[1]}" if release else None
    return Decision(build("deb", vendor, name, version, {"arch": arch, "distro": distro}))


def _rpm(lib: Library) -> Decision:
    name, version = _package_name(lib, "RPM"), _version(lib)
    fedora = re.search(r"\.fc(\d+)(?:\b|_)", version)
    if not fedora:
        release = version.rsplit("-", 1)[-1]
        raise NoPurl(
            "the RPM vendor is not stated: the rpm purl type requires a namespace, and "
            f"release {release!r} names no single vendor"
        )
    plain = _without_epoch(version)
    epoch = version.split(":", 1)[0] if plain != version else None
    arch = _suffix(_file_name(lib), f"{name}-{plain}.", ".rpm")
    if arch and not re.fullmatch(r"[A-Za-z0-9_]+", arch):
        arch = None
    qualifiers = {"arch": arch, "distro": f"fedora-{fedora[1]}", "epoch": epoch}
    return Decision(build("rpm", "fedora", name, plain, qualifiers))


def _apk(lib: Library) -> Decision:
    name, version = _package_name(lib, "Alpine"), _version(lib)
    return Decision(build("apk", "alpine", name, version))


def _alpm(lib: Library) -> Decision:
    name, version = _package_name(lib, "Arch Linux"), _version(lib)
    file_name = _file_name(lib) or ""
    arch = None
    m = re.fullmatch(r"(?P<rest>.+)\.pkg\.tar\.(xz|zst|gz)", file_name)
    if m:
        arch = _suffix(m["rest"], f"{name}-{version}-", "")
    return Decision(build("alpm", "arch", name, version, {"arch": arch}))


def _gem(lib: Library) -> Decision:
    name, version = _package_name(lib, "gem"), _version(lib)
    platform = _suffix(_file_name(lib), f"{name}-{version}-", ".gem")
    return Decision(build("gem", None, name, version, {"platform": platform}))


def _bower(lib: Library) -> Decision:
    """javascript/Bower: groupId is the project owner, artifactId the package name."""
    version = _version(lib)
    for candidate in (lib.artifact_id, lib.name):
        if (
            candidate
            and not _is_file(candidate)
            and PACKAGE_ID.match(candidate)
            and not _ends_with_version(candidate, version)
        ):
            return Decision(build("bower", None, candidate, version))
    raise NoPurl("no Bower package name (artifactId)")


def _github(lib: Library) -> tuple[str, str] | None:
    """(owner, repo) when an SCM/homepage URL is github.com/<groupId>/<artifactId>."""
    for url in (lib.references.scm, lib.references.homepage):
        if not url:
            continue
        parts = urlsplit(url.strip())
        if (parts.hostname or "").lower() not in ("github.com", "www.github.com"):
            continue
        path = [p for p in parts.path.split("/") if p]
        if len(path) < 2:
            continue
        owner, repo = path[0], re.sub(r"\.git$", "", path[1])
        if (
            lib.group_id
            and lib.artifact_id
            and (owner.lower(), repo.lower()) == (lib.group_id.lower(), lib.artifact_id.lower())
        ):
            return owner, repo
    return None


def _source(lib: Library) -> Decision:
    gh = _github(lib)
    version = (lib.version or "").strip()
    if gh is not None and version:
        return Decision(build("github", gh[0], gh[1], version))
    return _file(lib, "source library without a GitHub repository")


def _sha1(lib: Library) -> str | None:
    if lib.sha1 and re.fullmatch(r"[0-9a-fA-F]{40}", lib.sha1):
        return lib.sha1.lower()
    return None


def _generic(name: str, version: str | None, sha1: str) -> Purl:
    return build("generic", None, name, version, {"checksum": f"sha1:{sha1}"})


def _file(lib: Library, what: str = "a file Mend knows by its checksum") -> Decision:
    """A file no registry names: a generic purl with its sha1 identifies it exactly."""
    sha1 = _sha1(lib)
    name = lib.artifact_id or lib.filename or lib.name
    if not sha1 or not name:
        raise NoPurl(f"{what}, and Mend gives no {'sha1' if name else 'name'}")
    return Decision(_generic(name, (lib.version or "").strip() or None, sha1))


RECIPES: Mapping[str, Callable[[Library], Decision]] = {
    "maven": _maven,
    "npm": _npm,
    "pypi": _pypi,
    "nuget": _nuget,
    "dotnet": _dotnet,
    "golang": _golang,
    "deb": _deb,
    "rpm": _rpm,
    "apk": _apk,
    "alpm": _alpm,
    "gem": _gem,
    "bower": _bower,
    "source": _source,
    "file": _file,
    "unknown": _file,
}


def decide(lib: Library) -> Decision:
    kind = kind_of(lib)
    if kind is None:
        return Decision(None, f"Mend type {type_label(lib)!r} has no purl mapping")
    try:
        return RECIPES[kind](lib)
    except (NoPurl, PurlError) as exc:
        if (lib.type or "").upper() == "UNKNOWN_ARTIFACT" and kind != "unknown":
            # Mend could not resolve the artifact; its checksum still identifies the file
            try:
                by_file = _file(lib)
            except NoPurl:
                pass
            else:
                return Decision(
                    by_file.purl,
                    problem=str(exc),
                    note=f"no {kind} purl ({exc}): the file is identified by its sha1",
                )
        return Decision(None, str(exc))


def purl_for(lib: Library) -> tuple[str | None, str | None]:
    """(purl, None) or (None, why not)."""
    decision = decide(lib)
    if decision.purl:
        return str(decision.purl), None
    return None, decision.problem


@dataclass(frozen=True)
class TypeCount:
    """How many libraries of one Mend type got a purl, and why the others did not."""

    mend_type: str
    built: int  # every purl, file_only included
    missing: int
    reasons: Mapping[str, int]  # why a purl is missing, or is only the file's
    file_only: int = 0  # a generic purl with the file's sha1: the type's purl was not stated


def purl_counts(inventory: Inventory) -> list[TypeCount]:
    built: Counter[str] = Counter()
    missing: Counter[str] = Counter()
    file_only: Counter[str] = Counter()
    reasons: dict[str, Counter[str]] = {}
    for lib in inventory.libraries.values():
        label = type_label(lib)
        if lib.purl:
            built[label] += 1
            if not lib.purl_problem:
                continue
            file_only[label] += 1
            prefix = "file only: "
        else:
            missing[label] += 1
            prefix = ""
        reason = re.sub(r"'[^']*'", "…", lib.purl_problem or "unknown reason")
        reasons.setdefault(label, Counter())[prefix + reason] += 1
    return [
        TypeCount(
            mend_type=label,
            built=built[label],
            missing=missing[label],
            reasons=dict(sorted(reasons.get(label, Counter()).items())),
            file_only=file_only[label],
        )
        for label in sorted({*built, *missing})
    ]


class PurlEnricher:
    def enrich(self, inventory: Inventory) -> Inventory:
        libraries: dict[KeyUuid, Library] = {}
        findings = []
        for key in sorted(inventory.libraries):
            lib = inventory.libraries[key]
            if lib.type is None and lib.purl:
                libraries[key] = lib  # a purl a source document stated (no Mend type to judge)
                continue
            decision = decide(lib)
            purl = str(decision.purl) if decision.purl else None
            libraries[key] = replace(lib, purl=purl, purl_problem=decision.problem)
            if purl is None:
                findings.append(
                    Finding(
                        kind="purl-missing",
                        key_uuid=key,
                        message=f"{lib.display_name} ({type_label(lib)}): no purl: {decision.problem}",
                    )
                )
            elif decision.problem:
                findings.append(
                    Finding(
                        kind="purl-file-only",
                        key_uuid=key,
                        message=f"{lib.display_name} ({type_label(lib)}): {purl}: {decision.note}",
                    )
                )
            elif decision.note:
                findings.append(
                    Finding(
                        kind="purl-inferred",
                        key_uuid=key,
                        message=f"{lib.display_name}: {purl}: {decision.note}",
                    )
                )
        return replace(inventory, libraries=libraries, findings=(*inventory.findings, *findings))
