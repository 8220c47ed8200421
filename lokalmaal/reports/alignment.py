"""County ↔ municipality alignment: which SDG targets the county and its municipalities both
prioritise, which only the county, and which several municipalities but not the county.

Pure: sets of target codes in, three lists out. Only published goal sets go in, so every
municipality named here has published its priorities.
"""

from collections.abc import Mapping, Set
from dataclasses import dataclass

from lokalmaal.localgoals.analysis import target_sort_key

SEVERAL = 2  # municipalities that make a target worth naming when the county lacks it


@dataclass(frozen=True)
class AlignedTarget:
    code: str
    municipalities: tuple[str, ...]  # names, sorted


@dataclass(frozen=True)
class Alignment:
    both: tuple[AlignedTarget, ...]
    county_only: tuple[AlignedTarget, ...]
    municipalities_only: tuple[AlignedTarget, ...]  # by how many prioritise it, most first


def align(county: Set[str], municipalities: Mapping[str, Set[str]]) -> Alignment:
    """`county`: the county's prioritised targets; `municipalities`: name → prioritised targets."""
    by_target: dict[str, list[str]] = {}
    for name, targets in municipalities.items():
        for code in targets:
            by_target.setdefault(code, []).append(name)

    def entry(code: str) -> AlignedTarget:
        return AlignedTarget(code, tuple(sorted(by_target.get(code, []))))

    both = [entry(c) for c in sorted(county & by_target.keys(), key=target_sort_key)]
    county_only = [entry(c) for c in sorted(county - by_target.keys(), key=target_sort_key)]
    others = [
        entry(c)
        for c in sorted(by_target.keys() - county, key=target_sort_key)
        if len(by_target[c]) >= SEVERAL
    ]
    others.sort(key=lambda t: -len(t.municipalities))  # stable: target order within a count
    return Alignment(tuple(both), tuple(county_only), tuple(others))
