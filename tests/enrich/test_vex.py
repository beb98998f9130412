"""What people decided in Mend, read as VEX: each rule of sbomgen.enrich.vex, the decision
that differs per project, the --vex-map, and the bad input the issue names. Over the
emulator through the CLI, as a user runs it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import MINI_DATASET, SAMPLE_DATASET, SAMPLE_SNAPSHOT, Mend, read_json, run_cli

from sbomgen.enrich.vex import classify

RULES = [
    # (a comment people write, state, justification, responses)
    ("False positive: Mend matched the shaded copy by file name", "false_positive", None, ()),
    (
        "Not affected: the vulnerable class is never loaded in our service",
        "not_affected",
        "code_not_reachable",
        (),
    ),
    ("The XML module is not included in our build", "not_affected", "code_not_present", ()),
    (
        "Feature is disabled by default and we never turn it on",
        "not_affected",
        "requires_configuration",
        (),
    ),
    (
        "Only affects Windows hosts; we deploy Linux containers",
        "not_affected",
        "requires_environment",
        (),
    ),
    (
        "Served on the internal network only, behind the WAF",
        "not_affected",
        "protected_at_perimeter",
        (),
    ),
    (
        "Mitigated: input is validated before it reaches the parser",
        "not_affected",
        "protected_by_mitigating_control",
        (),
    ),
    ("Not vulnerable in our usage.", "not_affected", None, ()),
    ("Patched in our fork (backport of the upstream fix)", "resolved", None, ("update",)),
    ("Risk accepted until the next release; won't fix now", "exploitable", None, ("will_not_fix",)),
    ("asking the vendor", "in_triage", None, ()),
    ("", "in_triage", None, ()),
]


@pytest.mark.parametrize(("comment", "state", "justification", "responses"), RULES)
def test_each_rule_reads_the_comment(
    comment: str, state: str, justification: str | None, responses: tuple[str, ...]
) -> None:
    analysis = classify(comment)
    assert (analysis.state, analysis.justification, analysis.responses) == (
        state,
        justification,
        responses,
    )
    assert analysis.rule  # says which rule it was


def _mini(tmp_path: Path, **ignored: Any) -> Path:
    """The mini organization: debug (CVE-2017-16137) is in mini-app (Mini Product) and in
    other-app (Second Product)."""
    folder = tmp_path / "ds"
    shutil.copytree(MINI_DATASET, folder)
    data = json.loads((folder / "dataset.json").read_text())
    data["libraries"]["k-debug"]["vulnerabilities"][0].update(ignored)
    (folder / "dataset.json").write_text(json.dumps(data))
    return folder


def _generate(mend: Mend, out: Path, *args: str | Path) -> tuple[dict[str, Any], str]:
    result = run_cli("generate", "--org", "--out", out, *args, env=mend.env())
    assert result.code == 0, result.stderr
    return read_json(out / "Mini-Org.cdx.json"), result.stderr


def _entries(cdx: dict[str, Any], vuln: str = "CVE-2017-16137") -> list[dict[str, Any]]:
    return [v for v in cdx["vulnerabilities"] if v["id"] == vuln]


def _refs(entry: dict[str, Any]) -> list[str]:
    return [a["ref"] for a in entry["affects"]]


@pytest.mark.parametrize("shape", ["reference", "named"])
def test_a_decision_made_in_one_project_is_stated_for_that_project(
    tmp_path: Path, start_emulator: Any, shape: str
) -> None:
    mend: Mend = start_emulator(
        _mini(
            tmp_path,
            ignoredIn={"mini-app": {"comment": "Not affected: debug() is never called here"}},
        ),
        ignored_shape=shape,
    )
    cdx, stderr = _generate(mend, tmp_path / "out")
    mini_app = next(p.token for p in mend.dataset.products[0].projects if p.name == "mini-app")
    active, decided = _entries(cdx)
    # other-app decided nothing: the library stays affected, without analysis
    assert "analysis" not in active and _refs(active) == ["mend-lib:k-debug"]
    # mini-app's decision, for mini-app
    assert decided["analysis"] == {
        "state": "not_affected",
        "justification": "code_not_reachable",
        "detail": "Not affected: debug() is never called here",
    }
    project_refs = {
        c["bom-ref"]
        for c in cdx["components"]
        if any(p["name"] == "mend:kind" and p["value"] == "project" for p in c["properties"])
        and c["name"] == "mini-app"
    }
    assert _refs(decided) == sorted(project_refs) and len(project_refs) == 1
    assert decided["bom-ref"] == "vuln:CVE-2017-16137:2"
    assert "1 vulnerabilities" not in stderr
    assert "vulnerabilities: 1 (per library), 0 assessed by people in Mend, 1 awaiting" in stderr
    # the reference's answer names no project: each project holding it was asked
    asked = mend.emulator.counts.get("getProjectIgnoredAlerts", 0)
    assert asked == (1 if shape == "reference" else 0)
    assert mini_app  # the project exists in the dataset


def test_a_decision_every_project_made_is_stated_for_the_library(
    tmp_path: Path, start_emulator: Any
) -> None:
    mend: Mend = start_emulator(
        _mini(tmp_path, ignored={"comment": "Risk accepted: DoS only, internal tool. Won't fix."})
    )
    cdx, stderr = _generate(mend, tmp_path / "out")
    [entry] = _entries(cdx)
    assert entry["analysis"]["state"] == "exploitable"
    assert entry["analysis"]["response"] == ["will_not_fix"]
    assert _refs(entry) == ["mend-lib:k-debug"]
    assert "1 assessed by people in Mend, 0 awaiting triage" in stderr
    inventory = run_cli("inventory", "--org", "--format", "json", env=mend.env())
    assert json.loads(inventory.stdout)["vulnerabilities_by_analysis"] == {"exploitable": 2}


def test_the_vex_map_overrides_and_is_reported(tmp_path: Path, start_emulator: Any) -> None:
    mend: Mend = start_emulator(_mini(tmp_path, ignored={"comment": "checking with the team"}))
    vex_map = tmp_path / "vex.toml"
    vex_map.write_text(
        "# decisions the comments do not say\n"
        "[[vex]]\n"
        'vulnerability = "CVE-2017-16137"\n'
        'library = "pkg:npm/debug@2.6.9"\n'
        'state = "not_affected"\n'
        'justification = "requires_configuration"\n'
        "\n"
        "[[vex]]\n"
        'vulnerability = "CVE-1999-0001"\n'
        'state = "false_positive"\n'
    )
    cdx, stderr = _generate(mend, tmp_path / "out", "--vex-map", vex_map)
    [entry] = _entries(cdx)
    assert entry["analysis"]["state"] == "not_affected"
    assert entry["analysis"]["justification"] == "requires_configuration"
    assert entry["analysis"]["detail"] == "checking with the team"  # the comment stays
    # the entry naming a vulnerability nobody has: a warning with the file and line
    assert f"VEX map {vex_map}:8: CVE-1999-0001 is not a vulnerability of any library" in stderr
    inventory = run_cli("inventory", "--org", "--vex-map", vex_map, env=mend.env())
    assert f"debug 2.6.9: CVE-2017-16137: not_affected ({vex_map}:2)" in inventory.stdout
    # without the map the comment says nothing sbomgen can read: in triage, and a finding
    plain = run_cli("inventory", "--org", env=mend.env())
    assert "the comment 'checking with the team' says no state sbomgen can read" in plain.stdout


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ('[[vex]]\nvulnerability = "CVE-1"\nstate = "ignored"\n', "'state' should be one of"),
        ('[[vex]]\nstate = "not_affected"\n', "'vulnerability'"),
        (
            '[[vex]]\nvulnerability = "CVE-1"\nstate = "exploitable"\n'
            'justification = "code_not_reachable"\n',
            'for state = "not_affected" only',
        ),
        ("[vex]\nx = 1\n", "should be [[vex]] entries"),
    ],
)
def test_a_wrong_vex_map_is_a_config_error_naming_the_place(
    tmp_path: Path, content: str, problem: str
) -> None:
    vex_map = tmp_path / "vex.toml"
    vex_map.write_text(content)
    result = run_cli(
        "generate", "--snapshot", SAMPLE_SNAPSHOT, "--vex-map", vex_map, "--out", tmp_path / "o"
    )
    assert result.code == 3, result.stderr
    assert str(vex_map) in result.stderr and problem in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "o").exists()


def test_an_ignored_alert_outside_the_scope_is_said_and_left_out(
    tmp_path: Path, start_emulator: Any
) -> None:
    # other-app ignores it; the run covers Mini Product only, where debug is active
    mend: Mend = start_emulator(
        _mini(tmp_path, ignoredIn={"other-app": {"comment": "not affected"}})
    )
    second = mend.dataset.products[1]
    first = mend.dataset.products[0]
    out = tmp_path / "out"
    result = run_cli("generate", "--product", first.token, "--out", out, env=mend.env())
    assert result.code == 0, result.stderr
    cdx = read_json(next(out.glob("*.cdx.json")))
    assert all("analysis" not in v for v in cdx["vulnerabilities"])
    assert second.token not in result.stderr  # tokens stay out of messages
    # and the product whose project ignored it: the decision is there
    out2 = tmp_path / "out2"
    result = run_cli("generate", "--product", second.token, "--out", out2, env=mend.env())
    assert result.code == 0, result.stderr
    cdx = read_json(next(out2.glob("*.cdx.json")))
    assert [v["analysis"]["state"] for v in cdx["vulnerabilities"]] == ["not_affected"]


def test_an_alert_for_a_library_outside_the_scope_is_reported(start_emulator: Any) -> None:
    # the sample: legacy-portal ignores jquery's CVE-2020-11023; a run over Acme Platform
    # narrowed to platform-gateway gets the product's ignored alerts, jquery's among them
    mend: Mend = start_emulator(SAMPLE_DATASET)
    platform = next(p for p in mend.dataset.products if p.name == "Acme Platform")
    gateway = next(p for p in platform.projects if p.name == "platform-gateway")
    result = run_cli(
        "inventory", "--product", platform.token, "--project", gateway.token, env=mend.env()
    )
    assert result.code == 0, result.stderr
    assert (
        "an ignored alert (CVE-2020-11023) names library jquery-3.4.1, which is not in scope; "
        "left out" in result.stderr
    )
    assert "CVE-2020-11023" not in result.stdout


@pytest.mark.parametrize(
    "comment",
    [
        "<script>alert(1)</script> & <![CDATA[ ]]> \u202e\u0000\u0007 ]]> " * 3,
        "not affected: " + "x" * 100_000,
        "‮RTL ✓ emoji 🐛 and a lone \t tab\nand lines\r\n",
    ],
)
def test_a_comment_of_any_size_or_content_never_breaks_a_document(
    tmp_path: Path, start_emulator: Any, comment: str
) -> None:
    mend: Mend = start_emulator(_mini(tmp_path, ignored={"comment": comment}))
    out = tmp_path / "out"
    result = run_cli("generate", "--org", "--format", "all", "--out", out, env=mend.env())
    assert result.code == 0, result.stderr
    cdx = read_json(out / "Mini-Org.cdx.json")
    [entry] = _entries(cdx)
    detail = entry["analysis"]["detail"]
    # verbatim, but for the control characters no format can carry
    assert detail == "".join(ch for ch in comment if ch in "\t\n\r" or ord(ch) >= 32)
