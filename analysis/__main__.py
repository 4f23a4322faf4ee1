"""`python -m analysis` runs the `influence` command."""

import sys

from analysis.cli import main

sys.exit(main())
