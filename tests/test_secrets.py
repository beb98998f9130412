"""Secrets stay secret: every command, at -vv, with a realistic key and a short one; keys
in URLs, in a proxy's address and behind a redirect. Everything written is searched."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
from conftest import SAMPLE_DATASET, Mend, clean_env, run_cli

from sbomgen.emulator import Dataset, Emulator, User

LONG_KEY = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"  # 64 hex
SHORT_KEY = "k3y-a1b2"
ORG_TOKEN = "0rg-5ecret-token-2b9d6e1f"


@pytest.fixture(params=[LONG_KEY, SHORT_KEY], ids=["64-hex-key", "short-key"])
def secret_mend(request: pytest.FixtureRequest) -> Iterator[tuple[Mend, str]]:
    dataset = Dataset.load(SAMPLE_DATASET)
    dataset.org_token = ORG_TOKEN
    emulator = Emulator(dataset, [User(request.param)], org_token=ORG_TOKEN)
    url = emulator.start()
    try:
        yield Mend(emulator=emulator, dataset=dataset, url=url), request.param
    finally:
        emulator.stop()


def _env(mend: Mend, key: str, url: str | None = None) -> dict[str, str]:
    env = clean_env()
    env.update(MEND_URL=url or mend.url, MEND_USER_KEY=key, MEND_ORG_TOKEN=ORG_TOKEN)
    return env


def _everything(tmp_path: Path) -> list[tuple[str, bytes]]:
    return [(str(p), p.read_bytes()) for p in tmp_path.rglob("*") if p.is_file()]


def _assert_absent(secrets: list[str], texts: list[tuple[str, bytes]]) -> None:
    for where, data in texts:
        for secret in secrets:
            assert secret.encode() not in data, f"{secret!r} found in {where}"


def test_every_command_at_debug_level_keeps_the_secrets(
    tmp_path: Path, secret_mend: tuple[Mend, str]
) -> None:
    mend, key = secret_mend
    env = _env(mend, key)
    product = mend.product_tokens[0]
    fast = ("--poll-interval", "0.05")
    runs = [
        (
            "-vv",
            "generate",
            "--org",
            "--format",
            "all",
            "--out",
            tmp_path / "gen",
            "--summary-json",
            tmp_path / "summary.json",
        ),
        ("-vv", "attribution", "--product", product, "--out", tmp_path / "attr"),
        ("-vv", "fetch", "--org", "--out", tmp_path / "snap"),
        ("-vv", "inventory", "--org", "--format", "json"),
        (
            "-vv",
            "native",
            "--product",
            product,
            "--standard",
            "spdx",
            "--out",
            tmp_path / "native",
            "--compare",
            "md",
            "--enrich",
            *fast,
        ),
        (
            "-vv",
            "report",
            "--type",
            "ProductInventoryReport",
            "--scope",
            "product",
            "--product",
            product,
            "--out",
            tmp_path / "report",
            *fast,
        ),
        ("-vv", "generate", "--snapshot", tmp_path / "snap", "--out", tmp_path / "replayed"),
        ("-vv", "validate", tmp_path / "gen" / "Acme-Corp.cdx.json"),
        # failures: a wrong product, a missing license map, a server that errs
        ("-vv", "generate", "--product", "not-a-product", "--out", tmp_path / "failed"),
        ("-vv", "inventory", "--product", product, "--license-map", tmp_path / "missing.toml"),
    ]
    outputs: list[tuple[str, bytes]] = []
    for args in runs:
        result = run_cli(*args, env=env, cwd=tmp_path)
        assert result.code in (0, 2, 4), (args, result.stderr)
        outputs.append((f"stdout of {args[1]}", result.stdout.encode()))
        outputs.append((f"stderr of {args[1]}", result.stderr.encode()))
    written = _everything(tmp_path)
    assert len(written) > 40
    _assert_absent([key, ORG_TOKEN], outputs + written)
    # the debug output was really there to search
    assert any(b"DEBUG" in data for _where, data in outputs)


def test_a_key_in_the_url_is_not_repeated(tmp_path: Path, secret_mend: tuple[Mend, str]) -> None:
    mend, key = secret_mend
    host = mend.url.removeprefix("http://")
    for url in (f"http://admin:{key}@{host}", f"http://{host}/api/v1.4?userKey={key}"):
        result = run_cli(
            "-vv", "inventory", "--product", mend.product_tokens[0], env=_env(mend, key, url)
        )
        assert result.code == 0, result.stderr
        _assert_absent(
            [key, ORG_TOKEN],
            [("stdout", result.stdout.encode()), ("stderr", result.stderr.encode())],
        )


def test_a_key_in_a_proxy_address_is_not_repeated(
    tmp_path: Path, secret_mend: tuple[Mend, str]
) -> None:
    mend, key = secret_mend
    env = _env(mend, key)
    env.update(HTTP_PROXY=f"http://user:{key}@127.0.0.1:9", NO_PROXY="", no_proxy="")
    result = run_cli(
        "-vv", "inventory", "--product", mend.product_tokens[0], "--retries", "0", env=env
    )
    assert result.code == 5, result.stderr
    _assert_absent(
        [key, ORG_TOKEN], [("stdout", result.stdout.encode()), ("stderr", result.stderr.encode())]
    )


class _Redirect(http.server.BaseHTTPRequestHandler):
    target = ""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(307)
        self.send_header("Location", self.target)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


class _Catcher(http.server.BaseHTTPRequestHandler):
    seen: ClassVar[list[bytes]] = []

    def do_POST(self) -> None:
        _Catcher.seen.append(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args: Any) -> None:
        pass


def test_a_redirect_to_another_host_never_carries_the_credentials(
    tmp_path: Path, secret_mend: tuple[Mend, str]
) -> None:
    mend, key = secret_mend
    catcher = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Catcher)
    _Catcher.seen = []
    _Redirect.target = f"http://localhost:{catcher.server_port}/api/v1.4"
    redirector = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Redirect)
    for server in (catcher, redirector):
        threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{redirector.server_port}"
        result = run_cli("inventory", "--product", mend.product_tokens[0], env=_env(mend, key, url))
    finally:
        for server in (catcher, redirector):
            server.shutdown()
            server.server_close()
    assert result.code == 4, result.stderr
    assert (
        "does not follow redirects" in result.stderr
        and f"localhost:{catcher.server_port}" in result.stderr
    )
    assert _Catcher.seen == []  # nothing reached the other host
    _assert_absent([key, ORG_TOKEN], [("stderr", result.stderr.encode())])


def test_help_shows_no_secret_from_the_environment(secret_mend: tuple[Mend, str]) -> None:
    mend, key = secret_mend
    env = _env(mend, key)
    env.update(SBOMGEN_URL=f"http://u:{key}@example.invalid")
    for command in ((), ("generate",), ("native",), ("report",), ("fetch",), ("inventory",)):
        result = run_cli(*command, "--help", env=env)
        _assert_absent([key, ORG_TOKEN], [("help", result.stdout.encode())])
