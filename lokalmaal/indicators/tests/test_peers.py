"""Similar municipalities: z-scores, distance over shared features, explanations, size classes.
Hand computations in the comments. No database."""

import math

import pytest

from lokalmaal.indicators.peers import Match, Profile, explain, median, similar, size_class

NB = "\u00a0"  # no-break space between thousands


def profile(code: str, **features: float | None) -> Profile:
    return Profile(code, f"Name {code}", dict(features))


def codes(matches: list[Match]) -> list[str]:
    return [m.code for m in matches]


# Three profiles on two untransformed features x and y:
#   x: 0, 1, 2 → mean 1, population SD √(2/3) = 0.8165
#   y: 0, 0, 3 → mean 1, population SD √((1+1+4)/3) = √2
P = [profile("P1", x=0, y=0), profile("P2", x=1, y=0), profile("P3", x=2, y=3)]


def test_distance_is_root_mean_square_of_z_differences():
    # P1–P2: Δz_x = 1/0.8165 = 1.2247, Δz_y = 0 → √((1.5 + 0)/2) = √0.75 = 0.8660
    # P1–P3: Δz_x = 2/0.8165 = 2.4495, Δz_y = 3/√2 = 2.1213 → √((6 + 4.5)/2) = √5.25 = 2.2913
    matches = similar(P, "P1")
    assert codes(matches) == ["P2", "P3"]
    assert matches[0].distance == pytest.approx(math.sqrt(0.75))
    assert matches[1].distance == pytest.approx(math.sqrt(5.25))


def test_weights_scale_the_features():
    # weights x 3, y 1: P1–P2 √((3·1.5 + 0)/4) = √1.125; P1–P3 √((3·6 + 4.5)/4) = √5.625
    matches = similar(P, "P1", weights={"x": 3, "y": 1})
    assert [m.distance for m in matches] == pytest.approx([math.sqrt(1.125), math.sqrt(5.625)])


def test_weight_zero_leaves_a_feature_out():
    # only x is left: one shared feature is too few, so nobody qualifies
    assert similar(P, "P1", weights={"y": 0}) == []


def test_negative_weight_is_an_error():
    with pytest.raises(ValueError, match="negative"):
        similar(P, "P1", weights={"x": -1})


def test_unknown_code_is_an_error():
    with pytest.raises(KeyError):
        similar(P, "P9")


# Obvious neighbours with the default features (population and density on a log scale)

TOWNS = [
    profile("3001", population=10_000, density=20, share_67_plus=20, centrality=600),
    profile("3002", population=10_500, density=21, share_67_plus=20.5, centrality=605),
    profile("3003", population=8_000, density=15, share_67_plus=22, centrality=570),
    profile("3004", population=500_000, density=2_000, share_67_plus=12, centrality=1000),
    profile("3005", population=1_500, density=1.5, share_67_plus=30, centrality=250),
]


def test_nearest_first_and_the_municipality_itself_left_out():
    # 3002 is within 5 % on everything, 3003 within 25 %; the city and the remote
    # municipality are far away (on a log scale the city's 50× population is further than
    # the remote one's 1/7)
    assert codes(similar(TOWNS, "3001")) == ["3002", "3003", "3005", "3004"]


def test_k_limits_the_list():
    assert codes(similar(TOWNS, "3001", k=2)) == ["3002", "3003"]


def test_k_larger_than_available_returns_all_others():
    assert len(similar(TOWNS, "3001", k=100)) == 4
    assert similar(TOWNS, "3001", k=0) == []


# Log transform

# M is 10 000 between L (1 000) and H (100 000); centrality is symmetric round M.
SIZES = [
    profile("M", population=10_000, centrality=500),
    profile("L", population=1_000, centrality=400),
    profile("H", population=100_000, centrality=600),
]


def test_log_transform_makes_ten_times_bigger_as_far_as_ten_times_smaller():
    # ln: 6.91, 9.21, 11.51 are evenly spaced, so L and H are equally far from M: a tie,
    # broken by code (H before L)
    matches = similar(SIZES, "M")
    assert matches[0].distance == pytest.approx(matches[1].distance)
    assert codes(matches) == ["H", "L"]


def test_without_log_transform_the_large_municipality_dominates():
    # raw: mean 37 000, SD 44 699; M–L 9 000 apart (0.20 SD), M–H 90 000 (2.01 SD)
    assert codes(similar(SIZES, "M", log={"population": False})) == ["L", "H"]


def test_log_of_zero_counts_as_missing():
    # area 0 cannot be logged: Z shares only population with R (one feature, too few)
    profiles = [
        profile("R", population=1_000, area=10),
        profile("A", population=2_000, area=20),
        profile("Z", population=1_000, area=0),
    ]
    assert codes(similar(profiles, "R")) == ["A"]


# Missing features

# Every feature has the values {0, 1, 1}: mean 2/3, SD √(2/9) = 0.4714, so 0 and 1 are
# 1/0.4714 = 2.1213 SD apart on every feature.
GAPS = [
    profile("R", a=0, b=0, c=0),
    profile("Z", a=1, b=1, c=1),
    profile("W", a=1, b=1, c=None),
    profile("V", a=None, b=None, c=1),
]


def test_missing_values_do_not_make_a_municipality_look_closer():
    # Z: √((4.5 + 4.5 + 4.5)/3) = 2.1213; W: √((4.5 + 4.5)/2) = 2.1213 — the same.
    # (A plain Euclidean sum would give W √9 = 3 and Z √13.5 = 3.67: W closer for lacking c.)
    matches = similar(GAPS, "R")
    assert codes(matches) == ["W", "Z"]  # tie, by code
    assert matches[0].distance == pytest.approx(matches[1].distance)
    assert matches[0].distance == pytest.approx(2.1213, abs=1e-4)


def test_fewer_than_two_shared_features_are_left_out():
    # V only has c in common with R
    assert "V" not in codes(similar(GAPS, "R"))


def test_feature_without_spread_is_ignored():
    # k is 7 everywhere: it cannot tell anyone apart, and leaves the distances unchanged
    with_constant = [Profile(p.code, p.name, {**p.features, "k": 7}) for p in P]
    assert [m.distance for m in similar(with_constant, "P1")] == pytest.approx(
        [m.distance for m in similar(P, "P1")]
    )


# Ties


def test_ties_are_broken_by_code_whatever_the_input_order():
    # A and B mirror each other round R: Δz_x equal, Δz_y 0
    profiles = [
        profile("R", x=0, y=0),
        profile("C", x=0, y=5),
        profile("B", x=1, y=0),
        profile("A", x=-1, y=0),
    ]
    assert codes(similar(profiles, "R")) == ["A", "B", "C"]
    assert codes(similar(list(reversed(profiles)), "R")) == ["A", "B", "C"]


# What is alike and what differs, and the sentence

MUNICIPALITIES = [
    Profile("1001", "Here", {"population": 11_093, "share_67_plus": 22.1, "area": 430, "centrality": 600}),
    Profile("1002", "Nome", {"population": 10_512, "share_67_plus": 21.8, "area": 1_234, "centrality": 598}),
    Profile("1003", "Big", {"population": 200_000, "share_67_plus": 14, "area": 100, "centrality": 950}),
    Profile("1004", "Small", {"population": 1_200, "share_67_plus": 28, "area": 3_000, "centrality": 300}),
]  # fmt: skip


def test_closest_and_differs_name_the_features_with_both_values():
    # z-differences Here–Nome: centrality 2/230 = 0.01, ln population 0.054/1.82 = 0.03,
    # share 0.3/4.97 = 0.06 (all alike, smallest first); ln area 1.054/1.267 = 0.83 ≥ 0.5 differs
    nome = similar(MUNICIPALITIES, "1001")[0]
    assert nome.code == "1002"
    assert nome.closest == [
        ("centrality", "centrality index 598 vs 600"),
        ("population", f"population 10{NB}512 vs 11{NB}093"),
        ("share_67_plus", "share aged 67+ 21.8% vs 22.1%"),
    ]
    assert nome.differs == [("area", f"area 1{NB}234 km² vs 430 km²")]
    assert nome.values["population"] == (10_512, 11_093)


def test_explanation_names_what_is_alike_and_what_differs():
    nome = similar(MUNICIPALITIES, "1001")[0]
    assert explain(nome) == (
        f"Nome is most alike in centrality index 598 vs 600, population 10{NB}512 vs 11{NB}093 "
        "and share aged 67+ 21.8% vs 22.1%, "
        f"and differs most in area 1{NB}234 km² vs 430 km² (Nome's figures first)."
    )


def test_explanation_when_nothing_differs_much():
    match = Match("2", "Bø", 0.1, [("x", "x 1 vs 1.1"), ("y", "y 2 vs 2")], [], {})
    assert explain(match) == (
        "Bø is most alike in x 1 vs 1.1 and y 2 vs 2, and differs little otherwise "
        "(Bø's figures first)."
    )


def test_explanation_when_everything_differs():
    # P1–P3 differ by 2.4 and 2.1 SD: nothing is alike
    far = similar(P, "P1")[1]
    assert far.closest == []
    assert explain(far) == (
        "Name P3 is among the closest available, but differs in x 2 vs 0 and y 3 vs 0 "
        "(Name P3's figures first)."
    )


def test_unknown_features_get_a_readable_label():
    # no default for "road_km": label "road km", no unit, no log
    profiles = [
        profile("A", road_km=1, x=0),
        profile("B", road_km=2, x=1),
        profile("C", road_km=9, x=5),
    ]
    nearest = similar(profiles, "A")[0]
    assert ("road_km", "road km 2 vs 1") in nearest.closest + nearest.differs


# Size classes and median


@pytest.mark.parametrize(
    ("population", "label"),
    [
        (0, f"under 2{NB}000"),
        (1_999, f"under 2{NB}000"),
        (1_999.5, f"under 2{NB}000"),
        (2_000, f"2{NB}000–4{NB}999"),
        (4_999, f"2{NB}000–4{NB}999"),
        (5_000, f"5{NB}000–9{NB}999"),
        (9_999, f"5{NB}000–9{NB}999"),
        (10_000, f"10{NB}000–19{NB}999"),
        (19_999, f"10{NB}000–19{NB}999"),
        (20_000, f"20{NB}000–49{NB}999"),
        (49_999, f"20{NB}000–49{NB}999"),
        (50_000, f"50{NB}000 and over"),
        (717_710, f"50{NB}000 and over"),
    ],
)
def test_size_class_boundaries(population, label):
    assert size_class(population) == label


def test_size_class_rejects_negative_population():
    with pytest.raises(ValueError, match="negative"):
        size_class(-1)


@pytest.mark.parametrize(
    ("values", "result"),
    [
        ([3, 1, 2], 2),
        ([4, 1, 3, 2], 2.5),  # (2 + 3) / 2
        ([None, math.nan, 5], 5),  # missing values are skipped
        ([], None),
        ([None], None),
    ],
)
def test_median(values, result):
    assert median(values) == result
