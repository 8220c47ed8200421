"""What a classified plan says about the 17 goals: coverage, strongest targets, evidence, silent
passages, gaps and the difference between two documents.

Pure functions over plain data (no request, no ORM): the pages, the API, the exports and the
`lokalmaal plan analyse` command all build on them.
"""

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from lokalmaal.plans.classify import Similarity

GOALS = range(1, 18)


@dataclass(frozen=True)
class Match:
    """One lexicon term found in a passage: the words it matched and the target it points to."""

    target: str
    term: str
    matched: str


@dataclass(frozen=True)
class PassageData:
    number: int
    page: int | None
    section: str
    text: str
    heading: bool
    goals: tuple[int, ...] = ()  # most confident first
    targets: tuple[str, ...] = ()
    scores: Mapping[str, float] = field(default_factory=dict)  # goal number as text → score
    target_scores: Mapping[str, float] = field(default_factory=dict)
    evidence: tuple[Match, ...] = ()
    closest: tuple[Similarity, ...] = ()  # one per reported goal when the passage was embedded
    # False when the similarity step was skipped for lack of time: the lexicon's answer only
    embedded: bool = True

    @property
    def counted(self) -> bool:
        """Headings are too short to say anything on their own: coverage counts body text only."""
        return not self.heading and bool(self.text.strip())


def passage_from(passage: Any, result: Any) -> PassageData:
    """Join an extracted passage (extract.Passage) with its classification (classify.Result)."""
    return PassageData(
        number=passage.number,
        page=passage.page,
        section=passage.section,
        text=passage.text,
        heading=passage.heading,
        goals=tuple(result.sdgs),
        targets=tuple(result.targets),
        scores=dict(result.scores),
        target_scores=dict(result.target_scores),
        evidence=tuple(Match(e.target, e.term, e.matched) for e in result.evidence),
        closest=tuple(result.similar),
        embedded=result.embedded,
    )


def evidence_to_json(evidence: Iterable[Match]) -> list[dict[str, str]]:
    return [{"target": m.target, "term": m.term, "matched": m.matched} for m in evidence]


def evidence_from_json(items: Iterable[Mapping[str, Any]]) -> tuple[Match, ...]:
    return tuple(
        Match(str(i.get("target", "")), str(i.get("term", "")), str(i.get("matched", "")))
        for i in items
    )


def closest_to_json(closest: Iterable[Similarity]) -> list[dict[str, Any]]:
    return [
        {
            "target": c.target,
            "kind": c.kind,
            "description": c.description,
            "similarity": c.similarity,
        }
        for c in closest
    ]


def closest_from_json(items: Iterable[Mapping[str, Any]]) -> tuple[Similarity, ...]:
    return tuple(
        Similarity(
            target=str(i.get("target", "")),
            description=str(i.get("description", "")),
            kind=str(i.get("kind", "")),
            similarity=float(i.get("similarity", 0.0)),
        )
        for i in items
    )


def not_embedded(passages: Iterable[PassageData]) -> int:
    """Body passages that got the lexicon's answer only because the similarity step ran out of
    time: the analysis is degraded when this is not 0, and the pages and exports say so."""
    return sum(1 for p in body(passages) if not p.embedded)


# Coverage --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoalCoverage:
    goal: int
    passages: int  # body passages classified under the goal
    share: float  # of all body passages, 0–1
    score: float  # the goal's summed score over those passages
    pages: tuple[int, ...]
    sections: tuple[str, ...]


def body(passages: Iterable[PassageData]) -> list[PassageData]:
    return [p for p in passages if p.counted]


def coverage(passages: Sequence[PassageData]) -> list[GoalCoverage]:
    """One row per goal 1–17, also for goals the plan never addresses (zero rows matter)."""
    counted = body(passages)
    total = len(counted)
    rows = []
    for goal in GOALS:
        hits = [p for p in counted if goal in p.goals]
        pages = sorted({p.page for p in hits if p.page is not None})
        sections = list(dict.fromkeys(p.section for p in hits if p.section))
        rows.append(
            GoalCoverage(
                goal=goal,
                passages=len(hits),
                share=len(hits) / total if total else 0.0,
                score=round(sum(p.scores.get(str(goal), 0.0) for p in hits), 2),
                pages=tuple(pages),
                sections=tuple(sections),
            )
        )
    return rows


def addressed_goals(passages: Iterable[PassageData]) -> set[int]:
    return {goal for p in body(passages) for goal in p.goals}


def addressed_targets(passages: Iterable[PassageData]) -> set[str]:
    return {target for p in body(passages) for target in p.targets}


@dataclass(frozen=True)
class TargetStrength:
    target: str
    goal: int
    score: float
    passages: int
    pages: tuple[int, ...]


def target_sort_key(code: str) -> tuple[int, int, str]:
    """11.6 before 11.a before 12.1: numbers in order, then the lettered means of implementation."""
    goal, _, part = code.partition(".")
    return (int(goal) if goal.isdigit() else 99, int(part) if part.isdigit() else 99, part)


def strongest_targets(
    passages: Sequence[PassageData], limit: int | None = 15
) -> list[TargetStrength]:
    """Targets reported for at least one passage, by summed score, strongest first."""
    scores: dict[str, float] = defaultdict(float)
    counts: dict[str, int] = defaultdict(int)
    pages: dict[str, set[int]] = defaultdict(set)
    for p in body(passages):
        for target in p.targets:
            scores[target] += p.target_scores.get(target, 0.0)
            counts[target] += 1
            if p.page is not None:
                pages[target].add(p.page)
    ranked = sorted(scores, key=lambda t: (-scores[t], -counts[t], target_sort_key(t)))
    rows = [
        TargetStrength(
            target=t,
            goal=target_sort_key(t)[0],
            score=round(scores[t], 2),
            passages=counts[t],
            pages=tuple(sorted(pages[t])),
        )
        for t in ranked
    ]
    return rows if limit is None else rows[:limit]


def evidence_passages(
    passages: Sequence[PassageData], goal: int | None = None
) -> list[PassageData]:
    """Body passages classified under `goal` (any goal when None), strongest first."""

    def strength(p: PassageData) -> float:
        if goal is not None:
            return p.scores.get(str(goal), 0.0)
        return max((p.scores.get(str(g), 0.0) for g in p.goals), default=0.0)

    hits = [p for p in body(passages) if (goal in p.goals if goal is not None else p.goals)]
    return sorted(hits, key=lambda p: (-strength(p), p.number))


def silent_passages(passages: Sequence[PassageData]) -> list[PassageData]:
    """Body passages the classifier put under no goal, in document order."""
    return [p for p in body(passages) if not p.goals]


def relevant_evidence(passage: PassageData, goal: int | None = None) -> list[Match]:
    """The matches behind the passage's reported goals (or one goal), once per target and words."""
    goals = {goal} if goal is not None else set(passage.goals)
    seen: set[tuple[str, str]] = set()
    matches = []
    for m in sorted(passage.evidence, key=lambda m: target_sort_key(m.target)):
        # Two terms of one target can match the same words ("klimagass*" and "klimagassutslipp*").
        if target_sort_key(m.target)[0] in goals and (m.target, m.matched) not in seen:
            seen.add((m.target, m.matched))
            matches.append(m)
    return matches


# Highlighting ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    text: str
    target: str | None  # the target whose term matched here; None for plain text


def _pattern(matched: str) -> re.Pattern[str] | None:
    words = matched.split()
    if not words:
        return None
    # The classifier lowercases and splits on anything but letters, digits and hyphens; between
    # the words of a phrase the original text may have any spacing or punctuation.
    joined = r"[^\w-]+".join(re.escape(w) for w in words)
    return re.compile(rf"(?<![\w-]){joined}(?![\w-])", re.IGNORECASE)


def highlight(text: str, evidence: Iterable[Match]) -> list[Segment]:
    """Split the text into plain and matched pieces; overlapping matches keep the first."""
    spans: list[tuple[int, int, str]] = []
    for match in evidence:
        pattern = _pattern(match.matched)
        if pattern is None:
            continue
        for found in pattern.finditer(text):
            spans.append((found.start(), found.end(), match.target))
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    segments: list[Segment] = []
    position = 0
    for start, end, target in spans:
        if start < position:
            continue
        if start > position:
            segments.append(Segment(text[position:start], None))
        segments.append(Segment(text[start:end], target))
        position = end
    if position < len(text):
        segments.append(Segment(text[position:], None))
    return segments


# Gaps ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PriorityGap:
    target: str
    goal_addressed: bool  # the plan speaks of the goal, only not of this target


def priority_gaps(passages: Sequence[PassageData], priorities: Iterable[str]) -> list[PriorityGap]:
    """The organisation's priority targets that no passage of the plan addresses."""
    targets = addressed_targets(passages)
    goals = addressed_goals(passages)
    missing = sorted(set(priorities) - targets, key=target_sort_key)
    return [PriorityGap(t, target_sort_key(t)[0] in goals) for t in missing]


@dataclass(frozen=True)
class PeerGap:
    goal: int
    covering: int  # how many of the peer plans address the goal
    peers: int


def peer_gaps(own_goals: set[int], peer_goals: Sequence[set[int]]) -> list[PeerGap]:
    """Goals that at least one peer plan addresses and this plan does not; most common first."""
    rows = []
    for goal in GOALS:
        covering = sum(1 for goals in peer_goals if goal in goals)
        if covering and goal not in own_goals:
            rows.append(PeerGap(goal, covering, len(peer_goals)))
    return sorted(rows, key=lambda r: (-r.covering, r.goal))


# Comparison ------------------------------------------------------------------------------------

NEW = "new"
GONE = "gone"
MORE = "more"
LESS = "less"
SAME = "same"
ABSENT = "absent"


def _change(before: int, after: int, before_share: float, after_share: float) -> str:
    if not before and not after:
        return ABSENT
    if not before:
        return NEW
    if not after:
        return GONE
    # Shares, not counts: a longer revision has more passages about everything.
    if after_share > before_share * 1.25:
        return MORE
    if after_share < before_share * 0.8:
        return LESS
    return SAME


@dataclass(frozen=True)
class GoalChange:
    goal: int
    before: GoalCoverage
    after: GoalCoverage
    change: str


@dataclass(frozen=True)
class TargetChange:
    target: str
    before: int  # passages
    after: int
    change: str


@dataclass(frozen=True)
class PassageChanges:
    """The two documents' body passages matched by their words, not by their position: a
    passage moved, or split differently by a PDF and a Word file, is not a change."""

    unchanged: int
    added: list[PassageData]  # only in the newer document (new or rewritten), document order
    removed: list[PassageData]  # only in the older one


WORDS = re.compile(r"\w+")


def _words(text: str) -> str:
    """The passage's words in order, lowercased: list markers, punctuation and spacing differ
    between formats of one text and do not count."""
    return " ".join(WORDS.findall(text.lower()))


def passage_changes(before: Sequence[PassageData], after: Sequence[PassageData]) -> PassageChanges:
    left = Counter(_words(p.text) for p in body(before))
    added = []
    for passage in body(after):
        key = _words(passage.text)
        if left[key] > 0:
            left[key] -= 1
        else:
            added.append(passage)
    removed = []
    for passage in body(before):
        key = _words(passage.text)
        if left[key] > 0:
            left[key] -= 1
            removed.append(passage)
    return PassageChanges(len(body(after)) - len(added), added, removed)


@dataclass(frozen=True)
class Comparison:
    goals: list[GoalChange]
    targets: list[TargetChange]
    passages: PassageChanges

    @property
    def new_goals(self) -> list[int]:
        return [g.goal for g in self.goals if g.change == NEW]

    @property
    def gone_goals(self) -> list[int]:
        return [g.goal for g in self.goals if g.change == GONE]

    @property
    def new_targets(self) -> list[str]:
        return [t.target for t in self.targets if t.change == NEW]

    @property
    def gone_targets(self) -> list[str]:
        return [t.target for t in self.targets if t.change == GONE]


def _target_counts(passages: Sequence[PassageData]) -> tuple[dict[str, int], int]:
    counts: dict[str, int] = defaultdict(int)
    counted = body(passages)
    for p in counted:
        for target in p.targets:
            counts[target] += 1
    return counts, len(counted)


def compare(before: Sequence[PassageData], after: Sequence[PassageData]) -> Comparison:
    """Goal by goal and target by target: what the later document adds and drops."""
    goal_rows = [
        GoalChange(b.goal, b, a, _change(b.passages, a.passages, b.share, a.share))
        for b, a in zip(coverage(before), coverage(after), strict=True)
    ]
    before_counts, before_total = _target_counts(before)
    after_counts, after_total = _target_counts(after)
    target_rows = []
    for target in sorted(set(before_counts) | set(after_counts), key=target_sort_key):
        b, a = before_counts.get(target, 0), after_counts.get(target, 0)
        share_b = b / before_total if before_total else 0.0
        share_a = a / after_total if after_total else 0.0
        target_rows.append(TargetChange(target, b, a, _change(b, a, share_b, share_a)))
    return Comparison(goal_rows, target_rows, passage_changes(before, after))
