import sys

from sbomgen.cli import main

sys.exit(main())
