"""The author hears what the moderator decided and what they wrote: on the notification page, in
the digest e-mail and in the API; followed targets are listed with their titles."""

from django.core import mail
from django.core.management import call_command

from conftest import make_organisation, make_user
from lokalmaal.accounts.models import Membership, Role
from lokalmaal.arena.actions import do_send_back_example
from lokalmaal.arena.models import Example, Status
from lokalmaal.catalogue.models import Target
from lokalmaal.discussion.models import Notification
from lokalmaal.discussion.notify import follow
from lokalmaal.discussion.tests.conftest import client_for


def test_the_author_gets_the_decision_and_the_comment(moderator):
    organisation = make_organisation("1577")
    author = make_user("forfattar@volda.kommune.no")
    Membership.objects.create(user=author, organisation=organisation, role=Role.EDITOR)
    example = Example.objects.create(
        title="Skulehagar i Volda", summary="Elevane dyrkar mat.", author=author,
        status=Status.SUBMITTED, language="nn",
    )  # fmt: skip
    example.organisations.add(organisation)
    do_send_back_example(example, moderator, "Legg til kva det kosta.")

    note = Notification.objects.get(recipient=author)
    assert (note.kind, note.detail) == ("moderation_sent_back", "Legg til kva det kosta.")
    client = client_for(author)
    page = client.get("/varsel/", {"lang": "nn"}).text
    assert "Ein moderator har sendt dømet ditt «Skulehagar i Volda» tilbake til deg" in page
    assert "Kommentar: Legg til kva det kosta." in page
    (api_note,) = client.get("/api/v1/notifications/").json()
    assert api_note["detail"] == "Legg til kva det kosta."

    call_command("discussion", "digest", "--period", "weekly")
    (digest,) = [m for m in mail.outbox if author.email in m.to]
    assert "Legg til kva det kosta." in str(digest.body)


def test_followed_targets_are_listed_with_their_titles(asker):
    follow(asker, Target.objects.get(code="13.1"))
    page = client_for(asker).get("/varsel/", {"lang": "nb"}).text
    title = Target.objects.get(code="13.1").title_in("nb")
    assert f"13.1 {title}" in page
