"""One registry pattern for every kind of plug-in: a package of modules, one plug-in per module.

Page layouts, record formats, reference styles and views are each a package whose modules each
define one plug-in under an agreed name (``LAYOUT``, ``FORMAT``, ``STYLE``, ``VIEW``). The
registry finds them by listing the package, so adding a plug-in is adding one file (plus its
test): no list to edit. Modules whose names start with ``_`` hold what the plug-ins share and are
skipped. Plug-ins are tried in the order of their ``order`` number, then their name.
"""

from __future__ import annotations

import pkgutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import import_module
from typing import Generic, Protocol, TypeVar


class Plugin(Protocol):
    """What a registry needs of a plug-in: a unique name and a place in the order of trial."""

    @property
    def name(self) -> str: ...

    @property
    def order(self) -> int: ...


P = TypeVar("P", bound=Plugin)


@dataclass
class Registry(Generic[P]):
    """The plug-ins that the modules of ``package`` define under ``attribute``."""

    package: str
    attribute: str
    _found: tuple[P, ...] | None = field(default=None, init=False, repr=False)

    def _modules(self) -> Iterator[str]:
        root = import_module(self.package)
        for info in pkgutil.iter_modules(root.__path__):
            if not info.name.startswith("_") and not info.ispkg:
                yield f"{self.package}.{info.name}"

    def all(self) -> tuple[P, ...]:
        """Every plug-in, in the order they are tried; a module without one is an error."""
        if self._found is None:
            found = []
            for name in self._modules():
                module = import_module(name)
                if not hasattr(module, self.attribute):
                    raise TypeError(f"{name} is in the plug-in package {self.package} but "
                                    f"defines no {self.attribute} (name helpers with a leading _)")
                found.append(getattr(module, self.attribute))
            names = [p.name for p in found]
            duplicated = sorted({n for n in names if names.count(n) > 1})
            if duplicated:
                raise TypeError(f"{self.package}: two plug-ins are named {duplicated}")
            self._found = tuple(sorted(found, key=lambda p: (p.order, p.name)))
        return self._found

    def names(self) -> tuple[str, ...]:
        """The plug-ins' names, in order."""
        return tuple(p.name for p in self.all())

    def get(self, name: str) -> P:
        """The plug-in called ``name``; an unknown name lists the known ones."""
        for plugin in self.all():
            if plugin.name == name:
                return plugin
        raise LookupError(f"no {self.attribute.lower()} is named {name!r}; "
                          f"known: {', '.join(self.names())}")
