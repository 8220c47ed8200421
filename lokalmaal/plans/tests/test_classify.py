"""The term-lexicon classifier on a small lexicon written here, and the JSON Lines interface."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from lokalmaal.plans.classify import classify, read_lexicon

LEXICON = """
[[target]]
id = "11.6"
nb = ["luftkvalitet", "svevestøv", "kildesorter*", "restavfall"]
nn = ["luftkvalitet", "svevestøv", "kjeldesorter*", "restavfall"]
en = ["air quality", "municipal waste"]
strong = ["svevestøv"]

[[target]]
id = "13.1"
nb = ["klimatilpas*", "overvann*", "flom*"]
nn = ["klimatilpas*", "overvatn*", "flaum*"]
en = ["climate adaptation", "flood*"]
strong = ["klimatilpas*"]
"""


@pytest.fixture
def lexicon(tmp_path: Path):
    (tmp_path / "lexicon.toml").write_text(LEXICON, encoding="utf-8")
    return read_lexicon(tmp_path)


def test_bokmaal_stems_and_words_find_the_target(lexicon):
    result = classify("Kommunen skal bedre kildesorteringen og redusere restavfall.", lexicon)
    assert result.sdgs == [11]
    assert result.targets == ["11.6"]
    assert {e.matched for e in result.evidence} == {"kildesorteringen", "restavfall"}


def test_nynorsk_and_english_phrases_match(lexicon):
    assert classify("Vi må handtere overvatn og flaum betre.", lexicon).sdgs == [13]
    assert (
        classify("Better air quality in the town centre.", lexicon).sdgs == []
    )  # one weak term is not enough
    assert classify("Air quality and municipal waste are both improving.", lexicon).sdgs == [11]


def test_a_strong_term_alone_is_enough_and_goals_are_ranked_by_score(lexicon):
    result = classify("Klimatilpasning og svevestøv. Flomsikring og overvannshåndtering.", lexicon)
    assert result.sdgs == [13, 11]
    assert result.scores["13"] > result.scores["11"]


def test_a_term_counts_once_per_passage(lexicon):
    result = classify("restavfall restavfall restavfall", lexicon)
    assert result.target_scores == {"11.6": 1.0}
    assert result.sdgs == []


def test_boilerplate_addresses_no_goal(lexicon):
    assert classify("Planen er utarbeidet etter plan- og bygningsloven § 11-2.", lexicon).sdgs == []


def test_plan_classify_reads_and_writes_json_lines(monkeypatch, capsys):
    lines = [
        {"id": "a", "text": "Kommunen skal arbeide med klimatilpassing, flaum og overvatn."},
        {"id": "b", "text": "Møtet er 12. mars."},
    ]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(json.dumps(x) for x in lines)))
    call_command("plan", "classify")
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [o["id"] for o in out] == ["a", "b"]
    assert set(out[0]) == {"id", "sdgs", "targets", "scores"}
    assert out[1]["sdgs"] == []


@pytest.mark.django_db
def test_the_lexicon_names_only_real_targets_in_all_three_languages():
    from lokalmaal.catalogue.models import Target

    lexicon = read_lexicon()
    assert lexicon.targets
    assert lexicon.targets <= set(Target.objects.values_list("code", flat=True))


# The real lexicon on words a new user met in a real 16-page samfunnsdel (issue 11): statistics
# sources are not goals, care technology is not economic productivity, and planning words for
# stormwater, floods and gender equality (bokmål and nynorsk) point where a planner would.
@pytest.fixture(scope="module")
def real_lexicon():
    return read_lexicon()


@pytest.mark.parametrize(
    "text",
    [
        "Tall fra SSB for grunnkretsene viser at befolkningen i sentrum vokser.",
        "Kjelde: SSB, KOSTRA og Kommunehelsa statistikkbank.",
    ],
)
def test_statistics_sources_are_not_evidence_of_a_goal(real_lexicon, text):
    result = classify(text, real_lexicon)
    assert result.sdgs == []
    assert not any(e.target.startswith("17.") for e in result.evidence)


@pytest.mark.parametrize(
    ("text", "goal", "not_goal"),
    [
        ("Kommunen skal ta i bruk velferdsteknologi som digitalt tilsyn i hjemmetjenesten.", 3, 8),
        ("Vi vil bygge en heltidskultur i helse og omsorg.", 8, 5),
        ("Kommunen skal arbeide aktivt for likestilling i alle einingar og tenester.", 5, 16),
        ("Overvann skal handteres lokalt med regnbed, grønne tak og åpne vannveier.", 13, 6),
        ("Overvatn skal handterast med regnbed og grøne tak, og flaumvegar skal sikrast.", 13, 6),
        ("Flommen i 2023 ga store skader på veger og bustader langs elva.", 11, 17),
    ],
)
def test_planning_words_point_to_the_goal_a_planner_would_name(real_lexicon, text, goal, not_goal):
    result = classify(text, real_lexicon)
    assert goal in result.sdgs
    assert not_goal not in result.sdgs


def test_no_lexicon_term_is_on_the_stop_list(real_lexicon):
    from lokalmaal.plans.classify import stop_terms

    stop = stop_terms()
    assert {"ssb", "grunnkrets*"} <= stop
    terms = {
        t.text for ts in [*real_lexicon.exact.values(), *real_lexicon.stems.values()] for t in ts
    }
    assert not terms & stop
