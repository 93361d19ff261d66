"""`python -m gust` works like `gust`."""

import sys

from gust.cli.main import main

sys.exit(main())
