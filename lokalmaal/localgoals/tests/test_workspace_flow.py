"""A municipality's planners rate targets, prioritise, write goals, adopt and publish them."""

import csv
import io

import pytest
from django.test import Client

from conftest import make_user, member_client
from lokalmaal.accounts.models import Membership, Role
from lokalmaal.localgoals.models import (
    Change,
    ConsultationComment,
    ConsultationInvite,
    GoalIndicator,
    LocalGoal,
    Measure,
    Priority,
    Rating,
    Status,
    Workspace,
)

pytestmark = pytest.mark.django_db


def create_workspace(client: Client, slug: str) -> Workspace:
    response = client.post(
        f"/organisasjoner/{slug}/arbeidsrom/ny/",
        {
            "title": "Kommuneplanens samfunnsdel 2025–2037",
            "plan_type": "samfunnsdel",
            "period_start": "2025",
            "period_end": "2037",
        },
    )
    assert response.status_code == 302, response.content
    return Workspace.objects.latest("id")


def rate(client: Client, workspace: Workspace, values: dict[str, tuple[int, int]]) -> None:
    data = {}
    for code, (importance, influence) in values.items():
        data[f"importance-{code}"] = str(importance)
        data[f"influence-{code}"] = str(influence)
        data[f"comment-{code}"] = f"Kommentar til {code}"
    response = client.post(f"/arbeidsrom/{workspace.pk}/vurder/?alle=1", data)
    assert response.status_code == 302, response.content


def adopt(client: Client, workspace: Workspace, case: str = "26/118") -> None:
    response = client.post(
        f"/arbeidsrom/{workspace.pk}/status/",
        {
            "status": "adopted",
            "adopted_on": "2026-11-26",
            "case_number": case,
            "body": "Kommunestyret",
        },
    )
    assert response.status_code == 302


def goal_form(
    title: str, version: int | None = None, **extra: str | list[str]
) -> dict[str, str | list[str]]:
    data: dict[str, str | list[str]] = {
        "kind": "samfunnsmaal",
        "title": title,
        "description": "Skildring",
        "targets": "11.6, 3.4",
        "strategies": "Strategi",
        "responsible_unit": "Plan",
    }
    if version is not None:
        data["version"] = str(version)
    data.update(extra)
    return data


def test_two_planners_rate_prioritise_write_goals_adopt_publish_and_export(volda, volda_admin):
    colleague = member_client(volda, Role.EDITOR, "kollega@volda.kommune.no")
    workspace = create_workspace(volda_admin, volda.slug)
    rate(volda_admin, workspace, {"11.6": (5, 4), "3.4": (4, 4), "4.1": (2, 2)})
    rate(colleague, workspace, {"11.6": (5, 5), "3.4": (2, 4), "4.1": (2, 3)})
    assert Rating.objects.filter(workspace=workspace).count() == 6

    results = volda_admin.get(f"/arbeidsrom/{workspace.pk}/resultat/")
    assert results.status_code == 200
    page = results.text[results.text.index("<table") :]  # the ranked list
    assert page.index(">11.6<") < page.index(">3.4<") < page.index(">4.1<")  # ranked by score
    assert 'role="img"' in results.text  # the matrix, with its table below
    api = volda_admin.get(f"/api/v1/workspaces/{workspace.pk}/").json()
    by_code = {s["target"]["code"]: s for s in api["ratings"]}
    assert by_code["11.6"]["importance_mean"] == 5.0
    assert by_code["3.4"]["disagreement"] is True  # 4 against 2 on importance
    assert by_code["4.1"]["disagreement"] is False

    for code in ("11.6", "3.4"):
        volda_admin.post(f"/arbeidsrom/{workspace.pk}/prioritet/{code}/", {"prioritised": "1"})
    assert set(
        Priority.objects.filter(workspace=workspace).values_list("target__code", flat=True)
    ) == {"11.6", "3.4"}

    volda_admin.post(
        f"/arbeidsrom/{workspace.pk}/mal/", goal_form("Volda har rein luft og lite avfall")
    )
    community = LocalGoal.objects.get(workspace=workspace)
    colleague.post(
        f"/arbeidsrom/{workspace.pk}/mal/",
        goal_form(
            "Mindre restavfall per innbyggjar",
            kind="delmaal",
            parent=str(community.pk),
            targets="11.6",
        ),
    )
    sub = LocalGoal.objects.get(workspace=workspace, kind="delmaal")
    assert sub.parent == community
    colleague.post(
        f"/arbeidsrom/{workspace.pk}/mal/{sub.pk}/indikatorar/",
        {
            "name": "Restavfall per innbyggjar",
            "unit": "kg",
            "direction": "lower",
            "baseline_value": "212.5",
            "baseline_year": "2023",
            "target_value": "150",
            "target_year": "2030",
        },
    )
    assert GoalIndicator.objects.get(goal=sub).baseline_value == 212.5

    volda_admin.post(
        f"/arbeidsrom/{workspace.pk}/status/",
        {
            "status": "adopted",
            "adopted_on": "2025-06-19",
            "case_number": "25/1234",
            "body": "Kommunestyret",
        },
    )
    workspace.refresh_from_db()
    assert workspace.status == Status.ADOPTED
    assert workspace.case_number == "25/1234"
    volda_admin.post(f"/arbeidsrom/{workspace.pk}/publiser/", {"published": "1"})
    workspace.refresh_from_db()
    assert workspace.published

    public = Client().get("/kommuner/1577/lokale-mal/")
    assert '<html lang="nn"' in public.text  # Volda writes nynorsk
    assert "Volda har rein luft og lite avfall" in public.text
    assert "Mindre restavfall per innbyggjar" in public.text

    docx = volda_admin.get(f"/arbeidsrom/{workspace.pk}/eksport/docx")
    assert docx.status_code == 200
    from docx import Document

    document = Document(io.BytesIO(docx.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Volda har rein luft og lite avfall" in text
    markdown = volda_admin.get(f"/arbeidsrom/{workspace.pk}/eksport/md").content.decode()
    assert "Mindre restavfall per innbyggjar" in markdown
    assert "| Restavfall per innbyggjar |" in markdown.replace("  ", " ")
    goals_csv = volda_admin.get(f"/arbeidsrom/{workspace.pk}/eksport/mal.csv").content.decode()
    rows = list(csv.reader(io.StringIO(goals_csv), delimiter=";"))
    assert any("Restavfall per innbyggjar" in row for row in rows)
    ratings_csv = volda_admin.get(
        f"/arbeidsrom/{workspace.pk}/eksport/vurderinger.csv"
    ).content.decode()
    assert "11.6" in ratings_csv
    assert "kollega@volda.kommune.no" in ratings_csv

    assert Change.objects.filter(workspace=workspace).count() >= 8  # every change is in the history
    history = volda_admin.get(f"/arbeidsrom/{workspace.pk}/historikk/").text
    assert "25/1234" in history
    assert "indicator_added" not in history  # codes are said in words


def test_two_editors_saving_the_same_goal_lose_nothing_silently(volda, volda_admin):
    colleague = member_client(volda, Role.EDITOR, "kollega@volda.kommune.no")
    workspace = create_workspace(volda_admin, volda.slug)
    volda_admin.post(f"/arbeidsrom/{workspace.pk}/mal/", goal_form("Første utkast"))
    goal = LocalGoal.objects.get(workspace=workspace)
    opened = goal.version
    first = volda_admin.post(
        f"/arbeidsrom/{workspace.pk}/mal/{goal.pk}/", goal_form("Admin si endring", opened)
    )
    assert first.status_code == 302
    second = colleague.post(
        f"/arbeidsrom/{workspace.pk}/mal/{goal.pk}/", goal_form("Kollega si endring", opened)
    )
    assert second.status_code == 409
    assert "Admin si endring" in second.text  # the other version is shown
    assert "Kollega si endring" in second.text  # and the colleague's text is kept in the form
    goal.refresh_from_db()
    assert goal.title == "Admin si endring"
    # saving again from the version shown replaces it deliberately
    third = colleague.post(
        f"/arbeidsrom/{workspace.pk}/mal/{goal.pk}/", goal_form("Kollega si endring", goal.version)
    )
    assert third.status_code == 302
    goal.refresh_from_db()
    assert goal.title == "Kollega si endring"


def test_adoption_needs_date_and_case_number_and_only_adopted_sets_are_published(
    volda, volda_admin
):
    workspace = create_workspace(volda_admin, volda.slug)
    volda_admin.post(f"/arbeidsrom/{workspace.pk}/publiser/", {"published": "1"})
    volda_admin.post(f"/arbeidsrom/{workspace.pk}/status/", {"status": "adopted"})
    workspace.refresh_from_db()
    assert workspace.status == Status.DRAFT
    assert not workspace.published


def test_an_unknown_target_number_is_a_clear_error(volda, volda_admin):
    workspace = create_workspace(volda_admin, volda.slug)
    response = volda_admin.post(
        f"/arbeidsrom/{workspace.pk}/mal/", goal_form("Mål", targets="11.6, 99.9, tull")
    )
    assert response.status_code == 400
    assert not LocalGoal.objects.filter(workspace=workspace).exists()


def test_a_rating_outside_the_scale_saves_nothing(volda, volda_admin):
    workspace = create_workspace(volda_admin, volda.slug)
    response = volda_admin.post(
        f"/arbeidsrom/{workspace.pk}/vurder/?alle=1",
        {
            "importance-11.6": "9",
            "influence-11.6": "3",
            "importance-3.4": "4",
            "influence-3.4": "4",
        },
    )
    assert response.status_code == 400
    assert not Rating.objects.filter(workspace=workspace).exists()


# --- Authorisation: every view that changes or shows an unpublished workspace -----------------


def writes(
    workspace: Workspace, goal: LocalGoal, indicator: GoalIndicator
) -> dict[str, tuple[str, dict[str, str | list[str]]]]:
    w = workspace.pk
    return {
        "create": (
            f"/organisasjoner/{workspace.organisation.slug}/arbeidsrom/ny/",
            {"title": "X", "plan_type": "samfunnsdel"},
        ),
        "rate": (
            f"/arbeidsrom/{w}/vurder/?alle=1",
            {"importance-11.6": "5", "influence-11.6": "5"},
        ),
        "priority": (f"/arbeidsrom/{w}/prioritet/11.6/", {"prioritised": "1"}),
        "goal_create": (f"/arbeidsrom/{w}/mal/", goal_form("Nytt")),
        "goal_edit": (f"/arbeidsrom/{w}/mal/{goal.pk}/", goal_form("Endra", goal.version)),
        "goal_delete": (f"/arbeidsrom/{w}/mal/{goal.pk}/slett/", {}),
        "indicator_add": (
            f"/arbeidsrom/{w}/mal/{goal.pk}/indikatorar/",
            {"name": "I", "unit": "%", "direction": "higher"},
        ),
        "indicator_delete": (
            f"/arbeidsrom/{w}/mal/{goal.pk}/indikatorar/{indicator.pk}/slett/",
            {},
        ),
        "status": (f"/arbeidsrom/{w}/status/", {"status": "consultation"}),
        "publish": (f"/arbeidsrom/{w}/publiser/", {"published": "1"}),
        "consultation_invite": (f"/arbeidsrom/{w}/horing/", {"email": "x@example.no"}),
        "answer_comment": (
            f"/arbeidsrom/{w}/horing/{workspace.consultation_comments.get().pk}/svar/",
            {"answer": "Takk"},
        ),
        "measure_add": (
            f"/arbeidsrom/{w}/mal/{goal.pk}/tiltak/",
            {"title": "T", "owner": "O", "status": "planned"},
        ),
        "measure_edit": (
            f"/arbeidsrom/{w}/tiltak/{goal.measures.get().pk}/",
            {"title": "Endra", "owner": "O", "status": "done"},
        ),
        "measure_delete": (f"/arbeidsrom/{w}/tiltak/{goal.measures.get().pk}/", {"delete": "1"}),
    }


def snapshot(workspace: Workspace) -> tuple[object, ...]:
    workspace.refresh_from_db()
    return (
        Workspace.objects.count(),
        workspace.status,
        workspace.published,
        Rating.objects.count(),
        Priority.objects.count(),
        list(LocalGoal.objects.values_list("title", "version")),
        GoalIndicator.objects.count(),
        list(Measure.objects.values_list("title", "status")),
        list(ConsultationComment.objects.values_list("answer", flat=True)),
        ConsultationInvite.objects.count(),
    )


@pytest.fixture
def volda_setup(volda, volda_admin):
    workspace = create_workspace(volda_admin, volda.slug)
    volda_admin.post(f"/arbeidsrom/{workspace.pk}/mal/", goal_form("Mål"))
    goal = LocalGoal.objects.get(workspace=workspace)
    indicator = GoalIndicator.objects.create(goal=goal, name="I", unit="%", direction="higher")
    Measure.objects.create(goal=goal, title="Tiltak", owner="Plan")
    ConsultationComment.objects.create(workspace=workspace, goal=goal, author_name="A", text="K")
    return workspace, goal, indicator


WRITES = [
    "create",
    "rate",
    "priority",
    "goal_create",
    "goal_edit",
    "goal_delete",
    "indicator_add",
    "indicator_delete",
    "status",
    "publish",
    "consultation_invite",
    "answer_comment",
    "measure_add",
    "measure_edit",
    "measure_delete",
]


@pytest.mark.parametrize("name", WRITES)
def test_anonymous_people_cannot_change_a_workspace(volda_setup, name):
    url, data = writes(*volda_setup)[name]
    before = snapshot(volda_setup[0])
    response = Client().post(url, data)
    assert response.status_code == 302
    assert "/konto/login/" in response["Location"]
    assert snapshot(volda_setup[0]) == before


@pytest.mark.parametrize("name", WRITES)
def test_editors_of_another_organisation_cannot_change_a_workspace(volda_setup, bergen, name):
    outsider = member_client(bergen, Role.EDITOR, "redaktor@bergen.kommune.no")
    url, data = writes(*volda_setup)[name]
    before = snapshot(volda_setup[0])
    assert outsider.post(url, data).status_code in (403, 404)
    assert snapshot(volda_setup[0]) == before


@pytest.mark.parametrize("name", WRITES)
def test_readers_of_the_same_organisation_cannot_change_a_workspace(volda_setup, volda, name):
    reader = member_client(volda, Role.READER, "lesar@volda.kommune.no")
    url, data = writes(*volda_setup)[name]
    before = snapshot(volda_setup[0])
    assert reader.post(url, data).status_code == 403
    assert snapshot(volda_setup[0]) == before


@pytest.mark.parametrize(
    "path",
    [
        "/arbeidsrom/{w}/",
        "/arbeidsrom/{w}/resultat/",
        "/arbeidsrom/{w}/eksport/md",
        "/api/v1/workspaces/{w}/",
    ],
)
def test_an_unpublished_workspace_is_hidden_from_outsiders(volda_setup, bergen, path):
    url = path.format(w=volda_setup[0].pk)
    outsider = member_client(bergen, Role.ADMIN, "admin@bergen.kommune.no")
    assert Client().get(url).status_code == 404
    assert outsider.get(url).status_code == 404


def test_members_with_any_role_see_the_workspace_but_only_editors_rate(volda_setup, volda):
    reader = member_client(volda, Role.READER, "lesar@volda.kommune.no")
    workspace = volda_setup[0]
    assert reader.get(f"/arbeidsrom/{workspace.pk}/").status_code == 200
    assert reader.get(f"/arbeidsrom/{workspace.pk}/vurder/").status_code == 403


def test_a_published_workspace_is_public_but_still_read_only(volda_setup, volda_admin):
    workspace = volda_setup[0]
    Workspace.objects.filter(pk=workspace.pk).update(status=Status.ADOPTED, published=True)
    page = Client().get(f"/arbeidsrom/{workspace.pk}/")
    assert page.status_code == 302  # outsiders are sent to the public goals page
    assert page["Location"] == f"/kommuner/1577/lokale-mal/#set-{workspace.pk}"
    assert Client().get(f"/api/v1/workspaces/{workspace.pk}/").status_code == 200
    stranger = make_user("framand@example.no")
    client = Client()
    client.force_login(stranger)
    assert (
        client.post(f"/arbeidsrom/{workspace.pk}/publiser/", {"published": "0"}).status_code == 403
    )


def test_target_page_shows_who_prioritised_it(volda_setup, volda_admin):
    workspace = volda_setup[0]
    volda_admin.post(f"/arbeidsrom/{workspace.pk}/prioritet/11.6/", {"prioritised": "1"})
    assert "Volda" not in Client().get("/delmal/11.6/").text.split("Who else")[-1]  # unpublished
    adopt(volda_admin, workspace)
    volda_admin.post(f"/arbeidsrom/{workspace.pk}/publiser/", {"published": "1"})
    page = Client().get("/delmal/11.6/", {"lang": "en"}).text
    assert "Volda kommune" in page
    assert f'href="/kommuner/1577/lokale-mal/#set-{workspace.pk}"' in page  # the public page
    assert (
        Client()
        .get("/api/v1/targets/11.6/prioritised-by/", {"county": "15"})
        .json()[0]["region_code"]
        == "1577"
    )
    assert Client().get("/api/v1/targets/11.6/prioritised-by/", {"county": "46"}).json() == []
    assert Client().get("/api/v1/targets/11.6/prioritised-by/", {"size": "large"}).json() == []
    assert len(Client().get("/api/v1/targets/11.6/prioritised-by/", {"size": "medium"}).json()) == 1
    assert Membership.objects.count() >= 1


def test_an_indicator_chosen_from_the_library_gets_the_municipalitys_latest_figure_as_baseline(
    volda, volda_admin
):
    workspace = create_workspace(volda_admin, volda.slug)
    volda_admin.post(f"/arbeidsrom/{workspace.pk}/mal/", goal_form("Fleire røyster"))
    goal = LocalGoal.objects.get(workspace=workspace)
    response = volda_admin.post(
        f"/arbeidsrom/{workspace.pk}/mal/{goal.pk}/indikatorar/",
        {"library_id": "valgdeltakelse-stortingsvalg", "target_value": "85", "target_year": "2029"},
    )
    assert response.status_code == 302
    indicator = GoalIndicator.objects.get(goal=goal)
    assert indicator.library_id == "valgdeltakelse-stortingsvalg"
    assert indicator.baseline_year == 2025
    assert indicator.baseline_value is not None
    assert indicator.unit


def test_rating_shows_the_municipalitys_own_figures_beside_each_target(volda, volda_admin):
    workspace = create_workspace(volda_admin, volda.slug)
    page = volda_admin.get(f"/arbeidsrom/{workspace.pk}/vurder/", {"alle": "1", "mal": "16"}).text
    assert 'class="hints"' in page
    assert "/indikatorar/valgdeltakelse-stortingsvalg/?kommune=1577" in page
