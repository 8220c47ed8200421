"""Lokalmål's indicator figures as open data in Open SDG's format, so that a municipality or KS can
publish its own Open SDG site (sdg-build reads `data/` and `meta/` as written here).

- `data/indicator_<id>.csv`: one CSV per indicator with the columns Year, Units, Series, GeoCode
  and Value (GeoCode: the 2024 municipality or county number; Value in the indicator's unit, as
  stored, to full precision). Every row is disaggregated by GeoCode: Lokalmål has no national
  figure of its own, so there is no headline row.
- `meta/<id>.md`: the indicator's metadata as YAML front matter (Open SDG's field names) with
  the definition as its text.
- `datapackage.json`: a Frictionless data package that describes every file, with the CSV schema.

Lokalmål's indicators are local ones tied to UN targets, so each gets a national-style number
under its first target: "<target>.lm<n>" (3.4.lm1, 3.4.lm2, …), which never collides with a UN
indicator number. The library id is kept in the metadata (`lokalmaal_id`).
"""

import io
import json
import zipfile
from collections import defaultdict
from pathlib import Path

import yaml
from django.utils import timezone

from lokalmaal.indicators.models import Indicator, IndicatorValue, period_label
from lokalmaal.lib.spreadsheet import csv_writer
from lokalmaal.localgoals.analysis import target_sort_key

COLUMNS = ("Year", "Units", "Series", "GeoCode", "Value")
LICENCE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0",
}


def numbering() -> dict[str, str]:
    """Library id → Open SDG number ("3.4.lm1"), numbered within each first target by the
    library's own order."""
    per_target: dict[str, int] = defaultdict(int)
    numbers: dict[str, str] = {}
    for indicator in Indicator.objects.prefetch_related("targets").order_by("position", "id"):
        codes = sorted((t.code for t in indicator.targets.all()), key=target_sort_key)
        if not codes:
            continue
        per_target[codes[0]] += 1
        numbers[indicator.id] = f"{codes[0]}.lm{per_target[codes[0]]}"
    return numbers


def slug(number: str) -> str:
    return number.replace(".", "-")


def build(language: str = "nb") -> dict[str, bytes]:
    """Every file of the export by its path inside the folder."""
    numbers = numbering()
    indicators = {
        i.id: i for i in Indicator.objects.prefetch_related("targets").filter(id__in=numbers)
    }
    rows: dict[str, list[tuple[int, str, float, int | None]]] = defaultdict(list)
    values = IndicatorValue.objects.exclude(value=None).filter(indicator_id__in=numbers)
    for indicator_id, year, code, value, start in values.order_by(
        "indicator_id", "year", "region__code"
    ).values_list("indicator_id", "year", "region__code", "value", "period_start"):
        if value is not None:
            rows[indicator_id].append((year, code, value, start))
    files: dict[str, bytes] = {}
    resources = []
    for indicator_id, number in sorted(numbers.items(), key=lambda item: target_sort_key(item[1])):
        indicator = indicators[indicator_id]
        data_path = f"data/indicator_{slug(number)}.csv"
        meta_path = f"meta/{slug(number)}.md"
        files[data_path] = _csv(indicator, rows[indicator_id], language)
        files[meta_path] = _meta(indicator, number, rows[indicator_id], language)
        resources += _resources(indicator, number, data_path, meta_path, language)
    files["datapackage.json"] = _package(resources, language)
    return files


def _csv(
    indicator: Indicator, rows: list[tuple[int, str, float, int | None]], language: str
) -> bytes:
    buffer = io.StringIO()
    writer = csv_writer(buffer, lineterminator="\n")  # defuses formulas, keeps numbers
    writer.writerow(COLUMNS)
    units, series = indicator.text("unit", language), indicator.text("name", language)
    for year, code, value, _start in rows:
        writer.writerow([year, units, series, code, repr(value)])
    return buffer.getvalue().encode("utf-8")


def _meta(
    indicator: Indicator,
    number: str,
    rows: list[tuple[int, str, float, int | None]],
    language: str,
) -> bytes:
    source = indicator.source
    targets = sorted((t.code for t in indicator.targets.all()), key=target_sort_key)
    periods = sorted({period_label(year, start) for year, _c, _v, start in rows if start})
    fields = {
        "indicator_number": number,
        "indicator_name": indicator.text("name", language),
        "indicator_definition": indicator.text("definition", language),
        "target_id": targets[0],
        "sdg_goal": targets[0].split(".")[0],
        "other_targets": targets[1:],
        "reporting_status": "complete" if rows else "notstarted",
        "data_non_statistical": False,
        "graph_type": "line",
        "graph_title": indicator.text("name", language),
        "computation_units": indicator.text("unit", language),
        "national_indicator_available": indicator.text("name", language),
        "source_active_1": True,
        "source_organisation_1": str(source.get("publisher") or ("SSB" if indicator.source_kind == "ssb" else "")),
        "source_url_1": str(source.get("url") or (f"https://www.ssb.no/statbank/table/{source['table']}" if source.get("table") else "")),
        "source_data_source_1": str(source.get("title") or source.get("description") or ""),
        "data_last_updated": timezone.localdate().isoformat(),
        "lokalmaal_id": indicator.id,
        "lokalmaal_direction": indicator.direction,
        "lokalmaal_target_2030": indicator.target_2030,
        "lokalmaal_multi_year_periods": periods,
        "language": language,
    }  # fmt: skip
    front = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False)
    body = indicator.text("definition", language)
    return f"---\n{front}---\n\n{body}\n".encode()


def _resources(
    indicator: Indicator, number: str, data_path: str, meta_path: str, language: str
) -> list[dict[str, object]]:
    name = indicator.text("name", language)
    return [
        {
            "name": f"indicator-{slug(number)}".lower(),
            "path": data_path,
            "title": f"{number} {name}",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "schema": {
                "fields": [
                    {"name": "Year", "type": "integer"},
                    {"name": "Units", "type": "string"},
                    {"name": "Series", "type": "string"},
                    {
                        "name": "GeoCode",
                        "type": "string",
                        "description": "Municipality or county number, 2024 division",
                    },
                    {"name": "Value", "type": "number"},
                ]
            },
        },
        {
            "name": f"meta-{slug(number)}".lower(),
            "path": meta_path,
            "title": f"{number} {name}: metadata",
            "format": "md",
            "mediatype": "text/markdown",
            "encoding": "utf-8",
        },
    ]


def _package(resources: list[dict[str, object]], language: str) -> bytes:
    package = {
        "name": "lokalmaal-opensdg",
        "title": "Lokalmål: SDG indicators for Norway's municipalities in Open SDG's format",
        "description": (
            "One CSV per indicator (Year, Units, Series, GeoCode, Value) and its metadata, as "
            "read by open-sdg/sdg-build. GeoCode is the 2024 municipality or county number."
        ),
        "language": language,
        "created": timezone.now().isoformat(timespec="seconds"),
        "licenses": [LICENCE],
        "resources": resources,
    }
    return json.dumps(package, ensure_ascii=False, indent=2).encode("utf-8")


def write(folder: Path, language: str = "nb") -> int:
    files = build(language)
    for path, content in files.items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    return len(files)


def to_zip(language: str = "nb") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, content in build(language).items():
            archive.writestr(path, content)
    return buffer.getvalue()
