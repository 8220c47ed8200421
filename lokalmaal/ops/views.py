"""/helse/: the health of this app server and what it depends on, as JSON."""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from lokalmaal.ops import health


@require_GET
@never_cache
def health_view(request: HttpRequest) -> JsonResponse:
    """200 when every part is well, 503 otherwise. `?del=database,cache` asks for some parts
    only: a load balancer should not take every app server out because the task worker is down."""
    asked = tuple(p for p in request.GET.get("del", "").split(",") if p in health.PARTS)
    ok, body = health.report(asked or health.PARTS)
    return JsonResponse(body, status=200 if ok else 503, json_dumps_params={"indent": 1})
