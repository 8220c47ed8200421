"""No browser or proxy keeps a page or file that depends on the logged-in person or carries
personal data; anonymous pages stay cacheable (issue #16)."""

import pytest
from django.test import Client

from conftest import make_user
from lokalmaal.accounts.models import Membership, Role
from lokalmaal.networks.actions import do_register
from lokalmaal.networks.tests.conftest import make_event


def no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


@pytest.fixture
def person(db) -> Client:
    client = Client()
    client.force_login(make_user("person@example.no"))
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/varsel/",
        "/kommuner/4601/",
        "/kommuner/4601/berekraft/",
        "/konto/mine-data/",
        "/api/v1/notifications/",
        "/api/v1/goals/",
    ],
)
def test_every_response_to_a_logged_in_person_is_no_store(person, url: str):
    response = person.get(url)
    assert response.status_code == 200
    assert no_store(response)
    assert "private" in response["Cache-Control"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/kommuner/4601/", "/kommuner/4601/berekraft/", "/mal/13/"])
def test_anonymous_pages_stay_cacheable(url: str):
    client = Client()
    first, second = client.get(url), client.get(url)  # the second from web/pagecache.py
    assert first.status_code == second.status_code == 200
    assert not no_store(first)
    assert not no_store(second)
    assert first.content == second.content


def test_a_logged_in_visit_does_not_spoil_the_anonymous_page_cache(person):
    assert no_store(person.get("/kommuner/4601/"))
    anonymous = Client().get("/kommuner/4601/")
    assert not no_store(anonymous)
    assert b"person@example.no" not in anonymous.content


def test_the_participant_list_is_no_store(bergen):
    organiser = make_user("arrangor@bergen.kommune.no")
    Membership.objects.create(user=organiser, organisation=bergen, role=Role.EDITOR)
    event = make_event(organiser, organisation=bergen)
    do_register(event, make_user("deltakar@example.no"))
    client = Client()
    client.force_login(organiser)
    response = client.get(f"/arrangement/{event.pk}/deltakarar.csv")
    assert response.status_code == 200
    assert no_store(response)


def test_personal_data_downloads_are_no_store(person):
    for url in ("/konto/mine-data/lokalmaal-data.json", "/konto/mine-data/lokalmaal-data.zip"):
        assert no_store(person.get(url)), url


def test_a_view_that_says_public_keeps_it(rf, db):
    from django.http import HttpResponse

    from lokalmaal.web.middleware import NoStoreMiddleware

    def public_view(request):
        response = HttpResponse("figures")
        response["Cache-Control"] = "public, max-age=3600"
        return response

    request = rf.get("/")
    request.user = make_user("x@example.no")
    assert NoStoreMiddleware(public_view)(request)["Cache-Control"] == "public, max-age=3600"
