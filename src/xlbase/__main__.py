"""`python -m xlbase` is the `xlbase` command."""

import sys

from .cli import main

sys.exit(main())
