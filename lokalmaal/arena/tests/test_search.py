"""Norwegian full-text search: stemming, ranking, filters and what anonymous people see."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from conftest import make_organisation, make_user
from lokalmaal.arena.search import (
    SearchDocument,
    highlight,
    index_document,
    organisations_of_size,
    remove_document,
    search,
)


def document(key: int, title: str, body: str = "", **changes: object) -> SearchDocument:
    fields: dict[str, object] = {
        "kind": "example",
        "key": key,
        "title": title,
        "body": body,
        "url": f"/erfaringar/{key}/",
        "public": True,
        "targets": [],
        "organisation_ids": [],
        "service_areas": [],
        "language": "nb",
        "date": timezone.now() - datetime.timedelta(days=key),
    }
    fields.update(changes)
    return SearchDocument(**fields)  # type: ignore[arg-type]


@pytest.fixture
def member(db):
    return make_user("medlem@example.no")


def keys(hits) -> list[int]:
    return [hit.key for hit in hits]


def test_an_inflected_word_finds_its_stem(member):
    index_document(document(1, "Ny skole i sentrum", "Skolen fikk solceller på taket."))
    index_document(document(2, "Sykkelveier", "Trygg vei for barn."))
    assert keys(search("skolene", person=member)) == [1]
    assert keys(search("solcellene", person=member)) == [1]


def test_nynorsk_inflections_find_each_other(member):
    index_document(document(3, "Betre skular", "Skulane i bygda samarbeider.", language="nn"))
    assert keys(search("skule", person=member)) == [3]
    assert keys(search("skulen", person=member)) == [3]


def test_a_title_match_ranks_above_a_body_match(member):
    index_document(document(1, "Kommunal planlegging", "Om klima og tiltak."))
    index_document(document(2, "Klimatilpasning i Bergen", "Om planlegging."))
    assert keys(search("planlegging", person=member)) == [1, 2]


def test_every_word_must_match(member):
    index_document(document(1, "Skole og klima"))
    index_document(document(2, "Skole og sykkel"))
    assert keys(search("skole klima", person=member)) == [1]


def test_query_words_are_never_search_operators(member):
    index_document(document(1, "Skole"))
    assert search('"skole" OR NOT (', person=member) == search("skole or not", person=member)
    assert search("*", person=member) == []


def test_members_only_items_are_hidden_from_anonymous_people(member):
    index_document(document(1, "Skole for alle"))
    index_document(document(2, "Skole for medlemmer", public=False))
    assert keys(search("skole", person=member)) == [1, 2]
    assert keys(search("skole", person=AnonymousUser())) == [1]
    assert keys(search("", person=AnonymousUser())) == [1]


def test_replacing_and_removing_a_document(member):
    index_document(document(1, "Skole"))
    index_document(document(1, "Barnehage"))
    assert search("skole", person=member) == []
    assert keys(search("barnehagen", person=member)) == [1]
    remove_document("example", 1)
    assert search("barnehage", person=member) == []


def test_filter_by_goal_target_and_service_area(member):
    index_document(document(1, "Avfall", targets=["11.6", "12.5"], service_areas=["naering"]))
    index_document(document(2, "Avfall", targets=["12.3"], service_areas=["grunnskole"]))
    assert keys(search("avfall", person=member, target="11.6")) == [1]
    assert keys(search("avfall", person=member, goal=12)) == [1, 2]
    assert keys(search("", person=member, goal=11)) == [1]
    assert keys(search("avfall", person=member, service_area="grunnskole")) == [2]


def test_filter_by_county_and_size(member, bergen, volda):
    index_document(document(1, "Avfall", organisation_ids=[bergen.pk]))
    index_document(document(2, "Avfall", organisation_ids=[volda.pk]))
    assert keys(search("avfall", person=member, county="46")) == [1]
    assert keys(search("avfall", person=member, county="15")) == [2]
    assert keys(search("avfall", person=member, size_class="50000")) == [1]
    assert keys(search("avfall", person=member, size_class="10000")) == [2]
    assert organisations_of_size("nonsense") == set()


def test_filter_by_kind(member):
    index_document(document(1, "Skole"))
    index_document(document(1, "Skole", kind="question"))
    assert [hit.kind for hit in search("skole", person=member, kinds={"question"})] == ["question"]


def test_hits_carry_a_snippet_around_the_match_and_its_targets(member):
    body = " ".join(["fyll"] * 100) + " skolene samarbeider " + " ".join(["mer"] * 100)
    index_document(document(1, "Tittel", body, targets=["4.1"]))
    (hit,) = search("skole", person=member)
    assert "skolene samarbeider" in hit.snippet
    assert hit.snippet.startswith("… ")
    assert hit.targets == ["4.1"]


def test_highlight_marks_matching_words_and_escapes_the_rest():
    marked = highlight("<b>Skolene</b> & barnehagen", "skole")
    assert marked == "&lt;b&gt;<mark>Skolene</mark>&lt;/b&gt; &amp; barnehagen"


def test_volda_is_not_in_bergens_size_class(db, volda):
    assert volda.pk not in organisations_of_size("50000")
    assert make_organisation("0301").pk in organisations_of_size("50000")
