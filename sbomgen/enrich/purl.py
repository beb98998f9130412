"""Package URLs from Mend's coordinates (policy: docs/enrichment.md).

A purl is built only from what Mend states: never from a guess. When the coordinates
are not enough, the library gets no purl and the reason is recorded.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from urllib.parse import urlsplit

from packageurl import PackageURL

from sbomgen.model import Finding, Inventory, KeyUuid, Library

log = logging.getLogger(__name__)

# Mend type (either vocabulary) -> purl "kind" used below. Hierarchy types first.
HIERARCHY_TYPES: dict[str, str] = {
    "MAVEN_ARTIFACT": "maven",
    "NODE_PACKAGED_MODULE": "npm",
    "BOWER_MODULE": "bower",
    "PYTHON_PACKAGE": "pypi",
    "DOT_NET_RESOURCE": "nuget",
    "DOT_NET_AS_GENERIC_RESOURCE": "nuget",
    "NUGET_PACKAGE": "nuget",
    "RUBY_GEM": "gem",
    "GO_PACKAGE": "golang",
    "DEBIAN_PACKAGE": "deb",
    "RPM": "rpm",
    "RPM_PACKAGE": "rpm",
    "ALPINE_PACKAGE": "apk",
    "ARCH_LINUX_PACKAGE": "alpm",
    "SOURCE_LIBRARY": "source",
    "UNKNOWN_ARTIFACT": "unknown",
}
LANGUAGE_TYPES: dict[str, str] = {
    "java": "maven",
    "java archive": "maven",
    "javascript/node.js": "npm",
    "javascript": "npm",
    "python": "pypi",
    ".net": "nuget",
    "nuget": "nuget",
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
    r"\.(tgz|tar\.gz|zip|jar|war|ear|whl|egg|nupkg|gem|deb|rpm|apk)$", re.IGNORECASE
)
NPM_NAME = re.compile(r"^(@[a-z0-9][a-z0-9._~-]*/)?[a-z0-9._~-][a-z0-9._~-]*$")


def kind_of(lib: Library) -> str | None:
    """Which purl recipe applies: the specific hierarchy type, else the language type."""
    hierarchy = HIERARCHY_TYPES.get(lib.type or "")
    if lib.type and lib.type.startswith("DOT_NET"):
        hierarchy = "nuget"
    language = LANGUAGE_TYPES.get((lib.language_type or "").strip().casefold())
    if hierarchy in (None, "unknown"):
        # UNKNOWN_ARTIFACT is Mend's "unresolved artifact": its language may say more
        return language or hierarchy
    return hierarchy


def pep503(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _npm_name(lib: Library) -> str | None:
    for candidate in (lib.group_id, lib.name, lib.artifact_id):
        if candidate and not FILE_NAME.search(candidate) and NPM_NAME.match(candidate.lower()):
            return candidate
    return None


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


def purl_for(lib: Library) -> tuple[str | None, str | None]:
    """(purl, None) or (None, why not)."""
    purl, problem = _purl_for(lib)
    if purl is None and lib.type == "UNKNOWN_ARTIFACT":
        # Mend could not resolve the artifact; a generic purl with its checksum still
        # identifies the file exactly
        generic = _generic(lib, (lib.version or "").strip() or None)
        if generic is not None:
            return generic.to_string(), None
    return purl, problem


def _purl_for(lib: Library) -> tuple[str | None, str | None]:
    kind = kind_of(lib)
    version = (lib.version or "").strip() or None
    if kind is None:
        return None, f"Mend type {lib.type or lib.language_type or '(none)'!r} has no purl mapping"
    if version is None and kind not in ("unknown", "source"):
        return None, "Mend gives no version"
    purl: PackageURL | None = None
    if kind == "maven":
        if not (lib.group_id and lib.artifact_id):
            return None, "no Maven groupId/artifactId"
        if FILE_NAME.search(lib.artifact_id):
            return None, f"artifactId {lib.artifact_id!r} is a file name, not Maven coordinates"
        purl = PackageURL(
            type="maven", namespace=lib.group_id, name=lib.artifact_id, version=version
        )
    elif kind == "npm":
        name = _npm_name(lib)
        if name is None:
            return None, "no npm package name (only a file name)"
        namespace, _, base = name.rpartition("/")
        purl = PackageURL(type="npm", namespace=namespace or None, name=base, version=version)
    elif kind == "pypi":
        name = lib.group_id or lib.name
        if not name or FILE_NAME.search(name):
            return None, "no PyPI project name"
        purl = PackageURL(type="pypi", name=pep503(name), version=version)
    elif kind == "nuget":
        name = lib.group_id or lib.name
        if not name or FILE_NAME.search(name):
            return None, "no NuGet package id"
        purl = PackageURL(type="nuget", name=name, version=version)
    elif kind == "gem":
        name = (
            lib.artifact_id
            if lib.artifact_id and not FILE_NAME.search(lib.artifact_id)
            else lib.name
        )
        if not name:
            return None, "no gem name"
        purl = PackageURL(type="gem", name=name, version=version)
    elif kind == "golang":
        module = "/".join(p for p in (lib.group_id, lib.artifact_id) if p) or lib.name
        if not module or "/" not in module:
            return None, "no Go module path"
        namespace, _, base = module.rpartition("/")
        purl = PackageURL(type="golang", namespace=namespace, name=base, version=version)
    elif kind in ("deb", "rpm", "apk", "alpm", "bower"):
        os_name = (
            lib.artifact_id
            if lib.artifact_id and not FILE_NAME.search(lib.artifact_id)
            else lib.name
        )
        if not os_name or FILE_NAME.search(os_name):
            return None, f"no {kind} package name"
        vendor = {"deb": "debian", "apk": "alpine", "alpm": "arch"}.get(kind)
        purl = PackageURL(type=kind, namespace=vendor, name=os_name, version=version)
    elif kind == "source":
        gh = _github(lib)
        if gh is not None and version:
            purl = PackageURL(type="github", namespace=gh[0], name=gh[1], version=version)
        else:
            purl = _generic(lib, version)
            if purl is None:
                return None, "source library without a GitHub repository or a sha1"
    else:  # unknown
        purl = _generic(lib, version)
        if purl is None:
            return None, "unknown library without name and sha1"
    return purl.to_string(), None


def _generic(lib: Library, version: str | None) -> PackageURL | None:
    if not lib.sha1 or not re.fullmatch(r"[0-9a-fA-F]{40}", lib.sha1):
        return None
    name = lib.artifact_id or lib.name or lib.filename
    if not name:
        return None
    return PackageURL(
        type="generic",
        name=name,
        version=version,
        qualifiers={"checksum": f"sha1:{lib.sha1.lower()}"},
    )


class PurlEnricher:
    def enrich(self, inventory: Inventory) -> Inventory:
        libraries: dict[KeyUuid, Library] = {}
        findings = []
        for key in sorted(inventory.libraries):
            lib = inventory.libraries[key]
            purl, problem = purl_for(lib)
            libraries[key] = replace(lib, purl=purl, purl_problem=problem)
            if purl is None:
                findings.append(
                    Finding(
                        kind="purl-missing",
                        key_uuid=key,
                        message=f"{lib.display_name}: no purl: {problem}",
                    )
                )
        return replace(inventory, libraries=libraries, findings=(*inventory.findings, *findings))
