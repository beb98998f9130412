"""Transport security: TLS verified by default, a private CA through --ca-bundle or
REQUESTS_CA_BUNDLE, --insecure loud, proxies through the standard variables. The emulator
serves HTTPS under a CA the test makes (trustme)."""

from __future__ import annotations

import http.server
import ssl
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
import trustme
from conftest import ORG_ADMIN_KEY, SAMPLE_DATASET, Mend, clean_env, run_cli

from sbomgen.emulator import Dataset, Emulator, User


@pytest.fixture
def https_mend(tmp_path: Path) -> Iterator[tuple[Mend, Path]]:
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    cert.configure_cert(context)
    ca_file = tmp_path / "private-ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    dataset = Dataset.load(SAMPLE_DATASET)
    emulator = Emulator(dataset, [User(ORG_ADMIN_KEY)])
    url = emulator.start(tls=context)
    try:
        yield Mend(emulator=emulator, dataset=dataset, url=url), ca_file
    finally:
        emulator.stop()


def _inventory(mend: Mend, *extra: Any, env: dict[str, str] | None = None) -> Any:
    return run_cli("inventory", "--product", mend.product_tokens[0], *extra, env=env or mend.env())


def test_tls_is_verified_by_default(https_mend: tuple[Mend, Path]) -> None:
    mend, _ca = https_mend
    assert mend.url.startswith("https://")
    result = _inventory(mend)
    assert result.code == 5
    assert "certificate verify failed" in result.stderr and "REQUESTS_CA_BUNDLE" in result.stderr
    assert "failed at once" in result.stderr  # not retried: a certificate does not change
    assert mend.emulator.log == []  # no request got through


def test_a_private_ca_through_the_option_or_the_variable(https_mend: tuple[Mend, Path]) -> None:
    mend, ca = https_mend
    assert _inventory(mend, "--ca-bundle", ca).code == 0
    env = mend.env()
    env["REQUESTS_CA_BUNDLE"] = str(ca)
    assert _inventory(mend, env=env).code == 0


def test_insecure_works_and_says_so_loudly(https_mend: tuple[Mend, Path]) -> None:
    mend, ca = https_mend
    result = _inventory(mend, "--insecure")
    assert result.code == 0
    assert "TLS verification is OFF" in result.stderr and "user key" in result.stderr
    both = _inventory(mend, "--insecure", "--ca-bundle", ca)
    assert both.code == 3 and "either --insecure or --ca-bundle" in both.stderr


class _Proxy(http.server.BaseHTTPRequestHandler):
    seen: ClassVar[list[str]] = []

    def do_POST(self) -> None:
        _Proxy.seen.append(self.path)  # a proxy gets the absolute URL
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        request = urllib.request.Request(self.path, data=body, method="POST")
        request.add_header("Content-Type", self.headers.get("Content-Type", ""))
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(request, timeout=30) as upstream:
            data = upstream.read()
            self.send_response(upstream.status)
            self.send_header("Content-Type", upstream.headers.get("Content-Type", ""))
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


def test_proxies_are_honoured_through_the_standard_variables(acme: Mend) -> None:
    proxy = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Proxy)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    _Proxy.seen = []
    env = acme.env()
    env.update(HTTP_PROXY=f"http://127.0.0.1:{proxy.server_port}", NO_PROXY="", no_proxy="")
    try:
        result = _inventory(acme, env=env)
    finally:
        proxy.shutdown()
        proxy.server_close()
    assert result.code == 0, result.stderr
    assert _Proxy.seen and all(p.startswith(acme.url + "/api/v1.4") for p in _Proxy.seen)
    assert len(_Proxy.seen) == len(acme.emulator.log)  # every request went through it


def test_the_user_key_goes_only_in_the_body(acme: Mend) -> None:
    """Not in a URL, where proxies and servers log it."""
    _Proxy.seen = []
    proxy = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Proxy)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    env = acme.env()
    env.update(HTTP_PROXY=f"http://127.0.0.1:{proxy.server_port}", NO_PROXY="", no_proxy="")
    try:
        assert _inventory(acme, env=env).code == 0
    finally:
        proxy.shutdown()
        proxy.server_close()
    assert not any(ORG_ADMIN_KEY in p or acme.org_token in p for p in _Proxy.seen)
    _ = clean_env
