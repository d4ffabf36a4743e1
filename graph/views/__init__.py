"""Interactive network views: self-contained HTML pages that work offline.

Each module here defines one view as ``VIEW`` (:class:`graph.views._view.View`), found by
:data:`VIEWS`; ``_page`` renders any view's network into the page template, ``_view`` says what a
view plug-in is. A new view is one new module (plus its test).
"""

from graph.plugins import Registry
from graph.views._view import View

VIEWS: Registry[View] = Registry("graph.views", "VIEW")
