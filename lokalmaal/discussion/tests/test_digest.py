"""E-mail digests: daily and weekly people get their own, in their language, once."""

from io import StringIO

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command

from conftest import make_user
from lokalmaal.discussion import notify
from lokalmaal.discussion.digest import send_digests
from lokalmaal.discussion.models import DigestPeriod, DigestSent, Notification, NotificationSettings
from lokalmaal.discussion.tasks import send_digest_emails


@pytest.fixture
def daily(db):
    person = make_user("dagleg@example.no")
    NotificationSettings.objects.create(person=person, digest="daily", language="nn")
    return person


@pytest.fixture
def weekly(db):
    person = make_user("vekentleg@example.no")
    NotificationSettings.objects.create(person=person, digest="weekly", language="en")
    return person


def run(period: str) -> str:
    out = StringIO()
    call_command("discussion", "digest", "--period", period, stdout=out)
    return out.getvalue()


def test_daily_digest_goes_only_to_daily_people_in_their_language(daily, weekly):
    notify.notify(daily, "answer_posted", title="Flaumvern", url="/sporsmal/1/")
    notify.notify(daily, "network_post", title="Møte <i>i morgon</i>", url="/nettverk/x/")
    notify.notify(weekly, "answer_posted", title="Luftkvalitet", url="/sporsmal/2/")
    assert run("daily") == "Sent 1 digest e-mails with 2 notifications.\n"
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["dagleg@example.no"]
    assert "Flaumvern" in sent.body
    assert "http://localhost:8000/sporsmal/1/" in sent.body
    assert "http://localhost:8000/varsel/innstillingar/" in sent.body
    assert isinstance(sent, EmailMultiAlternatives)
    html, kind = sent.alternatives[0]
    assert isinstance(html, str)
    assert kind == "text/html"
    assert 'href="http://localhost:8000/sporsmal/1/"' in html
    assert "Møte &lt;i&gt;i morgon&lt;/i&gt;" in html
    assert '<html lang="nn">' in html
    record = DigestSent.objects.get(person=daily)
    assert record.period == "daily"
    assert record.notifications.count() == 2


def test_weekly_digest_in_english_for_a_person_who_chose_english(weekly):
    notify.notify(weekly, "answer_posted", title="Luftkvalitet", url="/sporsmal/2/")
    send_digests(DigestPeriod.WEEKLY)
    assert mail.outbox[0].subject == "Lokalmål: 1 new notification"
    assert "New answer to “Luftkvalitet”" in mail.outbox[0].body


def test_digest_is_idempotent(daily):
    notify.notify(daily, "answer_posted", title="Flaumvern", url="/sporsmal/1/")
    run("daily")
    assert run("daily") == "Sent 0 digest e-mails with 0 notifications.\n"
    assert len(mail.outbox) == 1
    notify.notify(daily, "answer_posted", title="Nytt svar", url="/sporsmal/1/")
    run("daily")
    assert len(mail.outbox) == 2
    assert "Nytt svar" in mail.outbox[1].body
    assert "Flaumvern" not in mail.outbox[1].body
    assert DigestSent.objects.filter(person=daily).count() == 2


def test_read_and_already_emailed_notifications_are_left_out(daily):
    read = notify.notify(daily, "answer_posted", title="Lese alt", url="/x/")
    Notification.objects.filter(pk=read.pk).update(read_at=read.created_at)
    emailed = notify.notify(daily, "event_promoted", title="Sendt straks", url="/y/")
    Notification.objects.filter(pk=emailed.pk).update(emailed_at=emailed.created_at)
    assert send_digests(DigestPeriod.DAILY) == (0, 0)
    assert mail.outbox == []


def test_people_who_chose_no_email_get_none_and_the_default_is_weekly(db):
    quiet = make_user("stille@example.no")
    NotificationSettings.objects.create(person=quiet, digest="none")
    never_chose = make_user("standard@example.no")
    notify.notify(quiet, "answer_posted", title="A", url="/a/")
    notify.notify(never_chose, "answer_posted", title="B", url="/b/")
    assert send_digests(DigestPeriod.DAILY) == (0, 0)
    assert send_digests(DigestPeriod.WEEKLY) == (1, 1)
    assert mail.outbox[0].to == ["standard@example.no"]
    assert "«B»" in mail.outbox[0].body


def test_the_digest_task_sends_the_same_digest(daily, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    notify.notify(daily, "answer_posted", title="Flaumvern", url="/sporsmal/1/")
    result = send_digest_emails.enqueue("daily")
    assert result.return_value == {"emails": 1, "notifications": 1}
    assert len(mail.outbox) == 1


def test_the_command_refuses_an_unknown_period(db):
    with pytest.raises(Exception, match="invalid choice"):
        run("hourly")
