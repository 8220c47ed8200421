"""Fetch plan analyses only through these helpers, so the rules in accounts.permissions apply.

Members of the organisation (any role) see its analyses; editors and admins upload, publish and
delete them; anyone sees a published one. An analysis someone may not see is a 404, so its
existence is not revealed.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from lokalmaal.accounts.models import Membership, Organisation, User
from lokalmaal.accounts.permissions import Action, Person, is_platform_admin, may
from lokalmaal.plans.models import PlanDocument


def may_view(person: Person, plan: PlanDocument) -> bool:
    return plan.published or may(person, Action.VIEW_MEMBERS, plan.organisation)


def may_edit(person: Person, plan: PlanDocument) -> bool:
    return may(person, Action.EDIT_CONTENT, plan.organisation)


def access_plan(person: Person, plan_id: int, *, edit: bool = False) -> PlanDocument:
    plan = PlanDocument.objects.select_related("organisation__region").filter(id=plan_id).first()
    if plan is None or not may_view(person, plan):
        raise Http404("No such plan analysis")
    if edit and not may_edit(person, plan):
        raise PermissionDenied("Only editors of the organisation may change its plan analyses")
    return plan


def visible_plans(
    person: Person, organisation: Organisation | None = None
) -> QuerySet[PlanDocument]:
    """Published analyses, and every analysis of the organisations the person belongs to."""
    plans = PlanDocument.objects.select_related("organisation__region")
    if organisation is not None:
        plans = plans.filter(organisation=organisation)
    if is_platform_admin(person):
        return plans
    if isinstance(person, User) and person.is_active:
        mine = Membership.objects.filter(user=person).values("organisation_id")
        return plans.filter(Q(published=True) | Q(organisation_id__in=mine))
    return plans.filter(published=True)
