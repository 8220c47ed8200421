"""The SDG report of a municipality or county as plain data, built from the same read functions as
the pages (indicators, regions, local goals, plan analyses, practice examples). The HTML page, the
PDF and the Word file are three renderings of one `Report`, so they cannot disagree.

Every text is produced here in the report's language; renderers add no words of their own.
Only published material is read: published goal sets that are adopted, published plan analyses and
published, public practice examples.
"""

import re
from collections import Counter
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from pydantic import BaseModel

from lokalmaal.catalogue.models import Target
from lokalmaal.indicators import reads as indicators
from lokalmaal.indicators.labels import status_label
from lokalmaal.indicators.models import DataVersion
from lokalmaal.localgoals import versions
from lokalmaal.localgoals.analysis import target_sort_key
from lokalmaal.localgoals.models import Priority, Workspace
from lokalmaal.regions import reads as regions
from lokalmaal.regions.models import Region, RegionKind
from lokalmaal.reports import alignment, charts, published
from lokalmaal.reports.numbers import DASH, number, percent

if TYPE_CHECKING:
    from lokalmaal.localgoals.followup import GoalFollowUp

LANGUAGES = ("nb", "nn", "en")
LOCALES = {"nb": "nb-NO", "nn": "nn-NO", "en": "en-GB"}

# The status picture's categories: which indicator statuses count as what.
CATEGORY_OF = {
    "target_achieved": "good",
    "substantial_progress": "good",
    "moderate_progress": "some",
    "limited_progress": "bad",
    "deterioration": "bad",
    "insufficient_data": "unknown",
    "not_assessed": "unknown",
    "outdated": "outdated",
    "no_data": "missing",
}
CATEGORIES = ("good", "some", "bad", "unknown", "outdated", "missing")


class ChartOut(BaseModel):
    svg: str
    alt: str


class Cell(BaseModel):
    text: str
    numeric: bool = False


class TableOut(BaseModel):
    caption: str
    header: list[str]
    rows: list[list[Cell]]  # the first cell of a row is its header


class IndicatorSection(BaseModel):
    id: str
    name: str
    unit: str
    value: str
    period: str
    status: str
    status_label: str
    status_symbol: str
    trend: str
    explanation: str
    similar: str
    county: str
    country: str
    source: str
    source_url: str
    estimate_note: str
    chart: ChartOut | None
    table: TableOut | None


class GoalSection(BaseModel):
    number: int
    title: str
    summary: str  # one sentence: how many indicators, how many on track …
    status_chart: ChartOut | None
    status_table: TableOut | None
    overview: TableOut | None  # every indicator with a figure: value, year, status, comparisons
    indicators: list[IndicatorSection]  # with a figure
    outdated: list[str]  # names of indicators whose newest figure is over five years old
    missing: list[str]  # names of indicators without a figure
    prioritised: list[str]  # "11.6 …" targets the organisation prioritised in published goals


class GoalIndicatorOut(BaseModel):
    name: str
    unit: str
    baseline: str
    latest: str
    target: str
    status: str
    status_label: str


class LocalGoalOut(BaseModel):
    title: str
    kind: str
    description: str
    targets: list[str]
    measures: str  # the goal's strategies as written
    responsible_unit: str
    indicators: TableOut | None
    measure_table: TableOut | None  # the measures (tiltak) with owner, deadline and status
    children: list["LocalGoalOut"]


class GoalSetOut(BaseModel):
    title: str
    facts: list[tuple[str, str]]
    priorities: list[str]
    goals: list[LocalGoalOut]


class PlanOut(BaseModel):
    title: str
    facts: str
    coverage: TableOut
    chart: ChartOut | None


class ExampleOut(BaseModel):
    title: str
    summary: str
    url: str
    organisations: str
    targets: str


class AlignmentOut(BaseModel):
    intro: str
    both: TableOut | None
    county_only: TableOut | None
    municipalities_only: TableOut | None
    unpublished_note: str
    empty: str  # shown when no table has a row


class Fact(BaseModel):
    label: str
    value: str


class ProfileOut(BaseModel):
    facts: list[Fact]
    population_chart: ChartOut | None
    population_table: TableOut | None
    similar_intro: str
    similar: list[tuple[str, str]]  # (name, why it is similar)


class ReportSourceOut(BaseModel):
    label: str
    url: str


class Report(BaseModel):
    language: str
    locale: str
    code: str
    kind: str
    name: str
    title: str
    subtitle: str
    generated: str  # the date in words
    generated_iso: str
    data_version: int
    text: dict[str, str]  # headings and fixed sentences
    intro: list[str]
    profile: ProfileOut
    goals_overview: TableOut
    overall_chart: ChartOut | None
    goals: list[GoalSection]
    goal_sets: list[GoalSetOut]
    plans: list[PlanOut]
    examples: list[ExampleOut]
    alignment: AlignmentOut | None
    method: list[str]
    sources: list[ReportSourceOut]


def report_language(region: Region, requested: str | None) -> str:
    """The region's written standard unless another language is asked for; bokmål for neutral."""
    if requested in LANGUAGES:
        return str(requested)
    return region.written_standard if region.written_standard in ("nb", "nn") else "nb"


def build_report(code: str, language: str) -> Report:
    region = Region.objects.select_related("parent").filter(code=code).first()
    if region is None or region.kind not in (RegionKind.MUNICIPALITY, RegionKind.COUNTY):
        raise Http404("No such municipality or county")
    with translation.override(language):
        return _build(region, language)


def _texts() -> dict[str, str]:
    return {
        "contents": _("Contents"),
        "about": _("About this report"),
        "profile": _("Profile"),
        "goals": _("The 17 goals"),
        "goal": _("Goal"),
        "local_goals": _("Local goals and priorities"),
        "plans": _("Plan coverage"),
        "examples": _("Practice examples"),
        "alignment": _("County and municipalities"),
        "method": _("Method and sources"),
        "sources": _("Sources"),
        "status_picture": _("Status picture"),
        "indicators": _("Indicators"),
        "outdated": _("Figures too old for a verdict"),
        "missing": _("Indicators without figures"),
        "prioritised": _("Prioritised targets in published goals"),
        "priorities": _("Prioritised targets"),
        "measures": _("Strategies and measures"),
        "responsible": _("Responsible unit"),
        "targets": _("SDG targets"),
        "similar": _("Similar municipalities"),
        "population": _("Population over time"),
        "page": _("Page"),
        "figures": _("Figures"),
        "no_goal_sets": _(
            "No adopted goal set has been published in Lokalmål yet, so the report has no local "
            "goals, priorities or measures."
        ),
        "no_plans": _("No plan analysis has been published in Lokalmål yet."),
        "no_examples": _("No practice example has been published in Lokalmål yet."),
        "download_pdf": _("Download as PDF"),
        "download_docx": _("Download as Word"),
        "report": _("SDG report"),
        "source": _("Source"),
        "explanation": _("How the status was found"),
        "show_figures": _("Figures for the chart"),
    }


def _build(region: Region, language: str) -> Report:
    today = timezone.localdate()
    county = region.kind == RegionKind.COUNTY
    detail = regions.get_region(region.code)
    names = indicators.goal_names(language)
    goal_sets = _published_goal_sets(region)
    prioritised = _prioritised(goal_sets, language)
    goals = (
        _county_goals(region, detail, language, names, prioritised)
        if county
        else _municipality_goals(region, language, names, prioritised)
    )
    title = _("SDG report for %(name)s") % {"name": region.name_with_kind()}
    return Report(
        language=language,
        locale=LOCALES[language],
        code=region.code,
        kind=region.kind,
        name=region.name,
        title=title,
        subtitle=_("The UN Sustainable Development Goals: status, local goals and plans"),
        generated=_long_date(today, language),
        generated_iso=today.isoformat(),
        data_version=DataVersion.current(),
        text=_texts(),
        intro=_intro(region, today, language),
        profile=_profile(region, detail, language),
        goals_overview=_goals_overview(goals, language),
        overall_chart=_overall_chart(goals, region),
        goals=goals,
        goal_sets=[s for s in (_goal_set(w, language) for w in goal_sets) if s is not None],
        plans=_plans(region, language),
        examples=_examples(region, language),
        alignment=_alignment(region, language) if county else None,
        method=_method(county),
        sources=_sources(goals, today, language),
    )


MONTHS = {
    "nb": "januar februar mars april mai juni juli august september oktober november desember",
    "nn": "januar februar mars april mai juni juli august september oktober november desember",
    "en": "January February March April May June July August September October November December",
}


def _long_date(day: date, language: str) -> str:
    month = MONTHS.get(language, MONTHS["nb"]).split()[day.month - 1]
    return f"{day.day} {month} {day.year}" if language == "en" else f"{day.day}. {month} {day.year}"


def _intro(region: Region, today: date, language: str) -> list[str]:
    whose = region.name_with_kind()
    return [
        _(
            "This report puts together what Lokalmål knows about %(name)s and the UN Sustainable "
            "Development Goals: the statistics for every goal with status and trend, compared "
            "with similar municipalities, the county and the country; the local goals, "
            "priorities and measures it has published; how its published plans cover the goals; "
            "and its published practice examples."
        )
        % {"name": whose},
        _(
            "It was made on %(date)s from the figures loaded in Lokalmål then. Every figure "
            "shows its year and source; figures more than five years old are named as such and "
            "get no verdict, and indicators without figures are listed for each goal."
        )
        % {"date": _long_date(today, language)},
    ]


# --- Profile ------------------------------------------------------------------------------------


def _profile(region: Region, detail: regions.RegionDetail, language: str) -> ProfileOut:
    facts = [
        Fact(label=_("Number"), value=region.code),
        Fact(
            label=_("Population"),
            value=f"{number(detail.population, language, 0)}"
            + (
                f" ({_('1 January %(year)s') % {'year': detail.population_year}})"
                if detail.population_year
                else ""
            ),
        ),
    ]
    series = detail.population_series
    if detail.population_change_percent is not None and series:
        facts.append(
            Fact(
                label=_("Population change"),
                value=f"{percent(detail.population_change_percent, language)} "
                f"({series[0].year}–{series[-1].year})",
            )
        )
    if detail.area_km2:
        facts.append(Fact(label=_("Area"), value=f"{number(detail.area_km2, language, 0)} km²"))
    if region.kind == RegionKind.MUNICIPALITY:
        if region.parent:
            facts.append(Fact(label=_("County"), value=region.parent.name))
        if region.kostra_group:
            facts.append(Fact(label=_("KOSTRA group"), value=region.kostra_group))
        if region.centrality:
            facts.append(Fact(label=_("Centrality class"), value=str(region.centrality)))
    else:
        facts.append(Fact(label=_("Municipalities"), value=str(len(detail.municipalities))))
    if detail.admin_centre:
        facts.append(Fact(label=_("Administrative centre"), value=detail.admin_centre))
    points = [(p.year, float(p.value)) for p in series]
    chart = charts.line_chart(
        [(_("Population"), points)],
        _("Line chart: population of %(name)s from %(first)s to %(last)s, last %(value)s.")
        % {
            "name": region.name,
            "first": series[0].year if series else "",
            "last": series[-1].year if series else "",
            "value": number(series[-1].value if series else None, language, 0),
        },
    )
    table = (
        TableOut(
            caption=_("Population of %(name)s on 1 January, within today's boundaries")
            % {"name": region.name},
            header=[_("Year"), _("Population")],
            rows=[
                [Cell(text=str(p.year)), Cell(text=number(p.value, language, 0), numeric=True)]
                for p in series
            ],
        )
        if series
        else None
    )
    similar: list[tuple[str, str]] = []
    intro = ""
    if region.kind == RegionKind.MUNICIPALITY:
        similar = [
            (m.name, m.explanation)
            for m in indicators.similar_municipalities(region.code, language=language)
        ]
        intro = _(
            "The ten municipalities most like %(name)s on population, density, population growth "
            "since 2017, share aged 67 and over, centrality and area. Their median is the "
            "“similar municipalities” figure in the tables."
        ) % {"name": region.name}
    return ProfileOut(
        facts=facts,
        population_chart=_chart(chart),
        population_table=table,
        similar_intro=intro,
        similar=similar,
    )


def _chart(chart: charts.Chart | None) -> ChartOut | None:
    return ChartOut(svg=chart.svg, alt=chart.alt) if chart else None


# --- The 17 goals -------------------------------------------------------------------------------


def _category_labels() -> dict[str, str]:
    return {
        "good": _("Target reached or good progress"),
        "some": _("Some progress"),
        "bad": _("Little progress or the wrong way"),
        "unknown": _("Too few figures or no preferred direction"),
        "outdated": _("Figures too old"),
        "missing": _("No figures"),
    }


def _status_chart(counts: Counter[str], alt: str) -> tuple[ChartOut | None, TableOut | None]:
    labels = _category_labels()
    bars = [(c, labels[c], counts.get(c, 0)) for c in CATEGORIES]
    chart = charts.status_chart(bars, alt)
    if chart is None:
        return None, None
    table = TableOut(
        caption=alt,
        header=[_("Status"), _("Indicators")],
        rows=[[Cell(text=label), Cell(text=str(n), numeric=True)] for _c, label, n in bars if n],
    )
    return _chart(chart), table


def _summary_sentence(counts: Counter[str], total: int) -> str:
    with_figures = total - counts.get("missing", 0)
    return ngettext(
        "%(with)s of %(total)s indicator has figures: %(good)s with target reached or good "
        "progress, %(some)s with some progress, %(bad)s with little progress or going the wrong "
        "way, %(old)s with figures too old for a verdict.",
        "%(with)s of %(total)s indicators have figures: %(good)s with target reached or good "
        "progress, %(some)s with some progress, %(bad)s with little progress or going the wrong "
        "way, %(old)s with figures too old for a verdict.",
        total,
    ) % {
        "with": with_figures,
        "total": total,
        "good": counts.get("good", 0),
        "some": counts.get("some", 0),
        "bad": counts.get("bad", 0),
        "old": counts.get("outdated", 0),
    }


def _prioritised_in_goal(prioritised: dict[str, str], goal: int) -> list[str]:
    return [
        f"{code} {title}"
        for code, title in sorted(prioritised.items(), key=lambda item: target_sort_key(item[0]))
        if code.split(".")[0] == str(goal)
    ]


def _municipality_goals(
    region: Region, language: str, names: dict[int, str], prioritised: dict[str, str]
) -> list[GoalSection]:
    rows = indicators.region_indicators(region.code, language)
    by_goal: dict[int, list[indicators.RegionIndicatorOut]] = {n: [] for n in range(1, 18)}
    for row in rows:
        by_goal.setdefault(row.goal, []).append(row)
    sections = []
    for number_, items in sorted(by_goal.items()):
        if number_ == 0:
            continue
        counts = Counter(CATEGORY_OF.get(r.status, "unknown") for r in items)
        title = names.get(number_, "")
        with_figures = [r for r in items if r.value is not None]
        alt = _("Status of the %(n)s indicators for goal %(goal)s in %(name)s") % {
            "n": len(items),
            "goal": number_,
            "name": region.name,
        }
        status_chart, status_table = _status_chart(counts, alt)
        sections.append(
            GoalSection(
                number=number_,
                title=title,
                summary=_summary_sentence(counts, len(items)),
                status_chart=status_chart,
                status_table=status_table,
                overview=_indicator_overview(with_figures, region, number_, language),
                indicators=[_indicator(r, region, language) for r in with_figures],
                outdated=[r.name for r in items if r.status == "outdated"],
                missing=[r.name for r in items if r.value is None],
                prioritised=_prioritised_in_goal(prioritised, number_),
            )
        )
    return sections


def _indicator_overview(
    rows: list[indicators.RegionIndicatorOut], region: Region, goal: int, language: str
) -> TableOut | None:
    if not rows:
        return None
    return TableOut(
        caption=_("Indicators for goal %(goal)s in %(name)s") % {"goal": goal, "name": region.name},
        header=[
            _("Indicator"),
            _("Value"),
            _("Year or period"),
            _("Status"),
            _("Trend"),
            _("Similar municipalities (median)"),
            _("County (median)"),
            _("Norway (median)"),
        ],
        rows=[
            [
                Cell(text=r.name),
                Cell(text=f"{number(r.value, language)} {r.unit}".strip(), numeric=True),
                Cell(text=r.period or DASH),
                Cell(text=f"{r.status_symbol} {r.status_label}"),
                Cell(text=r.trend_label),
                Cell(text=number(r.peer_median, language), numeric=True),
                Cell(text=number(r.county_median, language), numeric=True),
                Cell(text=number(r.country_median, language), numeric=True),
            ]
            for r in rows
        ],
    )


def _indicator(
    row: indicators.RegionIndicatorOut, region: Region, language: str
) -> IndicatorSection:
    comparison = indicators.comparison(row.indicator, region.code)
    own = region.name
    series = [
        (own, [(c.year, c.municipality) for c in comparison if c.municipality is not None]),
        (
            _("Similar municipalities (median)"),
            [(c.year, c.similar) for c in comparison if c.similar is not None],
        ),
        (_("County (median)"), [(c.year, c.county) for c in comparison if c.county is not None]),
        (_("Norway (median)"), [(c.year, c.country) for c in comparison if c.country is not None]),
    ]
    alt = _(
        "Line chart of %(indicator)s (%(unit)s) for %(name)s, its similar municipalities, its "
        "county and Norway (medians), %(first)s–%(last)s. The figures are in the table."
    ) % {
        "indicator": row.name,
        "unit": row.unit,
        "name": region.name,
        "first": comparison[0].period if comparison else "",
        "last": comparison[-1].period if comparison else "",
    }
    chart = charts.line_chart(series, alt) or _single_year(row, region, language)
    table = TableOut(
        caption=_("%(indicator)s: %(name)s compared with medians")
        % {"indicator": row.name, "name": region.name},
        header=[_("Year"), region.name, _("Similar"), _("County"), _("Norway")],
        rows=[
            [
                Cell(text=c.period),
                Cell(text=number(c.municipality, language), numeric=True),
                Cell(text=number(c.similar, language), numeric=True),
                Cell(text=number(c.county, language), numeric=True),
                Cell(text=number(c.country, language), numeric=True),
            ]
            for c in comparison
        ],
    )
    return IndicatorSection(
        id=row.indicator,
        name=row.name,
        unit=row.unit,
        value=f"{number(row.value, language)} {row.unit}".strip(),
        period=row.period,
        status=row.status,
        status_label=row.status_label,
        status_symbol=row.status_symbol,
        trend=row.trend_label,
        explanation=row.explanation,
        similar=number(row.peer_median, language),
        county=number(row.county_median, language),
        country=number(row.country_median, language),
        source=row.source.label,
        source_url=row.source.url,
        estimate_note=row.estimate_note,
        chart=_chart(chart),
        table=table if comparison else None,
    )


def _single_year(
    row: indicators.RegionIndicatorOut, region: Region, language: str
) -> charts.Chart | None:
    """With a figure for one year only, the municipality beside the medians of that year."""
    if row.value is None:
        return None
    candidates = [
        (region.name, row.value),
        (_("Similar municipalities (median)"), row.peer_median),
        (_("County (median)"), row.county_median),
        (_("Norway (median)"), row.country_median),
    ]
    bars = [
        (label, value, number(value, language)) for label, value in candidates if value is not None
    ]
    alt = _("Bar chart of %(indicator)s (%(unit)s) in %(period)s: %(values)s.") % {
        "indicator": row.name,
        "unit": row.unit,
        "period": row.period,
        "values": "; ".join(f"{label} {text}" for label, _v, text in bars),
    }
    return charts.bar_chart(bars, alt)


def _county_goals(
    region: Region,
    detail: regions.RegionDetail,
    language: str,
    names: dict[int, str],
    prioritised: dict[str, str],
) -> list[GoalSection]:
    """A county's goals: each indicator as the median of its municipalities against Norway's,
    and how many of its municipalities are on track."""
    members = [m.code for m in detail.municipalities]
    per_municipality = {code: indicators.region_indicators(code, language) for code in members}
    library = indicators.list_indicators(language)
    sections = []
    for number_ in range(1, 18):
        items = [i for i in library if any(t.split(".")[0] == str(number_) for t in i.sdg_targets)]
        items = [i for i in items if _first_goal(i.sdg_targets) == number_]
        counts: Counter[str] = Counter()
        indicator_sections = []
        outdated, missing = [], []
        overview_rows = []
        for item in items:
            statuses = Counter(
                CATEGORY_OF.get(r.status, "unknown")
                for rows in per_municipality.values()
                for r in rows
                if r.indicator == item.id
            )
            counts.update(statuses)
            section, row = _county_indicator(item, region, members, statuses, language)
            if section is None:
                missing.append(item.name)
                continue
            if statuses and statuses.get("outdated", 0) == sum(statuses.values()) - statuses.get(
                "missing", 0
            ):
                outdated.append(item.name)
            indicator_sections.append(section)
            overview_rows.append(row)
        alt = _(
            "Status of the goal's indicators in the municipalities of %(name)s: one count per "
            "municipality and indicator"
        ) % {"name": region.name}
        status_chart, status_table = _status_chart(counts, alt)
        overview = (
            TableOut(
                caption=_("Indicators for goal %(goal)s in %(name)s")
                % {"goal": number_, "name": region.name},
                header=[
                    _("Indicator"),
                    _("County (median)"),
                    _("Year or period"),
                    _("Norway (median)"),
                    _("Municipalities with good progress"),
                    _("Municipalities going the wrong way"),
                ],
                rows=overview_rows,
            )
            if overview_rows
            else None
        )
        sections.append(
            GoalSection(
                number=number_,
                title=names.get(number_, ""),
                summary=_county_summary(counts, len(items), len(members)),
                status_chart=status_chart,
                status_table=status_table,
                overview=overview,
                indicators=indicator_sections,
                outdated=outdated,
                missing=missing,
                prioritised=_prioritised_in_goal(prioritised, number_),
            )
        )
    return sections


def _first_goal(targets: list[str]) -> int:
    goals = sorted({int(t.split(".")[0]) for t in targets})
    return goals[0] if goals else 0


def _county_summary(counts: Counter[str], indicators_: int, municipalities: int) -> str:
    return _(
        "%(n)s indicators across %(m)s municipalities: %(good)s figures with target reached or "
        "good progress, %(bad)s with little progress or going the wrong way, %(old)s too old "
        "for a verdict, %(missing)s missing."
    ) % {
        "n": indicators_,
        "m": municipalities,
        "good": counts.get("good", 0),
        "bad": counts.get("bad", 0),
        "old": counts.get("outdated", 0),
        "missing": counts.get("missing", 0),
    }


def _county_indicator(
    item: indicators.IndicatorOut,
    region: Region,
    members: list[str],
    statuses: Counter[str],
    language: str,
) -> tuple[IndicatorSection | None, list[Cell]]:
    comparison = indicators.comparison(item.id, members[0]) if members else []
    points = [c for c in comparison if c.county is not None]
    if not points:
        return None, []
    latest = points[-1]
    alt = _(
        "Line chart of %(indicator)s (%(unit)s): the median of the municipalities in %(name)s "
        "and of all municipalities in Norway, %(first)s–%(last)s. The figures are in the table."
    ) % {
        "indicator": item.name,
        "unit": item.unit,
        "name": region.name,
        "first": points[0].period,
        "last": latest.period,
    }
    chart = charts.line_chart(
        [
            (
                _("%(name)s (median)") % {"name": region.name},
                [(c.year, c.county) for c in points if c.county is not None],
            ),
            (
                _("Norway (median)"),
                [(c.year, c.country) for c in comparison if c.country is not None],
            ),
        ],
        alt,
    )
    good, bad = statuses.get("good", 0), statuses.get("bad", 0)
    section = IndicatorSection(
        id=item.id,
        name=item.name,
        unit=item.unit,
        value=f"{number(latest.county, language)} {item.unit}".strip(),
        period=latest.period,
        status="",
        status_label="",
        status_symbol="",
        trend="",
        explanation=_(
            "%(good)s of the county's municipalities have target reached or good progress, "
            "%(bad)s little progress or the wrong way."
        )
        % {"good": good, "bad": bad},
        similar=DASH,
        county=number(latest.county, language),
        country=number(latest.country, language),
        source=item.source.label,
        source_url=item.source.url,
        estimate_note="",
        chart=_chart(chart),
        table=TableOut(
            caption=_("%(indicator)s: medians") % {"indicator": item.name},
            header=[_("Year"), _("County"), _("Norway")],
            rows=[
                [
                    Cell(text=c.period),
                    Cell(text=number(c.county, language), numeric=True),
                    Cell(text=number(c.country, language), numeric=True),
                ]
                for c in comparison
            ],
        ),
    )
    row = [
        Cell(text=item.name),
        Cell(text=section.value, numeric=True),
        Cell(text=latest.period),
        Cell(text=section.country, numeric=True),
        Cell(text=str(good), numeric=True),
        Cell(text=str(bad), numeric=True),
    ]
    return section, row


def _goals_overview(goals: list[GoalSection], language: str) -> TableOut:
    return TableOut(
        caption=_("The 17 goals: indicators with figures and their status"),
        header=[
            _("Goal"),
            _("Indicators with figures"),
            _("Good progress"),
            _("Some progress"),
            _("Little or wrong way"),
            _("Too old"),
            _("No figures"),
        ],
        rows=[
            [
                Cell(text=f"{g.number} {g.title}"),
                Cell(text=str(len(g.indicators)), numeric=True),
                *[
                    Cell(text=str(_count(g, c)), numeric=True)
                    for c in ("good", "some", "bad", "outdated", "missing")
                ],
            ]
            for g in goals
        ],
    )


def _count(goal: GoalSection, category: str) -> int:
    if goal.status_table is None:
        return 0
    label = _category_labels()[category]
    for row in goal.status_table.rows:
        if row[0].text == label:
            return int(row[1].text)
    return 0


def _overall_chart(goals: list[GoalSection], region: Region) -> ChartOut | None:
    counts: Counter[str] = Counter()
    for goal in goals:
        for category in CATEGORIES:
            counts[category] += _count(goal, category)
    chart, _table = _status_chart(
        counts, _("Status of all indicators for %(name)s") % {"name": region.name}
    )
    return chart


# --- Local goals --------------------------------------------------------------------------------


def _published_goal_sets(region: Region) -> list[Workspace]:
    """The region's own published goal sets (as last adopted), newest adoption first."""
    return list(
        published.published_sets()
        .filter(organisation__region=region)
        .order_by("-adopted_on", "-created_at")
    )


def _prioritised(workspaces: list[Workspace], language: str) -> dict[str, str]:
    codes = {c for found in published.adopted_priorities(workspaces).values() for c in found}
    return {t.code: t.title_in(language) for t in Target.objects.filter(code__in=codes)}


def _goal_set(workspace: Workspace, language: str) -> GoalSetOut | None:
    """The adopted version with each goal indicator followed up (localgoals/followup.py) and the
    goals' measures; None if the set has no adopted version."""
    from lokalmaal.localgoals.followup import workspace_follow_up
    from lokalmaal.localgoals.labels import plan_type_label

    content = versions.shown_content(workspace, adopted_only=True)
    follow = workspace_follow_up(workspace.pk, language, adopted_only=True)
    if content is None or follow is None:
        return None
    facts = [(_("Plan"), plan_type_label(workspace.plan_type, "nn" if language == "nn" else "nb"))]
    if content.adopted_on:
        facts.append((_("Adopted"), _long_date(content.adopted_on, language)))
    if content.body:
        facts.append((_("Adopted by"), content.body))
    if content.case_number:
        facts.append((_("Case number"), content.case_number))
    if workspace.period_start or workspace.period_end:
        facts.append((_("Period"), f"{workspace.period_start or ''}–{workspace.period_end or ''}"))
    titles = {t.code: t.title_in(language) for t in Target.objects.all()}
    followed = {g.id: g for g in follow.goals}
    goals = content.goals
    by_parent: dict[int | None, list[dict[str, Any]]] = {}
    for goal in goals:
        by_parent.setdefault(goal.get("parent_id"), []).append(goal)
    known = {g["id"] for g in goals}

    def tree(parent: int | None, depth: int = 0) -> list[LocalGoalOut]:
        if depth > 5:
            return []
        return [
            _local_goal(g, followed.get(g["id"]), titles, language, tree(g["id"], depth + 1))
            for g in by_parent.get(parent, [])
        ]

    orphans = [g for g in goals if g.get("parent_id") is not None and g["parent_id"] not in known]
    return GoalSetOut(
        title=workspace.title,
        facts=facts,
        priorities=[f"{c} {titles.get(c, '')}" for c in content.priorities],
        goals=tree(None)
        + [_local_goal(g, followed.get(g["id"]), titles, language, []) for g in orphans],
    )


def _local_goal(
    goal: dict[str, Any],
    follow: "GoalFollowUp | None",
    titles: dict[str, str],
    language: str,
    children: list[LocalGoalOut],
) -> LocalGoalOut:
    rows = [
        [
            Cell(text=f"{i.name} ({i.unit})" if i.unit else i.name),
            Cell(text=_with_year(i.baseline_value, i.baseline_year, language), numeric=True),
            Cell(text=_with_year(i.latest_value, i.latest_year, language), numeric=True),
            Cell(text=_with_year(i.target_value, i.target_year, language), numeric=True),
            Cell(text=f"{i.status_symbol} {_followup_label(i.status, language)}"),
        ]
        for i in (follow.indicators if follow else [])
    ]
    measures = [
        [
            Cell(text=m.title),
            Cell(text=m.owner or DASH),
            Cell(text=_long_date(m.deadline, language) if m.deadline else DASH),
            Cell(text=_measure_status(m.status)),
            Cell(text=m.kostra_functions or DASH),
        ]
        for m in (follow.measures if follow else [])
    ]
    kinds = {"samfunnsmaal": _("Community goal"), "delmaal": _("Sub-goal")}
    return LocalGoalOut(
        title=str(goal.get("title", "")),
        kind=kinds.get(str(goal.get("kind")), str(goal.get("kind", ""))),
        description=str(goal.get("description", "")),
        targets=[f"{t['code']} {titles.get(t['code'], '')}" for t in goal.get("targets", [])],
        measures=str(goal.get("strategies", "")),
        responsible_unit=str(goal.get("responsible_unit", "")),
        indicators=TableOut(
            caption=_("Follow-up of “%(goal)s”") % {"goal": goal.get("title", "")},
            header=[_("Indicator"), _("Baseline"), _("Latest"), _("Target"), _("Status")],
            rows=rows,
        )
        if rows
        else None,
        measure_table=TableOut(
            caption=_("Measures for “%(goal)s”") % {"goal": goal.get("title", "")},
            header=[_("Measure"), _("Owner"), _("Deadline"), _("Status"), _("KOSTRA functions")],
            rows=measures,
        )
        if measures
        else None,
        children=children,
    )


def _measure_status(status: str) -> str:
    from lokalmaal.localgoals.models import MeasureStatus

    try:
        return str(MeasureStatus(status).label)
    except ValueError:
        return status


def _with_year(value: float | None, year: int | None, language: str) -> str:
    if value is None:
        return DASH
    return f"{number(value, language)} ({year})" if year else number(value, language)


def _followup_label(status: str, language: str) -> str:
    if status == "no_data":
        return _("No figure since the baseline")
    return status_label(status, language)


# --- Plans and examples -------------------------------------------------------------------------


def _plans(region: Region, language: str) -> list[PlanOut]:
    from lokalmaal.plans import reads as plans
    from lokalmaal.plans.models import PlanDocument
    from lokalmaal.plans.models import Status as PlanStatus

    documents = PlanDocument.objects.filter(
        organisation__region=region, published=True, status=PlanStatus.DONE
    ).select_related("organisation__region")
    result = []
    for document in documents:
        detail = plans.get_plan(document, language, full=False)
        if detail.analysis is None:
            continue
        coverage = detail.analysis.coverage
        table = TableOut(
            caption=_("How “%(plan)s” covers the 17 goals") % {"plan": document.title},
            header=[_("Goal"), _("Passages"), _("Share of the plan"), _("Pages")],
            rows=[
                [
                    Cell(text=f"{c.goal} {c.title}"),
                    Cell(text=str(c.passages), numeric=True),
                    Cell(text=percent(c.percent, language), numeric=True),
                    Cell(text=c.pages_text or DASH),
                ]
                for c in coverage
            ],
        )
        chart = charts.status_chart(
            [("some", f"{c.goal} {c.title}", c.passages) for c in coverage],
            _("Passages of “%(plan)s” that address each goal") % {"plan": document.title},
        )
        facts = ", ".join(
            part
            for part in (
                detail.plan_type_label,
                str(document.year or ""),
                ngettext(
                    "%(n)s passage analysed",
                    "%(n)s passages analysed",
                    detail.analysis.body_passages,
                )
                % {"n": detail.analysis.body_passages},
            )
            if part
        )
        result.append(
            PlanOut(title=document.title, facts=facts, coverage=table, chart=_chart(chart))
        )
    return result


def _examples(region: Region, language: str) -> list[ExampleOut]:
    from lokalmaal.arena.models import Example, Visibility
    from lokalmaal.arena.models import Status as ExampleStatus

    found = (
        Example.objects.filter(
            status=ExampleStatus.PUBLISHED,
            visibility=Visibility.PUBLIC,
            organisations__region=region,
        )
        .distinct()
        .prefetch_related("organisations", "targets")
    )
    return [
        ExampleOut(
            title=e.title,
            summary=e.summary,
            url=e.get_absolute_url(),
            organisations=", ".join(o.name for o in e.organisations.all()),
            targets=", ".join(t.code for t in e.targets.all()),
        )
        for e in found
    ]


# --- County and municipalities ------------------------------------------------------------------


def county_alignment(county: Region, language: str) -> AlignmentOut:
    """The alignment section for a county's page, in `language`."""
    with translation.override(language):
        return _alignment(county, language)


def _alignment(county: Region, language: str) -> AlignmentOut:
    sets = list(
        published.published_sets().filter(
            Q(organisation__region=county) | Q(organisation__region__parent=county)
        )
    )
    priorities = published.adopted_priorities(sets)
    county_targets: set[str] = set()
    municipal: dict[str, set[str]] = {}
    for workspace in sets:
        region = workspace.organisation.region
        codes = set(priorities.get(workspace.pk, []))
        if region is None or not codes:
            continue
        if region.pk == county.pk:
            county_targets |= codes
        else:
            municipal.setdefault(region.name, set()).update(codes)
    result = alignment.align(county_targets, municipal)
    titles = {t.code: t.title_in(language) for t in Target.objects.all()}
    # Municipalities whose priorities are only in unpublished work: a count, never a name.
    unpublished = (
        Priority.objects.filter(workspace__organisation__region__parent=county)
        .exclude(workspace__organisation__region__name__in=municipal.keys())
        .values("workspace__organisation")
        .distinct()
        .count()
    )

    def table(caption: str, items: tuple[alignment.AlignedTarget, ...]) -> TableOut | None:
        if not items:
            return None
        return TableOut(
            caption=caption,
            header=[_("Target"), _("Municipalities"), _("Which (published)")],
            rows=[
                [
                    Cell(text=f"{t.code} {titles.get(t.code, '')}"),
                    Cell(text=str(len(t.municipalities)), numeric=True),
                    Cell(text=", ".join(t.municipalities) or DASH),
                ]
                for t in items
            ],
        )

    return AlignmentOut(
        intro=_(
            "The priorities of %(county)s beside those of its municipalities, from adopted goal "
            "sets published in Lokalmål: %(n)s municipalities have published theirs."
        )
        % {"county": county.name_with_kind(), "n": len(municipal)},
        both=table(_("Targets both the county and municipalities prioritise"), result.both),
        county_only=table(_("Targets only the county prioritises"), result.county_only),
        municipalities_only=table(
            _("Targets several municipalities prioritise, but not the county"),
            result.municipalities_only,
        ),
        unpublished_note=ngettext(
            "%(n)s more municipality in the county has priorities in work not yet published; "
            "they are not counted or named here.",
            "%(n)s more municipalities in the county have priorities in work not yet published; "
            "they are not counted or named here.",
            unpublished,
        )
        % {"n": unpublished}
        if unpublished
        else "",
        empty=_(
            "Neither the county nor its municipalities have published prioritised targets yet."
        ),
    )


# --- Method and sources -------------------------------------------------------------------------


def _method(county: bool) -> list[str]:
    paragraphs = [
        _(
            "Status and trend follow the method of Open SDG and Statistics Canada: the pace of "
            "change since 2015 (or the first year with a figure) is compared with the pace the "
            "2030 target needs; without a target, the annual change is judged against fixed "
            "limits. A newest figure more than five years old gets the status “Data too old” "
            "and no verdict. Multi-year averages are compared only across windows that do not "
            "overlap."
        ),
        _(
            "Similar municipalities are the ten nearest on population, density, population "
            "growth, share aged 67 and over, centrality and area; the similar, county and Norway "
            "figures are medians of the municipalities in each group in the same year."
        ),
        _(
            "Local goals, priorities, measures, plan analyses and practice examples are counted "
            "only when the organisation has published them in Lokalmål. A local goal's status "
            "uses the same method with its own baseline, target and target year."
        ),
    ]
    if county:
        paragraphs.append(
            _(
                "For a county, each indicator is shown as the median of its municipalities, and "
                "the status picture counts the status of every municipality for every indicator."
            )
        )
    return paragraphs


def _sources(goals: list[GoalSection], today: date, language: str) -> list[ReportSourceOut]:
    """Every source the report's figures come from, with the years of the figures used, and
    the date the report was made."""
    seen: dict[str, str] = {}
    years: dict[str, list[int]] = {}
    for goal in goals:
        for item in goal.indicators:
            if not item.source:
                continue
            seen.setdefault(item.source, item.source_url)
            periods = [row[0].text for row in item.table.rows] if item.table else []
            found = [int(y) for p in [*periods, item.period] for y in re.findall(r"\d{4}", p)]
            years.setdefault(item.source, []).extend(found)

    def dated(label: str) -> str:
        found = years.get(label)
        if not found:
            return label
        first, last = min(found), max(found)
        span = str(first) if first == last else f"{first}–{last}"
        return _("%(source)s (figures for %(years)s)") % {"source": label, "years": span}

    population = _(
        "Statistics Norway (SSB), table 07459: population 1 January, converted to today's municipalities"
    )
    sources = [ReportSourceOut(label=population, url="https://www.ssb.no/statbank/table/07459")]
    sources += [ReportSourceOut(label=dated(label), url=url) for label, url in sorted(seen.items())]
    sources.append(
        ReportSourceOut(
            label=_("The UN's goal and target texts; Lokalmål's bokmål and nynorsk translations"),
            url="https://unstats.un.org/sdgs/indicators/indicators-list/",
        )
    )
    sources.append(
        ReportSourceOut(
            label=_("Report made %(date)s by Lokalmål from the figures loaded then")
            % {"date": _long_date(today, language)},
            url="",
        )
    )
    return sources
