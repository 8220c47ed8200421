"""The security event log page, for platform admins only."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from lokalmaal.accounts.models import Role
from lokalmaal.accounts.permissions import is_platform_admin
from lokalmaal.networks.models import NetworkRole

from . import reads
from .forms import EventFilterForm
from .models import SecurityEvent

PER_PAGE = 100

# The names of `details` keys and the values worth translating, for the admin's language; other
# keys and values (paths, file names, reasons) are shown as written.
DETAIL_NAMES = {
    "from": _("From"),
    "to": _("To"),
    "method": _("Method"),
    "path": _("Path"),
    "reason": _("Reason"),
    "action": _("Action"),
    "view": _("Page"),
    "file": _("File"),
    "change": _("Kind of change"),
    "type": _("Type"),
    "content": _("Content"),
    "changes": _("Changes"),
    "last_attempt": _("Last attempt"),
    "moderator": _("Moderator"),
    "is_platform_admin": _("Platform admin"),
    "is_staff": _("Staff"),
    "is_superuser": _("Superuser"),
    "is_active": _("Active"),
}


def _value(value: object) -> object:
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    if value is None:
        return "–"
    if isinstance(value, str) and value in Role.values:
        return Role(value).label
    if isinstance(value, str) and value in NetworkRole.values:
        return NetworkRole(value).label
    return value


def details(event: SecurityEvent) -> list[tuple[object, object]]:
    return [(DETAIL_NAMES.get(name, name), _value(value)) for name, value in event.details.items()]


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
        "rows": [(event, details(event)) for event in page.object_list],
        "query": query.urlencode(),
        "retention_days": settings.SECURITY_LOG_DAYS,
    }
    response = render(request, "security/event_log.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response
