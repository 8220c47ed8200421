"""The done-when scenario and the workflow rules, through the pages."""

from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from lokalmaal.arena.models import Attachment, Example, ModerationEntry, Status
from lokalmaal.arena.search import search
from lokalmaal.catalogue.models import Target
from lokalmaal.discussion.models import Notification
from lokalmaal.discussion.notify import follow

from .conftest import PDF_BYTES, user_of


def form_data(organisation_id: int, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "Skolehager i Bergen",
        "summary": "Elevene dyrker grønnsaker.",
        "problem": "Barna visste lite om **mat**.",
        "activities": "Vi bygde hager ved skolene.",
        "results": "Alle skolene har hage.",
        "organisations": [organisation_id],
        "targets": "4.7, 11.6",
        "service_areas": ["grunnskole"],
        "plan_levels": ["sektorplan"],
        "language": "nb",
        "visibility": "public",
        "contact_name": "Kari Nordmann",
        "contact_email": "kari@example.no",
        "version": "",
    }
    data.update(changes)
    return data


def test_a_member_writes_submits_and_a_moderator_publishes(bergen, bergen_editor, moderator):
    follower = user_of(moderator)
    follow(follower, Target.objects.get(code="11.6"))
    response = bergen_editor.post(reverse("arena:create"), form_data(bergen.pk))
    assert response.status_code == 302
    example = Example.objects.get()
    assert example.status == Status.DRAFT
    assert list(example.organisations.all()) == [bergen]
    assert sorted(t.code for t in example.targets.all()) == ["11.6", "4.7"]
    assert example.author == user_of(bergen_editor)

    pdf = SimpleUploadedFile("rapport.pdf", PDF_BYTES, content_type="application/pdf")
    response = bergen_editor.post(reverse("arena:upload", args=[example.pk]), {"file": pdf})
    assert response.status_code == 302
    assert example.attachments.get().kind == "pdf"

    # Not yet findable: only published examples are in the search index.
    assert search("skolehage", person=user_of(bergen_editor)) == []
    assert bergen_editor.post(reverse("arena:submit", args=[example.pk])).status_code == 302
    example.refresh_from_db()
    assert example.status == Status.SUBMITTED

    queue = moderator.get(reverse("arena:moderation"))
    assert "Skolehager i Bergen" in queue.content.decode()
    response = moderator.post(reverse("arena:moderate", args=[example.pk]), {"action": "publish"})
    assert response.status_code == 302
    example.refresh_from_db()
    assert example.status == Status.PUBLISHED
    assert ModerationEntry.objects.get().action == "publish"
    assert Notification.objects.filter(recipient=follower, kind="example_published").exists()
    assert Notification.objects.filter(
        recipient=example.author, kind="moderation_published"
    ).exists()

    anonymous = Client()
    found = anonymous.get(reverse("arena:search"), {"q": "skolehagene"}).content.decode()
    assert example.get_absolute_url() in found
    by_target = anonymous.get(reverse("arena:examples"), {"delmal": "4.7"}).content.decode()
    assert example.get_absolute_url() in by_target
    other_target = anonymous.get(reverse("arena:examples"), {"delmal": "3.4"}).content.decode()
    assert example.get_absolute_url() not in other_target
    page = anonymous.get(example.get_absolute_url())
    assert page.status_code == 200
    assert "<strong>mat</strong>" in page.content.decode()


def test_a_file_that_claims_to_be_a_pdf_but_is_not_is_refused(draft, bergen):
    client = Client()
    client.force_login(draft.author)
    fake = SimpleUploadedFile("rapport.pdf", b"MZ\x90\x00 not a pdf at all", "application/pdf")
    response = client.post(reverse("arena:upload", args=[draft.pk]), {"file": fake})
    assert response.status_code == 400
    assert "ikke en type vi tar imot" in response.content.decode()
    assert not Attachment.objects.exists()


def test_an_html_file_named_pdf_is_refused(draft):
    client = Client()
    client.force_login(draft.author)
    fake = SimpleUploadedFile("x.pdf", b"<html><script>alert(1)</script></html>", "application/pdf")
    response = client.post(reverse("arena:upload", args=[draft.pk]), {"file": fake})
    assert response.status_code == 400
    assert "Filen er HTML" in response.content.decode()


def test_a_too_big_attachment_is_refused(draft, settings):
    settings.ARENA_ATTACHMENT_MAX_BYTES = 100
    client = Client()
    client.force_login(draft.author)
    big = SimpleUploadedFile("stor.pdf", PDF_BYTES + b" " * 200, "application/pdf")
    response = client.post(reverse("arena:upload", args=[draft.pk]), {"file": big})
    assert response.status_code == 400
    assert "grensen er" in response.content.decode()


def test_a_script_tag_and_a_javascript_link_are_neutralised(bergen):
    from .conftest import new_example, publish

    example = publish(
        new_example(
            bergen,
            activities='<script>alert("x")</script> [klikk](javascript:alert(1)) '
            '<img src=x onerror=alert(2)> <a href="javascript:alert(3)">lenke</a>',
        )
    )
    page = Client().get(example.get_absolute_url()).content.decode()
    parser = UnsafeMarkupFinder()
    parser.feed(page)
    assert parser.found == []
    assert "lenke" in page  # the text is kept, harmless


class UnsafeMarkupFinder(HTMLParser):
    """Collects every script tag, event-handler attribute and javascript: URL of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script" and not dict(attrs).get("src"):
            self.found.append("inline script")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag} {name}")
            if value and value.strip().lower().startswith("javascript:"):
                self.found.append(f"{tag} {name}={value}")


def test_an_edit_based_on_an_old_version_is_a_conflict_and_loses_nothing(draft, bergen):
    client = Client()
    client.force_login(draft.author)
    url = reverse("arena:edit", args=[draft.pk])
    first = client.post(url, form_data(bergen.pk, title="Første", version=draft.version))
    assert first.status_code == 302
    second = client.post(url, form_data(bergen.pk, title="Andre", version=draft.version))
    assert second.status_code == 409
    assert "Andre" in second.content.decode()  # the editor's text stays in the form
    draft.refresh_from_db()
    assert draft.title == "Første"


def test_editing_keeps_organisations_the_editor_is_not_in(draft, bergen, volda, volda_editor):
    draft.organisations.add(volda)
    client = Client()
    client.force_login(draft.author)  # an editor in Bergen only
    response = client.post(
        reverse("arena:edit", args=[draft.pk]), form_data(bergen.pk, version=draft.version)
    )
    assert response.status_code == 302
    assert set(draft.organisations.all()) == {bergen, volda}


def test_an_author_cannot_choose_an_organisation_they_are_not_in(bergen_editor, volda):
    response = bergen_editor.post(reverse("arena:create"), form_data(volda.pk))
    assert response.status_code == 400
    assert not Example.objects.exists()


def test_a_moderator_sends_back_with_a_comment_and_the_author_sees_it(draft, moderator):
    client = Client()
    client.force_login(draft.author)
    client.post(reverse("arena:submit", args=[draft.pk]))
    url = reverse("arena:moderate", args=[draft.pk])
    without_comment = moderator.post(url, {"action": "send_back"})
    assert without_comment.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED  # a send-back needs a reason
    moderator.post(url, {"action": "send_back", "comment": "Legg til resultat."})
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert "Legg til resultat." in client.get(draft.get_absolute_url()).content.decode()
    entry = ModerationEntry.objects.get()
    assert (entry.action, entry.reason, entry.actor) == (
        "send_back",
        "Legg til resultat.",
        user_of(moderator),
    )


def test_unpublishing_removes_the_example_from_search_and_pages(published, moderator):
    url = reverse("arena:moderate", args=[published.pk])
    moderator.post(url, {"action": "unpublish", "comment": "Feil innhald."})
    published.refresh_from_db()
    assert published.status == Status.DRAFT
    assert Client().get(published.get_absolute_url()).status_code == 404
    assert search("skolehager", person=user_of(moderator)) == []


def test_withdrawing_a_submitted_example(draft):
    client = Client()
    client.force_login(draft.author)
    client.post(reverse("arena:submit", args=[draft.pk]))
    client.post(reverse("arena:withdraw", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_a_draft_cannot_be_published_without_being_submitted(draft, moderator):
    moderator.post(reverse("arena:moderate", args=[draft.pk]), {"action": "publish"})
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


@pytest.mark.parametrize("action", ["publish", "send_back", "unpublish"])
def test_only_moderators_moderate(published, bergen_admin, action):
    response = bergen_admin.post(
        reverse("arena:moderate", args=[published.pk]), {"action": action, "comment": "x"}
    )
    assert response.status_code == 403


def test_posting_examples_is_rate_limited(bergen, bergen_editor, settings):
    from django.core.cache import cache

    cache.clear()
    for _ in range(30):
        bergen_editor.post(reverse("arena:create"), {"title": ""})
    response = bergen_editor.post(reverse("arena:create"), form_data(bergen.pk))
    assert response.status_code == 429
    cache.clear()


def test_an_editor_deletes_a_draft_but_not_a_published_example(draft, published):
    client = Client()
    client.force_login(draft.author)
    assert client.post(reverse("arena:delete", args=[draft.pk])).status_code == 302
    assert not Example.objects.filter(pk=draft.pk).exists()
    publisher = Client()
    publisher.force_login(published.author)
    publisher.post(reverse("arena:delete", args=[published.pk]))
    assert Example.objects.filter(pk=published.pk).exists()
