from typing import Any, BinaryIO, cast

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from lokalmaal.lib.uploads import DOCUMENTS, UploadRefusedError, check_upload
from lokalmaal.plans.models import PlanType

PASTE_MAX_CHARS = 1_000_000  # well under Django's 2.5 MB cap on form fields held in memory
# Room for the other form fields and the multipart wrapping around the file itself.
REQUEST_MARGIN = 1_000_000


def request_limit() -> int:
    return int(settings.PLAN_MAX_BYTES) + REQUEST_MARGIN


def declared_too_large(request: HttpRequest) -> bool:
    """The request says it is bigger than any allowed upload: refuse before reading the body."""
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > request_limit()
    except ValueError:
        return False


class SizeLimitHandler(FileUploadHandler):
    """Stops reading an upload once it passes the limit, for requests that do not say their
    length (or lie about it). Django then leaves the file out; the form says why."""

    def __init__(self, request: HttpRequest, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.exceeded = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            self.exceeded = True
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def too_large_message() -> str:
    limit = int(settings.PLAN_MAX_BYTES)
    return str(
        _("The file is larger than the limit of %(limit)s MB. Split it, or paste the text.")
        % {"limit": f"{limit / 1e6:.0f}"}
    )


class PlanForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=300,
        help_text=_("E.g. Kommuneplanens samfunnsdel 2025–2037, høringsutkast"),
    )
    # No kind is preselected: the person chooses one (a wrong default would go unnoticed).
    plan_type = forms.ChoiceField(
        label=_("Kind of plan"), choices=[("", _("Choose a kind of plan")), *PlanType.choices]
    )
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100, required=False)
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("PDF, Word (DOCX), HTML or plain text, at most 50 MB."),
    )
    text = forms.CharField(
        label=_("Or paste the text"),
        required=False,
        max_length=PASTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Instead of a file. Paragraphs separated by blank lines."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = ""

    def clean_file(self) -> UploadedFile[bytes] | None:
        upload = self.cleaned_data.get("file")
        if not upload:
            return None
        try:
            self.kind = check_upload(
                cast(BinaryIO, upload),
                DOCUMENTS,
                int(settings.PLAN_MAX_BYTES),
                filename=upload.name or "",  # "plan.pdf" that is plain text is refused
            )
        except UploadRefusedError as error:
            raise forms.ValidationError(str(error)) from None
        return cast("UploadedFile[bytes]", upload)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        has_file = bool(data.get("file"))
        has_text = bool((data.get("text") or "").strip())
        if "file" in self.errors:
            return data
        if has_file and has_text:
            raise forms.ValidationError(_("Give a file or pasted text, not both."))
        if not has_file and not has_text:
            raise forms.ValidationError(_("Choose a file to upload, or paste the text."))
        return data
