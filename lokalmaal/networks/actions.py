"""Every change to networks and events: one function each, in one transaction.

Callers authorise first (through access.py and accounts.permissions); these functions keep the
rules that hold whoever calls them: a network always has a coordinator, an event never has more
people registered than places, and the waiting list moves in the order people joined it.
"""

import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import BinaryIO, cast

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from lokalmaal.accounts.models import Organisation, User
from lokalmaal.arena import indexing
from lokalmaal.discussion.notify import notify
from lokalmaal.lib.uploads import DOCUMENTS, IMAGES, PDF, check_upload
from lokalmaal.networks.models import (
    Document,
    Event,
    EventStatus,
    Network,
    NetworkMembership,
    NetworkRole,
    Post,
    Registration,
    RegistrationStatus,
)
from lokalmaal.regions.models import Region

DOCUMENT_KINDS = DOCUMENTS | {PDF} | IMAGES
# Slugs that are pages of their own under /nettverk/.
RESERVED_SLUGS = frozenset({"nytt"})


class NetworkRuleError(Exception):
    """A change refused because it breaks a rule; the message can be shown as it is."""


class RegistrationError(Exception):
    """A registration or cancellation refused; the message can be shown as it is."""


# Networks


def _unique_slug(name: str) -> str:
    base = slugify(name)[:70] or "nettverk"
    slug, number = base, 2
    while slug in RESERVED_SLUGS or Network.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def network_url(network: Network) -> str:
    return reverse("networks:network", args=[network.slug])


@dataclass(frozen=True)
class NetworkInput:
    name: str
    description: str
    region: Region | None
    visibility: str


@transaction.atomic
def do_create_network(
    creator: User, data: NetworkInput, organisation: Organisation | None = None
) -> Network:
    """A new network with its creator as the first coordinator."""
    network = Network.objects.create(
        name=data.name,
        slug=_unique_slug(data.name),
        description=data.description,
        region=data.region,
        visibility=data.visibility,
        created_by=creator,
    )
    NetworkMembership.objects.create(
        network=network, person=creator, role=NetworkRole.COORDINATOR, organisation=organisation
    )
    return network


@transaction.atomic
def do_update_network(network: Network, data: NetworkInput) -> Network:
    network.name = data.name
    network.description = data.description
    network.region = data.region
    network.visibility = data.visibility
    network.save(update_fields=["name", "description", "region", "visibility"])
    indexing.network_changed(network)  # its questions are found only while it is public
    return network


@transaction.atomic
def do_join_network(
    network: Network, person: User, organisation: Organisation | None = None
) -> NetworkMembership:
    membership, _created = NetworkMembership.objects.get_or_create(
        network=network, person=person, defaults={"organisation": organisation}
    )
    return membership


def _other_coordinators(membership: NetworkMembership) -> bool:
    """Locks the network's coordinators, so two of them stepping down at once cannot leave the
    network with none."""
    coordinators = NetworkMembership.objects.select_for_update().filter(
        network_id=membership.network_id, role=NetworkRole.COORDINATOR
    )
    return any(other.pk != membership.pk for other in coordinators)


def _keep_a_coordinator(membership: NetworkMembership) -> None:
    if membership.role == NetworkRole.COORDINATOR and not _other_coordinators(membership):
        raise NetworkRuleError(
            _("A network needs a coordinator: make someone else coordinator first.")
        )


def refuse_account_deletion(person: User) -> list[str]:
    """The networks' rule for deleting an account (accounts.privacy): not while the person is
    the last coordinator of a network. Locks the coordinators when called in a transaction."""
    from lokalmaal.accounts.privacy import locked

    names = []
    mine = NetworkMembership.objects.filter(person=person, role=NetworkRole.COORDINATOR)
    for membership in mine.select_related("network"):
        coordinators = locked(
            NetworkMembership.objects.filter(
                network_id=membership.network_id, role=NetworkRole.COORDINATOR
            )
        )
        if not any(other.person_id != person.pk for other in coordinators):
            names.append(membership.network.name)
    if not names:
        return []
    return [
        _(
            "You are the only coordinator of the network %(names)s, so your account cannot be "
            "deleted yet. Make another member coordinator on the network's page first (or ask KS "
            "to close the network), then delete your account."
        )
        % {"names": ", ".join(names)}
    ]


@transaction.atomic
def do_leave_network(network: Network, person: User) -> None:
    membership = (
        NetworkMembership.objects.select_for_update().filter(network=network, person=person).first()
    )
    if membership is None:
        return
    _keep_a_coordinator(membership)
    membership.delete()


@transaction.atomic
def do_add_member(network: Network, email: str, role: str) -> NetworkMembership:
    """Add a person who has an account; they are told by a notification."""
    person = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if person is None:
        raise NetworkRuleError(
            _("No one with the e-mail address %(email)s has an account on Lokalmål yet.")
            % {"email": email}
        )
    membership, created = NetworkMembership.objects.get_or_create(
        network=network, person=person, defaults={"role": role}
    )
    if not created:
        raise NetworkRuleError(
            _("%(email)s is already a member of the network.") % {"email": person.email}
        )
    notify(person, "network_joined", title=network.name, url=network_url(network))
    return membership


@transaction.atomic
def do_change_role(membership: NetworkMembership, role: str) -> NetworkMembership:
    if role != NetworkRole.COORDINATOR:
        _keep_a_coordinator(membership)
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def do_remove_member(membership: NetworkMembership) -> None:
    _keep_a_coordinator(membership)
    membership.delete()


def _notify_members(network: Network, kind: str, title: str, url: str, author: User) -> None:
    """Members follow their network without asking: each is told once, the author not."""
    members = (
        User.objects.filter(network_memberships__network=network, is_active=True)
        .exclude(pk=author.pk)
        .order_by("pk")
    )
    for member in members:
        notify(member, kind, title=title, url=url)


@transaction.atomic
def do_post(network: Network, author: User, body: str) -> Post:
    post = Post.objects.create(network=network, author=author, body=body)
    url = f"{network_url(network)}#innlegg-{post.pk}"
    _notify_members(network, "network_post", network.name, url, author)
    return post


@transaction.atomic
def do_delete_post(post: Post) -> None:
    post.delete()


def _safe_filename(name: str) -> str:
    """The file's own name without any folder part or control characters, for the download."""
    base = os.path.basename(name.replace("\\", "/"))
    cleaned = "".join(ch for ch in base if ch.isprintable()).strip()
    return cleaned[:200] or "dokument"


def do_upload_document(
    network: Network, person: User, title: str, upload: UploadedFile[bytes]
) -> Document:
    """Store a file whose content is one of the accepted kinds; UploadRefusedError otherwise
    (raised before anything is written)."""
    stream = cast(BinaryIO, upload.file)
    kind = check_upload(stream, DOCUMENT_KINDS, settings.NETWORK_DOCUMENT_MAX_BYTES)
    stream.seek(0)
    content = stream.read()
    with transaction.atomic():
        document = Document.objects.create(
            network=network,
            title=title,
            filename=_safe_filename(upload.name or ""),
            kind=kind,
            size=len(content),
            content=content,
            uploaded_by=person,
        )
        title_for_members = f"{document.title} ({network.name})"
        url = f"{network_url(network)}#dokument-{document.pk}"
        _notify_members(network, "network_document", title_for_members, url, person)
    return document


@transaction.atomic
def do_delete_document(document: Document) -> None:
    document.delete()


# Events


def event_url(event: Event) -> str:
    return reverse("networks:event", args=[event.pk])


@dataclass(frozen=True)
class EventInput:
    title: str
    description: str
    programme: str
    start: datetime
    end: datetime
    place: str
    online_url: str
    capacity: int
    registration_deadline: datetime | None
    network: Network | None
    organisation: Organisation | None
    visibility: str


@transaction.atomic
def do_create_event(organiser: User, data: EventInput) -> Event:
    event = Event.objects.create(organiser=organiser, **data.__dict__)
    indexing.event_changed(event)
    return event


@transaction.atomic
def do_update_event(event: Event, data: EventInput) -> Event:
    locked = Event.objects.select_for_update().get(pk=event.pk)
    moved = locked.start != data.start
    for field, value in data.__dict__.items():
        setattr(locked, field, value)
    locked.save()
    if moved:  # a new time deserves a new reminder
        locked.registrations.update(reminded_at=None)
    _fill_places(locked)  # more places: the waiting list moves up
    indexing.event_changed(locked)
    return locked


def registered_count(event: Event) -> int:
    return event.registrations.filter(status=RegistrationStatus.REGISTERED).count()


def waiting_position(registration: Registration) -> int | None:
    """1 for the first in the queue; None when the person is not waiting."""
    if registration.status != RegistrationStatus.WAITING:
        return None
    before = Q(created_at__lt=registration.created_at) | Q(
        created_at=registration.created_at, pk__lt=registration.pk
    )
    waiting = Registration.objects.filter(
        event_id=registration.event_id, status=RegistrationStatus.WAITING
    )
    return waiting.filter(before).count() + 1


def registration_closed_reason(event: Event, now: datetime | None = None) -> str | None:
    """Why nobody can register now, or None when registration is open."""
    now = now or timezone.now()
    if event.is_cancelled:
        return _("The event is cancelled.")
    if event.start <= now:
        return _("The event has already started or is over.")
    if event.registration_deadline is not None and event.registration_deadline < now:
        return _("The registration deadline has passed.")
    return None


@transaction.atomic
def do_register(event: Event, person: User) -> Registration:
    """A place when one is free, otherwise the end of the waiting list.

    The event row is locked (SELECT … FOR UPDATE on PostgreSQL; SQLite serialises writers), so
    two people registering at the same moment cannot both get the last place.
    """
    locked = Event.objects.select_for_update().get(pk=event.pk)
    reason = registration_closed_reason(locked)
    if reason:
        raise RegistrationError(reason)
    registration = (
        Registration.objects.select_for_update().filter(event=locked, person=person).first()
    )
    if registration is not None and registration.status != RegistrationStatus.CANCELLED:
        return registration  # already registered or waiting: nothing changes
    status = (
        RegistrationStatus.REGISTERED
        if registered_count(locked) < locked.capacity
        else RegistrationStatus.WAITING
    )
    if registration is None:
        return Registration.objects.create(event=locked, person=person, status=status)
    registration.status = status
    registration.created_at = timezone.now()
    registration.promoted_at = None
    registration.cancelled_at = None
    registration.reminded_at = None
    registration.save()
    return registration


def _fill_places(event: Event) -> list[Registration]:
    """Move people from the waiting list into free places, first come first served, and tell
    each of them at once by e-mail. The caller holds the lock on the event."""
    if event.is_cancelled or event.start <= timezone.now():
        return []
    free = event.capacity - registered_count(event)
    if free <= 0:
        return []
    promoted = list(
        Registration.objects.select_for_update(of=("self",))
        .filter(event=event, status=RegistrationStatus.WAITING)
        .select_related("person")
        .order_by("created_at", "pk")[:free]
    )
    now = timezone.now()
    for registration in promoted:
        registration.status = RegistrationStatus.REGISTERED
        registration.promoted_at = now
        registration.save(update_fields=["status", "promoted_at"])
        notify(
            registration.person,
            "event_promoted",
            title=event.title,
            url=event_url(event),
            email_now=True,
        )
    return promoted


@transaction.atomic
def do_cancel_registration(event: Event, person: User) -> list[Registration]:
    """The participant gives up their place (or their place in the queue); returns the people
    promoted from the waiting list into the freed place."""
    locked = Event.objects.select_for_update().get(pk=event.pk)
    registration = (
        Registration.objects.select_for_update()
        .filter(event=locked, person=person)
        .exclude(status=RegistrationStatus.CANCELLED)
        .first()
    )
    if registration is None:
        raise RegistrationError(_("You are not registered for this event."))
    if locked.start <= timezone.now():
        raise RegistrationError(_("The event has already started or is over."))
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    return _fill_places(locked)


@transaction.atomic
def do_cancel_event(event: Event) -> int:
    """Cancel the event and tell everyone registered or waiting by e-mail; returns how many."""
    locked = Event.objects.select_for_update().get(pk=event.pk)
    if locked.is_cancelled:
        return 0
    locked.status = EventStatus.CANCELLED
    locked.cancelled_at = timezone.now()
    locked.save(update_fields=["status", "cancelled_at"])
    affected = Registration.objects.filter(
        event=locked,
        status__in=[RegistrationStatus.REGISTERED, RegistrationStatus.WAITING],
    ).select_related("person")
    for registration in affected:
        notify(
            registration.person,
            "event_cancelled",
            title=locked.title,
            url=event_url(locked),
            email_now=True,
        )
    indexing.event_changed(locked)
    return len(affected)


def do_send_reminders(now: datetime | None = None) -> int:
    """Remind each registered participant of an event starting within EVENT_REMINDER_HOURS,
    once: `reminded_at` is claimed with a conditional update before the notification, so a
    second run (or two at the same time) sends nothing twice. Returns how many were reminded."""
    now = now or timezone.now()
    until = now + timedelta(hours=settings.EVENT_REMINDER_HOURS)
    due = Registration.objects.filter(
        status=RegistrationStatus.REGISTERED,
        reminded_at=None,
        event__status=EventStatus.OPEN,
        event__start__gt=now,
        event__start__lte=until,
    ).select_related("event", "person")
    sent = 0
    for registration in due:
        with transaction.atomic():
            claimed = Registration.objects.filter(pk=registration.pk, reminded_at=None).update(
                reminded_at=now
            )
            if not claimed:
                continue
            notify(
                registration.person,
                "event_reminder",
                title=registration.event.title,
                url=event_url(registration.event),
                email_now=True,
            )
            sent += 1
    return sent
