"""Record file formats, one module each defining ``FORMAT`` (a ``RecordFormat``).

Where a page layout reads one article a file, these hold records: MEDLINE (PubMed's text export,
``.nbib``), PubMed XML, RIS and BibTeX, each read with a well-kept parser (Biopython's ``Medline``,
``lxml``, ``rispy``, ``bibtexparser``). This package adds what those parsers do not give: where in
the file each record's title and abstract stand, so mentions and candidate findings quote the file
with exact offsets. Found by :data:`FORMATS`; ``_common`` holds what they share.
"""

from graph.inputs.readers import RecordFormat
from graph.plugins import Registry

FORMATS: Registry[RecordFormat] = Registry("graph.inputs.formats", "FORMAT")
