"""Plain data for the materiality analysis and the goal set, shared by the pure analysis and
export modules. Built from the database by reads.py; no Django inside."""

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class RatingData:
    target: str  # e.g. "11.6"
    rater: str  # the rater's name or e-mail, for the CSV export
    importance: int  # 1 (low) … 5 (high): how important the issue is for the community now
    influence: int  # 1 … 5: how much the municipality can influence it
    comment: str = ""


@dataclass(frozen=True)
class TargetRef:
    code: str  # "11.6"
    goal: int  # 11
    title: str  # in the workspace's language


@dataclass(frozen=True)
class IndicatorData:
    name: str
    unit: str
    direction: str  # "higher", "lower" or "neutral" is better
    baseline_value: float | None
    baseline_year: int | None
    target_value: float | None
    target_year: int | None
    library_id: str = ""  # id in Lokalmål's indicator library, when chosen from it


@dataclass(frozen=True)
class GoalData:
    id: int
    kind: str  # "samfunnsmaal" (community goal) or "delmaal" (sub-goal)
    title: str
    description: str
    strategies: str
    responsible_unit: str
    targets: tuple[TargetRef, ...]
    indicators: tuple[IndicatorData, ...]
    parent_id: int | None = None


@dataclass(frozen=True)
class GoalSetData:
    organisation: str  # "Volda kommune"
    title: str  # "Kommuneplanens samfunnsdel 2025–2037"
    plan_type_label: str
    language: str  # "nb" or "nn": the language of the export
    status_label: str
    adopted_on: date | None
    case_number: str
    priorities: tuple[TargetRef, ...]
    goals: tuple[GoalData, ...] = field(default_factory=tuple)
