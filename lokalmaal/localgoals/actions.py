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
from lokalmaal.localgoals.models import (
    TRANSITIONS,
    Change,
    GoalIndicator,
    GoalKind,
    LocalGoal,
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


def _check_parent(workspace: Workspace, data: GoalInput) -> None:
    if data.kind == GoalKind.SUB and data.parent is None:
        raise ValidationError(_("A sub-goal must belong to a community goal."))
    if data.parent is not None and (
        data.parent.workspace_id != workspace.pk or data.parent.kind != GoalKind.COMMUNITY
    ):
        raise ValidationError(_("A sub-goal must belong to a community goal in this workspace."))


@transaction.atomic
def do_create_goal(workspace: Workspace, user: User, data: GoalInput) -> LocalGoal:
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
    _check_parent(goal.workspace, data)
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
    indicator = GoalIndicator.objects.create(goal=goal, **data.__dict__)
    LocalGoal.objects.filter(pk=goal.pk).update(version=F("version") + 1)
    _log(goal.workspace, user, "indicator_added", f"{goal.title}: {data.name}", goal=goal.pk)
    return indicator


@transaction.atomic
def do_delete_indicator(indicator: GoalIndicator, user: User) -> None:
    goal = indicator.goal
    _log(goal.workspace, user, "indicator_deleted", f"{goal.title}: {indicator.name}", goal=goal.pk)
    indicator.delete()
    LocalGoal.objects.filter(pk=goal.pk).update(version=F("version") + 1)


@transaction.atomic
def do_change_status(
    workspace: Workspace, user: User, status: str, adopted_on: date | None, case_number: str
) -> Workspace:
    if status not in TRANSITIONS[workspace.status]:
        raise ValidationError(_("The goal set cannot move from this status to that one."))
    if status == Status.ADOPTED and not (adopted_on and case_number.strip()):
        raise ValidationError(_("Give the date and case number of the council's decision."))
    workspace.status = status
    if status == Status.ADOPTED:
        workspace.adopted_on, workspace.case_number = adopted_on, case_number.strip()
    if status not in (Status.ADOPTED, Status.REVISED):
        workspace.published = False
    workspace.save(update_fields=["status", "adopted_on", "case_number", "published"])
    _log(workspace, user, "status", status, adopted_on=str(adopted_on or ""), case=case_number)
    return workspace


@transaction.atomic
def do_set_published(workspace: Workspace, user: User, published: bool) -> Workspace:
    if published and workspace.status not in (Status.ADOPTED, Status.REVISED):
        raise ValidationError(_("Only an adopted goal set can be published."))
    workspace.published = published
    workspace.save(update_fields=["published"])
    _log(workspace, user, "published" if published else "unpublished", workspace.title)
    return workspace
