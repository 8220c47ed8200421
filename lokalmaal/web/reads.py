"""The home page's read, shared with /api/v1/."""

from pydantic import BaseModel

from lokalmaal.catalogue.models import Goal, Indicator, Target
from lokalmaal.catalogue.reads import GoalSummary, list_goals
from lokalmaal.regions.models import Region, RegionKind


class Counts(BaseModel):
    goals: int
    targets: int
    indicators: int
    municipalities: int
    counties: int


class HomeOut(BaseModel):
    counts: Counts
    goals: list[GoalSummary]


def get_home(language: str) -> HomeOut:
    return HomeOut(
        counts=Counts(
            goals=Goal.objects.count(),
            targets=Target.objects.count(),
            indicators=Indicator.objects.count(),
            municipalities=Region.objects.filter(kind=RegionKind.MUNICIPALITY).count(),
            counties=Region.objects.filter(kind=RegionKind.COUNTY).count(),
        ),
        goals=list_goals(language),
    )
