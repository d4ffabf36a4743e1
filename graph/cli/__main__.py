"""``python -m graph.cli``: the same as the ``ma-ild`` command."""

from graph.cli import console

console()
