"""Reading the security event log, filtered, for the platform admins' page."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import EventKind, SecurityEvent


@dataclass(frozen=True)
class EventFilter:
    kind: EventKind | None = None
    person: str = ""  # part of an e-mail address (actor or target)
    ip: str = ""  # the start of an address
    since: date | None = None
    until: date | None = None


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def list_events(chosen: EventFilter) -> QuerySet[SecurityEvent]:
    events = SecurityEvent.objects.select_related("actor")
    if chosen.kind:
        events = events.filter(kind=chosen.kind)
    if chosen.person:
        events = events.filter(
            Q(actor_label__icontains=chosen.person) | Q(target__icontains=chosen.person)
        )
    if chosen.ip:
        events = events.filter(ip__startswith=chosen.ip)
    if chosen.since:
        events = events.filter(at__gte=_start_of(chosen.since))
    if chosen.until:
        events = events.filter(at__lt=_start_of(chosen.until + timedelta(days=1)))
    return events.order_by("-at", "-id")
