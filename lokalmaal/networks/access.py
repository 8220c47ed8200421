"""Fetch networks, their content and events only through these helpers, so the rules in
accounts.permissions apply. Something a person may not see is a 404, so its existence is not
revealed; something they may see but not change is a 403."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from lokalmaal.accounts.permissions import (
    NetworkAction,
    Person,
    may_manage_event,
    may_network,
    may_view_event,
    require_network,
)
from lokalmaal.networks.models import Document, Event, Network, NetworkMembership, Post


def access_network(
    person: Person, slug: str, action: NetworkAction = NetworkAction.VIEW
) -> Network:
    """The network when `person` may see it, and (for other actions) may also do `action`."""
    network = Network.objects.select_related("region").filter(slug=slug).first()
    if network is None or not may_network(person, NetworkAction.VIEW, network):
        raise Http404("No such network")
    if action is not NetworkAction.VIEW:
        require_network(person, action, network)
    return network


def access_post(person: Person, network: Network, post_id: int) -> Post:
    """A post its author or a coordinator may remove."""
    require_network(person, NetworkAction.READ, network)
    post = Post.objects.filter(network=network, id=post_id).first()
    if post is None:
        raise Http404("No such post")
    if post.author_id != getattr(person, "pk", None):
        require_network(person, NetworkAction.MANAGE, network)
    return post


def access_document(
    person: Person, network: Network, document_id: int, *, remove: bool = False
) -> Document:
    """A document a member may download; with `remove`, one its uploader or a coordinator may
    remove."""
    require_network(person, NetworkAction.READ, network)
    document = Document.objects.filter(network=network, id=document_id).first()
    if document is None:
        raise Http404("No such document")
    if remove and document.uploaded_by_id != getattr(person, "pk", None):
        require_network(person, NetworkAction.MANAGE, network)
    return document


def access_membership(person: Person, network: Network, membership_id: int) -> NetworkMembership:
    """A membership a coordinator of the network may change."""
    require_network(person, NetworkAction.MANAGE, network)
    membership = NetworkMembership.objects.filter(network=network, id=membership_id).first()
    if membership is None:
        raise Http404("No such member")
    return membership


def access_event(person: Person, event_id: int, *, manage: bool = False) -> Event:
    """The event when `person` may see it; with `manage`, only for its organisers."""
    event = (
        Event.objects.select_related("network", "organisation", "organiser")
        .filter(id=event_id)
        .first()
    )
    if event is None or not may_view_event(person, event):
        raise Http404("No such event")
    if manage and not may_manage_event(person, event):
        raise PermissionDenied("Only the event's organisers may do this")
    return event
