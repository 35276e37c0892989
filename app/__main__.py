"""`python -m app` runs the `sijill` command."""

import sys

from app.cli.main import main

sys.exit(main())
