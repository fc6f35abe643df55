"""``python -m govconv``: the same command as ``govconv``."""
import sys

from govconv.cli import main

sys.exit(main())
