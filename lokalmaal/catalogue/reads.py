"""Reads of the SDG catalogue shared by the pages and the API (one function serves both)."""

from django.db.models import Count, Prefetch
from django.http import Http404
from pydantic import BaseModel

from lokalmaal.catalogue.models import LANGUAGES, Goal, Indicator, Target, TranslatedText


class Text(BaseModel):
    language: str
    title: str
    provenance: str
    reviewed: bool


class IndicatorOut(BaseModel):
    id: str
    title: str
    language: str  # the language the title is in (nn falls back to nb for indicators)
    provenance: str
    reviewed: bool


class TargetSummary(BaseModel):
    id: str
    goal: int
    title: str
    provenance: str
    indicator_count: int


class GoalSummary(BaseModel):
    id: int
    short: str
    title: str
    target_count: int
    indicator_count: int


class TargetOut(BaseModel):
    id: str
    goal: int
    title: str
    provenance: str
    indicators: list[IndicatorOut]


class GoalDetail(BaseModel):
    id: int
    short: str
    title: str
    provenance: str
    texts: list[Text]
    targets: list[TargetOut]


class GoalRef(BaseModel):
    id: int
    short: str
    title: str


class TargetDetail(BaseModel):
    id: str
    goal: GoalRef
    title: str
    provenance: str
    texts: list[Text]
    indicators: list[IndicatorOut]
    previous: str | None
    next: str | None


def _reviewed(provenance: str) -> bool:
    return provenance in {"un", "lokalmaal"}


def _texts(obj: TranslatedText) -> list[Text]:
    texts = []
    for language in LANGUAGES:
        title = getattr(obj, f"title_{language}")
        provenance = getattr(obj, f"provenance_{language}")
        if title:
            texts.append(
                Text(
                    language=language,
                    title=title,
                    provenance=provenance,
                    reviewed=_reviewed(provenance),
                )
            )
    return texts


def _indicator(indicator: Indicator, language: str) -> IndicatorOut:
    provenance, shown = indicator.provenance_in(language)
    return IndicatorOut(
        id=indicator.code,
        title=indicator.title_in(language),
        language=shown,
        provenance=provenance,
        reviewed=_reviewed(provenance),
    )


def _target(target: Target, language: str) -> TargetOut:
    return TargetOut(
        id=target.code,
        goal=target.goal_id,
        title=target.title_in(language),
        provenance=target.provenance_in(language)[0],
        indicators=[_indicator(i, language) for i in target.indicators.all()],
    )


def list_goals(language: str) -> list[GoalSummary]:
    goals = Goal.objects.annotate(
        target_count=Count("targets", distinct=True),
        indicator_count=Count("targets__indicators", distinct=True),
    ).order_by("number")
    return [
        GoalSummary(
            id=g.number,
            short=g.short_in(language),
            title=g.title_in(language),
            target_count=g.target_count,
            indicator_count=g.indicator_count,
        )
        for g in goals
    ]


def get_goal(number: int, language: str) -> GoalDetail:
    goal = (
        Goal.objects.prefetch_related(
            Prefetch("targets", Target.objects.prefetch_related("indicators"))
        )
        .filter(number=number)
        .first()
    )
    if goal is None:
        raise Http404("No such goal")
    return GoalDetail(
        id=goal.number,
        short=goal.short_in(language),
        title=goal.title_in(language),
        provenance=goal.provenance_in(language)[0],
        texts=_texts(goal),
        targets=[_target(t, language) for t in goal.targets.all()],
    )


def list_targets(language: str, goal: int | None = None) -> list[TargetSummary]:
    # Meta.ordering is not applied to GROUP BY queries, so order explicitly.
    targets = Target.objects.annotate(indicator_count=Count("indicators")).order_by(
        "goal", "position"
    )
    if goal is not None:
        targets = targets.filter(goal_id=goal)
    return [
        TargetSummary(
            id=t.code,
            goal=t.goal_id,
            title=t.title_in(language),
            provenance=t.provenance_in(language)[0],
            indicator_count=t.indicator_count,
        )
        for t in targets
    ]


def get_target(code: str, language: str) -> TargetDetail:
    target = (
        Target.objects.select_related("goal")
        .prefetch_related("indicators")
        .filter(code=code)
        .first()
    )
    if target is None:
        raise Http404("No such target")
    codes = list(Target.objects.values_list("code", flat=True))
    index = codes.index(target.code)
    goal = target.goal
    return TargetDetail(
        id=target.code,
        goal=GoalRef(id=goal.number, short=goal.short_in(language), title=goal.title_in(language)),
        title=target.title_in(language),
        provenance=target.provenance_in(language)[0],
        texts=_texts(target),
        indicators=[_indicator(i, language) for i in target.indicators.all()],
        previous=codes[index - 1] if index > 0 else None,
        next=codes[index + 1] if index + 1 < len(codes) else None,
    )
