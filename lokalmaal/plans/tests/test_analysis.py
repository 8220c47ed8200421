"""The analysis of a classified plan (pure functions), the background task and the command line."""

import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from docx import Document as WordDocument

from conftest import make_user
from lokalmaal.plans import analyse, reads
from lokalmaal.plans.actions import PlanInput, do_upload_plan
from lokalmaal.plans.analyse import Match, PassageData
from lokalmaal.plans.models import Passage, PlanDocument, Status
from lokalmaal.plans.tasks import run_analysis

PLAN_TEXT = """# Klima og miljø

Kommunen skal redusere klimagassutslippene med 60 prosent innen 2030, og satse på fornybar energi.

Vi vil ta vare på naturmangfoldet og hindre nedbygging av myr og matjord.

# Oppvekst

Alle barn skal få en god barnehage og grunnskole, og færre elever skal slutte i videregående opplæring.

# Drift

Kommunestyret møtes åtte ganger i året i rådhuset.
"""


class LexicalClassifier:
    """The classifier's lexicon stage alone: deterministic and quick, for tests of what the
    platform does with classified passages. The tests that use the real one say so."""

    lexicon: Any = None

    def classify_many(self, texts, store=None):
        from lokalmaal.plans import classify

        if LexicalClassifier.lexicon is None:
            LexicalClassifier.lexicon = classify.read_lexicon()
        return classify.classify_many(texts, LexicalClassifier.lexicon)


@pytest.fixture
def lexical_classifier(monkeypatch):
    from lokalmaal.plans import tasks

    monkeypatch.setattr(tasks, "get_classifier", LexicalClassifier)


def passage(
    number: int,
    goals: Sequence[int] = (),
    targets: Sequence[str] = (),
    page: int | None = 1,
    section: str = "S",
    text: str = "tekst",
    heading: bool = False,
    **kw: Any,
) -> PassageData:
    return PassageData(
        number=number,
        page=page,
        section=section,
        text=text,
        heading=heading,
        goals=tuple(goals),
        targets=tuple(targets),
        scores=kw.get("scores", {str(g): 2.0 for g in goals}),
        target_scores=kw.get("target_scores", dict.fromkeys(targets, 2.0)),
        evidence=tuple(kw.get("evidence", ())),
    )


# Pure analysis -------------------------------------------------------------------------------


def test_coverage_counts_body_passages_per_goal_with_pages_and_sections():
    passages = [
        passage(1, heading=True, goals=[13], text="Klima", section="Klima"),
        passage(2, goals=[13, 7], page=3, section="Klima"),
        passage(3, goals=[13], page=4, section="Energi"),
        passage(4, page=5),
        passage(5, goals=[4], page=9, section="Oppvekst"),
    ]
    rows = {r.goal: r for r in analyse.coverage(passages)}
    assert len(rows) == 17
    assert rows[13].passages == 2  # the heading does not count
    assert rows[13].share == pytest.approx(0.5)
    assert rows[13].score == 4.0
    assert rows[13].pages == (3, 4)
    assert rows[13].sections == ("Klima", "Energi")
    assert rows[1].passages == 0
    assert rows[1].share == 0.0
    assert [p.number for p in analyse.silent_passages(passages)] == [4]


def test_strongest_targets_are_ranked_by_summed_score():
    passages = [
        passage(1, goals=[11], targets=["11.6"], target_scores={"11.6": 3.0}, page=2),
        passage(2, goals=[11, 3], targets=["11.6", "3.4"], page=7,
                target_scores={"11.6": 2.0, "3.4": 4.0}),
        passage(3, goals=[13], targets=["13.2"], target_scores={"13.2": 1.0}),
    ]  # fmt: skip
    ranked = analyse.strongest_targets(passages)
    assert [(t.target, t.score, t.passages) for t in ranked] == [
        ("11.6", 5.0, 2), ("3.4", 4.0, 1), ("13.2", 1.0, 1),
    ]  # fmt: skip
    assert ranked[0].pages == (2, 7)
    assert analyse.strongest_targets(passages, limit=1)[0].target == "11.6"


def test_highlight_marks_the_matched_words_in_the_original_text():
    text = "Vi vil redusere Klimagassutslippene, og satse på fornybar\nenergi."
    evidence = [Match("13.2", "klimagass*", "klimagassutslippene"),
                Match("7.2", "fornybar energi", "fornybar energi")]  # fmt: skip
    segments = analyse.highlight(text, evidence)
    assert "".join(s.text for s in segments) == text
    marked = [(s.text, s.target) for s in segments if s.target]
    assert marked == [("Klimagassutslippene", "13.2"), ("fornybar\nenergi", "7.2")]


def test_highlight_does_not_mark_part_of_a_longer_word():
    segments = analyse.highlight("myrene og myr", [Match("15.1", "myr", "myr")])
    assert [s.text for s in segments if s.target] == ["myr"]
    assert segments[-1].text == "myr"


def test_priority_gaps_say_whether_the_goal_is_addressed_at_all():
    passages = [passage(1, goals=[3], targets=["3.4"])]
    gaps = analyse.priority_gaps(passages, ["3.4", "3.6", "11.6"])
    assert [(g.target, g.goal_addressed) for g in gaps] == [("3.6", True), ("11.6", False)]


def test_peer_gaps_are_goals_peers_cover_and_the_plan_does_not():
    gaps = analyse.peer_gaps({13}, [{13, 14}, {14, 4}, {13}])
    assert [(g.goal, g.covering, g.peers) for g in gaps] == [(14, 2, 3), (4, 1, 3)]
    assert analyse.peer_gaps({13}, []) == []


def test_comparison_finds_new_and_disappeared_goals_and_targets():
    before = [passage(1, goals=[13], targets=["13.2"]), passage(2, goals=[15], targets=["15.1"])]
    after = [
        passage(1, goals=[13], targets=["13.2"]),
        passage(2, goals=[4], targets=["4.1"]),
        passage(3, goals=[13], targets=["13.2"]),
    ]
    result = analyse.compare(before, after)
    assert result.new_goals == [4]
    assert result.gone_goals == [15]
    assert result.new_targets == ["4.1"]
    assert result.gone_targets == ["15.1"]
    changes = {g.goal: g.change for g in result.goals}
    assert changes[13] == analyse.MORE  # 50 % of passages before, 67 % after
    assert changes[1] == analyse.ABSENT


def test_page_ranges_are_compact():
    assert reads.page_ranges([3, 4, 5, 9, 11, 12]) == "3–5, 9, 11–12"
    assert reads.page_ranges([]) == ""


# The background task -------------------------------------------------------------------------


@pytest.fixture
def immediate_tasks(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"


def test_pasted_text_is_analysed_and_stored_with_the_real_classifier(bergen, immediate_tasks):
    user = make_user("planlegger@bergen.kommune.no")
    plan = do_upload_plan(
        bergen, user, PlanInput("Samfunnsdelen", "samfunnsdel", 2024), text=PLAN_TEXT
    )
    plan.refresh_from_db()
    assert plan.status == Status.DONE
    assert plan.kind == "text"
    stored = list(Passage.objects.filter(document=plan))
    assert [p.heading for p in stored].count(True) == 3
    detail = reads.get_plan(plan, "nb")
    assert detail.analysis is not None
    covered = {row.goal for row in detail.analysis.coverage if row.passages}
    assert {4, 13, 15} <= covered
    assert detail.analysis.silent_total == 1
    assert "rådhuset" in detail.analysis.silent[0].text
    climate = next(p for p in detail.analysis.evidence if 13 in p.goals)
    assert climate.section == "Klima og miljø"
    assert any(m.target == "13.2" and m.target_title for m in climate.evidence)
    assert any(s.target == "13.2" for s in climate.segments)


def test_a_broken_file_fails_its_own_analysis_with_a_message(bergen, immediate_tasks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    user = make_user("planlegger@bergen.kommune.no")
    broken = SimpleUploadedFile("plan.pdf", b"%PDF-1.7\n" + b"\x00garbage" * 500)
    plan = do_upload_plan(
        bergen, user, PlanInput("Øydelagd", "other", None), upload=broken, kind="pdf"
    )
    plan.refresh_from_db()
    assert plan.status == Status.FAILED
    assert plan.failure_code == "corrupt"
    assert reads.failure_message(plan)
    assert not plan.passages.exists()


def test_an_unexpected_error_is_recorded_and_does_not_escape(bergen, immediate_tasks, monkeypatch):
    from lokalmaal.plans import tasks

    def explode(plan):
        raise RuntimeError("boom")

    plan = PlanDocument.objects.create(
        organisation=bergen, title="X", plan_type="other", pasted_text="Tekst."
    )
    monkeypatch.setattr(tasks, "read_document", explode)
    assert run_analysis(plan.pk) == Status.FAILED
    plan.refresh_from_db()
    assert plan.failure_code == "internal"
    with translation.override("en"):
        assert "error on our side" in reads.failure_message(plan)


def test_a_new_analysis_replaces_the_old_passages(bergen, immediate_tasks, lexical_classifier):
    plan = PlanDocument.objects.create(
        organisation=bergen, title="X", plan_type="other", pasted_text=PLAN_TEXT
    )
    run_analysis(plan.pk)
    first = Passage.objects.filter(document=plan).count()
    run_analysis(plan.pk)
    assert Passage.objects.filter(document=plan).count() == first


# The command line ----------------------------------------------------------------------------


def _docx_file(tmp_path: Path) -> Path:
    document = WordDocument()
    document.add_heading("Klima og miljø", level=1)
    document.add_paragraph("Kommunen skal redusere klimagassutslippene med 60 prosent innen 2030.")
    document.add_paragraph("Kommunestyret møtes åtte ganger i året i rådhuset.")
    path = tmp_path / "plan.docx"
    document.save(str(path))
    return path


@pytest.mark.django_db
def test_the_command_prints_the_analysis_as_json_with_the_real_classifier(tmp_path):
    out = io.StringIO()
    call_command("plan", "analyse", str(_docx_file(tmp_path)), "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["kind"] == "docx"
    assert len(data["coverage"]) == 17
    goal_13 = next(row for row in data["coverage"] if row["goal"] == 13)
    assert goal_13["passages"] == 1
    assert data["targets"][0]["code"] == "13.2"
    assert data["targets"][0]["title"]  # from the catalogue in the test database
    assert data["evidence"][0]["section"] == "Klima og miljø"
    assert "rådhuset" in data["silent"][0]["text"]


@pytest.mark.django_db
def test_the_command_prints_the_analysis_as_markdown(tmp_path, lexical_classifier):
    path = tmp_path / "plan.txt"
    path.write_text(PLAN_TEXT, encoding="utf-8")
    out = io.StringIO()
    call_command("plan", "analyse", str(path), "--format", "md", "--lang", "en", stdout=out)
    text = out.getvalue()
    assert "## Coverage of the 17 goals" in text
    assert "**klimagassutslippene**" in text
    assert "13.2" in text
    assert "## Passages that address no goal" in text
    assert "rådhuset" in text


@pytest.mark.django_db
def test_the_command_fails_with_a_message_on_a_bad_file(tmp_path):
    path = tmp_path / "plan.pdf"
    path.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 500)
    with pytest.raises(CommandError) as error:
        call_command("plan", "analyse", str(path), "--lang", "en")
    assert "plan.pdf" in str(error.value)
    assert "damaged" in str(error.value)
    with pytest.raises(CommandError):
        call_command("plan", "analyse", str(tmp_path / "missing.pdf"))


def test_the_command_exits_non_zero_for_a_bad_file(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "plan.pdf"
    path.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 500)
    result = subprocess.run(
        [sys.executable, "-m", "lokalmaal", "plan", "--skip-checks", "analyse", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "plan.pdf" in result.stderr


def test_passages_are_matched_by_their_words_not_their_position():
    def passage(number: int, text: str, goals: tuple[int, ...] = ()) -> PassageData:
        return PassageData(number, None, "", text, False, goals)

    before = [passage(1, "Kommunen skal redusere utslepp."), passage(2, "• Vi vil ta vare på myr.")]
    # The same two passages in another order and with other list markers and spacing, one new
    # and one repeated: only the new one and the repeat are additions.
    after = [
        passage(1, "Vi vil ta vare  på myr"),
        passage(2, "Alle barn skal få barnehageplass.", (4,)),
        passage(3, "– Kommunen skal redusere utslepp"),
        passage(4, "Kommunen skal redusere utslepp."),
    ]
    changes = analyse.passage_changes(before, after)
    assert changes.unchanged == 2
    assert [p.number for p in changes.added] == [2, 4]
    assert changes.removed == []
    assert [p.number for p in analyse.passage_changes(after, before).removed] == [2, 3]
