"""Every change to people and organisations: one function each, in one transaction.

Callers (views, commands, the admin) must have checked permissions.require() first.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from lokalmaal.accounts.models import (
    AccessRequest,
    Invitation,
    Membership,
    Organisation,
    OrganisationKind,
    RequestStatus,
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


# --- Requests to join an organisation, or to have one created -----------------------------------


def _mail(recipients: list[str], subject: str, body: str) -> None:
    """Send after commit, so a rolled-back change never reaches anyone's inbox."""
    if recipients:
        transaction.on_commit(
            lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, sorted(set(recipients)))
        )


def deciders(request: AccessRequest) -> list[User]:
    """Who answers a request: the organisation's admins, or KS staff when it has none or the
    request is for a new organisation."""
    if request.organisation is not None:
        admins = User.objects.filter(
            memberships__organisation=request.organisation,
            memberships__role=Role.ADMIN,
            is_active=True,
        )
        if admins.exists():
            return list(admins)
    return list(
        User.objects.filter(is_active=True).filter(
            models.Q(is_platform_admin=True) | models.Q(is_superuser=True)
        )
    )


@transaction.atomic
def do_request_access(
    user: User,
    reason: str,
    answer_url: str,
    organisation: Organisation | None = None,
    region: Region | None = None,
) -> AccessRequest:
    """A person with a verified e-mail asks to join `organisation`, or asks KS to create the
    organisation of `region` (which has none) with them as its first admin. The people who
    decide get an e-mail with `answer_url`."""
    if (organisation is None) == (region is None):
        raise ValidationError(_("Choose an organisation, or a municipality or county without one."))
    if (
        organisation is not None
        and Membership.objects.filter(user=user, organisation=organisation).exists()
    ):
        raise ValidationError(_("You are already a member of %(org)s.") % {"org": organisation})
    if region is not None and Organisation.objects.filter(region=region).exists():
        raise ValidationError(
            _("%(region)s already has an organisation: ask to join it.") % {"region": region}
        )
    pending = AccessRequest.objects.filter(
        user=user, organisation=organisation, region=region, status=RequestStatus.PENDING
    )
    if pending.exists():
        raise ValidationError(_("You have already asked; you will get an e-mail with the answer."))
    if not reason.strip():
        raise ValidationError(_("Say in a sentence who you are and what you will work on."))
    request = AccessRequest.objects.create(
        user=user, organisation=organisation, region=region, reason=reason.strip()[:1000]
    )
    place = organisation.name if organisation else region.name_with_kind() if region else ""
    _mail(
        [u.email for u in deciders(request)],
        _("Lokalmål: %(person)s asks for access to %(place)s") % {"person": user, "place": place},
        _("%(person)s (%(email)s) writes:\n\n%(reason)s\n\nAccept or decline: %(url)s")
        % {"person": user, "email": user.email, "reason": request.reason, "url": answer_url},
    )
    return request


@transaction.atomic
def do_decide_request(
    request: AccessRequest, decider: User, accept: bool, role: Role, note: str, url: str
) -> AccessRequest:
    """Accept (the person becomes a member with `role`; for a new organisation, KS creates it
    and the person becomes its first admin) or decline; the person is told by e-mail and sees
    the answer on "My organisations". Callers check permissions.may_decide first."""
    request = AccessRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != RequestStatus.PENDING:
        raise ValidationError(_("This request has already been answered."))
    if accept:
        organisation = request.organisation
        if organisation is None:
            assert request.region is not None
            organisation = do_create_region_organisation(request.region)
            request.organisation = organisation
            role = Role.ADMIN
        Membership.objects.get_or_create(
            user=request.user, organisation=organisation, defaults={"role": role}
        )
        request.role = role
    request.status = RequestStatus.ACCEPTED if accept else RequestStatus.DECLINED
    request.decided_by, request.decided_at = decider, timezone.now()
    request.note = note.strip()[:1000]
    request.save()
    place = request.organisation.name if request.organisation else str(request.region)
    if accept:
        subject = _("Lokalmål: you are now a member of %(place)s") % {"place": place}
    else:
        subject = _("Lokalmål: your request for %(place)s was declined") % {"place": place}
    body = "\n\n".join(part for part in (subject, request.note, url) if part)
    _mail([request.user.email], subject, body)
    return request
