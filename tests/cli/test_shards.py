"""Sharding a large organization: products fetched apart (as separate CI jobs would) and
given together as several --snapshot make the same documents as one fetch of them all."""

from __future__ import annotations

from pathlib import Path

from conftest import Mend, run_cli


def _files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def test_several_snapshots_make_the_documents_of_one(tmp_path: Path, acme: Mend) -> None:
    env = acme.env()
    env["SOURCE_DATE_EPOCH"] = "1767225600"
    first, second = acme.product_tokens[0], acme.product_tokens[2]
    for name, tokens in (("a", [first]), ("b", [second]), ("both", [first, second])):
        args = [arg for t in tokens for arg in ("--product", t)]
        result = run_cli("fetch", *args, "--out", tmp_path / name, env=env)
        assert result.code == 0, result.stderr
    sharded = run_cli(
        "generate",
        "--snapshot",
        tmp_path / "a",
        "--snapshot",
        tmp_path / "b",
        "--format",
        "all",
        "--out",
        tmp_path / "sharded",
        env=env,
    )
    assert sharded.code == 0, sharded.stderr
    whole = run_cli(
        "generate",
        "--snapshot",
        tmp_path / "both",
        "--format",
        "all",
        "--out",
        tmp_path / "whole",
        env=env,
    )
    assert whole.code == 0, whole.stderr
    assert _files(tmp_path / "sharded") == _files(tmp_path / "whole")
    # narrowing applies to one snapshot at a time: said, not guessed
    mixed = run_cli(
        "generate",
        "--snapshot",
        tmp_path / "a",
        "--snapshot",
        tmp_path / "b",
        "--product",
        first,
        "--out",
        tmp_path / "x",
        env=env,
    )
    assert mixed.code == 3
    assert "narrow one snapshot" in mixed.stderr
