"""Template filters for network and event pages."""

from django import template
from django.utils.safestring import SafeString

from lokalmaal.lib.markup import render_markdown
from lokalmaal.networks.models import EventStatus, NetworkRole, RegistrationStatus, Visibility

register = template.Library()


@register.filter
def markdown(source: str) -> SafeString:
    """Markdown written by members, rendered and sanitised (lokalmaal.lib.markup)."""
    return render_markdown(source)


@register.filter
def visibility_label(code: str) -> str:
    return str(dict(Visibility.choices).get(code, code))


@register.filter
def network_role_label(code: str) -> str:
    return str(dict(NetworkRole.choices).get(code, code))


@register.filter
def registration_label(code: str) -> str:
    return str(dict(RegistrationStatus.choices).get(code, code))


@register.filter
def event_status_label(code: str) -> str:
    return str(dict(EventStatus.choices).get(code, code))


@register.filter
def file_size(size: int) -> str:
    if size < 1_000_000:
        return f"{max(1, round(size / 1000))} kB"
    return f"{size / 1_000_000:.1f} MB".replace(".", ",")
