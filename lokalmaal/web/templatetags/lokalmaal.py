"""Template filters for numbers and labels in the page's language."""

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

register = template.Library()


@register.simple_tag
def site_url() -> str:
    """The platform's address from settings (LOKALMAAL_SITE_URL), for e-mails: never the host
    and port a request happened to come to."""
    from django.conf import settings

    return str(settings.SITE_URL)


@register.filter
def number(value: float | int | None, decimals: int = 0) -> str:
    """Norwegian style for nb/nn (space as thousands separator, decimal comma), English for en."""
    if value is None:
        return "–"
    from django.utils.translation import get_language

    text = f"{value:,.{decimals}f}"
    if get_language() == "en":
        return text
    return text.replace(",", "\u00a0").replace(".", ",")


def decimals_for_unit(unit: str) -> int:
    """One decimal rule per unit: flags (1 = on ROBEK), kroner and whole tonnes or decares have
    no decimals; shares, rates and everything else have one."""
    unit = unit.strip().lower()
    if unit.startswith("1 = ") or "kroner" in unit or "nok" in unit.split():
        return 0
    if unit.startswith(("tonn", "dekar", "decares")) and " per " not in f" {unit} ":
        return 0
    return 1


@register.filter
def figure(value: float | int | None, unit: str = "") -> str:
    """An indicator's figure with the decimals its unit calls for (see decimals_for_unit)."""
    return number(value, decimals_for_unit(unit or ""))


@register.filter
def law_names(names: list[str]) -> str:
    """A target's legal basis in the page's written standard, "; " between the laws."""
    from django.utils.translation import get_language

    from lokalmaal.catalogue.laws import law_name

    return "; ".join(law_name(name, get_language() or "nb") for name in names)


@register.filter
def relation_name(label: str) -> str:
    """A row of the deletion page in words ("Notifications you got"), see privacy_names."""
    from lokalmaal.accounts.privacy_names import relation_name as name

    return name(label)


@register.filter
def provenance_label(code: str) -> str:
    labels = {
        "un": _("UN original"),
        "bundle": _("Community translation, not reviewed"),
        "lokalmaal": _("Lokalmål's own translation"),
    }
    return labels.get(code, code)


@register.filter
def language_name(code: str) -> str:
    names = {"nb": _("Bokmål"), "nn": _("Nynorsk"), "en": _("English")}
    return names.get(code, code)


@register.filter
def written_standard_label(code: str) -> str:
    names = {
        "nb": _("Bokmål"),
        "nn": _("Nynorsk"),
        "neutral": pgettext("written standard", "Neutral"),
    }
    return names.get(code, code)


@register.filter
def kind_label(code: str) -> str:
    names = {
        "municipality": _("Municipality"),
        "county": _("County"),
        "country": _("Country"),
        "ks": "KS",
        "other": _("Other organisation"),
    }
    return names.get(code, code)


@register.filter
def role_label(code: str) -> str:
    names = {"reader": _("Reader"), "editor": _("Editor"), "admin": _("Organisation admin")}
    return names.get(code, code)


@register.filter
def direction_label(code: str) -> str:
    names = {
        "higher": _("Higher is better"),
        "lower": _("Lower is better"),
        "neutral": pgettext("direction", "Neutral"),
    }
    return names.get(code, code)


@register.filter
def status_label(code: str) -> str:
    names = {
        "draft": _("Draft"),
        "consultation": _("Public consultation"),
        "adopted": _("Adopted"),
        "revised": _("Revised"),
    }
    return names.get(code, code)


@register.filter
def plan_type_label(code: str) -> str:
    names = {
        "planstrategi": _("Planning strategy"),
        "samfunnsdel": _("Community part of the master plan"),
        "arealdel": _("Land-use part of the master plan"),
        "handlingsdel": _("Action programme and financial plan"),
        "sektorplan": _("Sector plan"),
        "regional_plan": _("Regional plan"),
    }
    return names.get(code, code)
