"""E-mail digests: each person who chose a period gets one e-mail with their unread
notifications that no e-mail has carried yet, in their own language.

Idempotent: a notification is marked `emailed_at` when its digest has gone out, so running the
command twice sends nothing the second time; each e-mail is recorded as a DigestSent.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from lokalmaal.accounts.models import User
from lokalmaal.discussion.models import DigestPeriod, DigestSent, Notification
from lokalmaal.discussion.models import NotificationSettings as Settings
from lokalmaal.discussion.notify import absolute_url, detail_line, message, settings_for

DEFAULT_PERIOD = Settings._meta.get_field("digest").default


@dataclass(frozen=True)
class DigestLine:
    text: str
    url: str
    created_at: str
    detail: str = ""  # "Comment: …" when the sender said something


def people_for(period: DigestPeriod) -> list[User]:
    """Active people who chose `period` (people who never chose get the default period)."""
    chose = Q(notification_settings__digest=period)
    if period == DEFAULT_PERIOD:
        chose |= Q(notification_settings__isnull=True)
    return list(User.objects.filter(chose, is_active=True).exclude(email="").order_by("pk"))


def pending(person: User) -> list[Notification]:
    return list(
        Notification.objects.filter(
            recipient=person, read_at__isnull=True, emailed_at__isnull=True
        ).order_by("created_at", "pk")
    )


def compose(person: User, notes: list[Notification], period: str) -> EmailMultiAlternatives:
    language = settings_for(person).language
    with translation.override(language):
        lines = [
            DigestLine(
                text=message(note.kind, note.title),
                detail=detail_line(note.detail) if note.detail else "",
                url=absolute_url(note.url),
                created_at=timezone.localtime(note.created_at).strftime("%d.%m.%Y %H:%M"),
            )
            for note in notes
        ]
        subject = ngettext(
            "Lokalmål: %(count)d new notification",
            "Lokalmål: %(count)d new notifications",
            len(lines),
        ) % {"count": len(lines)}
        context = {
            "lines": lines,
            "period": period,
            "greeting": gettext("Here is what happened on Lokalmål since your last digest."),
            "notifications_url": absolute_url("/varsel/"),
            "settings_url": absolute_url("/varsel/innstillingar/"),
            "language": language,
        }
        text = render_to_string("discussion/email/digest.txt", context)
        html = render_to_string("discussion/email/digest.html", context)
    mail = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [person.email])
    mail.attach_alternative(html, "text/html")
    return mail


def send_digest(person: User, period: DigestPeriod) -> int:
    """Send one person their digest; returns how many notifications it carried (0: no mail)."""
    with transaction.atomic():
        notes = pending(person)
        if not notes:
            return 0
        compose(person, notes, period).send(fail_silently=False)
        now = timezone.now()
        Notification.objects.filter(pk__in=[note.pk for note in notes]).update(emailed_at=now)
        record = DigestSent.objects.create(person=person, period=period, sent_at=now)
        record.notifications.set(notes)
        Settings.objects.update_or_create(person=person, defaults={"last_digest_at": now})
        return len(notes)


def send_digests(period: DigestPeriod) -> tuple[int, int]:
    """Send every digest of `period`; returns (e-mails sent, notifications carried)."""
    emails = carried = 0
    for person in people_for(period):
        count = send_digest(person, period)
        if count:
            emails += 1
            carried += count
    return emails, carried
