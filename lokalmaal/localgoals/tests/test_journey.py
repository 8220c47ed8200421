"""The planner's journey after rating: goals with picked targets and library indicators, the
consultation, adoption by an admin, what the public sees, and the yearly follow-up. Includes the
regressions from issue #13 (direction, self-parent, rounding, leaking ratings)."""

import csv
import io
import re

import pytest
from django.core import mail
from django.test import Client

from conftest import member_client
from lokalmaal.accounts.models import Role
from lokalmaal.indicators.reads import region_series
from lokalmaal.localgoals.models import (
    AdoptedVersion,
    ConsultationComment,
    GoalIndicator,
    LocalGoal,
    Status,
    Workspace,
)
from lokalmaal.localgoals.tests.test_workspace_flow import adopt, create_workspace, goal_form, rate

pytestmark = pytest.mark.django_db

NEET = "ungdom-utenfor-arbeid-utdanning"  # "Unge utanfor arbeid og utdanning": lower is better
THEFT = "eiendomstyveri-per-1000"  # Volda has figures 2021–2024 in the bundle


def link_in(body: str) -> str:
    found = re.search(r"(/horing/[^/\s]+/)", body)
    assert found is not None, body
    return found.group(1)


@pytest.fixture
def post(django_capture_on_commit_callbacks):
    def send(client: Client, url: str, data: dict[str, object]):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data)

    return send


@pytest.fixture
def goal(volda, volda_admin) -> LocalGoal:
    workspace = create_workspace(volda_admin, volda.slug)
    volda_admin.post(
        f"/arbeidsrom/{workspace.pk}/mal/",
        {"kind": "samfunnsmaal", "title": "Alle unge har ein stad å høyre til", "targets": ["8.6"]},
    )
    return LocalGoal.objects.get(workspace=workspace)


def test_targets_are_ticked_from_the_catalogue(goal, volda_admin):
    url = f"/arbeidsrom/{goal.workspace_id}/mal/{goal.pk}/"
    response = volda_admin.post(url, goal_form("Mål", goal.version, targets=["8.6", "4.3"]))
    assert response.status_code == 302
    assert sorted(t.code for t in goal.targets.all()) == ["4.3", "8.6"]
    page = volda_admin.get(url).text
    assert 'name="targets" value="8.6" checked' in page
    assert 'name="targets" value="1.1">' in page  # every target can be picked


def test_the_library_offers_the_goals_own_targets_first_sorted_and_without_duplicates(
    goal, volda_admin
):
    page = volda_admin.get(f"/arbeidsrom/{goal.workspace_id}/mal/{goal.pk}/").text
    select = page[
        page.index('name="library_id"') : page.index("</select>", page.index('name="library_id"'))
    ]
    groups = re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', select, re.S)
    assert len(groups) == 2
    first = re.findall(r">([^<]+)</option>", groups[0][1])
    assert any("utanfor arbeid" in name for name in first)  # measures 8.6
    rest = re.findall(r">([^<]+)</option>", groups[1][1])
    assert rest == sorted(rest, key=str.casefold)
    everything = first + rest
    assert len(everything) == len(set(everything))  # "Barn 1–5 år i barnehage" only once


def test_a_library_indicator_keeps_the_librarys_direction_and_a_rounded_baseline(goal, volda_admin):
    # The form's direction list starts empty ("as in the library"); even a sent "higher" loses.
    volda_admin.post(
        f"/arbeidsrom/{goal.workspace_id}/mal/{goal.pk}/indikatorar/",
        {"library_id": NEET, "direction": "higher"},
    )
    indicator = GoalIndicator.objects.get(goal=goal)
    assert indicator.direction == "lower"
    latest = max(region_series(NEET, "1577"))
    assert indicator.baseline_year == latest
    assert indicator.baseline_value == round(region_series(NEET, "1577")[latest], 1)
    assert len(str(indicator.baseline_value).split(".")[-1]) <= 1


def test_the_form_shows_what_the_library_gives_before_saving(goal, volda_admin):
    page = volda_admin.post(
        f"/arbeidsrom/{goal.workspace_id}/mal/{goal.pk}/indikatorar/",
        {"library_id": NEET, "preview": "1"},
    )
    assert page.status_code == 200
    assert "Lågare er betre" in page.text or "Lavere er bedre" in page.text
    assert not GoalIndicator.objects.filter(goal=goal).exists()


def test_a_goal_cannot_be_its_own_parent(goal, volda_admin):
    url = f"/arbeidsrom/{goal.workspace_id}/mal/{goal.pk}/"
    page = volda_admin.get(url).text
    assert f'<option value="{goal.pk}"' not in page  # not even offered
    response = volda_admin.post(
        url, goal_form("Mål", goal.version, kind="delmaal", parent=str(goal.pk))
    )
    assert response.status_code == 400
    goal.refresh_from_db()
    assert (goal.kind, goal.parent_id) == ("samfunnsmaal", None)


def test_a_community_goal_with_sub_goals_cannot_become_a_sub_goal(goal, volda_admin):
    w = goal.workspace_id
    volda_admin.post(f"/arbeidsrom/{w}/mal/", goal_form("Anna", kind="samfunnsmaal"))
    other = LocalGoal.objects.get(title="Anna")
    volda_admin.post(
        f"/arbeidsrom/{w}/mal/", goal_form("Under", kind="delmaal", parent=str(goal.pk))
    )
    response = volda_admin.post(
        f"/arbeidsrom/{w}/mal/{goal.pk}/",
        goal_form("Mål", goal.version, kind="delmaal", parent=str(other.pk)),
    )
    assert response.status_code == 400
    goal.refresh_from_db()
    assert goal.kind == "samfunnsmaal"


def test_consultation_collects_comments_by_e_mailed_link_and_editors_answer(
    goal, volda, volda_admin, post
):
    w = goal.workspace_id
    volda_admin.post(
        f"/arbeidsrom/{w}/status/", {"status": "consultation", "deadline": "2099-01-31"}
    )
    assert Workspace.objects.get(pk=w).status == Status.CONSULTATION
    post(
        volda_admin,
        f"/arbeidsrom/{w}/horing/",
        {"email": "laget@example.no", "name": "Idrettslaget"},
    )
    [letter] = mail.outbox
    assert "http://testserver/horing/" in str(letter.body)
    link = link_in(str(letter.body))
    outsider = Client()  # no account
    assert "Alle unge har ein stad" in outsider.get(link).text
    response = outsider.post(
        link, {"goal": goal.pk, "name": "Idrettslaget", "text": "Ta med idretten."}
    )
    assert response.status_code == 302
    comment = ConsultationComment.objects.get()
    assert (comment.goal, comment.author_name) == (goal, "Idrettslaget")
    assert "Ta med idretten." in volda_admin.get(f"/arbeidsrom/{w}/horing/").text
    volda_admin.post(f"/arbeidsrom/{w}/horing/{comment.pk}/svar/", {"answer": "Teke inn i 2.1."})
    assert "Teke inn i 2.1." in outsider.get(link).text
    assert Client().get("/horing/feil-token/").status_code == 404


def test_comments_are_refused_after_the_deadline(goal, volda_admin, post):
    w = goal.workspace_id
    volda_admin.post(
        f"/arbeidsrom/{w}/status/", {"status": "consultation", "deadline": "2099-01-31"}
    )
    post(volda_admin, f"/arbeidsrom/{w}/horing/", {"email": "x@example.no"})
    link = link_in(str(mail.outbox[0].body))
    Workspace.objects.filter(pk=w).update(consultation_deadline="2020-01-01")
    response = Client().post(link, {"name": "X", "text": "For seint"})
    assert response.status_code == 400
    assert not ConsultationComment.objects.exists()


def test_only_an_organisation_admin_records_adoption(goal, volda):
    editor = member_client(volda, Role.EDITOR, "redaktor@volda.kommune.no")
    w = goal.workspace_id
    response = editor.post(
        f"/arbeidsrom/{w}/status/",
        {"status": "adopted", "adopted_on": "2026-11-26", "case_number": "1", "body": "K"},
    )
    assert response.status_code == 403
    assert Workspace.objects.get(pk=w).status == Status.DRAFT
    assert not AdoptedVersion.objects.exists()


def test_an_adopted_goal_is_locked_and_a_revision_stays_private_until_adopted(goal, volda_admin):
    w = goal.workspace_id
    adopt(volda_admin, goal.workspace)
    volda_admin.post(f"/arbeidsrom/{w}/publiser/", {"published": "1"})
    edit = volda_admin.post(
        f"/arbeidsrom/{w}/mal/{goal.pk}/", goal_form("Endra i smug", goal.version)
    )
    assert edit.status_code == 400
    goal.refresh_from_db()
    assert goal.title == "Alle unge har ein stad å høyre til"

    volda_admin.post(f"/arbeidsrom/{w}/status/", {"status": "revised"})  # reopen
    goal.refresh_from_db()
    volda_admin.post(f"/arbeidsrom/{w}/mal/{goal.pk}/", goal_form("Ny formulering", goal.version))
    public = Client().get("/kommuner/1577/lokale-mal/").text
    assert "Alle unge har ein stad å høyre til" in public  # the adopted text
    assert "Ny formulering" not in public
    assert "26/118" in public
    adopt(volda_admin, goal.workspace, case="27/5")
    public = Client().get("/kommuner/1577/lokale-mal/").text
    assert "Ny formulering" in public
    assert "27/5" in public
    assert AdoptedVersion.objects.filter(workspace_id=w).count() == 2
    history = volda_admin.get(f"/arbeidsrom/{w}/historikk/?lang=nn").text
    assert "Versjon 1" in history or "Version 1" in history


def test_publishing_shows_the_goals_but_not_the_ratings_unless_the_analysis_is_chosen(
    volda, volda_admin
):
    workspace = create_workspace(volda_admin, volda.slug)
    rate(volda_admin, workspace, {"11.6": (5, 4)})
    adopt(volda_admin, workspace)
    volda_admin.post(f"/arbeidsrom/{workspace.pk}/publiser/", {"published": "1"})
    w = workspace.pk
    anonymous = Client()
    assert anonymous.get(f"/arbeidsrom/{w}/resultat/").status_code == 404
    assert anonymous.get(f"/arbeidsrom/{w}/eksport/vurderinger.csv").status_code == 404
    api = anonymous.get(f"/api/v1/workspaces/{w}/").json()
    assert api["ratings"] == []
    assert "Kommentar til 11.6" not in anonymous.get("/kommuner/1577/lokale-mal/").text

    volda_admin.post(f"/arbeidsrom/{w}/publiser/", {"published": "0"})
    volda_admin.post(f"/arbeidsrom/{w}/publiser/", {"published": "1", "analysis": "1"})
    assert "Kommentar til 11.6" in anonymous.get(f"/arbeidsrom/{w}/resultat/").text
    assert anonymous.get(f"/arbeidsrom/{w}/eksport/vurderinger.csv").status_code == 200


def test_follow_up_shows_the_current_value_the_status_and_measures(goal, volda_admin):
    w = goal.workspace_id
    series = region_series(THEFT, "1577")
    first, latest = min(series), max(series)
    volda_admin.post(
        f"/arbeidsrom/{w}/mal/{goal.pk}/indikatorar/",
        {"library_id": THEFT, "baseline_value": str(round(series[first], 1)),
         "baseline_year": str(first), "target_value": "1", "target_year": "2030"},
    )  # fmt: skip
    volda_admin.post(
        f"/arbeidsrom/{w}/mal/{goal.pk}/tiltak/",
        {"title": "Ungdomslos i alle skular", "owner": "Oppvekst", "status": "started",
         "kostra_functions": "273, 242", "plan_link": "https://www.volda.kommune.no/okonomiplan"},
    )  # fmt: skip
    adopt(volda_admin, goal.workspace)
    volda_admin.post(f"/arbeidsrom/{w}/publiser/", {"published": "1"})
    api = Client().get("/api/v1/regions/1577/local-goals/").json()
    [row] = api[0]["goals"][0]["indicators"]
    assert (row["baseline_value"], row["baseline_year"]) == (round(series[first], 1), first)
    assert (row["latest_value"], row["latest_year"]) == (round(series[latest], 1), latest)
    assert (row["target_value"], row["target_year"]) == (1.0, 2030)
    assert row["status"] in {
        "target_achieved", "substantial_progress", "moderate_progress", "limited_progress",
        "deterioration", "insufficient_data", "outdated",
    }  # fmt: skip

    page = Client().get(f"/arbeidsrom/{w}/oppfolging/").text  # public: the adopted version
    assert "Ungdomslos i alle skular" in page
    assert "273, 242" in page
    report = Client().get(f"/arbeidsrom/{w}/oppfolging.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(report), delimiter=";"))
    assert rows[0][:3] == ["Mål", "Berekraftsdelmål", "Indikator"]  # Volda's nynorsk
    assert any("Ungdomslos i alle skular" in r for r in rows)
    docx = Client().get(f"/arbeidsrom/{w}/oppfolging.docx")
    assert docx.status_code == 200


def test_a_workspace_that_is_not_published_has_no_public_follow_up(goal):
    assert Client().get(f"/arbeidsrom/{goal.workspace_id}/oppfolging/").status_code == 404


def test_the_workspace_shows_its_steps_and_the_next_one(goal, volda_admin):
    page = volda_admin.get(f"/arbeidsrom/{goal.workspace_id}/?lang=nn").text
    assert page.count("journey__step") >= 7
    assert 'aria-current="step"' in page
    assert "Du har vurdert 0 av" in page


def test_rating_goes_goal_by_goal_with_progress_and_local_meaning(volda, volda_admin):
    workspace = create_workspace(volda_admin, volda.slug)
    page = volda_admin.get(f"/arbeidsrom/{workspace.pk}/vurder/?lang=nn").text
    assert "<progress" in page
    assert page.count('class="rate-target"') < 30  # one goal, not 108 targets
    assert "Kva det tyder lokalt" in page
    response = volda_admin.post(
        f"/arbeidsrom/{workspace.pk}/vurder/?mal=1",
        {"importance-1.2": "4", "influence-1.2": "3", "next": "1"},
    )
    assert response["Location"].endswith("mal=2")
    goals = volda_admin.get(f"/arbeidsrom/{workspace.pk}/vurder/?mal=1&lang=nn").text
    assert "1 av " in goals
    assert "Poverty" not in goals  # the goal filter speaks the reader's language


def test_a_planner_in_a_municipality_without_an_organisation_gets_all_the_way_to_follow_up(
    post,
):
    """Issue #13's "done when": nobody uses the admin or a shell."""
    from conftest import make_user
    from lokalmaal.accounts.models import AccessRequest, Organisation, User
    from lokalmaal.regions.models import Region

    def logged_in(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    ks = make_user("stab@ks.no")
    User.objects.filter(pk=ks.pk).update(is_platform_admin=True)
    ks_client = logged_in(User.objects.get(pk=ks.pk))
    planner = logged_in(make_user("planleggar@volda.kommune.no"))
    colleague = logged_in(make_user("kollega@volda.kommune.no"))
    # 1. In: KS creates Volda's organisation for the planner; the planner lets a colleague in.
    volda = Region.objects.get(code="1577")
    post(planner, "/organisasjoner/bli-med/", {"region": volda.pk, "reason": "Planleggar."})
    first = AccessRequest.objects.get()
    post(ks_client, f"/organisasjoner/foresporsler/{first.pk}/", {"decision": "accept"})
    organisation = Organisation.objects.get(region=volda)
    post(
        colleague,
        "/organisasjoner/bli-med/",
        {"organisation": organisation.pk, "reason": "Rådgjevar."},
    )
    second = AccessRequest.objects.get(user__email="kollega@volda.kommune.no")
    post(
        planner,
        f"/organisasjoner/foresporsler/{second.pk}/",
        {"decision": "accept", "role": "editor"},
    )
    # 2. A materiality analysis with two raters, and a priority.
    workspace = create_workspace(planner, organisation.slug)
    rate(planner, workspace, {"16.1": (5, 4), "11.7": (4, 3)})
    rate(colleague, workspace, {"16.1": (4, 4), "11.7": (2, 3)})
    w = workspace.pk
    assert ">16.1<" in planner.get(f"/arbeidsrom/{w}/resultat/").text
    planner.post(f"/arbeidsrom/{w}/prioritet/16.1/", {"prioritised": "1"})
    # 3. A goal with a picked target and a library indicator.
    planner.post(f"/arbeidsrom/{w}/mal/", goal_form("Volda er trygg", targets=["16.1"]))
    goal = LocalGoal.objects.get(workspace=workspace)
    series = region_series(THEFT, "1577")
    first_year = min(series)
    planner.post(
        f"/arbeidsrom/{w}/mal/{goal.pk}/indikatorar/",
        {"library_id": THEFT, "baseline_value": str(round(series[first_year], 1)),
         "baseline_year": str(first_year), "target_value": "2", "target_year": "2030"},
    )  # fmt: skip
    # 4. Consultation with a comment from outside, answered.
    colleague.post(f"/arbeidsrom/{w}/status/", {"status": "consultation", "deadline": "2099-01-31"})
    post(colleague, f"/arbeidsrom/{w}/horing/", {"email": "laget@example.no"})
    link = link_in(str(mail.outbox[-1].body))
    Client().post(link, {"goal": goal.pk, "name": "Idrettslaget", "text": "Lys på turvegen."})
    comment = ConsultationComment.objects.get()
    colleague.post(f"/arbeidsrom/{w}/horing/{comment.pk}/svar/", {"answer": "Teke inn."})
    # 5. The editor cannot adopt; the admin can, and publishes.
    colleague.post(
        f"/arbeidsrom/{w}/status/",
        {"status": "adopted", "adopted_on": "2026-11-26", "case_number": "1", "body": "K"},
    )
    assert Workspace.objects.get(pk=w).status == Status.CONSULTATION
    adopt(planner, workspace)
    planner.post(f"/arbeidsrom/{w}/publiser/", {"published": "1"})
    # 6. Anyone sees the goals and where they stand now, but not the ratings.
    public = Client().get("/kommuner/1577/lokale-mal/").text
    assert "Volda er trygg" in public
    followup = Client().get(f"/arbeidsrom/{w}/oppfolging/").text
    latest = max(series)
    assert f"({latest})" in followup
    assert Client().get(f"/arbeidsrom/{w}/resultat/").status_code == 404


def test_sets_adopted_before_versions_existed_stay_public_after_the_migration(goal, volda_admin):
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "lokalmaal.localgoals.migrations.0003_adopted_versions_for_existing_sets"
    )
    Workspace.objects.filter(pk=goal.workspace_id).update(
        status=Status.ADOPTED, adopted_on="2025-06-19", case_number="25/1234", published=True
    )
    assert "Alle unge har ein stad" not in Client().get("/kommuner/1577/lokale-mal/").text
    migration.create_versions(apps, None)
    public = Client().get("/kommuner/1577/lokale-mal/").text
    assert "Alle unge har ein stad" in public
    assert "25/1234" in public
    migration.create_versions(apps, None)  # a second run changes nothing
    assert AdoptedVersion.objects.count() == 1
