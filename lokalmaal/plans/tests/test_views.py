"""Plan analysis pages: upload through the background task to the results, authorisation on
every view that changes data, private analyses hidden, gaps, comparison and exports."""

import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from docx import Document as WordDocument

from conftest import make_organisation
from lokalmaal.accounts.models import Membership, Role, User
from lokalmaal.catalogue.models import Target
from lokalmaal.localgoals.models import Priority, Workspace
from lokalmaal.plans import tasks
from lokalmaal.plans.actions import PlanInput, do_upload_plan
from lokalmaal.plans.models import PlanDocument, Status
from lokalmaal.plans.tests.test_analysis import PLAN_TEXT, LexicalClassifier


@pytest.fixture(autouse=True)
def immediate_tasks(settings, tmp_path, monkeypatch):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    # The real classifier is tested end to end in test_analysis.py; here its lexicon is enough.
    monkeypatch.setattr(tasks, "get_classifier", LexicalClassifier)


def docx_bytes(*paragraphs: str, heading: str = "Klima og miljø") -> bytes:
    document = WordDocument()
    document.add_heading(heading, level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def analysed(organisation, text=PLAN_TEXT, *, title="Samfunnsdelen", year=2024, published=False,
             plan_type="samfunnsdel") -> PlanDocument:  # fmt: skip
    # No password: hashing one per analysed plan would make these tests slow for nothing.
    user, _ = User.objects.get_or_create(email=f"planlegger@{organisation.slug}.no")
    plan = do_upload_plan(organisation, user, PlanInput(title, plan_type, year), text=text)
    plan.refresh_from_db()
    assert plan.status == Status.DONE
    if published:
        plan.published = True
        plan.save()
    return plan


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Every test starts with the whole upload budget (20 an hour a person), however many
    uploads the tests before it made."""
    from django.core.cache import cache

    cache.clear()


def upload(client: Client, slug: str, **fields):
    data = {"title": "Kommuneplanens samfunnsdel", "plan_type": "samfunnsdel", "year": "2024"}
    data.update(fields)
    return client.post(f"/organisasjoner/{slug}/planar/ny/", data)


# Uploads -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("plan.docx", docx_bytes("Kommunen skal redusere klimagassutslippene innen 2030.")),
        (
            "plan.txt",
            b"# Klima\n\nKommunen skal redusere klimagassutslippene innen 2030.\n",
        ),
        (
            "plan.html",
            b"<!doctype html><html><body><h1>Klima</h1><p>Kommunen skal redusere "
            b"klimagassutslippene innen 2030.</p></body></html>",
        ),
    ],
)
def test_an_uploaded_file_goes_through_the_task_to_a_results_page(bergen, bergen_admin, name,
                                                                  content):  # fmt: skip
    response = upload(bergen_admin, bergen.slug, file=SimpleUploadedFile(name, content))
    plan = PlanDocument.objects.get(organisation=bergen)
    assert response.status_code == 302
    assert response["Location"] == f"/planar/{plan.pk}/"
    assert plan.status == Status.DONE
    assert plan.filename == name
    assert plan.kind == name.rsplit(".", 1)[1].replace("txt", "text")
    page = bergen_admin.get(f"/planar/{plan.pk}/?lang=en")
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html
    assert "Coverage by goal" in html
    assert "<mark" in html
    assert "13.2" in html
    assert "/planar/metode/" in html


def test_pasted_text_is_analysed(bergen, bergen_admin):
    response = upload(bergen_admin, bergen.slug, text=PLAN_TEXT)
    assert response.status_code == 302
    plan = PlanDocument.objects.get(organisation=bergen)
    assert plan.kind == "text"
    assert plan.status == Status.DONE
    page = bergen_admin.get(f"/planar/{plan.pk}/?mal=4&lang=en").content.decode()
    assert "grunnskole" in page
    assert "Passages that address no goal" in page


def test_a_failing_file_shows_its_message(bergen, bergen_admin):
    broken = SimpleUploadedFile("plan.pdf", b"%PDF-1.7\n" + b"\x00garbage" * 500)
    upload(bergen_admin, bergen.slug, file=broken)
    plan = PlanDocument.objects.get(organisation=bergen)
    assert plan.status == Status.FAILED
    page = bergen_admin.get(f"/planar/{plan.pk}/?lang=en").content.decode()
    assert "could not be analysed" in page
    assert "damaged" in page


def test_a_file_of_another_type_is_refused_before_it_is_stored(bergen, bergen_admin):
    png = SimpleUploadedFile("plan.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    response = upload(bergen_admin, bergen.slug, file=png)
    assert response.status_code == 400
    assert "PNG" in response.content.decode()
    assert not PlanDocument.objects.exists()


@pytest.mark.parametrize(
    ("language", "text_label"), [("nb", "ren tekst"), ("nn", "rein tekst"), ("en", "plain text")]
)
def test_the_refusal_names_the_accepted_types_in_the_readers_language(
    bergen, bergen_admin, language, text_label
):
    png = SimpleUploadedFile("plan.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    data = {"title": "Plan", "plan_type": "samfunnsdel", "year": "2024", "file": png}
    response = bergen_admin.post(f"/organisasjoner/{bergen.slug}/planar/ny/?lang={language}", data)
    html = response.content.decode()
    assert response.status_code == 400
    for accepted in ("HTML", "PDF", text_label, "Word (DOCX)"):
        assert accepted in html


def test_a_file_over_50_mb_is_refused_with_a_clear_message(bergen, bergen_admin, settings):
    assert settings.PLAN_MAX_BYTES == 50_000_000
    big = SimpleUploadedFile("plan.txt", b"a" * (settings.PLAN_MAX_BYTES + 1))
    response = upload(bergen_admin, bergen.slug, file=big, lang="en")
    assert response.status_code == 400
    assert "grensen er 50 MB" in response.content.decode()
    assert not PlanDocument.objects.exists()


def test_a_request_declaring_more_than_the_limit_is_refused_unread(bergen, bergen_admin):
    response = bergen_admin.post(
        f"/organisasjoner/{bergen.slug}/planar/ny/?lang=en",
        {"title": "X", "plan_type": "other", "text": "Tekst"},
        CONTENT_LENGTH="600000000",
    )
    assert response.status_code == 413
    assert "larger than the limit of 50 MB" in response.content.decode()
    assert not PlanDocument.objects.exists()


def test_the_size_handler_stops_a_body_without_an_honest_length():
    from django.core.files.uploadhandler import StopUpload
    from django.test import RequestFactory

    from lokalmaal.plans.forms import SizeLimitHandler

    handler = SizeLimitHandler(RequestFactory().post("/"), limit=10)
    assert handler.receive_data_chunk(b"12345", 0) == b"12345"
    with pytest.raises(StopUpload):
        handler.receive_data_chunk(b"678901", 5)
    assert handler.exceeded


def test_the_upload_still_checks_the_csrf_token(bergen):

    user = User.objects.create(email="redaktor@bergen.kommune.no")
    Membership.objects.create(user=user, organisation=bergen, role=Role.EDITOR)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert upload(client, bergen.slug, text=PLAN_TEXT).status_code == 403
    assert not PlanDocument.objects.exists()


def test_a_file_and_pasted_text_together_are_refused(bergen, bergen_admin):
    response = upload(
        bergen_admin, bergen.slug, text="Tekst", file=SimpleUploadedFile("a.txt", b"Tekst")
    )
    assert response.status_code == 400
    assert not PlanDocument.objects.exists()


def test_uploads_are_rate_limited(bergen, bergen_admin, settings):
    from django.core.cache import cache

    cache.clear()
    statuses = [upload(bergen_admin, bergen.slug, title="").status_code for _ in range(21)]
    assert statuses[:20] == [400] * 20
    assert statuses[20] == 429
    cache.clear()


# Authorisation --------------------------------------------------------------------------------


def test_anonymous_people_are_sent_to_log_in_for_every_change(bergen):
    plan = analysed(bergen, published=True)
    client = Client()
    for url in (
        f"/organisasjoner/{bergen.slug}/planar/ny/",
        f"/planar/{plan.pk}/publiser/",
        f"/planar/{plan.pk}/slett/",
    ):
        response = client.post(url, {"title": "X", "plan_type": "other", "text": "Tekst"})
        assert response.status_code == 302, url
        assert "/konto/login/" in response["Location"]
    plan.refresh_from_db()
    assert plan.published
    assert PlanDocument.objects.count() == 1


def test_readers_may_not_upload_publish_or_delete(bergen, bergen_reader):
    plan = analysed(bergen)
    assert upload(bergen_reader, bergen.slug, text=PLAN_TEXT).status_code == 403
    assert bergen_reader.post(f"/planar/{plan.pk}/publiser/", {"published": "1"}).status_code == 403
    assert bergen_reader.post(f"/planar/{plan.pk}/slett/").status_code == 403
    assert bergen_reader.get(f"/planar/{plan.pk}/").status_code == 200  # but they see it
    plan.refresh_from_db()
    assert not plan.published
    assert PlanDocument.objects.count() == 1


def test_another_organisation_may_not_change_or_see_private_analyses(bergen, volda_admin):
    plan = analysed(bergen)
    assert upload(volda_admin, bergen.slug, text=PLAN_TEXT).status_code == 403
    for url in (f"/planar/{plan.pk}/publiser/", f"/planar/{plan.pk}/slett/"):
        assert volda_admin.post(url, {"published": "1"}).status_code == 404
    for url in (
        f"/planar/{plan.pk}/",
        f"/planar/{plan.pk}/gap/",
        f"/planar/{plan.pk}/samanlikn/",
        f"/planar/{plan.pk}/eksport.json",
    ):
        assert volda_admin.get(url).status_code == 404, url
    plan.pk = plan.pk  # unchanged
    assert PlanDocument.objects.get(pk=plan.pk).published is False
    # Once published, others see it but still may not change it.
    plan.published = True
    plan.save()
    assert volda_admin.get(f"/planar/{plan.pk}/").status_code == 200
    assert volda_admin.post(f"/planar/{plan.pk}/slett/").status_code == 403


def test_private_analyses_are_invisible_to_anonymous_people(bergen):
    private = analysed(bergen, title="Utkast")
    public = analysed(bergen, title="Vedteken", published=True)
    client = Client()
    for suffix in ("", "gap/", "samanlikn/", "eksport.docx", "eksport.csv", "eksport.json"):
        assert client.get(f"/planar/{private.pk}/{suffix}").status_code == 404, suffix
    listing = client.get(f"/organisasjoner/{bergen.slug}/planar/").content.decode()
    assert "Vedteken" in listing
    assert "Utkast" not in listing
    region = client.get("/kommuner/4601/planar/").content.decode()
    assert "Vedteken" in region
    assert "Utkast" not in region
    assert client.get(f"/planar/{public.pk}/").status_code == 200


def test_an_editor_publishes_unpublishes_and_deletes(
    bergen, bergen_admin, django_capture_on_commit_callbacks
):
    response = upload(
        bergen_admin, bergen.slug, file=SimpleUploadedFile("a.txt", PLAN_TEXT.encode())
    )
    plan = PlanDocument.objects.get()
    stored = plan.file.path
    bergen_admin.post(f"/planar/{plan.pk}/publiser/", {"published": "1"})
    plan.refresh_from_db()
    assert plan.published
    bergen_admin.post(f"/planar/{plan.pk}/publiser/", {"published": "0"})
    plan.refresh_from_db()
    assert not plan.published
    with django_capture_on_commit_callbacks(execute=True):
        response = bergen_admin.post(f"/planar/{plan.pk}/slett/")
    assert response.status_code == 302
    assert not PlanDocument.objects.exists()
    from pathlib import Path

    assert not Path(stored).exists()


def test_a_failed_analysis_cannot_be_published(bergen, bergen_admin):
    upload(bergen_admin, bergen.slug, file=SimpleUploadedFile("p.pdf", b"%PDF-1.7\n" + b"x" * 50))
    plan = PlanDocument.objects.get()
    bergen_admin.post(f"/planar/{plan.pk}/publiser/", {"published": "1"})
    plan.refresh_from_db()
    assert plan.status == Status.FAILED
    assert not plan.published


# Gaps and comparison ---------------------------------------------------------------------------


def test_gaps_list_priority_targets_the_plan_does_not_address(bergen, bergen_admin):
    plan = analysed(bergen)
    workspace = Workspace.objects.create(
        organisation=bergen, title="Arbeidsrom", plan_type="samfunnsdel"
    )
    for code in ("3.4", "13.2"):
        Priority.objects.create(workspace=workspace, target=Target.objects.get(code=code))
    page = bergen_admin.get(f"/planar/{plan.pk}/gap/?lang=en").content.decode()
    assert "Arbeidsrom" in page
    assert "/delmal/3.4/" in page
    assert "/delmal/13.2/" not in page  # the plan speaks of climate gas emissions
    assert "Goal 3 is not addressed at all" in page


def test_gaps_say_when_there_is_nothing_to_compare_with(bergen):
    plan = analysed(bergen, published=True)
    page = Client().get(f"/planar/{plan.pk}/gap/?lang=en").content.decode()
    assert "no planning workspace" in page
    assert "nothing to compare with" in page


def test_gaps_show_goals_that_similar_municipalities_cover(bergen):
    from lokalmaal.indicators.reads import similar_municipalities

    peer = make_organisation(similar_municipalities("4601")[0].code)
    analysed(
        peer,
        published=True,
        title="Nabo",
        text="Vi skal stanse marin forsøpling og plast i havet, og sikre bærekraftig fiskeri.",
    )
    analysed(peer, title="Privat", text="Færre skal dø for tidlig av ikke-smittsomme sykdommer.")
    plan = analysed(bergen, published=True)
    page = Client().get(f"/planar/{plan.pk}/gap/?lang=en").content.decode()
    assert "Nabo" in page
    assert "Privat" not in page
    assert "/mal/14/" in page  # life below water: covered by the neighbour, not by Bergen
    assert "/mal/3/" not in page  # only in the unpublished plan


def test_two_documents_are_compared_goal_by_goal(bergen, bergen_admin):
    old = analysed(
        bergen,
        title="Gammal",
        year=2019,
        text="Kommunen skal redusere klimagassutslippene.\n\nVi vil ta vare på myr og matjord.",
    )
    new = analysed(bergen, title="Ny", year=2024,
                   text="Kommunen skal redusere klimagassutslippene.\n\nAlle barn skal få en god grunnskole og videregående opplæring.")  # fmt: skip
    page = bergen_admin.get(f"/planar/{new.pk}/samanlikn/?med={old.pk}&lang=en")
    comparison = page.context["comparison"]
    assert comparison.before.title == "Gammal"
    assert comparison.after.title == "Ny"
    assert 4 in comparison.new_goals
    assert 15 in comparison.gone_goals
    assert "4.1" in comparison.new_targets
    html = page.content.decode()
    assert "Goals new in the newer document" in html
    assert "Disappeared" in html
    chooser = bergen_admin.get(f"/planar/{new.pk}/samanlikn/").content.decode()
    assert f'value="{old.pk}"' in chooser
    # passages matched by their words: the climate sentence is in both, one added, one gone
    assert comparison.unchanged_passages == 1
    assert (comparison.added_total, comparison.removed_total) == (1, 1)
    assert "grunnskole" in comparison.added[0].text
    assert "myr og matjord" in comparison.removed[0].text
    assert "1 passage is the same in both documents" in html
    nynorsk = bergen_admin.get(f"/planar/{new.pk}/samanlikn/?med={old.pk}&lang=nn").content.decode()
    assert "1 avsnitt er likt i begge dokumenta" in nynorsk
    assert "Nye eller omskrivne i det nyaste dokumentet: 1." in nynorsk


def test_documents_of_another_organisation_cannot_be_compared(bergen, volda, bergen_admin):
    plan = analysed(bergen)
    theirs = analysed(volda, published=True)
    assert bergen_admin.get(f"/planar/{plan.pk}/samanlikn/?med={theirs.pk}").status_code == 404


# Exports -------------------------------------------------------------------------------------


def test_the_three_exports_read_back(bergen, bergen_admin):
    plan = analysed(bergen)
    docx = bergen_admin.get(f"/planar/{plan.pk}/eksport.docx?lang=en")
    assert docx["Content-Disposition"].endswith('.docx"')
    document = WordDocument(io.BytesIO(docx.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Samfunnsdelen" in text
    assert "Coverage of the 17 goals" in text
    assert "klimagassutslippene" in text
    assert len(document.tables[0].rows) == 18  # header and 17 goals

    raw = bergen_admin.get(f"/planar/{plan.pk}/eksport.csv?lang=en").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(raw), delimiter=";"))
    assert rows[0][:3] == ["Passage", "Page", "Section"]
    assert any("13" in row[3].split(", ") and "13.2" in row[4] for row in rows[1:])
    assert any("rådhuset" in row[-1] for row in rows[1:])

    data = json.loads(bergen_admin.get(f"/planar/{plan.pk}/eksport.json").content)
    assert data["id"] == plan.pk
    assert len(data["analysis"]["coverage"]) == 17
    assert data["analysis"]["silent_total"] == 1


def test_export_file_names_keep_norwegian_letters(bergen, bergen_admin):
    plan = analysed(bergen, title="Kommuneplanens samfunnsdel – Bærum og Ørsta på Åsen")
    response = bergen_admin.get(f"/planar/{plan.pk}/eksport.csv")
    disposition = response["Content-Disposition"]
    assert "filename*=utf-8''kommuneplanens-samfunnsdel-b%C3%A6rum-og-%C3%B8rsta" in disposition


def test_the_upload_form_preselects_no_kind_of_plan(bergen, bergen_admin):
    page = bergen_admin.get(f"/organisasjoner/{bergen.slug}/planar/?lang=nn").content.decode()
    assert "Vel type plan" in page
    select = page.split('name="plan_type"')[1].split("</select>")[0]
    assert select.count("selected") == 1
    assert '<option value="" selected' in select
    response = upload(bergen_admin, bergen.slug, plan_type="", text="Tekst om klima.")
    assert response.status_code == 400
    assert not PlanDocument.objects.exists()


# Pages around it -----------------------------------------------------------------------------


def test_the_method_page_renders(client):
    response = client.get("/planar/metode/?lang=en")
    assert response.status_code == 200
    html = response.content.decode()
    assert "How plan analysis works" in html
    assert "<h2>" in html  # METHOD.md, rendered from Markdown
    assert "lexicon" in html


@pytest.mark.parametrize(
    ("language", "title", "word"),
    [
        ("nb", "Slik leses dokumentet", "ordlisten"),
        ("nn", "Slik blir dokumentet lese", "ikkje"),
        ("en", "Reading the document", "lexicon"),
    ],
)
def test_the_method_page_is_in_the_readers_language(client, language, title, word):
    html = client.get(f"/planar/metode/?lang={language}").content.decode()
    assert title in html
    assert word in html
    assert 'class="method" lang=' not in html  # the text is in the page's own language
    assert "FIGURES" not in html


def test_the_method_pages_describe_the_same_method():
    """The three files have the same sections and list items, so a change to one shows."""
    from lokalmaal.plans.views import METHOD_FILE

    def shape(text: str) -> tuple[int, int, int]:
        return text.count("\n## "), text.count("\n- "), text.count("\n1. ") + text.count("\n2. ")

    paths = [METHOD_FILE, METHOD_FILE.with_suffix(".nb.md"), METHOD_FILE.with_suffix(".nn.md")]
    shapes = {shape(path.read_text(encoding="utf-8")) for path in paths}
    assert len(shapes) == 1


def test_the_organisation_page_links_to_plan_analyses(bergen, client):
    page = client.get(f"/organisasjoner/{bergen.slug}/").content.decode()
    assert f"/organisasjoner/{bergen.slug}/planar/" in page


def test_a_queued_analysis_says_it_is_being_analysed(bergen, bergen_admin):
    plan = PlanDocument.objects.create(
        organisation=bergen, title="Kø", plan_type="other", pasted_text="Tekst"
    )
    page = bergen_admin.get(f"/planar/{plan.pk}/?lang=en").content.decode()
    assert "being analysed" in page


def test_the_upload_form_is_only_shown_to_editors(bergen, bergen_admin, bergen_reader):
    url = f"/organisasjoner/{bergen.slug}/planar/"
    assert 'enctype="multipart/form-data"' in bergen_admin.get(url).content.decode()
    assert 'enctype="multipart/form-data"' not in bergen_reader.get(url).content.decode()


# The full method, and when it runs short of time ------------------------------------------


LONG_PLAN = PLAN_TEXT + "\n".join(
    f"\nTiltak {n}: Kommunen skal utvide sykkelvegnettet og bygge trygge skoleveger i sone {n}.\n"
    for n in range(1, 9)
)


def test_an_analysis_short_of_time_says_so_on_the_page_and_in_every_export(
    bergen, bergen_admin, monkeypatch
):
    from lokalmaal.plans.classify import Classifier

    # The real classifier with no time at all: after its first small batch it must stop embedding.
    monkeypatch.setattr(tasks, "get_classifier", lambda: Classifier(time_budget=0.0))
    plan = analysed(bergen, LONG_PLAN)
    skipped = plan.passages.filter(embedded=False, heading=False).count()
    assert skipped > 0
    page = bergen_admin.get(f"/planar/{plan.pk}/?lang=en").content.decode()
    assert "Part of the plan was analysed by the word list alone" in page
    assert f"{skipped} of" in page
    assert "the similarity step ran out of time for this passage" in page
    docx = WordDocument(
        io.BytesIO(bergen_admin.get(f"/planar/{plan.pk}/eksport.docx?lang=en").content)
    )
    assert any("ran out of time" in p.text for p in docx.paragraphs)
    raw = bergen_admin.get(f"/planar/{plan.pk}/eksport.csv?lang=en").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(raw), delimiter=";"))
    assert rows[0][-2] == "Method"
    assert "word list only (time ran out)" in {row[-2] for row in rows[1:]}
    data = json.loads(bergen_admin.get(f"/planar/{plan.pk}/eksport.json").content)
    assert data["analysis"]["not_embedded"] == skipped


def test_a_full_analysis_explains_goals_by_the_closest_target_description(
    bergen, bergen_admin, monkeypatch
):
    from lokalmaal.plans.classify import Classifier

    monkeypatch.setattr(tasks, "get_classifier", lambda: Classifier(time_budget=None))
    plan = analysed(bergen)
    assert not plan.passages.filter(embedded=False).exists()
    page = bergen_admin.get(f"/planar/{plan.pk}/?lang=en").content.decode()
    assert "word list alone" not in page
    assert "Closest to goal 13:" in page  # the climate passage, with its nearest target's words
    data = json.loads(bergen_admin.get(f"/planar/{plan.pk}/eksport.json").content)
    assert data["analysis"]["not_embedded"] == 0
    climate = next(p for p in data["analysis"]["evidence"] if 13 in p["goals"])
    assert {c["goal"] for c in climate["closest"]} == set(climate["goals"])
    assert all(
        c["description"] and c["target"].startswith(f"{c['goal']}.") for c in climate["closest"]
    )


def test_an_editor_has_a_plan_analysed_again(bergen, bergen_admin):
    plan = analysed(bergen)
    plan.passages.update(goals=[], embedded=False)
    response = bergen_admin.post(f"/planar/{plan.pk}/analyser/")
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == Status.DONE  # the immediate backend ran the analysis again
    assert plan.passages.exclude(goals=[]).exists()
    assert not plan.passages.filter(embedded=False).exists()


def test_only_editors_of_the_organisation_may_have_a_plan_analysed_again(
    bergen, bergen_reader, volda_admin
):
    plan = analysed(bergen, published=True)
    before = plan.analysed_at
    response = Client().post(f"/planar/{plan.pk}/analyser/")
    assert response.status_code == 302
    assert "/konto/login/" in response["Location"]
    assert bergen_reader.post(f"/planar/{plan.pk}/analyser/").status_code == 403
    assert volda_admin.post(f"/planar/{plan.pk}/analyser/").status_code == 403
    assert bergen_reader.get(f"/planar/{plan.pk}/analyser/").status_code == 405
    plan.refresh_from_db()
    assert plan.analysed_at == before


def test_a_plan_waiting_for_analysis_is_not_queued_twice(bergen, bergen_admin):
    plan = analysed(bergen)
    PlanDocument.objects.filter(pk=plan.pk).update(status=Status.RUNNING)
    response = bergen_admin.post(f"/planar/{plan.pk}/analyser/?lang=en", follow=True)
    assert "already waiting for analysis or being analysed" in response.content.decode()
