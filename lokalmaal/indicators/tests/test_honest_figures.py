"""Figures whose age and origin are honest: old figures get no verdict, multi-year averages keep
their period, split municipalities' inherited figures say so, sources name a publisher."""

from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from conftest import bundle_dir
from lokalmaal.indicators import analysis, explain
from lokalmaal.indicators.compute import Raw, crime, harmonise, hydropower
from lokalmaal.regions.history import CodeHistory, read_history

PROGRESS = {
    "target_achieved",
    "substantial_progress",
    "moderate_progress",
    "limited_progress",
    "deterioration",
}


@pytest.fixture(scope="module")
def history() -> CodeHistory:
    return CodeHistory(read_history(Path(bundle_dir())))


# --- Pure rules ------------------------------------------------------------------------------


def test_a_figure_more_than_five_years_old_is_outdated():
    assert analysis.is_outdated(2020, 2026)
    assert not analysis.is_outdated(2021, 2026)


def test_moving_averages_are_compared_only_across_windows_that_do_not_overlap():
    five_year = {year: float(year) for year in range(2006, 2019)}  # 2002–2006 … 2014–2018
    assert sorted(analysis.non_overlapping(five_year, 5)) == [2008, 2013, 2018]
    two_year = {2021: 1.0, 2022: 2.0, 2023: 3.0, 2024: 4.0}
    assert sorted(analysis.non_overlapping(two_year, 2)) == [2022, 2024]
    assert analysis.non_overlapping(two_year, 1) == two_year


def test_explanations_follow_the_language_with_its_decimal_sign():
    progress = analysis.assess_progress({2015: 80.5, 2025: 82.25}, "higher")
    label = "Lite framgang"
    nynorsk = explain.explain(progress, "higher", None, label, "nn")
    assert nynorsk.startswith("Frå 2015 til 2025 auka verdien frå 80,5 til 82,25")
    assert "utan eit mål" in nynorsk
    english = explain.explain(progress, "higher", None, "Limited progress", "en")
    assert english.startswith("From 2015 to 2025 the value rose from 80.5 to 82.25")


def test_periods_name_both_years_in_an_explanation():
    progress = analysis.assess_progress({2022: 6.0, 2024: 4.0}, "lower")
    periods = {2022: "2021–2022", 2024: "2023–2024"}
    text = explain.explain(progress, "lower", None, "God framgang", "nb", periods=periods)
    assert text.startswith("Fra 2021–2022 til 2023–2024 sank verdien")


# --- Computing from the bundle ----------------------------------------------------------------


def test_a_rate_of_a_split_municipality_is_carried_over_as_an_inherited_estimate(history):
    values = harmonise("x", [Raw("1507", 2023, 2023, rate=6.3)], history)
    assert {(v.region, v.value, v.estimated, v.inherited_from) for v in values} == {
        ("1508", 6.3, True, "1507 Ålesund"),
        ("1580", 6.3, True, "1507 Ålesund"),
    }


def test_a_count_that_came_whole_is_not_called_inherited(history):
    rows = [Raw("1580", 2024, 2024, numerator=5), Raw("1507", 2023, 2024, numerator=10)]
    by_region = {v.region: v for v in harmonise("x", rows, history)}
    assert by_region["1580"].estimated
    assert by_region["1580"].inherited_from == ""  # part of it is Haram's own


def test_reported_offences_per_1000_match_ssbs_published_rate():
    rows = [r for r in crime("alt")(bundle_dir()) if r.year == 2024]
    oslo = next(r for r in rows if r.code == "0301")
    assert (oslo.period_start, oslo.numerator) == (2023, 70192)
    # SSB publishes 97.8 per 1,000 for Oslo in 2023–2024; population 1 January 2024: 717,710
    assert (oslo.numerator or 0) / 717_710 * 1000 == pytest.approx(97.8, abs=0.05)
    assert all(r.code != "0000" for r in rows)  # the whole country is not a municipality


def test_hydropower_plants_count_where_they_stand(history):
    rows = list(hydropower(bundle_dir()))
    brattvag = [r for r in rows if r.code == "1580"]
    assert [r.numerator for r in brattvag] == [0.81]  # NVE's Brattvåg plant, placed in Haram
    values = {v.region: v.value or 0.0 for v in harmonise("x", rows, history)}
    # 1507 Ålesund's five plants: Bergelva 0.3, Brattvåg 0.81, Solnør Gård 0.012, Vaksvik 7.74
    # and Valgermo Giskemo 0.98 MW; Brattvåg is Haram's, Vaksvik Ålesund's, the rest shared.
    assert values["1508"] + values["1580"] == pytest.approx(9.842)
    assert 0.81 < values["1580"] < 0.81 + 1.292
    assert values["1508"] > 7.74


# --- Pages and API ---------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["4601", "1577", "1580"])
def test_no_dashboard_row_gives_a_verdict_on_a_figure_over_five_years_old(client: Client, code):
    rows = client.get(f"/api/v1/regions/{code}/indicators/", {"lang": "nn"}).json()
    this_year = timezone.localdate().year
    for row in rows:
        if row["year"] is not None and this_year - row["year"] > 5:
            assert row["status"] == "outdated", row["indicator"]
            assert row["trend"] == "unknown"
            assert "meir enn 5 år gammalt" in row["explanation"]
        assert row["status"] not in PROGRESS or this_year - row["year"] <= 5
    with_data = [r for r in rows if r["value"] is not None]
    assert len(with_data) >= 25
    assert sum(1 for r in with_data if r["year"] >= 2020) >= 10


@pytest.mark.django_db
def test_haram_says_its_figure_is_old_alesunds(client: Client):
    rows = client.get("/api/v1/regions/1580/indicators/", {"lang": "nb"}).json()
    share = next(r for r in rows if r["indicator"] == "andel-67-og-eldre")
    assert share["estimated"]
    assert share["estimate_note"] == (
        "Haram hadde ikke eget tall for 2023: dette er tallet for tidligere Ålesund (1507), som "
        "Haram var en del av."
    )
    crime_row = next(r for r in rows if r["indicator"] == "anmeldte-lovbrudd-per-1000")
    # Haram's own 2023–2024 figure is not judged against old Ålesund's earlier ones
    assert crime_row["period"] == "2023–2024"
    assert crime_row["status"] == "insufficient_data"


@pytest.mark.django_db
def test_multi_year_averages_carry_their_period(client: Client):
    detail = client.get("/api/v1/indicators/vaksinasjon-mmr-9-aar/").json()
    assert detail["periods"]["2012"] == "2008–2012"
    assert {row["period"] for row in detail["latest"]} <= set(detail["periods"].values())
    assert all(row["outdated"] for row in detail["latest"])
    assert detail["stale_period"] == "2008–2012"  # the page warns that even the newest is old


@pytest.mark.django_db
def test_the_indicator_list_counts_municipalities_and_names_publishers(client: Client):
    indicators = client.get("/api/v1/indicators/").json()
    assert max(i["regions_with_data"] for i in indicators) <= 357
    growth = next(i for i in indicators if i["id"] == "befolkningsvekst")
    assert growth["regions_with_data"] == 357
    for item in indicators:
        label = item["source"]["label"]
        assert label, item["id"]
        assert not label.endswith((".csv", ".xlsx", ".json")), item["id"]
    page = client.get("/indikatorar/", {"lang": "nb"}).text
    assert "ssb-statistics/" not in page


@pytest.mark.django_db
def test_the_dashboard_says_how_old_its_figures_are(client: Client):
    page = client.get("/kommuner/1577/berekraft/", {"lang": "nn"}).text
    assert "Det nyaste talet er frå" in page
    assert "KOSTRA-gruppe 7" in page
