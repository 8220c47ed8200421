"""An encrypted PDF is refused as a practice example's attachment: nobody else could open or
check it (issue #16)."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from fpdf import FPDF

from lokalmaal.arena.models import Attachment


def pdf(user_password: str = "", owner_password: str = "") -> bytes:
    document = FPDF()
    document.add_page()
    document.set_font("helvetica")
    document.cell(text="Skolehagar i alle skular")
    if owner_password:
        document.set_encryption(owner_password=owner_password, user_password=user_password)
    return bytes(document.output())


def post(client, example, content: bytes, language: str = "en"):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    upload = SimpleUploadedFile("rapport.pdf", content, content_type="application/pdf")
    return client.post(reverse("arena:upload", args=[example.pk]), {"file": upload})


@pytest.mark.parametrize(
    "content",
    [pdf(user_password="hemmeleg", owner_password="eigar"), pdf(owner_password="eigar")],
    ids=["password-to-open", "owner-password"],
)
def test_an_encrypted_pdf_is_refused_with_the_reason(draft, bergen_editor, content: bytes):
    response = post(bergen_editor, draft, content)
    assert response.status_code == 400
    assert "The PDF is encrypted or protected with a password" in response.content.decode()
    assert not Attachment.objects.filter(example=draft).exists()


@pytest.mark.parametrize(
    ("language", "words"), [("nb", "kryptert"), ("nn", "kryptert"), ("en", "encrypted")]
)
def test_the_refusal_is_in_the_readers_language(draft, bergen_editor, language, words):
    response = post(bergen_editor, draft, pdf(owner_password="eigar"), language)
    assert words in response.content.decode()


def test_a_plain_pdf_is_still_accepted(draft, bergen_editor):
    response = post(bergen_editor, draft, pdf())
    assert response.status_code == 302
    assert Attachment.objects.get(example=draft).kind == "pdf"
