"""Planning workspaces: materiality ratings, priority targets, local goals with indicators, and
the history of every change."""

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lokalmaal.accounts.models import Organisation
from lokalmaal.catalogue.models import Target


class PlanType(models.TextChoices):
    PLANSTRATEGI = "planstrategi", _("Planning strategy")
    SAMFUNNSDEL = "samfunnsdel", _("Community part of the master plan")
    AREALDEL = "arealdel", _("Land-use part of the master plan")
    HANDLINGSDEL = "handlingsdel", _("Action programme and financial plan")
    SEKTORPLAN = "sektorplan", _("Sector plan")
    REGIONAL_PLAN = "regional_plan", _("Regional plan")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CONSULTATION = "consultation", _("Public consultation")
    ADOPTED = "adopted", _("Adopted")
    REVISED = "revised", _("Revised")


# Which status may follow which: a set is revised after adoption, and a revision is adopted anew.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.DRAFT: (Status.CONSULTATION, Status.ADOPTED),
    Status.CONSULTATION: (Status.DRAFT, Status.ADOPTED),
    Status.ADOPTED: (Status.REVISED,),
    Status.REVISED: (Status.CONSULTATION, Status.ADOPTED),
}


class Workspace(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="workspaces"
    )
    title = models.CharField(_("title"), max_length=200)
    plan_type = models.CharField(_("plan"), max_length=20, choices=PlanType.choices)
    period_start = models.PositiveSmallIntegerField(_("from year"), null=True, blank=True)
    period_end = models.PositiveSmallIntegerField(_("to year"), null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    case_number = models.CharField(_("case number"), max_length=50, blank=True)
    published = models.BooleanField(default=False)
    # The ratings, comments and matrix are internal unless the organisation chooses this too.
    analysis_published = models.BooleanField(default=False)
    adopted_by_body = models.CharField(_("adopted by"), max_length=120, blank=True)
    consultation_deadline = models.DateField(_("consultation deadline"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.title} ({self.organisation})"


SCALE = [MinValueValidator(1), MaxValueValidator(5)]


class Rating(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="ratings")
    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="+")
    rater = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    importance = models.PositiveSmallIntegerField(validators=SCALE)
    influence = models.PositiveSmallIntegerField(validators=SCALE)
    comment = models.TextField(blank=True, max_length=2000)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["workspace", "target", "rater"], name="one_rating_per_rater"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    importance__gte=1, importance__lte=5, influence__gte=1, influence__lte=5
                ),
                name="ratings_on_the_1_to_5_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target} by {self.rater}: {self.importance}/{self.influence}"


class Priority(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="priorities")
    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="priorities")
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    marked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["workspace", "target"], name="one_priority_per_target")
        ]
        ordering: ClassVar[list[str]] = ["target__goal", "target__position"]

    def __str__(self) -> str:
        return f"{self.target} in {self.workspace}"


class GoalKind(models.TextChoices):
    COMMUNITY = "samfunnsmaal", _("Community goal")
    SUB = "delmaal", _("Sub-goal")


class LocalGoal(models.Model):
    """A local goal (samfunnsmål, or delmål under one) linked to SDG targets.

    `version` grows with every save; an edit based on an older version is a conflict.
    """

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="goals")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=GoalKind.choices)
    title = models.CharField(_("goal"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    strategies = models.TextField(_("strategies"), blank=True)
    responsible_unit = models.CharField(_("responsible unit"), max_length=200, blank=True)
    targets = models.ManyToManyField(Target, related_name="+", blank=True)
    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar[list[str]] = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")
    NEUTRAL = "neutral", _("Neutral")


class GoalIndicator(models.Model):
    goal = models.ForeignKey(LocalGoal, on_delete=models.CASCADE, related_name="indicators")
    library_id = models.CharField(max_length=60, blank=True)
    name = models.CharField(_("indicator"), max_length=300)
    unit = models.CharField(_("unit"), max_length=60)
    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices)
    baseline_value = models.FloatField(_("baseline value"), null=True, blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    target_value = models.FloatField(_("target value"), null=True, blank=True)
    target_year = models.PositiveSmallIntegerField(_("target year"), null=True, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["id"]

    def __str__(self) -> str:
        return self.name


class Change(models.Model):
    """One entry in a workspace's history: who changed what, when."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="changes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=40)
    summary = models.CharField(max_length=500)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}: {self.summary}"


class AdoptedVersion(models.Model):
    """The goal set as it was adopted: what the public page shows until a revision is adopted.

    `content` holds the priorities and goals with their targets and indicators (versions.py
    writes and reads it), so later edits of the working goals never change an adopted text.
    """

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    adopted_on = models.DateField()
    case_number = models.CharField(max_length=50)
    body = models.CharField(max_length=120)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    content = models.JSONField(default=dict)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["workspace", "number"], name="one_version_number")
        ]
        ordering: ClassVar[list[str]] = ["-number"]

    def __str__(self) -> str:
        return f"{self.workspace} v{self.number}"


class MeasureStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    STARTED = "started", _("Started")
    DONE = "done", _("Done")
    DELAYED = "delayed", _("Delayed")
    STOPPED = "stopped", _("Stopped")


class Measure(models.Model):
    """A measure (tiltak) that works towards a goal, with the KOSTRA function(s) it is budgeted
    under, so the action programme and financial plan can be read by SDG target."""

    goal = models.ForeignKey(LocalGoal, on_delete=models.CASCADE, related_name="measures")
    title = models.CharField(_("measure"), max_length=300)
    owner = models.CharField(_("owner"), max_length=200)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=MeasureStatus.choices, default=MeasureStatus.PLANNED
    )
    kostra_functions = models.CharField(_("KOSTRA functions"), max_length=100, blank=True)
    plan_link = models.URLField(_("link to the action programme"), blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar[list[str]] = ["deadline", "id"]

    def __str__(self) -> str:
        return self.title


class ConsultationInvite(models.Model):
    """A person asked to comment on a goal set on consultation; the token in the e-mailed link
    lets people outside the organisation comment without an account."""

    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="consultation_invites"
    )
    email = models.EmailField(_("e-mail address"))
    name = models.CharField(_("name or body"), max_length=200, blank=True)
    token = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar[list[str]] = ["created_at"]

    def __str__(self) -> str:
        return f"{self.email} on {self.workspace}"


class ConsultationComment(models.Model):
    """A consultation comment on one goal (or the whole set), with the editors' answer."""

    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="consultation_comments"
    )
    goal = models.ForeignKey(
        LocalGoal, on_delete=models.SET_NULL, null=True, blank=True, related_name="comments"
    )
    goal_title = models.CharField(max_length=300, blank=True)  # kept if the goal is deleted
    invite = models.ForeignKey(
        ConsultationInvite, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    author_name = models.CharField(max_length=200)
    text = models.TextField(max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)
    answer = models.TextField(blank=True, max_length=5000)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.author_name}: {self.text[:40]}"
