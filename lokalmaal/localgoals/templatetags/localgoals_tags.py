"""Labels for the workspace pages that only the local goals app needs."""

from django import template

from lokalmaal.localgoals.models import MeasureStatus

register = template.Library()


@register.filter
def measure_status_label(code: str) -> str:
    return str(dict(MeasureStatus.choices).get(code, code))
