"""One error hierarchy for the whole pipeline.

Every error sbomgen raises on purpose is a :class:`SbomgenError`. The CLI catches them
in one place, prints :meth:`SbomgenError.diagnostics` (one line, no traceback unless
``-v``) and exits with the class's documented :attr:`exit_code`.

Exit codes (also in the README):

====  ============================================================
0     success
1     unexpected internal error (a bug: please report it)
2     usage error (bad flag or argument; printed by click)
3     configuration error (missing credentials, bad config file)
4     the Mend API answered with an error (errorCode, HTTP 4xx)
5     the Mend server could not be reached, or kept failing
6     bad input data (a broken snapshot, a malformed response)
7     a document failed validation; nothing was written
8     the output could not be written
====  ============================================================
"""

from __future__ import annotations


class SbomgenError(Exception):
    """Base class: an error meant for people, with a documented exit code."""

    exit_code = 1

    def diagnostics(self) -> str:
        return str(self)


class ConfigError(SbomgenError):
    """Missing or contradictory settings, or an unreadable config file."""

    exit_code = 3


class MendApiError(SbomgenError):
    """The Mend API answered a request with an error.

    Mend reports most errors inside HTTP 200 bodies as ``errorCode``/``errorMessage``.
    """

    exit_code = 4

    def __init__(self, request_type: str, code: int | None, message: str) -> None:
        self.request_type = request_type
        self.code = code
        self.message = message
        self.subject: str | None = None  # the scope token the request named, shortened
        super().__init__(request_type, code, message)

    def __str__(self) -> str:
        where = f"errorCode {self.code}" if self.code is not None else "error"
        about = f" ({self.subject})" if self.subject else ""
        return f"Mend API {where} for {self.request_type}{about}: {self.message}"


class MendNotAllowedError(MendApiError):
    """errorCode 5001: the user key may not perform this request.

    Mend gives the same answer for a user key it does not know and for one that lacks the
    role, so the hint says which is likely: a key that already worked in this run lacks
    the role; on the first request, both are possible.
    """

    key_worked = False  # an earlier request of this run succeeded with the same key
    key_source = "MEND_USER_KEY"

    def diagnostics(self) -> str:
        role = (
            "a product-admin key works with --product/--project; an organization-wide "
            "request (--org) needs an organization admin's key"
        )
        if self.key_worked:
            return (
                f"{self}: the user key works, but lacks the role for {self.request_type} ({role})"
            )
        return (
            f"{self}: Mend gives this answer both for a user key it does not know and for one "
            f"that lacks the role. Check the key in {self.key_source} (mistyped, revoked, or of "
            f"another organization); if it is right, {role}"
        )


class MendInvalidParametersError(MendApiError):
    """errorCode 3000: invalid parameters (already retried once)."""


class MendConnectionError(SbomgenError):
    """The server could not be reached, or kept failing after the retries."""

    exit_code = 5


class InputDataError(SbomgenError):
    """Input that cannot be used: a broken snapshot, a malformed API response."""

    exit_code = 6


class ValidationFailedError(SbomgenError):
    """A generated document failed validation and was not written."""

    exit_code = 7


class ProfileNotMetError(SbomgenError):
    """``validate --profile``: a document does not meet a conformance profile (exit 1, as
    CI systems expect of a failed check; no traceback, unlike an internal error)."""

    exit_code = 1


class OutputError(SbomgenError):
    """The output could not be written."""

    exit_code = 8
