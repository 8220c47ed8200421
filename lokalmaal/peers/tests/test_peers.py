"""The peer finder on the real bundle: Volda (1577) and Bergen (4601)."""

import re
from collections import defaultdict
from typing import Any

import pytest
from django.test import Client

from conftest import make_organisation, make_user
from lokalmaal.accounts.models import Membership, Organisation, Role
from lokalmaal.arena.models import Example, Status, Visibility
from lokalmaal.catalogue.models import Target
from lokalmaal.indicators import reads as indicator_reads
from lokalmaal.indicators.models import Indicator, IndicatorValue
from lokalmaal.localgoals.models import Priority, Workspace
from lokalmaal.peers import reads

URL = "/kommuner/{}/likesinna/"
API = "/api/v1/municipalities/{}/peers/"


def workspace(organisation: Organisation, codes: list[str], *, published: bool) -> Workspace:
    found = Workspace.objects.create(
        organisation=organisation,
        title="Planstrategi",
        plan_type="planstrategi",
        published=published,
    )
    for code in codes:
        Priority.objects.create(workspace=found, target=Target.objects.get(code=code))
    return found


def not_similar_to(code: str, candidates: list[str]) -> str:
    similar = {m.code for m in indicator_reads.similar_municipalities(code)}
    return next(c for c in candidates if c not in similar and c != code)


# --- Similar municipalities -------------------------------------------------------------------


def test_similar_municipalities_come_with_an_explanation(client, db):
    answer = client.get(API.format("1577"), {"lang": "en"}).json()
    expected = [m.code for m in indicator_reads.similar_municipalities("1577")]
    assert [m["code"] for m in answer["similar"]] == expected
    assert len(expected) == reads.SIMILAR_COUNT
    for match in answer["similar"]:
        assert match["explanation"].startswith(("Most alike in", "Among the closest"))
        assert f"({match['name']}'s figures first)" in match["explanation"]
    page = client.get(URL.format("1577"), {"lang": "en"})
    assert page.status_code == 200
    assert answer["similar"][0]["explanation"].replace("'", "&#x27;") in page.content.decode()


def test_a_similar_municipality_with_an_organisation_links_to_it(client, db):
    first = indicator_reads.similar_municipalities("4601")[0]
    organisation = make_organisation(first.code)
    page = client.get(URL.format("4601")).content.decode()
    assert f"/organisasjoner/{organisation.slug}/" in page
    answer = client.get(API.format("4601")).json()
    assert answer["similar"][0]["organisation"]["slug"] == organisation.slug


def test_explanation_figures_use_the_languages_decimal_mark(client, db):
    nynorsk = " ".join(
        m["explanation"] for m in client.get(API.format("1577"), {"lang": "nn"}).json()["similar"]
    )
    english = " ".join(
        m["explanation"] for m in client.get(API.format("1577"), {"lang": "en"}).json()["similar"]
    )
    assert re.search(r"\d,\d", nynorsk)
    assert not re.search(r"\d\.\d", nynorsk)
    assert re.search(r"\d\.\d", english)
    assert not re.search(r"\d,\d", english)


# --- Most improved ------------------------------------------------------------------------------


def expected_order(code: str, indicator_id: str) -> tuple[int, int, list[str]]:
    """The most-improved order computed here from the raw values, independently of reads."""
    indicator = Indicator.objects.get(id=indicator_id)
    codes = [code, *[m.code for m in indicator_reads.similar_municipalities(code)]]
    series: dict[str, dict[int, float]] = defaultdict(dict)
    for region, year, value in (
        IndicatorValue.objects.filter(indicator=indicator, region__code__in=codes)
        .exclude(value=None)
        .values_list("region__code", "year", "value")
    ):
        assert value is not None
        series[region][year] = value
    years = sorted({y for values in series.values() for y in values})
    end = years[-1]
    start = min(y for y in years if end - reads.PERIOD_YEARS <= y < end)
    sign = 1 if indicator.direction == "higher" else -1
    changes = {
        c: sign * (series[c][end] - series[c][start])
        for c in codes
        if start in series[c] and end in series[c]
    }
    return start, end, sorted(changes, key=lambda c: -changes[c])


@pytest.mark.parametrize(
    ("code", "indicator_id"),
    [("1577", "valgdeltakelse-stortingsvalg"), ("4601", "dagpenger-per-innbygger")],
)
def test_most_improved_are_ordered_by_change_in_the_better_direction(
    client, db, code, indicator_id
):
    start, end, order = expected_order(code, indicator_id)
    answer = client.get(API.format(code), {"indicator": indicator_id}).json()["improvement"]
    assert (answer["start_year"], answer["end_year"]) == (start, end)
    assert [r["code"] for r in answer["rows"]] == order
    assert len(order) >= 5
    first = answer["rows"][0]
    assert first["improvement"] == pytest.approx(max(r["improvement"] for r in answer["rows"]))
    if Indicator.objects.get(id=indicator_id).direction == "lower":
        assert first["improvement"] == pytest.approx(-first["change"])
    assert [r["is_reference"] for r in answer["rows"]].count(True) == 1


def test_the_default_indicator_has_a_better_direction_and_figures(client, db):
    answer = client.get(API.format("1577")).json()["improvement"]
    indicator = Indicator.objects.get(id=answer["indicator"])
    assert indicator.direction in ("higher", "lower")
    assert answer["rows"]


def test_the_page_shows_the_chosen_indicator_in_a_table(client, db):
    page = client.get(
        URL.format("1577"), {"indikator": "valgdeltakelse-stortingsvalg", "lang": "en"}
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert '<caption id="peers-improved-caption">' in html
    assert "Higher is better" in html
    assert 'value="valgdeltakelse-stortingsvalg" selected' in html


def test_an_unknown_indicator_is_a_clear_error_and_the_default_is_shown(client, db):
    page = client.get(URL.format("1577"), {"indikator": "no-such-thing", "lang": "en"})
    assert page.status_code == 400
    assert "Choose one from the list" in page.content.decode()
    assert client.get(API.format("1577"), {"indicator": "no-such-thing"}).status_code == 404


@pytest.mark.parametrize("code", ["9999", "46", "0"])
def test_only_municipalities_have_a_peer_finder(client, db, code):
    assert client.get(URL.format(code)).status_code == 404
    assert client.get(API.format(code)).status_code == 404


# --- Same priority targets --------------------------------------------------------------------


@pytest.fixture
def priorities(volda, bergen):
    """Volda prioritises three targets; Bergen shares two, Hitra one (both published); a fourth
    municipality shares one only in an unpublished workspace."""
    workspace(volda, ["11.6", "13.2", "3.4"], published=True)
    workspace(bergen, ["11.6", "13.2", "4.1"], published=True)
    hitra = make_organisation("5056")
    workspace(hitra, ["3.4"], published=True)
    hidden_code = not_similar_to("1577", ["5001", "3201", "1103"])
    hidden = make_organisation(hidden_code)
    workspace(hidden, ["11.6"], published=False)
    return {"hitra": hitra, "hidden": hidden}


def test_same_priorities_are_counted_and_named_most_in_common_first(client, priorities, bergen):
    answer = client.get(API.format("1577")).json()["priorities"]
    assert answer["source"] == "published"
    assert [t["code"] for t in answer["targets"]] == ["3.4", "11.6", "13.2"]
    found = [(p["code"], p["overlap"], [t["code"] for t in p["shared"]]) for p in answer["peers"]]
    assert found == [("4601", 2, ["11.6", "13.2"]), ("5056", 1, ["3.4"])]
    assert answer["peers"][0]["organisation"]["slug"] == bergen.slug


def test_unpublished_priorities_are_counted_but_never_named(client, priorities):
    hidden = priorities["hidden"]
    answer = client.get(API.format("1577")).json()["priorities"]
    assert answer["unnamed"] == 1
    assert hidden.region.code not in {p["code"] for p in answer["peers"]}
    page = client.get(URL.format("1577"), {"lang": "en"}).content.decode()
    assert hidden.region.name not in page
    assert hidden.slug not in page
    assert "1 more municipality works on some of these targets" in page


def test_a_visitor_does_not_see_the_municipalitys_unpublished_priorities(client, volda, bergen):
    workspace(volda, ["11.6"], published=False)
    workspace(bergen, ["11.6"], published=True)
    answer = client.get(API.format("1577")).json()["priorities"]
    assert answer == {"source": "published", "targets": [], "peers": [], "unnamed": 0}


def test_a_member_uses_their_own_organisations_workspaces(volda_admin, volda, bergen):
    workspace(volda, ["11.6"], published=False)
    workspace(bergen, ["11.6"], published=True)
    answer = volda_admin.get(API.format("1577")).json()["priorities"]
    assert answer["source"] == "own"
    assert [p["code"] for p in answer["peers"]] == ["4601"]
    page = volda_admin.get(URL.format("1577"), {"lang": "en"}).content.decode()
    assert "Your organisation's workspaces prioritise 1 target" in page


def test_a_member_of_another_organisation_sees_only_published_priorities(bergen_admin, volda):
    workspace(volda, ["11.6"], published=False)
    answer = bergen_admin.get(API.format("1577")).json()["priorities"]
    assert answer["source"] == "published"
    assert answer["targets"] == []


# --- Examples on the priority targets ------------------------------------------------------------


def example(organisation: Organisation, codes: list[str], **fields: Any) -> Example:
    defaults = {
        "title": f"Eksempel frå {organisation.name}",
        "summary": "Kva vi gjorde.",
        "status": Status.PUBLISHED,
        "visibility": Visibility.PUBLIC,
        "contact_name": "Kari Nordmann",
        "contact_email": "kari@example.no",
    }
    found = Example.objects.create(**(defaults | fields))
    found.organisations.add(organisation)
    found.targets.set(Target.objects.filter(code__in=codes))
    return found


def test_published_examples_on_priority_targets_are_listed(client, volda, bergen):
    workspace(volda, ["11.6", "13.2"], published=True)
    shown = example(bergen, ["11.6", "13.2"], title="Bergen sin klimaplan")
    example(bergen, ["11.6"], title="Utkast", status=Status.DRAFT)
    example(bergen, ["11.6"], title="Berre for medlemer", visibility=Visibility.MEMBERS)
    example(bergen, ["4.1"], title="Anna delmål")
    example(volda, ["11.6"], title="Volda sitt eige")
    answer = client.get(API.format("1577")).json()["examples"]
    assert [e["title"] for e in answer] == ["Bergen sin klimaplan"]
    assert answer[0]["shared"] == ["11.6", "13.2"]
    assert answer[0]["organisations"][0]["slug"] == bergen.slug
    assert answer[0]["contact"] is None  # contact persons are for logged-in members
    assert answer[0]["id"] == shown.pk
    assert answer[0]["url"] == shown.get_absolute_url()
    page = client.get(URL.format("1577"), {"lang": "en"}).content.decode()
    assert "kari@example.no" not in page
    assert "Log in to see the contact person." in page


def test_logged_in_members_see_members_only_examples_and_contact_persons(
    volda_admin, volda, bergen
):
    workspace(volda, ["11.6"], published=True)
    example(bergen, ["11.6"], title="Berre for medlemer", visibility=Visibility.MEMBERS)
    answer = volda_admin.get(API.format("1577")).json()["examples"]
    assert [e["title"] for e in answer] == ["Berre for medlemer"]
    assert answer[0]["contact"]["email"] == "kari@example.no"
    assert "kari@example.no" in volda_admin.get(URL.format("1577")).content.decode()


def test_a_public_contact_is_shown_to_everyone(client, volda, bergen):
    workspace(volda, ["11.6"], published=True)
    example(bergen, ["11.6"], contact_public=True)
    answer = client.get(API.format("1577")).json()["examples"]
    assert answer[0]["contact"]["name"] == "Kari Nordmann"


# --- Links ------------------------------------------------------------------------------------------


def test_the_municipality_page_and_the_dashboard_link_to_the_peer_finder(client, db):
    assert URL.format("1577") in client.get("/kommuner/1577/").content.decode()
    assert URL.format("1577") in client.get("/kommuner/1577/berekraft/").content.decode()


def test_a_logged_in_page_renders_for_a_member_without_an_organisation_here(db):
    person = make_user("planleggar@example.no")
    other = make_organisation("5056")
    Membership.objects.create(user=person, organisation=other, role=Role.EDITOR)
    client = Client()
    client.force_login(person)
    assert client.get(URL.format("1577")).status_code == 200


def test_the_number_of_queries_does_not_grow_with_the_examples(
    client, volda, bergen, django_assert_max_num_queries
):
    workspace(volda, ["11.6", "13.2"], published=True)
    hitra = make_organisation("5056")
    for number in range(3):
        example(bergen, ["11.6"], title=f"Eksempel {number}")
    example(hitra, ["13.2"], title="Eksempel frå Hitra")
    client.get(API.format("1577"))  # fill the process memo of similar municipalities
    client.get(API.format("1577"))
    with django_assert_max_num_queries(15) as few:
        client.get(API.format("1577"))
    for number in range(3, 12):
        example(hitra if number % 2 else bergen, ["13.2"], title=f"Eksempel {number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(API.format("1577"))
