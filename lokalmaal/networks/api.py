"""/api/v1/networks/ and /api/v1/events/: the JSON twins of the network and event pages, served
by the same read functions, so they show exactly what the page shows the same person. Participant
names are never here: the participant list is a page and CSV for the organisers only."""

from django.http import HttpRequest
from ninja import Router

from lokalmaal.networks import reads
from lokalmaal.networks.access import access_event, access_network

networks_router = Router(tags=["networks"])
events_router = Router(tags=["events"])


@networks_router.get(
    "/",
    response=list[reads.NetworkSummary],
    summary="Networks: the public ones, and members-only ones for their members",
)
def network_list(request: HttpRequest) -> list[reads.NetworkSummary]:
    return reads.list_networks(request.user)


@networks_router.get(
    "/{slug}/",
    response=reads.NetworkDetail,
    summary="One network; members, posts and documents only for its members",
)
def network(request: HttpRequest, slug: str) -> reads.NetworkDetail:
    return reads.get_network(access_network(request.user, slug), request.user)


@events_router.get(
    "/",
    response=list[reads.EventSummary],
    summary="Coming events (or past=true: the latest past ones) the viewer may see",
)
def event_list(request: HttpRequest, past: bool = False) -> list[reads.EventSummary]:
    return reads.list_events(request.user, past=past)


@events_router.get(
    "/{event_id}/",
    response=reads.EventDetail,
    summary="One event with places left; the online link only for registered participants",
)
def event(request: HttpRequest, event_id: int) -> reads.EventDetail:
    return reads.get_event(access_event(request.user, event_id), request.user)
