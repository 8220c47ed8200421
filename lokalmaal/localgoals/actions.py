"""Every change to a workspace: one function each, in one transaction, written to its history.

Callers must have fetched the workspace through access.access_workspace(edit=True).
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from lokalmaal.accounts.models import Organisation, User
from lokalmaal.catalogue.models import Target
from lokalmaal.localgoals import versions
from lokalmaal.localgoals.models import (
    TRANSITIONS,
    AdoptedVersion,
    Change,
    ConsultationComment,
    ConsultationInvite,
    GoalIndicator,
    GoalKind,
    LocalGoal,
    Measure,
    Priority,
    Rating,
    Status,
    Workspace,
)


class EditConflictError(Exception):
    """Someone else saved the goal after this editor opened it; nothing was overwritten."""

    def __init__(self, goal: LocalGoal) -> None:
        self.goal = goal
        super().__init__(f"Goal {goal.pk} changed since it was opened (now version {goal.version})")


def _log(
    workspace: Workspace, user: User | None, action: str, summary: str, **details: Any
) -> None:
    Change.objects.create(
        workspace=workspace, user=user, action=action, summary=summary[:500], details=details
    )


@transaction.atomic
def do_create_workspace(
    organisation: Organisation,
    user: User,
    title: str,
    plan_type: str,
    period_start: int | None,
    period_end: int | None,
) -> Workspace:
    workspace = Workspace.objects.create(
        organisation=organisation,
        title=title,
        plan_type=plan_type,
        period_start=period_start,
        period_end=period_end,
        created_by=user,
    )
    _log(workspace, user, "created", title)
    return workspace


@dataclass(frozen=True)
class RatingInput:
    target: Target
    importance: int | None
    influence: int | None
    comment: str


@transaction.atomic
def do_save_ratings(workspace: Workspace, user: User, ratings: list[RatingInput]) -> int:
    """Save this rater's ratings; a target with neither scale set removes the rating."""
    saved = 0
    for item in ratings:
        if item.importance is None and item.influence is None:
            Rating.objects.filter(workspace=workspace, target=item.target, rater=user).delete()
            continue
        if item.importance is None or item.influence is None:
            raise ValidationError(
                _("Target %(code)s: give both importance and influence, or neither.")
                % {"code": item.target.code}
            )
        Rating.objects.update_or_create(
            workspace=workspace,
            target=item.target,
            rater=user,
            defaults={
                "importance": item.importance,
                "influence": item.influence,
                "comment": item.comment,
                "updated_at": timezone.now(),
            },
        )
        saved += 1
    _log(workspace, user, "rated", f"{saved} ratings", targets=[r.target.code for r in ratings])
    return saved


@transaction.atomic
def do_set_priority(workspace: Workspace, user: User, target: Target, prioritised: bool) -> None:
    check_editable(workspace)
    if prioritised:
        Priority.objects.get_or_create(
            workspace=workspace, target=target, defaults={"marked_by": user}
        )
    else:
        Priority.objects.filter(workspace=workspace, target=target).delete()
    _log(workspace, user, "priority" if prioritised else "unpriority", target.code)


@dataclass(frozen=True)
class GoalInput:
    kind: str
    title: str
    description: str
    strategies: str
    responsible_unit: str
    targets: list[Target]
    parent: LocalGoal | None


def check_editable(workspace: Workspace) -> None:
    """An adopted goal set is locked: it is reopened for revision first (with history), so the
    page never shows goals the council did not adopt as adopted."""
    if workspace.status == Status.ADOPTED:
        raise ValidationError(
            _("The goal set is adopted and locked. Reopen it for revision to change the goals.")
        )


def _check_parent(workspace: Workspace, data: GoalInput, goal: LocalGoal | None = None) -> None:
    if goal is not None and data.parent is not None:
        ancestor: LocalGoal | None = data.parent
        while ancestor is not None:
            if ancestor.pk == goal.pk:
                raise ValidationError(
                    _("A goal cannot belong to itself or to one of its sub-goals.")
                )
            ancestor = ancestor.parent
    if goal is not None and data.kind == GoalKind.SUB and goal.children.exists():
        raise ValidationError(
            _(
                "This goal has sub-goals, so it must stay a community goal. Move its sub-goals first."
            )
        )
    if data.kind == GoalKind.SUB and data.parent is None:
        raise ValidationError(_("A sub-goal must belong to a community goal."))
    if data.parent is not None and (
        data.parent.workspace_id != workspace.pk or data.parent.kind != GoalKind.COMMUNITY
    ):
        raise ValidationError(_("A sub-goal must belong to a community goal in this workspace."))


@transaction.atomic
def do_create_goal(workspace: Workspace, user: User, data: GoalInput) -> LocalGoal:
    check_editable(workspace)
    _check_parent(workspace, data)
    position = workspace.goals.count() + 1
    goal = LocalGoal.objects.create(
        workspace=workspace,
        kind=data.kind,
        title=data.title,
        description=data.description,
        strategies=data.strategies,
        responsible_unit=data.responsible_unit,
        parent=data.parent if data.kind == GoalKind.SUB else None,
        position=position,
        updated_by=user,
    )
    goal.targets.set(data.targets)
    _log(workspace, user, "goal_created", data.title, goal=goal.pk)
    return goal


@transaction.atomic
def do_update_goal(
    goal: LocalGoal, user: User, data: GoalInput, based_on_version: int
) -> LocalGoal:
    """Save only if nobody saved since `based_on_version`; otherwise raise EditConflictError.

    The version check and the increment are one UPDATE, so two saves at the same moment cannot
    both pass it.
    """
    check_editable(goal.workspace)
    _check_parent(goal.workspace, data, goal)
    updated = LocalGoal.objects.filter(pk=goal.pk, version=based_on_version).update(
        version=F("version") + 1,
        kind=data.kind,
        title=data.title,
        description=data.description,
        strategies=data.strategies,
        responsible_unit=data.responsible_unit,
        parent=data.parent if data.kind == GoalKind.SUB else None,
        updated_by=user,
        updated_at=timezone.now(),
    )
    goal.refresh_from_db()
    if not updated:
        raise EditConflictError(goal)
    goal.targets.set(data.targets)
    _log(goal.workspace, user, "goal_changed", data.title, goal=goal.pk, version=goal.version)
    return goal


@transaction.atomic
def do_delete_goal(goal: LocalGoal, user: User) -> None:
    check_editable(goal.workspace)
    _log(goal.workspace, user, "goal_deleted", goal.title, goal=goal.pk)
    goal.delete()


@dataclass(frozen=True)
class IndicatorInput:
    name: str
    unit: str
    direction: str
    baseline_value: float | None
    baseline_year: int | None
    target_value: float | None
    target_year: int | None
    library_id: str = ""


@transaction.atomic
def do_add_indicator(goal: LocalGoal, user: User, data: IndicatorInput) -> GoalIndicator:
    check_editable(goal.workspace)
    indicator = GoalIndicator.objects.create(goal=goal, **data.__dict__)
    LocalGoal.objects.filter(pk=goal.pk).update(version=F("version") + 1)
    _log(goal.workspace, user, "indicator_added", f"{goal.title}: {data.name}", goal=goal.pk)
    return indicator


@transaction.atomic
def do_delete_indicator(indicator: GoalIndicator, user: User) -> None:
    goal = indicator.goal
    check_editable(goal.workspace)
    _log(goal.workspace, user, "indicator_deleted", f"{goal.title}: {indicator.name}", goal=goal.pk)
    indicator.delete()
    LocalGoal.objects.filter(pk=goal.pk).update(version=F("version") + 1)


@dataclass(frozen=True)
class Decision:
    """The council's decision (for adoption) or the consultation deadline."""

    adopted_on: date | None = None
    case_number: str = ""
    body: str = ""
    deadline: date | None = None


@transaction.atomic
def do_change_status(
    workspace: Workspace, user: User, status: str, decision: Decision
) -> Workspace:
    """Editors send on consultation and reopen; only an organisation admin records adoption (the
    view checks that). Adoption stores the goals as an adopted version; reopening an adopted set
    makes a revision that the public does not see until it is adopted."""
    if status not in TRANSITIONS[workspace.status]:
        raise ValidationError(_("The goal set cannot move from this status to that one."))
    details: dict[str, Any] = {}
    if status == Status.CONSULTATION:
        if decision.deadline is None or decision.deadline < timezone.localdate():
            raise ValidationError(_("Give a consultation deadline that has not passed."))
        workspace.consultation_deadline = decision.deadline
        details["deadline"] = str(decision.deadline)
    if status == Status.ADOPTED:
        case, body = decision.case_number.strip(), decision.body.strip()
        if not (decision.adopted_on and case and body):
            raise ValidationError(
                _("Give the body that adopted it, the date and the case number of the decision.")
            )
        workspace.adopted_on, workspace.case_number = decision.adopted_on, case
        workspace.adopted_by_body = body
        last = versions.latest(workspace)
        number = (last.number if last else 0) + 1
        AdoptedVersion.objects.create(
            workspace=workspace,
            number=number,
            adopted_on=decision.adopted_on,
            case_number=case,
            body=body,
            recorded_by=user,
            content=versions.snapshot(workspace),
        )
        details.update(adopted_on=str(decision.adopted_on), case=case, body=body, version=number)
    previous = workspace.status
    workspace.status = status
    if not workspace.versions.exists():
        workspace.published = workspace.analysis_published = False
    workspace.save(
        update_fields=[
            "status", "adopted_on", "case_number", "adopted_by_body", "consultation_deadline",
            "published", "analysis_published",
        ]
    )  # fmt: skip
    _log(workspace, user, "status", status, previous=previous, **details)
    return workspace


@transaction.atomic
def do_set_published(
    workspace: Workspace, user: User, published: bool, analysis: bool = False
) -> Workspace:
    """Publish the adopted goal set; the ratings, comments and matrix only if `analysis` too."""
    if published and not workspace.versions.exists():
        raise ValidationError(_("Only an adopted goal set can be published."))
    workspace.published = published
    workspace.analysis_published = published and analysis
    workspace.save(update_fields=["published", "analysis_published"])
    action = "published" if published else "unpublished"
    _log(workspace, user, action, workspace.title, analysis=workspace.analysis_published)
    return workspace


# --- Consultation (høring) ---------------------------------------------------------------


@transaction.atomic
def do_invite_to_consultation(
    workspace: Workspace, user: User, email: str, name: str, comment_url: str
) -> ConsultationInvite:
    """E-mail a link that lets the person comment per goal until the deadline, with or without
    an account. `comment_url` contains TOKEN where the invitation's secret goes."""
    import secrets

    from django.conf import settings
    from django.core.mail import send_mail

    if workspace.status != Status.CONSULTATION:
        raise ValidationError(_("Send the goal set on consultation first."))
    invite = ConsultationInvite.objects.create(
        workspace=workspace,
        email=email.strip().lower(),
        name=name.strip(),
        token=secrets.token_urlsafe(32),
        invited_by=user,
    )
    url = comment_url.replace("TOKEN", invite.token)
    subject = _("Consultation: %(title)s") % {"title": workspace.title}
    deadline = workspace.consultation_deadline
    body = _(
        "%(org)s invites you to comment on the goals in “%(title)s” by %(deadline)s.\n\n"
        "Comment here (no account needed): %(url)s"
    ) % {
        "org": workspace.organisation.name,
        "title": workspace.title,
        "deadline": deadline.strftime("%d.%m.%Y") if deadline else "",
        "url": url,
    }
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invite.email])
    )
    _log(workspace, user, "consultation_invited", invite.email)
    return invite


def consultation_open(workspace: Workspace) -> bool:
    deadline = workspace.consultation_deadline
    return workspace.status == Status.CONSULTATION and (
        deadline is None or timezone.localdate() <= deadline
    )


@transaction.atomic
def do_comment(
    workspace: Workspace,
    goal: LocalGoal | None,
    text: str,
    author_name: str,
    user: User | None = None,
    invite: ConsultationInvite | None = None,
) -> ConsultationComment:
    """A consultation comment; callers have checked the person was invited or is a member."""
    if not consultation_open(workspace):
        raise ValidationError(_("The consultation is closed."))
    if goal is not None and goal.workspace_id != workspace.pk:
        raise ValidationError(_("No such goal in this goal set."))
    if not text.strip():
        raise ValidationError(_("Write a comment."))
    comment = ConsultationComment.objects.create(
        workspace=workspace,
        goal=goal,
        goal_title=goal.title if goal else "",
        invite=invite,
        author=user,
        author_name=author_name.strip()[:200] or "–",
        text=text.strip()[:5000],
    )
    _log(workspace, user, "commented", goal.title if goal else workspace.title, by=author_name)
    return comment


@transaction.atomic
def do_answer_comment(comment: ConsultationComment, user: User, answer: str) -> None:
    comment.answer = answer.strip()[:5000]
    comment.answered_by = user
    comment.answered_at = timezone.now()
    comment.save(update_fields=["answer", "answered_by", "answered_at"])
    _log(comment.workspace, user, "comment_answered", comment.goal_title or comment.author_name)


# --- Measures (tiltak) -------------------------------------------------------------------


@dataclass(frozen=True)
class MeasureInput:
    title: str
    owner: str
    deadline: date | None
    status: str
    kostra_functions: str
    plan_link: str


@transaction.atomic
def do_add_measure(goal: LocalGoal, user: User, data: MeasureInput) -> Measure:
    """Measures are followed up every year, so they may change after adoption too."""
    measure = Measure.objects.create(goal=goal, **data.__dict__)
    _log(goal.workspace, user, "measure_added", f"{goal.title}: {data.title}", goal=goal.pk)
    return measure


@transaction.atomic
def do_update_measure(measure: Measure, user: User, data: MeasureInput) -> Measure:
    for name, value in data.__dict__.items():
        setattr(measure, name, value)
    measure.updated_at = timezone.now()
    measure.save()
    goal = measure.goal
    summary = f"{goal.title}: {data.title} ({data.status})"
    _log(goal.workspace, user, "measure_changed", summary, goal=goal.pk)
    return measure


@transaction.atomic
def do_delete_measure(measure: Measure, user: User) -> None:
    goal = measure.goal
    _log(goal.workspace, user, "measure_deleted", f"{goal.title}: {measure.title}", goal=goal.pk)
    measure.delete()
