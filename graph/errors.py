"""A typed exception tree, so callers (and the CLI) can tell bad input from a bug.

Every error that is the user's to fix names the file and, where it has one, the line.
The CLI prints ``str(error)`` and exits non-zero; it never shows a traceback for these.
"""

from __future__ import annotations

import signal
from pathlib import Path


class GraphError(Exception):
    """Base class of every error this package raises on purpose."""


class InputError(GraphError):
    """A source file (document, curation record, query) cannot be used as it is.

    >>> str(InputError("corpus/x.txt", "file is empty", line=3))
    'corpus/x.txt:3: file is empty'
    """

    def __init__(self, path: str | Path, reason: str, line: int | None = None) -> None:
        self.path = str(path)
        self.reason = reason
        self.line = line
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {reason}")

    def __reduce__(self) -> tuple[type[InputError], tuple[str, str, int | None]]:
        """Pickle with the fields, so the error crosses from the build's child process whole.

        >>> import pickle
        >>> error = pickle.loads(pickle.dumps(CurationError("c.yaml", "bad", 2)))
        >>> type(error).__name__, error.path, error.line, str(error)
        ('CurationError', 'c.yaml', 2, 'c.yaml:2: bad')
        """
        return type(self), (self.path, self.reason, self.line)


class UnknownLayoutError(InputError):
    """No registered layout recognises the document's text."""


class ReferenceParseError(InputError):
    """A reference string could not be split into its bibliographic fields."""


class CurationError(InputError):
    """A curation record is malformed, contradicts itself, or quotes text that is not there."""


class ValidationError(GraphError):
    """The built graph does not conform to the SHACL shapes; the message is the readable report."""


class BuildLockedError(GraphError):
    """Another build holds the output folder's lock."""


class QueryError(GraphError):
    """A query cannot be run as asked: unknown name, missing or bad parameter, bad syntax."""


class EndpointError(GraphError):
    """A SPARQL endpoint cannot be reached, refused the request, or timed out."""


class QueryTimeoutError(EndpointError):
    """A query ran longer than the timeout it was given and was stopped."""


class ExportError(GraphError):
    """An export of the built graph (KGX, GraphML) is malformed; the message lists the problems."""


class Stopped(BaseException):
    """The process was told to stop (SIGTERM, SIGHUP). Like Ctrl-C it is no ``Exception``, so it
    unwinds through every clean-up (a staging folder removed, an add's copies taken back) and no
    ``except Exception`` takes it for an error to recover from.
    """

    def __init__(self, signum: int) -> None:
        self.signum = signum
        super().__init__(signal.Signals(signum).name)
