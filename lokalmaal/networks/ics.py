"""An event as an iCalendar file (RFC 5545) that calendar programs import.

Times are written in UTC (no VTIMEZONE needed), the UID stays the same for the event so a second
download updates the entry instead of adding one, and the icalendar package folds long lines.
"""

import datetime
from urllib.parse import urlsplit

import icalendar
from django.conf import settings

from lokalmaal.lib.markup import plain_text
from lokalmaal.networks.models import Event


def event_uid(event: Event) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "lokalmaal"
    return f"event-{event.pk}@{host}"


def event_calendar(event: Event, url: str, *, include_online_link: bool) -> bytes:
    """The calendar file for one event; `url` is the event's page (absolute).

    The online link is only written for people who may join it (registered participants and
    the organisers); everyone else gets the page, which says how to register.
    """
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Lokalmål//Arrangement//NB")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")

    entry = icalendar.Event()
    entry.add("uid", event_uid(event))
    entry.add("dtstamp", datetime.datetime.now(datetime.UTC))
    entry.add("dtstart", event.start.astimezone(datetime.UTC))
    entry.add("dtend", event.end.astimezone(datetime.UTC))
    entry.add("summary", event.title)
    location = event.place
    if include_online_link and event.online_url:
        location = f"{location} ({event.online_url})" if location else event.online_url
    if location:
        entry.add("location", location)
    entry.add("url", url)
    description = [plain_text(event.description), plain_text(event.programme), url]
    entry.add("description", "\n\n".join(part for part in description if part))
    entry.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    calendar.add_component(entry)
    return bytes(calendar.to_ical())
