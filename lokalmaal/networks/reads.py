"""Reads of networks and events shared by the pages and the API: each returns only what the viewer
may see (members-only networks and events, posts, documents, member lists, online links)."""

from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from pydantic import BaseModel

from lokalmaal.accounts.models import Membership, User
from lokalmaal.accounts.permissions import (
    NetworkAction,
    Person,
    is_platform_admin,
    may_manage_event,
    may_network,
    network_role,
)
from lokalmaal.networks.actions import registration_closed_reason, waiting_position
from lokalmaal.networks.models import (
    Event,
    Network,
    NetworkMembership,
    Registration,
    RegistrationStatus,
    Visibility,
)

PAST_EVENTS_SHOWN = 50


class NetworkSummary(BaseModel):
    slug: str
    name: str
    description: str  # Markdown
    region_code: str | None
    region_name: str | None
    visibility: str
    member_count: int
    url: str


class NetworkMemberOut(BaseModel):
    id: int
    name: str
    email: str | None  # for coordinators only
    organisation: str | None
    role: str


class PostOut(BaseModel):
    id: int
    author: str
    created_at: datetime
    body: str  # Markdown
    may_remove: bool


class DocumentOut(BaseModel):
    id: int
    title: str
    filename: str
    kind: str
    size: int
    uploaded_by: str
    uploaded_at: datetime
    url: str
    may_remove: bool


class EventSummary(BaseModel):
    id: int
    title: str
    start: datetime
    end: datetime
    place: str
    online: bool
    capacity: int
    places_left: int
    status: str
    visibility: str
    network_slug: str | None
    network_name: str | None
    organisation_name: str | None
    url: str


class NetworkDetail(NetworkSummary):
    role: str | None  # the viewer's role in the network
    may_manage: bool
    may_post: bool
    may_join: bool
    # None when the viewer is not a member: these are for members in every network.
    members: list[NetworkMemberOut] | None
    posts: list[PostOut] | None
    documents: list[DocumentOut] | None
    events: list[EventSummary]


class EventDetail(EventSummary):
    description: str  # Markdown
    programme: str  # Markdown
    registration_deadline: datetime | None
    closed_reason: str | None  # why registration is closed; None while it is open
    online_url: str | None  # only for registered participants and the organisers
    registered_count: int
    waiting_count: int
    my_status: str | None
    my_waiting_position: int | None
    may_unregister: bool  # registered or waiting, and the event has not started
    may_manage: bool


class ParticipantOut(BaseModel):
    name: str
    email: str
    organisation: str
    status: str
    registered_at: datetime


def _name(person: User | None) -> str:
    if person is None:
        return "–"
    return person.get_full_name() or person.email


# Networks


def visible_networks(viewer: Person) -> QuerySet[Network]:
    networks = Network.objects.select_related("region").annotate(member_total=Count("memberships"))
    if is_platform_admin(viewer):
        return networks
    mine = Q(pk__in=[])
    if isinstance(viewer, User):
        mine = Q(pk__in=NetworkMembership.objects.filter(person=viewer).values("network_id"))
    return networks.filter(Q(visibility=Visibility.PUBLIC) | mine)


def _network_summary(network: Network, member_count: int) -> NetworkSummary:
    return NetworkSummary(
        slug=network.slug,
        name=network.name,
        description=network.description,
        region_code=network.region.code if network.region else None,
        region_name=network.region.name if network.region else None,
        visibility=network.visibility,
        member_count=member_count,
        url=reverse("networks:network", args=[network.slug]),
    )


def _summaries(networks: QuerySet[Network]) -> list[NetworkSummary]:
    found = list(networks)
    counts = dict(
        NetworkMembership.objects.filter(network__in=found)
        .values_list("network_id")
        .annotate(total=Count("pk"))
        .values_list("network_id", "total")
    )
    return [_network_summary(n, counts.get(n.pk, 0)) for n in found]


def list_networks(viewer: Person) -> list[NetworkSummary]:
    return _summaries(visible_networks(viewer))


def list_my_networks(viewer: Person) -> list[NetworkSummary]:
    if not isinstance(viewer, User):
        return []
    return _summaries(visible_networks(viewer).filter(memberships__person=viewer))


def _members(network: Network, show_email: bool) -> list[NetworkMemberOut]:
    memberships = network.memberships.select_related("person", "organisation").order_by(
        "-role", "person__first_name", "person__email"
    )
    return [
        NetworkMemberOut(
            id=m.pk,
            name=_name(m.person),
            email=m.person.email if show_email else None,
            organisation=m.organisation.name if m.organisation else None,
            role=m.role,
        )
        for m in memberships
    ]


def _posts(network: Network, viewer: Person, manage: bool) -> list[PostOut]:
    return [
        PostOut(
            id=p.pk,
            author=_name(p.author),
            created_at=p.created_at,
            body=p.body,
            may_remove=manage or (p.author_id is not None and p.author_id == viewer.pk),
        )
        for p in network.posts.select_related("author")[:100]
    ]


def _documents(network: Network, viewer: Person, manage: bool) -> list[DocumentOut]:
    documents = network.documents.select_related("uploaded_by").defer("content")
    return [
        DocumentOut(
            id=d.pk,
            title=d.title,
            filename=d.filename,
            kind=d.kind,
            size=d.size,
            uploaded_by=_name(d.uploaded_by),
            uploaded_at=d.uploaded_at,
            url=reverse("networks:document", args=[network.slug, d.pk]),
            may_remove=manage or (d.uploaded_by_id is not None and d.uploaded_by_id == viewer.pk),
        )
        for d in documents
    ]


def get_network(network: Network, viewer: Person) -> NetworkDetail:
    """The network as `viewer` may see it; the caller fetched it with access_network."""
    reads_content = may_network(viewer, NetworkAction.READ, network)
    manage = may_network(viewer, NetworkAction.MANAGE, network)
    upcoming = visible_events(viewer).filter(network=network, end__gte=timezone.now())
    return NetworkDetail(
        **_network_summary(network, network.memberships.count()).model_dump(),
        role=network_role(viewer, network),
        may_manage=manage,
        may_post=may_network(viewer, NetworkAction.POST, network),
        may_join=may_network(viewer, NetworkAction.JOIN, network),
        members=_members(network, show_email=manage) if reads_content else None,
        posts=_posts(network, viewer, manage) if reads_content else None,
        documents=_documents(network, viewer, manage) if reads_content else None,
        events=[_event_summary(e) for e in upcoming],
    )


# Events


def visible_events(viewer: Person) -> QuerySet[Event]:
    """Events the viewer may see (the same rule as accounts.permissions.may_view_event)."""
    events = Event.objects.select_related("network", "organisation").annotate(
        registered_total=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.REGISTERED)
        )
    )
    if is_platform_admin(viewer):
        return events
    visible = Q(visibility=Visibility.PUBLIC)
    if isinstance(viewer, User):
        my_networks = NetworkMembership.objects.filter(person=viewer).values("network_id")
        my_organisations = Membership.objects.filter(user=viewer).values("organisation_id")
        visible |= (
            Q(organiser=viewer)
            | Q(network_id__in=my_networks)
            | Q(organisation_id__in=my_organisations)
        )
    return events.filter(visible)


def _event_summary(event: Event) -> EventSummary:
    registered = getattr(event, "registered_total", None)
    if registered is None:
        registered = event.registrations.filter(status=RegistrationStatus.REGISTERED).count()
    return EventSummary(
        id=event.pk,
        title=event.title,
        start=event.start,
        end=event.end,
        place=event.place,
        online=bool(event.online_url),
        capacity=event.capacity,
        places_left=max(0, event.capacity - registered),
        status=event.status,
        visibility=event.visibility,
        network_slug=event.network.slug if event.network else None,
        network_name=event.network.name if event.network else None,
        organisation_name=event.organisation.name if event.organisation else None,
        url=reverse("networks:event", args=[event.pk]),
    )


def list_events(viewer: Person, *, past: bool = False) -> list[EventSummary]:
    """Coming and ongoing events, soonest first; or past ones, latest first."""
    now = timezone.now()
    events = visible_events(viewer)
    if past:
        events = events.filter(end__lt=now).order_by("-start", "-pk")[:PAST_EVENTS_SHOWN]
    else:
        events = events.filter(end__gte=now).order_by("start", "pk")
    return [_event_summary(e) for e in events]


def my_registration(event: Event, viewer: Person) -> Registration | None:
    if not isinstance(viewer, User):
        return None
    return Registration.objects.filter(event=event, person=viewer).first()


def get_event(event: Event, viewer: Person) -> EventDetail:
    """The event as `viewer` may see it; the caller fetched it with access_event."""
    registration = my_registration(event, viewer)
    my_status = registration.status if registration else None
    manage = may_manage_event(viewer, event)
    counts = {
        row["status"]: row["total"]
        for row in event.registrations.values("status").annotate(total=Count("pk"))
    }
    joins = manage or my_status == RegistrationStatus.REGISTERED
    return EventDetail(
        **_event_summary(event).model_dump(),
        description=event.description,
        programme=event.programme,
        registration_deadline=event.registration_deadline,
        closed_reason=registration_closed_reason(event),
        online_url=event.online_url if joins and event.online_url else None,
        registered_count=counts.get(RegistrationStatus.REGISTERED, 0),
        waiting_count=counts.get(RegistrationStatus.WAITING, 0),
        my_status=my_status,
        my_waiting_position=waiting_position(registration) if registration else None,
        may_unregister=(
            my_status in (RegistrationStatus.REGISTERED, RegistrationStatus.WAITING)
            and not event.is_cancelled
            and event.start > timezone.now()
        ),
        may_manage=manage,
    )


def _organisations_of(people: list[User]) -> dict[int, str]:
    names: dict[int, list[str]] = {}
    memberships = Membership.objects.filter(user__in=people).select_related("organisation")
    for membership in memberships.order_by("organisation__name"):
        names.setdefault(membership.user_id, []).append(membership.organisation.name)
    return {person_id: ", ".join(found) for person_id, found in names.items()}


def list_participants(event: Event) -> list[ParticipantOut]:
    """Registered people first, then the waiting list in its order, then cancellations; for the
    organisers only (the caller fetched the event with access_event(manage=True))."""
    registrations = list(event.registrations.select_related("person").order_by("created_at", "pk"))
    organisations = _organisations_of([r.person for r in registrations])
    order = {
        RegistrationStatus.REGISTERED: 0,
        RegistrationStatus.WAITING: 1,
        RegistrationStatus.CANCELLED: 2,
    }
    registrations.sort(key=lambda r: order[RegistrationStatus(r.status)])
    return [
        ParticipantOut(
            name=_name(r.person),
            email=r.person.email,
            organisation=organisations.get(r.person_id, ""),
            status=r.status,
            registered_at=r.created_at,
        )
        for r in registrations
    ]
