"""Citation styles, one module each defining ``STYLE`` (:class:`~._shared.Style`).

The style of a reference string is recognised from its shape alone, never from the document it
came from; they are tried in ``order`` and the first whose pattern fits gives the raw parts.
``_shared`` holds the patterns and splitting they share. A new style is one new module.
"""

from graph.citations.styles._shared import Style
from graph.plugins import Registry

STYLES: Registry[Style] = Registry("graph.citations.styles", "STYLE")
