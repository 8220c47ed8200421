"""What one request to a page with a map or a list of municipalities may cost: a few queries,
and never a boundary read or decoded (maps are drawn once per data version)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conftest import make_user

pytestmark = pytest.mark.django_db

PAGES_WITH_MAPS_OR_MUNICIPALITIES = [
    "/indikatorar/befolkningsvekst/",
    "/indikatorar/befolkningsvekst/?kommune=4601",
    "/indikatorar/befolkningsvekst/?kommune=1577&sorter=namn",
    "/kommuner/4601/",
    "/fylker/46/",
    "/kommuner/4601/berekraft/",
    "/samanlikn/?k=4601&k=1577",
    "/api/v1/regions/?type=municipality",
]


def reads_geometry(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if "regions_boundary" in q["sql"]]


@pytest.fixture
def logged_in(db) -> Client:
    """Logged-in people get every page rendered, so their requests measure the page itself."""
    client = Client()
    client.force_login(make_user("leser@example.no"))
    return client


@pytest.mark.parametrize("url", PAGES_WITH_MAPS_OR_MUNICIPALITIES)
def test_a_page_reads_no_geometry_once_its_maps_are_drawn(logged_in: Client, url):
    assert logged_in.get(url).status_code == 200  # draws the maps for this data version
    with CaptureQueriesContext(connection) as queries:
        assert logged_in.get(url).status_code == 200
    assert reads_geometry(queries) == []


def test_every_indicator_page_shares_one_drawing_of_the_municipalities(logged_in: Client):
    logged_in.get("/indikatorar/befolkningsvekst/")
    with CaptureQueriesContext(connection) as queries:
        page = logged_in.get("/indikatorar/valgdeltakelse-stortingsvalg/?kommune=4601")
    assert page.status_code == 200
    assert reads_geometry(queries) == []
    assert 'class="map__shape map__class-5"' in page.text


def test_an_indicator_page_makes_a_few_queries_however_many_municipalities(logged_in: Client):
    url = "/indikatorar/befolkningsvekst/?kommune=4601"
    logged_in.get(url)
    with CaptureQueriesContext(connection) as queries:
        logged_in.get(url)
    assert len(queries.captured_queries) <= 8, [q["sql"][:120] for q in queries.captured_queries]


def test_an_anonymous_visitor_gets_the_indicator_page_rendered_once(client: Client):
    url = "/indikatorar/befolkningsvekst/?kommune=4601"
    first = client.get(url).content
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url).content
    assert again == first
    assert len(queries.captured_queries) <= 2


@pytest.mark.parametrize(
    "url",
    [
        "/indikatorar/befolkningsvekst/",
        "/indikatorar/befolkningsvekst/?kommune=4601",
        "/kommuner/4601/berekraft/",
        "/kommuner/4601/",
        "/fylker/46/",
        "/samanlikn/?k=4601&k=1577",
        "/indikatorar/",
    ],
)
def test_no_page_is_over_150_kb(client: Client, url):
    assert len(client.get(url).content) < 150_000


def test_the_boundary_api_keeps_the_full_geometry(client: Client):
    """Maps are simplified; the GeoJSON for reuse is the geometry as loaded."""
    from lokalmaal.regions.models import Boundary

    stored = Boundary.objects.get(region__code="4601").geometry
    assert client.get("/api/v1/regions/4601/boundary/").json()["geometry"] == stored
