"""Every change to people and organisations: one function each, in one transaction.

Callers (views, commands, the admin) must have checked permissions.require() first.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from lokalmaal.accounts.models import (
    Invitation,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    User,
)
from lokalmaal.regions.models import Region, RegionKind


@transaction.atomic
def do_create_organisation(
    name: str, kind: OrganisationKind, region: Region | None = None, slug: str = ""
) -> Organisation:
    if region is not None and Organisation.objects.filter(region=region).exists():
        raise ValidationError(_("%(region)s already has an organisation.") % {"region": region})
    organisation = Organisation(
        name=name, kind=kind, region=region, slug=slug or slugify(name.replace("ø", "o"))
    )
    organisation.full_clean()
    organisation.save()
    return organisation


def organisation_kind_for(region: Region) -> OrganisationKind:
    return (
        OrganisationKind.COUNTY
        if region.kind == RegionKind.COUNTY
        else OrganisationKind.MUNICIPALITY
    )


@transaction.atomic
def do_create_region_organisation(region: Region) -> Organisation:
    """The organisation of a municipality or county, named and linked after the region."""
    return do_create_organisation(
        region.name_with_kind(), organisation_kind_for(region), region, slug=region.slug
    )


@transaction.atomic
def do_invite(
    organisation: Organisation, email: str, role: Role, invited_by: User, accept_url: str
) -> Invitation:
    email = email.strip().lower()
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise ValidationError(_("%(email)s is already a member.") % {"email": email})
    invitation = Invitation.objects.create(
        organisation=organisation, email=email, role=role, invited_by=invited_by
    )
    url = accept_url.replace("TOKEN", invitation.token)
    context = {"invitation": invitation, "url": url, "inviter": invited_by}
    # Sent after commit so a rolled-back invitation never reaches anyone's inbox.
    transaction.on_commit(
        lambda: send_mail(
            subject=_("Invitation to %(org)s on Lokalmål") % {"org": organisation.name},
            message=render_to_string("accounts/invitation_email.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[email],
        )
    )
    return invitation


@transaction.atomic
def do_accept_invitation(invitation: Invitation, user: User) -> Membership:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open:
        raise ValidationError(_("This invitation has expired or has already been used."))
    if invitation.email.lower() != user.email.lower():
        raise ValidationError(_("This invitation was sent to another e-mail address."))
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=invitation.organisation, defaults={"role": invitation.role}
    )
    if not created and membership.role != invitation.role:
        membership.role = invitation.role
        membership.save(update_fields=["role"])
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


def _admins_left(organisation: Organisation, without: Membership) -> int:
    return (
        Membership.objects.filter(organisation=organisation, role=Role.ADMIN)
        .exclude(pk=without.pk)
        .count()
    )


@transaction.atomic
def do_change_role(membership: Membership, role: Role) -> Membership:
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    demoting_admin = membership.role == Role.ADMIN and role != Role.ADMIN
    if demoting_admin and _admins_left(membership.organisation, membership) == 0:
        raise ValidationError(_("An organisation must keep at least one admin."))
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def do_remove_member(membership: Membership) -> None:
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.role == Role.ADMIN and _admins_left(membership.organisation, membership) == 0:
        raise ValidationError(_("An organisation must keep at least one admin."))
    membership.delete()


@transaction.atomic
def do_revoke_invitation(invitation: Invitation) -> None:
    invitation.delete()
