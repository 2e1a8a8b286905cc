"""`python -m deploy.check`: runs `make prod-check`'s checks."""

import sys

from deploy.check.prod_check import main

sys.exit(main())
