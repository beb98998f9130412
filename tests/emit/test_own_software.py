"""What the release knows of its own software ([files], [identifiers], supplier-contact):
stated in every format on the root, the products and the projects, checked by each
format's validator, and refused with a clear message when the configuration is wrong."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from conftest import SAMPLE_SNAPSHOT, clean_env, run_cli

from sbomgen.emit.factory import SpdxSet
from sbomgen.emit.interface import DocumentMeta
from sbomgen.model import Inventory

SHA512 = hashlib.sha512(b"storefront").hexdigest()
CONFIG = f"""
name = "Acme Corp"
version = "2.4.0"
supplier = "Acme Corp"
supplier-contact = "sbom@acme.example"

[files]
"Acme Corp" = {{ name = "acme-corp-2.4.0.tar.gz", sha512 = "{SHA512}", archive = true, structured = true, url = "https://downloads.acme.example/acme-corp-2.4.0.tar.gz" }}
"storefront-api" = "storefront-api-3.1.0.jar"

[identifiers]
"Acme Corp" = ["pkg:generic/acme/acme-corp@2.4.0", "cpe:2.3:a:acme:acme_corp:2.4.0:*:*:*:*:*:*:*"]
"storefront-api" = "pkg:maven/com.acme/storefront-api@3.1.0"
"""


@pytest.mark.parametrize("version", ["2.2", "2.3"])
def test_spdx2_states_the_file_checksum_and_identifiers_in_every_format(
    sample: Inventory, released: DocumentMeta, version: str
) -> None:
    files = SpdxSet(["json", "yaml", "xml", "tv", "rdf"], version).render(sample, released)
    data = json.loads(files["Acme-Corp.spdx.json"])
    by_name = {p["name"]: p for p in data["packages"]}
    for name, file in released.files.items():
        package = by_name[name]
        assert package["packageFileName"] == file.name
        assert {"algorithm": "SHA512", "checksumValue": file.sha512} in package["checksums"]
        assert package["downloadLocation"] == file.url
        refs = {  # SPDX 2.2's JSON writes PACKAGE_MANAGER, 2.3's PACKAGE-MANAGER
            (r["referenceCategory"].replace("_", "-"), r["referenceType"], r["referenceLocator"])
            for r in package["externalRefs"]
        }
        assert ("PACKAGE-MANAGER", "purl", released.identifiers[name][0]) in refs
    root = {
        (r["referenceType"], r["referenceLocator"]) for r in by_name["Acme Corp"]["externalRefs"]
    }
    assert ("cpe23Type", "cpe:2.3:a:acme:acme_corp:2.4.0:*:*:*:*:*:*:*") in root
    tv = files["Acme-Corp.spdx"].decode("utf-8")
    assert "PackageFileName: storefront-api-2.4.0.jar" in tv
    assert "ExternalRef: SECURITY cpe23Type cpe:2.3:a:acme:acme_corp:2.4.0" in tv


def test_generate_takes_them_from_the_config_file(tmp_path: Path) -> None:
    (tmp_path / "sbomgen.toml").write_text(CONFIG, encoding="utf-8")
    env = clean_env()
    env["SOURCE_DATE_EPOCH"] = "1767225600"
    result = run_cli(
        "generate",
        "--snapshot",
        SAMPLE_SNAPSHOT,
        "--format",
        "cyclonedx-json,spdx-json,spdx3-json",
        "--out",
        tmp_path / "out",
        env=env,
        cwd=tmp_path,
    )
    assert result.code == 0, result.stderr
    out = tmp_path / "out"
    cdx = json.loads((out / "Acme-Corp.cdx.json").read_text(encoding="utf-8"))
    root = cdx["metadata"]["component"]
    assert root["purl"] == "pkg:generic/acme/acme-corp@2.4.0"
    assert root["cpe"] == "cpe:2.3:a:acme:acme_corp:2.4.0:*:*:*:*:*:*:*"
    assert root["hashes"] == [{"alg": "SHA-512", "content": SHA512}]
    assert root["externalReferences"] == [
        {"type": "distribution", "url": "https://downloads.acme.example/acme-corp-2.4.0.tar.gz"}
    ]
    assert {"name": "bsi:component:filename", "value": "acme-corp-2.4.0.tar.gz"} in root[
        "properties"
    ]
    api = next(c for c in cdx["components"] if c["name"] == "storefront-api")
    assert api["purl"] == "pkg:maven/com.acme/storefront-api@3.1.0"
    assert {"name": "bsi:component:filename", "value": "storefront-api-3.1.0.jar"} in api[
        "properties"
    ]
    spdx = json.loads((out / "Acme-Corp.spdx.json").read_text(encoding="utf-8"))
    api2 = next(p for p in spdx["packages"] if p["name"] == "storefront-api")
    assert api2["packageFileName"] == "storefront-api-3.1.0.jar"
    graph = json.loads((out / "Acme-Corp.spdx3.json").read_text(encoding="utf-8"))["@graph"]
    file = next(e for e in graph if e.get("name") == "acme-corp-2.4.0.tar.gz")
    assert file["type"] == "software_File"
    assert file["verifiedUsing"][0]["hashValue"] == SHA512
    assert sorted(file["software_additionalPurpose"]) == ["archive", "container"]
    # the products and projects without an entry are as before: no file, no identifier
    payments = next(c for c in cdx["components"] if c["name"] == "payments-gateway")
    assert "purl" not in payments and "cpe" not in payments


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('[files]\n"Acme Corp" = "dist/acme.tar.gz"', "is a path; give the file's name only"),
        ('[files]\n"Acme Corp" = { sha512 = "00" }', "needs the file's name"),
        (
            '[files]\n"Acme Corp" = { name = "a.tgz", sha512 = "abc" }',
            "sha512 should be 128 hexadecimal digits",
        ),
        ('[files]\n"Acme Corp" = { name = "a.tgz", signed = true }', "unknown key 'signed'"),
        ('[files]\n"Acme Corp" = { name = "a.tgz", archive = "yes" }', "archive should be true"),
        (
            '[files]\n"Acme Corp" = { name = "a.tgz", url = "ftp://x/a.tgz" }',
            "url should be an http(s)",
        ),
        ('[identifiers]\n"Acme Corp" = "acme-corp"', "neither a Package URL"),
        ('[identifiers]\n"Acme Corp" = "pkg:acme"', "is not a valid Package URL"),
        ('[identifiers]\n"Acme Corp" = []', "should be a Package URL or CPE"),
    ],
)
def test_a_wrong_entry_is_refused_before_any_work(tmp_path: Path, table: str, message: str) -> None:
    (tmp_path / "sbomgen.toml").write_text(table + "\n", encoding="utf-8")
    result = run_cli(
        "generate", "--snapshot", SAMPLE_SNAPSHOT, "--out", tmp_path / "out", cwd=tmp_path
    )
    assert result.code == 3, result.stderr  # a configuration error (README: exit codes)
    assert message in result.stderr
    assert "sbomgen.toml" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_name_the_scope_lacks_is_warned_about(tmp_path: Path) -> None:
    (tmp_path / "sbomgen.toml").write_text(
        '[identifiers]\n"no-such-project" = "pkg:generic/acme/x@1"\n', encoding="utf-8"
    )
    result = run_cli(
        "generate", "--snapshot", SAMPLE_SNAPSHOT, "--out", tmp_path / "out", cwd=tmp_path
    )
    assert result.code == 0, result.stderr
    assert "[identifiers]: nothing named 'no-such-project' in the scope" in result.stderr
