"""The one place that answers "may this person do this?".

Views never check roles themselves: they call `require(...)`, which raises PermissionDenied (403)
for a logged-in person and lets the login-required decorator send anonymous people to the login.
Objects a person may not see are fetched only through the `access_*` helpers.
"""

from enum import StrEnum

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from lokalmaal.accounts.models import ROLE_RANK, Membership, Organisation, Role, User

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


def access_membership(person: Person, organisation: Organisation, member_id: int) -> Membership:
    """A membership that `person` may manage; 404 for one in another organisation."""
    require(person, Action.MANAGE_MEMBERS, organisation)
    membership = Membership.objects.filter(organisation=organisation, id=member_id).first()
    if membership is None:
        raise Http404("No such member")
    return membership
