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
        where = f"errorCode {code}" if code is not None else "error"
        super().__init__(f"Mend API {where} for {request_type}: {message}")


class MendNotAllowedError(MendApiError):
    """errorCode 5001: the user key may not perform this request."""

    def diagnostics(self) -> str:
        return (
            f"{self} (the user key lacks the role for {self.request_type}; a product-admin "
            "key works with --product/--project, an organization call needs an org admin)"
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


class OutputError(SbomgenError):
    """The output could not be written."""

    exit_code = 8
