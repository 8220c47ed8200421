"""The indicator library: its size and spread, and SSB table ids and codes that match the
metadata recorded as evidence."""

import json
from pathlib import Path

import pytest

from lokalmaal.catalogue.models import Target
from lokalmaal.indicators.library import read_library

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures" / "ssb_metadata"


@pytest.fixture(scope="module")
def library(django_db_blocker):
    with django_db_blocker.unblock():
        return read_library({t.code for t in Target.objects.all()})


def test_library_has_at_least_60_indicators_across_14_goals_and_30_from_kostra(library):
    assert len(library) >= 60
    goals = {target.split(".")[0] for record in library for target in record.sdg_targets}
    assert len(goals) >= 14
    assert sum(record.kostra for record in library) >= 30


def test_every_indicator_names_its_source(library):
    for record in library:
        if record.source_kind == "ssb":
            assert record.source["table"].isdigit(), record.id
        elif record.source_kind == "bundle":
            assert record.source.get("file"), record.id
        else:
            assert record.source.get("url") or record.source.get("publisher"), record.id


def test_every_ssb_selection_uses_codes_seen_in_the_recorded_metadata(library):
    for record in (r for r in library if r.source_kind == "ssb"):
        fixture = FIXTURES / f"{record.source['table']}.json"
        assert fixture.is_file(), (
            f"{record.id}: no recorded metadata for table {record.source['table']}"
        )
        metadata = json.loads(fixture.read_text(encoding="utf-8"))
        for variable, values in record.source["selection"].items():
            known = metadata["variables"].get(variable)
            assert known is not None, (
                f"{record.id}: {variable} not in table {record.source['table']}"
            )
            for value in values if isinstance(values, list) else [values]:
                if value == "*" or value.endswith("*") or variable in {"Tid"}:
                    continue
                assert value in known, f"{record.id}: {variable}={value} not seen in {fixture.name}"


def test_targets_for_2030_always_cite_their_source(library):
    for record in library:
        if record.target_2030 is not None:
            assert len(record.target_citation) > 20, record.id
