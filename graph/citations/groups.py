"""Resolving again only what a changed document reaches: a build keeps its works by groups of
mentions, and the next one clusters again the groups a changed document's mentions reach,
taking every other group's works as they were (issue 26).

Two mentions reach each other when the clustering (:func:`graph.citations.works._cluster`) may
try to merge them: they print one identifier, or fall in one block of first-author family and
year, or one has no year and the other its family, or one has no authors and the other its
title. A group is the mentions linked by reaching, one another's or through others. Its works
are a function of its mentions in their canonical order (:func:`graph.citations.works.mentions_of`,
by the documents' paths) alone: the merges the clustering tries, and so the ones it refuses
(two identifiers), are among the group's mentions, in that order, whatever the other groups
hold. So a build clusters again the mentions of the changed documents with every group they
reach (and the groups their documents' old mentions were in: a removal may split one), and the
works are those of a build from scratch. A document is changed when its signature (its file's
cache key: the bytes, path and code its mentions are made from) is not the one kept.

The groups are kept in an SQLite file (:class:`Kept`), a row per group with an index of the
keys its mentions hold and look for and of the documents they are printed in, so an add looks
up the groups its change reaches and rewrites only their rows, on a copy of the last build's
file (the kernel copies it; nothing is pickled again for the groups it does not reach). A group
also keeps its part of the build report, the printed forms of its merged works.
"""

from __future__ import annotations

import hashlib
import pickle
import shutil
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from graph.citations.works import (
    Disagreement,
    Features,
    Mention,
    Resolution,
    Work,
    _cluster,
    cited_in,
    features_of,
    gather,
    make_work,
    mentions_of,
    printed_forms,
)
from graph.records import Bibliographic, Document, ParsedReference

Key = tuple[object, ...]  # what a mention holds or looks for: ("block", family, year), ...
MentionId = tuple[str, int]  # the document's path, and 0 or the place in its reference list
Values = tuple[tuple[str, tuple[MentionId, ...]], ...]
Forms = list[dict[str, object]]  # :func:`graph.citations.works.printed_forms`


@dataclass(frozen=True)
class KeptWork:
    """A work as the next build takes it back: its mentions by id, its fields, its key before
    keys are made unique among all works, its disagreements, and (when it merges mentions) its
    printed forms for the report."""

    members: tuple[MentionId, ...]
    fields: Bibliographic
    key: str
    disagreements: tuple[tuple[str, Values], ...]
    facts: str  # :meth:`graph.citations.works.Work.fingerprint`
    forms: Forms | None = None


@dataclass(frozen=True)
class Group:
    """The works of a group of mentions, the keys its mentions hold and look for, and the
    documents they are printed in."""

    works: tuple[KeptWork, ...]
    held: frozenset[Key]
    probed: frozenset[Key]
    documents: frozenset[str]


_SCHEMA = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE signatures (path TEXT PRIMARY KEY, signature TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE groups (number INTEGER PRIMARY KEY, works BLOB NOT NULL);
CREATE TABLE documents (path INTEGER NOT NULL, number INTEGER NOT NULL);
CREATE INDEX documents_path ON documents (path);
CREATE INDEX documents_number ON documents (number);
CREATE TABLE keys (key INTEGER NOT NULL, number INTEGER NOT NULL, probed INTEGER NOT NULL);
CREATE INDEX keys_key ON keys (key);
CREATE INDEX keys_number ON keys (number);
"""


def _hashed(key: Key) -> int:
    """A key (or a document's path, as ``("document", path)``) as the index stores it: 64
    bits of a digest of its ``repr`` (strings, numbers and None only). Two keys sharing a
    number would only make a change reach a group it does not, and clustering more groups again
    gives the same works; the index is a fraction of the size of the texts', and it is copied
    every add."""
    return int.from_bytes(hashlib.blake2b(repr(key).encode(), digest_size=8).digest(), "big",
                          signed=True)


class Damaged(Exception):
    """The kept groups cannot be read, or do not fit the mentions (a document's signature
    lied): resolve everything."""


class Kept:
    """A build's resolution by groups, for the next build: an SQLite database (a file, or in
    memory). ``context`` is what else it was made with (the code, the settings); none of it is
    used under another.

    A key is looked for by one group at most (each key a mention looks for it also holds, so
    two groups looking for one key would be one group); the index finds the groups a change
    reaches without walking the others (their works are still read back whole: the triples
    stage takes every work).
    """

    def __init__(self, path: Path | None, context: str) -> None:
        self.path = path
        self.context = context
        self.db = self._create()

    def _create(self) -> sqlite3.Connection:
        if self.path is not None:
            self.path.unlink(missing_ok=True)
        db = self._connect()
        db.executescript(_SCHEMA)
        db.execute("INSERT INTO meta VALUES ('context', ?), ('next', '0')", (self.context,))
        return db

    def _connect(self) -> sqlite3.Connection:
        # The file is written in a build's staging folder, thrown away whole if the build
        # stops: no journal, no waiting for the disk.
        db = sqlite3.connect(":memory:" if self.path is None else str(self.path),
                             isolation_level=None)
        db.execute("PRAGMA journal_mode=OFF")
        db.execute("PRAGMA synchronous=OFF")
        return db

    @classmethod
    def reopened(cls, last: Path, path: Path | None) -> Kept | None:
        """The groups kept in the file ``last``, copied to ``path`` (in memory if None) to be
        changed there; None if there is no such file or it is damaged."""
        if not last.is_file():
            return None
        kept = cls.__new__(cls)
        kept.path = path
        try:
            if path is None:
                kept.db = sqlite3.connect(":memory:", isolation_level=None)
                with closing(sqlite3.connect(f"file:{last}?mode=ro", uri=True)) as source:
                    source.backup(kept.db)
            else:
                shutil.copyfile(last, path)  # the kernel's copy: nothing is decoded
                kept.db = kept._connect()
            kept.context = kept._meta("context")
            int(kept._meta("next"))
        except (sqlite3.Error, OSError, ValueError, TypeError):
            return None
        return kept

    def _meta(self, name: str) -> str:
        [(value,)] = self.db.execute("SELECT value FROM meta WHERE name = ?", (name,))
        return str(value)

    def reset(self, context: str) -> None:
        """Forget every group (and the file's old bytes, however damaged)."""
        self.db.close()
        self.context = context
        self.db = self._create()

    def close(self) -> None:
        self.db.close()

    @property
    def signatures(self) -> dict[str, str]:
        """Each document's signature when its groups were made (a path and a string each)."""
        return dict(self.db.execute("SELECT path, signature FROM signatures"))

    def sign(self, signatures: Mapping[str, str]) -> None:
        """Keep ``signatures`` as the documents' signatures: only the rows that change."""
        last = self.signatures
        self.db.executemany("DELETE FROM signatures WHERE path = ?",
                            [(p,) for p in last.keys() - signatures.keys()])
        self.db.executemany("INSERT OR REPLACE INTO signatures VALUES (?, ?)",
                            [(p, s) for p, s in signatures.items() if last.get(p) != s])

    def groups(self) -> Iterator[tuple[int, tuple[KeptWork, ...]]]:
        """Every group's number and works."""
        for number, works in self.db.execute("SELECT number, works FROM groups"):
            yield number, _loaded(works)

    def works(self, numbers: Iterable[int]) -> Iterator[tuple[KeptWork, ...]]:
        """The works of the groups ``numbers``."""
        for number in numbers:
            found = self.db.execute("SELECT works FROM groups WHERE number = ?",
                                    (number,)).fetchone()
            if found is None:
                raise Damaged(f"kept group {number} is gone")
            yield _loaded(found[0])

    def reached(self, changed: Iterable[str], fresh: Iterable[Features]) -> set[int]:
        """The groups the documents ``changed`` were in, and those the mentions ``fresh`` now
        reach: a group holding a key a mention looks for, or looking for a key it holds."""
        db = self.db
        db.execute("CREATE TEMP TABLE IF NOT EXISTS asked (key INTEGER PRIMARY KEY, "
                   "probes INTEGER)")
        db.execute("DELETE FROM asked")
        asked: dict[int, int] = {}
        for f in fresh:
            held, probes = reach(f)
            for key in held:
                asked.setdefault(_hashed(key), 0)
            for key in probes:
                asked[_hashed(key)] = 1
        db.executemany("INSERT INTO asked VALUES (?, ?)", asked.items())
        found = {n for (n,) in db.execute(
            "SELECT DISTINCT k.number FROM asked a JOIN keys k ON k.key = a.key "
            "WHERE a.probes OR k.probed")}
        for path in changed:
            found.update(n for (n,) in db.execute(
                "SELECT number FROM documents WHERE path = ?", (_hashed(("document", path)),)))
        return found

    def drop(self, numbers: Iterable[int]) -> None:
        """Let the groups ``numbers`` go, with their rows of the index."""
        rows = [(n,) for n in numbers]
        for table in ("groups", "documents", "keys"):
            self.db.executemany(f"DELETE FROM {table} WHERE number = ?", rows)

    def place(self, groups: Sequence[Group]) -> None:
        """Keep ``groups`` under new numbers, indexed by their keys and documents."""
        first = int(self._meta("next"))
        numbers = range(first, first + len(groups))
        self.db.executemany("INSERT INTO groups VALUES (?, ?)", [
            (n, pickle.dumps(g.works, protocol=pickle.HIGHEST_PROTOCOL))
            for n, g in zip(numbers, groups, strict=True)])
        self.db.executemany("INSERT INTO documents VALUES (?, ?)", [
            (_hashed(("document", path)), n)
            for n, g in zip(numbers, groups, strict=True) for path in g.documents])
        self.db.executemany("INSERT INTO keys VALUES (?, ?, ?)", [
            (_hashed(key), n, key in g.probed)
            for n, g in zip(numbers, groups, strict=True) for key in g.held])
        self.db.execute("UPDATE meta SET value = ? WHERE name = 'next'",
                        (str(first + len(groups)),))

    def described(self) -> list[object]:
        """What the groups hold, whatever their numbers: each group's works, keys and
        documents, sorted (for comparing two states)."""
        keys: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for key, number, probed in self.db.execute("SELECT key, number, probed FROM keys"):
            keys[number].append((key, probed))
        documents: dict[int, list[int]] = defaultdict(list)
        for path, number in self.db.execute("SELECT path, number FROM documents"):
            documents[number].append(path)
        return sorted(repr((works, sorted(keys[n]), sorted(documents[n])))
                      for n, works in self.groups())


def _loaded(works: bytes) -> tuple[KeptWork, ...]:
    try:
        found = pickle.loads(works)
    except Exception as exc:  # a damaged row is never trusted
        raise Damaged(f"a kept group cannot be read: {exc}") from exc
    if not isinstance(found, tuple):
        raise Damaged("a kept group is not a tuple of works")
    return found


def reach(f: Features) -> tuple[list[Key], list[Key]]:
    """The keys a mention holds and those it looks for: a mention reaches every mention that
    holds a key it looks for (and holds each key it looks for)."""
    ids: list[Key] = [("id", kind, value) for kind, value in f.ids]
    block: Key = ("block", f.family, f.year)
    held = [*ids, block, ("family", f.family)] + ([("title", f.title)] if f.title else [])
    probes = [*ids, block]
    if f.year is None:  # compared with the family's every year
        probes.append(("family", f.family))
    if not f.family and f.title:  # compared with every record of its title
        probes.append(("title", f.title))
    return held, probes


def _groups(features: Sequence[Features]) -> list[list[int]]:
    """The indices of the features linked by reaching, each group in index order."""
    parent = list(range(len(features)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    holders: dict[Key, list[int]] = defaultdict(list)
    probed: set[Key] = set()
    for i, f in enumerate(features):
        held, probes = reach(f)
        for key in held:
            holders[key].append(i)
        probed.update(probes)
    for key in probed:
        first, *others = holders[key]
        for j in others:
            a, b = find(first), find(j)
            if a != b:
                parent[max(a, b)] = min(a, b)
    grouped: dict[int, list[int]] = defaultdict(list)
    for i in range(len(features)):
        grouped[find(i)].append(i)
    return list(grouped.values())


def _mention_id(mention: Mention) -> MentionId:
    if mention.citing is not None:
        return mention.citing, mention.position
    assert mention.document is not None
    return mention.document.path, 0


def _kept_work(work: Work) -> KeptWork:
    return KeptWork(tuple(map(_mention_id, work.mentions)), work.fields, work.key,
                    tuple((d.field, tuple((v, tuple(map(_mention_id, ms))) for v, ms in d.values))
                          for d in work.disagreements), work.fingerprint(),
                    printed_forms(work.mentions) if len(work.mentions) > 1 else None)


@dataclass
class Outcome:
    """What :func:`resolve_kept` gives: the resolution, what to keep for the next build, how
    many groups were taken back and how many clustered again, and the printed forms of each
    merged work by its key (the report's part, kept with its group)."""

    resolution: Resolution
    kept: Kept
    reused: int
    made: int
    forms: dict[str, Forms]


def resolve_kept(
    documents: Sequence[Document], references: Mapping[str, Sequence[ParsedReference]],
    reports: Mapping[str, ParsedReference], signatures: Mapping[str, str], context: str,
    last: Kept | None,
) -> Outcome:
    """:func:`graph.citations.works.resolve`, clustering again only the groups the documents
    whose signature changed reach, the other groups' works taken from ``last`` and ``last``
    changed to hold the new groups (all of them clustered, ``last`` emptied, when it is None,
    was kept under another ``context``, cannot be read or does not fit)."""
    if last is None:
        last = Kept(None, context)
    elif last.context != context:
        last.reset(context)
    try:
        return _resolve(documents, references, reports, signatures, last)
    except (Damaged, sqlite3.Error):
        last.reset(context)
        return _resolve(documents, references, reports, signatures, last)


class _Places:
    """Where each document's mentions are in the canonical order
    (:func:`graph.citations.works.mentions_of`): a mention's index from its id, without an
    index of every mention."""

    def __init__(self, documents: Sequence[Document],
                 references: Mapping[str, Sequence[ParsedReference]],
                 reports: Mapping[str, ParsedReference]) -> None:
        paths = sorted(d.path for d in documents)
        self.own = {path: i for i, path in enumerate(paths)}
        self.cited: dict[str, tuple[int, int]] = {}  # path -> (index before its first, count)
        before = len(paths) - 1
        for path in paths:
            count = len(cited_in(path, references, reports))
            self.cited[path] = before, count
            before += count

    def of(self, path: str) -> list[int]:
        """The indices of document ``path``'s mentions: its own record and what it cites."""
        before, count = self.cited[path]
        return [self.own[path], *range(before + 1, before + count + 1)]

    def at(self, mention: MentionId) -> int:
        path, position = mention
        try:
            if position == 0:
                return self.own[path]
            before, count = self.cited[path]
        except KeyError as exc:
            raise Damaged(f"a kept mention is gone: {mention}") from exc
        if not 0 < position <= count:
            raise Damaged(f"a kept mention is gone: {mention}")
        return before + position


def _resolve(
    documents: Sequence[Document], references: Mapping[str, Sequence[ParsedReference]],
    reports: Mapping[str, ParsedReference], signatures: Mapping[str, str], last: Kept,
) -> Outcome:
    mentions, edges = mentions_of(documents, references, reports)
    places = _Places(documents, references, reports)
    signed = last.signatures
    changed = {path for path, signature in signatures.items()
               if signed.get(path) != signature} | (signed.keys() - signatures.keys())
    fresh = sorted(i for path in changed if path in places.own for i in places.of(path))
    features = features_of(mentions[i] for i in fresh)
    affected = last.reached(changed, features)
    again = set(fresh)
    # the reached groups' works printed only by unchanged documents: a work clustered again
    # from the same mentions is the same, taken back rather than made again
    unchanged: dict[tuple[MentionId, ...], KeptWork] = {}
    for works in last.works(sorted(affected)):
        for w in works:
            members = [places.at(m) for m in w.members if m[0] not in changed]
            again.update(members)
            if len(members) == len(w.members):
                unchanged[w.members] = w
    order = sorted(again)
    sub = [mentions[i] for i in order]
    local = features_of(sub)

    last.db.execute("BEGIN")
    last.sign(signatures)
    last.drop(affected)
    placed: list[tuple[list[int], Work]] = []
    forms: dict[int, Forms] = {}  # by the work's first mention
    at = places.at
    reused = 0
    def taken_back(w: KeptWork, cluster: list[int]) -> Work:
        if w.forms is not None:
            forms[cluster[0]] = w.forms
        return Work(w.key, w.fields, [mentions[i] for i in cluster], [
            Disagreement(name, tuple((v, tuple(mentions[at(m)] for m in ms)) for v, ms in values))
            for name, values in w.disagreements], w.facts)

    for _number, works in last.groups():  # the groups the change does not reach
        reused += 1
        for w in works:
            cluster = [at(m) for m in w.members]
            placed.append((cluster, taken_back(w, cluster)))
    group_of = {}
    made_groups = _groups(local)
    for g, members in enumerate(made_groups):
        group_of.update(dict.fromkeys(members, g))
    works_of_group: dict[int, list[KeptWork]] = defaultdict(list)
    for cluster in _cluster(sub, local):
        indices = [order[i] for i in cluster]
        kept_work = unchanged.get(tuple(_mention_id(mentions[i]) for i in indices))
        if kept_work is not None:
            work = taken_back(kept_work, indices)
        else:
            work = make_work([mentions[i] for i in indices])
            kept_work = _kept_work(work)
            if kept_work.forms is not None:
                forms[indices[0]] = kept_work.forms
        works_of_group[group_of[cluster[0]]].append(kept_work)
        placed.append((indices, work))
    new_groups = []
    for g, members in enumerate(made_groups):
        held: set[Key] = set()
        probed: set[Key] = set()
        for i in members:
            h, p = reach(local[i])
            held.update(h)
            probed.update(p)
        new_groups.append(Group(tuple(works_of_group[g]), frozenset(held), frozenset(probed),
                                frozenset(_mention_id(sub[i])[0] for i in members)))
    last.place(new_groups)
    if sum(len(cluster) for cluster, _ in placed) != len(mentions):
        raise Damaged("the kept groups and the new ones do not hold every mention once")
    last.db.execute("COMMIT")
    placed.sort(key=lambda pair: pair[0][0])
    count = sum(len(v) for v in references.values()) + len(reports)
    resolution = gather([w for _, w in placed], mentions, [c for c, _ in placed], edges, count)
    return Outcome(resolution, last, reused, len(made_groups),
                   {w.key: forms[c[0]] for c, w in placed if c[0] in forms})
