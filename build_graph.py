"""Build the myositis-ILD evidence graph: ``python build_graph.py [--out DIR] [--strict]``.

The same as ``ma-ild build``; see ``README.md`` for what it writes where.
"""

import sys

from graph.cli import main

if __name__ == "__main__":
    sys.exit(main(["build", *sys.argv[1:]]))
