"""/api/v1/plans/: the JSON twins of the plan analysis pages, from the same read functions.

Private analyses are visible only to members of their organisation (logged in on the site);
everyone sees published ones. Uploads go through the pages (/organisasjoner/<slug>/planar/),
which check the file, its size and the rate limit; the API only reads.
"""

from typing import Literal

from django.http import Http404, HttpRequest
from ninja import Router

from lokalmaal.plans import reads
from lokalmaal.plans.access import access_plan, visible_plans
from lokalmaal.plans.models import Status
from lokalmaal.web.params import GoalNumber

type Language = Literal["nb", "nn", "en"]

router = Router(tags=["plans"])


@router.get(
    "/",
    response=list[reads.PlanSummary],
    summary="Plan analyses you may see: published ones, and all of your organisations'",
)
def plan_list(
    request: HttpRequest, organisation: str = "", region: str = ""
) -> list[reads.PlanSummary]:
    plans = visible_plans(request.user)
    if organisation:
        plans = plans.filter(organisation__slug=organisation)
    if region:
        plans = plans.filter(organisation__region__code=region)
    return reads.list_plans(plans)


@router.get(
    "/{plan_id}/",
    response=reads.PlanDetail,
    summary="One analysis: goal coverage, strongest targets, evidence and passages with no goal",
)
def plan_detail(
    request: HttpRequest, plan_id: int, lang: Language = "nb", goal: GoalNumber | None = None
) -> reads.PlanDetail:
    plan = access_plan(request.user, plan_id)
    return reads.get_plan(plan, lang, goal if goal and 1 <= goal <= 17 else None)


@router.get(
    "/{plan_id}/gaps/",
    response=reads.PlanGaps,
    summary="Priority targets the plan does not address, and goals similar municipalities cover",
)
def plan_gaps(request: HttpRequest, plan_id: int, lang: Language = "nb") -> reads.PlanGaps:
    plan = access_plan(request.user, plan_id)
    if plan.status != Status.DONE:
        raise Http404("The analysis is not finished")
    return reads.get_gaps(plan, request.user, lang)


@router.get(
    "/{plan_id}/compare/{other_id}/",
    response=reads.PlanComparison,
    summary="Two analyses of one organisation side by side: what is new and what disappeared",
)
def plan_compare(
    request: HttpRequest, plan_id: int, other_id: int, lang: Language = "nb"
) -> reads.PlanComparison:
    plan = access_plan(request.user, plan_id)
    other = access_plan(request.user, other_id)
    same = other.organisation_id == plan.organisation_id
    if not same or plan.status != Status.DONE or other.status != Status.DONE:
        raise Http404("Only finished analyses of the same organisation can be compared")
    return reads.compare_plans(plan, other, lang)
