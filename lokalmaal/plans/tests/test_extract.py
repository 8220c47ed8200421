"""Text extraction from plan documents: real PDF, Word, HTML and text files built here, and
hostile ones (encrypted, truncated, scanned, mislabelled, zip and PDF bombs, oversized) that must
fail with a clear error while this process carries on."""

import io
import os
import zipfile
from pathlib import Path

import docx
import pypdfium2 as pdfium
import pytest
from django.test import override_settings
from django.utils import translation
from docx.enum.text import WD_BREAK
from fpdf import FPDF
from PIL import Image

from lokalmaal.lib.uploads import DOCUMENTS, UploadRefusedError, check_upload, detect_kind
from lokalmaal.plans.extract import (
    Document,
    ExtractionError,
    Line,
    Passage,
    extract_file,
    extract_file_limited,
    extract_text,
    pdf_blocks,
    split_long,
)

FLOW = (
    "Kommunen skal redusere utslippene av klimagasser fra transport, bygg og landbruk. "
    "Vi samarbeider med næringslivet om fossilfrie anleggsplasser og om lading for tunge "
    "kjøretøy. "
)


class PlanPDF(FPDF):
    """An A4 plan with a running header and a page-number footer, like a municipality's."""

    def header(self) -> None:
        self.set_font("Helvetica", size=8)
        self.set_xy(25, 10)
        self.cell(0, 5, "Kommuneplanens samfunnsdel 2024-2036")
        self.set_xy(25, 25)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("Helvetica", size=8)
        self.cell(0, 5, f"Side {self.page_no()}", align="C")

    def heading(self, text: str, size: int = 14) -> None:
        self.set_font("Helvetica", "B", size)
        self.multi_cell(0, size * 0.5, text)
        self.ln(3)

    def para(self, text: str) -> None:
        self.set_font("Helvetica", size=11)
        self.multi_cell(0, 5.5, text)
        self.ln(3)

    def item(self, text: str) -> None:
        self.set_font("Helvetica", size=11)
        self.set_x(30)
        self.multi_cell(0, 5.5, "-  " + text)
        self.set_x(25)


@pytest.fixture(autouse=True)
def _english():
    """The messages are checked in English; one test checks the bokmål translation too."""
    with translation.override("en"):
        yield


def new_pdf() -> PlanPDF:
    pdf = PlanPDF(format="A4")
    pdf.set_margins(25, 25, 25)
    pdf.set_auto_page_break(True, margin=25)
    return pdf


def write_plan_pdf(path: Path) -> None:
    pdf = new_pdf()
    pdf.set_title("Kommuneplan for Testvik 2024-2036")
    pdf.add_page()
    pdf.heading("Kommuneplan for Testvik", 20)
    pdf.para(
        "Kommuneplanen er kommunens overordnede styringsdokument. Den gir retning for "
        "utviklingen av lokalsamfunnet og for tjenestene fram mot 2036."
    )
    pdf.heading("1 Innledning")
    pdf.para(
        "Planen bygger på FNs bærekraftsmål. Kommunestyret vedtok planprogrammet i 2023, og "
        "planen ble vedtatt 12. juni 2024."
    )
    pdf.para("Vi vil at alle innbyggere skal ha et godt liv i Testvik, i alle faser av livet.")
    pdf.add_page()
    pdf.heading("2 Klima og miljø")
    pdf.para("Klimaendringene merkes allerede i kommunen, med mer nedbør og flere flommer.")
    pdf.para("2.1 Energi og transport")  # numbered, in body type: still a heading
    pdf.para("Vi skal:")
    pdf.item("redusere klimagassutslippene med 55 prosent innen 2030")
    pdf.item("bygge ut ladepunkter for elbiler i alle tettsteder")
    pdf.ln(3)
    pdf.para(FLOW * 24)  # runs over onto page 3
    pdf.para("MÅL OG STRATEGIER")
    pdf.para("Innen 2030 skal halvparten av alle reiser i sentrum skje til fots eller med sykkel.")
    pdf.output(str(path))


@pytest.fixture(scope="module")
def plan_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("plans") / "plan.pdf"
    write_plan_pdf(path)
    return path


def test_pdf_passages_keep_pages_headings_and_sections(plan_pdf):
    document = extract_file(plan_pdf)

    assert document.kind == "pdf"
    assert document.title == "Kommuneplan for Testvik 2024-2036"
    assert document.page_count == 3
    summary = [(p.number, p.page, p.heading, p.section, p.text[:40]) for p in document.passages]
    assert summary[:9] == [
        (1, 1, True, "Kommuneplan for Testvik", "Kommuneplan for Testvik"),
        (2, 1, False, "Kommuneplan for Testvik", "Kommuneplanen er kommunens overordnede s"),
        (3, 1, True, "1 Innledning", "1 Innledning"),
        (4, 1, False, "1 Innledning", "Planen bygger på FNs bærekraftsmål. Komm"),
        (5, 1, False, "1 Innledning", "Vi vil at alle innbyggere skal ha et god"),
        (6, 2, True, "2 Klima og miljø", "2 Klima og miljø"),
        (7, 2, False, "2 Klima og miljø", "Klimaendringene merkes allerede i kommun"),
        (8, 2, True, "2.1 Energi og transport", "2.1 Energi og transport"),
        (9, 2, False, "2.1 Energi og transport", "Vi skal:\n• redusere klimagassutslippene "),
    ]
    assert document.passages[1].text == (
        "Kommuneplanen er kommunens overordnede styringsdokument. Den gir retning for "
        "utviklingen av lokalsamfunnet og for tjenestene fram mot 2036."
    )
    # The introducing line and the short list items are one passage, one item a line.
    assert document.passages[8].text == (
        "Vi skal:\n• redusere klimagassutslippene med 55 prosent innen 2030\n"
        "• bygge ut ladepunkter for elbiler i alle tettsteder"
    )
    assert len(summary) == 15  # the long paragraph in between is 4 passages
    assert summary[-2:] == [
        (14, 3, True, "MÅL OG STRATEGIER", "MÅL OG STRATEGIER"),
        (15, 3, False, "MÅL OG STRATEGIER", "Innen 2030 skal halvparten av alle reise"),
    ]


def test_pdf_drops_running_headers_and_page_numbers(plan_pdf):
    texts = " ".join(p.text for p in extract_file(plan_pdf).passages)

    assert "Kommuneplanens samfunnsdel" not in texts
    assert "Side " not in texts


def test_a_paragraph_over_a_page_break_is_joined_then_split_at_sentences(plan_pdf):
    document = extract_file(plan_pdf)
    flow = [p for p in document.passages if p.text.startswith(("Kommunen skal", "Vi samarbeider"))]

    # 24 × 173 characters in one paragraph that starts on page 2 and ends on page 3; each
    # piece has the page it starts on.
    assert " ".join(p.text for p in flow) == (FLOW * 24).strip()
    assert [p.page for p in flow] == [2, 2, 2, 3]
    assert all(len(p.text) <= 1200 for p in flow)
    assert all(p.text.endswith(".") for p in flow)
    assert {p.section for p in flow} == {"2.1 Energi og transport"}


def test_a_repeated_sub_heading_at_the_top_of_pages_is_kept(tmp_path):
    pdf = new_pdf()
    for number in range(1, 5):
        pdf.add_page()
        pdf.heading("Mål")
        pdf.para(f"Kommunen skal nå mål nummer {number} innen 2030, sammen med innbyggerne.")
    pdf.output(str(tmp_path / "maal.pdf"))

    passages = extract_file(tmp_path / "maal.pdf").passages

    assert [(p.page, p.heading, p.text[:24]) for p in passages] == [
        (1, True, "Mål"),
        (1, False, "Kommunen skal nå mål num"),
        (2, True, "Mål"),
        (2, False, "Kommunen skal nå mål num"),
        (3, True, "Mål"),
        (3, False, "Kommunen skal nå mål num"),
        (4, True, "Mål"),
        (4, False, "Kommunen skal nå mål num"),
    ]


def test_words_broken_at_line_ends_are_joined():
    def line(text: str, number: int) -> Line:
        return Line(text, 1, 100 + 14 * number, 70, 520, 11, False, number, False)

    lines = [
        line("Kommunen skal rullere kommune-", 0),
        line("planen og følge plan- og", 1),
        line("bygningsloven. Samarbeidet med FN-", 2),
        line("sambandet fortsetter.", 3),
    ]

    assert [b.text for b in pdf_blocks(lines, 1)] == [
        "Kommunen skal rullere kommuneplanen og følge plan- og bygningsloven. Samarbeidet med "
        "FN-sambandet fortsetter."
    ]


def test_too_many_pages_are_refused(plan_pdf):
    with pytest.raises(ExtractionError) as caught:
        extract_file(plan_pdf, max_pages=2)

    assert caught.value.code == "too_many_pages"
    assert str(caught.value) == "The document has 3 pages; the limit is 2 pages."


def test_encrypted_pdf_is_refused_with_a_clear_message(tmp_path):
    pdf = FPDF()
    pdf.set_encryption(owner_password="eier", user_password="hemmelig")
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.cell(0, 10, "Hemmelig plan")
    pdf.output(str(tmp_path / "locked.pdf"))

    with pytest.raises(ExtractionError) as caught:
        extract_file(tmp_path / "locked.pdf")

    assert caught.value.code == "encrypted"
    assert "password" in str(caught.value)


def test_truncated_pdf_is_corrupt(plan_pdf, tmp_path):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(plan_pdf.read_bytes()[:600])

    with pytest.raises(ExtractionError) as caught:
        extract_file(broken)

    assert caught.value.code == "corrupt"


def test_scanned_pdf_says_we_do_not_read_images(tmp_path):
    pdf = FPDF()
    for _ in range(2):
        pdf.add_page()
        pdf.image(Image.new("RGB", (200, 280), "white"), x=10, y=10, w=190)
    pdf.output(str(tmp_path / "scan.pdf"))

    with pytest.raises(ExtractionError) as caught:
        extract_file(tmp_path / "scan.pdf")

    assert caught.value.code == "image_only"
    assert "scanned" in str(caught.value)
    assert "OCR" in str(caught.value)


def test_blank_pdf_is_empty(tmp_path):
    pdf = FPDF()
    pdf.add_page()
    pdf.output(str(tmp_path / "blank.pdf"))

    with pytest.raises(ExtractionError) as caught:
        extract_file(tmp_path / "blank.pdf")

    assert caught.value.code == "empty"


def test_the_content_decides_the_kind_not_the_name(tmp_path):
    text_named_pdf = tmp_path / "plan.pdf"
    text_named_pdf.write_text("# Plan\n\nKommunen skal bli klimanøytral.\n", encoding="utf-8")
    binary_named_pdf = tmp_path / "bilde.pdf"
    binary_named_pdf.write_bytes(bytes(range(256)) * 40)

    document = extract_file(text_named_pdf)
    with pytest.raises(ExtractionError) as caught:
        extract_file(binary_named_pdf)

    assert document.kind == "text"
    assert [p.text for p in document.passages] == ["Plan", "Kommunen skal bli klimanøytral."]
    assert caught.value.code == "wrong_type"
    assert "whatever its name says" in str(caught.value)


def test_old_word_files_are_refused_with_advice(tmp_path):
    path = tmp_path / "plan.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4000))

    with pytest.raises(ExtractionError) as caught:
        extract_file(path)

    assert caught.value.code == "wrong_type"
    assert ".docx" in str(caught.value)


def test_html_headings_paragraphs_lists_and_tables(tmp_path):
    path = tmp_path / "plan.html"
    path.write_text(
        """<!DOCTYPE html><html lang="nb"><head><title>Planstrategi for Testvik</title>
        <style>p { color: red }</style><script>var secret = "skjult";</script></head>
        <body><nav><a href="/">Hjem</a> <a href="/om">Om kommunen</a></nav>
        <h1>Planstrategi</h1><p>Kommunen skal gjøre <b>folkehelse</b> til et felles ansvar
        for alle sektorer.</p>
        <h2>3.1 Oppvekst</h2><ul><li>Gratis kjernetid i SFO</li><li>Trygge skoleveier</li></ul>
        <table><tr><th>Mål</th><th>Indikator</th></tr>
        <tr><td>Færre utslipp</td><td>Tonn CO<sub>2</sub> per år</td></tr></table>
        <p>Siste&nbsp;avsnitt &amp; slutt.</p></body></html>""",
        encoding="utf-8",
    )

    document = extract_file(path)

    assert document.kind == "html"
    assert document.title == "Planstrategi for Testvik"
    assert document.page_count is None
    assert [(p.heading, p.section, p.text) for p in document.passages] == [
        (True, "Planstrategi", "Planstrategi"),
        (
            False,
            "Planstrategi",
            "Kommunen skal gjøre folkehelse til et felles ansvar for alle sektorer.",
        ),
        (True, "3.1 Oppvekst", "3.1 Oppvekst"),
        (False, "3.1 Oppvekst", "• Gratis kjernetid i SFO\n• Trygge skoleveier"),
        (False, "3.1 Oppvekst", "Mål | Indikator\nFærre utslipp | Tonn CO2 per år"),
        (False, "3.1 Oppvekst", "Siste avsnitt & slutt."),
    ]
    assert {p.page for p in document.passages} == {None}


def test_html_in_windows_encoding_is_read(tmp_path):
    path = tmp_path / "gammel.htm"
    path.write_bytes(
        "<html><body><h1>Økonomiplan</h1><p>Særlig vekt på bærekraft.</p></body></html>".encode(
            "cp1252"
        )
    )

    document = extract_file(path)

    assert [p.text for p in document.passages] == ["Økonomiplan", "Særlig vekt på bærekraft."]


def write_plan_docx(path: Path) -> None:
    word = docx.Document()
    word.core_properties.title = "Kommunedelplan for klima"
    word.add_heading("Kommunedelplan for klima", level=0)
    word.add_paragraph("Planen viser hvordan kommunen skal kutte utslipp.")
    word.add_heading("1 Mål", level=1)
    word.add_paragraph("Fossilfri kommune innen 2030", style="List Bullet")
    word.add_paragraph("Klimatilpasning i all arealplanlegging", style="List Bullet")
    paragraph = word.add_paragraph("Tabellen viser målene.")
    paragraph.runs[0].add_break(WD_BREAK.PAGE)
    word.add_heading("2 Tiltak", level=1)
    table = word.add_table(rows=2, cols=2)
    for row, cells in zip(
        table.rows, [("Tiltak", "Ansvar"), ("Ladepunkter", "Teknisk etat")], strict=True
    ):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    word.add_paragraph("Vedtatt av kommunestyret 12. juni 2024.")
    word.save(str(path))


def test_docx_headings_lists_tables_and_page_breaks(tmp_path):
    path = tmp_path / "plan.docx"
    write_plan_docx(path)

    document = extract_file(path)

    assert document.kind == "docx"
    assert document.title == "Kommunedelplan for klima"
    assert document.page_count == 3
    assert [(p.page, p.heading, p.section, p.text) for p in document.passages] == [
        (1, True, "Kommunedelplan for klima", "Kommunedelplan for klima"),
        (
            1,
            False,
            "Kommunedelplan for klima",
            "Planen viser hvordan kommunen skal kutte utslipp.",
        ),
        (1, True, "1 Mål", "1 Mål"),
        (
            1,
            False,
            "1 Mål",
            "• Fossilfri kommune innen 2030\n• Klimatilpasning i all arealplanlegging",
        ),
        (1, False, "1 Mål", "Tabellen viser målene."),  # the page break comes after its text
        (2, True, "2 Tiltak", "2 Tiltak"),
        (2, False, "2 Tiltak", "Tiltak | Ansvar\nLadepunkter | Teknisk etat"),
        (3, False, "2 Tiltak", "Vedtatt av kommunestyret 12. juni 2024."),
    ]


def test_docx_pages_follow_the_breaks_word_recorded_when_it_last_laid_out(tmp_path):
    from docx.oxml import OxmlElement

    word = docx.Document()
    word.add_paragraph("Første side.")
    second = word.add_paragraph("Andre side begynner her.")
    second.runs[0]._r.insert(0, OxmlElement("w:lastRenderedPageBreak"))
    third = word.add_paragraph("Avsnittet starter på side to")
    third.add_run(" og slutter på side tre.")._r.insert(0, OxmlElement("w:lastRenderedPageBreak"))
    word.add_paragraph("Side tre.")
    word.save(str(tmp_path / "lagt.docx"))

    document = extract_file(tmp_path / "lagt.docx")

    assert document.page_count == 3
    assert [(p.page, p.text) for p in document.passages] == [
        (1, "Første side."),
        (2, "Andre side begynner her."),
        (2, "Avsnittet starter på side to og slutter på side tre."),
        (3, "Side tre."),
    ]


def test_docx_text_inside_content_controls_is_read(tmp_path):
    from docx.oxml import OxmlElement

    word = docx.Document()
    word.add_paragraph("Før kontrollen.")
    inside = word.add_paragraph("Inne i innholdskontrollen.")
    control, content = OxmlElement("w:sdt"), OxmlElement("w:sdtContent")
    inside._p.addprevious(control)
    control.append(content)
    content.append(inside._p)
    word.add_paragraph("Etter kontrollen.")
    word.save(str(tmp_path / "sdt.docx"))

    texts = [p.text for p in extract_file(tmp_path / "sdt.docx").passages]

    assert texts == ["Før kontrollen.", "Inne i innholdskontrollen.", "Etter kontrollen."]


def test_upload_check_takes_a_real_word_file_and_refuses_a_spreadsheet(tmp_path):
    # filetype names both by their own types; only the zip check may call one a Word file.
    write_plan_docx(tmp_path / "plan.docx")
    with zipfile.ZipFile(tmp_path / "tall.xlsx", "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")

    with (tmp_path / "plan.docx").open("rb") as stream:
        assert check_upload(stream, DOCUMENTS, 50_000_000) == "docx"
    with (tmp_path / "tall.xlsx").open("rb") as stream, pytest.raises(UploadRefusedError):
        check_upload(stream, DOCUMENTS, 50_000_000)


def test_docx_without_page_breaks_has_no_pages(tmp_path):
    word = docx.Document()
    word.add_paragraph("Bare ett avsnitt.")
    word.save(str(tmp_path / "kort.docx"))

    document = extract_file(tmp_path / "kort.docx")

    assert document.page_count is None
    assert document.passages == [Passage(1, None, "", "Bare ett avsnitt.", False)]


def zip_bomb_docx(path: Path) -> None:
    """A Word package whose document.xml unpacks to 60 MB of whitespace from 60 kB."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            block = b" " * (1024 * 1024)
            for _ in range(60):
                member.write(block)


def test_a_zip_bomb_docx_is_refused_at_upload_and_at_extraction(tmp_path):
    path = tmp_path / "bomb.docx"
    zip_bomb_docx(path)
    assert path.stat().st_size < 200_000

    with path.open("rb") as stream, pytest.raises(UploadRefusedError):
        check_upload(stream, DOCUMENTS, 50_000_000)
    with pytest.raises(ExtractionError) as caught:
        extract_file(path)

    assert caught.value.code == "too_large"
    assert "unpacks" in str(caught.value)


def test_a_docx_that_is_another_zip_is_the_wrong_type(tmp_path):
    path = tmp_path / "regneark.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")

    with pytest.raises(ExtractionError) as caught:
        extract_file(path)

    assert caught.value.code == "wrong_type"


def test_plain_text_pages_markdown_headings_and_lists(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text(
        "\ufeff# Handlingsdel 2025\n\nTiltak for neste år.\nAndre linje i samme avsnitt.\n\n"
        "## 4.2 Helse\n- Flere fastleger\n- Kortere ventetid\n\f"
        "3.4 Friluftsliv\n\nTurstier skal merkes.\f",
        encoding="utf-8",
    )

    document = extract_file(path)

    assert document.kind == "text"
    assert document.title == "Handlingsdel 2025"
    assert document.page_count == 2
    assert [(p.page, p.heading, p.section, p.text) for p in document.passages] == [
        (1, True, "Handlingsdel 2025", "Handlingsdel 2025"),
        (1, False, "Handlingsdel 2025", "Tiltak for neste år. Andre linje i samme avsnitt."),
        (1, True, "4.2 Helse", "4.2 Helse"),
        (1, False, "4.2 Helse", "• Flere fastleger\n• Kortere ventetid"),
        (2, True, "3.4 Friluftsliv", "3.4 Friluftsliv"),
        (2, False, "3.4 Friluftsliv", "Turstier skal merkes."),
    ]


def test_unwrapped_text_has_a_paragraph_a_line():
    first = "Kommunen skal " + "styrke samarbeidet med frivillige lag og organisasjoner " * 3 + "."
    second = "Vi vil også " + "legge til rette for flere møteplasser i alle bygdene " * 3 + "."

    document = extract_text(f"{first}\n{second}\nKort linje\nsom fortsetter.")

    assert [p.text for p in document.passages] == [first, second, "Kort linje som fortsetter."]


def test_text_in_windows_encoding_is_read(tmp_path):
    path = tmp_path / "notat.txt"
    path.write_bytes("Bærekraft på Ørland – særlig for unge.\n".encode("cp1252"))

    with path.open("rb") as stream:
        assert detect_kind(stream) == "text"
    assert extract_file(path).passages[0].text == "Bærekraft på Ørland – særlig for unge."


def test_pasted_text_has_no_pages_and_takes_the_given_title():
    document = extract_text("Første avsnitt.\n\nAndre avsnitt.", title="Innlimt plan")

    assert document == Document(
        "text",
        "Innlimt plan",
        None,
        [
            Passage(1, None, "", "Første avsnitt.", False),
            Passage(2, None, "", "Andre avsnitt.", False),
        ],
    )


def test_pasted_whitespace_is_empty():
    with pytest.raises(ExtractionError) as caught:
        extract_text(" \n\n \t")

    assert caught.value.code == "empty"
    assert str(caught.value) == "We found no text in the document."


def test_long_paragraphs_are_split_at_sentences_into_even_pieces():
    sentence = "Kommunen skal bygge flere gang- og sykkelveier langs skoleveiene. "  # 66 chars
    text = (sentence * 30).strip()  # 1,979 characters

    pieces = split_long(text)

    assert [len(p) for p in pieces] == [989, 989]
    assert " ".join(pieces) == text
    assert split_long("Kort.") == ["Kort."]
    assert [len(p) for p in split_long("x" * 2500)] == [1200, 1200, 100]


def test_document_survives_json():
    document = extract_text("# Tittel\n\nTekst her.")

    assert Document.from_json(document.to_json()) == document


def test_error_messages_are_translated_when_shown():
    error = ExtractionError("too_many_pages", pages=1200, limit=1000)

    assert str(error) == "The document has 1200 pages; the limit is 1000 pages."
    assert ExtractionError.from_json(error.to_json()).params == error.params
    with translation.override("nb"):
        assert str(error) == "Dokumentet har 1200 sider; grensen er 1000 sider."


# ---------------------------------------------------------------------------------------------
# The child process: limits, bombs, and a parent that lives on


def raw_pdf(objects: list[bytes]) -> bytes:
    """A PDF file from its numbered objects (1 = catalogue), with a correct cross-reference."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def pdf_with_content(
    stream: bytes, filters: bytes = b"/Filter /FlateDecode", kids: int = 1
) -> bytes:
    """One page with the given content stream, listed kids times in the page tree."""
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join([b"3 0 R"] * kids), kids),
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d %s >>\nstream\n" % (len(stream), filters) + stream + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
    )


def flate_bomb(unpacked_mb: int) -> bytes:
    """A deflate stream of repeated text operators, built block by block (a full flush makes every
    block's bytes the same), that inflates to unpacked_mb MB: a PDF bomb in a few MB."""
    import zlib

    chunk = b"BT /F1 12 Tf 72 700 Td (A) Tj ET\n" * 31775  # 1 MB
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    return b"\x78\xda" + block * unpacked_mb + b"\x03\x00" + b"\x00\x00\x00\x01"


def test_limited_extraction_returns_the_same_document(plan_pdf):
    assert extract_file_limited(plan_pdf, time_limit=60) == extract_file(plan_pdf)


def test_limited_extraction_passes_on_clean_errors(tmp_path):
    path = tmp_path / "blank.txt"
    path.write_text("\n\n  \n", encoding="utf-8")

    with pytest.raises(ExtractionError) as caught:
        extract_file_limited(path, time_limit=60)

    assert caught.value.code == "empty"


def test_pdf_bomb_fails_in_the_child_under_the_memory_limit(tmp_path, plan_pdf):
    path = tmp_path / "bomb.pdf"
    path.write_bytes(pdf_with_content(flate_bomb(2000)))  # 2 GB of content stream
    assert path.stat().st_size < 10_000_000

    with pytest.raises(ExtractionError) as caught:
        extract_file_limited(path, time_limit=60, memory_limit=512 * 1024 * 1024)

    assert caught.value.code == "memory"
    assert "more memory than allowed" in str(caught.value)
    # This process is unharmed and extraction still works.
    assert extract_file_limited(plan_pdf, time_limit=60).page_count == 3


def test_a_document_that_takes_too_long_is_stopped(tmp_path):
    path = tmp_path / "slow.pdf"
    # 1.9 million text operators: seconds of parsing, more than the limit allows.
    path.write_bytes(pdf_with_content(flate_bomb(60)))

    with pytest.raises(ExtractionError) as caught:
        extract_file_limited(path, time_limit=1)

    assert caught.value.code == "timeout"
    assert str(caught.value).startswith("Reading the document took longer than the limit of 1 ")


def test_a_crashing_child_is_a_clean_error(tmp_path, monkeypatch):
    path = tmp_path / "plan.txt"
    path.write_text("Tekst.", encoding="utf-8")
    # The child inherits the environment: make its Python die at start.
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    (tmp_path / "sitecustomize.py").write_text("import os, signal\nos.kill(os.getpid(), 11)\n")

    with pytest.raises(ExtractionError) as caught:
        extract_file_limited(path, time_limit=30)

    assert caught.value.code == "corrupt"


def test_a_page_tree_bomb_is_refused_by_its_page_count(tmp_path):
    path = tmp_path / "tree.pdf"
    path.write_bytes(pdf_with_content(b"BT /F1 12 Tf 72 700 Td (Tekst) Tj ET", b"", kids=200_000))

    with pytest.raises(ExtractionError) as caught:
        extract_file_limited(path, time_limit=60)

    assert caught.value.code == "too_many_pages"
    assert str(caught.value) == "The document has 200000 pages; the limit is 1000 pages."


def test_a_page_tree_that_contains_itself_is_corrupt(tmp_path):
    path = tmp_path / "loop.pdf"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>",
    ]
    path.write_bytes(raw_pdf(objects))

    with pytest.raises(ExtractionError) as caught:
        extract_file_limited(path, time_limit=60)

    assert caught.value.code == "corrupt"


@override_settings(PLAN_MAX_BYTES=50_000_000)
def test_a_file_over_50_mb_is_refused_before_parsing(tmp_path):
    path = tmp_path / "huge.pdf"
    with path.open("wb") as file:
        file.write(b"%PDF-1.7\n")
        file.truncate(50_000_001)  # sparse: no 50 MB written

    with path.open("rb") as stream, pytest.raises(UploadRefusedError) as refused:
        check_upload(stream, DOCUMENTS, 50_000_000)
    with pytest.raises(ExtractionError) as caught:
        extract_file_limited(path)

    assert "the limit is 50 MB" in str(refused.value)
    assert caught.value.code == "too_large"
    assert str(caught.value) == "The file is 50.0 MB; the limit is 50 MB."


def test_pdfium_reads_what_fpdf_wrote(plan_pdf):
    # Guards the fixtures themselves: three real pages with text.
    pdf = pdfium.PdfDocument(str(plan_pdf))
    assert len(pdf) == 3
    assert "Innledning" in pdf[0].get_textpage().get_text_range()
    pdf.close()
    assert os.path.getsize(plan_pdf) > 1000
    assert io.BytesIO(plan_pdf.read_bytes()).read(5) == b"%PDF-"


# One document as Word and as PDF (issue 11: the same plan gave 54 and 75 passages, and comparing
# the versions showed a spurious new target). The PDF is laid out the way Word exports it: headings
# in larger bold type, wrapped paragraphs, a bulleted list of 20 items indented under a bullet.
SAME_ITEMS = [
    "Barnehage",
    "Skole og SFO",
    "Kommunen skal sikre at alle barn får plass i barnehage i nærmiljøet sitt",
    "Helsestasjon",
    "Vi vil styrke skolehelsetjenesten med flere helsesykepleiere på ungdomsskolene",
    "Kulturskole",
    "Fritidskortet skal gjøre det mulig for alle barn å delta i en organisert fritidsaktivitet",
    "Bibliotek",
    "Ungdomsråd",
    "Kommunen skal utvikle trygge skoleveier og sammenhengende gang- og sykkelveier",
    "Idrettsanlegg",
    "Vi skal etablere et lavterskeltilbud for psykisk helse for ungdom i alle kommunedeler",
    "Badeplasser",
    "Turstier",
    "Kommunen skal følge opp barn i familier med vedvarende lavinntekt gjennom hele oppveksten",
    "Leksehjelp",
    "Sommerjobb",
    "Vi vil gi nyankomne elever god opplæring i norsk og morsmål fra første skoledag",
    "Mobbeombud",
    "Kommunen skal samarbeide med frivillige lag og foreninger om gratis aktiviteter i feriene",
]
SAME_PARAGRAPH = (
    "Kommunen skal være et godt sted å vokse opp for alle barn og unge. Det krever at tjenestene "
    "samarbeider tett, at barn og unge blir hørt i saker som angår dem, og at vi setter inn tiltak "
    "tidlig når et barn trenger hjelp."
)


def write_same_docx(path: Path) -> None:
    word = docx.Document()
    word.add_heading("Oppvekstplan for Testvik", level=0)
    word.add_paragraph(SAME_PARAGRAPH)
    word.add_heading("3 Tjenester for barn og unge", level=1)
    word.add_paragraph("Kommunen har disse tjenestene og tiltakene:")
    for item in SAME_ITEMS:
        word.add_paragraph(item, style="List Bullet")
    word.add_heading("4 Oppfølging", level=1)
    word.add_paragraph("Planen rulleres hvert fjerde år.")
    word.save(str(path))


class ExportedPDF(PlanPDF):
    """As Word exports a short document: no running header or page number."""

    def header(self) -> None:
        return None

    def footer(self) -> None:
        return None


def write_same_pdf(path: Path) -> None:
    pdf = ExportedPDF(format="A4")
    pdf.set_margins(25, 25, 25)
    pdf.set_auto_page_break(True, margin=25)
    pdf.core_fonts_encoding = "windows-1252"  # has "•", as Word's exported PDFs do
    pdf.add_page()
    pdf.heading("Oppvekstplan for Testvik", 20)
    pdf.para(SAME_PARAGRAPH)
    pdf.heading("3 Tjenester for barn og unge")
    pdf.para("Kommunen har disse tjenestene og tiltakene:")
    pdf.set_font("Helvetica", size=11)
    for item in SAME_ITEMS:
        pdf.set_x(30)
        pdf.multi_cell(0, 5.5, "\u2022  " + item)
    pdf.set_x(25)
    pdf.ln(3)
    pdf.heading("4 Oppfølging")
    pdf.para("Planen rulleres hvert fjerde år.")
    pdf.output(str(path))


def test_the_same_plan_as_pdf_and_docx_gives_the_same_passages(tmp_path):
    write_same_docx(tmp_path / "plan.docx")
    write_same_pdf(tmp_path / "plan.pdf")

    from_word = extract_file(tmp_path / "plan.docx").passages
    from_pdf = extract_file(tmp_path / "plan.pdf").passages

    def summary(passages: list[Passage]) -> list[tuple[bool, str, str]]:
        return [(p.heading, p.section, p.text) for p in passages]

    assert summary(from_pdf) == summary(from_word)
    # The 20-item list is not one passage: every long item stands alone, short ones are grouped.
    listed = [p.text for p in from_word if p.section == "3 Tjenester for barn og unge"]
    assert len(listed) >= 10
    assert all(len(text) <= 600 for text in listed)
    assert "• Kommunen skal sikre at alle barn får plass i barnehage i nærmiljøet sitt" in listed


def test_word_bullets_exported_as_symbol_font_glyphs_start_list_items():
    def line(text: str, baseline: float, left: float = 72.0) -> Line:
        return Line(text, 1, baseline, left, 500.0, 11.0, False, 0, False)

    lines = [
        line("Kommunen vil:", 100),
        line("\uf0b7 ta i bruk regnbed og grønne tak i alle nye boligfelt i sentrum", 114, 80),
        line("\uf0a7bygge ut gang- og sykkelveier langs fylkesvegen mot skolen", 128, 80),
        line("\uf0b7 kartlegge flomveger i alle tettsteder innen utgangen av 2026", 142, 80),
    ]
    blocks = pdf_blocks(lines, 1)
    assert [b.kind for b in blocks] == ["paragraph", "item", "item", "item"]
