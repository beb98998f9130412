"""A temporary file of byte pieces, appended and then read back by number.

A large document's pieces (a CycloneDX component, an SPDX 3 element) are spooled here as
they are made and put together in the document's order at the end, so that the document
is held once, as its final bytes, instead of as pieces and bytes. The file has no name
(``tempfile.TemporaryFile``): nothing of it is left behind, even when the process is
killed.
"""

from __future__ import annotations

import tempfile
from array import array
from collections.abc import Iterable, Iterator
from types import TracebackType
from typing import IO


class Spool:
    def __init__(self, prefix: str = "sbomgen-") -> None:
        self.file: IO[bytes] = tempfile.TemporaryFile(prefix=prefix)  # noqa: SIM115 (closed by close)
        self.ends = array("q")
        self.size = 0
        self.at_end = True  # where the file's position is: appends go to its end

    def add(self, piece: bytes) -> int:
        """Append ``piece``; its number."""
        if not self.at_end:
            self.file.seek(0, 2)
            self.at_end = True
        self.file.write(piece)
        self.size += len(piece)
        self.ends.append(self.size)
        return len(self.ends) - 1

    def __len__(self) -> int:
        return len(self.ends)

    def get(self, index: int) -> bytes:
        start = self.ends[index - 1] if index else 0
        self.file.seek(start)  # (flushes what was written)
        self.at_end = False
        return self.file.read(self.ends[index] - start)

    def in_order(self, order: Iterable[int], separator: bytes) -> Iterator[bytes]:
        """The pieces numbered ``order``, in that order, ``separator`` between them."""
        for k, i in enumerate(order):
            if k:
                yield separator
            yield self.get(i)

    def close(self) -> None:
        self.file.close()

    def __enter__(self) -> Spool:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
