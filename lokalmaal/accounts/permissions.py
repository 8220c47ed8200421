"""The one place that answers "may this person do this?".

Views never check roles themselves: they call `require(...)`, which raises PermissionDenied (403)
for a logged-in person and lets the login-required decorator send anonymous people to the login.
Objects a person may not see are fetched only through the `access_*` helpers.
"""

from enum import StrEnum
from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from lokalmaal.accounts.models import ROLE_RANK, Membership, Organisation, Role, User

if TYPE_CHECKING:
    from lokalmaal.accounts.models import AccessRequest
    from lokalmaal.networks.models import Event, Network

type Person = User | AnonymousUser


class Action(StrEnum):
    VIEW_MEMBERS = "view_members"
    EDIT_CONTENT = "edit_content"
    MANAGE_MEMBERS = "manage_members"
    CREATE_ORGANISATION = "create_organisation"


# The least role an action needs inside the organisation.
REQUIRED_ROLE: dict[Action, Role] = {
    Action.VIEW_MEMBERS: Role.READER,
    Action.EDIT_CONTENT: Role.EDITOR,
    Action.MANAGE_MEMBERS: Role.ADMIN,
}


def role_in(person: Person, organisation: Organisation) -> Role | None:
    if not isinstance(person, User) or not person.is_active:
        return None
    membership = Membership.objects.filter(user=person, organisation=organisation).first()
    return Role(membership.role) if membership else None


def is_platform_admin(person: Person) -> bool:
    return (
        isinstance(person, User)
        and person.is_active
        and (person.is_platform_admin or person.is_superuser)
    )


MODERATORS_GROUP = "moderators"


def is_moderator(person: Person) -> bool:
    """Platform admins, and the people in the auth Group "moderators": they review practice
    examples and handle reports of content."""
    if is_platform_admin(person):
        return True
    return (
        isinstance(person, User)
        and person.is_active
        and person.groups.filter(name=MODERATORS_GROUP).exists()
    )


def may(person: Person, action: Action, organisation: Organisation | None = None) -> bool:
    if is_platform_admin(person):
        return True
    if action is Action.CREATE_ORGANISATION or organisation is None:
        return False
    role = role_in(person, organisation)
    return role is not None and ROLE_RANK[role] >= ROLE_RANK[REQUIRED_ROLE[action]]


def require(person: Person, action: Action, organisation: Organisation | None = None) -> None:
    if not may(person, action, organisation):
        raise PermissionDenied(f"Not allowed: {action}")


def access_organisation(slug: str) -> Organisation:
    """Organisations and their public facts are public; members are not (see VIEW_MEMBERS)."""
    organisation = Organisation.objects.select_related("region").filter(slug=slug).first()
    if organisation is None:
        raise Http404("No such organisation")
    return organisation


def may_decide(person: Person, request: "AccessRequest") -> bool:
    """A request to join is answered by the organisation's admins, or by KS staff when it has
    no admin; a request for a new organisation only by KS staff."""
    if is_platform_admin(person):
        return True
    if request.organisation is None:
        return False
    return may(person, Action.MANAGE_MEMBERS, request.organisation)


def access_request(person: Person, request_id: int) -> "AccessRequest":
    """A request the person may answer; 404 for any other, so none is revealed."""
    from lokalmaal.accounts.models import AccessRequest

    found = (
        AccessRequest.objects.select_related("user", "organisation", "region")
        .filter(pk=request_id)
        .first()
    )
    if found is None or not may_decide(person, found):
        raise Http404("No such request")
    return found


def access_membership(person: Person, organisation: Organisation, member_id: int) -> Membership:
    """A membership that `person` may manage; 404 for one in another organisation."""
    require(person, Action.MANAGE_MEMBERS, organisation)
    membership = Membership.objects.filter(organisation=organisation, id=member_id).first()
    if membership is None:
        raise Http404("No such member")
    return membership


# --- Networks and events (lokalmaal/networks) -------------------------------------------------
# A network has its own roles (member, coordinator), independent of organisation roles.
# Who may create a network: KS staff and anyone who belongs to an organisation on the platform
# (so every network has someone accountable behind it). Who may organise an event: KS staff,
# network coordinators (for their network) and editors or admins of an organisation (for it).
# Public networks are joined directly by any logged-in person; coordinators add people to a
# members-only network. Posts, documents and the member list are for members in every network.


class NetworkAction(StrEnum):
    CREATE_NETWORK = "create_network"
    VIEW = "view_network"  # the network's page: everyone for a public one, else members
    READ = "read_network_content"  # posts, documents, member list
    POST = "post_in_network"  # write posts, upload documents
    JOIN = "join_network"
    MANAGE = "manage_network"  # members, roles, moderation, the network's own facts


def _active_user(person: Person) -> User | None:
    return person if isinstance(person, User) and person.is_active else None


def network_role(person: Person, network: "Network") -> str | None:
    from lokalmaal.networks.models import NetworkMembership

    user = _active_user(person)
    if user is None:
        return None
    membership = NetworkMembership.objects.filter(network=network, person=user).first()
    return membership.role if membership else None


def may_network(person: Person, action: NetworkAction, network: "Network | None" = None) -> bool:
    from lokalmaal.networks.models import NetworkRole

    user = _active_user(person)
    if action is NetworkAction.CREATE_NETWORK:
        return is_platform_admin(person) or (user is not None and user.memberships.exists())
    if network is None:
        return False
    if action is NetworkAction.VIEW and network.is_public:
        return True
    if action is NetworkAction.JOIN:
        return user is not None and network.is_public and network_role(user, network) is None
    if is_platform_admin(person):
        return True
    role = network_role(person, network)
    if action is NetworkAction.MANAGE:
        return role == NetworkRole.COORDINATOR
    return role is not None


def require_network(
    person: Person, action: NetworkAction, network: "Network | None" = None
) -> None:
    if not may_network(person, action, network):
        raise PermissionDenied(f"Not allowed: {action}")


def may_organise_events(person: Person) -> bool:
    """Whether the person may create an event at all (for some network or organisation)."""
    from lokalmaal.networks.models import NetworkMembership, NetworkRole

    user = _active_user(person)
    if is_platform_admin(person):
        return True
    if user is None:
        return False
    if user.memberships.filter(role__in=[Role.EDITOR, Role.ADMIN]).exists():
        return True
    return NetworkMembership.objects.filter(person=user, role=NetworkRole.COORDINATOR).exists()


def may_organise_for(
    person: Person, network: "Network | None", organisation: Organisation | None
) -> bool:
    """Whether the person may hold an event in the name of this network and/or organisation;
    with neither, only KS staff may."""
    if is_platform_admin(person):
        return True
    if network is None and organisation is None:
        return False
    if network is not None and not may_network(person, NetworkAction.MANAGE, network):
        return False
    return organisation is None or may(person, Action.EDIT_CONTENT, organisation)


def may_view_event(person: Person, event: "Event") -> bool:
    if event.is_public or may_manage_event(person, event):
        return True
    if event.network is not None and may_network(person, NetworkAction.READ, event.network):
        return True
    return event.organisation is not None and may(person, Action.VIEW_MEMBERS, event.organisation)


def may_manage_event(person: Person, event: "Event") -> bool:
    """The organiser, the network's coordinators, the organisation's editors and KS staff."""
    user = _active_user(person)
    if user is None:
        return False
    if is_platform_admin(user) or event.organiser_id == user.pk:
        return True
    if event.network is not None and may_network(user, NetworkAction.MANAGE, event.network):
        return True
    return event.organisation is not None and may(user, Action.EDIT_CONTENT, event.organisation)
