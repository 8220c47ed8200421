"""Template helpers of the arena's pages (and of other apps that link to a report form)."""

from django import template
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from lokalmaal.arena.models import Status
from lokalmaal.arena.moderation import kind_label
from lokalmaal.arena.moderation import report_url as _report_url
from lokalmaal.lib.markup import render_markdown

register = template.Library()

# Names of the kinds of content the search finds; a kind not named here uses its report label.
SEARCH_KINDS = {
    "example": _("Practice example"),
    "question": _("Question"),
    "event": _("Event"),
    "post": _("Network post"),
    "network": _("Network"),
}


@register.filter
def markdown(source: str) -> SafeString:
    """Members' Markdown as sanitised HTML: no script or unsafe link reaches the page."""
    return render_markdown(source)


@register.filter
def example_status(code: str) -> str:
    return str(Status(code).label) if code in Status.values else code


@register.filter
def search_kind(kind: str) -> str:
    return str(SEARCH_KINDS[kind]) if kind in SEARCH_KINDS else kind_label(kind)


@register.simple_tag
def report_url(kind: str, key: int) -> str:
    """{% report_url "question" question.id %}: the link to report an item to the moderators."""
    return _report_url(kind, key)


@register.inclusion_tag("arena/target_examples.html", takes_context=True)
def target_examples(context: template.Context, code: str) -> dict[str, object]:
    """The published practice examples on a target, for the target's page."""
    from lokalmaal.arena.reads import list_examples

    request = context["request"]
    examples = list_examples(request.user, get_language(), target=code)
    return {"examples": examples, "code": code, "LANGUAGE_CODE": get_language()}
