"""Who sees and changes what, view by view: anonymous, another organisation, the wrong role,
a moderator. Members-only content never reaches anonymous visitors, page or API."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from lokalmaal.arena import actions
from lokalmaal.arena.models import Attachment, Example, ModerationEntry, Report, Status

from .conftest import PDF_BYTES, PNG_BYTES, user_of

LOGIN = "/konto/login/"


def attach(example: Example, content: bytes = PDF_BYTES, name: str = "rapport.pdf") -> Attachment:
    upload = SimpleUploadedFile(name, content)
    assert example.author is not None
    return actions.do_add_attachment(example, example.author, upload)


# Reading


def test_anonymous_visitors_see_public_published_examples_only(published, members_only, draft):
    client = Client()
    assert client.get(published.get_absolute_url()).status_code == 200
    assert client.get(members_only.get_absolute_url()).status_code == 404
    assert client.get(draft.get_absolute_url()).status_code == 404
    listing = client.get(reverse("arena:examples")).content.decode()
    assert published.title in listing
    assert members_only.title not in listing
    assert draft.title not in listing


def test_logged_in_people_see_members_only_examples(members_only, outsider):
    assert outsider.get(members_only.get_absolute_url()).status_code == 200
    assert members_only.title in outsider.get(reverse("arena:examples")).content.decode()


def test_members_only_examples_are_hidden_from_anonymous_search_and_api(members_only, outsider):
    client = Client()
    assert (
        "barnehager" not in client.get(reverse("arena:search"), {"q": "barnehage"}).content.decode()
    )
    assert client.get("/api/v1/search/", {"q": "barnehage"}).json() == []
    assert client.get("/api/v1/examples/").json() == []
    assert client.get(f"/api/v1/examples/{members_only.pk}/").status_code == 404
    hits = outsider.get("/api/v1/search/", {"q": "barnehagene"}).json()
    assert [hit["key"] for hit in hits] == [members_only.pk]
    assert outsider.get(f"/api/v1/examples/{members_only.pk}/").status_code == 200


def test_members_only_attachments_are_hidden_from_anonymous_visitors(members_only, outsider):
    attachment = attach(members_only)
    url = reverse("arena:attachment", args=[members_only.pk, attachment.pk])
    assert Client().get(url).status_code == 404
    assert outsider.get(url).status_code == 200


def test_drafts_are_seen_by_their_organisation_and_moderators_only(
    draft, bergen_reader, volda_admin, outsider, moderator
):
    url = draft.get_absolute_url()
    assert bergen_reader.get(url).status_code == 200
    assert moderator.get(url).status_code == 200
    assert volda_admin.get(url).status_code == 404
    assert outsider.get(url).status_code == 404
    assert volda_admin.get(f"/api/v1/examples/{draft.pk}/").status_code == 404


def test_contact_details_are_for_logged_in_members_unless_made_public(published, outsider):
    assert "kari@example.no" not in Client().get(published.get_absolute_url()).content.decode()
    assert Client().get(f"/api/v1/examples/{published.pk}/").json()["contact"] is None
    assert "kari@example.no" in outsider.get(published.get_absolute_url()).content.decode()
    Example.objects.filter(pk=published.pk).update(contact_public=True)
    assert "kari@example.no" in Client().get(published.get_absolute_url()).content.decode()


def test_the_api_gives_the_example_with_its_sections(published):
    data = Client().get(f"/api/v1/examples/{published.pk}/?lang=en").json()
    assert data["title"] == published.title
    assert [t["code"] for t in data["targets"]] == ["4.7", "11.6"]
    assert data["sections"][0]["heading"] == "Problem and background"
    listing = Client().get("/api/v1/examples/", {"target": "11.6"}).json()
    assert [e["id"] for e in listing] == [published.pk]
    assert Client().get("/api/v1/examples/", {"target": "1.1"}).json() == []


def test_attachments_are_served_with_their_checked_type(published):
    pdf = attach(published)
    response = Client().get(reverse("arena:attachment", args=[published.pk, pdf.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content == PDF_BYTES
    image = attach(published, PNG_BYTES, "bilde.pdf")  # the name lies; the content decides
    response = Client().get(reverse("arena:attachment", args=[published.pk, image.pk]))
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline;")


def test_an_attachment_of_another_example_is_not_found(published, bergen):
    from .conftest import new_example, publish

    other = publish(new_example(bergen, title="Annet"))
    attachment = attach(other)
    url = reverse("arena:attachment", args=[published.pk, attachment.pk])
    assert Client().get(url).status_code == 404


# Writing


def test_creating_needs_a_login_and_an_editor_role(bergen_reader, outsider, bergen_editor):
    url = reverse("arena:create")
    assert Client().get(url)["Location"].startswith(LOGIN)
    assert bergen_reader.get(url).status_code == 403
    assert outsider.get(url).status_code == 403
    assert bergen_editor.get(url).status_code == 200


@pytest.mark.parametrize(
    "name", ["arena:edit", "arena:submit", "arena:withdraw", "arena:upload", "arena:delete"]
)
def test_changing_an_example_is_for_its_organisations_editors(
    draft, name, bergen_reader, volda_admin, moderator
):
    url = reverse(name, args=[draft.pk])
    assert Client().post(url)["Location"].startswith(LOGIN)
    assert bergen_reader.post(url).status_code == 403  # a reader: the wrong role
    assert volda_admin.post(url).status_code == 404  # another organisation: not even seen
    assert moderator.post(url).status_code == 403  # moderators review, they do not write
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert not draft.attachments.exists()


def test_deleting_an_attachment_is_for_its_organisations_editors(
    draft, bergen_reader, volda_admin, bergen
):
    attachment = attach(draft)
    url = reverse("arena:attachment_delete", args=[draft.pk, attachment.pk])
    assert Client().post(url)["Location"].startswith(LOGIN)
    assert bergen_reader.post(url).status_code == 403
    assert volda_admin.post(url).status_code == 404
    assert Attachment.objects.filter(pk=attachment.pk).exists()
    author = Client()
    author.force_login(draft.author)
    assert author.post(url).status_code == 302
    assert not Attachment.objects.filter(pk=attachment.pk).exists()


def test_a_platform_admin_may_edit_any_example(draft, bergen):
    from conftest import make_user

    admin = make_user("ks@ks.no")
    admin.is_platform_admin = True
    admin.save()
    client = Client()
    client.force_login(admin)
    assert client.get(reverse("arena:edit", args=[draft.pk])).status_code == 200


def test_my_examples_lists_my_organisations_examples(draft, published, bergen_reader, volda_admin):
    assert Client().get(reverse("arena:mine"))["Location"].startswith(LOGIN)
    mine = bergen_reader.get(reverse("arena:mine")).content.decode()
    assert draft.title in mine
    assert published.title in mine
    assert draft.title not in volda_admin.get(reverse("arena:mine")).content.decode()


# Moderation pages


@pytest.mark.parametrize("name", ["arena:moderation", "arena:log"])
def test_moderation_pages_are_for_moderators(name, bergen_admin, moderator):
    url = reverse(name)
    assert Client().get(url)["Location"].startswith(LOGIN)
    assert bergen_admin.get(url).status_code == 403
    assert moderator.get(url).status_code == 200


def test_reporting_an_example_and_hiding_it(published, outsider, moderator):
    url = f"{reverse('arena:report')}?kind=example&key={published.pk}"
    assert Client().get(url)["Location"].startswith(LOGIN)
    assert outsider.get(url).status_code == 200
    response = outsider.post(
        reverse("arena:report"),
        {"kind": "example", "key": published.pk, "reason": "spam", "comment": "Reklame"},
    )
    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.reporter, report.status) == (user_of(outsider), "open")
    queue = moderator.get(reverse("arena:moderation")).content.decode()
    assert "Reklame" in queue

    handle = reverse("arena:handle_report", args=[report.pk])
    assert outsider.post(handle, {"action": "hide", "comment": "x"}).status_code == 403
    moderator.post(handle, {"action": "hide", "comment": "Reklame for eit firma."})
    published.refresh_from_db()
    report.refresh_from_db()
    assert published.status == Status.HIDDEN
    assert report.status == "hidden"
    assert Client().get(published.get_absolute_url()).status_code == 404
    log = moderator.get(reverse("arena:log")).content.decode()
    assert "Reklame for eit firma." in log
    assert "moderator@ks.no" in log
    entry = ModerationEntry.objects.get(action="hide")
    assert (entry.kind, entry.key) == ("example", published.pk)


def test_resolving_a_report_keeps_the_content(published, outsider, moderator):
    outsider.post(
        reverse("arena:report"), {"kind": "example", "key": published.pk, "reason": "wrong"}
    )
    report = Report.objects.get()
    response = moderator.post(
        reverse("arena:handle_report", args=[report.pk]),
        {"action": "resolve", "comment": "Innhaldet er i orden."},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    published.refresh_from_db()
    assert report.status == "resolved"
    assert published.status == Status.PUBLISHED


def test_nothing_can_be_reported_that_one_cannot_see(draft, outsider):
    assert outsider.get(f"{reverse('arena:report')}?kind=example&key={draft.pk}").status_code == 404
    assert outsider.get(f"{reverse('arena:report')}?kind=nonsense&key=1").status_code == 404
    assert outsider.get(f"{reverse('arena:report')}?kind=example&key=x").status_code == 404


def test_a_report_needs_a_reason(published, outsider):
    response = outsider.post(reverse("arena:report"), {"kind": "example", "key": published.pk})
    assert response.status_code == 400
    assert not Report.objects.exists()


def test_the_target_page_lists_its_published_examples(published, members_only, draft):
    page = Client().get(reverse("catalogue:target", args=["4.7"])).content.decode()
    assert published.get_absolute_url() in page
    assert members_only.get_absolute_url() not in page
    assert draft.get_absolute_url() not in page
    other = Client().get(reverse("catalogue:target", args=["1.1"])).content.decode()
    assert published.get_absolute_url() not in other


def test_the_search_api_filters_like_the_page(published, bergen):
    client = Client()
    assert [h["key"] for h in client.get("/api/v1/search/", {"q": "skolehagen"}).json()] == [
        published.pk
    ]
    cases: list[tuple[dict[str, str | int], bool]] = [
        ({"target": "4.7"}, True),
        ({"target": "1.1"}, False),
        ({"goal": 11}, True),
        ({"goal": 1}, False),
        ({"county": "46"}, True),
        ({"county": "15"}, False),
        ({"size": "50000"}, True),
        ({"size": "2000"}, False),
        ({"service_area": "grunnskole"}, True),
        ({"service_area": "barnevern"}, False),
    ]
    for params, found in cases:
        hits = client.get("/api/v1/search/", {"q": "skole", **params}).json()
        assert bool(hits) is found, params


def test_a_published_example_shows_the_discussion_and_a_report_link(published, outsider):
    from lokalmaal.arena.moderation import report_url

    page = outsider.get(published.get_absolute_url()).content.decode()
    assert report_url("example", published.pk).replace("&", "&amp;") in page
    assert 'id="questions-heading"' in page  # the discussion app's questions under the example
