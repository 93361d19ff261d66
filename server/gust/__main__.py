"""`python -m gust` works like `gust`."""

import sys

from gust.cli.entry import main

sys.exit(main())
