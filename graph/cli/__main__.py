"""``python -m graph.cli``: the same as the ``ma-ild`` command."""

import sys

from graph.cli import main

sys.exit(main())
