"""Similar municipalities ("peers") from structural variables. Pure functions; no Django.

Each feature is standardised to z-scores over all profiles given (after a log transform for
skewed size variables), and the distance between two municipalities is the root mean square of
their z-score differences over the features both have: sqrt(Σ w·Δz² / Σ w). Dividing by the
shared features keeps a municipality with missing values from looking closer; up to a constant
factor this is the "nan-Euclidean" distance scikit-learn uses for data with gaps. METHOD.md
explains the choices.
"""

import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from lokalmaal.indicators.analysis import format_number

MIN_SHARED = 2  # fewer shared features says too little about similarity
DIFFERENT_Z = 0.5  # a feature "differs" when the two are half a standard deviation apart or more
SHOWN = 3  # features named in `closest` and in `differs`


@dataclass(frozen=True)
class Feature:
    """How a structural variable is labelled and transformed."""

    label: str
    unit: str = ""
    log: bool = False  # log before z-scores: for right-skewed sizes (a few very large values)


# Defaults for the variables the peer page uses; other keys work too, untransformed.
FEATURES: dict[str, Feature] = {
    "population": Feature("population", log=True),
    "density": Feature("population density", " per km²", log=True),
    "population_growth": Feature("population growth", "%"),
    "growth_2017_2024": Feature("population growth 2017–2024", "%"),
    "share_67_plus": Feature("share aged 67+", "%"),
    "share_0_19": Feature("share aged 0–19", "%"),
    "centrality": Feature("centrality index"),
    "area": Feature("area", " km²", log=True),
}

# (lowest population, label) for size_class, smallest first.
SIZE_CLASSES: tuple[tuple[int, str], ...] = (
    (0, "under 2\u00a0000"),
    (2_000, "2\u00a0000–4\u00a0999"),
    (5_000, "5\u00a0000–9\u00a0999"),
    (10_000, "10\u00a0000–19\u00a0999"),
    (20_000, "20\u00a0000–49\u00a0999"),
    (50_000, "50\u00a0000 and over"),
)


@dataclass(frozen=True)
class Profile:
    code: str
    name: str
    features: dict[str, float | None]


@dataclass(frozen=True)
class Match:
    """A similar municipality. `closest` and `differs` hold (feature, English text) pairs, the
    text naming the match's value first, e.g. ("population", "population 10 512 vs 11 093");
    `values` has (match's value, reference value) for every shared feature, for translation."""

    code: str
    name: str
    distance: float
    closest: list[tuple[str, str]]
    differs: list[tuple[str, str]]
    values: dict[str, tuple[float, float]]


def similar(
    profiles: Sequence[Profile],
    code: str,
    k: int = 10,
    weights: dict[str, float] | None = None,
    *,
    log: Mapping[str, bool] | None = None,
) -> list[Match]:
    """The `k` profiles nearest to `code`, nearest first, ties broken by code.

    `weights` scales features (missing key = 1.0, 0 = leave out); `log` overrides the default
    log transform per feature. Profiles sharing fewer than two usable features with `code` are
    left out. Raises KeyError for an unknown code.
    """
    by_code = {profile.code: profile for profile in profiles}
    if code not in by_code:
        raise KeyError(f"no profile with code {code!r}")
    if any(w < 0 for w in (weights or {}).values()):
        raise ValueError("weights must not be negative")
    z = _zscores(profiles, log or {})
    reference = by_code[code]
    matches = [
        match
        for other in profiles
        if other.code != code and (match := _match(reference, other, z, weights or {})) is not None
    ]
    matches.sort(key=lambda m: (round(m.distance, 12), m.code))  # rounding: float-noise ties
    return matches[: max(k, 0)]


def explain(match: Match) -> str:
    """One plain English sentence on why `match` is similar; the page can build its own from
    `match.closest`, `match.differs` and `match.values`."""
    alike = _join([text for _, text in match.closest])
    unlike = _join([text for _, text in match.differs])
    whose = f"({match.name}'s figures first)"
    if alike and unlike:
        return f"{match.name} is most alike in {alike}, and differs most in {unlike} {whose}."
    if alike:
        return f"{match.name} is most alike in {alike}, and differs little otherwise {whose}."
    return f"{match.name} is among the closest available, but differs in {unlike} {whose}."


def size_class(population: float) -> str:
    """SSB-like population size class, e.g. "5 000–9 999" (no-break spaces). The fallback for
    grouping when SSB's KOSTRA groups (which combine size with economy) are unavailable."""
    if population < 0:
        raise ValueError("population cannot be negative")
    return next(label for lowest, label in reversed(SIZE_CLASSES) if population >= lowest)


def median(values: Iterable[float | None]) -> float | None:
    """Median of the values present (None and NaN are skipped); None when there are none."""
    present = [value for value in values if value is not None and not math.isnan(value)]
    return statistics.median(present) if present else None


# Standardising


def _feature(key: str) -> Feature:
    return FEATURES.get(key, Feature(key.replace("_", " ")))


def _transform(value: float | None, use_log: bool) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    if use_log:
        # log needs a positive value; zero or negative counts as missing for this feature
        return math.log(value) if value > 0 else None
    return value


def _zscores(profiles: Sequence[Profile], log: Mapping[str, bool]) -> dict[str, dict[str, float]]:
    """z-score per profile code and feature; features without spread are left out, since they
    cannot tell municipalities apart."""
    keys = sorted({key for profile in profiles for key in profile.features})
    z: dict[str, dict[str, float]] = {profile.code: {} for profile in profiles}
    for key in keys:
        use_log = log.get(key, _feature(key).log)
        column = {p.code: _transform(p.features.get(key), use_log) for p in profiles}
        present = {c: v for c, v in column.items() if v is not None}
        if len(present) < 2 or (spread := statistics.pstdev(present.values())) == 0:
            continue
        mean = statistics.fmean(present.values())
        for c, v in present.items():
            z[c][key] = (v - mean) / spread
    return z


# Comparing


def _match(
    reference: Profile,
    other: Profile,
    z: dict[str, dict[str, float]],
    weights: Mapping[str, float],
) -> Match | None:
    za, zb = z[reference.code], z[other.code]
    shared = sorted(key for key in za.keys() & zb.keys() if weights.get(key, 1.0) > 0)
    if len(shared) < MIN_SHARED:
        return None
    gaps = {key: abs(za[key] - zb[key]) for key in shared}
    total = sum(weights.get(key, 1.0) for key in shared)
    distance = math.sqrt(sum(weights.get(key, 1.0) * gaps[key] ** 2 for key in shared) / total)
    values = {key: _pair(other, reference, key) for key in shared}
    closest, differs = _split(gaps)
    return Match(
        other.code,
        other.name,
        distance,
        [(key, _describe(key, values[key])) for key in closest],
        [(key, _describe(key, values[key])) for key in differs],
        values,
    )


def _pair(other: Profile, reference: Profile, key: str) -> tuple[float, float]:
    first, second = other.features[key], reference.features[key]
    assert first is not None  # a shared feature has a z-score, so a value, on both sides
    assert second is not None
    return (first, second)


def _split(gaps: dict[str, float]) -> tuple[list[str], list[str]]:
    """Features that differ by half a standard deviation or more, biggest first, and the most
    alike of the rest, smallest first (ties by name), so no feature is in both."""
    differs = sorted((k for k, g in gaps.items() if g >= DIFFERENT_Z), key=lambda k: (-gaps[k], k))
    alike = sorted((k for k, g in gaps.items() if g < DIFFERENT_Z), key=lambda k: (gaps[k], k))
    return alike[:SHOWN], differs[:SHOWN]


def _describe(key: str, pair: tuple[float, float]) -> str:
    feature = _feature(key)
    first, second = (format_number(value) + feature.unit for value in pair)
    return f"{feature.label} {first} vs {second}"


def _join(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} and {parts[-1]}"
