"""The bundle load is validated first, transactional and idempotent."""

import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from conftest import bundle_dir
from lokalmaal.bundle.load import Bundle, Progress, read_bundle
from lokalmaal.bundle.management.commands import data
from lokalmaal.catalogue.models import Goal, Indicator, Target
from lokalmaal.regions.models import CodeSuccessor, HistoricalCode, PopulationFigure, Region

pytestmark = pytest.mark.django_db

TABLES = [Goal, Target, Indicator, Region, HistoricalCode, CodeSuccessor, PopulationFigure]
USED_FOLDERS = ["sdg", "municipalities", "geo", "ssb-statistics"]


def row_counts() -> dict[str, int]:
    return {model.__name__: model._default_manager.count() for model in TABLES}


@pytest.fixture
def bundle_copy(tmp_path: Path) -> Path:
    """A copy of the folders the load reads, made writable so a test can break one file."""
    for folder in USED_FOLDERS:
        shutil.copytree(bundle_dir() / folder, tmp_path / folder)
    for path in tmp_path.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    return tmp_path


@pytest.fixture
def read_once(bundle: Bundle, monkeypatch: pytest.MonkeyPatch) -> None:
    """`data load` of the real bundle gets the session's reading of it instead of reading and
    validating the same files again (5 s of CPU each time); the load, its output and its row
    counts are the command's own, and a load that changed the bundle it was given would show
    here as changed rows. Other folders are read as usual."""

    def read_real_bundle_once(folder: Path, progress: Progress | None = None) -> Bundle:
        return bundle if folder == bundle_dir() else read_bundle(folder, progress)

    monkeypatch.setattr(data, "read_bundle", read_real_bundle_once)


@pytest.mark.usefixtures("read_once")
def test_loading_the_bundle_twice_leaves_every_row_count_unchanged(capsys):
    before = row_counts()
    call_command("data", "load", "--from", str(bundle_dir()))
    assert row_counts() == before
    output = capsys.readouterr().out
    assert "targets      169 rows (0 new, 0 changed, 0 removed, 169 unchanged)" in output
    assert "regions      373 rows" in output


@pytest.mark.usefixtures("read_once")
def test_load_prints_counts_per_table(capsys):
    call_command("data", "load", "--from", str(bundle_dir()))
    output = capsys.readouterr().out
    for table in ("goals", "targets", "indicators", "regions", "history", "population"):
        assert table in output


def test_a_corrupted_file_stops_the_load_with_file_line_and_reason_and_changes_nothing(bundle_copy):
    path = bundle_copy / "municipalities" / "kommuner_2025.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[10] = lines[10].replace(lines[10].split(",")[7], "mye")  # areal_km2 on line 11
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    Region.objects.filter(code="4601").update(name="Bergen (før)")
    before = row_counts()
    with pytest.raises(CommandError) as error:
        call_command("data", "load", "--from", str(bundle_copy))
    message = str(error.value)
    assert "kommuner_2025.csv, line 11" in message
    assert "areal_km2" in message
    assert "'mye'" in message
    assert "Nothing was loaded" in message
    assert row_counts() == before
    assert Region.objects.get(code="4601").name == "Bergen (før)"


def test_a_missing_file_stops_the_load_and_names_the_file(bundle_copy):
    (bundle_copy / "sdg" / "sdg_catalogue_en_nb.csv").unlink()
    with pytest.raises(CommandError, match=r"sdg_catalogue_en_nb.csv: file is missing"):
        call_command("data", "load", "--from", str(bundle_copy))


def test_a_truncated_catalogue_is_refused(bundle_copy):
    path = bundle_copy / "sdg" / "sdg_catalogue_en_nb.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if not line.startswith(("target,17.19", "indicator,17.19."))]
    path.write_text("\n".join(kept), encoding="utf-8")
    with pytest.raises(CommandError, match="expected 169 targets, found 168"):
        call_command("data", "load", "--from", str(bundle_copy))


def test_invalid_utf8_is_reported_with_its_line(bundle_copy):
    path = bundle_copy / "municipalities" / "kommuner_2025.csv"
    data = path.read_bytes().splitlines(keepends=True)
    data[4] = data[4].replace(b",", b",\xf8", 1)  # a latin-1 ø on line 5
    path.write_bytes(b"".join(data))
    with pytest.raises(CommandError, match=r"kommuner_2025.csv, line 5: not valid UTF-8"):
        call_command("data", "load", "--from", str(bundle_copy))


def test_a_broken_file_in_a_later_step_leaves_the_catalogue_untouched(bundle_copy):
    """Validation of every file happens before the first write, so nothing is half-loaded."""
    catalogue = bundle_copy / "sdg" / "sdg_catalogue_en_nb.csv"
    catalogue.write_text(
        catalogue.read_text(encoding="utf-8").replace("No poverty", "Ingen fattigdom (endra)"),
        encoding="utf-8",
    )
    (bundle_copy / "geo" / "Fylker-S.geojson").write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match=r"Fylker-S\.geojson, line 1: not valid JSON"):
        call_command("data", "load", "--from", str(bundle_copy))
    assert Goal.objects.get(number=1).short_en == "No poverty"


def test_a_bundle_without_the_optional_statistics_folders_still_loads(bundle_copy, capsys):
    """A bundle built online by `data fetch` has the core folders only; its indicators then wait
    for `data update` instead of stopping the load."""
    (bundle_copy / "ssb-statistics" / "ssb_07459_folkemengde_kommune_alder_kjonn_2023.csv").unlink()
    call_command("data", "load", "--from", str(bundle_copy))
    from lokalmaal.indicators.models import IndicatorValue

    assert not IndicatorValue.objects.filter(indicator_id="valgdeltakelse-stortingsvalg").exists()
    assert IndicatorValue.objects.filter(indicator_id="befolkningsvekst").exists()
    assert Target.objects.count() == 169
