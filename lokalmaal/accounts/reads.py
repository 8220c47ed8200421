"""Reads of organisations shared by the pages and the API."""

from pydantic import BaseModel

from lokalmaal.accounts.models import Invitation, Membership, Organisation
from lokalmaal.accounts.permissions import Action, Person, may


class OrganisationSummary(BaseModel):
    slug: str
    name: str
    kind: str
    region_code: str | None
    member_count: int


class OrganisationMemberOut(BaseModel):
    id: int
    name: str
    email: str
    role: str


class InvitationOut(BaseModel):
    id: int
    email: str
    role: str
    created_at: str


class OrganisationDetail(OrganisationSummary):
    members: list[OrganisationMemberOut] | None  # None when the viewer may not see the members
    invitations: list[InvitationOut] | None
    may_manage: bool


def _summary(organisation: Organisation) -> OrganisationSummary:
    return OrganisationSummary(
        slug=organisation.slug,
        name=organisation.name,
        kind=organisation.kind,
        region_code=organisation.region.code if organisation.region else None,
        member_count=organisation.memberships.count(),
    )


def list_organisations() -> list[OrganisationSummary]:
    return [_summary(o) for o in Organisation.objects.select_related("region")]


def list_my_organisations(person: Person) -> list[OrganisationSummary]:
    if not person.is_authenticated:
        return []
    memberships = Membership.objects.filter(user=person).select_related("organisation__region")
    return [_summary(m.organisation) for m in memberships]


def get_organisation(organisation: Organisation, viewer: Person) -> OrganisationDetail:
    members = None
    if may(viewer, Action.VIEW_MEMBERS, organisation):
        members = [
            OrganisationMemberOut(
                id=m.id, name=m.user.get_full_name(), email=m.user.email, role=m.role
            )
            for m in organisation.memberships.select_related("user")
        ]
    may_manage = may(viewer, Action.MANAGE_MEMBERS, organisation)
    invitations = None
    if may_manage:
        invitations = [
            InvitationOut(id=i.id, email=i.email, role=i.role, created_at=i.created_at.isoformat())
            for i in Invitation.objects.filter(organisation=organisation, accepted_at=None)
            if i.is_open
        ]
    return OrganisationDetail(
        **_summary(organisation).model_dump(),
        members=members,
        invitations=invitations,
        may_manage=may_manage,
    )
