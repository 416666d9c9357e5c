"""`python -m xlbase` is the `xlbase` command."""

import sys

from .cli import console_main

sys.exit(console_main())
