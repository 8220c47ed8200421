"""Reads of plan analyses shared by the pages, the exports, the API and the command line."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import DatabaseError
from django.utils.translation import gettext
from pydantic import BaseModel

from lokalmaal.accounts.models import Organisation
from lokalmaal.accounts.permissions import Person
from lokalmaal.plans import analyse
from lokalmaal.plans.analyse import PassageData
from lokalmaal.plans.extract import ExtractionError
from lokalmaal.plans.models import (
    INTERNAL,
    INTERNAL_MESSAGE,
    Passage,
    PlanDocument,
    PlanType,
    Status,
)

EVIDENCE_ON_PAGE = 40  # passages shown without a goal filter; the filter shows all of one goal
SILENT_ON_PAGE = 100


@dataclass(frozen=True)
class Titles:
    """Goal and target titles in one language; empty when the catalogue is not loaded."""

    goals: dict[int, str] = field(default_factory=dict)
    targets: dict[str, str] = field(default_factory=dict)

    def goal(self, number: int) -> str:
        return self.goals.get(number, "")

    def target(self, code: str) -> str:
        return self.targets.get(code, "")


def titles(language: str) -> Titles:
    from lokalmaal.catalogue.models import Goal, Target

    try:
        return Titles(
            goals={g.number: g.short_in(language) for g in Goal.objects.all()},
            targets={t.code: t.title_in(language) for t in Target.objects.all()},
        )
    except DatabaseError:  # the command line without a migrated database
        return Titles()


class PlanSummary(BaseModel):
    id: int
    title: str
    organisation: str
    organisation_name: str
    region_code: str | None
    plan_type: str
    plan_type_label: str
    year: int | None
    kind: str
    filename: str
    status: str
    status_label: str
    failure_message: str
    page_count: int | None
    published: bool
    created_at: str
    analysed_at: str | None


class GoalCoverageOut(BaseModel):
    goal: int
    title: str
    passages: int
    share: float  # 0–1 of the body passages
    percent: float
    score: float
    pages: list[int]
    pages_text: str  # e.g. "3–5, 9"
    sections: list[str]


class PlanTargetOut(BaseModel):
    code: str
    title: str
    goal: int
    score: float
    passages: int
    pages: list[int]


class MatchOut(BaseModel):
    target: str
    target_title: str
    term: str
    matched: str


class ClosestOut(BaseModel):
    """The target description closest to the passage among a reported goal's descriptions."""

    goal: int
    target: str
    target_title: str
    description: str
    similarity: float


class SegmentOut(BaseModel):
    text: str
    target: str | None


class PassageOut(BaseModel):
    number: int
    page: int | None
    section: str
    text: str
    heading: bool
    goals: list[int]
    targets: list[str]
    scores: dict[str, float]
    evidence: list[MatchOut]
    closest: list[ClosestOut]
    embedded: bool  # False: the word list alone, the similarity step ran out of time
    segments: list[SegmentOut]


class AnalysisOut(BaseModel):
    body_passages: int
    # body passages classified by the word list alone because the similarity step ran out of
    # time; 0 when the full method ran on every passage
    not_embedded: int
    addressed_goals: list[int]
    coverage: list[GoalCoverageOut]
    targets: list[PlanTargetOut]
    goal: int | None  # the goal the evidence is filtered by
    evidence: list[PassageOut]
    evidence_total: int
    silent: list[PassageOut]
    silent_total: int


class PlanDetail(PlanSummary):
    analysis: AnalysisOut | None  # None until the analysis is done


def failure_message(plan: PlanDocument) -> str:
    """Why the analysis failed, in the reader's language where the reason is known."""
    if plan.status != Status.FAILED:
        return ""
    if plan.failure_details:
        try:
            return str(ExtractionError.from_json(plan.failure_details))
        except (KeyError, TypeError, ValueError):
            pass
    if plan.failure_code == INTERNAL:
        return gettext(INTERNAL_MESSAGE)
    return plan.failure_message


def summary(plan: PlanDocument) -> PlanSummary:
    organisation = plan.organisation
    return PlanSummary(
        id=plan.pk,
        title=plan.title,
        organisation=organisation.slug,
        organisation_name=organisation.name,
        region_code=organisation.region.code if organisation.region else None,
        plan_type=plan.plan_type,
        plan_type_label=str(PlanType(plan.plan_type).label),
        year=plan.year,
        kind=plan.kind,
        filename=plan.filename,
        status=plan.status,
        status_label=str(Status(plan.status).label),
        failure_message=failure_message(plan),
        page_count=plan.page_count,
        published=plan.published,
        created_at=plan.created_at.isoformat(),
        analysed_at=plan.analysed_at.isoformat() if plan.analysed_at else None,
    )


def list_plans(plans: Iterable[PlanDocument]) -> list[PlanSummary]:
    return [summary(p) for p in plans]


def passages_of(plan: PlanDocument) -> list[PassageData]:
    return [
        PassageData(
            number=p.number,
            page=p.page,
            section=p.section,
            text=p.text,
            heading=p.heading,
            goals=tuple(int(g) for g in p.goals),
            targets=tuple(str(t) for t in p.targets),
            scores={str(k): float(v) for k, v in p.scores.items()},
            target_scores={str(k): float(v) for k, v in p.target_scores.items()},
            evidence=analyse.evidence_from_json(p.evidence),
            closest=analyse.closest_from_json(p.closest),
            embedded=p.embedded,
        )
        for p in Passage.objects.filter(document=plan).order_by("number")
    ]


def page_ranges(pages: Sequence[int]) -> str:
    """[3, 4, 5, 9] → "3–5, 9"."""
    parts: list[str] = []
    start = previous = None
    for page in pages:
        if previous is not None and page == previous + 1:
            previous = page
            continue
        if start is not None:
            parts.append(str(start) if start == previous else f"{start}–{previous}")
        start = previous = page
    if start is not None:
        parts.append(str(start) if start == previous else f"{start}–{previous}")
    return ", ".join(parts)


def coverage_out(rows: Iterable[analyse.GoalCoverage], names: Titles) -> list[GoalCoverageOut]:
    return [
        GoalCoverageOut(
            goal=row.goal,
            title=names.goal(row.goal),
            passages=row.passages,
            share=round(row.share, 4),
            percent=round(row.share * 100, 1),
            score=row.score,
            pages=list(row.pages),
            pages_text=page_ranges(row.pages),
            sections=list(row.sections),
        )
        for row in rows
    ]


def passage_out(passage: PassageData, names: Titles, goal: int | None = None) -> PassageOut:
    matches = analyse.relevant_evidence(passage, goal)
    return PassageOut(
        number=passage.number,
        page=passage.page,
        section=passage.section,
        text=passage.text,
        heading=passage.heading,
        goals=list(passage.goals),
        targets=list(passage.targets),
        scores=dict(passage.scores),
        evidence=[
            MatchOut(
                target=m.target, target_title=names.target(m.target), term=m.term, matched=m.matched
            )
            for m in matches
        ],
        closest=[
            ClosestOut(
                goal=analyse.target_sort_key(c.target)[0],
                target=c.target,
                target_title=names.target(c.target),
                description=c.description,
                similarity=c.similarity,
            )
            for c in passage.closest
            if goal is None or analyse.target_sort_key(c.target)[0] == goal
        ],
        embedded=passage.embedded,
        segments=[
            SegmentOut(text=s.text, target=s.target)
            for s in analyse.highlight(passage.text, matches)
        ],
    )


def build_analysis(
    passages: Sequence[PassageData],
    names: Titles,
    goal: int | None = None,
    evidence_limit: int | None = None,
    silent_limit: int | None = None,
    target_limit: int | None = 15,
) -> AnalysisOut:
    """Everything the results page, its API twin, the exports and the command line show."""
    evidence = analyse.evidence_passages(passages, goal)
    silent = analyse.silent_passages(passages)
    return AnalysisOut(
        body_passages=len(analyse.body(passages)),
        not_embedded=analyse.not_embedded(passages),
        addressed_goals=sorted(analyse.addressed_goals(passages)),
        coverage=coverage_out(analyse.coverage(passages), names),
        targets=[
            PlanTargetOut(
                code=t.target,
                title=names.target(t.target),
                goal=t.goal,
                score=t.score,
                passages=t.passages,
                pages=list(t.pages),
            )
            for t in analyse.strongest_targets(passages, target_limit)
        ],
        goal=goal,
        evidence=[passage_out(p, names, goal) for p in evidence[:evidence_limit]],
        evidence_total=len(evidence),
        silent=[passage_out(p, names) for p in silent[:silent_limit]],
        silent_total=len(silent),
    )


def get_plan(
    plan: PlanDocument, language: str, goal: int | None = None, *, full: bool = True
) -> PlanDetail:
    """The plan and, once analysed, its analysis; `full=False` caps the long lists for a page."""
    analysis = None
    if plan.status == Status.DONE:
        analysis = build_analysis(
            passages_of(plan),
            titles(language),
            goal,
            evidence_limit=None if full or goal is not None else EVIDENCE_ON_PAGE,
            silent_limit=None if full else SILENT_ON_PAGE,
            target_limit=None if full else 15,
        )
    return PlanDetail(**summary(plan).model_dump(), analysis=analysis)


# Gaps -----------------------------------------------------------------------------------------


class WorkspaceRef(BaseModel):
    id: int
    title: str


class PriorityGapOut(BaseModel):
    code: str
    title: str
    goal: int
    goal_addressed: bool


class PeerPlanOut(BaseModel):
    id: int
    title: str
    organisation_name: str
    year: int | None
    plan_type_label: str


class PeerGapOut(BaseModel):
    goal: int
    title: str
    covering: int
    peers: int


class PlanGaps(BaseModel):
    plan: PlanSummary
    workspaces: list[WorkspaceRef]  # the workspaces whose priorities were checked
    priorities_total: int
    priority_gaps: list[PriorityGapOut]
    similar_municipalities: list[str]
    same_plan_type: bool  # peer plans are of the same kind as this one
    peer_plans: list[PeerPlanOut]
    peer_gaps: list[PeerGapOut]


def _priorities(organisation: Organisation, viewer: Person) -> tuple[list[WorkspaceRef], set[str]]:
    from lokalmaal.localgoals.access import may_view
    from lokalmaal.localgoals.models import Priority, Workspace

    workspaces = [
        w for w in Workspace.objects.filter(organisation=organisation) if may_view(viewer, w)
    ]
    codes = set(
        Priority.objects.filter(workspace__in=workspaces).values_list("target__code", flat=True)
    )
    with_priorities = set(
        Priority.objects.filter(workspace__in=workspaces).values_list("workspace_id", flat=True)
    )
    refs = [WorkspaceRef(id=w.pk, title=w.title) for w in workspaces if w.pk in with_priorities]
    return refs, codes


def _similar(plan: PlanDocument) -> list[tuple[str, str]]:
    """(code, name) of the municipalities most like the plan's own; none for a county."""
    from lokalmaal.indicators.reads import similar_municipalities

    region = plan.organisation.region
    if region is None or region.kind != "municipality":
        return []
    return [(m.code, m.name) for m in similar_municipalities(region.code)]


def _goals_by_plan(plans: Sequence[PlanDocument]) -> dict[int, set[int]]:
    goals: dict[int, set[int]] = {p.pk: set() for p in plans}
    rows = Passage.objects.filter(document__in=plans, heading=False).values_list(
        "document_id", "goals"
    )
    for document_id, passage_goals in rows:
        goals[document_id].update(int(g) for g in passage_goals)
    return goals


def get_gaps(plan: PlanDocument, viewer: Person, language: str) -> PlanGaps:
    passages = passages_of(plan)
    names = titles(language)
    workspaces, priorities = _priorities(plan.organisation, viewer)
    similar = _similar(plan)
    published = PlanDocument.objects.filter(
        organisation__region__code__in=[code for code, _ in similar],
        published=True,
        status=Status.DONE,
    ).select_related("organisation")
    same_type = list(published.filter(plan_type=plan.plan_type))
    peers = same_type or list(published)
    peer_goals = _goals_by_plan(peers)
    return PlanGaps(
        plan=summary(plan),
        workspaces=workspaces,
        priorities_total=len(priorities),
        priority_gaps=[
            PriorityGapOut(
                code=g.target,
                title=names.target(g.target),
                goal=analyse.target_sort_key(g.target)[0],
                goal_addressed=g.goal_addressed,
            )
            for g in analyse.priority_gaps(passages, priorities)
        ],
        similar_municipalities=[name for _, name in similar],
        same_plan_type=bool(same_type),
        peer_plans=[
            PeerPlanOut(
                id=p.pk,
                title=p.title,
                organisation_name=p.organisation.name,
                year=p.year,
                plan_type_label=str(PlanType(p.plan_type).label),
            )
            for p in peers
        ],
        peer_gaps=[
            PeerGapOut(goal=g.goal, title=names.goal(g.goal), covering=g.covering, peers=g.peers)
            for g in analyse.peer_gaps(
                analyse.addressed_goals(passages), [peer_goals[p.pk] for p in peers]
            )
        ],
    )


# Comparison -----------------------------------------------------------------------------------


class GoalChangeOut(BaseModel):
    goal: int
    title: str
    before_passages: int
    before_percent: float
    after_passages: int
    after_percent: float
    change: str  # new, gone, more, less, same, absent


class TargetChangeOut(BaseModel):
    code: str
    title: str
    before_passages: int
    after_passages: int
    change: str


class PlanComparison(BaseModel):
    before: PlanSummary  # the older document (by year, then upload)
    after: PlanSummary
    goals: list[GoalChangeOut]
    targets: list[TargetChangeOut]
    new_goals: list[int]
    gone_goals: list[int]
    new_targets: list[str]
    gone_targets: list[str]
    # body passages matched by their words: the same in both, and those only in one document
    unchanged_passages: int
    added_total: int
    removed_total: int
    added: list[PassageOut]  # new or rewritten passages that address a goal, the first ones
    removed: list[PassageOut]  # dropped or rewritten passages that addressed a goal


CHANGES_SHOWN = 30  # passages listed on each side of a comparison; the counts cover all of them


def _changed_out(passages: Sequence[PassageData], names: Titles) -> list[PassageOut]:
    """The first passages that address a goal, highlighted (only those shown are built)."""
    return [passage_out(p, names) for p in [p for p in passages if p.goals][:CHANGES_SHOWN]]


def chronological(a: PlanDocument, b: PlanDocument) -> tuple[PlanDocument, PlanDocument]:
    def key(p: PlanDocument) -> tuple[int, str, int]:
        return (p.year or 0, p.created_at.isoformat(), p.pk)

    return (a, b) if key(a) <= key(b) else (b, a)


def compare_plans(a: PlanDocument, b: PlanDocument, language: str) -> PlanComparison:
    before, after = chronological(a, b)
    result = analyse.compare(passages_of(before), passages_of(after))
    names = titles(language)
    return PlanComparison(
        before=summary(before),
        after=summary(after),
        goals=[
            GoalChangeOut(
                goal=g.goal,
                title=names.goal(g.goal),
                before_passages=g.before.passages,
                before_percent=round(g.before.share * 100, 1),
                after_passages=g.after.passages,
                after_percent=round(g.after.share * 100, 1),
                change=g.change,
            )
            for g in result.goals
        ],
        targets=[
            TargetChangeOut(
                code=t.target,
                title=names.target(t.target),
                before_passages=t.before,
                after_passages=t.after,
                change=t.change,
            )
            for t in result.targets
        ],
        new_goals=result.new_goals,
        gone_goals=result.gone_goals,
        new_targets=result.new_targets,
        gone_targets=result.gone_targets,
        unchanged_passages=result.passages.unchanged,
        added_total=len(result.passages.added),
        removed_total=len(result.passages.removed),
        added=_changed_out(result.passages.added, names),
        removed=_changed_out(result.passages.removed, names),
    )
