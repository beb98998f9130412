"""The Package URL specification's own test suite through sbomgen's purl core.

tests/data/purl-spec holds the suite unchanged (source, commit and license in its README).
Every case runs: ``parse`` compares components, ``build`` the canonical string built from
components, ``validate`` the canonical form of a string; expected failures must fail.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sbomgen.enrich.purl_spec import PurlError, build, canonical, parse

SUITE = Path(__file__).resolve().parent.parent / "data" / "purl-spec"


def _cases() -> list[Any]:
    out = []
    for path in sorted(SUITE.rglob("*-test.json")):
        for n, case in enumerate(json.loads(path.read_text(encoding="utf-8"))["tests"]):
            out.append(pytest.param(case, id=f"{path.stem}-{n}-{case['test_type']}"))
    return out


CASES = _cases()


def test_the_whole_suite_is_here() -> None:
    assert len(CASES) >= 580  # 586 cases at commit 16f3d0e of purl-spec


def _run(case: dict[str, Any]) -> Any:
    kind, given = case["test_type"], case["input"]
    if kind == "build":
        return str(
            build(
                given["type"],
                given["namespace"],
                given["name"],
                given["version"],
                given["qualifiers"],
                given["subpath"],
            )
        )
    if kind == "parse":
        return parse(given).components()
    if kind == "validate":
        return canonical(given)
    raise AssertionError(f"unknown test type {kind}")


@pytest.mark.parametrize("case", CASES)
def test_purl_spec_case(case: dict[str, Any]) -> None:
    if case["expected_failure"]:
        with pytest.raises(PurlError):
            _run(case)
        return
    expected = case["expected_output"]
    if case["test_type"] == "parse" and expected.get("qualifiers") == {}:
        expected = {**expected, "qualifiers": None}
    assert _run(case) == expected, case["description"]
