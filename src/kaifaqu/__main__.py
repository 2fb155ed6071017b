"""``python -m kaifaqu`` is the ``kaifaqu`` command."""

import sys

from kaifaqu.cli import main

sys.exit(main())
