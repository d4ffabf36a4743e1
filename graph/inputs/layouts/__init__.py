"""Page layouts, one module each defining ``LAYOUT`` (:class:`graph.inputs.readers.Layout`).

Found by :data:`LAYOUTS`; ``_text`` holds the text tools they share.
"""

from graph.inputs.readers import Layout
from graph.plugins import Registry

LAYOUTS: Registry[Layout] = Registry("graph.inputs.layouts", "LAYOUT")
