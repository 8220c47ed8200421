"""Reads of the SDG catalogue shared by the pages and the API (one function serves both)."""

from django.db.models import Count, Prefetch
from django.http import Http404
from pydantic import BaseModel

from lokalmaal.catalogue.models import (
    LANGUAGES,
    Goal,
    Indicator,
    LocalMeaning,
    Target,
    TranslatedText,
)
from lokalmaal.catalogue.vocabulary import (
    PLAN_LEVEL_LABELS,
    RELEVANCE_LABELS,
    ROLE_LABELS,
    SERVICE_AREA_LABELS,
    label,
)
from lokalmaal.web.params import GoalNumber


class Text(BaseModel):
    language: str
    title: str
    provenance: str
    reviewed: bool


class GlobalIndicatorOut(BaseModel):
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
    relevance_municipality: str | None
    relevance_county: str | None


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
    indicators: list[GlobalIndicatorOut]


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


class LocalOut(BaseModel):
    """What the target means for a Norwegian municipality and county (Lokalmål's own content)."""

    language: str  # nb or nn; English requests get bokmål
    relevance_municipality: str
    relevance_county: str
    relevance_municipality_label: str
    relevance_county_label: str
    reason: str
    roles: list[str]
    role_labels: list[str]
    service_areas: list[str]
    service_area_labels: list[str]
    plan_levels: list[str]
    plan_level_labels: list[str]
    meaning: str
    measures: list[str]
    legal_basis: list[str]


class TargetDetail(BaseModel):
    id: str
    goal: GoalRef
    title: str
    provenance: str
    texts: list[Text]
    indicators: list[GlobalIndicatorOut]
    local: LocalOut | None
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


def _indicator(indicator: Indicator, language: str) -> GlobalIndicatorOut:
    provenance, shown = indicator.provenance_in(language)
    return GlobalIndicatorOut(
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


class TargetFilter(BaseModel):
    goal: GoalNumber | None = None
    q: str = ""
    relevance: str = ""  # high, medium, low or not_local, for municipalities
    role: str = ""
    service_area: str = ""


def list_targets(language: str, filters: TargetFilter | None = None) -> list[TargetSummary]:
    """All targets, or those matching a search in any language and the local-meaning filters."""
    filters = filters or TargetFilter()
    # Meta.ordering is not applied to GROUP BY queries, so order explicitly.
    targets = (
        Target.objects.select_related("local")
        .annotate(indicator_count=Count("indicators"))
        .order_by("goal", "position")
    )
    if filters.goal is not None:
        targets = targets.filter(goal_id=filters.goal)
    if filters.relevance:
        targets = targets.filter(local__relevance_municipality=filters.relevance)
    rows = list(targets)
    if filters.role:
        rows = [t for t in rows if _local(t) and filters.role in _local(t).roles]  # type: ignore[union-attr]
    if filters.service_area:
        rows = [t for t in rows if _local(t) and filters.service_area in _local(t).service_areas]  # type: ignore[union-attr]
    if filters.q.strip():
        rows = [t for t in rows if _matches(t, filters.q)]
    return [
        TargetSummary(
            id=t.code,
            goal=t.goal_id,
            title=t.title_in(language),
            provenance=t.provenance_in(language)[0],
            indicator_count=t.indicator_count,
            relevance_municipality=local.relevance_municipality if (local := _local(t)) else None,
            relevance_county=local.relevance_county if local else None,
        )
        for t in rows
    ]


def _local(target: Target) -> LocalMeaning | None:
    try:
        return target.local
    except LocalMeaning.DoesNotExist:
        return None


def _matches(target: Target, query: str) -> bool:
    """Every word of the query occurs in the target's texts or local meaning (any language).

    Filtering 169 rows in Python keeps the search identical on SQLite and PostgreSQL.
    """
    texts = [target.code, target.title_nb, target.title_nn, target.title_en]
    if (local := _local(target)) is not None:
        texts += [local.meaning_nb, local.meaning_nn, local.reason_nb, local.reason_nn]
        texts += [*local.measures_nb, *local.measures_nn, *local.legal_basis]
    haystack = " ".join(texts).lower()
    return all(word in haystack for word in query.lower().split())


def _local_out(local: LocalMeaning, language: str) -> LocalOut:
    shown = "nn" if language == "nn" else "nb"
    return LocalOut(
        language=shown,
        relevance_municipality=local.relevance_municipality,
        relevance_county=local.relevance_county,
        relevance_municipality_label=label(
            RELEVANCE_LABELS, local.relevance_municipality, language
        ),
        relevance_county_label=label(RELEVANCE_LABELS, local.relevance_county, language),
        reason=getattr(local, f"reason_{shown}"),
        roles=local.roles,
        role_labels=[label(ROLE_LABELS, key, language) for key in local.roles],
        service_areas=local.service_areas,
        service_area_labels=[label(SERVICE_AREA_LABELS, k, language) for k in local.service_areas],
        plan_levels=local.plan_levels,
        plan_level_labels=[label(PLAN_LEVEL_LABELS, key, language) for key in local.plan_levels],
        meaning=getattr(local, f"meaning_{shown}"),
        measures=getattr(local, f"measures_{shown}"),
        legal_basis=local.legal_basis,
    )


def get_target(code: str, language: str) -> TargetDetail:
    target = (
        Target.objects.select_related("goal", "local")
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
        local=_local_out(local, language) if (local := _local(target)) else None,
        previous=codes[index - 1] if index > 0 else None,
        next=codes[index + 1] if index + 1 < len(codes) else None,
    )
