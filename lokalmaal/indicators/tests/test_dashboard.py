"""The municipal SDG dashboard on real bundle data, its API twin, and the indicator pages."""

import csv
import io

import pytest
from django.test import Client

from conftest import make_user
from lokalmaal.indicators.models import Indicator, IndicatorValue, Proposal

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("code", ["4601", "3907", "5501"])
def test_dashboard_shows_real_values_with_years_for_at_least_20_indicators_across_8_goals(
    client: Client, code
):
    rows = client.get(f"/api/v1/regions/{code}/indicators/").json()
    with_values = [r for r in rows if r["value"] is not None]
    assert len(with_values) >= 20
    assert len({r["goal"] for r in with_values}) >= 8
    for row in with_values:
        assert row["year"]
        assert row["source"]["kind"] in {"bundle", "ssb", "other"}
        assert row["status"]
        assert row["trend"]
    assert all(r["value"] is None for r in rows if r["year"] is None)
    page = client.get(f"/kommuner/{code}/berekraft/", {"lang": "nb"})
    assert page.status_code == 200


def test_turnout_in_bergen_2025_is_votes_divided_by_eligible_voters(client: Client):
    value = IndicatorValue.objects.get(
        indicator_id="valgdeltakelse-stortingsvalg", region__code="4601", year=2025
    )
    assert value.value == pytest.approx(82.52, abs=0.01)


def test_status_uses_the_target_where_one_exists(client: Client):
    rows = {r["indicator"]: r for r in client.get("/api/v1/regions/4601/indicators/").json()}
    hpv = rows["vaksinasjon-hpv-jenter"]
    assert hpv["target_2030"] == 90.0
    assert hpv["distance_to_target"] is not None
    assert rows["befolkningsvekst"]["status"] == "not_assessed"  # no preferred direction


def test_similar_municipalities_are_explained(client: Client):
    similar = client.get("/api/v1/regions/5501/similar/").json()
    assert len(similar) == 10
    assert "5501" not in {s["code"] for s in similar}
    assert all(s["explanation"] for s in similar)
    bergen_peers = {s["code"] for s in client.get("/api/v1/regions/4601/similar/").json()}
    assert bergen_peers & {"0301", "5001", "1103"}  # Oslo, Trondheim or Stavanger among Bergen's


def test_indicator_list_api_has_the_required_fields(client: Client):
    indicators = client.get("/api/v1/indicators/").json()
    assert len(indicators) == Indicator.objects.count()
    for item in indicators:
        assert {"id", "name", "unit", "direction", "sdg_targets", "kostra", "source"} <= set(item)
        assert "ssb_table" in item["source"]


def test_indicator_page_has_chart_map_table_and_downloads(client: Client):
    page = client.get(
        "/indikatorar/valgdeltakelse-stortingsvalg/", {"kommune": "4601", "lang": "en"}
    ).text
    assert page.count('role="img"') >= 2  # chart and map, each with a title
    assert "<caption" in page
    data = client.get(
        "/indikatorar/valgdeltakelse-stortingsvalg/data.csv", {"lang": "nb"}
    ).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(data), delimiter=";"))
    assert rows[0] == [
        "kommunenummer", "kommune", "fylke", "år", "periode", "verdi", "enhet", "estimert",
        "merknad", "kilde",
    ]  # fmt: skip
    bergen = [row for row in rows if row[0] == "4601"]
    assert [row[3] for row in bergen] == ["2009", "2013", "2017", "2021", "2025"]  # every year
    assert all(row[9].startswith("Valgdirektoratet") for row in bergen)  # source, not a path
    xlsx = client.get("/indikatorar/valgdeltakelse-stortingsvalg/data.xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    assert sheet.max_row == len(rows)


def test_comparison_of_three_municipalities(client: Client):
    page = client.get("/samanlikn/", {"k": ["4601", "3907", "5501"], "lang": "en"}).text
    assert "Bergen" in page
    assert "Sandefjord" in page
    assert "Troms" in page


def test_coverage_shows_targets_with_and_without_municipal_data(client: Client):
    goals = client.get("/api/v1/coverage/").json()
    targets = [t for g in goals for t in g["targets"]]
    assert any(t["with_municipal_data"] for t in targets)
    assert any(not t["indicators"] for t in targets)


def test_proposals_need_login_and_can_be_supported_and_exported_by_ks(client: Client):
    form = {
        "title": "Andel kommunale bygg med solceller",
        "what": "Del av bygg",
        "why": "Energi",
        "target": "",
        "possible_source": "Enova",
    }
    from lokalmaal.catalogue.models import Target

    form["target"] = str(Target.objects.get(code="7.2").pk)
    response = client.post("/indikatorar/forslag/", form)
    assert response.status_code == 302
    assert "/konto/login/" in response["Location"]
    assert not Proposal.objects.exists()
    planner = make_user("planlegger@volda.kommune.no")
    client.force_login(planner)
    assert client.post("/indikatorar/forslag/", form).status_code == 302
    proposal = Proposal.objects.get()
    other = Client()
    other.force_login(make_user("kollega@bergen.kommune.no"))
    other.post(f"/indikatorar/forslag/{proposal.pk}/stott/", {"support": "1"})
    assert proposal.supporters.count() == 2
    assert other.get("/indikatorar/forslag/eksport.csv").status_code == 403
    ks = make_user("stab@ks.no")
    ks.is_platform_admin = True
    ks.save()
    admin = Client()
    admin.force_login(ks)
    exported = admin.get("/indikatorar/forslag/eksport.csv").content.decode("utf-8-sig")
    assert "Andel kommunale bygg med solceller" in exported


def test_supporting_needs_login(client: Client):
    from lokalmaal.catalogue.models import Target

    proposal = Proposal.objects.create(
        title="T", what="W", why="Y", target=Target.objects.get(code="7.2")
    )
    response = Client().post(f"/indikatorar/forslag/{proposal.pk}/stott/", {"support": "1"})
    assert response.status_code == 302
    assert proposal.supporters.count() == 0


def test_the_shared_anonymous_page_never_carries_one_visitors_message(client: Client):
    from django.contrib.messages import get_messages  # noqa: F401

    session = client.session
    session.save()
    first = Client()
    first.get("/kommuner/1577/berekraft/")  # fills the shared page
    logged_in = Client()
    logged_in.force_login(make_user("planlegger@volda.kommune.no"))
    own = logged_in.get("/kommuner/1577/berekraft/").text
    assert "/konto/logout/" in own  # their own menu, not the shared anonymous page
    assert "/konto/logout/" not in Client().get("/kommuner/1577/berekraft/").text
