"""What every Mend data source offers the fetcher: one ``call`` per request.

The live :class:`~sbomgen.sources.client.MendClient`, the
:class:`~sbomgen.sources.snapshot.SnapshotRecorder` wrapped around it, and the
:class:`~sbomgen.sources.snapshot.SnapshotReplay` of a recorded directory all satisfy
:class:`Transport`, so a replay goes through exactly the same fetcher and parsers as a
live run.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from sbomgen.sources.client import MendResponse


class Transport(Protocol):
    display_url: str

    @property
    def has_org_token(self) -> bool: ...

    @property
    def api_version(self) -> str:
        """The Mend API version the answers come from (see sources.contract)."""
        ...

    def redact(self, body: bytes) -> bytes:
        """Remove credentials the server echoed back (Mend echoes orgToken)."""
        ...

    def call(
        self, request_type: str, params: Mapping[str, Any], *, org_level: bool = False
    ) -> MendResponse: ...
