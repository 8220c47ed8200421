"""Plan documents an organisation has uploaded for analysis, and their classified passages."""

import uuid
from pathlib import PurePath
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from lokalmaal.accounts.models import Organisation


class PlanType(models.TextChoices):
    PLANSTRATEGI = "planstrategi", _("Planning strategy")
    SAMFUNNSDEL = "samfunnsdel", _("Community part of the master plan")
    AREALDEL = "arealdel", _("Land-use part of the master plan")
    HANDLINGSDEL = "handlingsdel", _("Action programme and financial plan")
    KOMMUNEDELPLAN = "kommunedelplan", _("Sub-plan or thematic plan")
    REGIONAL_PLAN = "regional_plan", _("Regional plan")
    OTHER = "other", _("Other document")


class Status(models.TextChoices):
    QUEUED = "queued", _("Waiting for analysis")
    RUNNING = "running", _("Being analysed")
    DONE = "done", _("Analysed")
    FAILED = "failed", _("Analysis failed")


# A failure that is not the document's fault (a bug, a lost worker): the code and its message.
INTERNAL = "internal"
INTERNAL_MESSAGE = gettext_noop(
    "The analysis stopped because of an error on our side. Try again later."
)


def upload_path(instance: "PlanDocument", filename: str) -> str:
    """A random name: the person's file name is kept in `filename`, never used as a path."""
    suffix = PurePath(filename).suffix.lower()[:8]
    return f"plans/{uuid.uuid4().hex}{suffix if suffix.isascii() else ''}"


class PlanDocument(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="plan_documents"
    )
    title = models.CharField(_("title"), max_length=300)
    plan_type = models.CharField(_("kind of plan"), max_length=20, choices=PlanType.choices)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    # Uploads are private until published, so they live outside anything served as static
    # files; only the analysis is ever shown, never the file itself.
    file = models.FileField(upload_to=upload_path, blank=True)
    filename = models.CharField(max_length=255, blank=True)
    pasted_text = models.TextField(blank=True)
    kind = models.CharField(_("detected kind"), max_length=10, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    failure_code = models.CharField(max_length=30, blank=True)
    failure_message = models.TextField(blank=True)  # as shown to the uploader at the time
    # The extractor's error as data (code, reason, params), so the message can be shown in the
    # language of whoever reads it later.
    failure_details = models.JSONField(default=dict, blank=True)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    published = models.BooleanField(default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    analysed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at", "-id"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["organisation", "published"], name="plans_org_published")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.organisation})"


class Passage(models.Model):
    """One paragraph or heading of an analysed document with what the classifier found in it."""

    document = models.ForeignKey(PlanDocument, on_delete=models.CASCADE, related_name="passages")
    number = models.PositiveIntegerField()
    page = models.PositiveIntegerField(null=True, blank=True)
    section = models.CharField(max_length=500, blank=True)
    text = models.TextField()
    heading = models.BooleanField(default=False)
    goals = models.JSONField(default=list)  # goal numbers, most confident first
    targets = models.JSONField(default=list)  # target codes
    scores = models.JSONField(default=dict)  # goal number as text → score
    target_scores = models.JSONField(default=dict)
    evidence = models.JSONField(default=list)  # [{"target", "term", "matched"}]
    # [{"target", "kind", "description", "similarity"}]: the closest target description of each
    # reported goal, so a goal found by similarity is explained too
    closest = models.JSONField(default=list)
    embedded = models.BooleanField(default=True)  # False: lexicon only, the time ran out

    class Meta:
        ordering: ClassVar[list[str]] = ["document", "number"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["document", "number"], name="one_passage_per_number")
        ]

    def __str__(self) -> str:
        return f"{self.document_id} §{self.number}"


class PassageVector(models.Model):
    """A passage's sentence vector, kept by what determines it (the model and the text it reads;
    `hybrid.vector_key`), so analysing a plan again or a new version of it embeds only the
    passages whose text is new. Kept per organisation, with its plans: a vector is derived from
    the text, so it goes when no plan of the organisation has that text any more
    (`vectors.prune`), and with the organisation."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="passage_vectors"
    )
    key = models.CharField(max_length=64)
    vector = models.BinaryField()  # float32, little-endian
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["organisation", "key"], name="one_vector_per_text")
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.key[:12]}"
