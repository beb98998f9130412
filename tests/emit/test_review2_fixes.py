"""Regression tests for defects a second review demonstrated in enrichment and emitters."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import MINI_DATASET, SAMPLE_SNAPSHOT, clean_env, read_json, run_cli

from sbomgen.emit import CycloneDx, SpdxSet
from sbomgen.emit.attribution import Attribution, AttributionOptions, build_context
from sbomgen.emit.interface import DocumentMeta
from sbomgen.enrich.licenses import LicenseNormalizer, LicensePolicy
from sbomgen.enrich.purl import purl_for
from sbomgen.errors import ConfigError
from sbomgen.model import (
    Inventory,
    KeyUuid,
    Library,
    LicenseText,
    MendLicense,
    Occurrence,
    ProjectToken,
)
from sbomgen.pipeline import enrich


def _dataset(tmp_path: Path, edit) -> Path:  # type: ignore[no-untyped-def]
    folder = tmp_path / "ds"
    shutil.copytree(MINI_DATASET, folder)
    data = json.loads((folder / "dataset.json").read_text())
    edit(data)
    (folder / "dataset.json").write_text(json.dumps(data))
    return folder


def test_by_project_groups_by_token_not_name(tmp_path: Path, start_emulator) -> None:  # type: ignore[no-untyped-def]
    def same_name(data):  # type: ignore[no-untyped-def]
        data["products"][1]["projects"][0]["name"] = "mini-app"

    mend = start_emulator(_dataset(tmp_path, same_name))
    out = tmp_path / "out"
    result = run_cli(
        "attribution",
        "--org",
        "--aggregate",
        "BY_PROJECT",
        "--format",
        "txt",
        "--out",
        out,
        env=mend.env(),
        cwd=tmp_path,
    )
    assert result.code == 0, result.stderr
    text = (out / "attribution" / "NOTICE.txt").read_text()
    sections = re.split(r"\nmini-app \(", text)[1:]
    assert len(sections) == 2
    first, second = (s.split("LICENSE TEXTS")[0] for s in sections)
    assert "express" in first and "express" not in second
    assert "debug 2.6.9" in second and "ms 2.0.0" in second


def test_own_license_as_licenseref(tmp_path: Path) -> None:
    (tmp_path / "sbomgen.toml").write_text(
        'license = "LicenseRef-Acme-Internal"\nsupplier = "Acme"\n'
    )
    out = tmp_path / "out"
    result = run_cli(
        "generate",
        "--snapshot",
        SAMPLE_SNAPSHOT,
        "--format",
        "spdx-json",
        "--out",
        out,
        cwd=tmp_path,
    )
    assert result.code == 0, result.stderr
    doc = read_json(out / "Acme-Corp.spdx.json")
    infos = {i["licenseId"]: i for i in doc["hasExtractedLicensingInfos"]}  # type: ignore[union-attr]
    # no text: not asserted, and the user is told how to give one
    assert "LicenseRef-Acme-Internal" not in infos
    root = doc["packages"][0]  # type: ignore[index]
    assert root["licenseDeclared"] == "NOASSERTION"  # type: ignore[index]
    assert "LicenseRef-Acme-Internal" in root["licenseComments"]  # type: ignore[index]
    assert "no license-text file is set" in result.stderr
    # with its text, it is asserted and carried
    (tmp_path / "internal-license.txt").write_text("Acme internal license, version 3.\n")
    (tmp_path / "sbomgen.toml").write_text(
        'license = "LicenseRef-Acme-Internal"\nlicense-text = "internal-license.txt"\n'
        'supplier = "Acme"\n'
    )
    again = tmp_path / "again"
    result = run_cli(
        "generate",
        "--snapshot",
        SAMPLE_SNAPSHOT,
        "--format",
        "spdx-json",
        "--out",
        again,
        cwd=tmp_path,
    )
    assert result.code == 0, result.stderr
    doc = read_json(again / "Acme-Corp.spdx.json")
    infos = {i["licenseId"]: i for i in doc["hasExtractedLicensingInfos"]}  # type: ignore[union-attr]
    assert (
        infos["LicenseRef-Acme-Internal"]["extractedText"] == "Acme internal license, version 3.\n"
    )
    assert doc["packages"][0]["licenseDeclared"] == "LicenseRef-Acme-Internal"  # type: ignore[index]


def test_tag_value_stays_valid_with_hostile_text(tmp_path: Path, start_emulator) -> None:  # type: ignore[no-untyped-def]
    def hostile(data):  # type: ignore[no-untyped-def]
        data["libraries"]["k-ms"]["name"] = "ms\n# injected heading"
        data["libraries"]["k-ms"]["groupId"] = "ms\n# injected heading"
        data["libraries"]["k-debug"]["description"] = "see </text>\nPackageName: fake"

    mend = start_emulator(_dataset(tmp_path, hostile))
    out = tmp_path / "out"
    result = run_cli(
        "generate",
        "--org",
        "--format",
        "spdx-tv,spdx-json",
        "--out",
        out,
        env=mend.env(),
        cwd=tmp_path,
    )
    assert result.code == 0, result.stderr
    check = run_cli("validate", out / "Mini-Org.spdx", out / "Mini-Org.spdx.json")
    assert check.code == 0, check.stdout
    assert "</ text>" in (out / "Mini-Org.spdx").read_text()


def test_markdown_fences_and_lines_cannot_be_broken(tmp_path: Path, start_emulator) -> None:  # type: ignore[no-untyped-def]
    def hostile(data):  # type: ignore[no-untyped-def]
        data["libraries"]["k-express"]["notice"] = "text\n~~~~~~\n<script>alert(5)</script>\n```"
        data["libraries"]["k-ms"]["name"] = "ms | x\n| injected | row |"

    mend = start_emulator(_dataset(tmp_path, hostile))
    out = tmp_path / "out"
    assert (
        run_cli(
            "attribution", "--org", "--format", "md", "--out", out, env=mend.env(), cwd=tmp_path
        ).code
        == 0
    )
    md = (out / "attribution" / "NOTICE.md").read_text()
    fence = re.search(r"^(~{7,})text\ntext\n~~~~~~\n", md, re.MULTILINE)
    assert fence, "the notice's fence must be longer than its ~~~~~~ line"
    assert "\n| injected" not in md


def _lib(key: str, *names: str, purl: str | None = None, **kw: object) -> Library:
    return Library(
        key_uuid=KeyUuid(key),
        name=key,
        version="1.0",
        licenses=tuple(MendLicense(name=n) for n in names),
        occurrences=(Occurrence(product=None, project=ProjectToken("p")),),
        purl=purl,
        **kw,  # type: ignore[arg-type]
    )


def test_licenseref_collisions_get_distinct_ids() -> None:
    inventory = Inventory(
        libraries={
            KeyUuid("a"): _lib("a", "Acme License"),
            KeyUuid("b"): _lib("b", "Acme_License"),
        },
        license_texts={
            "Acme License": LicenseText(
                name="Acme License", text="you may do A", source="mend:zip"
            ),
            "Acme_License": LicenseText(
                name="Acme_License", text="you may NOT do A", source="mend:zip"
            ),
        },
    )
    out = enrich(inventory)
    a, b = out.libraries[KeyUuid("a")].license, out.libraries[KeyUuid("b")].license
    assert a is not None and b is not None and a.declared != b.declared
    assert (
        out.texts[a.declared].text == "you may do A"
        and out.texts[b.declared].text == "you may NOT do A"
    )


def test_text_of_an_id_is_the_most_used_names() -> None:
    libs = {KeyUuid(f"m{i}"): _lib(f"m{i}", "MIT") for i in range(3)}
    libs[KeyUuid("bc")] = _lib("bc", "Bouncy Castle License")
    texts = {
        "MIT": LicenseText(name="MIT", text="MIT text", source="mend:zip"),
        "Bouncy Castle License": LicenseText(
            name="Bouncy Castle License",
            text="Copyright Legion of the Bouncy Castle",
            source="mend:zip",
        ),
    }
    assert enrich(Inventory(libraries=libs, license_texts=texts)).texts["MIT"].text == "MIT text"


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("1.4", [{"license": {"id": "Apache-2.0"}}]),
        (
            "1.6",
            [
                {"license": {"id": "Apache-2.0", "acknowledgement": "concluded"}},
                {"license": {"id": "MIT", "acknowledgement": "declared"}},
            ],
        ),
    ],
)
def test_curated_license_per_cyclonedx_version(
    sample: Inventory, meta: DocumentMeta, tmp_path: Path, version: str, expected: list[object]
) -> None:
    policy_file = tmp_path / "map.toml"
    policy_file.write_text(
        '[[curations]]\npurl = "pkg:npm/lodash@4.17.20"\nlicense = "Apache-2.0"\nreason = "test"\n'
    )
    from sbomgen.pipeline import default_enrichers

    base = replace(sample, findings=(), texts={})
    curated = enrich(base, default_enrichers(LicensePolicy.load(policy_file)))
    doc = json.loads(CycloneDx("json", version).render(curated, meta)["Acme-Corp.cdx.json"])
    lodash = next(c for c in doc["components"] if c.get("purl") == "pkg:npm/lodash@4.17.20")
    assert lodash["licenses"] == expected


def test_serial_and_namespace_follow_the_content(tmp_path: Path) -> None:
    env = clean_env()
    env["SOURCE_DATE_EPOCH"] = "1767225600"
    a, b = tmp_path / "a", tmp_path / "b"
    assert run_cli("generate", "--snapshot", SAMPLE_SNAPSHOT, "--out", a, env=env).code == 0
    assert (
        run_cli(
            "generate", "--snapshot", SAMPLE_SNAPSHOT, "--multi-license", "and", "--out", b, env=env
        ).code
        == 0
    )
    assert (
        read_json(a / "Acme-Corp.cdx.json")["serialNumber"]
        != read_json(b / "Acme-Corp.cdx.json")["serialNumber"]
    )
    assert (
        read_json(a / "Acme-Corp.spdx.json")["documentNamespace"]
        != read_json(b / "Acme-Corp.spdx.json")["documentNamespace"]
    )


def test_bundle_ships_only_used_texts_and_no_stale_ones(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert (
        run_cli("attribution", "--snapshot", SAMPLE_SNAPSHOT, "--format", "txt", "--out", out).code
        == 0
    )
    assert (out / "attribution" / "licenses" / "EPL-2.0.txt").is_file()
    manifest = read_json(SAMPLE_SNAPSHOT / "manifest.json")
    payments = next(
        e["params"]["productToken"]
        for e in manifest["requests"]  # type: ignore[union-attr]
        if e["requestType"] == "getProductTags"
        and "Payments" in (SAMPLE_SNAPSHOT / e["file"]).read_text()
    )
    assert (
        run_cli(
            "attribution",
            "--snapshot",
            SAMPLE_SNAPSHOT,
            "--product",
            payments,
            "--format",
            "txt",
            "--out",
            out,
        ).code
        == 0
    )
    names = sorted(p.name for p in (out / "attribution" / "licenses").iterdir())
    assert "EPL-2.0.txt" not in names and "Python-2.0.txt" not in names
    text = (out / "attribution" / "NOTICE.txt").read_text()
    assert "Used by: \n" not in text


def test_non_canonical_purl_in_a_curation_matches(tmp_path: Path) -> None:
    license_map = tmp_path / "map.toml"
    license_map.write_text(
        '[[curations]]\npurl = "pkg:pypi/Jinja2@3.1.6"\nlicense = "MIT"\nreason = "test"\n'
    )
    result = run_cli("inventory", "--snapshot", SAMPLE_SNAPSHOT, "--license-map", license_map)
    assert (
        "Curations applied: 1" in result.stdout
        and "Curations that matched no library: 0" in result.stdout
    )


def test_documentref_in_the_map_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "map.toml"
    path.write_text('[licenses]\n"A" = "MIT"\n"B" = "DocumentRef-x:LicenseRef-y"\n')
    with pytest.raises(ConfigError, match=r"map\.toml:3: .*DocumentRef"):
        LicensePolicy.load(path)


def test_single_name_choice_is_flagged(meta: DocumentMeta) -> None:
    decision = LicenseNormalizer().decide([MendLicense(name="CDDL or GPLv2 with exceptions")])
    assert decision.inference and "itself a choice" in decision.inference
    inventory = enrich(
        Inventory(libraries={KeyUuid("g"): _lib("g", "CDDL or GPLv2 with exceptions")})
    )
    review = build_context(inventory, meta, AttributionOptions())["review"]
    assert [p["kind"] for p in review] == ["unresolved-choice"]


def test_validate_goes_on_after_a_bad_file(tmp_path: Path) -> None:
    (tmp_path / "broken.cdx.xml").write_text(
        '<?xml version="1.0"?><bom xmlns="http://cyclonedx.org/schema/bom/1.6"><oops'
    )
    good = tmp_path / "good.cdx.json"
    out = tmp_path / "out"
    assert (
        run_cli(
            "generate", "--snapshot", SAMPLE_SNAPSHOT, "--format", "cyclonedx-json", "--out", out
        ).code
        == 0
    )
    good.write_bytes(
        b"\xef\xbb\xbf" + (out / "Acme-Corp.cdx.json").read_bytes()
    )  # with a UTF-8 BOM
    (tmp_path / "empty.json").write_text("")
    result = run_cli("validate", tmp_path / "empty.json", tmp_path / "broken.cdx.xml", good)
    assert result.code == 7
    assert "empty.json: UNREADABLE" in result.stdout
    assert (
        "broken.cdx.xml: INVALID" in result.stdout
        and "not a readable XML document" in result.stdout
    )
    assert "good.cdx.json: valid (CycloneDX 1.6 JSON)" in result.stdout


def test_attribution_options_agree_with_the_docs(
    sample: Inventory, meta: DocumentMeta, tmp_path: Path
) -> None:
    with_in_house = build_context(sample, meta, AttributionOptions(include_in_house=True))
    without = build_context(sample, meta, AttributionOptions())
    assert len(without["components"]) == len(with_in_house["components"]) - 1
    files = Attribution(["txt"], AttributionOptions(scope=("SUMMARY",))).render(sample, meta)
    # no licenses/ without the LICENSES scope; the review report is always there
    assert sorted(files) == [
        "attribution/NOTICE.txt",
        "attribution/REVIEW.json",
        "attribution/REVIEW.md",
    ]
    bad = run_cli(
        "attribution", "--snapshot", SAMPLE_SNAPSHOT, "--scope", "FOO", "--out", tmp_path / "o"
    )
    assert bad.code == 2 and "FOO" in bad.stderr


def test_unresolved_jar_with_sha1_gets_a_generic_purl() -> None:
    lib = Library(
        key_uuid=KeyUuid("k"),
        type="UNKNOWN_ARTIFACT",
        language_type="Java",
        artifact_id="comm-2.0.3.jar",
        filename="comm-2.0.3.jar",
        sha1="5af35056b4d257e4b64b9e8069c0746e8b08629f",
    )
    assert purl_for(lib) == (
        "pkg:generic/comm-2.0.3.jar?checksum=sha1:5af35056b4d257e4b64b9e8069c0746e8b08629f",
        None,
    )


def test_license_name_with_a_slash_keeps_its_text(tmp_path: Path, start_emulator) -> None:  # type: ignore[no-untyped-def]
    def slash(data):  # type: ignore[no-untyped-def]
        data["libraries"]["k-ms"]["licenses"] = [{"name": "zlib/libpng"}]
        (tmp_path / "ds-texts").mkdir(exist_ok=True)
        data["licenseTexts"]["zlib/libpng"] = "texts/MIT.txt"

    mend = start_emulator(_dataset(tmp_path, slash))
    with mend.client() as client:
        from sbomgen.sources.fetcher import Fetcher, FetchScope

        inventory = Fetcher(client).fetch(FetchScope(products=(mend.product_tokens[0],)))
    assert "zlib/libpng" in inventory.license_texts
    assert SpdxSet(["json"], "2.3")  # the emitters still load
