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
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from graph.citations.works import (
    Disagreement,
    Features,
    Mention,
    Resolution,
    Work,
    _cluster,
    features_of,
    gather,
    make_work,
    mentions_of,
)
from graph.records import Bibliographic, Document, ParsedReference

Key = tuple[object, ...]  # what a mention holds or looks for: ("block", family, year), ...
MentionId = tuple[str, int]  # the document's path, and 0 or the place in its reference list
Values = tuple[tuple[str, tuple[MentionId, ...]], ...]


@dataclass(frozen=True)
class KeptWork:
    """A work as the next build takes it back: its mentions by id, its fields, its key before
    keys are made unique among all works, and its disagreements."""

    members: tuple[MentionId, ...]
    fields: Bibliographic
    key: str
    disagreements: tuple[tuple[str, Values], ...]
    facts: str  # :meth:`graph.citations.works.Work.fingerprint`


@dataclass(frozen=True)
class Group:
    """The works of a group of mentions, and the keys its mentions hold and look for."""

    works: tuple[KeptWork, ...]
    held: frozenset[Key]
    probed: frozenset[Key]
    documents: frozenset[str]


@dataclass
class Kept:
    """A build's resolution by groups, for the next build; ``context`` is what else it was
    made with (the code, the settings), and none of it is used under another.

    ``holders`` and ``probers`` index the groups by the keys they hold and look for, kept up
    as groups come and go: the next build finds the groups a change reaches by looking its
    keys up, without walking every key of every group (at N=10,000, about a million). A key
    is looked for by one group at most: each key a mention looks for it also holds, so two
    groups looking for one key would be one group.
    """

    context: str
    signatures: dict[str, str] = field(default_factory=dict)  # document path -> signature
    groups: dict[int, Group] = field(default_factory=dict)
    next: int = 0  # the number of the next new group
    holders: dict[Key, list[int]] = field(default_factory=dict)  # key -> groups holding it
    probers: dict[Key, int] = field(default_factory=dict)  # key -> the group looking for it

    def place(self, number: int, group: Group) -> None:
        """Keep ``group`` as number ``number``, indexed by its keys."""
        self.groups[number] = group
        for key in group.held:
            self.holders.setdefault(key, []).append(number)
        for key in group.probed:
            self.probers[key] = number

    def drop(self, number: int) -> None:
        """Let group ``number`` go, and its keys from the index."""
        group = self.groups.pop(number)
        for key in group.held:
            holding = self.holders[key]
            holding.remove(number)
            if not holding:
                del self.holders[key]
        for key in group.probed:
            if self.probers.get(key) == number:
                del self.probers[key]

    def indexed(self) -> Kept:
        """These groups with their index made from them alone, as :meth:`place` makes it."""
        whole = Kept(self.context, self.signatures, {}, self.next)
        for number, group in self.groups.items():
            whole.place(number, group)
        return whole


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
                          for d in work.disagreements), work.fingerprint())


class _Stale(Exception):
    """The kept groups do not fit the mentions (a document's signature lied): resolve all."""


@dataclass
class Outcome:
    """What :func:`resolve_kept` gives: the resolution, what to keep for the next build, and
    how many groups were taken back and how many clustered again."""

    resolution: Resolution
    kept: Kept
    reused: int
    made: int


def resolve_kept(
    documents: Sequence[Document], references: dict[str, Sequence[ParsedReference]],
    reports: dict[str, ParsedReference], signatures: Mapping[str, str], context: str,
    last: Kept | None,
) -> Outcome:
    """:func:`graph.citations.works.resolve`, clustering again only the groups the documents
    whose signature changed reach, the other groups' works taken from ``last`` (all of them
    clustered when ``last`` is None or was kept under another ``context``)."""
    if last is None or last.context != context:
        last = Kept(context)
    elif last.groups and not last.holders:  # kept without its index: made from the groups
        last = last.indexed()
    try:
        return _resolve(documents, references, reports, signatures, last)
    except _Stale:
        return _resolve(documents, references, reports, signatures, Kept(context))


def _resolve(
    documents: Sequence[Document], references: dict[str, Sequence[ParsedReference]],
    reports: dict[str, ParsedReference], signatures: Mapping[str, str], last: Kept,
) -> Outcome:
    mentions, edges = mentions_of(documents, references, reports)
    ids = list(map(_mention_id, mentions))
    index_of = dict(zip(ids, range(len(ids)), strict=True))

    def at(mention: MentionId) -> int:
        if mention not in index_of:
            raise _Stale(f"a kept mention is gone: {mention}")
        return index_of[mention]

    changed = {path for path, signature in signatures.items()
               if last.signatures.get(path) != signature} | (last.signatures.keys()
                                                             - signatures.keys())
    fresh = [i for i, (path, _) in enumerate(ids) if path in changed]
    features = dict(zip(fresh, features_of(mentions[i] for i in fresh), strict=True))
    affected = _reached(last, changed, [features[i] for i in fresh])
    again = set(fresh)
    for number in affected:
        again.update(at(m) for w in last.groups[number].works for m in w.members
                     if m[0] not in changed)
    order = sorted(again)
    sub = [mentions[i] for i in order]
    local = features_of(sub)

    kept = last  # the groups the change does not reach stay, with their index
    kept.signatures = dict(signatures)
    for number in affected:
        kept.drop(number)
    placed: list[tuple[list[int], Work]] = []
    try:  # a lookup per kept mention: no call of at() for each
        for group in kept.groups.values():
            for w in group.works:
                cluster = [index_of[m] for m in w.members]
                members = [mentions[i] for i in cluster]
                placed.append((cluster, Work(w.key, w.fields, members, [
                    Disagreement(name, tuple((v, tuple(mentions[index_of[m]] for m in ms))
                                             for v, ms in values))
                    for name, values in w.disagreements], w.facts)))
    except KeyError as exc:
        raise _Stale(f"a kept mention is gone: {exc}") from exc
    reused = len(kept.groups)
    group_of = {}
    made_groups = _groups(local)
    for g, members in enumerate(made_groups):
        group_of.update(dict.fromkeys(members, g))
    works_of_group: dict[int, list[Work]] = defaultdict(list)
    for cluster in _cluster(sub, local):
        work = make_work([sub[i] for i in cluster])
        works_of_group[group_of[cluster[0]]].append(work)
        placed.append(([order[i] for i in cluster], work))
    for g, members in enumerate(made_groups):
        held: set[Key] = set()
        probed: set[Key] = set()
        for i in members:
            h, p = reach(local[i])
            held.update(h)
            probed.update(p)
        kept.place(kept.next, Group(tuple(map(_kept_work, works_of_group[g])),
                                    frozenset(held), frozenset(probed),
                                    frozenset(ids[order[i]][0] for i in members)))
        kept.next += 1
    if sum(len(cluster) for cluster, _ in placed) != len(mentions):
        raise _Stale("the kept groups and the new ones do not hold every mention once")
    placed.sort(key=lambda pair: pair[0][0])
    count = sum(len(v) for v in references.values()) + len(reports)
    resolution = gather([w for _, w in placed], mentions, [c for c, _ in placed], edges, count)
    return Outcome(resolution, kept, reused, len(made_groups))


def _reached(last: Kept, changed: set[str], fresh: Sequence[Features]) -> set[int]:
    """The kept groups the changed documents' mentions were in, and those their mentions now
    reach: a group holding a key a new mention looks for, or looking for a key it holds."""
    affected = {number for number, group in last.groups.items() if group.documents & changed}
    holders, probers = last.holders, last.probers
    for f in fresh:
        held, probes = reach(f)
        for key in probes:
            affected.update(holders.get(key, ()))
        affected.update(probers[key] for key in held if key in probers)
    return affected
