"""The arena: practice examples (erfaringar) that municipalities share, reports of content that
breaks the rules, the moderation log, and the search index every kind of content writes into.

An example follows UN DESA's template for good practices: problem, objectives, what was done,
who took part, resources, results, what helped and hindered, lessons and how others can reuse it.
"""

from typing import ClassVar

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    PUBLISHED = "published", _("Published")
    HIDDEN = "hidden", _("Hidden by a moderator")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Everyone")
    MEMBERS = "members", _("Logged-in members only")


class Language(models.TextChoices):
    BOKMAAL = "nb", _("Bokmål")
    NYNORSK = "nn", _("Nynorsk")
    ENGLISH = "en", _("English")


# The template's sections in the order a page shows them: (field, heading).
SECTIONS: tuple[tuple[str, str | Promise], ...] = (
    ("problem", _("Problem and background")),
    ("objectives", _("Objectives")),
    ("activities", _("What was done")),
    ("participants", _("Who took part")),
    ("resources", _("Resources used")),
    ("results", _("Results")),
    ("enablers", _("What helped")),
    ("obstacles", _("What stood in the way")),
    ("lessons", _("Lessons learned")),
    ("reuse", _("How others can reuse it")),
)


class Example(models.Model):
    """A practice example. Members (editors) of one of its organisations edit it; it is public
    (or visible to members) only once a moderator has published it.

    `version` grows with every save; an edit based on an older version is a conflict.
    """

    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=1000)
    problem = models.TextField(_("problem and background"), blank=True)
    objectives = models.TextField(_("objectives"), blank=True)
    activities = models.TextField(_("what was done"), blank=True)
    participants = models.TextField(_("who took part"), blank=True)
    resources = models.TextField(_("resources used"), blank=True)
    results = models.TextField(_("results"), blank=True)
    enablers = models.TextField(_("what helped"), blank=True)
    obstacles = models.TextField(_("what stood in the way"), blank=True)
    lessons = models.TextField(_("lessons learned"), blank=True)
    reuse = models.TextField(_("how others can reuse it"), blank=True)

    targets = models.ManyToManyField("catalogue.Target", related_name="examples", blank=True)
    indicators = models.ManyToManyField("indicators.Indicator", related_name="examples", blank=True)
    organisations = models.ManyToManyField("accounts.Organisation", related_name="examples")
    service_areas = models.JSONField(_("service areas"), default=list, blank=True)
    plan_levels = models.JSONField(_("plan levels"), default=list, blank=True)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.BOKMAAL
    )

    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    contact_role = models.CharField(_("contact's role or title"), max_length=200, blank=True)
    contact_public = models.BooleanField(
        _("show the contact details to everyone"),
        default=False,
        help_text=_("Otherwise only logged-in members see them."),
    )

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    visibility = models.CharField(
        _("who may read it"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    moderator_comment = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="examples",
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-published_at", "-updated_at"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["status", "visibility"], name="arena_example_status")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("arena:example", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    @property
    def is_public(self) -> bool:
        return self.status == Status.PUBLISHED and self.visibility == Visibility.PUBLIC


class Attachment(models.Model):
    """A PDF or an image attached to an example. The bytes live in the database: at most a few
    megabytes each, always deleted and backed up together with their example."""

    example = models.ForeignKey(Example, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(_("file name"), max_length=200)
    description = models.CharField(_("description"), max_length=300, blank=True)
    kind = models.CharField(max_length=10)  # lokalmaal.lib.uploads kind, judged from the content
    size = models.PositiveIntegerField()
    content = models.BinaryField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar[list[str]] = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class ReportReason(models.TextChoices):
    SPAM = "spam", _("Spam or advertising")
    OFFENSIVE = "offensive", _("Offensive or harassing")
    PERSONAL_DATA = "personal_data", _("Personal data that should not be here")
    WRONG = "wrong", _("Wrong or misleading")
    OTHER = "other", _("Something else")


class ReportStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved, content kept")
    HIDDEN = "hidden", _("Content hidden")


class Report(models.Model):
    """Someone's report of a piece of content: an example, a question, an answer, a post…
    (`kind` and `key` name it; see lokalmaal.arena.moderation for the kinds)."""

    kind = models.CharField(max_length=30)
    key = models.PositiveBigIntegerField()
    url = models.CharField(max_length=500)
    title = models.CharField(max_length=300, blank=True)
    reason = models.CharField(_("reason"), max_length=20, choices=ReportReason.choices)
    comment = models.TextField(_("comment"), blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=ReportStatus.choices, default="open")
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["created_at", "id"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["status", "created_at"], name="arena_report_status"),
            models.Index(fields=["kind", "key"], name="arena_report_subject"),
        ]

    def __str__(self) -> str:
        return f"Report of {self.kind} {self.key}"


class ModerationAction(models.TextChoices):
    PUBLISH = "publish", _("Published")
    SEND_BACK = "send_back", _("Sent back to the authors")
    UNPUBLISH = "unpublish", _("Unpublished")
    HIDE = "hide", _("Hidden")
    RESOLVE = "resolve", _("Report resolved, content kept")


class ModerationEntry(models.Model):
    """The audit log: who did what to which content, when and why. Never edited or deleted."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=20, choices=ModerationAction.choices)
    kind = models.CharField(max_length=30)
    key = models.PositiveBigIntegerField()
    title = models.CharField(max_length=300, blank=True)
    reason = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar[list[str]] = ["-at", "-id"]
        verbose_name_plural = "moderation entries"

    def __str__(self) -> str:
        return f"{self.action} {self.kind} {self.key}"


class SearchEntry(models.Model):
    """One searchable item of any kind (example, question, event…), written by index_document.

    On PostgreSQL `vector` holds the weighted `norwegian` text-search vector; on SQLite the
    stemmed words live in the FTS5 table `arena_search_fts` (rowid = this entry's id).
    """

    kind = models.CharField(max_length=30)
    key = models.PositiveBigIntegerField()
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500)
    public = models.BooleanField(default=True)
    language = models.CharField(max_length=2, default="nb")
    date = models.DateTimeField()
    vector = SearchVectorField(null=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["kind", "key"], name="arena_search_one_per_item")
        ]
        verbose_name_plural = "search entries"

    def __str__(self) -> str:
        return f"{self.kind} {self.key}: {self.title}"


class SearchTag(models.Model):
    """A filterable fact about an entry: facet "goal", "target", "organisation" or
    "service_area" with its value (e.g. target 11.6)."""

    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="tags")
    facet = models.CharField(max_length=20)
    value = models.CharField(max_length=60)

    class Meta:
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["facet", "value"], name="arena_searchtag_facet")
        ]

    def __str__(self) -> str:
        return f"{self.facet}={self.value}"
