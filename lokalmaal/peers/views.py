"""The peer finder page: parse the indicator choice, call the shared read, render."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from lokalmaal.indicators.models import Indicator
from lokalmaal.peers import reads
from lokalmaal.peers.forms import IndicatorChoiceForm
from lokalmaal.web.language import use_region_language


def chosen_indicator(
    code: str, choice: str, indicators: list[Indicator]
) -> tuple[Indicator | None, bool]:
    """(the indicator to use, whether the choice was valid); an empty choice is the default."""
    if choice:
        found = next((i for i in indicators if i.id == choice), None)
        if found is not None:
            return found, True
        return reads.default_indicator(code), False
    return reads.default_indicator(code), True


def peer_finder(request: HttpRequest, code: str) -> HttpResponse:
    region = reads.access_municipality(code)
    use_region_language(request, region.written_standard)
    language = get_language()
    indicators = reads.indicators_with_data()
    indicator, valid = chosen_indicator(code, request.GET.get("indikator", ""), indicators)
    form = IndicatorChoiceForm(
        request.GET if not valid else {"indikator": indicator.id if indicator else ""},
        indicators,
        language,
    )
    form.is_valid()  # fills form.errors for a wrong choice, shown beside the field
    result = reads.peer_finder(code, request.user, language, indicator)
    context = {
        "region": region,
        "form": form,
        "result": result,
        "indicator": indicator,
        "period_years": reads.PERIOD_YEARS,
    }
    return render(request, "peers/finder.html", context, status=200 if valid else 400)
