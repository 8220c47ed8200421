"""The indicator library: its size and spread, and SSB table ids and codes that match the
metadata recorded as evidence."""

import json
from pathlib import Path
from typing import Any

import pytest

from lokalmaal.catalogue.models import Target
from lokalmaal.indicators.library import IndicatorRecord, read_library
from lokalmaal.lib.datafiles import DataFileError

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


def _metadata(table: str) -> dict[str, Any]:
    fixture = FIXTURES / f"{table}.json"
    assert fixture.is_file(), f"no recorded metadata for SSB table {table}"
    metadata: dict[str, Any] = json.loads(fixture.read_text(encoding="utf-8"))
    assert metadata["table"] == table, fixture.name
    return metadata


def _ssb_sources(record: IndicatorRecord) -> list[dict[str, Any]]:
    """Every SSB table a record relies on: its source and any SSB source of its computation."""
    sources = [record.source] if record.source_kind == "ssb" else []
    sources += [
        value
        for key, value in record.computation.items()
        if key.endswith("_source") and isinstance(value, dict) and value.get("kind") == "ssb"
    ]
    return sources


def test_every_ssb_table_relied_on_has_recorded_metadata_with_its_codes(library):
    for record in library:
        for source in _ssb_sources(record):
            table = str(source["table"])
            metadata = _metadata(table)
            variables = metadata["variables"]
            for variable, values in source["selection"].items():
                known = variables.get(variable)
                assert known is not None, f"{record.id}: {variable} not in table {table}"
                for value in values if isinstance(values, list) else [values]:
                    if value == "*" or value.endswith("*") or variable in {"Tid"}:
                        continue
                    assert value in known, f"{record.id}: {variable}={value} not seen in {table}"


def test_every_ssb_source_names_the_tables_own_title_and_variables(library):
    for record in (r for r in library if r.source_kind == "ssb"):
        table = record.source["table"]
        metadata = _metadata(table)
        assert record.source.get("title") == metadata["title"], (
            f"{record.id}: title differs from the recorded title of table {table}"
        )
        assert isinstance(metadata.get("title_verified"), bool), f"{table}: say if title is SSB's"
        if not metadata["title_verified"]:
            assert metadata.get("title_note"), f"{table}: an unverified title needs title_note"
        for key in ("region_variable", "time_variable"):
            assert record.source.get(key) in metadata["variables"], (
                f"{record.id}: {key}={record.source.get(key)!r} not in table {table}"
            )


def test_every_kostra_indicator_names_an_ssb_table(library):
    lacking = [
        record.id
        for record in library
        if record.kostra and not (record.source_kind == "ssb" and record.source.get("table"))
    ]
    assert not lacking, f"marked KOSTRA without an SSB table: {lacking}"


def test_every_bundle_or_other_source_describes_itself_for_the_page(library):
    for record in (r for r in library if r.source_kind != "ssb"):
        assert record.source.get("publisher"), record.id
        if record.source_kind == "bundle":
            assert record.source.get("description"), record.id


def test_the_loader_refuses_a_kostra_indicator_without_an_ssb_table(tmp_path):
    texts = "\n".join(
        f'{f}_{lang} = "x"' for f in ("name", "definition", "unit") for lang in ("nb", "nn", "en")
    )
    (tmp_path / "x.toml").write_text(
        f"""[[indicator]]
id = "x"
{texts}
direction = "higher"
sdg_targets = ["4.2"]
evaluation_type = "output"
quality_class = "A"
levels = ["municipality"]
kostra = true

[indicator.source]
kind = "bundle"
file = "x.csv"
publisher = "SSB"
description = "x"
""",
        encoding="utf-8",
    )
    with pytest.raises(DataFileError, match="kostra"):
        read_library({"4.2"}, tmp_path)


def test_targets_for_2030_always_cite_their_source(library):
    for record in library:
        if record.target_2030 is not None:
            assert len(record.target_citation) > 20, record.id
