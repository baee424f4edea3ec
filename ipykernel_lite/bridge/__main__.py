"""``python -m ipykernel_lite.bridge [options]``: the bridge without going through the ``ipykernel-lite`` CLI."""

import sys

from . import main

sys.exit(main())
