"""The security event log page, for platform admins only."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lokalmaal.accounts.permissions import is_platform_admin

from . import reads
from .forms import EventFilterForm

PER_PAGE = 100


@login_required
def event_log(request: HttpRequest) -> HttpResponse:
    if not is_platform_admin(request.user):
        raise PermissionDenied("Only platform admins may read the security log")
    form = EventFilterForm(request.GET or None)
    chosen = form.chosen() if form.is_valid() else reads.EventFilter()
    status = 400 if form.is_bound and not form.is_valid() else 200
    page = Paginator(reads.list_events(chosen), PER_PAGE).get_page(request.GET.get("side"))
    query = request.GET.copy()
    query.pop("side", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "retention_days": settings.SECURITY_LOG_DAYS,
    }
    response = render(request, "security/event_log.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response
