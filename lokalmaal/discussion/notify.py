"""The notification interface every app uses: notify people, and follow objects of any model.

    notify(recipient, "answer_posted", title=question.title, url=question_url)
    notify_followers([example, *example.targets.all()], "example_published", title=..., url=...)
    follow(person, network); unfollow(person, network); is_following(person, network)

A notification stores its kind, the object's title and a link; the sentence around the title is
translated when it is shown or e-mailed, in the reader's language (see `message`).
"""

import logging
import smtplib
from collections.abc import Iterable

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_lazy

from lokalmaal.accounts.models import User
from lokalmaal.discussion.models import DigestPeriod, Follow, Kind, Notification
from lokalmaal.discussion.models import NotificationSettings as Settings

logger = logging.getLogger(__name__)

# The sentence for each kind; %(title)s is the object's own title.
MESSAGES = {
    Kind.EXAMPLE_PUBLISHED: gettext_lazy("New practice example: %(title)s"),
    Kind.QUESTION_ASKED: gettext_lazy("New question: %(title)s"),
    Kind.ANSWER_POSTED: gettext_lazy("New answer to “%(title)s”"),
    Kind.ANSWER_HELPFUL: gettext_lazy("Your answer to “%(title)s” was marked helpful"),
    Kind.EVENT_PROMOTED: gettext_lazy(
        "You have a place at “%(title)s”: you were moved from the waiting list"
    ),
    Kind.EVENT_REMINDER: gettext_lazy("Reminder: “%(title)s” is coming up"),
    Kind.EVENT_CANCELLED: gettext_lazy("Cancelled: “%(title)s”"),
    Kind.NETWORK_POST: gettext_lazy("New post in a network: %(title)s"),
    Kind.NETWORK_DOCUMENT: gettext_lazy("New document in a network: %(title)s"),
    Kind.NETWORK_JOINED: gettext_lazy("You are now a member of the network “%(title)s”"),
    Kind.MODERATION: gettext_lazy("A moderator has handled “%(title)s”"),
    Kind.MODERATION_PUBLISHED: gettext_lazy("A moderator published your example “%(title)s”"),
    Kind.MODERATION_SENT_BACK: gettext_lazy(
        "A moderator sent your example “%(title)s” back to you to change"
    ),
    Kind.MODERATION_UNPUBLISHED: gettext_lazy(
        "A moderator took your example “%(title)s” off the public pages"
    ),
    Kind.MODERATION_HIDDEN: gettext_lazy("A moderator hid your example “%(title)s”"),
}
KINDS: frozenset[str] = frozenset(Kind.values)


class UnknownKindError(ValueError):
    pass


def message(kind: str, title: str, language: str | None = None) -> str:
    """The sentence for one notification, in `language` (or the active language)."""
    template = MESSAGES.get(Kind(kind)) if kind in KINDS else None
    if template is None:
        return title
    if language is None:
        return str(template) % {"title": title}
    with translation.override(language):
        return str(template) % {"title": title}


def detail_line(detail: str) -> str:
    """A notification's detail as e-mails and pages introduce it."""
    return gettext("Comment: %(detail)s") % {"detail": detail}


def settings_for(person: User) -> Settings:
    """A person's e-mail choices; people who never chose get the defaults (not stored)."""
    found = Settings.objects.filter(person=person).first()
    return found if found is not None else Settings(person=person)


def absolute_url(url: str) -> str:
    if url.startswith(("http://", "https://")):
        return url
    return settings.SITE_URL.rstrip("/") + url


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise UnknownKindError(f"Unknown notification kind {kind!r}; one of {sorted(KINDS)}")


def _email_now(note: Notification) -> None:
    language = settings_for(note.recipient).language
    with translation.override(language):
        subject = message(note.kind, note.title)
        body = "\n\n".join(
            [
                subject,
                *([detail_line(note.detail)] if note.detail else []),
                absolute_url(note.url),
                gettext("Change which e-mails you get: %(url)s")
                % {"url": absolute_url("/varsel/innstillingar/")},
            ]
        )
    try:
        send_mail(subject[:200], body, None, [note.recipient.email], fail_silently=False)
    except (OSError, smtplib.SMTPException):
        # The notification is saved; left un-emailed, the next digest carries it.
        logger.exception("Could not e-mail notification %s", note.pk)
        return
    note.emailed_at = timezone.now()
    note.save(update_fields=["emailed_at"])


def notify(
    recipient: User,
    kind: str,
    *,
    title: str,
    url: str,
    email_now: bool = False,
    detail: str = "",
) -> Notification:
    """Tell one person about something. `email_now` also sends an e-mail at once (after the
    surrounding transaction commits), for news that cannot wait for the digest; `detail` is what
    the sender said (a moderator's comment), shown and e-mailed with the sentence."""
    _check_kind(kind)
    note = Notification.objects.create(
        recipient=recipient, kind=kind, title=title[:300], url=url[:500], detail=detail
    )
    if email_now and recipient.email:
        transaction.on_commit(lambda: _email_now(note))
    return note


def _subject_filter(subjects: Iterable[models.Model]) -> Q:
    by_type: dict[int, set[str]] = {}
    for subject in subjects:
        content_type = ContentType.objects.get_for_model(subject)
        by_type.setdefault(content_type.pk, set()).add(str(subject.pk))
    condition = Q(pk__in=[])
    for content_type_id, ids in by_type.items():
        condition |= Q(content_type_id=content_type_id, object_id__in=ids)
    return condition


def followers(subjects: Iterable[models.Model]) -> models.QuerySet[User]:
    """Everyone who follows at least one of `subjects`, each once."""
    follows = Follow.objects.filter(_subject_filter(subjects))
    return User.objects.filter(pk__in=follows.values("person_id"), is_active=True).order_by("pk")


def notify_followers(
    subjects: Iterable[models.Model],
    kind: str,
    *,
    title: str,
    url: str,
    exclude: User | None = None,
) -> int:
    """Notify each follower of any of `subjects` once; returns how many were notified."""
    _check_kind(kind)
    people = followers(list(subjects))
    if exclude is not None:
        people = people.exclude(pk=exclude.pk)
    now = timezone.now()
    notes = [
        Notification(recipient=person, kind=kind, title=title[:300], url=url[:500], created_at=now)
        for person in people
    ]
    Notification.objects.bulk_create(notes)
    return len(notes)


def follow(person: User, subject: models.Model) -> None:
    Follow.objects.get_or_create(
        person=person,
        content_type=ContentType.objects.get_for_model(subject),
        object_id=str(subject.pk),
    )


def unfollow(person: User, subject: models.Model) -> None:
    Follow.objects.filter(
        person=person,
        content_type=ContentType.objects.get_for_model(subject),
        object_id=str(subject.pk),
    ).delete()


def is_following(person: User, subject: models.Model) -> bool:
    if not person.is_authenticated:
        return False
    return Follow.objects.filter(
        person=person,
        content_type=ContentType.objects.get_for_model(subject),
        object_id=str(subject.pk),
    ).exists()


__all__ = [
    "KINDS",
    "DigestPeriod",
    "Kind",
    "Notification",
    "follow",
    "followers",
    "is_following",
    "message",
    "notify",
    "notify_followers",
    "unfollow",
]
