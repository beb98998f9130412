"""The HTTP client against the emulator over real HTTP: retries, errors, secrets."""

from __future__ import annotations

import socket
from typing import Any

import pytest
from conftest import MINI_DATASET, ORG_ADMIN_KEY, Mend

from sbomgen import __version__
from sbomgen.emulator import Fault
from sbomgen.errors import (
    ConfigError,
    InputDataError,
    MendApiError,
    MendConnectionError,
    MendInvalidParametersError,
    MendNotAllowedError,
)
from sbomgen.sources.client import Credentials, MendClient, RetryPolicy, normalize_url


@pytest.mark.parametrize(
    ("given", "base", "version"),
    [
        ("https://saas.mend.io", "https://saas.mend.io", None),
        ("https://saas.mend.io/", "https://saas.mend.io", None),
        ("https://saas.mend.io/api/v1.3", "https://saas.mend.io", "1.3"),
        ("https://saas.mend.io/api/v1.4/", "https://saas.mend.io", "1.4"),
        ("https://saas.mend.io/API/V1.2", "https://saas.mend.io", "1.2"),
        (
            "https://saas.whitesourcesoftware.com/agent",
            "https://saas.whitesourcesoftware.com",
            None,
        ),
        ("https://mend.example.com/wss/api", "https://mend.example.com/wss", None),
        ("saas-eu.mend.io", "https://saas-eu.mend.io", None),
        ("http://127.0.0.1:8080/api/v1.2", "http://127.0.0.1:8080", "1.2"),
        ("https://user:pw@mend.example.com/?x=1#f", "https://mend.example.com", None),
    ],
)
def test_url_as_users_copy_it(given: str, base: str, version: str | None) -> None:
    server = normalize_url(given)
    assert (server.base, server.version) == (base, version)
    assert server.endpoint("1.4") == base + "/api/v1.4"
    assert "pw" not in server.base


@pytest.mark.parametrize("named", ["https://mend.example.com/api/v1.1", "https://x.io/api/v2.0"])
def test_url_naming_an_unknown_api_version_is_refused(named: str) -> None:
    with pytest.raises(ConfigError, match=r"sbomgen speaks v1\.2, v1\.3, v1\.4"):
        normalize_url(named)


@pytest.mark.parametrize("bad", ["", "ftp://mend.example.com", "https://"])
def test_bad_url_is_a_config_error(bad: str) -> None:
    with pytest.raises(ConfigError):
        normalize_url(bad)


def test_user_agent_and_success(mini: Mend) -> None:
    with mini.client() as client:
        data = client.call("getProductTags", {"productToken": mini.product_tokens[0]}).json()
    assert data["productTags"][0]["name"] == "Mini Product"
    assert mini.emulator.user_agents == [f"sbomgen/{__version__}"]


def test_credentials_never_in_repr() -> None:
    creds = Credentials(user_key="secret-key-123", org_token="secret-org-456")
    assert "secret" not in repr(creds)


def test_credentials_cannot_be_passed_as_params(mini: Mend) -> None:
    with mini.client() as client, pytest.raises(ValueError, match="credentials"):
        client.call("getProductTags", {"userKey": "x"})


def test_wrong_user_key_is_typed_error_naming_request(mini: Mend) -> None:
    with mini.client(key="not-a-key") as client, pytest.raises(MendNotAllowedError) as info:
        client.call("getProductTags", {"productToken": mini.product_tokens[0]})
    assert info.value.code == 5001
    assert "getProductTags" in str(info.value)
    assert "not-a-key" not in info.value.diagnostics()


def test_wrong_token_gives_mend_code_and_message(mini: Mend) -> None:
    with mini.client() as client, pytest.raises(MendApiError) as info:
        client.call("getProjectHierarchy", {"projectToken": "nope"})
    assert info.value.code == 2003
    assert "getProjectHierarchy" in str(info.value) and "Invalid project token" in str(info.value)


def test_error_3000_is_retried_then_succeeds(mini: Mend) -> None:
    mini.emulator.inject(Fault(kind="error", code=3000, request_type="getProductTags", times=2))
    with mini.client() as client:
        client.call("getProductTags", {"productToken": mini.product_tokens[0]})
    assert mini.emulator.counts["getProductTags"] == 3


def test_error_3000_that_stays_fails_after_the_retries(mini: Mend) -> None:
    mini.emulator.inject(Fault(kind="error", code=3000, request_type="getProductTags", times=9))
    with mini.client() as client, pytest.raises(MendInvalidParametersError):
        client.call("getProductTags", {"productToken": mini.product_tokens[0]})
    assert mini.emulator.counts["getProductTags"] == 3  # the client's 3 attempts


def test_other_error_codes_are_not_retried(mini: Mend) -> None:
    mini.emulator.inject(
        Fault(kind="error", code=4000, message="Boom", request_type="getProductTags")
    )
    with mini.client() as client, pytest.raises(MendApiError, match=r"errorCode 4000.*Boom"):
        client.call("getProductTags", {"productToken": mini.product_tokens[0]})
    assert mini.emulator.counts["getProductTags"] == 1


def test_429_honours_retry_after(mini: Mend) -> None:
    mini.emulator.inject(Fault(kind="429", retry_after=7, times=2))
    with mini.client(attempts=4) as client:
        client.call("getProductTags", {"productToken": mini.product_tokens[0]})
        assert client.slept == [7.0, 7.0]  # type: ignore[attr-defined]
    assert mini.emulator.counts["getProductTags"] == 3
    assert [s for _, s in mini.emulator.log] == [429, 429, 200]


def test_retry_after_is_capped(mini: Mend) -> None:
    mini.emulator.inject(Fault(kind="429", retry_after=100000))
    slept: list[float] = []
    policy = RetryPolicy(attempts=2, max_retry_after=5)
    with MendClient(
        mini.url, Credentials(ORG_ADMIN_KEY), policy=policy, sleep=slept.append
    ) as client:
        client.call("getProductTags", {"productToken": mini.product_tokens[0]})
    assert slept == [5.0]


def test_503_is_retried_with_backoff(mini: Mend) -> None:
    mini.emulator.inject(Fault(kind="503", times=2))
    with mini.client(attempts=3) as client:
        client.call("getProductTags", {"productToken": mini.product_tokens[0]})
        assert client.slept == [0.01, 0.02]  # type: ignore[attr-defined]
    assert [s for _, s in mini.emulator.log] == [503, 503, 200]


def test_persistent_503_names_url_and_request(mini: Mend) -> None:
    mini.emulator.inject(Fault(kind="503", times=10))
    with mini.client(attempts=3) as client, pytest.raises(MendConnectionError) as info:
        client.call("getProductLicenses", {"productToken": mini.product_tokens[0]})
    message = str(info.value)
    assert "getProductLicenses" in message and mini.url in message and "3 attempts" in message
    assert ORG_ADMIN_KEY not in message


def test_truncated_body_is_retried(mini: Mend) -> None:
    mini.emulator.inject(Fault(kind="truncate", request_type="getProductLicenses"))
    with mini.client() as client:
        data = client.call("getProductLicenses", {"productToken": mini.product_tokens[0]}).json()
    assert len(data["libraries"]) == 5
    assert mini.emulator.counts["getProductLicenses"] == 2


def test_dropped_connection_is_retried(mini: Mend) -> None:
    mini.emulator.inject(Fault(kind="drop", request_type="getProductTags"))
    with mini.client() as client:
        client.call("getProductTags", {"productToken": mini.product_tokens[0]})
    assert mini.emulator.counts["getProductTags"] == 2


def test_a_body_cut_short_once_is_retried(mini: Mend) -> None:
    """Every Mend read is idempotent: a body that ends too early is a transport fault."""
    mini.emulator.inject(Fault(kind="malformed", request_type="getProductLicenses"))
    with mini.client() as client:
        answer = client.call("getProductLicenses", {"productToken": mini.product_tokens[0]})
    assert answer.json()["libraries"]
    assert mini.emulator.counts["getProductLicenses"] == 2


def test_malformed_json_that_stays_so_is_a_clear_error(mini: Mend) -> None:
    mini.emulator.inject(Fault(kind="malformed", request_type="getProductLicenses", times=10))
    with (
        mini.client() as client,
        pytest.raises(
            InputDataError,
            match=r"response to getProductLicenses is not valid JSON.*\(after 3 attempts\)",
        ),
    ):
        client.call("getProductLicenses", {"productToken": mini.product_tokens[0]})


def test_a_server_never_reached_fails_at_once() -> None:
    """A refused connection before any answer is a wrong URL or a server that is down:
    deterministic, so it is not retried."""
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    slept: list[float] = []
    client = MendClient(
        f"http://127.0.0.1:{port}/agent",
        Credentials(user_key="k-unreachable-secret"),
        policy=RetryPolicy(attempts=3, backoff=0.01),
        sleep=slept.append,
    )
    with client, pytest.raises(MendConnectionError) as info:
        client.call("getProductTags", {"productToken": "t"})
    message = str(info.value)
    assert f"http://127.0.0.1:{port}" in message and "getProductTags" in message
    assert "refused the connection" in message and "k-unreachable-secret" not in message
    assert "failed at once" in message
    assert slept == [] and client.requests_made == 1


def test_a_refusal_after_the_server_answered_is_retried(start_emulator: Any) -> None:
    """The server answered once, then went away (a restart): transient, retried."""
    mend: Mend = start_emulator(MINI_DATASET)
    client = mend.client(attempts=3)
    with client:
        client.call("getProductTags", {"productToken": mend.product_tokens[0]})
        mend.emulator.stop()
        client.close()  # drop the kept-alive connection: the next request connects anew
        with pytest.raises(MendConnectionError) as info:
            client.call("getProductTags", {"productToken": mend.product_tokens[0]})
    message = str(info.value)
    assert "failed after 3 attempts" in message and "connection refused" in message
    assert len(client.slept) == 2  # type: ignore[attr-defined]


def test_one_attempt_is_one_attempt(mini: Mend) -> None:
    """--retries 0 on a transient failure: "after 1 attempt", not "1 attempts"."""
    mini.emulator.inject(Fault(kind="503", times=5))
    with mini.client(attempts=1) as client, pytest.raises(MendConnectionError) as info:
        client.call("getProductTags", {"productToken": mini.product_tokens[0]})
    assert "failed after 1 attempt: HTTP 503" in str(info.value)


def test_org_level_request_without_org_token_is_config_error(mini: Mend) -> None:
    with mini.client(org=False) as client, pytest.raises(ConfigError, match="MEND_ORG_TOKEN"):
        client.call("getOrganizationDetails", {}, org_level=True)
    assert mini.emulator.stats()["total"] == 0


def test_zip_response_is_returned_raw(mini: Mend) -> None:
    with mini.client() as client:
        response = client.call("getLicensesTextZip", {"productToken": mini.product_tokens[0]})
    assert response.content_type == "application/zip"
    assert response.body.startswith(b"PK")
