"""Labels for the workspace pages that only the local goals app needs."""

from django import template

from lokalmaal.localgoals.models import MeasureStatus
from lokalmaal.web.templatetags.lokalmaal import number

register = template.Library()


@register.filter
def measure_status_label(code: str) -> str:
    return str(dict(MeasureStatus.choices).get(code, code))


@register.filter
def goal_figure(value: float | None) -> str:
    """A goal's baseline or target as it was set, without trailing zeros (5,2 not 5,20; at
    most two decimals: library baselines are already rounded to their indicator's precision)."""
    if value is None:
        return ""
    digits = f"{value:.2f}".rstrip("0").rstrip(".").partition(".")[2]
    return number(value, len(digits))
