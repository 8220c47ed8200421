"""Writes to the SDG catalogue. Run inside the bundle load's transaction."""

from typing import Any

from lokalmaal.catalogue.bundle import Catalogue, Entry
from lokalmaal.catalogue.models import Goal, Indicator, LocalMeaning, Target
from lokalmaal.lib.sync import SyncResult, sync_table

LOCAL_FIELDS = (
    "relevance_municipality", "relevance_county", "reason_nb", "reason_nn", "meaning_nb",
    "meaning_nn",
)  # fmt: skip
LIST_FIELDS = ("roles", "service_areas", "plan_levels", "measures_nb", "measures_nn", "legal_basis")


def _text_fields(entry: Entry) -> dict[str, Any]:
    texts = entry.texts
    return {
        "title_en": texts.title["en"],
        "title_nb": texts.title["nb"],
        "title_nn": texts.title.get("nn", ""),
        "provenance_en": texts.provenance["en"],
        "provenance_nb": texts.provenance["nb"],
        "provenance_nn": texts.provenance.get("nn", ""),
    }


def do_sync_catalogue(catalogue: Catalogue) -> dict[str, SyncResult]:
    goals = {
        int(e.code): {
            "number": int(e.code),
            "short_en": e.texts.short["en"],
            "short_nb": e.texts.short["nb"],
            "short_nn": e.texts.short.get("nn", ""),
            **_text_fields(e),
        }
        for e in catalogue.goals
    }
    results = {
        "goals": sync_table(Goal.objects.all(), lambda g: g.number, goals, lambda f: Goal(**f))
    }
    goal_objects = {str(g.number): g for g in Goal.objects.all()}
    targets = {
        e.code: {
            "code": e.code,
            "goal": goal_objects[e.parent],
            "position": e.position,
            **_text_fields(e),
        }
        for e in catalogue.targets
    }
    results["targets"] = sync_table(
        Target.objects.select_related("goal"), lambda t: t.code, targets, lambda f: Target(**f)
    )
    target_objects = {t.code: t for t in Target.objects.all()}
    indicators = {
        e.code: {
            "code": e.code,
            "target": target_objects[e.parent],
            "position": e.position,
            **_text_fields(e),
        }
        for e in catalogue.indicators
    }
    local = {
        record.target: {
            "target": target_objects[record.target],
            **{name: getattr(record, name) for name in LOCAL_FIELDS},
            **{name: list(getattr(record, name)) for name in LIST_FIELDS},
        }
        for record in catalogue.local
    }
    results["local meaning"] = sync_table(
        LocalMeaning.objects.select_related("target"),
        lambda m: m.target.code,
        local,
        lambda f: LocalMeaning(**f),
    )
    results["indicators"] = sync_table(
        Indicator.objects.select_related("target"),
        lambda i: i.code,
        indicators,
        lambda f: Indicator(**f),
    )
    return results
