"""The stable /api/v1/ endpoints that API users rely on."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_goals_list_has_17_goals_with_id_and_title(client: Client):
    goals = client.get("/api/v1/goals/", {"lang": "nn"}).json()
    assert [g["id"] for g in goals] == list(range(1, 18))
    assert all(g["title"] for g in goals)
    assert goals[0]["short"] == "Utrydde fattigdom"


def test_targets_list_returns_all_169_without_paging(client: Client):
    targets = client.get("/api/v1/targets/").json()
    assert len(targets) == 169
    assert targets[0]["id"] == "1.1"
    assert targets[-1]["id"] == "17.19"


@pytest.mark.parametrize(
    ("language", "start"), [("nb", "Innen 2030"), ("nn", "Innan 2030"), ("en", "By 2030")]
)
def test_target_11_6_in_each_language(client: Client, language, start):
    target = client.get("/api/v1/targets/11.6/", {"lang": language}).json()
    assert target["id"] == "11.6"
    assert target["title"].startswith(start)
    assert target["goal"]["id"] == 11
    assert [i["id"] for i in target["indicators"]] == ["11.6.1", "11.6.2"]


def test_regions_lists_all_357_municipalities_and_15_counties(client: Client):
    assert len(client.get("/api/v1/regions/", {"type": "municipality"}).json()) == 357
    counties = client.get("/api/v1/regions/", {"type": "county"}).json()
    assert sorted(c["code"] for c in counties) == [
        "03", "11", "15", "18", "31", "32", "33", "34", "39", "40", "42", "46", "50", "55", "56",
    ]  # fmt: skip


def test_region_detail_has_population_series_and_written_standard(client: Client):
    volda = client.get("/api/v1/regions/1577/").json()
    assert volda["written_standard"] == "nn"
    assert volda["county"]["code"] == "15"
    assert volda["population"] == 11093
    assert volda["population_year"] == 2024
    assert [p["year"] for p in volda["population_series"]][-1] == 2024


def test_region_detail_lists_predecessors_with_weights(client: Client):
    haram = client.get("/api/v1/regions/1580/").json()
    codes = {(p["code"], p["valid_to"]): p["weight"] for p in haram["predecessors"]}
    assert ("1534", 2019) in codes  # the old Haram
    assert 0 < codes[("1507", 2023)] < 0.5  # Haram's share of the 2020–2023 Ålesund


def test_boundary_is_a_geojson_feature(client: Client):
    feature = client.get("/api/v1/regions/4601/boundary/").json()
    assert feature["type"] == "Feature"
    assert feature["geometry"]["type"] in {"Polygon", "MultiPolygon"}


def test_openapi_document_describes_every_stable_endpoint(client: Client):
    schema = client.get("/api/v1/openapi.json").json()
    for path in [
        "/api/v1/goals/", "/api/v1/goals/{number}/", "/api/v1/targets/",
        "/api/v1/targets/{target_id}/", "/api/v1/regions/", "/api/v1/regions/{code}/",
    ]:  # fmt: skip
        assert path in schema["paths"], path
        operation = schema["paths"][path]["get"]
        assert operation["summary"]


def test_the_api_documentation_page_lists_every_endpoint(client: Client):
    schema = client.get("/api/v1/openapi.json").json()
    page = client.get("/api/").text
    for path in schema["paths"]:
        assert path in page
