"""The standalone VEX documents (``--format cyclonedx-vex`` and ``openvex``), as users run
them: on the bundled sample and over the emulator. Each written document is checked with a
validator of its own here (cyclonedx-python-lib's pure-Python JSON validator, and the
``jsonschema`` package and jsonschema-rs over the OpenVEX schema), not only the one sbomgen
ran before writing it; every BOM-Link must name a bom-ref of the SBOM written in the same
run."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import jsonschema
import jsonschema_rs
import pytest
from conftest import MINI_DATASET, SAMPLE_SNAPSHOT, Mend, clean_env, names, run_cli
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator

from sbomgen.emit.interface import DocumentMeta
from sbomgen.model import Inventory

EPOCH = "1767225600"
VEX_FORMATS = "cyclonedx-json,cyclonedx-vex,openvex"
LINK = re.compile(
    r"^urn:cdx:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/([1-9][0-9]*)#(.+)$"
)
OPENVEX_SCHEMA = json.loads(
    (resources.files("sbomgen") / "schemas" / "openvex-0.2.0.schema.json").read_text("utf-8")
)


# -- independent checks ------------------------------------------------------------------


def assert_cyclonedx_valid(path: Path, version: str) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    errors = JsonStrictValidator(SchemaVersion.from_version(version)).validate_str(text)
    assert errors is None, f"{path.name}: {errors}"
    doc: dict[str, Any] = json.loads(text)
    assert doc["specVersion"] == version
    return doc


def assert_openvex_valid(path: Path) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    checker = jsonschema.Draft202012Validator(
        OPENVEX_SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    problems = [f"{list(e.absolute_path)}: {e.message[:200]}" for e in checker.iter_errors(doc)]
    assert problems == [], problems
    assert jsonschema_rs.validator_for(OPENVEX_SCHEMA, validate_formats=True).is_valid(doc)
    assert doc["@context"] == "https://openvex.dev/ns/v0.2.0"
    return doc


class Sbom:
    """The SBOM a run wrote: what a BOM-Link into it must name."""

    def __init__(self, path: Path) -> None:
        self.doc = json.loads(path.read_text(encoding="utf-8"))
        self.serial = self.doc["serialNumber"].removeprefix("urn:uuid:")
        self.version = self.doc["version"]
        self.refs = {c["bom-ref"] for c in self.doc.get("components", [])}
        self.refs.add(self.doc["metadata"]["component"]["bom-ref"])

    def resolve(self, link: str) -> str:
        """The bom-ref a BOM-Link names (asserting that it names one of this SBOM)."""
        found = LINK.match(link)
        assert found, link
        assert (found[1], int(found[2])) == (self.serial, self.version), link
        ref = unquote(found[3])
        assert ref in self.refs, link
        return ref

    def component(self, ref: str) -> dict[str, Any]:
        if ref == self.doc["metadata"]["component"]["bom-ref"]:
            return self.doc["metadata"]["component"]  # type: ignore[no-any-return]
        return next(c for c in self.doc["components"] if c["bom-ref"] == ref)

    def ref_named(self, name: str) -> str:
        return str(next(c["bom-ref"] for c in self.doc["components"] if c["name"] == name))


def generate(out: Path, *args: str | Path, env: dict[str, str] | None = None) -> Any:
    env = dict(env if env is not None else clean_env())
    env.setdefault("SOURCE_DATE_EPOCH", EPOCH)
    result = run_cli("generate", "--out", out, *args, env=env)
    assert result.code == 0, result.stderr
    return result


def check_links(vex: dict[str, Any], openvex: dict[str, Any] | None, sbom: Sbom) -> None:
    """Every link of both documents names a bom-ref of ``sbom``."""
    assert vex["externalReferences"] == [
        {
            "type": "bom",
            "url": f"urn:cdx:{sbom.serial}/{sbom.version}",
            "comment": vex["externalReferences"][0]["comment"],
        }
    ]
    for vuln in vex["vulnerabilities"]:
        assert vuln["affects"]
        for target in vuln["affects"]:
            sbom.resolve(target["ref"])
    for statement in (openvex or {}).get("statements", []):
        for product in statement["products"]:
            for part in [product, *product.get("subcomponents", [])]:
                if part["@id"].startswith("urn:cdx:"):
                    sbom.resolve(part["@id"])


# -- the bundled sample --------------------------------------------------------------------

# the sample's six ignored alerts: (CycloneDX state, justification) → OpenVEX
SAMPLE = {
    "CVE-2020-11023": ("not_affected", "protected_at_perimeter", "not_affected"),
    "CVE-2020-28500": ("false_positive", None, "not_affected"),
    "CVE-2021-45105": ("not_affected", "code_not_reachable", "not_affected"),
    "CVE-2022-30123": ("exploitable", None, "affected"),
    "CVE-2022-41723": ("in_triage", None, "under_investigation"),
    "CVE-2023-28840": ("not_affected", "code_not_present", "not_affected"),
}
OPENVEX_JUSTIFICATION = {
    "protected_at_perimeter": "inline_mitigations_already_exist",
    "code_not_reachable": "vulnerable_code_not_in_execute_path",
    "code_not_present": "vulnerable_code_not_present",
}


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("vex") / "out"
    generate(out, "--snapshot", SAMPLE_SNAPSHOT, "--format", VEX_FORMATS)
    assert names(out) == [
        "Acme-Corp.cdx.json",
        "Acme-Corp.openvex.json",
        "Acme-Corp.vex.cdx.json",
        "SHA256SUMS",
    ]
    return out


def test_sample_cyclonedx_vex_holds_what_people_decided(sample_run: Path) -> None:
    vex = assert_cyclonedx_valid(sample_run / "Acme-Corp.vex.cdx.json", "1.6")
    sbom = Sbom(sample_run / "Acme-Corp.cdx.json")
    assert "components" not in vex and "dependencies" not in vex
    assert vex["serialNumber"] != sbom.doc["serialNumber"]
    # exactly the SBOM's vulnerabilities that carry an analysis, with the same analysis
    decided = {v["id"]: v for v in sbom.doc["vulnerabilities"] if "analysis" in v}
    assert {v["id"] for v in vex["vulnerabilities"]} == set(decided) == set(SAMPLE)
    for vuln in vex["vulnerabilities"]:
        state, justification, _ = SAMPLE[vuln["id"]]
        assert vuln["analysis"] == decided[vuln["id"]]["analysis"]
        assert vuln["analysis"]["state"] == state
        assert vuln["analysis"].get("justification") == justification
        assert vuln["analysis"]["detail"]  # the comment, verbatim
        # the same component as the SBOM's entry names, through a BOM-Link
        local = [t["ref"] for t in decided[vuln["id"]]["affects"]]
        assert [sbom.resolve(t["ref"]) for t in vuln["affects"]] == local
    check_links(vex, None, sbom)


def test_sample_openvex_maps_each_decision(sample_run: Path) -> None:
    doc = assert_openvex_valid(sample_run / "Acme-Corp.openvex.json")
    sbom = Sbom(sample_run / "Acme-Corp.cdx.json")
    assert doc["author"] == "sbomgen"  # no supplier configured
    assert doc["timestamp"] == "2026-01-01T00:00:00Z" and doc["version"] == 1
    assert doc["@id"].startswith("urn:uuid:")
    details = {
        v["id"]: (v["analysis"]["detail"], v["affects"])
        for v in sbom.doc["vulnerabilities"]
        if "analysis" in v
    }
    statuses = {}
    for statement in doc["statements"]:
        name = statement["vulnerability"]["name"]
        state, justification, status = SAMPLE[name]
        comment, affects = details[name]
        statuses[name] = statement["status"]
        assert statement["status"] == status
        [product] = statement["products"]
        [library] = [sbom.component(t["ref"]) for t in affects]
        assert product["@id"] == library["purl"] == product["identifiers"]["purl"]
        assert statement["vulnerability"]["@id"] == f"https://nvd.nist.gov/vuln/detail/{name}"
        if state == "not_affected":
            assert statement["justification"] == OPENVEX_JUSTIFICATION[justification or ""]
            assert statement["impact_statement"] == comment
        elif state == "false_positive":
            assert "justification" not in statement
            assert statement["impact_statement"] == f"False positive: {comment}"
        elif state == "exploitable":
            assert statement["action_statement"] == comment
        else:
            assert statement["status_notes"] == comment
    assert statuses == {k: v[2] for k, v in SAMPLE.items()}
    markup = next(s for s in doc["statements"] if "<b>See</b>" in s.get("impact_statement", ""))
    assert "SEC-118 & the review notes" in markup["impact_statement"]  # kept as it is


@pytest.mark.parametrize("version", ["1.4", "1.5", "1.7"])
def test_vex_alone_links_to_the_sbom_sbomgen_writes(tmp_path: Path, version: str) -> None:
    """Without cyclonedx-json in the run, the links name the SBOM it would write: the
    same serial number as a run that writes it."""
    alone, both = tmp_path / "alone", tmp_path / "both"
    common = ("--snapshot", SAMPLE_SNAPSHOT, "--cyclonedx-version", version)
    generate(alone, *common, "--format", "cyclonedx-vex,openvex")
    generate(both, *common, "--format", VEX_FORMATS)
    assert names(alone) == ["Acme-Corp.openvex.json", "Acme-Corp.vex.cdx.json", "SHA256SUMS"]
    for name in ("Acme-Corp.openvex.json", "Acme-Corp.vex.cdx.json"):
        assert (alone / name).read_bytes() == (both / name).read_bytes(), name
    sbom = Sbom(both / "Acme-Corp.cdx.json")
    vex = assert_cyclonedx_valid(alone / "Acme-Corp.vex.cdx.json", version)
    check_links(vex, assert_openvex_valid(alone / "Acme-Corp.openvex.json"), sbom)
    assert len(vex["vulnerabilities"]) == len(SAMPLE)


def test_split_links_each_product_to_its_own_sbom(tmp_path: Path) -> None:
    out = tmp_path / "out"
    generate(
        out, "--snapshot", SAMPLE_SNAPSHOT, "--split", "--exclude-in-house", "--format", VEX_FORMATS
    )
    stems = sorted(p.name.removesuffix(".vex.cdx.json") for p in out.glob("*.vex.cdx.json"))
    assert stems == ["Acme-Payments", "Acme-Platform", "Acme-Storefront"]
    seen = set()
    for stem in stems:
        sbom = Sbom(out / f"{stem}.cdx.json")
        vex = assert_cyclonedx_valid(out / f"{stem}.vex.cdx.json", "1.6")
        openvex = assert_openvex_valid(out / f"{stem}.openvex.json")
        check_links(vex, openvex, sbom)
        seen |= {v["id"] for v in vex["vulnerabilities"]}
    assert seen == set(SAMPLE)


def test_deterministic_with_source_date_epoch(sample_run: Path, tmp_path: Path) -> None:
    env = clean_env()
    env["PYTHONHASHSEED"] = "4242"
    again = tmp_path / "again"
    generate(again, "--snapshot", SAMPLE_SNAPSHOT, "--format", VEX_FORMATS, env=env)
    for name in ("Acme-Corp.vex.cdx.json", "Acme-Corp.openvex.json", "Acme-Corp.cdx.json"):
        assert (again / name).read_bytes() == (sample_run / name).read_bytes(), name


def test_openvex_to_stdout(tmp_path: Path) -> None:
    env = clean_env()
    env["SOURCE_DATE_EPOCH"] = EPOCH
    result = run_cli(
        "generate", "--snapshot", SAMPLE_SNAPSHOT, "--format", "openvex", "--out", "-", env=env
    )
    assert result.code == 0, result.stderr
    (tmp_path / "x.json").write_text(result.stdout, encoding="utf-8")
    assert len(assert_openvex_valid(tmp_path / "x.json")["statements"]) == len(SAMPLE)


# -- over the emulator: every rule, per-project decisions, hostile comments -----------------

HOSTILE = (
    '<script>alert("x")</script> ]]> </analysis> <!-- & &amp; {"json": [1]} '
    "\x00\x01\x07\x1b[31m red \x7f \u2028 \u0085 tab\there\r\nline "
    + "lorem ipsum dolor " * 6000  # 108 kB
    + " The vulnerable code is never called."
)
# (vulnerability, library, comment, CycloneDX state, justification, OpenVEX status and
# justification): one ignored alert per rule of sbomgen.enrich.vex, for every project
RULES = [
    ("CVE-2099-0001", "k-express", "False positive: Mend matched the wrong package.",
     "false_positive", None, "not_affected", None),
    ("CVE-2099-0002", "k-express", "Risk accepted; won't fix before the 3.0 release.",
     "exploitable", None, "affected", None),
    ("CVE-2099-0003", "k-body-parser", "Patched in our fork (the upstream fix backported).",
     "resolved", None, "fixed", None),
    ("CVE-2099-0004", "k-body-parser", "Ask the platform team.",
     "in_triage", None, "under_investigation", None),
    ("CVE-2099-0005", "k-ms", "Requires a non-default configuration; ours is the default.",
     "not_affected", "requires_configuration", "not_affected",
     "vulnerable_code_cannot_be_controlled_by_adversary"),
    ("CVE-2099-0006", "k-ms", "Protected at runtime: the service runs under seccomp.",
     "not_affected", "protected_at_runtime", "not_affected", "inline_mitigations_already_exist"),
    ("CVE-2099-0007", "k-ms", "The vulnerable parser is not included in our build.",
     "not_affected", "code_not_present", "not_affected", "vulnerable_code_not_present"),
    ("CVE-2099-0008", "k-express", "This product is not affected.",
     "not_affected", None, "not_affected", None),
    ("CVE-2099-0009", "k-express", "The handler is never called.",
     "not_affected", "code_not_reachable", "not_affected", "vulnerable_code_not_in_execute_path"),
    ("CVE-2099-0010", "k-orphan", HOSTILE,
     "not_affected", "code_not_reachable", "not_affected", "vulnerable_code_not_in_execute_path"),
]  # fmt: skip
# what sbomgen reads of it: Mend's text without the control characters no format carries
# (sbomgen.sources.parse, with a warning); markup, line breaks and size kept
HOSTILE_READ = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", HOSTILE)
PER_PROJECT = ("CVE-2017-16137", "k-debug", "The vulnerable formatter is never loaded in mini-app.")


def _vulnerability(name: str, comment: str) -> dict[str, Any]:
    return {
        "name": name,
        "type": "CVE",
        "severity": "MEDIUM",
        "score": 5.0,
        "cvss3_severity": "MEDIUM",
        "cvss3_score": 5.3,
        "publishDate": "2023-01-01",
        "url": f"https://nvd.nist.gov/vuln/detail/{name}",
        "description": f"a test vulnerability ({name})",
        "ignored": {"comment": comment},
    }


def _dataset(tmp_path: Path, *, decided: bool = True) -> Path:
    """The mini organization: debug 2.6.9 is in mini-app (Mini Product) and other-app
    (Second Product), and ignored in mini-app only; one more vulnerability per rule."""
    folder = tmp_path / "dataset"
    shutil.copytree(MINI_DATASET, folder)
    data = json.loads((folder / "dataset.json").read_text(encoding="utf-8"))
    libraries = data["libraries"]
    if decided:
        name, key, comment = PER_PROJECT
        [vuln] = libraries[key]["vulnerabilities"]
        assert vuln["name"] == name
        vuln["ignoredIn"] = {"mini-app": {"comment": comment}}
        for name, key, comment, *_ in RULES:
            libraries[key].setdefault("vulnerabilities", []).append(_vulnerability(name, comment))
    (folder / "dataset.json").write_text(json.dumps(data), encoding="utf-8")
    return folder


@pytest.fixture
def decided_run(tmp_path: Path, start_emulator: Callable[..., Mend]) -> Path:
    mend = start_emulator(_dataset(tmp_path))
    (tmp_path / "sbomgen.toml").write_text('supplier = "Acme Corp"\n', encoding="utf-8")
    out = tmp_path / "out"
    generate(
        out,
        "--org",
        "--format",
        VEX_FORMATS,
        "--config",
        tmp_path / "sbomgen.toml",
        env=mend.env(),
    )
    return out


def test_every_rule_over_the_emulator(decided_run: Path) -> None:
    stem = next(decided_run.glob("*.vex.cdx.json")).name.removesuffix(".vex.cdx.json")
    sbom = Sbom(decided_run / f"{stem}.cdx.json")
    vex = assert_cyclonedx_valid(decided_run / f"{stem}.vex.cdx.json", "1.6")
    openvex = assert_openvex_valid(decided_run / f"{stem}.openvex.json")
    check_links(vex, openvex, sbom)
    assert openvex["author"] == "Acme Corp"  # the configured supplier
    by_id = {v["id"]: v for v in vex["vulnerabilities"]}
    assert set(by_id) == {r[0] for r in RULES} | {PER_PROJECT[0]}
    for name, key, comment, state, justification, status, ovx_justification in RULES:
        vuln = by_id[name]
        assert vuln["analysis"]["state"] == state, name
        assert vuln["analysis"].get("justification") == justification, name
        comment = HOSTILE_READ if comment == HOSTILE else comment
        assert vuln["analysis"]["detail"] == comment, name  # verbatim, however hostile
        [library] = [sbom.component(sbom.resolve(t["ref"])) for t in vuln["affects"]]
        assert {"name": "mend:keyUuid", "value": key} in library["properties"]
        [statement] = [s for s in openvex["statements"] if s["vulnerability"]["name"] == name]
        assert statement["status"] == status, name
        assert statement.get("justification") == ovx_justification, name
        [product] = statement["products"]
        if "purl" in library:
            assert product["@id"] == library["purl"]
        else:  # no package URL: the BOM-Link of its SBOM component
            assert sbom.resolve(product["@id"]) == library["bom-ref"]
        if status == "not_affected" and state == "false_positive":
            assert statement["impact_statement"] == f"False positive: {comment}"
        elif status == "not_affected":
            assert statement["impact_statement"] == comment
        elif status == "affected":
            assert statement["action_statement"] == comment
        else:
            assert statement["status_notes"] == comment
    responses = {name: by_id[name]["analysis"].get("response") for name in by_id}
    assert responses["CVE-2099-0002"] == ["will_not_fix"]
    assert responses["CVE-2099-0003"] == ["update"]
    # orphan.jar has no package URL: it is named by its BOM-Link into the SBOM
    [orphan] = [s for s in openvex["statements"] if s["vulnerability"]["name"] == "CVE-2099-0010"]
    assert orphan["products"][0]["@id"].startswith("urn:cdx:")


def test_a_decision_of_one_project_names_that_project(decided_run: Path) -> None:
    """debug 2.6.9 is ignored in mini-app and an active alert in other-app: the VEX states
    the decision for mini-app (with debug as the OpenVEX subcomponent), nothing for
    other-app (nobody decided there)."""
    stem = next(decided_run.glob("*.vex.cdx.json")).name.removesuffix(".vex.cdx.json")
    sbom = Sbom(decided_run / f"{stem}.cdx.json")
    vex = json.loads((decided_run / f"{stem}.vex.cdx.json").read_text(encoding="utf-8"))
    openvex = json.loads((decided_run / f"{stem}.openvex.json").read_text(encoding="utf-8"))
    name, _, comment = PER_PROJECT
    mini_app = sbom.ref_named("mini-app")
    debug = next(c for c in sbom.doc["components"] if c["name"] == "debug")
    # the SBOM states both: the decision for mini-app, the active alert for the library
    in_sbom = [v for v in sbom.doc["vulnerabilities"] if v["id"] == name]
    stated = {v["affects"][0]["ref"]: v.get("analysis", {}).get("state") for v in in_sbom}
    assert stated == {mini_app: "not_affected", debug["bom-ref"]: None}
    [entry] = [v for v in vex["vulnerabilities"] if v["id"] == name]
    assert [sbom.resolve(t["ref"]) for t in entry["affects"]] == [mini_app]
    assert entry["analysis"] == {
        "state": "not_affected",
        "justification": "code_not_reachable",
        "detail": comment,
    }
    [statement] = [s for s in openvex["statements"] if s["vulnerability"]["name"] == name]
    [product] = statement["products"]
    assert sbom.resolve(product["@id"]) == mini_app
    assert product["subcomponents"] == [
        {"@id": debug["purl"], "identifiers": {"purl": debug["purl"]}}
    ]
    assert statement["status"] == "not_affected"
    assert statement["justification"] == "vulnerable_code_not_in_execute_path"


def test_hostile_comment_is_data_in_both_documents(decided_run: Path) -> None:
    vex_path = next(decided_run.glob("*.vex.cdx.json"))
    openvex_path = next(decided_run.glob("*.openvex.json"))
    for path in (vex_path, openvex_path):
        raw = path.read_bytes()
        assert len(raw) > 100_000
        assert b"\x00" not in raw and b"\x1b" not in raw  # escaped, as JSON requires
        text = raw.decode("utf-8")
        assert '<script>alert(\\"x\\")</script> ]]> </analysis> <!-- & &amp;' in text
        assert "tab\\there\\r\\nline" in text
    openvex = json.loads(openvex_path.read_text(encoding="utf-8"))
    [statement] = [
        s for s in openvex["statements"] if s["vulnerability"]["name"] == "CVE-2099-0010"
    ]
    assert statement["impact_statement"] == HOSTILE_READ
    assert len(HOSTILE_READ) > 100_000 and "\u2028" in HOSTILE_READ


def test_any_comment_text_is_data(sample: Inventory, meta: DocumentMeta) -> None:
    """Text that reaches the emitters whatever it holds (an inventory built by a caller of
    the library: control characters, markup, 100 kB) gives valid documents that carry it
    verbatim."""
    from sbomgen.emit.factory import make_emitters
    from sbomgen.pipeline import documents

    comment = HOSTILE
    libraries = {
        key: replace(lib, triage=tuple(replace(t, comment=comment) for t in lib.triage))
        for key, lib in sample.libraries.items()
    }
    inventory = replace(sample, libraries=libraries)
    files = documents(inventory, make_emitters(["cyclonedx-vex", "openvex"]), meta)
    vex_text = files["Acme-Corp.vex.cdx.json"].decode("utf-8")
    errors = JsonStrictValidator(SchemaVersion.V1_6).validate_str(vex_text)
    assert errors is None, errors
    vex = json.loads(vex_text)
    assert {v["analysis"]["detail"] for v in vex["vulnerabilities"]} == {comment}
    openvex = json.loads(files["Acme-Corp.openvex.json"])
    assert jsonschema_rs.validator_for(OPENVEX_SCHEMA, validate_formats=True).is_valid(openvex)
    notes = {
        s.get("impact_statement") or s.get("action_statement") or s.get("status_notes")
        for s in openvex["statements"]
    }
    assert comment in notes and f"False positive: {comment}" in notes
    assert openvex["author"] == "Acme Corp"


def test_deterministic_over_the_emulator(
    tmp_path: Path, start_emulator: Callable[..., Mend]
) -> None:
    mend = start_emulator(_dataset(tmp_path))
    first, second = tmp_path / "a", tmp_path / "b"
    generate(first, "--org", "--format", VEX_FORMATS, env=mend.env())
    env = mend.env()
    env["PYTHONHASHSEED"] = "99"
    generate(second, "--org", "--format", VEX_FORMATS, env=env)
    for path in sorted(first.glob("*.json")):
        assert path.read_bytes() == (second / path.name).read_bytes(), path.name


def test_nobody_decided_anything(tmp_path: Path, start_emulator: Callable[..., Mend]) -> None:
    """Active alerts only: the CycloneDX VEX states no vulnerability, and no OpenVEX
    document is written (OpenVEX needs a statement); a warning says so."""
    mend = start_emulator(_dataset(tmp_path, decided=False))
    out = tmp_path / "out"
    result = generate(out, "--org", "--format", VEX_FORMATS, env=mend.env())
    assert not list(out.glob("*.openvex.json"))
    assert "OpenVEX document needs at least one statement" in result.stderr
    vex = assert_cyclonedx_valid(next(out.glob("*.vex.cdx.json")), "1.6")
    assert vex["vulnerabilities"] == []
    sbom = Sbom(next(p for p in out.glob("*.cdx.json") if ".vex." not in p.name))
    check_links(vex, None, sbom)


# -- nothing invalid is written ------------------------------------------------------------


def test_an_invalid_openvex_document_is_never_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sbomgen.emit import openvex
    from sbomgen.emit.factory import make_emitters
    from sbomgen.errors import ValidationFailedError
    from sbomgen.pipeline import SnapshotSource, run

    # "affected" without the action statement OpenVEX requires
    monkeypatch.setattr(
        openvex, "statement_fields", lambda analysis, comment: {"status": "affected"}
    )
    out = tmp_path / "out"
    with pytest.raises(ValidationFailedError) as raised:
        run(
            SnapshotSource(SAMPLE_SNAPSHOT),
            emitters=make_emitters(["cyclonedx-json", "cyclonedx-vex", "openvex"]),
            out=out,
        )
    assert raised.value.exit_code == 7
    assert "Acme-Corp.openvex.json (OpenVEX 0.2.0) failed validation" in str(raised.value)
    assert "action_statement" in str(raised.value)
    assert not out.exists() or names(out) == []


def test_a_link_the_sbom_does_not_have_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from sbomgen.emit import cyclonedx_vex
    from sbomgen.emit.factory import make_emitters
    from sbomgen.errors import ValidationFailedError
    from sbomgen.pipeline import SnapshotSource, build

    real = cyclonedx_vex.identity_of

    def without_refs(name: str, data: bytes) -> cyclonedx_vex.SbomIdentity:
        found = real(name, data)
        return cyclonedx_vex.SbomIdentity(
            name=found.name, serial=found.serial, version=found.version, refs=frozenset()
        )

    monkeypatch.setattr(cyclonedx_vex, "identity_of", without_refs)
    with pytest.raises(ValidationFailedError, match=r"names no bom-ref of Acme-Corp\.cdx\.json"):
        build(SnapshotSource(SAMPLE_SNAPSHOT), emitters=make_emitters(["cyclonedx-vex"]))


@pytest.mark.parametrize(
    "formats", [["cyclonedx-json", "cyclonedx-vex", "openvex"], ["cyclonedx-vex", "openvex"]]
)
def test_the_sbom_is_rendered_once_per_document(
    formats: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The VEX emitters take the SBOM's identity from the run's cyclonedx-json emitter, or
    render it once for both."""
    from sbomgen.emit.cyclonedx import CycloneDx
    from sbomgen.emit.factory import make_emitters
    from sbomgen.pipeline import SnapshotSource, build

    rendered: list[str] = []
    real = CycloneDx.render

    def counting(self: CycloneDx, inventory: Inventory, meta: DocumentMeta) -> dict[str, bytes]:
        rendered.append(meta.file_stem)
        return real(self, inventory, meta)

    monkeypatch.setattr(CycloneDx, "render", counting)
    result = build(SnapshotSource(SAMPLE_SNAPSHOT), emitters=make_emitters(formats), split=True)
    assert sorted(rendered) == ["Acme-Payments", "Acme-Platform", "Acme-Storefront"]
    assert len([n for n in result.files if n.endswith(".openvex.json")]) == 3
