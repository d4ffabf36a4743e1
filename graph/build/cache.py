"""Per-file intermediate results kept between builds, so a rebuild re-reads only what changed.

A build keeps, under ``build/cache/``, what it made of each corpus file: its records, its parsed
references, its mentions and candidate findings, its citation contexts, and each curation record
checked against its document; and the triples of each work and document, with the index of what
``graph.nt`` is made of (:mod:`graph.build.blocks`). Each entry is keyed by a digest of
everything it is made from: the file's bytes and corpus path, the code of the package
(:data:`CODE`), and, where they matter, the ontology's files, the strictness and the curation of
the file's records. A changed input is a different key, so an entry is never stale; an entry the
build does not use again is left behind with the old build folder (the build writes a fresh
``cache/`` into its staging folder, linking the entries it reused),
so the cache holds the current corpus only.

Nothing read from the cache differs from what reading the file again would give, so a build from
the cache is byte for byte the build from scratch (``tests/test_incremental.py``).

An entry a build keeps from the last one is linked unread and unpickled only when a later stage
asks for it (:class:`FileResults`, :class:`Curations`); what every build needs of every file or
curation record is kept in one small index per kind beside the entries, and taken from the
entries themselves where that index is missing or damaged (``tests/test_lazy_entries.py``).
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from graph.build.file_stats import STATS, FileIndex, FileStats
from graph.build.workers import each, spread
from graph.cache_keys import FOLDER, code_digest, digest
from graph.evidence.curation import SCHEMA, load_curation, load_curations
from graph.evidence.findings import Curation
from graph.inputs.read import corpus_files, read_documents
from graph.inputs.text import reread
from graph.records import Document
from graph.settings import Paths

T = TypeVar("T")
K = TypeVar("K")
DIGESTS = "file digests"  # the kind the build report counts them under
IDENTITIES = "identities.pickle"  # corpus file key -> what makes each of its records a work
# curation entry key -> its record's file, document, the document's file key it was checked
# against, and its outline (:meth:`CorpusCache.curations`)
CURATED = "curations index.pickle"


def file_of(path: str) -> str:
    """The corpus file a document path names ("documents/a.xml#pmid-1" -> "documents/a.xml")."""
    return path.partition("#")[0]


class FileResults(Mapping[str, T]):
    """Per-file results by document path, each file's unpickled when one of its documents is
    first asked for (:meth:`CorpusCache.per_file`); ``summaries``: what the build keeps of
    every document's value beside them, by document path."""

    def __init__(self, files: dict[str, str], load: Callable[[str], dict[str, T]]) -> None:
        self._files = files  # document path -> its file
        self._load = load  # a file -> the results of its documents
        self._loaded: dict[str, dict[str, T]] = {}
        self.summaries: dict[str, Any] = {}

    def __getitem__(self, path: str) -> T:
        file = self._files[path]
        if file not in self._loaded:
            self._loaded[file] = self._load(file)
        return self._loaded[file][path]

    def __contains__(self, path: object) -> bool:
        return path in self._files

    def __iter__(self) -> Iterator[str]:
        return iter(self._files)

    def __len__(self) -> int:
        return len(self._files)

    def only(self, paths: Iterable[str]) -> FileResults[T]:
        """These results for ``paths`` (of its documents) only, loaded alike."""
        results = FileResults({path: self._files[path] for path in paths}, self._load)
        results._loaded = self._loaded  # one read of each file between them
        return results


@dataclass(frozen=True)
class Curated:
    """A curation record as the cache keeps it: its file and document (both relative to the
    corpus), its entry's key, and what every build needs of it (see
    :meth:`CorpusCache.curations`)."""

    path: str
    document: str
    key: str
    outline: Any


class Curations(Mapping[str, Curation]):
    """The curation records by the path of the document each curates, each read from the
    cache when first asked for; :attr:`held` tells their files and outlines without reading
    them."""

    def __init__(self, held: dict[str, Curated], record: Callable[[str], Curation]) -> None:
        self.held = held
        self._record = record

    def __getitem__(self, document: str) -> Curation:
        if document not in self.held:
            raise KeyError(document)
        return self._record(document)

    def __contains__(self, document: object) -> bool:
        return document in self.held

    def __iter__(self) -> Iterator[str]:
        return iter(self.held)

    def __len__(self) -> int:
        return len(self.held)


@dataclass
class Cache:
    """Entries read from ``old`` (the last build's cache, if any) and kept in ``new``.

    ``new`` None reads without keeping (``add`` checking new files against the corpus).
    ``hits`` and ``misses`` count, per kind of entry, what was reused and what was made.
    """

    old: Path | None
    new: Path | None
    hits: dict[str, int] = field(default_factory=dict)
    misses: dict[str, int] = field(default_factory=dict)
    made: set[str] = field(default_factory=set)  # folders of ``new`` known to exist

    def _load(self, name: str, keep: bool = True) -> tuple[bool, Any]:
        """Whether entry ``name`` is there (this build's, else the last build's, kept in this
        one if ``keep``) and its value; a damaged entry is not there."""
        for folder in (self.new, self.old):
            if folder is None:
                continue
            try:  # opened without a look first: an add reads tens of thousands of entries
                with open(f"{folder}/{name}", "rb") as handle:
                    data = handle.read()
            except OSError:  # none (or not a file)
                continue
            try:
                value = pickle.loads(data)
            except Exception:  # a damaged entry is made again, never trusted
                continue
            if keep and folder is self.old and self.new is not None:
                self._keep(name)
            return True, value
        return False, None

    def _target(self, name: str) -> str:
        """Where entry ``name`` goes in ``new``, its folder made once a build (tens of
        thousands of entries share a few folders). Paths as strings: an add carries tens of
        thousands of entries, and a ``Path`` costs more than the link."""
        folder = name.rpartition("/")[0]
        if folder not in self.made:
            (self.new / folder).mkdir(parents=True, exist_ok=True)  # type: ignore[operator]
            self.made.add(folder)
        return f"{self.new}/{name}"

    def _keep(self, name: str) -> None:
        """The last build's entry ``name`` kept in ``new``: linked, else copied."""
        source, target = f"{self.old}/{name}", self._target(name)
        try:
            os.link(source, target)
        except FileNotFoundError:
            raise
        except OSError:
            with open(source, "rb") as read, open(target, "wb") as write:
                write.write(read.read())

    def _store(self, name: str, value: object) -> None:
        if self.new is None:
            return
        self._write(name, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def _write(self, name: str, data: bytes) -> None:
        target = Path(self._target(name))
        partial = target.with_name(f".{target.name}.part")
        partial.write_bytes(data)
        partial.replace(target)

    def previous(self, name: str) -> Any:
        """The last build's entry ``name`` (a path in the cache folder), read without keeping
        it; None if it has none or it is damaged."""
        if self.old is None or not (self.old / name).is_file():
            return None
        try:
            return pickle.loads((self.old / name).read_bytes())
        except Exception:  # a damaged entry is never trusted
            return None

    def keep(self, name: str, value: object) -> None:
        """Keep ``value`` as the entry ``name`` of this build's cache."""
        self._store(name, value)

    def carry(self, kind: str, key: str) -> bool:
        """Keep the last build's entry ``kind/key`` without reading it, counted as reused;
        False if it has none."""
        name = f"{kind}/{key}.pickle"
        if self.old is None:
            return False
        try:  # one link, no look first: an add carries tens of thousands of entries
            if self.new is not None:
                self._keep(name)
            elif not os.path.isfile(f"{self.old}/{name}"):
                return False
        except FileNotFoundError:
            return False
        self.hits[kind] = self.hits.get(kind, 0) + 1
        return True

    def fetch(self, kind: str, key: str, make: Callable[[], T],
              valid: Callable[[T], bool] = lambda _v: True) -> T:
        """The entry ``kind/key``, or ``make()`` kept under that key when there is none."""
        found, value = self.lookup(kind, key, valid)
        if found:
            return value  # type: ignore[no-any-return]
        made = make()
        self.put(kind, key, made)
        return made

    def lookup(self, kind: str, key: str, valid: Callable[[Any], bool] = lambda _v: True
               ) -> tuple[bool, Any]:
        """Whether the entry ``kind/key`` is there (and ``valid``), counted as reused, and its
        value: :meth:`fetch` without the making, for entries made together elsewhere."""
        found, value = self._load(f"{kind}/{key}.pickle")
        if found and valid(value):
            self.hits[kind] = self.hits.get(kind, 0) + 1
            return True, value
        return False, None

    def read(self, kind: str, key: str) -> tuple[bool, Any]:
        """Whether the entry ``kind/key`` is there and its value, read without keeping it or
        counting it (kept already: :meth:`carry`)."""
        return self._load(f"{kind}/{key}.pickle", keep=False)

    def has(self, kind: str, key: str) -> bool:
        """Whether an entry ``kind/key`` is there (it may yet prove damaged: :meth:`fetch`
        makes it again then)."""
        name = f"{kind}/{key}.pickle"
        return any(folder is not None and os.path.isfile(f"{folder}/{name}")
                   for folder in (self.new, self.old))

    def make_missing(self, missing: Sequence[K], entry: Callable[[K], tuple[str, str]],
             make: Callable[[K], T], jobs: int) -> Iterator[tuple[K, T]]:
        """``make`` of each item ``missing`` from the cache, kept as the entry ``entry(item)``
        (its kind and key): each item and its value, in turn, as they are asked for.

        Over ``jobs`` workers (:func:`graph.build.workers.each`), each value is pickled where
        it is made and kept as those bytes, which this process only unpickles: it is not
        pickled a second time here, where the build has no core to spare."""
        if not spread(len(missing), jobs):
            for item in missing:
                value = make(item)
                self.put(*entry(item), value)
                yield item, value
            return
        pickled = each(lambda item: pickle.dumps(make(item), protocol=pickle.HIGHEST_PROTOCOL),
                       missing, jobs)
        for item, data in zip(missing, pickled, strict=True):
            self.put_pickled(*entry(item), data)
            yield item, pickle.loads(data)

    def put(self, kind: str, key: str, value: object) -> None:
        """Keep ``value``, made for want of an entry, as the entry ``kind/key``."""
        self.misses[kind] = self.misses.get(kind, 0) + 1
        self._store(f"{kind}/{key}.pickle", value)

    def put_pickled(self, kind: str, key: str, data: bytes) -> None:
        """:meth:`put` of a value already pickled (made in another process)."""
        self.misses[kind] = self.misses.get(kind, 0) + 1
        if self.new is not None:
            self._write(f"{kind}/{key}.pickle", data)


@dataclass
class CorpusCache:
    """The cache of one build: its entries and the keys of the corpus files it read."""

    cache: Cache
    strict: bool
    file_keys: dict[str, str] = field(default_factory=dict)  # corpus file -> its key
    jobs: int = 1  # processes that make what the cache lacks (:func:`graph.build.workers.each`)
    # document path -> the key of its curation record's entry (with its file's key, all the
    # record is made from: what a unit of the graph is keyed by, not the record's repr)
    curation_keys: dict[str, str] = field(default_factory=dict)
    stats: FileStats = field(default_factory=FileStats)  # the files' digests, by their stat
    # the lists of documents held to make a damaged entry again (:meth:`let_texts_go`), and
    # the corpus folder their texts are read again from once let go
    remake_from: list[list[Document]] = field(default_factory=list)
    root: Path | None = None

    def __post_init__(self) -> None:
        self.stats.last = last_stats(self.cache)

    def let_texts_go(self, documents: list[Document], root: Path) -> list[Document]:
        """``documents`` without their texts (:meth:`Document.without_text`), put in place of
        every document this cache holds to make a damaged entry again: else those would keep
        every file's text alive to the build's end (the texts were half the memory of the
        records). Such an entry, should one be needed, reads its files again from ``root``."""
        lighter = {id(d): d.without_text() for d in documents}
        for group in self.remake_from:
            group[:] = [lighter.get(id(d)) or d.without_text() for d in group]
        self.root = root
        return [lighter[id(d)] for d in documents]

    def with_texts(self, documents: list[Document]) -> list[Document]:
        """``documents`` with their texts, read again (once a file) where they were let go."""
        if self.root is None:
            return documents
        texts: dict[str, str] = {}
        whole = []
        for d in documents:
            if not d.text and d.characters > 0:
                file = file_of(d.path)
                if file not in texts:
                    texts[file] = reread(d, self.root)
                d = replace(d, text=texts[file])
            whole.append(d)
        return whole

    def keep_stats(self) -> None:
        """Keep the stat and digest of every file read so far, for the next build; count the
        digests taken back ("reused") and the files hashed ("made")."""
        self.cache.keep(STATS, self.stats.index)
        self.cache.hits[DIGESTS] = len(self.stats.index.files) - self.stats.read
        self.cache.misses[DIGESTS] = self.stats.read

    def read(self, folder: Path, root: Path, tick: Callable[[], None] = lambda: None
             ) -> list[Document]:
        """Every document of the corpus folder (as :func:`graph.inputs.read.read_corpus`),
        each file read only if the cache has no records for its bytes (over :attr:`jobs`
        workers), in the files' order."""
        keys: dict[Path, str] = {}
        found: dict[Path, list[Document]] = {}
        for path in corpus_files(folder):
            name = path.relative_to(root).as_posix()
            keys[path] = self.file_keys[name] = self.key(name, self.stats.sha256(name, path))
            reused, records = self.cache.lookup("records", keys[path])
            if reused:
                found[path] = records
                tick()
        missing = [path for path in keys if path not in found]
        for path, records in self.cache.make_missing(
                missing, lambda p: ("records", keys[p]),
                lambda p: read_documents(p, root, self.strict), self.jobs):
            found[path] = records
            tick()
        return [document for path in keys for document in found[path]]

    def key(self, name: str, sha256: str) -> str:
        """The key of the corpus file ``name`` (its path in the corpus) whose bytes have the
        digest ``sha256``."""
        return digest(code_digest(), str(self.strict), name, sha256)

    def keep_identities(self, documents: Iterable[Document],
                        identity: Callable[[Document], str | None]) -> None:
        """Keep ``identity`` of the records ``documents`` (as :meth:`read` gave them) by their
        file's key: an ``add`` checks new records against the corpus from this index
        (:func:`corpus_identities`), not from every record."""
        index: dict[str, list[str | None]] = {key: [] for key in self.file_keys.values()}
        for document in documents:
            index[self.file_keys[file_of(document.path)]].append(identity(document))
        self.cache.keep(IDENTITIES, index)

    def per_file(self, kind: str, documents: Iterable[Document], context: str,
                 make: Callable[[list[Document]], dict[str, T]],
                 extra: Callable[[Document], str] = lambda _d: "",
                 summary: Callable[[T], Any] | None = None) -> FileResults[T]:
        """``make`` of each file's documents, by document path, cached per file.

        The key is the file's, ``context`` (what else the result depends on) and, per
        document, its path and ``extra(document)``. What the cache lacks is made over
        :attr:`jobs` workers; the results are in the documents' order either way.

        The last build's entries are kept in this build's cache unread: each is unpickled when
        one of its documents is first asked for, so an add whose later stages ask for the
        changed documents only never reads the others (issue 26). ``summary`` gives what a
        build needs of every document's value (counts for the report): kept for each file's
        key in one index beside the entries (:attr:`FileResults.summaries`), so a kept entry
        is not unpickled for it; taken from the value where the index has none.
        """
        groups: dict[str, list[Document]] = {}
        for document in documents:
            groups.setdefault(file_of(document.path), []).append(document)
        self.remake_from.extend(groups.values())  # for ``load``: its texts let go with the others
        keys = {file: digest(kind, self.file_keys[file], context,
                             *(part for d in group for part in (d.path, extra(d))))
                for file, group in groups.items()}
        kept = {file for file, key in keys.items() if self.cache.carry(kind, key)}
        missing = [file for file in groups if file not in kept]
        made = dict(self.cache.make_missing(missing, lambda f: (kind, keys[f]),
                                            lambda f: make(groups[f]), self.jobs))

        def load(file: str) -> dict[str, T]:
            if file in made:
                return made[file]
            found, value = self.cache.read(kind, keys[file])
            if not found:  # damaged since: made again, never trusted
                self.cache.hits[kind] -= 1
                value = make(self.with_texts(groups[file]))
                self.cache.put(kind, keys[file], value)
            return value  # type: ignore[no-any-return]

        results = FileResults({d.path: file for file, group in groups.items() for d in group},
                              load)
        if summary is not None:
            name = f"{kind} summaries.pickle"
            last = self.cache.previous(name)
            last = last if isinstance(last, dict) else {}
            index = {}
            for file, key in keys.items():
                paths = list(dict.fromkeys(d.path for d in groups[file]))
                held = last.get(key)
                if file not in kept or not isinstance(held, dict) or list(held) != paths:
                    held = {path: summary(results[path]) for path in paths}
                index[key] = held
                results.summaries.update(held)
            self.cache.keep(name, index)
        return results

    def curations(self, paths: Paths, documents: list[Document], vocabulary: Any,
                  ontology: str, outline: Callable[[Curation], Any]) -> Curations:
        """Every curation record (:func:`graph.evidence.curation.load_curations`), cached per
        YAML file: an entry holds the key of the file of the document it was checked against,
        and is used only while that file is unchanged. The key holds the curation schema's
        bytes too (it ships beside the ontology, not as code).

        The last build's entries are kept unread, and each record is unpickled when asked for
        (:class:`Curations`): what a build needs of every record, ``outline(record)``, is kept
        for each entry's key in one index (:data:`CURATED`), with the record's file and
        document and the key it was checked against, so an unchanged record is not read for
        it (issue 26). Where the index has none, the record is read (or made) for it."""
        schema = digest(SCHEMA.read_bytes())
        last = self.cache.previous(CURATED)
        last = last if isinstance(last, dict) else {}
        index: dict[str, tuple[str, str, str | None, Any]] = {}
        read: dict[str, Curation] = {}  # by document: the records read or made to be checked
        sources: dict[str, Path] = {}  # by document: its record's file, to make it again
        checked = list(documents)  # what a record made again is checked against
        self.remake_from.append(checked)

        def load(path: Path, corpus: Path, by_path: Mapping[str, Document],
                 vocabulary: Any) -> Curated:
            name = path.relative_to(corpus).as_posix()
            key = digest("curation", code_digest(), ontology, schema, name,
                         self.stats.sha256(name, path))

            def make() -> tuple[Curation, str | None]:
                curation = load_curation(path, corpus, by_path, vocabulary)
                return curation, self.file_keys.get(file_of(curation.document))

            def valid(entry: tuple[Curation, str | None]) -> bool:
                curation, checked_against = entry
                return (curation.document in by_path
                        and checked_against == self.file_keys.get(file_of(curation.document)))

            held = last.get(key)
            if not (isinstance(held, tuple) and len(held) == 4 and held[1] in by_path
                    and held[2] == self.file_keys.get(file_of(held[1]))
                    and self.cache.carry("curations", key)):
                curation, checked_against = self.cache.fetch("curations", key, make, valid)
                held = (curation.path, curation.document, checked_against, outline(curation))
                read[curation.document] = curation
            index[key] = held
            self.curation_keys[held[1]] = key
            sources[held[1]] = path
            return Curated(held[0], held[1], key, held[3])

        def record(document: str) -> Curation:
            if document in read:
                return read[document]
            key = self.curation_keys[document]
            found, entry = self.cache.read("curations", key)
            if not found or not isinstance(entry, tuple) or entry[0].document != document:
                self.cache.hits["curations"] -= 1  # damaged since: made again, never trusted
                by_path = {d.path: d for d in checked}
                own = by_path.get(document)
                if own is not None:  # the one document a record is checked against
                    by_path[document] = self.with_texts([own])[0]
                entry = (load_curation(sources[document], paths.corpus, by_path, vocabulary),
                         index[key][2])
                self.cache.put("curations", key, entry)
            read[document] = entry[0]
            return entry[0]  # type: ignore[no-any-return]

        held = load_curations(paths, documents, vocabulary, load)
        self.cache.keep(CURATED, index)
        return Curations(held, record)

    def summary(self) -> dict[str, dict[str, int]]:
        """Per kind of entry, how many were reused and how many made."""
        kinds = sorted(self.cache.hits.keys() | self.cache.misses.keys())
        return {k: {"reused": self.cache.hits.get(k, 0), "made": self.cache.misses.get(k, 0)}
                for k in kinds}


def last_stats(cache: Cache) -> FileIndex | None:
    """The files' stats and digests the last build kept, if any (else every file is hashed)."""
    last = cache.previous(STATS)
    return last if isinstance(last, FileIndex) else None


def corpus_identities(documents: Path, corpus: Path, out: Path,
                      identity: Callable[[Document], str | None]
                      ) -> tuple[set[str], dict[str, Path]]:
    """What makes the corpus's records works (``identity`` of each: DOI, PMID), and each corpus
    file by the sha256 of its bytes, for ``add`` to pass over what the corpus holds.

    Each file's digest is the last build's when its stat is the same
    (:mod:`graph.build.file_stats`), else it is read; its records' identities come from the
    index the last build into ``out`` kept (:meth:`CorpusCache.keep_identities`) under the
    file's key, else from its records (cached, or read: a file changed since). The cache is
    left as it is.
    """
    kept = CorpusCache(Cache(out / FOLDER, None), strict=False)
    index = kept.cache.previous(IDENTITIES)
    index = index if isinstance(index, dict) else {}
    found: set[str] = set()
    by_bytes: dict[str, Path] = {}
    for path in corpus_files(documents) if documents.is_dir() else []:
        name = path.relative_to(corpus).as_posix()
        sha256 = kept.stats.sha256(name, path)
        by_bytes[sha256] = path
        key = kept.key(name, sha256)
        ids = index.get(key)
        if ids is None:
            ids = [identity(d) for d in kept.cache.fetch(
                "records", key, lambda p=path: read_documents(p, corpus, False))]  # type: ignore[misc]
        found.update(i for i in ids if i)
    return found, by_bytes
