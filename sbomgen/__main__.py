import sys

from sbomgen._cli import main

sys.exit(main())
