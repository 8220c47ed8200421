"""Questions and answers, follows of any object, notifications and each person's digest choice."""

from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from lokalmaal.arena.models import Example
    from lokalmaal.catalogue.models import Target
    from lokalmaal.networks.models import Network


class Kind(models.TextChoices):
    """What a notification is about; notify.MESSAGES holds the sentence shown for each."""

    EXAMPLE_PUBLISHED = "example_published", _("New practice example")
    QUESTION_ASKED = "question_asked", _("New question")
    ANSWER_POSTED = "answer_posted", _("New answer")
    ANSWER_HELPFUL = "answer_helpful", _("Answer marked helpful")
    EVENT_PROMOTED = "event_promoted", _("Moved from the waiting list")
    EVENT_REMINDER = "event_reminder", _("Event reminder")
    EVENT_CANCELLED = "event_cancelled", _("Event cancelled")
    NETWORK_POST = "network_post", _("New network post")
    NETWORK_DOCUMENT = "network_document", _("New network document")
    NETWORK_JOINED = "network_joined", _("Joined a network")
    MODERATION = "moderation", _("Moderation")
    # A moderator's decision on the author's own example; the comment goes in Notification.detail.
    MODERATION_PUBLISHED = "moderation_published", _("Example published by a moderator")
    MODERATION_SENT_BACK = "moderation_sent_back", _("Example sent back by a moderator")
    MODERATION_UNPUBLISHED = "moderation_unpublished", _("Example unpublished by a moderator")
    MODERATION_HIDDEN = "moderation_hidden", _("Example hidden by a moderator")


class Notification(models.Model):
    """One thing a person should know about. The sentence is rendered when it is read, so it
    appears in the reader's language; `title` is the object's own title, kept as written."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    title = models.CharField(max_length=300)
    url = models.CharField(max_length=500)
    # What the sender said, kept as written (a moderator's comment on the decision).
    detail = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # Set when it went out by e-mail (right away or in a digest), so no digest sends it twice.
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at", "-pk"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.title} → {self.recipient_id}"


class Follow(models.Model):
    """A person follows an object of any model (a target, organisation, example, network...).

    `object_id` is text so that models with any kind of primary key can be followed."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    subject = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["person", "content_type", "object_id"], name="follow_once"
            )
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["content_type", "object_id"], name="follow_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} follows {self.content_type_id}:{self.object_id}"


class DigestPeriod(models.TextChoices):
    NONE = "none", _("No e-mail")
    DAILY = "daily", _("Daily digest")
    WEEKLY = "weekly", _("Weekly digest")


class NotificationSettings(models.Model):
    """How and in which language a person wants their notifications by e-mail."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    digest = models.CharField(
        _("e-mail digest"), max_length=10, choices=DigestPeriod.choices, default=DigestPeriod.WEEKLY
    )
    language = models.CharField(
        _("language of e-mails"), max_length=5, choices=settings.LANGUAGES, default="nb"
    )
    last_digest_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.person_id}: {self.digest}"


class DigestSent(models.Model):
    """A record of each digest e-mail: who, which period and how many notifications it held."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests"
    )
    period = models.CharField(max_length=10, choices=DigestPeriod.choices)
    sent_at = models.DateTimeField(default=timezone.now)
    notifications = models.ManyToManyField(Notification, related_name="digests")

    class Meta:
        ordering: ClassVar[list[str]] = ["-sent_at"]

    def __str__(self) -> str:
        return f"{self.period} digest to {self.person_id} at {self.sent_at:%Y-%m-%d %H:%M}"


class Question(models.Model):
    """A member's question about exactly one subject: a practice example, an SDG target or a
    network. It is seen by whoever may see its subject (see access.py)."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="questions"
    )
    title = models.CharField(_("question"), max_length=200)
    body = models.TextField(_("details"), blank=True, max_length=10000)
    example = models.ForeignKey(
        "arena.Example", on_delete=models.CASCADE, null=True, blank=True, related_name="questions"
    )
    target = models.ForeignKey(
        "catalogue.Target",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="questions",
    )
    network = models.ForeignKey(
        "networks.Network",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="questions",
    )
    created_at = models.DateTimeField(default=timezone.now)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at", "-id"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=(
                    models.Q(example__isnull=False, target__isnull=True, network__isnull=True)
                    | models.Q(example__isnull=True, target__isnull=False, network__isnull=True)
                    | models.Q(example__isnull=True, target__isnull=True, network__isnull=False)
                ),
                name="question_has_one_subject",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def subject(self) -> "Example | Target | Network":
        subject: Example | Target | Network | None = self.example or self.target or self.network
        assert subject is not None  # guaranteed by question_has_one_subject
        return subject

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class Answer(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="answers"
    )
    body = models.TextField(_("answer"), max_length=10000)
    # Only the asker sets it (actions.mark_helpful).
    helpful = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering: ClassVar[list[str]] = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Answer {self.pk} to {self.question_id}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None
