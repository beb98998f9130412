"""Package URLs for every Mend library type, in both of Mend's type vocabularies."""

from __future__ import annotations

from typing import Any

import pytest
from packageurl import PackageURL

from sbomgen.enrich.purl import PurlEnricher, pep503, purl_for
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
        "Maven, UNKNOWN_ARTIFACT with Java",
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
        "PyPI, license type",
        dict(language_type="Python", name="Zope.Interface", version="6.0"),
        "pkg:pypi/zope-interface@6.0",
    ),
    (
        "NuGet, DOT_NET_AS_GENERIC_RESOURCE",
        dict(
            type="DOT_NET_AS_GENERIC_RESOURCE",
            group_id="Newtonsoft.Json",
            artifact_id="newtonsoft.json.13.0.3.nupkg",
            version="13.0.3",
        ),
        "pkg:nuget/Newtonsoft.Json@13.0.3",
    ),
    (
        "NuGet, DOT_NET_RESOURCE",
        dict(type="DOT_NET_RESOURCE", name="Serilog", version="2.10.0"),
        "pkg:nuget/Serilog@2.10.0",
    ),
    (
        "NuGet, license type",
        dict(language_type=".NET", group_id="Polly", version="7.2.4"),
        "pkg:nuget/Polly@7.2.4",
    ),
    (
        "Go",
        dict(type="GO_PACKAGE", group_id="github.com/pkg", artifact_id="errors", version="v0.9.1"),
        "pkg:golang/github.com/pkg/errors@v0.9.1",
    ),
    (
        "Ruby",
        dict(language_type="Ruby", artifact_id="rails", version="7.0.4"),
        "pkg:gem/rails@7.0.4",
    ),
    (
        "Debian, hierarchy type",
        dict(type="DEBIAN_PACKAGE", artifact_id="libssl3", version="3.0.11-1~deb12u2"),
        "pkg:deb/debian/libssl3@3.0.11-1~deb12u2",
    ),
    (
        "Debian, license type",
        dict(language_type="Debian", name="zlib1g", version="1:1.2.13.dfsg-1"),
        "pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1",
    ),
    (
        "RPM",
        dict(type="RPM", name="openssl-libs", version="3.0.7-24.el9"),
        "pkg:rpm/openssl-libs@3.0.7-24.el9",
    ),
    (
        "RPM, license type",
        dict(language_type="RPM", artifact_id="bash", version="5.1.8-6"),
        "pkg:rpm/bash@5.1.8-6",
    ),
    (
        "Alpine",
        dict(language_type="Alpine", artifact_id="musl", version="1.2.4-r2"),
        "pkg:apk/alpine/musl@1.2.4-r2",
    ),
    (
        "Arch Linux",
        dict(language_type="Arch Linux", name="pacman", version="6.0.2-7"),
        "pkg:alpm/arch/pacman@6.0.2-7",
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
    (
        "Java jar matched by file name only",
        dict(
            type="MAVEN_ARTIFACT",
            artifact_id="comm-2.0.3.jar",
            name="comm-2.0.3.jar",
            version="2.0.3",
        ),
    ),
    ("Maven without version", dict(type="MAVEN_ARTIFACT", group_id="g", artifact_id="a")),
    (
        "npm with only a file name",
        dict(type="NODE_PACKAGED_MODULE", artifact_id="x-1.0.0.tgz", version="1.0.0"),
    ),
    (
        "Unknown Library without sha1",
        dict(language_type="Unknown Library", artifact_id="thing.dll", version="1"),
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
    ),
    ("an unmapped type", dict(type="COCOAPODS_THING", name="x", version="1")),
    ("no type at all", dict(name="x", version="1")),
    ("Go without a module path", dict(type="GO_PACKAGE", name="errors", version="v1")),
]


@pytest.mark.parametrize(("what", "fields", "expected"), CASES, ids=[c[0] for c in CASES])
def test_purl(what: str, fields: dict[str, Any], expected: str) -> None:
    purl, problem = purl_for(lib(**fields))
    assert (purl, problem) == (expected, None)
    assert PackageURL.from_string(purl).to_string() == purl  # canonical


@pytest.mark.parametrize(("what", "fields"), NO_PURL, ids=[c[0] for c in NO_PURL])
def test_no_purl_from_a_guess(what: str, fields: dict[str, Any]) -> None:
    purl, problem = purl_for(lib(**fields))
    assert purl is None
    assert problem


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


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("Jinja2", "jinja2"),
        ("typing_extensions", "typing-extensions"),
        ("zope.interface", "zope-interface"),
        ("A__b--c", "a-b-c"),
    ],
)
def test_pep503(raw: str, normalized: str) -> None:
    assert pep503(raw) == normalized
