"""/api/v1/municipalities/{code}/peers/: the peer finder page's twin, from the same read."""

from typing import Literal

from django.http import Http404, HttpRequest
from django.utils import translation
from ninja import Router

from lokalmaal.peers import reads

router = Router(tags=["peers"])


@router.get(
    "/{code}/peers/",
    response=reads.PeerFinderOut,
    summary=(
        "Municipalities to learn from: similar ones (with why), the most improved of them on an "
        "indicator, those with the same priority targets, and examples on those targets"
    ),
)
def peer_finder(
    request: HttpRequest, code: str, indicator: str = "", lang: Literal["nb", "nn", "en"] = "nb"
) -> reads.PeerFinderOut:
    reads.access_municipality(code)
    if indicator:
        found = next((i for i in reads.indicators_with_data() if i.id == indicator), None)
        if found is None:
            raise Http404("No indicator with figures has this id")
    else:
        found = reads.default_indicator(code)
    with translation.override(lang):
        return reads.peer_finder(code, request.user, lang, found)
