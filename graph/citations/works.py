"""One node per work: decide which documents and reference strings denote the same paper.

The same paper is printed differently by different citing documents (Vancouver, AMA, Springer;
"Lancet" or "Lancet Lond Engl"; a typo in an author's name). Identity is decided in this order:

1. the same DOI, PMID or PMCID is the same work; two different DOIs (PMIDs, PMCIDs) never are;
2. otherwise works are compared only within a block of equal first-author family name and year;
   a record without authors (a page whose byline was not read) is compared with every record of
   its normalised title, and is the same work when the year is the same, the journals are
   compatible and volume and first page, where both print them, agree;
3. equal normalised titles are the same work, even when the pages differ (recorded as a
   disagreement);
4. different first pages or volumes are different works (Bohan & Peter's two parts of 1975);
5. a near-equal title (fuzzy ratio >= 0.85) in a compatible journal, or the same journal, volume
   and first page, is the same work.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import cached_property

from graph.rdf.iris import ascii_fold, slug
from graph.records import Bibliographic, Document, ParsedReference, pickled_by_fields

TITLE_SIMILARITY = 0.85
COMPARED_FIELDS = ("year", "volume", "issue", "page_start", "page_end")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_PARENTHETICAL = re.compile(r"\([^)]*\)")
_JOURNAL_STOPWORDS = frozenset({"of", "the", "and", "for", "in"})


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Mention:
    """One appearance of a work: a corpus document's own record, or a reference to it.

    ``citing`` is the corpus path of the document whose reference list holds the string.
    """

    fields: Bibliographic
    document: Document | None = None
    reference: ParsedReference | None = None
    citing: str | None = None
    position: int = 0  # 1-based place in the citing document's reference list

    @property
    def text(self) -> str:
        """What to show a person: the reference string, or the document's path."""
        if self.reference is not None:
            return self.reference.source.text
        assert self.document is not None
        return f"[document {self.document.path}]"


@dataclass(frozen=True)
class Disagreement:
    """Mentions of one work that print a field differently (values in first-seen order)."""

    field: str
    values: tuple[tuple[str, tuple[Mention, ...]], ...]


@dataclass
class Work:
    """A distinct work with its merged fields and every mention that denotes it."""

    key: str
    fields: Bibliographic
    mentions: list[Mention]
    disagreements: list[Disagreement] = field(default_factory=list)
    facts: str = field(default="", repr=False, compare=False)  # see :meth:`fingerprint`

    def fingerprint(self) -> str:
        """A digest of the work's merged fields and of its disagreements (each value with where
        it is printed): with its key and its document, what its triples are made of. A build
        keeps it with the work (:mod:`graph.citations.groups`), so the next one does not work
        it out again for every work."""
        if not self.facts:
            printed = [(d.field, [(v, [(m.citing, m.position) for m in ms]) for v, ms in d.values])
                       for d in self.disagreements]
            self.facts = hashlib.sha256(repr((self.fields, printed)).encode()).hexdigest()
        return self.facts

    @cached_property
    def document(self) -> Document | None:
        """The corpus document that is this work, if any (looked for once: a classic has
        thousands of mentions, and each build asks every work)."""
        return next((m.document for m in self.mentions if m.document is not None), None)


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Citation:
    """A directed edge: the citing work's reference entry denotes the cited work."""

    citing: Work
    cited: Work
    mention: Mention
    reports_on: bool = False  # the citing document is a secondary report of the cited work

    @property
    def reference(self) -> ParsedReference:
        assert self.mention.reference is not None
        return self.mention.reference


@dataclass
class Resolution:
    """The outcome of identity resolution, with what a build should report."""

    works: list[Work]
    citations: list[Citation]
    reference_count: int

    @property
    def merged(self) -> list[Work]:
        """Works denoted by more than one mention, i.e. where strings were merged."""
        return [w for w in self.works if len(w.mentions) > 1]


def norm_title(title: str | None) -> str:
    """Title for comparison: accents, case and punctuation removed.

    >>> norm_title("Polymyositis/ dermatomyositis: a study.")
    'polymyositis dermatomyositis a study'
    """
    return _NON_ALNUM.sub(" ", ascii_fold(title or "")).strip()


def _family_key(fields: Bibliographic) -> str:
    return _NON_ALNUM.sub("", ascii_fold(fields.authors[0].family)) if fields.authors else ""


def journal_tokens(journal: str) -> list[str]:
    """Words of a journal name with parentheses (place of publication) and stop-words dropped."""
    words = _NON_ALNUM.split(ascii_fold(_PARENTHETICAL.sub(" ", journal)))
    return [w for w in words if w and w not in _JOURNAL_STOPWORDS]


def journals_compatible(a: str | None, b: str | None) -> bool:
    """Whether two journal names can denote one journal: one abbreviates the other word by word.

    >>> journals_compatible("Clin Rheumatol", "Clinical Rheumatology")
    True
    >>> journals_compatible("Lancet Lond Engl", "Lancet")
    True
    >>> journals_compatible("Rheumatology (Oxford)", "Arthritis Rheum")
    False
    """
    if not a or not b:
        return True
    ta, tb = journal_tokens(a), journal_tokens(b)
    if not ta or not tb:
        return True
    return all(x.startswith(y) or y.startswith(x) for x, y in zip(ta, tb, strict=False))


def _conflict(a: str | int | None, b: str | int | None) -> bool:
    return a is not None and b is not None and str(a).lower() != str(b).lower()


def same_work(a: Bibliographic, b: Bibliographic) -> bool:
    """Whether two records denote the same work (rules in the module docstring)."""
    if a.doi and b.doi:
        return a.doi == b.doi
    if a.pmid and b.pmid:
        return a.pmid == b.pmid
    if a.pmcid and b.pmcid:
        return a.pmcid.upper() == b.pmcid.upper()
    if _conflict(a.year, b.year):
        return False
    fa, fb = _family_key(a), _family_key(b)
    if fa and fb and fa != fb:
        return False
    ta, tb = norm_title(a.title), norm_title(b.title)
    if not fa or not fb:  # no authors to compare: the title, year and journal must carry it
        return bool(ta and ta == tb and a.year and b.year and journals_compatible(
            a.journal, b.journal) and not _conflict(a.volume, b.volume)
            and not _conflict(a.page_start, b.page_start))
    if ta and ta == tb:
        return True
    if _conflict(a.page_start, b.page_start) or _conflict(a.volume, b.volume):
        return False
    if not journals_compatible(a.journal, b.journal):
        return False
    if ta and tb and SequenceMatcher(None, ta, tb).ratio() >= TITLE_SIMILARITY:
        return True
    return bool(a.page_start and a.page_start == b.page_start and a.volume == b.volume)


def _identifiers(fields: Bibliographic) -> list[tuple[str, str]]:
    """The DOI, PMID and PMCID a record prints, as (kind, value) pairs."""
    found = [("doi", fields.doi), ("pmid", fields.pmid),
             ("pmcid", fields.pmcid.upper() if fields.pmcid else None)]
    return [(kind, value) for kind, value in found if value]


class _UnionFind:
    """Clusters of mention indices; a merge is refused when it would join two identifiers."""

    def __init__(self, features: Sequence[Features]) -> None:
        self.parent = list(range(len(features)))
        # a root's identifiers, at most one per kind: a tuple (a set per mention was the peak
        # memory of resolving the works, a quarter of a kilobyte for each of millions)
        self.ids = [f.ids for f in features]

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        ri, rj = self.find(i), self.find(j)
        if ri == rj:
            return
        kinds_i = dict(self.ids[ri])
        if any(kind in kinds_i and kinds_i[kind] != value for kind, value in self.ids[rj]):
            return
        low, high = min(ri, rj), max(ri, rj)
        self.parent[high] = low
        self.ids[low] = tuple({*self.ids[low], *self.ids[high]})
        self.ids[high] = ()


def _alike(mentions: Sequence[Mention], indices: list[int]) -> dict[Bibliographic, list[int]]:
    """The indices grouped by identical fields, in first-seen order."""
    groups: dict[Bibliographic, list[int]] = defaultdict(list)
    for i in indices:
        groups[mentions[i].fields].append(i)
    return groups


@dataclass(frozen=True)
class Features:
    """What the clustering compares a mention by, worked out once per mention."""

    ids: tuple[tuple[str, str], ...]
    family: str
    year: int | None
    title: str

    @classmethod
    def of(cls, fields: Bibliographic) -> Features:
        return cls(tuple(_identifiers(fields)), _family_key(fields), fields.year,
                   norm_title(fields.title))


def features_of(mentions: Iterable[Mention]) -> list[Features]:
    """Each mention's features, worked out once per distinct printed record."""
    known: dict[Bibliographic, Features] = {}
    found = []
    for m in mentions:
        f = known.get(m.fields)
        if f is None:
            f = known[m.fields] = Features.of(m.fields)
        found.append(f)
    return found


def _mask(fields: Bibliographic) -> int:
    """Which identifiers a record prints, as bits: DOI 1, PMID 2, PMCID 4."""
    return (1 if fields.doi else 0) | (2 if fields.pmid else 0) | (4 if fields.pmcid else 0)


class _Comparable:
    """The records of a block that :func:`same_work` may find the same as a given one.

    Two records printing an identifier of one kind are the same work only if the first such
    kind (DOI, then PMID, then PMCID) has the same value in both: so a record is compared with
    the records that print no kind of identifier it prints (decided by their other fields) and
    with those sharing one of its identifiers; every other one is refused unread.
    """

    def __init__(self, keys: Sequence[Bibliographic]) -> None:
        self.size = len(keys)
        self.by_mask: dict[int, list[int]] = defaultdict(list)  # positions, ascending
        self.by_id: dict[tuple[str, str], list[int]] = defaultdict(list)
        for at, fields in enumerate(keys):
            self.by_mask[_mask(fields)].append(at)
            for ident in _identifiers(fields):
                self.by_id[ident].append(at)

    def after(self, fields: Bibliographic, start: int) -> Sequence[int]:
        """The positions from ``start`` on of the records ``fields`` is compared with,
        ascending (the order every pair was compared in)."""
        mask = _mask(fields)
        if not mask:
            return range(start, self.size)
        found: set[int] = set()
        for other, positions in self.by_mask.items():
            if not other & mask:
                found.update(positions[bisect_left(positions, start):])
        for ident in _identifiers(fields):
            positions = self.by_id.get(ident, [])
            found.update(positions[bisect_left(positions, start):])
        return sorted(found)


def _cluster(mentions: Sequence[Mention], features: Sequence[Features] | None = None
             ) -> list[list[int]]:
    """The mentions' indices grouped by work, each group and the groups in index order.

    Whether a merge is refused (two identifiers) depends on the order the merges are tried,
    which follows the mentions' order only among mentions that can reach one another
    (:func:`graph.citations.groups.reach`): so a group of them clustered alone, in the same
    order, clusters as it does among all the others."""
    features = features or features_of(mentions)
    uf = _UnionFind(features)
    by_id: dict[tuple[str, str], int] = {}
    blocks: dict[tuple[str, int | None], list[int]] = defaultdict(list)
    by_title: dict[str, list[int]] = defaultdict(list)
    for i, f in enumerate(features):
        for ident in f.ids:
            uf.union(by_id.setdefault(ident, i), i)
        blocks[(f.family, f.year)].append(i)
        by_title[f.title].append(i)
    # A record without authors is compared with the records of its title, whoever wrote them.
    for i, f in enumerate(features):
        if not f.family and f.title:
            for j in by_title[f.title]:
                if j != i and same_work(mentions[i].fields, mentions[j].fields):
                    uf.union(i, j)
    # A mention with no year may be the same as one with a year: compare it with the family's block.
    by_family: dict[str, list[int]] = defaultdict(list)
    for (family, _year), members in blocks.items():
        by_family[family].extend(members)
    # Mentions printed alike have identical fields, so each pair of distinct field sets is
    # compared once: a work cited a thousand times the same way is one comparison, not a million.
    # Of the pairs, only those same_work may accept are compared (:class:`_Comparable`), in
    # the same order: a block of thousands of records that print identifiers is not quadratic.
    for (family, year), members in blocks.items():
        mine = _alike(mentions, members)
        theirs = mine if year is not None else _alike(mentions, by_family[family])
        keys, groups = list(theirs), list(theirs.values())
        comparable = _Comparable(keys)
        for n, (a, same_a) in enumerate(mine.items()):
            # each pair once, a with itself (a block with its year); else every record
            for at in comparable.after(a, n if year is not None else 0):
                b = keys[at]
                together = same_a if a == b else same_a + groups[at]
                if len(together) > 1 and same_work(a, b):
                    for j in together[1:]:
                        uf.union(together[0], j)
    clusters: dict[int, list[int]] = defaultdict(list)
    for i in range(len(mentions)):
        clusters[uf.find(i)].append(i)
    return sorted(clusters.values())


def _pick(values: Iterable[tuple[str | int | None, int]]) -> str | int | None:
    """The most frequent value (each given with how many mentions print it); ties go to the
    longest, then the first in sort order."""
    counts: Counter[str | int] = Counter()
    for value, times in values:
        if value is not None and value != "":
            counts[value] += times
    if not counts:
        return None
    return min(counts, key=lambda v: (-counts[v], -len(str(v)), str(v)))


def _cited(mentions: Sequence[Mention]) -> Counter[Bibliographic]:
    """Each record the references print alike once, with how often, in first-seen order: a
    classic is cited thousands of times in a few dozen forms."""
    return Counter(m.fields for m in mentions if m.document is None)


def merge_fields(mentions: Sequence[Mention], cited: Counter[Bibliographic] | None = None
                 ) -> Bibliographic:
    """Merged fields of one work: the document's own record first, then the references' majority
    (``cited``: :func:`_cited` of the mentions, if already counted)."""
    own = [m.fields for m in mentions if m.document is not None]
    cited = _cited(mentions) if cited is None else cited

    def choose(name: str) -> str | int | None:
        for record in own:
            if getattr(record, name) not in (None, ""):
                return getattr(record, name)
        return _pick((getattr(r, name), times) for r, times in cited.items())

    everything = own + list(cited)
    fullest = max(
        everything,
        key=lambda r: (len(r.authors), sum(len(p.given) for p in r.authors), r in own),
    )
    values = {name: choose(name) for name in Bibliographic.__dataclass_fields__}
    values["authors"] = fullest.authors
    values["et_al"] = fullest.et_al
    return Bibliographic(**values)


def _disagreements(mentions: Sequence[Mention]) -> list[Disagreement]:
    found = []
    for name in COMPARED_FIELDS:
        seen: dict[str, list[Mention]] = {}
        for m in mentions:
            value = getattr(m.fields, name)
            if value not in (None, ""):
                seen.setdefault(str(value), []).append(m)
        if len(seen) > 1:
            found.append(Disagreement(name, tuple((v, tuple(ms)) for v, ms in seen.items())))
    return found


def _locator_key(fields: Bibliographic) -> str | None:
    """first-author-year-volume-first-page, when all four are known."""
    family = slug(fields.authors[0].family) if fields.authors else ""
    if family and fields.year and fields.volume and fields.page_start:
        return "-".join([family, str(fields.year), slug(fields.volume), slug(fields.page_start)])
    return None


def work_key(fields: Bibliographic) -> str:
    """The identifier part of a work's IRI from one set of fields, chosen to survive new data.

    Author-year-volume-first-page when all four are known (citations almost always print them,
    while DOIs and PMIDs often arrive later with a full record, and must not rename the work),
    else the DOI, else the PMID, else author-year and the first words of the title.

    >>> from dataclasses import replace
    >>> from graph.records import Person
    >>> oddis = Bibliographic(authors=(Person("Oddis", "CV"),), year=1999, volume="353",
    ...                       page_start="1762", title="Tacrolimus in refractory polymyositis")
    >>> work_key(oddis), work_key(replace(oddis, pmid="10353321"))
    ('oddis-1999-353-1762', 'oddis-1999-353-1762')
    >>> work_key(Bibliographic(doi="10.3899/jrheum.161217"))
    'doi/10.3899/jrheum.161217'
    """
    located = _locator_key(fields)
    if located:
        return located
    if fields.doi:
        return f"doi/{fields.doi}"
    if fields.pmid:
        return f"pmid/{fields.pmid}"
    family = slug(fields.authors[0].family) if fields.authors else ""
    parts = [family or "anon", str(fields.year) if fields.year else "nd",
             slug(fields.title or "untitled", max_words=6)]
    return "-".join(p for p in parts if p)


def mint_key(mentions: Sequence[Mention], merged: Bibliographic,
             cited: Counter[Bibliographic] | None = None) -> str:
    """The key of a work's IRI: how the literature cites it, so that a fuller record keeps it.

    A work usually enters the graph as a reference string, and its own record (a MEDLINE export,
    an RIS entry, the article page) arrives later, sometimes with a field the citations print
    otherwise (Kurita 2015: cited at page 1536, the RIS record says 39). So the key is the
    author-year-volume-page most of the citing strings give (ties: :func:`_pick`); only a work
    that no string cites that way takes it from its own records, and failing both,
    :func:`work_key` of the merged fields (DOI, PMID, title words). Adding a record of a cited
    work never renames it; the key is a function of the inputs, not of their order.
    ``cited``: :func:`_cited` of the mentions, if already counted.

    >>> from graph.records import Person
    >>> def kurita(page, **kwargs):
    ...     return Bibliographic(authors=(Person("Kurita", "T"),), year=2015, volume="54",
    ...                          page_start=page, **kwargs)
    >>> cited, own = Mention(kurita("1536")), Mention(kurita("39"), document=object())
    >>> mint_key([cited, own], kurita("39")), mint_key([own], kurita("39"))
    ('kurita-2015-54-1536', 'kurita-2015-54-39')
    """
    for group in (_cited(mentions) if cited is None else cited,
                  Counter(m.fields for m in mentions if m.document is not None)):
        key = _pick((_locator_key(fields), times) for fields, times in group.items())
        if key is not None:
            return str(key)
    return work_key(merged)


def _unique_keys(works: list[Work]) -> None:
    """Distinct works sharing a key fall back to their DOI or PMID, else get a title suffix.

    Independent of order, so the same inputs always give the same keys.
    """
    by_key: dict[str, list[Work]] = defaultdict(list)
    for w in works:
        by_key[w.key].append(w)
    for key, group in by_key.items():
        if len(group) > 1:
            for w in group:
                if w.fields.doi:
                    w.key = f"doi/{w.fields.doi}"
                elif w.fields.pmid:
                    w.key = f"pmid/{w.fields.pmid}"
                else:
                    w.key = f"{key}-{slug(w.fields.title or '', max_words=8)}"


def mentions_of(
    documents: Sequence[Document], references: Mapping[str, Sequence[ParsedReference]],
    reports: Mapping[str, ParsedReference],
) -> tuple[list[Mention], list[tuple[int, int, bool]]]:
    """Every mention in the canonical order, and the citation edges between them.

    The documents' own records first, then every reference, both in the order of the
    documents' paths (whatever order the documents come in): the resolution is a function of
    the corpus, and a group of mentions is resolved alone in the order a whole build gives it.
    An edge is (the citing document's mention, the cited mention, whether it is a report's)."""
    documents = sorted(documents, key=lambda d: d.path)
    mentions: list[Mention] = [Mention(d.meta, document=d) for d in documents]
    edges: list[tuple[int, int, bool]] = []
    for doc_index, doc in enumerate(documents):
        for position, (ref, is_report) in enumerate(cited_in(doc.path, references, reports),
                                                    start=1):
            edges.append((doc_index, len(mentions), is_report))
            mentions.append(Mention(ref.fields, reference=ref, citing=doc.path, position=position))
    return mentions, edges


def cited_in(path: str, references: Mapping[str, Sequence[ParsedReference]],
             reports: Mapping[str, ParsedReference]) -> list[tuple[ParsedReference, bool]]:
    """What document ``path`` cites, in the order of its mentions' positions (1, 2, ...): its
    references, then the article it reports on; each with whether it is that article."""
    cited = [(r, False) for r in references.get(path, ())]
    if path in reports:
        cited.append((reports[path], True))
    return cited


def printed_forms(mentions: Sequence[Mention]) -> list[dict[str, object]]:
    """The distinct printed forms of a work, each with where it is first printed and how often.

    A classic cited by thousands prints in a few dozen forms; listing every string took the
    build report of 100,000 documents to 600 MB.
    """
    forms: dict[str, dict[str, object]] = {}
    for mention in mentions:
        form = forms.setdefault(mention.text, {"text": mention.text, "printed": 0})
        if mention.reference and "first" not in form:
            form["first"] = f"{mention.citing}:{mention.reference.source.line}"
        form["printed"] += 1  # type: ignore[operator]
    return list(forms.values())


def make_work(members: list[Mention]) -> Work:
    """The work a cluster of mentions denotes, its key not yet made unique among all works."""
    cited = _cited(members)  # counted once for both: hashing each record is most of it
    work = Work("", merge_fields(members, cited), members, _disagreements(members))
    work.key = mint_key(members, work.fields, cited)
    return work


def gather(works: list[Work], mentions: Sequence[Mention], clusters: Sequence[Sequence[int]],
           edges: Sequence[tuple[int, int, bool]], count: int) -> Resolution:
    """The resolution from the works of the clusters (each cluster's indices ascending, the
    clusters in the order of their first index): keys made unique, the citations, the works
    sorted by key."""
    works_of: dict[int, Work] = {}
    for work, cluster in zip(works, clusters, strict=True):
        works_of.update(dict.fromkeys(cluster, work))
    _unique_keys(works)
    citations = [
        Citation(works_of[citing], works_of[cited], mentions[cited], is_report)
        for citing, cited, is_report in edges
        if works_of[citing] is not works_of[cited]
    ]
    works = sorted(works, key=lambda w: w.key)
    return Resolution(works, citations, count)


def resolve(
    documents: Sequence[Document], references: dict[str, Sequence[ParsedReference]],
    reports: dict[str, ParsedReference] | None = None,
) -> Resolution:
    """Make one :class:`Work` per distinct work and the citation edges between them.

    ``references`` maps a document's path to its parsed reference list; ``reports`` maps a
    secondary report's path to the parsed citation of the article it reports on. A build
    resolves again only what a changed document reaches (:mod:`graph.citations.groups`),
    which gives this.
    """
    reports = reports or {}
    mentions, edges = mentions_of(documents, references, reports)
    clusters = _cluster(mentions)
    works = [make_work([mentions[i] for i in cluster]) for cluster in clusters]
    count = sum(len(v) for v in references.values()) + len(reports)
    return gather(works, mentions, clusters, edges, count)
