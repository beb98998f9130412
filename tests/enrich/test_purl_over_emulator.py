"""The purl cases of the sample, fetched over HTTP from the emulator as a user would, and
the contradictory coordinates that must give no purl but a finding.

Each case is a real package (samples/acme-dataset); the documents' vulnerabilities must
point at the purls scanners use.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import SAMPLE_DATASET, Mend, read_json, run_cli

CASES = {
    # Go: module path in groupId, the module archive's file name in artifactId
    "github.com/gorilla/mux": "pkg:golang/github.com/gorilla/mux@v1.8.0",
    "github.com/docker/docker": "pkg:golang/github.com/docker/docker@v20.10.7%2Bincompatible",
    "github.com/go-redis/redis/v8": "pkg:golang/github.com/go-redis/redis/v8@v8.11.5",
    # .NET DLL: the publisher in groupId, the .NET project name in artifactId
    "log4net": "pkg:nuget/log4net@2.0.15",
    # Bower: the owner in groupId, the package name in artifactId
    "jquery": "pkg:bower/jquery@3.4.1",
    # Alpine: canonical, upper-case percent-encoding
    "libstdc++": "pkg:apk/alpine/libstdc%2B%2B@12.2.1_git20220924-r4",
    # qualifiers from file names
    "libc6": "pkg:deb/debian/libc6@2.36-9%2Bdeb12u14?arch=amd64&distro=debian-12",
    "nokogiri": "pkg:gem/nokogiri@1.13.10?platform=x86_64-linux",
}


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """generate --org against the emulator serving the sample, in a subprocess."""
    from conftest import _start

    gen = _start(SAMPLE_DATASET)
    mend: Mend = next(gen)
    out = tmp_path_factory.mktemp("out")
    try:
        result = run_cli("generate", "--org", "--out", out, env=mend.env())
        assert result.code == 0, result.stderr
        assert mend.emulator.errors == []
    finally:
        next(gen, None)
    return {
        "cdx": read_json(out / "Acme-Corp.cdx.json"),
        "spdx": read_json(out / "Acme-Corp.spdx.json"),
    }


def _by_name(cdx: dict[str, Any]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for c in cdx["components"]:
        full = f"{c['group']}/{c['name']}" if c.get("group") else c["name"]
        out[full] = c
    return out


@pytest.mark.parametrize(("name", "purl"), sorted(CASES.items()))
def test_each_case_gets_the_purl_scanners_use(
    documents: dict[str, Any], name: str, purl: str
) -> None:
    component = _by_name(documents["cdx"])[name]
    assert component["purl"] == purl
    spdx = [p for p in documents["spdx"]["packages"] if p.get("externalRefs")]
    assert purl in {r["referenceLocator"] for p in spdx for r in p["externalRefs"]}


def test_vulnerabilities_affect_those_purls(documents: dict[str, Any]) -> None:
    cdx = documents["cdx"]
    purl_of = {c["bom-ref"]: c.get("purl") for c in cdx["components"]}
    affected = {v["id"]: {purl_of[a["ref"]] for a in v["affects"]} for v in cdx["vulnerabilities"]}
    assert affected["CVE-2023-28840"] == {CASES["github.com/docker/docker"]}
    assert affected["CVE-2020-11022"] == {CASES["jquery"]}
    assert affected["CVE-2024-51744"] == {"pkg:golang/github.com/golang-jwt/jwt/v4@v4.4.2"}


def _dataset(tmp_path: Path, edit: Any) -> Path:
    folder = tmp_path / "ds"
    shutil.copytree(SAMPLE_DATASET, folder)
    data = json.loads((folder / "dataset.json").read_text())
    edit(data["libraries"])
    (folder / "dataset.json").write_text(json.dumps(data))
    return folder


def _lib(libraries: dict[str, Any], group_id: str) -> dict[str, Any]:
    (found,) = [lib for lib in libraries.values() if lib.get("groupId") == group_id]
    return found  # type: ignore[no-any-return]


def test_contradictory_coordinates_get_no_purl_and_a_finding(
    tmp_path: Path, start_emulator: Any
) -> None:
    def contradict(libraries: dict[str, Any]) -> None:
        _lib(libraries, "github.com/gorilla/mux")["groupId"] = "mux"  # not a module path
        dll = _lib(libraries, "The Apache Software Foundation")
        del dll["artifactId"]  # only the publisher is known

    mend: Mend = start_emulator(_dataset(tmp_path, contradict))
    result = run_cli("inventory", "--org", env=mend.env())
    assert result.code == 0, result.stderr
    out = result.stdout
    assert "no purl: Go groupId 'mux' is not a module path" in out
    assert (
        "no purl: only the owner of the .NET library is known "
        "(groupId 'The Apache Software Foundation')" in out
    )
    assert "pkg:nuget/The" not in out and "mux-v1.8.0.zip@" not in out
    go = [ln for ln in out.splitlines() if ln.startswith("GO_PACKAGE / Go")]
    assert go and go[0].split()[-3:] == ["4", "1", "0"]  # built, missing, file only


def test_go_paths_breaking_the_major_version_rule_get_no_purl(
    tmp_path: Path, start_emulator: Any
) -> None:
    def break_rule(libraries: dict[str, Any]) -> None:
        # v8 without /v8: the module github.com/go-redis/redis has no v8 versions
        _lib(libraries, "github.com/go-redis/redis/v8")["groupId"] = "github.com/go-redis/redis"
        # a /v4 path holding a v1 version
        _lib(libraries, "github.com/golang-jwt/jwt/v4")["version"] = "v1.2.0"

    mend: Mend = start_emulator(_dataset(tmp_path, break_rule))
    out = tmp_path / "out"
    result = run_cli("generate", "--org", "--out", out, env=mend.env())
    assert result.code == 0, result.stderr
    purls = {c.get("purl") for c in read_json(out / "Acme-Corp.cdx.json")["components"]}
    assert "pkg:golang/github.com/go-redis/redis@v8.11.5" not in purls
    assert not any(p and p.startswith("pkg:golang/github.com/golang-jwt/") for p in purls)
    inventory = run_cli("inventory", "--org", env=mend.env())
    assert (
        "no purl: version … is major version 8, and Go module paths at v2 or more end in /v8"
        in inventory.stdout.replace("'v8.11.5'", "…")
    )
    assert "module path 'github.com/golang-jwt/jwt/v4' holds v4 versions, not 'v1.2.0'" in (
        inventory.stdout
    )


def test_an_unresolved_artifact_known_only_by_its_file_is_said_so(
    tmp_path: Path, start_emulator: Any
) -> None:
    def kali(libraries: dict[str, Any]) -> None:
        # a Debian derivative's build: no deb vendor sbomgen knows, so the file and its sha1
        libc6 = _lib(libraries, "libc6")
        libc6["version"] = "2.36-9+kali1"
        libc6["artifactId"] = libc6["filename"] = "libc6_2.36-9+kali1_amd64.deb"

    mend: Mend = start_emulator(_dataset(tmp_path, kali))
    result = run_cli("inventory", "--org", "--format", "json", env=mend.env())
    assert result.code == 0, result.stderr
    report = json.loads(result.stdout)
    [debian] = [
        c for c in report["purls_by_mend_type"] if c["mend_type"] == "UNKNOWN_ARTIFACT / Debian"
    ]
    assert (debian["built"], debian["missing"], debian["file_only"]) == (3, 0, 1)
    assert debian["reasons"] == {
        "file only: version … is a Debian derivative's build; sbomgen knows no purl vendor for it": 1
    }
    [found] = [f for f in report["findings"] if f["kind"] == "purl-file-only"]
    assert found["messages"] == [
        "libc6 2.36-9+kali1 (UNKNOWN_ARTIFACT / Debian): pkg:generic/libc6_2.36-9%2Bkali1_amd64.deb"
        "@2.36-9%2Bkali1?checksum=sha1:c534c6c7f912b61ca26b7cf4082235a0343b8751: no deb purl "
        "(version '2.36-9+kali1' is a Debian derivative's build; sbomgen knows no purl vendor "
        "for it): the file is identified by its sha1"
    ]


def test_a_fedora_rpm_gets_vendor_arch_and_distro(tmp_path: Path, start_emulator: Any) -> None:
    def fedora(libraries: dict[str, Any]) -> None:
        # Fedora 38's bash build (koji: bash-5.2.15-3.fc38), as Mend names an installed rpm
        rpm = _lib(libraries, "openssl-libs")
        rpm.update(
            groupId="bash",
            artifactId="bash-5.2.15-3.fc38.x86_64.rpm",
            filename="bash-5.2.15-3.fc38.x86_64.rpm",
            version="5.2.15-3.fc38",
            name="bash",
        )

    mend: Mend = start_emulator(_dataset(tmp_path, fedora))
    out = tmp_path / "out"
    result = run_cli("generate", "--org", "--out", out, env=mend.env())
    assert result.code == 0, result.stderr
    purls = {c.get("purl") for c in read_json(out / "Acme-Corp.cdx.json")["components"]}
    assert "pkg:rpm/fedora/bash@5.2.15-3.fc38?arch=x86_64&distro=fedora-38" in purls
