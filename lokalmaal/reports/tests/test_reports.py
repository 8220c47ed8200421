"""The SDG report (page, PDF, Word), the batch, county alignment, KS's overview and the Open SDG
export, on the real data bundle. One municipality and one county per format keep it fast."""

import csv
import io
import json
import os
import re
import shutil
import subprocess
import zipfile
from datetime import date

import pypdfium2
import pytest
import yaml
from docx import Document

from conftest import make_organisation, make_user
from lokalmaal.accounts.models import Organisation, OrganisationKind
from lokalmaal.catalogue.models import Target
from lokalmaal.indicators.models import IndicatorValue
from lokalmaal.localgoals import actions
from lokalmaal.localgoals.models import (
    GoalIndicator,
    GoalKind,
    LocalGoal,
    Priority,
    Status,
    Workspace,
)
from lokalmaal.regions.models import Region
from lokalmaal.reports import alignment, batch, opensdg
from lokalmaal.reports.content import build_report
from lokalmaal.reports.pdf import to_pdf
from lokalmaal.reports.word import to_docx

pytestmark = pytest.mark.django_db


def goal_set(
    organisation: Organisation,
    targets: list[str],
    *,
    published: bool = True,
    goals: tuple[tuple[str, str, str], ...] = (),
) -> Workspace:
    """A goal set adopted through the real action (which stores the adopted version), with
    (title, library indicator, measure) goals, published or not."""
    user = make_user(f"planner{Workspace.objects.count()}@{organisation.slug}.no")
    workspace = Workspace.objects.create(
        organisation=organisation,
        title=f"Samfunnsdelen til {organisation.name}",
        plan_type="samfunnsdel",
    )
    for code in targets:
        Priority.objects.create(workspace=workspace, target=Target.objects.get(code=code))
    for title, library_id, measure in goals:
        goal = LocalGoal.objects.create(workspace=workspace, kind=GoalKind.COMMUNITY, title=title)
        GoalIndicator.objects.create(
            goal=goal, library_id=library_id, name="Målt", unit="x", direction="lower",
            baseline_value=100.0, baseline_year=2015, target_value=50.0, target_year=2030,
        )  # fmt: skip
        actions.do_add_measure(
            goal,
            user,
            actions.MeasureInput(measure, "Bymiljøetaten", date(2027, 1, 1), "started", "", ""),
        )
    decision = actions.Decision(adopted_on=date(2025, 6, 19), case_number="25/17", body="Bystyret")
    actions.do_change_status(workspace, user, Status.ADOPTED, decision)
    if published:
        actions.do_set_published(workspace, user, True)
    return workspace


def county_organisation(code: str) -> Organisation:
    region = Region.objects.get(code=code)
    return Organisation.objects.create(
        slug=region.slug, name=region.name_with_kind(), kind=OrganisationKind.COUNTY, region=region
    )


# --- The municipality's report ---------------------------------------------------------------


def test_bergens_report_page_is_in_bokmaal_with_every_goal_and_charts_with_text(client):
    response = client.get("/kommuner/4601/rapport/")
    assert response.status_code == 200
    assert response["Content-Language"] == "nb"
    page = response.content.decode()
    for number in range(1, 18):
        assert f'id="goal-{number}"' in page
    assert page.count('role="img"') > 17  # a status chart per goal with figures, and more
    assert "<title>" in page
    assert "/kommuner/4601/rapport.pdf" not in page or "rapport.pdf" in page
    assert "rapport.pdf" in page
    assert "rapport.docx" in page


def test_voldas_report_is_in_nynorsk_and_in_english_on_request(client):
    assert client.get("/kommuner/1577/rapport/")["Content-Language"] == "nn"
    english = client.get("/kommuner/1577/rapport/?lang=en")
    assert english["Content-Language"] == "en"
    assert "SDG report for Volda kommune" in english.content.decode()


def test_a_report_names_outdated_and_missing_indicators():
    report = build_report("4601", "nb")
    missing = [name for goal in report.goals for name in goal.missing]
    outdated = [name for goal in report.goals for name in goal.outdated]
    assert missing
    assert outdated
    values = IndicatorValue.objects.filter(region__code="4601").exclude(value=None)
    with_figures = set(values.values_list("indicator_id", flat=True))
    shown = {i.id for goal in report.goals for i in goal.indicators}
    assert shown == with_figures  # every indicator with a figure has its section


@pytest.fixture(scope="module")
def bergen_pdf(django_db_blocker):
    with django_db_blocker.unblock():
        report = build_report("4601", "nb")
        return report, to_pdf(report)


def test_the_pdf_has_page_numbers_contents_searchable_text_and_a_chart_per_goal(bergen_pdf):
    report, content = bergen_pdf
    document = pypdfium2.PdfDocument(content)
    assert len(document) > 10
    text = "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    assert "Bergen" in text
    assert f"Side {len(document)}" in text  # page numbers, in bokmål
    contents = [item.get_title() for item in document.get_toc()]
    assert report.text["goals"] in contents
    assert report.text["method"] in contents
    goals_with_data = [g for g in report.goals if g.indicators]
    assert goals_with_data
    for goal in goals_with_data:
        assert goal.status_chart is not None
        assert goal.status_chart.alt.split(" i ")[0] in text  # its caption, as text
    assert b"/StructTreeRoot" in content  # tagged
    assert b"/Lang" in content


@pytest.fixture(scope="module")
def volda_docx(django_db_blocker):
    with django_db_blocker.unblock():
        report = build_report("1577", "nn")
        return report, to_docx(report)


def test_the_word_file_has_real_heading_styles_and_vector_charts(volda_docx):
    report, content = volda_docx
    document = Document(io.BytesIO(content))
    styled = [(p.style.name if p.style else "", p.text) for p in document.paragraphs]
    headings = {(style, text) for style, text in styled if style.startswith("Heading")}
    assert ("Heading 1", report.text["goals"]) in headings
    assert any(
        style == "Heading 2" and text.startswith(report.text["goal"]) for style, text in headings
    )
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = archive.namelist()
        assert any(n.endswith(".svg") for n in names)
        assert "svgBlip" in archive.read("word/document.xml").decode()
    assert document.core_properties.language == "nn-NO"


OFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def test_the_word_file_opens_in_libreoffice(tmp_path, volda_docx):
    if OFFICE is None:
        if os.environ.get("LOKALMAAL_REQUIRE_OFFICE"):
            pytest.fail("needs LibreOffice (Debian's libreoffice-writer-nogui)")
        pytest.skip("needs LibreOffice (Debian's libreoffice-writer-nogui)")
    source = tmp_path / "volda.docx"
    source.write_bytes(volda_docx[1])
    subprocess.run(
        [OFFICE, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=240,
    )  # fmt: skip
    converted = pypdfium2.PdfDocument(tmp_path / "volda.pdf")
    assert len(converted) > 5
    assert "Volda" in converted[0].get_textpage().get_text_range()


def test_downloads_are_files_and_unknown_formats_or_regions_are_not_found(client):
    response = client.get("/kommuner/1577/rapport.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert client.get("/kommuner/1577/rapport.exe").status_code == 404
    assert client.get("/kommuner/9999/rapport/").status_code == 404
    assert client.get("/fylker/1577/rapport/").status_code == 302  # a municipality, not a county


# --- Local goals and the county --------------------------------------------------------------


def test_published_local_goals_show_baseline_latest_target_status_and_measures(bergen):
    value = (
        IndicatorValue.objects.filter(region__code="4601", year__gte=2016)
        .exclude(value=None)
        .order_by("-year")
        .first()
    )
    assert value is not None
    goal_set(
        bergen, ["11.6"], goals=(("Reinare luft i Bergen", value.indicator_id, "Fleire ladepunkt"),)
    )
    report = build_report("4601", "nb")
    [adopted] = report.goal_sets
    [goal] = adopted.goals
    assert goal.indicators is not None
    baseline, latest, target = (cell.text for cell in goal.indicators.rows[0][1:4])
    assert baseline.startswith("100")
    assert str(value.year) in latest
    assert target.startswith("50")
    assert goal.measure_table is not None
    assert goal.measure_table.rows[0][0].text == "Fleire ladepunkt"
    assert "11.6" in report.goals[10].prioritised[0]
    assert ("Vedtatt av", "Bystyret") in adopted.facts
    goal_set(bergen, ["13.2"], published=False)
    assert len(build_report("4601", "nb").goal_sets) == 1  # unpublished work stays out


def test_the_county_report_aligns_county_and_published_municipal_priorities(client):
    goal_set(county_organisation("46"), ["11.6", "13.2"])
    goal_set(make_organisation("4601"), ["11.6", "3.4"])
    goal_set(make_organisation("4621"), ["3.4"])  # Voss
    goal_set(make_organisation("4640"), ["7.2"], published=False)  # Sogndal, not published
    report = build_report("46", "nb")
    assert report.alignment is not None
    both, county_only, others = (
        report.alignment.both,
        report.alignment.county_only,
        report.alignment.municipalities_only,
    )
    assert both is not None
    assert county_only is not None
    assert others is not None
    assert [r[0].text.split()[0] for r in both.rows] == ["11.6"]
    assert [r[0].text.split()[0] for r in county_only.rows] == ["13.2"]
    assert [r[0].text.split()[0] for r in others.rows] == ["3.4"]
    assert others.rows[0][2].text == "Bergen, Voss"
    assert report.alignment.unpublished_note  # counted, never named
    page = client.get("/fylker/46/rapport/").content.decode()
    assert "Sogndal" not in page.split('id="alignment"')[1]
    county_page = client.get("/fylker/46/").content.decode().split('id="alignment"')[1]
    assert "Bergen, Voss" in county_page  # the county's own page has the section too
    assert "Sogndal" not in county_page.split("</section>")[0]
    document = pypdfium2.PdfDocument(to_pdf(report))
    assert len(document) > 5
    docx = Document(io.BytesIO(to_docx(report)))
    assert any(
        p.style is not None and p.style.name == "Heading 1" and p.text == report.text["alignment"]
        for p in docx.paragraphs
    )


def test_alignment_sorts_targets_into_both_county_only_and_many_municipalities():
    result = alignment.align({"1.1", "2.1"}, {"A": {"1.1", "3.1"}, "B": {"3.1"}, "C": {"4.1"}})
    assert [t.code for t in result.both] == ["1.1"]
    assert [t.code for t in result.county_only] == ["2.1"]
    assert [(t.code, t.municipalities) for t in result.municipalities_only] == [("3.1", ("A", "B"))]


# --- The batch -------------------------------------------------------------------------------


def test_the_batch_writes_whole_files_reports_progress_and_skips_finished_ones(tmp_path):
    seen: list[batch.Progress] = []
    targets = batch.regions("1577")
    assert batch.write_reports(targets, tmp_path, ("pdf",), progress=seen.append) == 1
    assert (tmp_path / "1577-volda-nn.pdf").read_bytes().startswith(b"%PDF")
    assert [(p.done, p.total, p.skipped) for p in seen] == [(1, 1, False)]
    assert batch.write_reports(targets, tmp_path, ("pdf",), progress=seen.append) == 0
    assert seen[-1].skipped
    assert [p.name for p in tmp_path.iterdir()] == ["1577-volda-nn.pdf"]
    with pytest.raises(ValueError, match="9999"):
        batch.regions("1577,9999")


# --- KS's overview ---------------------------------------------------------------------------


def test_the_overview_names_only_published_work(client):
    goal_set(make_organisation("4601"), ["11.6"])
    goal_set(make_organisation("1577"), ["14.1"], published=False)
    page = client.get("/oversikt/")
    assert page.status_code == 200
    html = re.sub(r"<svg.*?</svg>", "", page.content.decode(), flags=re.S)  # the map names all
    assert "Bergen kommune" in html
    assert "11.6" in html
    assert "Volda" not in html
    assert "14.1" not in html
    data = client.get("/api/v1/overview/").json()
    assert [t["code"] for t in data["targets"]] == ["11.6"]
    assert "Volda kommune" not in json.dumps(data)
    counts = {c["key"]: c for c in data["counts"]}
    assert counts["municipalities_with_workspaces"]["value"] == 2  # both, as a count only
    assert counts["published_goal_sets"]["value"] == 1
    filtered = client.get("/api/v1/overview/?county=15").json()  # Møre og Romsdal: Volda alone
    counts = {c["key"]: c for c in filtered["counts"]}
    assert counts["municipalities_with_workspaces"]["value"] is None
    assert filtered["municipalities"] == Region.objects.filter(parent__code="15").count()
    assert (
        sum(
            g["on_track"] + g["worsening"] + g["missing"] + g["outdated"] + g["unknown"]
            for g in data["goals"]
        )
        > 0
    )


# --- Open data -------------------------------------------------------------------------------


def test_the_open_sdg_export_reads_back_to_every_value_in_the_database(tmp_path, client):
    assert opensdg.write(tmp_path) > 3
    package = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    described = {r["path"] for r in package["resources"]}
    written = {str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file()}
    assert described == written - {"datapackage.json"}
    exported = set()
    for meta in (tmp_path / "meta").glob("*.md"):
        front = yaml.safe_load(meta.read_text(encoding="utf-8").split("---")[1])
        data = tmp_path / "data" / f"indicator_{meta.stem}.csv"
        with data.open(encoding="utf-8") as file:
            rows = list(csv.DictReader(file))
        assert all(list(r) == list(opensdg.COLUMNS) for r in rows)
        exported |= {
            (front["lokalmaal_id"], int(r["Year"]), r["GeoCode"], float(r["Value"])) for r in rows
        }
    numbered = opensdg.numbering()  # indicators tied to no target have no Open SDG number
    stored = {
        (i, y, c, v)
        for i, y, c, v in IndicatorValue.objects.exclude(value=None).values_list(
            "indicator_id", "year", "region__code", "value"
        )
        if i in numbered
    }
    assert len(stored) > 1000
    assert exported == stored
    download = client.get("/api/v1/open-data/opensdg.zip")
    assert download.status_code == 200
    with zipfile.ZipFile(io.BytesIO(download.content)) as archive:
        assert "datapackage.json" in archive.namelist()
