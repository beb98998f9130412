"""The cyclic garbage collector, paused while sbomgen builds large acyclic structures.

A large product means hundreds of thousands of small frozen records (libraries, licenses,
occurrences) and the JSON they come from. None of them form reference cycles, yet the
collector keeps scanning them as they pile up: a third of a 10,000-library fetch went to
it (measured with bench/fetch.py). Reference counting still frees everything at once;
only the cycle search waits until the block ends.

When the outermost block ends, what it built is frozen (``gc.freeze``) before the
collector resumes: otherwise its first pass scans every object made during the pause
(a tenth of a 10,000-library fetch, measured with py-spy). Frozen objects are still freed
by reference counting; only a reference cycle made during the pause (an exception's
traceback) outlives it, until the process ends.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """Pause the cycle collector in this block (nested blocks are fine)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.freeze()
            gc.enable()
