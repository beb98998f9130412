"""``sbomgen validate --profile``: conformance profiles judged on real documents.

The sample is generated the way a release would (``--version`` and a config file naming
the supplier, authors, license and copyright), then judged by the real CLI. The tests pin
the exact set of what is still missing, and who could fill it: ``producer`` where sbomgen
or its configuration could, ``source`` where Mend does not have the fact.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import SAMPLE_RELEASE, SAMPLE_SNAPSHOT, CliResult, run_cli
from release import CONFIG, generate_release

from sbomgen.gates.profiles import PROFILES, check
from sbomgen.model import Inventory


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_release(
        tmp_path_factory.mktemp("release"), "spdx-json,spdx-tv,cyclonedx-json,spdx3-json"
    )


SCHEMA = json.loads(
    (Path(__file__).parents[2] / "sbomgen/schemas/sbomgen-validation-1.schema.json").read_text()
)


def _judge(*args: str | Path) -> tuple[CliResult, dict[str, Any]]:
    import jsonschema_rs

    result = run_cli("validate", "--format", "json", *args)
    report = json.loads(result.stdout)
    jsonschema_rs.validator_for(SCHEMA).validate(report)  # the documented shape
    return result, report


def _unmet(report: dict[str, Any], profile: str) -> dict[tuple[str, str], int]:
    (entry,) = report["files"]
    (judged,) = [p for p in entry["profiles"] if p["profile"] == profile]
    return {
        (r["element"], r["cause"]): len(r["missing"])
        for r in judged["requirements"]
        if not r["met"]
    }


# what the sample still lacks: Mend knows no supplier (no copyright author they all agree
# on), copyright or license of some third-party libraries (source)
NTIA_SPDX = {
    ("Supplier Name", "source"): 19,
    ("Concluded License", "source"): 2,
    ("Copyright Text", "source"): 14,
}


def test_ntia_on_spdx_is_judged_by_ntia_conformance_checker(release: Path) -> None:
    result, report = _judge("--profile", "ntia", release / "Acme-Corp.spdx.json")
    assert result.code == 1, result.stderr
    assert "1 profile check not met" in result.stderr
    (entry,) = report["files"]
    assert entry["status"] == "valid"  # schema-valid, yet not conformant
    (judged,) = entry["profiles"]
    assert judged["checker"].startswith("ntia-conformance-checker 6.")
    assert _unmet(report, "ntia") == NTIA_SPDX
    suppliers = next(
        r for r in judged["requirements"] if r["element"] == "Supplier Name" and not r["met"]
    )
    assert "certifi" in suppliers["missing"] and "Acme Storefront" not in suppliers["missing"]


def test_the_same_judge_reads_tag_value(release: Path) -> None:
    _result, report = _judge("--profile", "ntia", release / "Acme-Corp.spdx")
    assert _unmet(report, "ntia") == NTIA_SPDX


def test_cisa_2025_names_each_element_and_cause(release: Path) -> None:
    result, report = _judge("--profile", "cisa-2025", release / "Acme-Corp.cdx.json")
    assert result.code == 1
    assert _unmet(report, "cisa-2025") == {
        ("Software Producer", "source"): 14,
        ("Software Identifiers", "producer"): 14,
        ("Software Identifiers", "source"): 1,
        ("Component Hash", "producer"): 15,  # products, projects, the in-house library
        ("Component Hash", "source"): 29,
        ("License", "source"): 1,
    }


def test_telco_asks_for_spdx_2_3_and_reads_creators(release: Path) -> None:
    _result, spdx = _judge("--profile", "telco", release / "Acme-Corp.spdx.json")
    unmet = _unmet(spdx, "telco")
    assert ("Creator: Organization", "producer") not in unmet  # the configured supplier
    assert ("CreatorComment", "producer") not in unmet  # the generation context
    assert ("PackageSupplier", "source") in unmet
    _result, cdx = _judge("--profile", "telco", release / "Acme-Corp.cdx.json")
    assert ("SPDX 2.3", "producer") in _unmet(cdx, "telco")


def test_text_output_says_who_can_fill_what(release: Path) -> None:
    result = run_cli("validate", "--profile", "ntia", release / "Acme-Corp.spdx.json")
    assert result.code == 1
    assert "profile ntia: NOT MET" in result.stdout
    assert "missing Supplier Name on 19: " in result.stdout
    # with --version and the config file, what NTIA still misses is Mend's alone
    assert "the data source lacks it" in result.stdout
    assert "the producer can fill it" not in result.stdout
    result = run_cli("validate", "--profile", "cisa-2025", release / "Acme-Corp.spdx.json")
    assert "missing Component Hash on 15: Acme Corp, " in result.stdout
    assert "Generation Context" not in result.stdout  # the creator comment says it


def test_a_document_that_meets_a_profile_exits_0(tmp_path: Path) -> None:
    """A minimal SPDX 2.3 document with every NTIA element passes: the check can pass."""
    doc = {
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": "complete",
        "documentNamespace": "https://example.org/spdx/complete-1",
        "creationInfo": {"created": "2026-01-01T00:00:00Z", "creators": ["Organization: Ex"]},
        "packages": [
            {
                "SPDXID": "SPDXRef-a",
                "name": "a",
                "versionInfo": "1.0",
                "supplier": "Organization: Ex",
                "downloadLocation": "NOASSERTION",
                "filesAnalyzed": False,
                "licenseConcluded": "MIT",
                "copyrightText": "Copyright Ex",
                "externalRefs": [
                    {
                        "referenceCategory": "PACKAGE-MANAGER",
                        "referenceType": "purl",
                        "referenceLocator": "pkg:pypi/a@1.0",
                    }
                ],
            }
        ],
        "relationships": [
            {
                "spdxElementId": "SPDXRef-DOCUMENT",
                "relationshipType": "DESCRIBES",
                "relatedSpdxElement": "SPDXRef-a",
            }
        ],
    }
    path = tmp_path / "complete.spdx.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    result, report = _judge("--profile", "ntia", path)
    assert result.code == 0, result.stdout + result.stderr
    assert report["files"][0]["profiles"][0]["passed"] is True
    _facts, judged = check(path, ["cisa-2025"])
    # no hash, no tool, no generation context: a different document for another profile
    assert {r.element for r in judged[0].requirements if not r.met} == {
        "Component Hash",
        "Tool Name",
        "Generation Context",
    }


def test_every_profile_runs_on_both_standards(release: Path) -> None:
    for name in ("Acme-Corp.spdx.json", "Acme-Corp.cdx.json"):
        facts, results = check(release / name, PROFILES)
        assert facts.by_sbomgen
        assert [r.profile for r in results] == list(PROFILES)
        for r in results:
            assert r.requirements and all(r.reference for r in r.requirements)


def test_generate_warns_per_profile_and_counts_the_known_unknowns(tmp_path: Path) -> None:
    (tmp_path / "sbomgen.toml").write_text(CONFIG, encoding="utf-8")
    out = tmp_path / "out"
    args = ["--config", tmp_path / "sbomgen.toml", "generate", "--snapshot", SAMPLE_SNAPSHOT]
    args += ["--format", "spdx-json", "--version", "2.4.0", "--out", out]
    result = run_cli(*args, "--profile", "ntia")
    assert result.code == 0, result.stderr
    assert (
        "profile ntia: Acme-Corp.spdx.json misses Supplier Name on 19 (data source); "
        "Concluded License on 2 (data source); Copyright Text on 14 (data source)"
    ) in result.stderr
    assert "known unknowns (data Mend does not have): 19 suppliers, 30 hashes" in result.stderr
    assert (out / "Acme-Corp.spdx.json").exists()


def test_require_profile_writes_nothing_and_names_what_is_missing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_cli(
        "generate", "--snapshot", SAMPLE_SNAPSHOT, "--format", "spdx-json,cyclonedx-json",
        "--require-profile", "ntia", "--out", out,
    )  # fmt: skip
    assert result.code == 1
    assert "--require-profile: nothing was written" in result.stderr
    assert "Supplier Name on 19 (data source)" in result.stderr
    # without --version and a configured supplier, the organization's own facts are missing
    # too: its products, projects and its in-house library (15)
    assert "Version of the Component on 14 (producer)" in result.stderr
    assert "Supplier Name on 15 (producer)" in result.stderr
    assert not out.exists() or not any(out.iterdir())
    assert "Traceback" not in result.stderr


def test_fsct3_and_bsi_read_spdx_3(release: Path) -> None:
    """ntia-conformance-checker reads SPDX 3 for FSCT3 (which asks for the SBOM type, only
    SPDX 3 has it) and BSI TR-03183-2: FSCT3 misses only what Mend lacks."""
    result, report = _judge(
        "--profile", "fsct3", "--profile", "bsi", release / "Acme-Corp.spdx3.json"
    )
    assert result.code == 1
    assert _unmet(report, "fsct3") == NTIA_SPDX
    (entry,) = report["files"]
    (bsi,) = [p for p in entry["profiles"] if p["profile"] == "bsi"]
    required = {
        (r["element"], r["cause"]) for r in bsi["requirements"] if not r["met"] and r["required"]
    }
    assert required == {
        ("Supplier Name", "source"),
        ("Concluded License", "source"),
        ("Copyright Text", "source"),
        ("creator", "producer"),  # BSI wants an e-mail or URL for the SBOM's creator
        ("component creators", "producer"),
        ("component creators", "source"),
        ("component filenames", "producer"),  # the organization's own have no file
        ("component structured prop", "producer"),
        ("component structured prop", "source"),
        ("component sha512 hashes", "producer"),
        ("component sha512 hashes", "source"),  # Mend has SHA-1 only
    }
    recommended = [r for r in bsi["requirements"] if not r["required"]]
    assert recommended and "missing component deployable uris" not in result.stdout


def test_a_supplier_contact_makes_the_creator_reachable(tmp_path: Path) -> None:
    out = generate_release(
        tmp_path, "spdx-json,spdx3-json", config='supplier-contact = "sbom@acme.example"\n'
    )
    spdx2 = json.loads((out / "Acme-Corp.spdx.json").read_text(encoding="utf-8"))
    assert "Organization: Acme Corp (sbom@acme.example)" in spdx2["creationInfo"]["creators"]
    _result, report = _judge("--profile", "bsi", out / "Acme-Corp.spdx3.json")
    unmet = _unmet(report, "bsi")
    assert ("creator", "producer") not in unmet  # BSI's creator check passes
    # the organization's own products, projects and in-house code come from the supplier,
    # who is now reachable: no component creator is the producer's to fill any more
    assert ("component creators", "producer") not in unmet
    assert ("component creators", "source") in unmet  # third-party authors Mend names
    assert ("Supplier Name", "source") in unmet


def test_a_supplier_contact_that_is_no_address_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "sbomgen.toml").write_text(
        CONFIG + 'supplier-contact = "call Bob"\n', encoding="utf-8"
    )
    result = run_cli(
        "--config", tmp_path / "sbomgen.toml", "generate", "--snapshot", SAMPLE_SNAPSHOT,
        "--out", tmp_path / "out",
    )  # fmt: skip
    assert result.code == 3
    assert "supplier-contact 'call Bob' is neither an e-mail address nor an http(s) URL" in (
        result.stderr
    )
    assert not (tmp_path / "out").exists()


def test_versions_table_gives_products_and_projects_their_own(tmp_path: Path) -> None:
    (tmp_path / "sbomgen.toml").write_text(
        CONFIG + '[versions]\n"storefront-api" = "3.1.0"\n"no-such-project" = "1.0"\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = run_cli(
        "--config", tmp_path / "sbomgen.toml", "generate", "--snapshot", SAMPLE_SNAPSHOT,
        "--format", "spdx-json,cyclonedx-json", "--version", "2.4.0", "--out", out,
    )  # fmt: skip
    assert result.code == 0, result.stderr
    assert "[versions]: no product or project named 'no-such-project'" in result.stderr
    spdx = json.loads((out / "Acme-Corp.spdx.json").read_text(encoding="utf-8"))
    versions = {p["name"]: p.get("versionInfo") for p in spdx["packages"]}
    assert versions["storefront-api"] == "3.1.0" and versions["storefront-web"] == "2.4.0"
    cdx = json.loads((out / "Acme-Corp.cdx.json").read_text(encoding="utf-8"))
    assert {c["name"]: c.get("version") for c in cdx["components"]}["storefront-api"] == "3.1.0"


def test_a_versions_table_of_the_wrong_shape_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "sbomgen.toml").write_text('[versions]\n"storefront-api" = 3\n', encoding="utf-8")
    result = run_cli(
        "--config", tmp_path / "sbomgen.toml", "generate", "--snapshot", SAMPLE_SNAPSHOT,
        "--out", tmp_path / "out",
    )  # fmt: skip
    assert result.code == 3
    assert "[versions] maps a product's or project's name to its version" in result.stderr


def test_cisa_and_telco_read_spdx_3_as_they_read_spdx_2(release: Path) -> None:
    """sbomgen's own rules read SPDX 3 for the same facts: the same verdicts, element by
    element and component count, as on the SPDX 2.3 document of the same run; the Telco
    guide asks for SPDX 2.3 itself, and says so."""
    for profile in ("cisa-2025", "telco"):
        _r3, spdx3 = _judge("--profile", profile, release / "Acme-Corp.spdx3.json")
        _r2, spdx2 = _judge("--profile", profile, release / "Acme-Corp.spdx.json")
        three, two = _unmet(spdx3, profile), _unmet(spdx2, profile)
        if profile == "telco":
            assert three.pop(("SPDX 2.3", "producer")) == 0
        assert three == two, profile
    assert _unmet(spdx2, "telco")  # the guide's own gaps remain (suppliers, checksums …)


def test_bsi_on_cyclonedx_with_the_releases_facts_fails_only_for_data_mend_lacks(
    tmp_path: Path, sample: Inventory
) -> None:
    """BSI TR-03183-2 on CycloneDX 1.6 (sbomgen's rules from section 5.2 and BSI's
    bsi:component:* properties): with the release's own facts configured, nothing is
    missing on the SBOM, the root, the products or the projects; what fails is the
    libraries' creators' contacts, SHA-512, file kinds (Mend has none of them) and a
    distribution licence where Mend concludes none."""
    # the sample release's config (samples/acme-release.toml), beside its license text
    shutil.copy(SAMPLE_RELEASE.with_name("acme-license.txt"), tmp_path)
    out = generate_release(
        tmp_path, "cyclonedx-json", base=SAMPLE_RELEASE.read_text(encoding="utf-8")
    )
    facts, [bsi, ntia] = check(out / "Acme-Corp.cdx.json", ["bsi", "ntia"])
    assert bsi.checker == "sbomgen rules (BSI TR-03183-2)"
    release_names = (
        {"Acme Corp"}
        | {p.name for p in sample.products.values()}
        | {p.name for p in sample.projects.values()}
    )
    in_house = {c.name for c in facts.components if c.own} - release_names
    unmet = [r for r in bsi.requirements if not r.met]
    assert all(r.missing for r in unmet)  # every document-level element is met
    for r in unmet:
        assert not set(r.missing) & release_names, r.element
        assert r.cause == ("producer" if set(r.missing) <= in_house else "source"), r
    assert {r.element for r in unmet if r.required} == {
        "Component creator (e-mail or URL)",
        "Distribution licences",
        "Hash value of the deployable component (SHA-512)",
        "Executable property",
        "Archive property",
        "Structured property",
    }
    libraries = {c.name for c in facts.components if c.name not in release_names}
    sha512 = next(r for r in unmet if r.element.startswith("Hash value") and r.cause == "source")
    assert set(sha512.missing) == libraries - in_house
    # the NTIA elements on the same document: only suppliers and the one purl Mend lacks
    assert {(r.element, len(r.missing)) for r in ntia.requirements if not r.met} == {
        ("Supplier Name", 19),
        ("Other Unique Identifiers", 1),
    }
