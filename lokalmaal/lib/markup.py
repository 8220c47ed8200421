"""Markdown written by members, rendered to HTML that is safe to put on a page.

markdown-it-py renders (raw HTML in the source is not passed through), then nh3 (the Rust
`ammonia` sanitiser) keeps only the tags, attributes and URL schemes below, so no script, event
handler, style or `javascript:` link ever reaches a page, whatever the source holds.
"""

import html

import markdown_it
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "strong", "em", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}
URL_SCHEMES = {"http", "https", "mailto"}

# breaks: a single line break stays a line break, as people expect when they type a programme
# ("09:00 Velkomst" on one line, "09:15 Innlegg" on the next) or any multi-line text.
_renderer = markdown_it.MarkdownIt(
    "commonmark", {"html": False, "linkify": False, "breaks": True}
).enable("table")


def render_markdown(source: str) -> SafeString:
    html = _renderer.render(source or "")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener",
    )
    return mark_safe(clean)  # sanitised by nh3 just above


def plain_text(source: str) -> str:
    """The words of a Markdown text without markup, for search indexes and summaries."""
    return html.unescape(nh3.clean(_renderer.render(source or ""), tags=set())).strip()
