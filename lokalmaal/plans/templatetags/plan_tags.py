"""Labels for plan analysis pages in the page's language."""

from django import template
from django.utils.translation import gettext as _

from lokalmaal.plans import analyse

register = template.Library()


@register.filter
def change_label(code: str) -> str:
    labels = {
        analyse.NEW: _("New"),
        analyse.GONE: _("Disappeared"),
        analyse.MORE: _("More"),
        analyse.LESS: _("Less"),
        analyse.SAME: _("About the same"),
        analyse.ABSENT: _("In neither"),
    }
    return labels.get(code, code)
