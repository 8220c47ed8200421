"""Text of a plan document as numbered passages, with the page each starts on and the section it
belongs to, ready for the SDG classifier.

PDF is read with pypdfium2, Word (DOCX) with python-docx, HTML with the standard library's parser,
plain text by blank lines, form feeds (new page) and Markdown `#` headings. The kind is judged from
the content, never the name. Broken, encrypted, empty and scanned documents raise an
`ExtractionError` whose code says what went wrong and whose message says it in the person's
language. Parsing a file from outside should go through `extract_file_limited`, which runs
`extract_file` in a child process with a time and memory limit (see sandbox.py).

Passages are paragraphs and list items: broken PDF lines are joined into paragraphs, running
headers, footers and page numbers are dropped, short list items are kept together, and a long
paragraph is split at sentence ends so no passage is much longer than PASSAGE_LIMIT characters.
"""

from __future__ import annotations

import codecs
import contextlib
import ctypes
import itertools
import math
import re
import statistics
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Final

from django.conf import settings
from django.utils.translation import gettext, gettext_noop

from lokalmaal.lib.uploads import DOCUMENTS, DOCX, HTML, PDF, TEXT, UploadRefusedError, detect_kind

PASSAGE_LIMIT: Final = 1200  # characters; longer paragraphs are split at sentence ends
GROUP_LIMIT: Final = 600  # consecutive short list items / table rows share a passage up to this
HEADING_MAX_CHARS: Final = 200
# A document whose text is far beyond any real plan is refused rather than held in memory.
MAX_TEXT_CHARS: Final = 40_000_000
OLE_MAGIC: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .doc, and password-protected .docx


@dataclass(frozen=True)
class Passage:
    number: int  # order in the document, from 1
    page: int | None  # 1-based page where it starts; None when the format has no pages
    section: str  # the nearest heading above it, or the heading itself; "" if none
    text: str
    heading: bool  # True when this passage is itself a heading


@dataclass(frozen=True)
class Document:
    kind: str  # "pdf" | "docx" | "html" | "text"
    title: str  # from metadata or the first heading, else ""
    page_count: int | None
    passages: list[Passage]

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "title": self.title,
            "page_count": self.page_count,
            "passages": [asdict(passage) for passage in self.passages],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Document:
        return cls(
            kind=str(data["kind"]),
            title=str(data["title"]),
            page_count=None if data["page_count"] is None else int(data["page_count"]),
            passages=[
                Passage(
                    number=int(item["number"]),
                    page=None if item["page"] is None else int(item["page"]),
                    section=str(item["section"]),
                    text=str(item["text"]),
                    heading=bool(item["heading"]),
                )
                for item in data["passages"]
            ],
        )


# Messages by reason; a reason is the error code or a more precise variant of it. They are
# translated when shown (str(error)), so an error raised in a worker reads in the viewer's language.
MESSAGES: Final = {
    "encrypted": gettext_noop(
        "The document is protected with a password, so its text cannot be read. Save or export "
        "it without a password and try again."
    ),
    "encrypted_word": gettext_noop(
        "The Word file is protected with a password, so its text cannot be read. Save it without "
        "a password and try again."
    ),
    "corrupt": gettext_noop(
        "The file is damaged, so its text could not be read. Try saving or exporting it again "
        "from the program that made it."
    ),
    "empty": gettext_noop("We found no text in the document."),
    "image_only": gettext_noop(
        "The document looks scanned: its pages are images without text, and Lokalmål does not "
        "read text from images (OCR). Upload a version with text, for example the original file "
        "or a PDF exported from the word processor."
    ),
    "too_many_pages": gettext_noop(
        "The document has %(pages)s pages; the limit is %(limit)s pages."
    ),
    "too_large": gettext_noop("The file is %(size)s MB; the limit is %(limit)s MB."),
    "too_large_unpacked": gettext_noop(
        "The Word file unpacks to far more than any real document, so it was not read."
    ),
    "too_large_text": gettext_noop(
        "The document holds far more text than any real plan, so it was not read."
    ),
    "wrong_type": gettext_noop(
        "The file's content is not PDF, Word (DOCX), HTML or plain text, whatever its name says."
    ),
    "legacy_word": gettext_noop(
        "This is an old Word file (.doc). Save it as .docx or PDF and upload it again."
    ),
    "timeout": gettext_noop(
        "Reading the document took longer than the limit of %(seconds)s seconds, so it was "
        "stopped. The file may be damaged or unusually complex."
    ),
    "memory": gettext_noop(
        "Reading the document needed more memory than allowed, so it was stopped. The file may be "
        "damaged or made to overload the system."
    ),
}
CODES: Final = frozenset(
    {"encrypted", "corrupt", "empty", "image_only", "too_many_pages", "too_large", "wrong_type",
     "timeout", "memory"}
)  # fmt: skip


class ExtractionError(Exception):
    """The document's text cannot be read. `code` is one of CODES, `reason` picks the message
    (the code itself or a variant), `params` fill it in; str(error) is the translated message."""

    def __init__(self, code: str, reason: str | None = None, **params: str | int) -> None:
        if code not in CODES:
            raise ValueError(f"unknown extraction error code {code!r}")
        self.code = code
        self.reason = reason if reason in MESSAGES else code
        self.params = params
        super().__init__(code)

    def __str__(self) -> str:
        message = gettext(MESSAGES[self.reason])
        return message % self.params if self.params else message

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "reason": self.reason, "params": self.params}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ExtractionError:
        params = {str(k): v for k, v in dict(data.get("params") or {}).items()}
        return cls(str(data["code"]), data.get("reason"), **params)


# ---------------------------------------------------------------------------------------------
# Public entry points


def extract_file(
    path: Path, *, max_pages: int | None = None, max_bytes: int | None = None
) -> Document:
    """The document in the file, in this process. Use extract_file_limited for uploads."""
    limit = settings.PLAN_MAX_PAGES if max_pages is None else max_pages
    kind = _kind_of(path, settings.PLAN_MAX_BYTES if max_bytes is None else max_bytes)
    if kind == PDF:
        document = _read_pdf(path, limit)
    elif kind == DOCX:
        document = _read_docx(path, limit)
    else:
        data = path.read_bytes()
        text = _decode(data, html=kind == HTML)
        document = _read_html(text) if kind == HTML else _read_text(text, "", limit)
    if not document.passages:
        raise ExtractionError("empty")
    return document


def extract_text(text: str, title: str = "") -> Document:
    """Pasted text: paragraphs at blank lines, Markdown `#` headings, form feed = new page."""
    document = _read_text(text, title.strip(), settings.PLAN_MAX_PAGES)
    if not document.passages:
        raise ExtractionError("empty")
    return document


def extract_file_limited(
    path: Path,
    *,
    time_limit: float | None = None,
    memory_limit: int | None = None,
    max_pages: int | None = None,
) -> Document:
    """extract_file in a child process limited to time_limit seconds (wall clock and CPU) and
    memory_limit bytes of address space (defaults: PLAN_TIME_LIMIT, PLAN_MEMORY_LIMIT). However
    the child ends, this process only ever sees a Document or an ExtractionError."""
    from lokalmaal.plans.sandbox import run_extraction

    _check_size(path, settings.PLAN_MAX_BYTES)
    result = run_extraction(
        path,
        time_limit=float(settings.PLAN_TIME_LIMIT if time_limit is None else time_limit),
        memory_limit=int(settings.PLAN_MEMORY_LIMIT if memory_limit is None else memory_limit),
        max_pages=int(settings.PLAN_MAX_PAGES if max_pages is None else max_pages),
        max_bytes=settings.PLAN_MAX_BYTES,
    )
    if "error" in result:
        raise ExtractionError.from_json(result["error"])
    return Document.from_json(result["document"])


# ---------------------------------------------------------------------------------------------
# Kind and size


def _check_size(path: Path, max_bytes: int) -> None:
    size = path.stat().st_size
    if size == 0:
        raise ExtractionError("empty")
    if size > max_bytes:
        raise ExtractionError("too_large", size=f"{size / 1e6:.1f}", limit=f"{max_bytes / 1e6:.0f}")


def _kind_of(path: Path, max_bytes: int) -> str:
    _check_size(path, max_bytes)
    with path.open("rb") as stream:
        if stream.read(len(OLE_MAGIC)) == OLE_MAGIC:
            # An OLE compound file: a password-protected .docx keeps its content in a stream of
            # this name; otherwise it is an old binary Word (or Excel) file.
            if "EncryptedPackage".encode("utf-16-le") in path.read_bytes():
                raise ExtractionError("encrypted", "encrypted_word")
            raise ExtractionError("wrong_type", "legacy_word")
        try:
            kind = detect_kind(stream)
        except UploadRefusedError:
            raise ExtractionError("too_large", "too_large_unpacked") from None
    if kind not in DOCUMENTS:
        raise ExtractionError("wrong_type")
    return kind


def _decode(data: bytes, *, html: bool) -> str:
    """Text from bytes: a UTF-8 BOM wins, then an HTML charset declaration, then UTF-8, then
    cp1252 (Windows' Western European encoding), then latin-1, which never fails."""
    if data.startswith(codecs.BOM_UTF8):
        return data.decode("utf-8-sig", errors="replace")
    candidates = ["utf-8", "cp1252", "latin-1"]
    if html:
        declared = re.search(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_-]+)""", data[:4096], re.I)
        if declared:
            with contextlib.suppress(LookupError):
                candidates.insert(0, codecs.lookup(declared.group(1).decode("ascii")).name)
    for encoding in candidates:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


# ---------------------------------------------------------------------------------------------
# From blocks (headings, paragraphs, list items, table rows) to passages

SPACES = re.compile(r"\s+")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
NUMBERED_HEADING = re.compile(
    r"^(?:\d{1,2}(?:\.\d{1,2})+\.?|\d{1,2}|[IVX]{1,4}\.|(?:kapittel|del|chapter|part)"
    r"\s+\d{1,2}[.:]?)\s+\S",
    re.IGNORECASE,
)
# Bullets as PDFs carry them: Unicode symbols, and the private-use code points of the Symbol and
# Wingdings fonts that Word's bullets export as (U+F0B7, U+F0A7, U+F076, …). These need no space
# after them; a hyphen, dash or asterisk is a bullet only when a space follows ("-5 grader" is not).
SYMBOL_BULLETS = "•▪◦·‣●○■□➢►▸▶❖➔→✓✔✗❑◆◇\uf000-\uf0ff"
BULLET = re.compile(rf"^(?:[{SYMBOL_BULLETS}]\s*(?=\S)|(?:[*\-–—]|\d{{1,2}}[.)]|[a-zæøå][.)])\s+)")
# The marker of a list item (a bullet glyph, "1." or "a)"), removed from the item's text so a
# list reads the same whether it came from a PDF, where the marker is text, or from Word, where it
# is numbering outside the text.
ITEM_MARKER = re.compile(
    rf"^\s*(?:[{SYMBOL_BULLETS}]\s*|(?:[*+\-–—]|\d{{1,3}}[.)]|[a-zæøå][.)])\s+)(?=\S)"
)
# A list item this long says enough to be a passage of its own; shorter ones ("• Barnehage") are
# grouped with their neighbours and the line that introduces them.
ITEM_ALONE: Final = 60
SENTENCE_BREAK = re.compile(r"(?<=[.!?…])[»\"”’)]*\s+(?=[«\"“(]?[A-ZÆØÅÄÖÜÉ0-9§])")


@dataclass
class Block:
    kind: str  # "heading" | "paragraph" | "item" | "row"
    text: str
    page: int | None
    # Where a paragraph running over a page break reaches each later page: (offset, page).
    turns: tuple[tuple[int, int], ...] = ()

    def page_at(self, offset: int) -> int | None:
        page = self.page
        for start, later in self.turns:
            if offset >= start:
                page = later
        return page


def clean(text: str) -> str:
    return SPACES.sub(" ", CONTROL.sub("", text.replace("\xad", ""))).strip()


def heading_shape(text: str) -> bool:
    """Short, starts with a capital or a number, no sentence punctuation at the end."""
    text = text.strip()
    return (
        0 < len(text) <= 120
        and len(text.split()) <= 14
        and not text.endswith((".", ",", ";", ":", "-"))
        and any(ch.isalpha() for ch in text)
        and not text[0].islower()
        and not BULLET.match(text)
    )


def strong_heading(text: str) -> bool:
    """A heading by its form alone: numbered like "3.2 Klima og miljø", or in capitals."""
    if not heading_shape(text):
        return False
    if NUMBERED_HEADING.match(text):
        return True
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 4 and all(ch.isupper() for ch in letters)


def build_passages(blocks: Iterable[Block]) -> list[Passage]:
    passages: list[Passage] = []
    section = ""
    for block in _grouped(blocks):
        if block.kind == "heading":
            section = block.text
            passages.append(Passage(len(passages) + 1, block.page, section, block.text, True))
            continue
        offset = 0
        for chunk in split_long(block.text):
            offset = block.text.find(chunk, offset)
            page = block.page_at(offset)
            passages.append(Passage(len(passages) + 1, page, section, chunk, False))
            offset += len(chunk)
    return passages


def _grouped(blocks: Iterable[Block]) -> Iterator[Block]:
    """List items get one marker, "• ", whatever they had. A list item of ITEM_ALONE characters or more is a passage of
    its own (with the line introducing the list, when it is the first item); shorter consecutive
    items, with the line introducing them, and table rows share a passage while it stays under
    GROUP_LIMIT, so "• Barnehage" is not classified on its own."""
    pending: Block | None = None
    growing = False  # pending may take more items or rows
    for block in blocks:
        text = block.text if block.kind == "heading" else block.text.strip()
        if block.kind == "item":
            text = ITEM_MARKER.sub("", text, count=1)
            text = f"• {text}" if text else ""
        if not text:
            continue
        if block.kind == "heading" and len(text) > HEADING_MAX_CHARS:
            block = replace(block, kind="paragraph")
        introduced = pending is not None and pending.kind == "paragraph" and growing
        fits = pending is not None and len(pending.text) + len(text) < GROUP_LIMIT
        short = block.kind == "row" or len(text) < ITEM_ALONE
        if pending is not None and fits and block.kind in {"item", "row"}:
            same = pending.kind == block.kind and growing
            if (same or (introduced and block.kind == "item")) and short:
                pending = Block(block.kind, pending.text + "\n" + text, pending.page)
                continue
            if introduced and block.kind == "item":  # a long first item keeps its introduction
                pending = Block(block.kind, pending.text + "\n" + text, pending.page)
                growing = False
                continue
        if pending is not None:
            yield pending
        pending = replace(block, text=text)
        growing = (block.kind == "paragraph" and text.endswith(":")) or (
            block.kind in {"item", "row"} and short
        )
    if pending is not None:
        yield pending


def split_long(text: str, limit: int = PASSAGE_LIMIT) -> list[str]:
    """The text in pieces of about equal size, none over limit, cut at sentence (or line) ends
    where possible."""
    if len(text) <= limit:
        return [text]
    pieces: list[str] = []
    for line in text.split("\n"):
        for sentence in SENTENCE_BREAK.split(line):
            pieces.extend(_hard_split(sentence.strip(), limit))
    target = len(text) / math.ceil(len(text) / limit)
    chunks: list[str] = []
    current = ""
    for piece in pieces:
        if current and (len(current) + 1 + len(piece) > limit or len(current) >= target * 0.95):
            chunks.append(current)
            current = piece
        else:
            current = f"{current} {piece}" if current else piece
    if current:
        chunks.append(current)
    return chunks


def _hard_split(sentence: str, limit: int) -> list[str]:
    """A sentence over the limit (a run-on list, a table dump) is cut at a space near it."""
    out = []
    while len(sentence) > limit:
        cut = sentence.rfind(" ", limit // 2, limit)
        cut = cut if cut > 0 else limit
        out.append(sentence[:cut].strip())
        sentence = sentence[cut:].strip()
    if sentence:
        out.append(sentence)
    return out


def _first_heading(passages: list[Passage]) -> str:
    return next((p.text for p in passages if p.heading), "")


def _check_pages(pages: int, limit: int) -> None:
    if pages > limit:
        raise ExtractionError("too_many_pages", pages=pages, limit=limit)


def _check_text_size(blocks: list[Block]) -> None:
    if sum(len(block.text) for block in blocks) > MAX_TEXT_CHARS:
        raise ExtractionError("too_large", "too_large_text")


# ---------------------------------------------------------------------------------------------
# Plain text and Markdown

MARKDOWN_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.+?)\s*#*\s*$")
SETEXT_RULE = re.compile(r"^\s{0,3}(=+|-+)\s*$")
UNWRAPPED_LINE = 150  # characters; text wrapped by hand has shorter lines
TEXT_BULLET = re.compile(r"^\s*(?:[-*+•–]|\d{1,3}[.)])\s+")


def _read_text(text: str, title: str, max_pages: int) -> Document:
    pages = text.replace("\r\n", "\n").replace("\r", "\n").split("\f")
    if len(pages) > 1 and not pages[-1].strip():
        pages.pop()  # a form feed ending the last page starts no new one
    paged = len(pages) > 1
    _check_pages(len(pages), max_pages)
    blocks: list[Block] = []
    for number, page_text in enumerate(pages, start=1):
        blocks.extend(_text_blocks(page_text, number if paged else None))
    _check_text_size(blocks)
    passages = build_passages(blocks)
    return Document(TEXT, title or _first_heading(passages), len(pages) if paged else None,
                    passages)  # fmt: skip


def _text_blocks(text: str, page: int | None) -> Iterator[Block]:
    lines: list[str] = []
    kind = "paragraph"

    def flush() -> Iterator[Block]:
        if lines:
            joined = clean(" ".join(lines))
            single = len(lines) == 1 and kind == "paragraph" and strong_heading(joined)
            yield Block("heading" if single else kind, joined, page)
        lines.clear()

    for line in text.split("\n"):
        heading = MARKDOWN_HEADING.match(line)
        if not line.strip():
            yield from flush()
            kind = "paragraph"
        elif heading:
            yield from flush()
            yield Block("heading", clean(heading.group(2)), page)
            kind = "paragraph"
        elif SETEXT_RULE.match(line) and len(lines) == 1 and kind == "paragraph":
            yield Block("heading", clean(lines[0]), page)
            lines.clear()
        elif TEXT_BULLET.match(line):
            yield from flush()
            kind = "item"
            lines.append(line.strip())
        else:
            lines.append(line.strip())
        if len(line) > UNWRAPPED_LINE and line.rstrip().endswith((".", "!", "?", ":")):
            # Text that is not wrapped by hand has one paragraph a line, often with no blank line
            # between them.
            yield from flush()
            kind = "paragraph"
    yield from flush()


# ---------------------------------------------------------------------------------------------
# HTML

SKIPPED_TAGS = frozenset({"script", "style", "nav", "noscript", "template", "svg", "iframe",
                          "object", "select", "button", "canvas"})  # fmt: skip
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
BLOCK_TAGS = frozenset({"p", "div", "section", "article", "main", "header", "footer", "aside",
                        "blockquote", "pre", "dd", "dt", "figcaption", "caption", "address", "ul",
                        "ol", "dl", "table", "tbody", "thead", "form", "fieldset", "body", "hr",
                        "li", "tr", "title"} | HEADING_TAGS)  # fmt: skip


class _HTMLReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.title = ""
        self.skipping = 0
        self.kind = "paragraph"
        self.buffer: list[str] = []
        self.cells: list[str] | None = None  # inside a table row

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED_TAGS:
            self.skipping += 1
        elif self.skipping:
            return
        elif tag in {"td", "th"} and self.cells is not None:
            self._end_cell()
        elif tag == "br":
            self.buffer.append(" ")
        elif tag == "tr":
            self._flush()
            self.cells = []
        elif tag in BLOCK_TAGS and self.cells is None:
            self._flush()
            self.kind = ("heading" if tag in HEADING_TAGS else "item" if tag == "li"
                         else "title" if tag == "title" else "paragraph")  # fmt: skip

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif self.skipping:
            return
        elif tag == "tr" and self.cells is not None:
            self._end_cell()
            row = " | ".join(cell for cell in self.cells if cell)
            self.cells = None
            if row:
                self.blocks.append(Block("row", row, None))
        elif tag == "table":
            self.cells = None
        elif tag in BLOCK_TAGS and self.cells is None:
            self._flush()
            self.kind = "paragraph"

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.buffer.append(data)

    def _end_cell(self) -> None:
        if self.cells is not None:
            self.cells.append(clean("".join(self.buffer)))
        self.buffer.clear()

    def _flush(self) -> None:
        text = clean("".join(self.buffer))
        self.buffer.clear()
        if not text:
            return
        if self.kind == "title":
            self.title = self.title or text
        else:
            self.blocks.append(Block(self.kind, text, None))


def _read_html(text: str) -> Document:
    reader = _HTMLReader()
    reader.feed(text)
    reader.close()
    reader._flush()
    _check_text_size(reader.blocks)
    passages = build_passages(reader.blocks)
    return Document(HTML, reader.title or _first_heading(passages), None, passages)


# ---------------------------------------------------------------------------------------------
# Word (DOCX)


def _read_docx(path: Path, max_pages: int) -> Document:
    import zipfile

    from docx import Document as OpenDocx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import LxmlError  # type: ignore[import-untyped]

    try:
        word = OpenDocx(str(path))
        blocks, pages = _docx_blocks(word)
        title = str(word.core_properties.title or "").strip()
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, LxmlError):
        raise ExtractionError("corrupt") from None
    if pages is not None:
        _check_pages(pages, max_pages)
    _check_text_size(blocks)
    passages = build_passages(blocks)
    return Document(DOCX, title or _first_heading(passages), pages, passages)


def _docx_blocks(word: Any) -> tuple[list[Block], int | None]:
    """Blocks in body order and the page count; pages are counted from the page breaks Word
    recorded when it last laid the document out, or else from explicit page breaks, or not at
    all (every page None) when the file has neither."""
    from docx.oxml.ns import qn
    from docx.table import Table

    body = word.element.body
    rendered = body.find(".//" + qn("w:lastRenderedPageBreak")) is not None
    explicit = any(br.get(qn("w:type")) == "page" for br in body.iter(qn("w:br")))
    paged = rendered or explicit
    page = 1
    blocks: list[Block] = []
    for item in _body_items(word):
        before, after = _page_breaks(item._element, rendered)
        page += before
        here = page if paged else None
        if isinstance(item, Table):
            blocks.extend(Block("row", row, here) for row in _table_rows(item))
        else:
            text = clean(item.text)
            if text:
                blocks.append(Block(_docx_kind(item), text, here))
        page += after
    return blocks, (page if paged else None)


def _body_items(word: Any) -> Iterator[Any]:
    """Paragraphs and tables in body order, including those inside content controls (w:sdt),
    where Word templates often keep the cover page and whole chapters."""
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    container = word._body

    def walk(element: Any) -> Iterator[Any]:
        for child in element.iterchildren():
            if child.tag == qn("w:p"):
                yield Paragraph(child, container)
            elif child.tag == qn("w:tbl"):
                yield Table(child, container)
            elif child.tag in {qn("w:sdt"), qn("w:sdtContent")}:
                yield from walk(child)

    yield from walk(word.element.body)


def _page_breaks(element: Any, rendered: bool) -> tuple[int, int]:
    """Page breaks before any text of a paragraph or table, and after it."""
    from docx.oxml.ns import qn

    before = after = 0
    seen_text = False
    br, last_rendered, text_tag = qn("w:br"), qn("w:lastRenderedPageBreak"), qn("w:t")
    if not rendered:
        # Word also records an explicit break as a rendered one; count each kind on its own.
        before += sum(1 for e in element.iter(qn("w:pageBreakBefore")) if e.get(qn("w:val"))
                      not in {"0", "false"})  # fmt: skip
    for node in element.iter(br, last_rendered, text_tag):
        if node.tag == text_tag:
            seen_text = seen_text or bool((node.text or "").strip())
            continue
        is_break = (node.tag == last_rendered) if rendered else node.get(qn("w:type")) == "page"
        if is_break:
            if seen_text:
                after += 1
            else:
                before += 1
    return before, after


def _docx_kind(paragraph: Any) -> str:
    from docx.oxml.ns import qn

    style = (paragraph.style.name if paragraph.style is not None else "").lower()
    properties = paragraph._p.pPr
    if style.startswith(("heading", "overskrift", "title", "tittel")) or (
        properties is not None and properties.find(qn("w:outlineLvl")) is not None
    ):
        return "heading"
    if (
        "list" in style
        or "liste" in style
        or (properties is not None and properties.numPr is not None)
    ):
        return "item"
    return "paragraph"


def _table_rows(table: Any) -> Iterator[str]:
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            text = clean(cell.text)
            if text and (not cells or cells[-1] != text):  # a merged cell repeats its text
                cells.append(text)
        if cells:
            yield " | ".join(cells)


# ---------------------------------------------------------------------------------------------
# PDF


@dataclass
class Line:
    text: str
    page: int
    baseline: float  # distance from the top of the page, in points
    left: float
    right: float
    size: float
    bold: bool
    position: int  # 0 = first line of its page; counted from the end when negative
    margin: bool  # in the top or bottom margin, where running headers and footers sit


PAGE_NUMBER = re.compile(
    r"^(?:(?:side|page|s\.)\s*)?[-–—]?\s*\d{1,4}\s*(?:[-–—]|(?:av|of|/)\s*\d{1,4})?$", re.I
)
# Running headers and footers sit within this share of the page height from its top or bottom
# edge; body text (below a 2-2.5 cm margin) starts lower.
MARGIN = 0.085
SENTENCE_END = (".", "!", "?", ":", "»", '"', "”")


def _read_pdf(path: Path, max_pages: int) -> Document:
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as error:
        if error.err_code in {raw.FPDF_ERR_PASSWORD, raw.FPDF_ERR_SECURITY}:
            raise ExtractionError("encrypted") from None
        raise ExtractionError("corrupt") from None
    try:
        pages = len(pdf)
        if pages == 0:
            raise ExtractionError("corrupt")
        _check_pages(pages, max_pages)
        lines: list[Line] = []
        image_pages = 0
        total = 0
        for index in range(pages):
            page_lines, has_images = _pdf_page_lines(pdf, index)
            image_pages += has_images and not page_lines
            lines.extend(page_lines)
            total += sum(len(line.text) for line in page_lines)
            if total > MAX_TEXT_CHARS:
                raise ExtractionError("too_large", "too_large_text")
        title = _pdf_title(pdf)
    except pdfium.PdfiumError:
        raise ExtractionError("corrupt") from None
    finally:
        pdf.close()
    if not lines or image_pages > pages / 2:
        raise ExtractionError("image_only" if image_pages else "empty")
    passages = build_passages(pdf_blocks(lines, pages))
    return Document(PDF, title or _first_heading(passages), pages, passages)


def _pdf_title(pdf: Any) -> str:
    title = clean(str(pdf.get_metadata_dict().get("Title", "")))
    if title.startswith("Microsoft Word - "):  # Word's PDF printer names the file, not the plan
        return ""
    return title


def _pdf_page_lines(pdf: Any, index: int) -> tuple[list[Line], bool]:
    """The page's text lines with position and font, and whether it shows any image."""
    import pypdfium2.raw as raw

    page = pdf[index]
    try:
        height = float(page.get_height())
        textpage = page.get_textpage()
        try:
            count = textpage.count_chars()
            text = textpage.get_text_range() if count > 0 else ""
            if len(text) != count:
                # Characters outside the BMP take two UTF-16 units in get_text_range; read one
                # code point per PDFium character so text and character indices line up.
                text = "".join(
                    _character(raw.FPDFText_GetUnicode(textpage, i)) for i in range(count)
                )
            font = ctypes.create_string_buffer(128)
            flags = ctypes.c_int()
            x, y = ctypes.c_double(), ctypes.c_double()
            lines: list[Line] = []
            for match in re.finditer(r"[^\r\n]+", text):
                raw_line = match.group()
                line_text = clean(raw_line)
                if not line_text:
                    continue
                start = match.start() + len(raw_line) - len(raw_line.lstrip())
                end = match.start() + len(raw_line.rstrip()) - 1
                raw.FPDFText_GetCharOrigin(textpage, start, ctypes.byref(x), ctypes.byref(y))
                baseline = height - y.value
                size = round(float(raw.FPDFText_GetFontSize(textpage, start)) * 2) / 2
                raw.FPDFText_GetFontInfo(textpage, start, font, 128, ctypes.byref(flags))
                name = font.value.decode("latin-1").lower()
                lines.append(
                    Line(
                        text=line_text,
                        page=index + 1,
                        baseline=baseline,
                        left=textpage.get_charbox(start)[0],
                        right=textpage.get_charbox(end)[2],
                        size=size,
                        bold="bold" in name or "black" in name or "heavy" in name,
                        position=0,
                        margin=not MARGIN * height < baseline < (1 - MARGIN) * height,
                    )
                )
        finally:
            textpage.close()
        for number, line in enumerate(lines):
            line.position = number if number < 2 else number - len(lines)
        has_images = False
        if not lines:
            has_images = any(True for _ in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE]))
        return lines, has_images
    finally:
        page.close()


def _character(code: int) -> str:
    """One character for each PDFium character; one that is not valid Unicode becomes U+FFFE,
    which clean() removes later, so indices still line up."""
    return chr(code) if 0 < code < 0x110000 and not 0xD800 <= code < 0xE000 else "\ufffe"


def pdf_blocks(lines: list[Line], pages: int) -> list[Block]:
    """Lines of a PDF joined into headings, paragraphs and list items."""
    body_size = _most_common((line.size for line in lines), lines)
    body_bold = _most_common((line.bold for line in lines), lines)
    lines = _without_running_lines(lines, pages, body_size, body_bold)
    if not lines:
        return []
    spacing = _line_spacing(lines, body_size)
    rights = sorted(line.right for line in lines if line.size == body_size) or [0.0]
    lefts = sorted(line.left for line in lines if line.size == body_size) or [0.0]
    right_edge = rights[int(len(rights) * 0.9)]
    width = max(1.0, right_edge - lefts[int(len(lefts) * 0.05)])

    def emphasised(line: Line) -> bool:
        # Bold alone marks a heading only at body size or larger: small bold type is a table
        # header or a caption.
        return line.size >= body_size * 1.15 or (
            line.bold and not body_bold and line.size >= body_size
        )

    def is_heading(i: int) -> bool:
        line = lines[i]
        following = lines[i + 1] if i + 1 < len(lines) else None
        if emphasised(line):
            return heading_shape(line.text)
        return (
            strong_heading(line.text)
            and not re.match(r"^\d{1,2}[.)]\s", line.text)  # "1. Bolig" is a list item
            and (following is None or not following.text[:1].islower())
        )

    blocks: list[Block] = []
    current: list[Line] = []
    kind = "paragraph"

    def flush() -> None:
        if current:
            text, turns = _join_lines(current)
            blocks.append(Block(kind, text, current[0].page, turns))
        current.clear()

    for i, line in enumerate(lines):
        previous = current[-1] if current else None
        # A heading set in large type may wrap: its next line has the same type, right below.
        wraps = (
            kind == "heading"
            and previous is not None
            and emphasised(line)
            and previous.page == line.page
            and abs(previous.size - line.size) < 0.5
            and previous.bold == line.bold
            and 0 < line.baseline - previous.baseline <= 1.6 * max(line.size, 1.0)
            and not NUMBERED_HEADING.match(line.text)
            and len(current) < 3
            and len(_join_lines([*current, line])[0]) <= HEADING_MAX_CHARS
        )
        if wraps:
            current.append(line)
            continue
        if is_heading(i):
            flush()
            kind = "heading"
            current.append(line)
            continue
        if kind == "heading" or BULLET.match(line.text):
            flush()
            kind = "item" if BULLET.match(line.text) else "paragraph"
            current.append(line)
            continue
        if current and _continues(current, line, kind, spacing, right_edge, width):
            current.append(line)
        else:
            flush()
            kind = "paragraph"
            current.append(line)
    flush()
    return blocks


def _continues(
    current: list[Line], line: Line, kind: str, spacing: float, right_edge: float, width: float
) -> bool:
    previous = current[-1]
    ends_sentence = previous.text.endswith(SENTENCE_END)
    if previous.page != line.page or line.baseline <= previous.baseline:
        # A new page or column: the paragraph goes on unless the last line ended a sentence.
        return not ends_sentence or line.text[:1].islower()
    if line.baseline - previous.baseline > 1.5 * spacing:
        return False  # an empty line's worth of space
    if abs(line.size - previous.size) >= 1.0:
        return False
    if kind == "item" and line.left <= current[0].left + 1 and line.text[:1].isupper():
        return False  # not indented under the bullet: the list has ended
    short = previous.right < right_edge - 0.15 * width
    return not (ends_sentence and short)


def _join_lines(lines: list[Line]) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The lines as one text, and where in it each new page begins."""
    text = lines[0].text
    turns: list[tuple[int, int]] = []
    for previous, line in itertools.pairwise(lines):
        # "kommune-" + "planen" is one word; "FN-" + "sambandet" keeps its hyphen; "plan-" +
        # "og bygningsloven" is two words.
        if (
            re.search(r"[a-zæøå]-$", text)
            and line.text[:1].islower()
            and line.text.split()[0] not in {"og", "eller", "and", "or", "til", "som"}
        ):
            text = text[:-1]
        elif not re.search(r"[A-ZÆØÅ0-9]-$", text) or not line.text[:1].isalpha():
            text += " "
        if line.page != previous.page:
            turns.append((len(text), line.page))
        text += line.text
    return text, tuple(turns)


def _most_common[T](values: Iterable[T], lines: list[Line]) -> T:
    """The value shared by the most characters of text (so the body, not the headings)."""
    weights: Counter[T] = Counter()
    for value, line in zip(values, lines, strict=True):
        weights[value] += len(line.text)
    return weights.most_common(1)[0][0]


def _line_spacing(lines: list[Line], body_size: float) -> float:
    gaps = [
        b.baseline - a.baseline
        for a, b in itertools.pairwise(lines)
        if a.page == b.page and a.size == b.size == body_size
        and 0 < b.baseline - a.baseline < 3 * max(body_size, 1)
    ]  # fmt: skip
    return statistics.median(gaps) if gaps else max(body_size, 1.0) * 1.2


def _without_running_lines(
    lines: list[Line], pages: int, body_size: float, body_bold: bool
) -> list[Line]:
    """Drop page numbers, and headers and footers: lines among the first or last two of a page
    that recur (digits aside) on several pages. A recurring line set like a heading must recur
    on half the pages, so a sub-heading such as "Mål" repeated in each chapter stays."""

    def key(line: Line) -> str:
        return re.sub(r"\d+", "#", line.text.lower())

    def edge(line: Line) -> bool:
        return line.margin and -2 <= line.position < 2

    seen: dict[str, set[int]] = {}
    for line in lines:
        if edge(line):
            seen.setdefault(key(line), set()).add(line.page)
    least = min(3, pages) if pages >= 2 else 2

    def running(line: Line) -> bool:
        if not edge(line):
            return False
        if PAGE_NUMBER.match(line.text):
            return True
        recurs = len(seen[key(line)])
        if line.size >= body_size * 1.15 or (line.bold and not body_bold):
            return recurs >= max(least, pages / 2)
        return recurs >= least

    return [line for line in lines if not running(line)]
