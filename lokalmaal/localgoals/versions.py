"""Adopted versions of a goal set: the text the council adopted, kept apart from the working
goals so a later revision never changes what the public page says was adopted.

`snapshot` turns the working goals into plain JSON; `shown_content` gives what a page shows:
the newest adopted version for the public, or the working goals for the organisation.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from lokalmaal.localgoals.models import AdoptedVersion, Measure, Workspace

GOAL_FIELDS = (
    "id",
    "version",
    "kind",
    "title",
    "description",
    "strategies",
    "responsible_unit",
    "parent_id",
)
INDICATOR_FIELDS = (
    "id", "name", "unit", "direction", "baseline_value", "baseline_year", "target_value",
    "target_year", "library_id",
)  # fmt: skip


@dataclass(frozen=True)
class Content:
    number: int | None  # None: the working goals, not an adopted version
    adopted_on: date | None
    case_number: str
    body: str
    priorities: list[str]  # target codes
    goals: list[dict[str, Any]]


def snapshot(workspace: Workspace) -> dict[str, Any]:
    """The working goals as plain JSON (target codes, not titles: titles follow the reader)."""
    goals = workspace.goals.prefetch_related("targets", "indicators").order_by("position", "id")
    return {
        "priorities": sorted(
            workspace.priorities.values_list("target__code", flat=True), key=_code_key
        ),
        "goals": [
            {
                **{name: getattr(goal, name) for name in GOAL_FIELDS},
                "targets": [
                    {"code": t.code}
                    for t in sorted(goal.targets.all(), key=lambda t: _code_key(t.code))
                ],
                "indicators": [
                    {name: getattr(i, name) for name in INDICATOR_FIELDS}
                    for i in goal.indicators.all()
                ],
            }
            for goal in goals
        ],
    }


def _code_key(code: str) -> tuple[int, int, str]:
    goal, _, rest = code.partition(".")
    return (int(goal), int(rest) if rest.isdigit() else 100, rest)


def latest(workspace: Workspace) -> AdoptedVersion | None:
    return workspace.versions.order_by("-number").first()


def _measures(goal_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Measures are followed up year by year, so they are always the current ones."""
    found: dict[int, list[dict[str, Any]]] = {}
    for m in Measure.objects.filter(goal_id__in=goal_ids):
        found.setdefault(m.goal_id, []).append(
            {
                "id": m.pk,
                "title": m.title,
                "owner": m.owner,
                "deadline": m.deadline,
                "status": m.status,
                "kostra_functions": m.kostra_functions,
                "plan_link": m.plan_link,
            }
        )
    return found


def shown_content(workspace: Workspace, *, adopted_only: bool) -> Content | None:
    """The newest adopted version (None if there is none) or, for the organisation, the
    working goals."""
    if adopted_only:
        version = latest(workspace)
        if version is None:
            return None
        number: int | None = version.number
        adopted_on: date | None = version.adopted_on
        case, body, data = version.case_number, version.body, version.content
    else:
        number, adopted_on = None, workspace.adopted_on
        case, body, data = workspace.case_number, workspace.adopted_by_body, snapshot(workspace)
    measures = _measures([g["id"] for g in data.get("goals", [])])
    goals = [{**g, "measures": measures.get(g["id"], [])} for g in data.get("goals", [])]
    return Content(number, adopted_on, case, body, list(data.get("priorities", [])), goals)
