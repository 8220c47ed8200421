"""Check an uploaded file before anything else reads it: its size, and its type judged from its
content (magic bytes, the parts of a Word file), never from its name or the browser's claim.

Every app that takes uploads (practice-example attachments, network documents, plans) calls
`check_upload` with the kinds it accepts and its size limit; a refusal is an `UploadRefusedError`
whose message can be shown to the person as it is.
"""

import io
import os
import zipfile
from typing import BinaryIO, Final

import filetype
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

PDF: Final = "pdf"
PNG: Final = "png"
JPEG: Final = "jpeg"
GIF: Final = "gif"
WEBP: Final = "webp"
DOCX: Final = "docx"
HTML: Final = "html"
TEXT: Final = "text"

IMAGES = frozenset({PNG, JPEG, GIF, WEBP})
DOCUMENTS = frozenset({PDF, DOCX, HTML, TEXT})
CONTENT_TYPES = {
    PDF: "application/pdf",
    PNG: "image/png",
    JPEG: "image/jpeg",
    GIF: "image/gif",
    WEBP: "image/webp",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    HTML: "text/html",
    TEXT: "text/plain",
}
# Shown in refusals ("accepted here: HTML, PDF, plain text, Word (DOCX)"), in the reader's language.
LABELS = {PDF: "PDF", PNG: "PNG", JPEG: "JPEG", GIF: "GIF", WEBP: "WebP", DOCX: "Word (DOCX)",
          HTML: "HTML", TEXT: gettext_lazy("plain text")}  # fmt: skip

# The names each kind is saved under; a file named for one kind but holding another is refused
# where the name matters (a plan: "plan.pdf" that is really plain text). Names not listed here
# (none, .csv, .md …) say nothing and are judged by content alone.
EXTENSIONS = {
    PDF: frozenset({".pdf"}),
    DOCX: frozenset({".docx"}),
    HTML: frozenset({".html", ".htm", ".xhtml"}),
    TEXT: frozenset({".txt", ".text"}),
    PNG: frozenset({".png"}),
    JPEG: frozenset({".jpg", ".jpeg"}),
    GIF: frozenset({".gif"}),
    WEBP: frozenset({".webp"}),
}
# Names of kinds we never take, so "rapport.doc" holding text is called out too.
FOREIGN_EXTENSIONS = {
    ".doc": "Word 97–2003 (DOC)", ".odt": "OpenDocument (ODT)", ".rtf": "RTF",
    ".xlsx": "Excel (XLSX)", ".xls": "Excel (XLS)", ".pptx": "PowerPoint (PPTX)",
}  # fmt: skip

SNIFF_BYTES = 64 * 1024
# A Word file is a zip archive; these stop a zip bomb before any XML parser sees it.
ZIP_MAX_MEMBERS = 5000
ZIP_MAX_UNPACKED = 300 * 1024 * 1024
ZIP_MAX_RATIO = 200


class UploadRefusedError(ValueError):
    """The file is refused; the message says why in the person's language."""


def _binary_kind(head: bytes) -> str | None:
    guess = filetype.guess(head)
    if guess is None:
        return None
    return {
        "application/pdf": PDF,
        "image/png": PNG,
        "image/jpeg": JPEG,
        "image/gif": GIF,
        "image/webp": WEBP,
    }.get(guess.mime, "zip" if _zip_based(guess.mime) else None)


def _zip_based(mime: str) -> bool:
    """filetype names Word, Excel, OpenDocument and EPUB files by their own types; all are zip
    archives, and only the zip check below may call one a Word document."""
    return mime in {"application/zip", "application/epub+zip"} or mime.startswith(
        ("application/vnd.openxmlformats-officedocument.", "application/vnd.oasis.opendocument.")
    )


def _is_docx(stream: BinaryIO) -> bool:
    """A zip archive holding a Word document, and no bigger unpacked than a real one could be."""
    try:
        with zipfile.ZipFile(stream) as archive:
            members = archive.infolist()
            names = {member.filename for member in members}
            unpacked = sum(member.file_size for member in members)
            packed = sum(member.compress_size for member in members) or 1
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    if len(members) > ZIP_MAX_MEMBERS or unpacked > ZIP_MAX_UNPACKED:
        raise UploadRefusedError(_("The Word file unpacks to far more than any real document."))
    if unpacked / packed > ZIP_MAX_RATIO:
        raise UploadRefusedError(_("The Word file is packed suspiciously hard (a zip bomb?)."))
    return "[Content_Types].xml" in names and "word/document.xml" in names


def _text_kind(head: bytes) -> str | None:
    if b"\x00" in head:
        return None
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut off at the end of the sniffed part is still text.
        if error.start < len(head) - 3:
            return _legacy_text_kind(head)
        text = head[: error.start].decode("utf-8")
    start = text.lstrip("\ufeff \t\r\n").lower()[:2048]
    if start.startswith(("<!doctype html", "<html")) or "<body" in start:
        return HTML
    return TEXT


def _legacy_text_kind(head: bytes) -> str | None:
    """Text saved by older Windows programs (cp1252, e.g. æøå as single bytes) is still text when
    it has no control characters besides tab, line breaks and form feed."""
    try:
        text = head.decode("cp1252")
    except UnicodeDecodeError:
        return None
    if any((ord(ch) < 32 and ch not in "\t\n\r\f") or ch == "\x7f" for ch in text):
        return None
    start = text.lstrip(" \t\r\n").lower()[:2048]
    if start.startswith(("<!doctype html", "<html")) or "<body" in start:
        return HTML
    return TEXT


def detect_kind(stream: BinaryIO) -> str | None:
    """The kind of the file from its content, or None when it is none of the kinds above."""
    stream.seek(0)
    head = stream.read(SNIFF_BYTES)
    stream.seek(0)
    kind = _binary_kind(head)
    if kind == "zip":
        kind = DOCX if _is_docx(stream) else None
        stream.seek(0)
        return kind
    return kind or _text_kind(head)


def size_of(stream: BinaryIO) -> int:
    stream.seek(0, io.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    return size


def _named_kind(filename: str) -> str | None:
    """The kind (or foreign format) the file's name claims, if it claims one."""
    extension = os.path.splitext(filename.strip().lower())[1]
    for kind, extensions in EXTENSIONS.items():
        if extension in extensions:
            return kind
    return FOREIGN_EXTENSIONS.get(extension)


def _check_name(filename: str, kind: str) -> None:
    claimed = _named_kind(filename)
    if claimed is None or claimed == kind:
        return
    raise UploadRefusedError(
        _(
            "The file is named %(name)s, but its content is %(kind)s. Save or export it as a real "
            "%(claimed)s (or give it a name that matches its content) and upload it again."
        )
        % {
            "name": os.path.basename(filename)[-100:],
            "kind": str(LABELS[kind]),
            "claimed": str(LABELS.get(claimed, claimed)),
        }
    )


def is_encrypted_pdf(stream: BinaryIO) -> bool:
    """Whether the PDF is encrypted: it needs a password to open, or carries an owner password
    (its content is encrypted, so nobody but its maker can check or extract it)."""
    import pypdfium2 as pdfium  # only PDFs need it
    import pypdfium2.raw as pdfium_raw

    stream.seek(0)
    data = stream.read()
    stream.seek(0)
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        return bool(getattr(error, "err_code", None) == pdfium_raw.FPDF_ERR_PASSWORD)
    try:
        return bool(pdfium_raw.FPDF_GetSecurityHandlerRevision(document.raw) != -1)
    finally:
        document.close()


def check_upload(
    stream: BinaryIO,
    allowed: frozenset[str],
    max_bytes: int,
    *,
    filename: str | None = None,
    refuse_encrypted: bool = False,
) -> str:
    """The file's kind when it is allowed and small enough; UploadRefusedError otherwise.

    With `filename`, a file whose name claims another kind than its content is refused; with
    `refuse_encrypted`, so is an encrypted PDF."""
    size = size_of(stream)
    if size == 0:
        raise UploadRefusedError(_("The file is empty."))
    if size > max_bytes:
        raise UploadRefusedError(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": f"{size / 1e6:.1f}", "limit": f"{max_bytes / 1e6:.0f}"}
        )
    kind = detect_kind(stream)
    if kind not in allowed:
        accepted = ", ".join(sorted(str(LABELS[k]) for k in allowed))
        if kind is None:
            raise UploadRefusedError(
                _(
                    "The file's content is not a type we accept (%(accepted)s), whatever its name says."
                )
                % {"accepted": accepted}
            )
        raise UploadRefusedError(
            _("The file is %(kind)s; accepted here: %(accepted)s.")
            % {"kind": str(LABELS[kind]), "accepted": accepted}
        )
    if filename is not None:
        _check_name(filename, kind)
    if refuse_encrypted and kind == PDF and is_encrypted_pdf(stream):
        raise UploadRefusedError(
            _(
                "The PDF is encrypted or protected with a password, so others cannot open or "
                "check it. Save it without a password or protection and upload it again."
            )
        )
    return kind


def file_response(
    content: bytes, kind: str, filename: str, *, inline: bool = False
) -> HttpResponse:
    """Serve a file this module checked: the type found in its content, never sniffed by the
    browser, not cached by proxies. Only images may open inline; anything else is a download and
    sandboxed, so it never runs in this site's origin."""
    response = HttpResponse(content, content_type=CONTENT_TYPES[kind])
    inline = inline and kind in IMAGES
    response["Content-Disposition"] = (
        content_disposition_header(not inline, filename) or "attachment"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    if not inline:
        response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
