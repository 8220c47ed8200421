"""Full-text search in Norwegian across every kind of content (examples, questions, events…).

What is indexed, and when, is decided in one place, indexing.py (which calls `index_document`
and `remove_document`); `search` finds them, ranked, filtered by SDG goal or target, county,
municipality size and service area. How words match is words.py: stems ("skolene" finds
"skole"), bokmål and nynorsk forms ("overvatn" finds "overvann"), parts of compounds ("flom" finds
"flomveier") and prefixes ("tilpas*"). Both databases index the same terms:
- PostgreSQL: a `simple` text-search vector of the terms (title weight A, body weight B),
  GIN-indexed and ranked with ts_rank;
- SQLite: an FTS5 table holding the terms, ranked with bm25.
"""

import datetime
import html
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypedDict

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection, transaction
from django.db.models import F, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.utils.safestring import SafeString, mark_safe
from ninja import Schema

from lokalmaal.accounts.models import Organisation
from lokalmaal.accounts.permissions import Person
from lokalmaal.indicators.peers import SIZE_CLASSES, size_class
from lokalmaal.regions.models import PopulationFigure, RegionKind

from . import words
from .models import SearchEntry, SearchTag

FTS_TABLE = "arena_search_fts"
TITLE_WEIGHT = 4.0  # a word in the title counts four times one in the body (bm25 on SQLite)
SNIPPET_WORDS = 40
MAX_QUERY_WORDS = 12


@dataclass(frozen=True)
class SearchDocument:
    kind: str  # "example" | "question" | "event" (others may add kinds)
    key: int  # the object's pk
    title: str
    body: str  # plain text (lokalmaal.lib.markup.plain_text for Markdown)
    url: str
    public: bool  # False: members only (logged-in people)
    targets: list[str]  # SDG target codes like "11.6"
    organisation_ids: list[int]
    service_areas: list[str]
    language: str  # "nb" | "nn" | "en"
    date: datetime.datetime


class SearchFilters(TypedDict):
    """The filters of the search page, the example list and their API twins."""

    goal: int | None
    target: str | None
    county: str | None
    size_class: str | None
    service_area: str | None


class SearchMatch(Schema):
    """Why a hit was found: the query word, the word of the text it matched and how ("stem":
    the same word inflected, "other_standard": the bokmål or nynorsk form, "part": a part of a
    compound, "prefix": a word starting with it)."""

    query: str
    word: str
    how: str


class SearchHit(Schema):
    kind: str
    key: int
    title: str
    url: str
    snippet: str  # plain text around the first matching word
    public: bool
    language: str
    date: datetime.datetime
    targets: list[str]
    rank: float
    matches: list[SearchMatch] = []


# Stemming (words.py decides how words match)

_WORD = words.WORD
stem = words.stem


def stems(text: str) -> list[str]:
    return [stem(word) for word in _WORD.findall(text)]


def fts_terms(text: str) -> str:
    """A text as the FTS5 table holds it (index_document and restores write the same)."""
    return " ".join(words.index_terms(text))


# Writing the index


def _tags(document: SearchDocument) -> Iterable[tuple[str, str]]:
    for code in document.targets:
        yield "target", code
    for goal in sorted({code.split(".")[0] for code in document.targets}):
        yield "goal", goal
    for organisation_id in document.organisation_ids:
        yield "organisation", str(organisation_id)
    for area in document.service_areas:
        yield "service_area", area


def index_document(document: SearchDocument) -> None:
    """Insert or replace the entry for (kind, key)."""
    with transaction.atomic():
        entry, _created = SearchEntry.objects.update_or_create(
            kind=document.kind,
            key=document.key,
            defaults={
                "title": document.title[:300],
                "body": document.body,
                "url": document.url,
                "public": document.public,
                "language": document.language,
                "date": document.date,
            },
        )
        entry.tags.all().delete()
        SearchTag.objects.bulk_create(
            SearchTag(entry=entry, facet=facet, value=value) for facet, value in _tags(document)
        )
        if connection.vendor == "postgresql":
            SearchEntry.objects.filter(pk=entry.pk).update(
                vector=SearchVector(
                    Value(" ".join(words.index_terms(document.title))), weight="A", config="simple"
                )
                + SearchVector(
                    Value(" ".join(words.index_terms(document.body))), weight="B", config="simple"
                )
            )
        elif connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT OR REPLACE INTO {FTS_TABLE} (rowid, title, body) VALUES (%s, %s, %s)",
                    [entry.pk, fts_terms(document.title), fts_terms(document.body)],
                )


def remove_document(kind: str, key: int) -> None:
    with transaction.atomic():
        ids = list(SearchEntry.objects.filter(kind=kind, key=key).values_list("pk", flat=True))
        SearchEntry.objects.filter(pk__in=ids).delete()
        if connection.vendor == "sqlite" and ids:
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [ids[0]])


# Filters


def organisations_in_county(county_code: str) -> set[int]:
    """The county municipality itself and the municipalities in the county."""
    return set(
        Organisation.objects.filter(region__code=county_code).values_list("pk", flat=True)
    ) | set(
        Organisation.objects.filter(region__parent__code=county_code).values_list("pk", flat=True)
    )


def size_class_keys() -> list[str]:
    """The size filter's values: each class's lowest population, e.g. "5000"."""
    return [str(lowest) for lowest, _label in SIZE_CLASSES]


def organisations_of_size(size_key: str) -> set[int]:
    """Municipality organisations whose latest population falls in the class starting at
    `size_key` (see size_class_keys)."""
    wanted = next((label for lowest, label in SIZE_CLASSES if str(lowest) == size_key), None)
    if wanted is None:
        return set()
    organisations = dict(
        Organisation.objects.filter(region__kind=RegionKind.MUNICIPALITY).values_list(
            "region_id", "pk"
        )
    )
    latest: dict[int, int] = {}
    figures = PopulationFigure.objects.filter(region_id__in=organisations).order_by("year")
    for region_id, value in figures.values_list("region_id", "value"):
        latest[region_id] = value  # ordered by year: the last one wins
    return {
        organisations[region_id]
        for region_id, population in latest.items()
        if size_class(population) == wanted
    }


def _with_tag(
    entries: QuerySet[SearchEntry], facet: str, values: Iterable[str]
) -> QuerySet[SearchEntry]:
    tagged = SearchTag.objects.filter(facet=facet, value__in=list(values)).values("entry_id")
    return entries.filter(pk__in=tagged)


# Searching


def _match_expression(query: str) -> str:
    """An FTS5 query: every query word required, any of its forms (or, with *, any term starting
    with it); each term quoted so no word is an operator."""
    groups = []
    for term in words.query_terms(query, MAX_QUERY_WORDS):
        if term.prefix:
            groups.append(f'"{term.word}" *')
        else:
            groups.append("(" + " OR ".join(f'"{s}"' for s in term.stems) + ")")
    return " AND ".join(groups)


def _tsquery(query: str) -> str:
    """The same query for PostgreSQL's to_tsquery over the `simple` vector of terms."""
    groups = []
    for term in words.query_terms(query, MAX_QUERY_WORDS):
        if term.prefix:
            groups.append(f"'{term.word}':*")
        else:
            groups.append("(" + " | ".join(f"'{s}'" for s in term.stems) + ")")
    return " & ".join(groups)


def _ranked(
    entries: QuerySet[SearchEntry], query: str, limit: int
) -> list[tuple[SearchEntry, float]]:
    if connection.vendor == "postgresql":
        raw = _tsquery(query)
        if not raw:
            return []
        text_query = SearchQuery(raw, config="simple", search_type="raw")
        ranked = (
            entries.filter(vector=text_query)
            .annotate(rank=SearchRank(F("vector"), text_query))
            .order_by("-rank", "-date")[:limit]
        )
        return [(entry, float(entry.rank)) for entry in ranked]
    expression = _match_expression(query)
    if not expression:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, bm25({FTS_TABLE}, %s, 1.0) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s",
            [TITLE_WEIGHT, expression],
        )
        scores = {row[0]: -float(row[1]) for row in cursor.fetchall()}  # bm25: lower is better
    matching = RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [expression])
    found = list(entries.filter(pk__in=matching))
    found.sort(key=lambda entry: (-scores.get(entry.pk, 0.0), -entry.date.timestamp()))
    return [(entry, scores.get(entry.pk, 0.0)) for entry in found[:limit]]


def search(
    query: str,
    *,
    person: Person,
    goal: int | None = None,
    target: str | None = None,
    county: str | None = None,
    size_class: str | None = None,
    service_area: str | None = None,
    kinds: set[str] | None = None,
    limit: int = 50,
) -> list[SearchHit]:
    """Ranked hits for `query` (newest first when the query is empty) that `person` may see:
    anonymous people see public items only."""
    entries = SearchEntry.objects.all()
    if not person.is_authenticated:
        entries = entries.filter(public=True)
    if kinds:
        entries = entries.filter(kind__in=kinds)
    if goal is not None:
        entries = _with_tag(entries, "goal", [str(goal)])
    if target:
        entries = _with_tag(entries, "target", [target])
    if service_area:
        entries = _with_tag(entries, "service_area", [service_area])
    if county:
        entries = _with_tag(entries, "organisation", map(str, organisations_in_county(county)))
    if size_class:
        entries = _with_tag(entries, "organisation", map(str, organisations_of_size(size_class)))
    query = query.strip()
    if query:
        ranked = _ranked(entries, query, limit)
    else:
        ranked = [(entry, 0.0) for entry in entries.order_by("-date", "-pk")[:limit]]
    targets = _targets_of([entry.pk for entry, _rank in ranked])
    terms = words.query_terms(query, MAX_QUERY_WORDS)
    return [
        SearchHit(
            kind=entry.kind,
            key=entry.key,
            title=entry.title,
            url=entry.url,
            snippet=snippet(entry.body, terms),
            public=entry.public,
            language=entry.language,
            date=entry.date,
            targets=targets.get(entry.pk, []),
            rank=rank,
            matches=why_matched(f"{entry.title} {entry.body}", terms),
        )
        for entry, rank in ranked
    ]


def _targets_of(entry_ids: list[int]) -> dict[int, list[str]]:
    targets: dict[int, list[str]] = {}
    tags = SearchTag.objects.filter(entry_id__in=entry_ids, facet="target").order_by("pk")
    for entry_id, value in tags.values_list("entry_id", "value"):
        targets.setdefault(entry_id, []).append(value)
    return targets


# Snippets


def _matches_any(word: str, terms: list[words.QueryTerm]) -> bool:
    return any(words.term_matches(term, word) for term in terms)


def why_matched(text: str, terms: list[words.QueryTerm]) -> list[SearchMatch]:
    """For each query word, the first word of `text` it matched and how (see SearchMatch)."""
    found: list[SearchMatch] = []
    for term in terms:
        for word in dict.fromkeys(_WORD.findall(text)):
            how = words.term_matches(term, word)
            if how:
                found.append(SearchMatch(query=term.word, word=word, how=how))
                break
    return found


def snippet(body: str, terms: list[words.QueryTerm], size: int = SNIPPET_WORDS) -> str:
    """About `size` words of `body` around the first word that matches the query."""
    tokens = body.split()
    if len(tokens) <= size:
        return body.strip()
    first = next(
        (
            index
            for index, token in enumerate(tokens)
            if any(_matches_any(word, terms) for word in _WORD.findall(token))
        ),
        0,
    )
    start = max(0, min(first - size // 4, len(tokens) - size))
    text = " ".join(tokens[start : start + size])
    return ("… " if start > 0 else "") + text + (" …" if start + size < len(tokens) else "")


def highlight(text: str, query: str) -> SafeString:
    """`text` escaped, with the words that match the query (any way words.py matches) in <mark>."""
    terms = words.query_terms(query, MAX_QUERY_WORDS)
    parts: list[str] = []
    position = 0
    for match in _WORD.finditer(text):
        parts.append(html.escape(text[position : match.start()]))
        word = html.escape(match.group())
        parts.append(f"<mark>{word}</mark>" if _matches_any(match.group(), terms) else word)
        position = match.end()
    parts.append(html.escape(text[position:]))
    return mark_safe("".join(parts))  # every piece escaped above
