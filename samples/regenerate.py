"""Re-record ``samples/acme`` from ``samples/acme-dataset`` through the emulator.

    python samples/regenerate.py

The snapshot is what ``sbomgen fetch --org`` records against the emulator serving the
dataset; ``tests/test_sample.py`` checks that the committed copy is still current.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from sbomgen.emulator import Dataset, Emulator, User  # noqa: E402
from sbomgen.pipeline import record  # noqa: E402
from sbomgen.sources.client import Credentials, MendClient  # noqa: E402
from sbomgen.sources.fetcher import FetchScope  # noqa: E402

SAMPLE_EPOCH = "1767225600"  # 2026-01-01T00:00:00Z, the sample's recording time


def regenerate(dataset_dir: Path, out: Path) -> None:
    dataset = Dataset.load(dataset_dir)
    emulator = Emulator(dataset, [User("sample-recorder")])
    url = emulator.start()
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = SAMPLE_EPOCH
    try:
        with MendClient(url, Credentials("sample-recorder", dataset.org_token)) as client:
            record(client, FetchScope(org=True), out)
    finally:
        emulator.stop()
        if old is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old


if __name__ == "__main__":
    regenerate(HERE / "acme-dataset", HERE / "acme")
    print(f"recorded {HERE / 'acme'}")
