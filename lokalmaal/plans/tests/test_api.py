"""/api/v1/plans/: the same analyses as the pages, with the same rules on who sees what."""

import pytest
from django.test import Client

from lokalmaal.plans import tasks
from lokalmaal.plans.tests.test_analysis import LexicalClassifier
from lokalmaal.plans.tests.test_views import analysed


@pytest.fixture(autouse=True)
def immediate_tasks(settings, tmp_path, monkeypatch):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    # The real classifier is tested end to end in test_analysis.py; here its lexicon is enough.
    monkeypatch.setattr(tasks, "get_classifier", LexicalClassifier)


def test_the_list_shows_published_analyses_to_everyone_and_private_ones_to_members(
    bergen, bergen_reader, volda_admin
):
    private = analysed(bergen, title="Utkast")
    public = analysed(bergen, title="Vedteken", published=True)
    anonymous = {p["id"] for p in Client().get("/api/v1/plans/").json()}
    assert anonymous == {public.pk}
    assert {p["id"] for p in volda_admin.get("/api/v1/plans/").json()} == {public.pk}
    members = {p["id"] for p in bergen_reader.get("/api/v1/plans/?organisation=4601-bergen").json()}
    assert members == {public.pk, private.pk}
    by_region = Client().get("/api/v1/plans/?region=4601").json()
    assert [p["title"] for p in by_region] == ["Vedteken"]


def test_a_private_analysis_is_404_for_anonymous_people_and_other_organisations(
    bergen, volda_admin
):
    plan = analysed(bergen)
    other = analysed(bergen, title="Andre", year=2020)
    for client in (Client(), volda_admin):
        for url in (
            f"/api/v1/plans/{plan.pk}/",
            f"/api/v1/plans/{plan.pk}/gaps/",
            f"/api/v1/plans/{plan.pk}/compare/{other.pk}/",
        ):
            assert client.get(url).status_code == 404, url


def test_one_analysis_has_coverage_targets_and_passages(bergen, bergen_reader):
    plan = analysed(bergen)
    data = bergen_reader.get(f"/api/v1/plans/{plan.pk}/?lang=en").json()
    analysis = data["analysis"]
    assert len(analysis["coverage"]) == 17
    assert analysis["targets"]
    assert analysis["targets"][0]["title"]
    assert analysis["evidence_total"] == len(analysis["evidence"])
    assert analysis["silent_total"] == 1
    filtered = bergen_reader.get(f"/api/v1/plans/{plan.pk}/?goal=4").json()["analysis"]
    assert filtered["goal"] == 4
    assert all(4 in p["goals"] for p in filtered["evidence"])


def test_gaps_and_comparison_in_the_api(bergen, bergen_reader):
    old = analysed(bergen, title="Gammal", year=2019, text="Vi vil ta vare på myr og matjord.")
    new = analysed(bergen, title="Ny", year=2024)
    gaps = bergen_reader.get(f"/api/v1/plans/{new.pk}/gaps/").json()
    assert gaps["plan"]["id"] == new.pk
    assert gaps["priority_gaps"] == []
    assert gaps["workspaces"] == []
    compared = bergen_reader.get(f"/api/v1/plans/{old.pk}/compare/{new.pk}/").json()
    assert compared["before"]["title"] == "Gammal"
    assert 4 in compared["new_goals"]


def test_the_plans_endpoints_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/plans/" in paths
    assert "/api/v1/plans/{plan_id}/gaps/" in paths
