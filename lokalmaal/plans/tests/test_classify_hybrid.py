"""The classifier the platform uses (lexicon + embedding similarity) on fixed passages, its
interface, its evidence, its stored target vectors and that it needs no network."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from lokalmaal.plans import embed
from lokalmaal.plans.classify import Classifier, Evidence, Result, Similarity, get_classifier

CLEAR = {
    "nb": (
        "Kommunen skal redusere klimagassutslippene med 60 prosent innen 2030. Utslippene fra "
        "veitrafikk og anleggsmaskiner er størst, og kommunen vil kreve fossilfrie byggeplasser.",
        13,
    ),
    "nn": (
        "Fleire born og unge fell frå i vidaregåande skule. Kommunen vil styrkje leseopplæringa "
        "på barnesteget og gi tett oppfølging til elevar som treng ekstra hjelp i skulen.",
        4,
    ),
    "en": (
        "Domestic violence shelters reported a rise in women seeking protection from violent "
        "partners. The action plan funds more shelter places and training for police officers "
        "on violence against women.",
        5,
    ),
}
GRAZING = (  # one weak lexicon term: only the embedding can make it a goal
    "Utmarksbeite er en viktig ressurs for sau- og geitenæringen i kommunen. Kommunen skal "
    "revidere beitebruksplanen, kartlegge beiteressursene og søke midler til sperregjerder "
    "og ferister i samarbeid med beitelagene."
)
NOTHING = "Møtet starter klokka ni i kommunestyresalen. Kaffe og rundstykker blir servert."


@pytest.fixture(scope="module")
def results() -> dict[str, Result]:
    texts = [text for text, _ in CLEAR.values()] + [NOTHING]
    found = get_classifier().classify_many(texts)
    return dict(zip([*CLEAR, "nothing"], found, strict=True))


@pytest.mark.parametrize("language", CLEAR)
def test_a_clear_passage_gets_its_goal_first_in_each_language(results, language):
    result = results[language]
    assert result.sdgs[0] == CLEAR[language][1]
    assert len(result.sdgs) <= 3


def test_a_passage_about_nothing_gets_no_goal(results):
    assert results["nothing"].sdgs == []
    assert results["nothing"].targets == []


def test_every_reported_goal_has_evidence(results):
    for result in results.values():
        for goal in result.sdgs:
            terms = [e for e in result.evidence if e.target.split(".")[0] == str(goal)]
            closest = [s for s in result.similar if s.target.split(".")[0] == str(goal)]
            assert terms or closest
            assert all(isinstance(e, Evidence) and e.matched for e in terms)
        for similar in result.similar:
            assert isinstance(similar, Similarity)
            assert similar.description
            assert 0 < similar.similarity <= 1
        for target in result.targets:
            assert int(target.split(".")[0]) in result.sdgs
        assert all(str(goal) in result.scores for goal in result.sdgs)


def test_the_classifier_is_loaded_once_and_keeps_its_interface():
    assert get_classifier() is get_classifier()
    result = get_classifier().classify_many(["Vi skal bygge flere kommunale utleieboliger."])[0]
    for name in ("sdgs", "targets", "scores", "target_scores", "evidence", "similar"):
        assert hasattr(result, name)
    assert get_classifier().classify_many([]) == []


def test_the_lexicon_alone_is_still_available():
    text = CLEAR["nb"][0]
    result = Classifier(use_embeddings=False).classify_many([text])[0]
    assert result.sdgs[0] == 13
    assert result.similar == []


def test_target_vectors_are_in_step_with_the_catalogue_texts():
    """If this fails, the catalogue texts changed: run `python -m lokalmaal.plans.embed`."""
    stored = embed.target_vectors()
    descriptions = embed.target_descriptions(Path(settings.DATA_DIR))
    assert stored.fingerprint == embed.fingerprint(descriptions)
    assert len(set(stored.targets)) == 169
    assert stored.vectors.shape == (len(descriptions), 384)


def test_classification_needs_no_network():
    script = (
        "import socket\n"
        "def refuse(*a, **k):\n"
        "    raise RuntimeError('network used')\n"
        "socket.socket.connect = refuse\n"
        "socket.create_connection = refuse\n"
        "socket.getaddrinfo = refuse\n"
        "from lokalmaal.plans.classify import get_classifier\n"
        "print(get_classifier().classify_many(['Kommunen skal redusere klimagassutslippene "
        "fra veitrafikken.'])[0].sdgs)\n"
    )
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HTTPS_PROXY": "http://127.0.0.1:9"}
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parents[3],
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "13" in done.stdout


def test_plan_classify_round_trip_in_three_languages(monkeypatch, capsys):
    lines: list[dict[str, object]] = [
        {"id": language, "text": text} for language, (text, _) in CLEAR.items()
    ]
    lines.append({"id": 7, "text": NOTHING})
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(json.dumps(x) for x in lines)))
    call_command("plan", "classify")
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [o["id"] for o in out] == ["nb", "nn", "en", 7]
    assert [o["sdgs"][:1] for o in out] == [[13], [4], [5], []]
    assert all(set(o) == {"id", "sdgs", "targets", "scores"} for o in out)


def test_similarity_confirms_weak_lexical_evidence():
    """One weak term ("beite…") is not enough for the lexicon; the passage's closeness to the
    descriptions of goal 2 makes it enough, and the closest description is kept as evidence."""
    text = GRAZING
    assert Classifier(use_embeddings=False).classify_many([text])[0].sdgs == []
    result = get_classifier().classify_many([text])[0]
    assert result.sdgs == [2]
    assert [s.target.split(".")[0] for s in result.similar] == ["2"]
    assert result.scores["2"] > 2.0


def test_passages_left_when_the_time_budget_runs_out_keep_the_lexicon_answer_and_say_so():
    results = Classifier(time_budget=0.0).classify_many([GRAZING] * 10)
    embedded = [r for r in results if r.embedded]
    assert 0 < len(embedded) < 10
    assert all(r.similar for r in embedded)
    assert all(r.sdgs == [] and not r.similar for r in results if not r.embedded)


def test_similarity_alone_adds_a_goal_when_its_lift_reaches_the_goals_threshold():
    """The rule on given lifts: goal 4 has no term; it becomes a candidate at its own threshold,
    enters at the reporting threshold and rises with the margin; below it, it is not a
    candidate. A goal with a term is scored as before."""
    from lokalmaal.plans import hybrid

    alone = dict.fromkeys(range(1, 18), 0.05)
    off = (0, 9.0)  # no fill rule
    lifts = np.zeros(17)
    lifts[3] = 0.049
    assert 4 not in hybrid.goal_scores(lifts, {}, weight=100.0, alone=alone, fill_rule=off)
    lifts[3] = 0.05
    assert hybrid.goal_scores(lifts, {}, weight=100.0, alone=alone, fill_rule=off) == {4: 2.0}
    lifts[3] = 0.07
    scores = hybrid.goal_scores(lifts, {"13": 3.0}, weight=100.0, alone=alone, fill_rule=off)
    assert scores == pytest.approx({4: 4.0, 13: 3.0})
    assert hybrid.choose(scores, {"13": 3.0}, cutoff=0.5) == [4, 13]
    assert hybrid.choose(scores, {"13": 1.0}, cutoff=0.8) == [4]
    # a goal the lexicon alone reports is kept however far similarity ranks another goal
    assert hybrid.choose(scores, {"13": 3.0}, cutoff=0.8) == [4, 13]
    assert hybrid.goal_scores(None, {"13": 3.0}, weight=100.0, alone=alone) == {13: 3.0}


def test_the_nearest_goals_have_the_lower_fill_threshold():
    """The fill rule: the passage's `rank` nearest goals become candidates from the fill lift,
    the others still need their own threshold; short lines never get the fill rule."""
    from lokalmaal.plans import hybrid

    alone = dict.fromkeys(range(1, 18), 0.05)
    lifts = np.zeros(17)
    lifts[[3, 10, 12]] = [0.03, 0.025, 0.02]  # goals 4, 11 and 13, nearest first
    assert hybrid.goal_scores(lifts, {}, weight=100.0, alone=alone, fill_rule=(0, 9.0)) == {}
    scores = hybrid.goal_scores(lifts, {}, weight=100.0, alone=alone, fill_rule=(2, 0.02))
    assert scores == pytest.approx({4: 3.0, 11: 2.5})
    assert hybrid.fill_for("Møtet er 12. mars.") == (0, 9.0)
    assert hybrid.fill_for(GRAZING) == hybrid.fill()


def test_the_calibration_names_a_threshold_for_every_goal():
    from lokalmaal.plans import hybrid

    calibration = hybrid.calibration()
    assert set(calibration["alone"]) == {str(goal) for goal in range(1, 18)}
    assert calibration["embed_weight"] > 0
    assert 0 < calibration["relative_cutoff"] <= 1


def test_plan_classify_answers_the_lines_before_a_bad_one(monkeypatch, capsys):
    good = json.dumps({"id": "a", "text": CLEAR["nb"][0]})
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{good}\n[1, 2]\n"))
    with pytest.raises(CommandError, match="Line 2"):
        call_command("plan", "classify")
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(o["id"], o["sdgs"][:1]) for o in out] == [("a", [13])]
