"""Package URLs for every Mend library type, in both of Mend's type vocabularies."""

from __future__ import annotations

from typing import Any

import pytest

from sbomgen.enrich.purl import PurlEnricher, purl_counts, purl_for
from sbomgen.enrich.purl_spec import canonical
from sbomgen.model import Inventory, KeyUuid, Library, References

SHA1 = "5af35056b4d257e4b64b9e8069c0746e8b08629f"


def lib(**kw: Any) -> Library:
    return Library(key_uuid=KeyUuid("k"), **kw)


CASES = [
    # (description, library fields, expected purl)
    (
        "Maven, hierarchy type",
        dict(
            type="MAVEN_ARTIFACT", group_id="org.slf4j", artifact_id="slf4j-api", version="1.7.21"
        ),
        "pkg:maven/org.slf4j/slf4j-api@1.7.21",
    ),
    (
        "Maven, license type",
        dict(language_type="Java", group_id="log4j", artifact_id="log4j", version="1.2.17"),
        "pkg:maven/log4j/log4j@1.2.17",
    ),
    (
        "Maven, UNKNOWN_ARTIFACT with Java (the reference's hierarchy example)",
        dict(
            type="UNKNOWN_ARTIFACT",
            language_type="Java",
            group_id="com.typesafe",
            artifact_id="config",
            version="1.3.1",
        ),
        "pkg:maven/com.typesafe/config@1.3.1",
    ),
    (
        "Maven from coordinates when groupId/artifactId are missing",
        dict(type="MAVEN_ARTIFACT", coordinates="log4j:log4j:1.2.17"),
        "pkg:maven/log4j/log4j@1.2.17",
    ),
    (
        "npm, hierarchy type, tgz artifactId",
        dict(
            type="NODE_PACKAGED_MODULE",
            group_id="json-schema",
            artifact_id="json-schema-0.2.3.tgz",
            version="0.2.3",
        ),
        "pkg:npm/json-schema@0.2.3",
    ),
    (
        "npm, license type, scoped",
        dict(
            language_type="javascript/Node.js",
            group_id="@babel/runtime",
            artifact_id="runtime-7.22.5.tgz",
            name="@babel/runtime",
            version="7.22.5",
        ),
        "pkg:npm/%40babel/runtime@7.22.5",
    ),
    (
        "npm, name only",
        dict(
            type="NODE_PACKAGED_MODULE",
            name="lodash",
            artifact_id="lodash-4.17.20.tgz",
            version="4.17.20",
        ),
        "pkg:npm/lodash@4.17.20",
    ),
    (
        "PyPI, hierarchy type",
        dict(
            type="PYTHON_PACKAGE",
            group_id="charset_normalizer",
            artifact_id="charset_normalizer-3.4.2-py3-none-any.whl",
            version="3.4.2",
        ),
        "pkg:pypi/charset-normalizer@3.4.2",
    ),
    (
        "PyPI keeps dots (the purl type definition: lowercase, '_' -> '-')",
        dict(language_type="Python", group_id="Zope.Interface", version="6.0"),
        "pkg:pypi/zope.interface@6.0",
    ),
    (
        "NuGet package (Nuget: groupId = package name)",
        dict(
            type="NUGET_PACKAGE_MODULE",
            language_type="Nuget",
            group_id="Serilog",
            artifact_id="serilog.2.10.0.nupkg",
            version="2.10.0",
        ),
        "pkg:nuget/Serilog@2.10.0",
    ),
    (
        ".NET with a .nupkg file that names the package",
        dict(
            type="DOT_NET_AS_GENERIC_RESOURCE",
            group_id="Newtonsoft.Json",
            artifact_id="newtonsoft.json.13.0.3.nupkg",
            version="13.0.3",
        ),
        "pkg:nuget/Newtonsoft.Json@13.0.3",
    ),
    (
        ".NET DLL: the publisher in groupId, the .NET project name in artifactId",
        dict(
            type="DOT_NET_AS_GENERIC_RESOURCE",
            language_type=".NET",
            group_id="The Apache Software Foundation",
            artifact_id="log4net",
            filename="log4net.dll",
            version="2.0.15",
        ),
        "pkg:nuget/log4net@2.0.15",
    ),
    (
        ".NET DLL known by its file only: generic, by checksum",
        dict(
            type="DOT_NET_AS_GENERIC_RESOURCE",
            group_id="log4net",
            artifact_id="log4net-1.2.13.0.dll",
            version="1.2.13.0",
            sha1=SHA1,
        ),
        f"pkg:generic/log4net-1.2.13.0.dll@1.2.13.0?checksum=sha1:{SHA1}",
    ),
    (
        "Go: module path in groupId, the module archive in artifactId",
        dict(
            type="GO_PACKAGE",
            language_type="Go",
            group_id="github.com/gorilla/mux",
            artifact_id="mux-v1.8.0.zip",
            version="v1.8.0",
        ),
        "pkg:golang/github.com/gorilla/mux@v1.8.0",
    ),
    (
        "Go: the module path in both (Mend's API 3.0 shape)",
        dict(
            type="GO_PACKAGE",
            group_id="github.com/golang-jwt/jwt/v4",
            artifact_id="github.com/golang-jwt/jwt/v4",
            version="v4.4.2",
        ),
        "pkg:golang/github.com/golang-jwt/jwt/v4@v4.4.2",
    ),
    (
        "Go: a major-version suffix stays in the module path",
        dict(
            language_type="Go",
            group_id="github.com/go-redis/redis/v8",
            artifact_id="v8-v8.11.5.zip",
            version="v8.11.5",
        ),
        "pkg:golang/github.com/go-redis/redis/v8@v8.11.5",
    ),
    (
        "Go: gopkg.in states the major version as .vN",
        dict(
            type="GO_PACKAGE",
            group_id="gopkg.in/yaml.v3",
            artifact_id="yaml.v3-v3.0.1.zip",
            version="v3.0.1",
        ),
        "pkg:golang/gopkg.in/yaml.v3@v3.0.1",
    ),
    (
        "Go: a pseudo-version of a v0 module",
        dict(
            type="GO_PACKAGE",
            group_id="golang.org/x/sys",
            artifact_id="sys-v0.0.0-20220412211240-33da011f77ad.zip",
            version="v0.0.0-20220412211240-33da011f77ad",
        ),
        "pkg:golang/golang.org/x/sys@v0.0.0-20220412211240-33da011f77ad",
    ),
    (
        "Go: +incompatible is part of the version",
        dict(
            type="GO_PACKAGE",
            group_id="github.com/docker/docker",
            artifact_id="docker-v20.10.7+incompatible.zip",
            version="v20.10.7+incompatible",
        ),
        "pkg:golang/github.com/docker/docker@v20.10.7%2Bincompatible",
    ),
    (
        "Go: the owner in groupId, the module path in artifactId",
        dict(
            type="GO_PACKAGE",
            group_id="gorilla",
            artifact_id="github.com/gorilla/mux",
            version="v1.8.0",
        ),
        "pkg:golang/github.com/gorilla/mux@v1.8.0",
    ),
    (
        "Ruby gem, groupId = package name",
        dict(language_type="Ruby", group_id="rack", artifact_id="rack-2.2.3.gem", version="2.2.3"),
        "pkg:gem/rack@2.2.3",
    ),
    (
        "Ruby gem with a platform in its file name",
        dict(
            language_type="Ruby",
            group_id="nokogiri",
            artifact_id="nokogiri-1.13.10-x86_64-linux.gem",
            version="1.13.10",
        ),
        "pkg:gem/nokogiri@1.13.10?platform=x86_64-linux",
    ),
    (
        "Debian with an arch in its file name",
        dict(
            language_type="Debian",
            group_id="libc6",
            artifact_id="libc6_2.36-9+deb12u4_amd64.deb",
            version="2.36-9+deb12u4",
        ),
        "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12",
    ),
    (
        "Debian with an epoch (%3a in the file name)",
        dict(
            language_type="Debian",
            group_id="zlib1g",
            artifact_id="zlib1g_1%3a1.2.13.dfsg-1_amd64.deb",
            version="1:1.2.13.dfsg-1",
        ),
        "pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1?arch=amd64",
    ),
    (
        "Ubuntu's build of a deb",
        dict(language_type="Debian", group_id="libc6", version="2.35-0ubuntu3.8"),
        "pkg:deb/ubuntu/libc6@2.35-0ubuntu3.8",
    ),
    (
        "RPM from Fedora: vendor, arch and distro are stated",
        dict(
            type="REDHAT_PACKAGE_MODULE",
            language_type="RPM",
            group_id="curl",
            artifact_id="curl-7.50.3-1.fc25.i686.rpm",
            version="7.50.3-1.fc25",
        ),
        "pkg:rpm/fedora/curl@7.50.3-1.fc25?arch=i686&distro=fedora-25",
    ),
    (
        "Alpine: a name that needs percent-encoding",
        dict(
            language_type="Alpine",
            group_id="libstdc++",
            artifact_id="libstdc++-12.2.1_git20220924-r4.apk",
            version="12.2.1_git20220924-r4",
        ),
        "pkg:apk/alpine/libstdc%2B%2B@12.2.1_git20220924-r4",
    ),
    (
        "Arch Linux with an arch in its file name",
        dict(
            language_type="Arch Linux",
            group_id="pacman",
            artifact_id="pacman-6.0.2-7-x86_64.pkg.tar.zst",
            version="6.0.2-7",
        ),
        "pkg:alpm/arch/pacman@6.0.2-7?arch=x86_64",
    ),
    (
        "Bower: groupId is the owner, artifactId the package name",
        dict(
            language_type="javascript/Bower",
            group_id="twbs",
            artifact_id="bootstrap",
            version="3.4.1",
        ),
        "pkg:bower/bootstrap@3.4.1",
    ),
    (
        "Source Library on GitHub",
        dict(
            type="SOURCE_LIBRARY",
            language_type="Source Library",
            group_id="madler",
            artifact_id="zlib",
            version="v1.2.13",
            references=References(scm="https://github.com/madler/zlib"),
        ),
        "pkg:github/madler/zlib@v1.2.13",
    ),
    (
        "Source Library with sha1",
        dict(language_type="Source Library", artifact_id="libfoo", version="1.0", sha1=SHA1),
        f"pkg:generic/libfoo@1.0?checksum=sha1:{SHA1}",
    ),
    (
        "a Java archive outside Maven (JAVA_ARCHIVE)",
        dict(
            type="JAVA_ARCHIVE",
            group_id="commons-codec-1.6",
            artifact_id="commons-codec-1.6.jar",
            version="1.6",
            sha1=SHA1,
        ),
        f"pkg:generic/commons-codec-1.6.jar@1.6?checksum=sha1:{SHA1}",
    ),
    (
        "Unknown Library with sha1",
        dict(language_type="Unknown Library", artifact_id="comm-2.0.3.jar", sha1=SHA1.upper()),
        f"pkg:generic/comm-2.0.3.jar?checksum=sha1:{SHA1}",
    ),
    (
        "UNKNOWN_ARTIFACT with sha1",
        dict(type="UNKNOWN_ARTIFACT", filename="blob.bin", sha1=SHA1, version="2"),
        f"pkg:generic/blob.bin@2?checksum=sha1:{SHA1}",
    ),
]

NO_PURL = [
    # (description, library fields, the reason must say)
    (
        "Go: a v2+ version on a path without /vN",
        dict(
            type="GO_PACKAGE",
            group_id="github.com/go-redis/redis",
            artifact_id="redis-v8.11.5.zip",
            version="v8.11.5",
        ),
        "Go module paths at v2 or more end in /v8",
    ),
    (
        "Go: gopkg.in .vN not matching the version",
        dict(
            type="GO_PACKAGE",
            group_id="gopkg.in/yaml.v2",
            artifact_id="yaml.v2-v3.0.1.zip",
            version="v3.0.1",
        ),
        "end in /v3",
    ),
    (
        "Go: a /vN path with a v1 version",
        dict(
            type="GO_PACKAGE",
            group_id="github.com/golang-jwt/jwt/v4",
            artifact_id="github.com/golang-jwt/jwt/v4",
            version="v1.0.0",
        ),
        "holds v4 versions",
    ),
    (
        "Java jar matched by file name only",
        dict(
            type="MAVEN_ARTIFACT",
            artifact_id="comm-2.0.3.jar",
            name="comm-2.0.3.jar",
            version="2.0.3",
        ),
        "no Maven groupId/artifactId",
    ),
    (
        "Maven without version",
        dict(type="MAVEN_ARTIFACT", group_id="g", artifact_id="a"),
        "no version",
    ),
    (
        "npm with only a file name",
        dict(type="NODE_PACKAGED_MODULE", artifact_id="x-1.0.0.tgz", version="1.0.0"),
        "no npm package name",
    ),
    (
        "Unknown Library without sha1",
        dict(language_type="Unknown Library", artifact_id="thing.dll", version="1"),
        "no sha1",
    ),
    (
        "Source Library without repo or sha1",
        dict(
            type="SOURCE_LIBRARY",
            group_id="acme",
            artifact_id="vendored",
            version="1",
            references=References(scm="https://git.acme.example/vendored"),
        ),
        "without a GitHub repository",
    ),
    (
        "GitHub URL that does not match the coordinates",
        dict(
            type="SOURCE_LIBRARY",
            group_id="other",
            artifact_id="zlib",
            version="1",
            references=References(scm="https://github.com/madler/zlib"),
        ),
        "without a GitHub repository",
    ),
    ("an unmapped type", dict(type="COCOAPODS_THING", name="x", version="1"), "no purl mapping"),
    ("no type at all", dict(name="x", version="1"), "no purl mapping"),
    (
        "a Go groupId that is not a module path",
        dict(type="GO_PACKAGE", group_id="mux", artifact_id="mux-v1.8.0.zip", version="v1.8.0"),
        "is not a module path",
    ),
    (
        "Go coordinates naming two modules",
        dict(
            type="GO_PACKAGE",
            group_id="github.com/gorilla/mux",
            artifact_id="github.com/gorilla/handlers",
            version="v1.8.0",
        ),
        "name different modules",
    ),
    (
        "a .NET DLL with only its publisher",
        dict(
            type="DOT_NET_AS_GENERIC_RESOURCE",
            group_id="The Apache Software Foundation",
            version="2.0.15",
        ),
        "only the owner",
    ),
    (
        "a .NET DLL file without a checksum",
        dict(
            language_type=".NET",
            group_id="log4net",
            artifact_id="log4net-1.2.13.0.dll",
            version="1",
        ),
        "known by its file only",
    ),
    (
        "an RPM whose vendor is not stated",
        dict(
            type="REDHAT_PACKAGE_MODULE",
            group_id="openssl-libs",
            artifact_id="openssl-libs-1.1.1k-7.el8_6.x86_64.rpm",
            version="1.1.1k-7.el8_6",
        ),
        "release '7.el8_6' names no single vendor",
    ),
    (
        "Bower with only an owner",
        dict(language_type="javascript/Bower", group_id="twbs", version="3.4.1"),
        "no Bower package name",
    ),
]


@pytest.mark.parametrize(("what", "fields", "expected"), CASES, ids=[c[0] for c in CASES])
def test_purl(what: str, fields: dict[str, Any], expected: str) -> None:
    purl, problem = purl_for(lib(**fields))
    assert (purl, problem) == (expected, None)
    assert canonical(purl) == purl  # the specification's canonical form


@pytest.mark.parametrize(("what", "fields", "why"), NO_PURL, ids=[c[0] for c in NO_PURL])
def test_no_purl_from_a_guess(what: str, fields: dict[str, Any], why: str) -> None:
    purl, problem = purl_for(lib(**fields))
    assert purl is None
    assert problem and why in problem


def test_enricher_counts_missing_purls() -> None:
    libs = {
        KeyUuid("a"): Library(
            key_uuid=KeyUuid("a"), type="MAVEN_ARTIFACT", group_id="g", artifact_id="a", version="1"
        ),
        KeyUuid("b"): Library(
            key_uuid=KeyUuid("b"), type="MAVEN_ARTIFACT", artifact_id="b.jar", version="1"
        ),
    }
    out = PurlEnricher().enrich(Inventory(libraries=libs))
    assert out.libraries[KeyUuid("a")].purl == "pkg:maven/g/a@1"
    assert out.libraries[KeyUuid("b")].purl is None
    assert [f.kind for f in out.findings] == ["purl-missing"]


def test_counts_per_mend_type_say_why_purls_are_missing() -> None:
    libs = {
        KeyUuid(k): Library(key_uuid=KeyUuid(k), **f)
        for k, f in {
            "a": dict(type="GO_PACKAGE", group_id="github.com/x/y", version="v1"),
            "b": dict(type="GO_PACKAGE", group_id="y", version="v1"),
            "c": dict(type="GO_PACKAGE", group_id="z", version="v2"),
        }.items()
    }
    counts = purl_counts(PurlEnricher().enrich(Inventory(libraries=libs)))
    assert [(c.mend_type, c.built, c.missing) for c in counts] == [("GO_PACKAGE", 1, 2)]
    assert counts[0].reasons == {"Go groupId … is not a module path": 2}


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        # Ubuntu's builds, including its no-change rebuilds
        (
            dict(language_type="Debian", group_id="bash", version="5.1-6build1"),
            "pkg:deb/ubuntu/bash@5.1-6build1",
        ),
        # Maven coordinates with packaging and classifier
        (dict(type="MAVEN_ARTIFACT", coordinates="g:a:pom:1.0"), "pkg:maven/g/a@1.0?type=pom"),
        (
            dict(type="MAVEN_ARTIFACT", coordinates="g:a:jar:sources:1.0"),
            "pkg:maven/g/a@1.0?classifier=sources",
        ),
        # an RPM epoch is a qualifier (purl-spec's rpm type)
        (
            dict(
                type="REDHAT_PACKAGE_MODULE",
                group_id="curl",
                artifact_id="curl-7.50.3-1.fc25.x86_64.rpm",
                version="1:7.50.3-1.fc25",
            ),
            "pkg:rpm/fedora/curl@7.50.3-1.fc25?arch=x86_64&distro=fedora-25&epoch=1",
        ),
        # a Go module on its own domain, with a path
        (
            dict(language_type="Go", group_id="gopkg.in/yaml.v3", version="v3.0.1"),
            "pkg:golang/gopkg.in/yaml.v3@v3.0.1",
        ),
    ],
)
def test_review_cases(fields: dict[str, Any], expected: str) -> None:
    assert purl_for(lib(**fields)) == (expected, None)


@pytest.mark.parametrize(
    ("fields", "why"),
    [
        (dict(language_type="Debian", group_id="x", version="1.0-1+kali1"), "Debian derivative"),
        (
            dict(language_type="Go", group_id="github.com/gorilla", version="v1"),
            "not a module path",
        ),
        (dict(language_type="Go", group_id="go.opencensus.io", version="v0.24.0"), "one element"),
        (
            dict(
                language_type=".NET",
                group_id="Apache",
                artifact_id="log4net-2.0.15",
                version="2.0.15",
            ),
            "holds the version",
        ),
        (
            dict(
                language_type="javascript/Bower",
                group_id="jquery",
                artifact_id="jquery-3.4.1",
                version="3.4.1",
            ),
            "no Bower package name",
        ),
    ],
)
def test_review_cases_without_purl(fields: dict[str, Any], why: str) -> None:
    purl, problem = purl_for(lib(**fields))
    assert purl is None and problem and why in problem


def test_a_deb_arch_must_look_like_one() -> None:
    purl, _ = purl_for(
        lib(language_type="Debian", group_id="a", artifact_id="a_1.0_AMD 64.deb", version="1.0")
    )
    assert purl == "pkg:deb/debian/a@1.0"
