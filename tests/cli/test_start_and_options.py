"""The CLI as a user meets it: start-up cost, options anywhere, choices, environment and
config defaults, help. Every test runs ``python -m sbomgen`` in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE_DATASET, SAMPLE_SNAPSHOT, clean_env, names, read_json, run_cli

HEAVY = (
    "cyclonedx",
    "spdx_tools",
    "jinja2",
    "lxml",
    "jsonschema",
    "jsonschema_rs",
    "rfc3987_syntax",
    "requests",
    "urllib3",
    "license_expression",
    "packageurl",
    "yaml",
    "rdflib",
    "beartype",
    "sbomgen.pipeline",
    "sbomgen.emit.cyclonedx",
    "sbomgen.emit.spdx",
    "sbomgen.emit.attribution",
    "sbomgen.sources.client",
)


def _modules_after(code: str) -> set[str]:
    proc = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys, json; print(json.dumps(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        check=True,
        env=clean_env(),
    )
    return set(json.loads(proc.stdout.splitlines()[-1]))


def _heavy(loaded: set[str]) -> list[str]:
    return sorted(m for m in loaded if any(m == h or m.startswith(h + ".") for h in HEAVY))


def test_importing_the_cli_loads_no_heavy_module() -> None:
    assert _heavy(_modules_after("import sbomgen.cli")) == []


def test_help_version_and_completion_load_no_heavy_module() -> None:
    """What `sbomgen --help`, `--version` and a TAB completion execute, in-process."""
    for args, env in (
        (["--help"], {}),
        (["--version"], {}),
        (["generate", "--help"], {}),
        (
            [],
            {"_SBOMGEN_COMPLETE": "bash_complete", "COMP_WORDS": "sbomgen gen", "COMP_CWORD": "1"},
        ),
    ):
        code = (
            "import os, sys\n"
            f"os.environ.update({env!r})\n"
            "from sbomgen.cli import cli\n"
            "try:\n"
            f"    cli.main(args={args!r}, prog_name='sbomgen')\n"
            "except SystemExit:\n"
            "    pass\n"
        )
        assert _heavy(_modules_after(code)) == [], args


def test_version() -> None:
    for flag in ("--version", "-V"):
        result = run_cli(flag)
        assert result.code == 0 and result.stdout.startswith("sbomgen, version ")


@pytest.mark.parametrize("where", ["before", "after"])
def test_global_options_before_or_after_the_command(tmp_path: Path, where: str) -> None:
    cfg = tmp_path / "cfg.toml"
    cfg.write_text('[generate]\nformat = "cyclonedx-json"\n')
    options = ["-q", "--config", str(cfg), "--color", "never"]
    command = ["generate", "--snapshot", SAMPLE_SNAPSHOT, "--out", tmp_path / "o"]
    args = [*options, *command] if where == "before" else [*command, *options]
    result = run_cli(*args, cwd=tmp_path)
    assert result.code == 0, result.stderr
    assert result.stderr == ""  # -q: only errors
    assert names(tmp_path / "o") == ["Acme-Corp.cdx.json", "SHA256SUMS"]  # from --config


def test_verbose_counts_before_and_after(tmp_path: Path) -> None:
    result = run_cli("-v", "inventory", "--snapshot", SAMPLE_SNAPSHOT, "-v", cwd=tmp_path)
    assert result.code == 0
    assert "INFO sbomgen: getOrganizationDetails" in result.stderr  # -v + -v = -vv: names shown


def test_choices_are_case_insensitive_and_shown_as_documented(tmp_path: Path) -> None:
    result = run_cli(
        "generate",
        "--snapshot",
        SAMPLE_SNAPSHOT,
        "--format",
        "Attribution-HTML",
        "--aggregate",
        "by_project",
        "--missing-license",
        "generic_license",
        "--multi-license",
        "and",
        "--out",
        tmp_path / "o",
        cwd=tmp_path,
    )
    assert result.code == 0, result.stderr
    html = (tmp_path / "o" / "attribution" / "NOTICE.html").read_text()
    assert "project" in html.lower()
    help_text = run_cli("attribution", "--help", env={**clean_env(), "COLUMNS": "100"}).stdout
    assert "[BY_COMPONENT|BY_PROJECT]" in help_text
    assert "[BLANK|GENERIC_LICENSE]" in help_text
    bad = run_cli("attribution", "--aggregate", "sideways", "--snapshot", SAMPLE_SNAPSHOT)
    assert bad.code == 2 and "BY_COMPONENT, BY_PROJECT" in bad.stderr


def test_generate_accepts_the_attribution_options(tmp_path: Path) -> None:
    """Option groups apply wherever they mean something (this was refused before)."""
    out = tmp_path / "o"
    result = run_cli(
        "generate",
        "--snapshot",
        SAMPLE_SNAPSHOT,
        "--format",
        "attribution-html",
        "--aggregate",
        "BY_PROJECT",
        "--header",
        "Third-party notices",
        "--out",
        out,
    )
    assert result.code == 0, result.stderr
    assert "Third-party notices" in (out / "attribution" / "NOTICE.html").read_text()
    # given without an attribution format, an attribution option says it does nothing
    unused = run_cli(
        "generate", "--snapshot", SAMPLE_SNAPSHOT, "--header", "X", "--out", tmp_path / "p"
    )
    assert unused.code == 0 and "--header applies to the attribution bundle" in unused.stderr


def test_format_all_combines_and_attribution_takes_all(tmp_path: Path) -> None:
    both = run_cli(
        "generate",
        "--snapshot",
        SAMPLE_SNAPSHOT,
        "--format",
        "all,spdx-json",
        "--out",
        tmp_path / "a",
    )
    assert both.code == 0, both.stderr
    assert "Acme-Corp.spdx.rdf.xml" in names(tmp_path / "a")
    bundle = run_cli(
        "attribution", "--snapshot", SAMPLE_SNAPSHOT, "--format", "all", "--out", tmp_path / "b"
    )
    assert bundle.code == 0, bundle.stderr
    assert {"NOTICE.html", "NOTICE.txt", "NOTICE.md"} <= set(names(tmp_path / "b" / "attribution"))
    unknown = run_cli(
        "generate", "--snapshot", SAMPLE_SNAPSHOT, "--format", "pdf", "--out", tmp_path / "c"
    )
    assert unknown.code == 2
    assert "unknown format 'pdf'" in unknown.stderr and "(or all)" in unknown.stderr


def test_a_list_option_given_twice_is_one_list(tmp_path: Path) -> None:
    """click keeps the last value of a repeated option; for a list that would drop the
    documents asked for first, without a word."""
    both = run_cli(
        "generate",
        "--snapshot",
        SAMPLE_SNAPSHOT,
        "--format",
        "cyclonedx-json",
        "--format=spdx-json,spdx-tv",
        "--out",
        tmp_path / "a",
    )
    assert both.code == 0, both.stderr
    assert names(tmp_path / "a") == [
        "Acme-Corp.cdx.json",
        "Acme-Corp.spdx",
        "Acme-Corp.spdx.json",
        "SHA256SUMS",
    ]
    bundle = run_cli(
        "attribution",
        "--snapshot",
        SAMPLE_SNAPSHOT,
        "--format",
        "md",
        "--format",
        "txt",
        "--out",
        tmp_path / "b",
    )
    assert bundle.code == 0, bundle.stderr
    notices = {n for n in names(tmp_path / "b" / "attribution") if n.startswith("NOTICE")}
    assert notices == {"NOTICE.md", "NOTICE.txt"}
    # a bad item in any of them is refused, as in one list
    bad = run_cli(
        "generate", "--snapshot", SAMPLE_SNAPSHOT, "--format", "spdx-json", "--format", "pdf",
        "--out", tmp_path / "c",
    )  # fmt: skip
    assert bad.code == 2 and "unknown format 'pdf'" in bad.stderr
    assert not (tmp_path / "c").exists()


def test_environment_defaults_for_every_option(tmp_path: Path) -> None:
    env = clean_env()
    env.update(
        SBOMGEN_SNAPSHOT=str(SAMPLE_SNAPSHOT),
        SBOMGEN_OUT=str(tmp_path / "env-out"),
        SBOMGEN_GENERATE_FORMAT="cyclonedx-xml",
        SBOMGEN_CYCLONEDX_VERSION="1.5",
        SBOMGEN_NAME="From Env",
        SBOMGEN_QUIET="1",
    )
    result = run_cli("generate", env=env, cwd=tmp_path)
    assert result.code == 0, result.stderr
    assert result.stderr == ""
    assert names(tmp_path / "env-out") == ["From-Env.cdx.xml", "SHA256SUMS"]
    assert (
        "http://cyclonedx.org/schema/bom/1.5"
        in (tmp_path / "env-out" / "From-Env.cdx.xml").read_text()
    )
    # the command line wins over the environment
    result = run_cli("generate", "--name", "From Flag", env=env, cwd=tmp_path)
    assert result.code == 0
    assert "From-Flag.cdx.xml" in names(tmp_path / "env-out")
    # a per-command variable does not reach another command
    env["SBOMGEN_GENERATE_FORMAT"] = "spdx-tv"
    inv = run_cli("inventory", "--format", "json", env=env, cwd=tmp_path)
    assert inv.code == 0 and json.loads(inv.stdout)["schema"] == "sbomgen-inventory/1"


def test_config_file_takes_every_option(tmp_path: Path) -> None:
    (tmp_path / "sbomgen.toml").write_text(
        f'snapshot = "{SAMPLE_SNAPSHOT}"\n'
        'out = "cfg-out"\n'
        'name = "Config Name"\n'
        "split = false\n"
        'multi-license = "and"\n'
        "[generate]\n"
        'format = ["spdx-json", "attribution-md"]\n'
        'spdx-version = "2.2"\n'
        'header = "From Config"\n'
    )
    sub = tmp_path / "elsewhere"
    sub.mkdir()
    result = run_cli("--config", tmp_path / "sbomgen.toml", "generate", cwd=sub)
    assert result.code == 0, result.stderr
    out = tmp_path / "cfg-out"  # relative to the config file, not to the working directory
    assert names(out) == ["Config-Name.spdx.json", "SHA256SUMS", "attribution"]
    assert read_json(out / "Config-Name.spdx.json")["spdxVersion"] == "SPDX-2.2"
    assert "From Config" in (out / "attribution" / "NOTICE.md").read_text()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            'format = "spdx-json"\n',
            "'format' differs per command; put it in a table: [attribution], [check], [diff], [generate]",
        ),
        ('colour = "never"\n', "unknown setting 'colour'"),
        ('[generate]\nsplit = "yes"\n', "[generate] split: should be true or false"),
        ('[generate]\nformat = "pdf"\n', "unknown format 'pdf'"),
        ("[generate]\nretries = 99\n", "[generate] retries"),
        ('[inventory]\nheader = "x"\n', "[inventory]: unknown setting 'header'"),
    ],
)
def test_a_bad_config_setting_names_file_and_key(
    tmp_path: Path, content: str, message: str
) -> None:
    (tmp_path / "sbomgen.toml").write_text(f'snapshot = "{SAMPLE_SNAPSHOT}"\n' + content)
    result = run_cli("generate", "--out", tmp_path / "o", cwd=tmp_path)
    assert result.code == 3, result.stderr
    assert "sbomgen.toml" in result.stderr and message in result.stderr
    assert not (tmp_path / "o").exists()


def test_scope_on_the_command_line_replaces_the_config_scope(tmp_path: Path) -> None:
    dataset = json.loads((SAMPLE_DATASET / "dataset.json").read_text())
    token = dataset["products"][0]["token"]
    (tmp_path / "sbomgen.toml").write_text(
        f'snapshot = "{SAMPLE_SNAPSHOT}"\nproject = ["not-a-project"]\n'
    )
    alone = run_cli("inventory", cwd=tmp_path)
    assert alone.code == 3 and "--project not-a-project: not in snapshot" in alone.stderr
    # a --product on the command line replaces the file's whole scope, its project included
    given = run_cli("inventory", "--product", token, "--format", "json", cwd=tmp_path)
    assert given.code == 0, given.stderr
    assert json.loads(given.stdout)["counts"]["products"] == 1
    # and so does one from the environment
    env = {**clean_env(), "SBOMGEN_PRODUCT": token}
    assert run_cli("inventory", env=env, cwd=tmp_path).code == 0


def test_help_lists_exit_codes_credentials_and_no_split_words() -> None:
    env = {**clean_env(), "COLUMNS": "100"}
    for command in ("generate", "native", "report", "attribution", "fetch", "inventory"):
        text = run_cli(command, "--help", env=env).stdout
        assert "Exit codes:" in text and "130  interrupted" in text
        assert "MEND_USER_KEY" in text and "MEND_ORG_TOKEN" in text
        # exit 1 is also a profile not met, not only a bug
        assert "validate --profile, generate --require-profile" in text, command
    validate = run_cli("validate", "--help", env=env).stdout
    assert "Exit codes:" in validate and "MEND_USER_KEY" not in validate
    assert "a conformance profile is not met" in validate
    fetch = run_cli("fetch", "--help", env=env).stdout
    assert "--snapshot DIRECTORY" not in fetch and "SBOMGEN_FETCH_OUT" in fetch
    attribution = run_cli("attribution", "--help", env=env).stdout
    assert "SUMM\n" not in attribution and "PRIMARY_ATTRIBUTES" in attribution
    for text in (attribution, run_cli("generate", "--help", env=env).stdout):
        for line in text.splitlines():
            assert not line.rstrip().endswith("-") or line.strip() == "-", line


def test_help_matches_the_golden_file() -> None:
    """The whole help, every command, at 100 columns. SBOMGEN_UPDATE_GOLDEN=1 rewrites it."""
    env = {**clean_env(), "COLUMNS": "100"}
    parts = []
    for args in (
        (),
        ("generate",),
        ("native",),
        ("report",),
        ("attribution",),
        ("fetch",),
        ("inventory",),
        ("validate",),
    ):
        result = run_cli(*args, "--help", env=env)
        assert result.code == 0
        parts.append(f"$ sbomgen {' '.join(args)} --help".replace("  ", " ") + "\n" + result.stdout)
    text = "\n".join(parts)
    golden = ROOT / "tests" / "cli" / "golden" / "help.txt"
    if os.environ.get("SBOMGEN_UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(text)
    assert text == golden.read_text()


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_shell_completion_scripts_and_answers(shell: str) -> None:
    env = {**clean_env(), "_SBOMGEN_COMPLETE": f"{shell}_source"}
    script = subprocess.run(
        [sys.executable, "-m", "sbomgen"], env=env, capture_output=True, text=True, check=False
    )
    assert script.returncode == 0 and "_SBOMGEN_COMPLETE" in script.stdout
    env = {
        **clean_env(),
        "_SBOMGEN_COMPLETE": "bash_complete",
        "COMP_WORDS": "sbomgen generate --format spdx-json,cyclo",
        "COMP_CWORD": "3",
    }
    answer = subprocess.run(
        [sys.executable, "-m", "sbomgen"], env=env, capture_output=True, text=True, check=False
    )
    assert (
        "spdx-json,cyclonedx-json" in answer.stdout and "spdx-json,cyclonedx-xml" in answer.stdout
    )


def _under_a_terminal(command: str, env: dict[str, str]) -> str:
    """Run a shell command under a pseudo-terminal (util-linux script), as a person would."""
    import shutil

    if shutil.which("script") is None:
        pytest.skip("util-linux script is not installed")
    proc = subprocess.run(
        ["script", "-qec", command, "/dev/null"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    return proc.stdout


def test_color_follows_the_terminal_no_color_and_the_option() -> None:
    sbomgen = f"{sys.executable} -m sbomgen"
    args = f"inventory --snapshot {SAMPLE_SNAPSHOT} --product deadbeef"
    red = "\x1b[31m"
    seen = _under_a_terminal(f"{sbomgen} {args}", clean_env())
    assert f"{red}\x1b[1msbomgen: error:" in seen and "--product deadbeef" in seen
    assert red not in _under_a_terminal(f"{sbomgen} {args}", {**clean_env(), "NO_COLOR": "1"})
    assert red not in _under_a_terminal(f"{sbomgen} --color never {args}", clean_env())
    piped = run_cli(*args.split())
    assert "\x1b[" not in piped.stderr  # not a terminal: no color
    forced = run_cli(*args.split(), "--color", "always")
    assert f"{red}\x1b[1msbomgen: error:" in forced.stderr
    env = {**clean_env(), "SBOMGEN_COLOR": "always"}
    warned = run_cli("inventory", "--snapshot", SAMPLE_SNAPSHOT, env=env)
    assert "\x1b[33m\x1b[1mWARNING\x1b[0m:" in warned.stderr
