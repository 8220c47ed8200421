"""A plan whose content does not match its name is refused with the reason, before anything
reads it: a plain-text file named .pdf was silently analysed as text (issue #16)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lokalmaal.plans.models import PlanDocument

TEXT = b"Kommunen skal redusere klimagassutslippene innen 2030.\n"
HTML = b"<!doctype html><html><body><p>Kommunen skal redusere utsleppa.</p></body></html>"


def upload(client, slug: str, name: str, content: bytes, language: str = "en"):
    data = {
        "title": "Kommuneplanens samfunnsdel",
        "plan_type": "samfunnsdel",
        "year": "2024",
        "file": SimpleUploadedFile(name, content),
    }
    return client.post(f"/organisasjoner/{slug}/planar/ny/?lang={language}", data)


@pytest.mark.parametrize(
    ("name", "content", "claimed", "actual"),
    [
        ("plan.pdf", TEXT, "PDF", "plain text"),
        ("plan.docx", HTML, "Word (DOCX)", "HTML"),
        ("plan.doc", TEXT, "Word 97–2003 (DOC)", "plain text"),
        ("plan.txt", HTML, "plain text", "HTML"),
    ],
)
def test_a_file_named_for_another_type_is_refused(
    bergen, bergen_admin, name, content, claimed, actual
):
    response = upload(bergen_admin, bergen.slug, name, content)
    html = response.content.decode()
    assert response.status_code == 400
    assert f"The file is named {name}, but its content is {actual}." in html
    assert f"as a real {claimed}" in html
    assert not PlanDocument.objects.exists()


@pytest.mark.parametrize(
    ("language", "words"),
    [("nb", "men innholdet er ren tekst"), ("nn", "men innhaldet er rein tekst"), ("en", "but")],
)
def test_the_reason_is_in_the_readers_language(bergen, bergen_admin, language, words):
    html = upload(bergen_admin, bergen.slug, "plan.pdf", TEXT, language).content.decode()
    assert words in html


@pytest.mark.parametrize("name", ["plan.txt", "plan.md", "plan", "PLAN.TXT"])
def test_a_name_that_matches_or_says_nothing_is_accepted(bergen, bergen_admin, name):
    response = upload(bergen_admin, bergen.slug, name, TEXT)
    assert response.status_code == 302
    assert PlanDocument.objects.get().kind == "text"
