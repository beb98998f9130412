"""The command line: a thin click layer over :mod:`sbomgen.pipeline`.

One module per command, the shared option groups in :mod:`sbomgen.cli.options`. This
package is the only importer of click, and imports nothing heavy at import time:
``sbomgen --help``, ``--version`` and shell completion start in a fraction of a second,
and each command loads the pipeline, the HTTP client and the emitters it needs.
"""

from sbomgen.cli.app import cli, main

__all__ = ["cli", "main"]
