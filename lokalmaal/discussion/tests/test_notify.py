"""The notification interface other apps rely on."""

import pytest
from django.core import mail

from conftest import make_user
from lokalmaal.accounts.models import Organisation
from lokalmaal.catalogue.models import Target
from lokalmaal.discussion import notify
from lokalmaal.discussion.models import Notification, NotificationSettings


@pytest.fixture
def target(db) -> Target:
    return Target.objects.get(code="11.6")


def test_notify_stores_kind_title_and_link(db):
    person = make_user("a@example.no")
    note = notify.notify(person, "network_post", title="Klimabudsjett", url="/nettverk/1/")
    assert Notification.objects.get() == note
    assert (note.recipient, note.kind, note.title, note.url) == (
        person,
        "network_post",
        "Klimabudsjett",
        "/nettverk/1/",
    )
    assert note.read_at is None
    assert mail.outbox == []


def test_notify_refuses_an_unknown_kind(db):
    person = make_user("a@example.no")
    with pytest.raises(notify.UnknownKindError):
        notify.notify(person, "no_such_kind", title="x", url="/")


@pytest.mark.django_db(transaction=True)
def test_email_now_sends_in_the_readers_language(loaded_bundle):
    person = make_user("a@example.no")
    NotificationSettings.objects.create(person=person, language="en")
    note = notify.notify(person, "event_promoted", title="SDG day", url="/e/1/", email_now=True)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["a@example.no"]
    assert "SDG day" in mail.outbox[0].subject
    assert "waiting list" in mail.outbox[0].subject
    assert "http://localhost:8000/e/1/" in mail.outbox[0].body
    note.refresh_from_db()
    assert note.emailed_at is not None


def test_message_is_translated_at_reading_time():
    english = notify.message("answer_posted", "Flom", "en")
    bokmaal = notify.message("answer_posted", "Flom", "nb")
    assert "Flom" in english
    assert "Flom" in bokmaal
    assert english.startswith("New answer")


def test_followers_are_notified_once_however_many_subjects_they_follow(target, bergen):
    both = make_user("both@example.no")
    one = make_user("one@example.no")
    author = make_user("author@example.no")
    make_user("nobody@example.no")
    notify.follow(both, target)
    notify.follow(both, bergen)
    notify.follow(one, bergen)
    notify.follow(author, target)
    count = notify.notify_followers(
        [target, bergen], "example_published", title="Grøne tak", url="/x/", exclude=author
    )
    assert count == 2
    assert sorted(Notification.objects.values_list("recipient__email", flat=True)) == [
        "both@example.no",
        "one@example.no",
    ]


def test_follow_is_idempotent_and_unfollow_removes(target):
    person = make_user("a@example.no")
    assert not notify.is_following(person, target)
    notify.follow(person, target)
    notify.follow(person, target)
    assert notify.is_following(person, target)
    assert list(notify.followers([target])) == [person]
    notify.unfollow(person, target)
    assert not notify.is_following(person, target)


def test_follows_of_different_models_with_the_same_id_do_not_mix(target):
    person = make_user("a@example.no")
    Organisation.objects.filter(pk=target.pk).delete()
    same_id = Organisation.objects.create(id=target.pk, slug="x", name="X", kind="other")
    notify.follow(person, same_id)
    assert not notify.is_following(person, target)
    assert notify.notify_followers([target], "question_asked", title="t", url="/") == 0


@pytest.mark.django_db(transaction=True)
def test_a_failed_email_leaves_the_notification_for_the_digest(loaded_bundle, monkeypatch):
    def broken(*args: object, **kwargs: object) -> None:
        raise ConnectionRefusedError("no SMTP server")

    monkeypatch.setattr(notify, "send_mail", broken)
    person = make_user("a@example.no")
    note = notify.notify(person, "event_promoted", title="SDG day", url="/e/1/", email_now=True)
    note.refresh_from_db()
    assert note.emailed_at is None
