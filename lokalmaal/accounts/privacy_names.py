"""What each row the deletion page lists is, in words a person understands ("Notifications you
got"), instead of the table and field ("discussion.notification.recipient"). A relation added
later without a name here is shown by its table and field until one is written."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

NAMES: dict[str, Promise] = {
    "account.emailaddress.user": _("Your e-mail addresses"),
    "accounts.accessrequest.decided_by": _("Access requests you decided"),
    "accounts.accessrequest.user": _("Your access requests"),
    "accounts.invitation.accepted_by": _("Invitations you accepted"),
    "accounts.invitation.invited_by": _("Invitations you sent"),
    "accounts.membership.user": _("Your memberships of organisations"),
    "admin.logentry.user": _("Your changes in the admin pages"),
    "arena.attachment.uploaded_by": _("Attachments you uploaded to practice examples"),
    "arena.example.author": _("Practice examples you wrote"),
    "arena.moderationentry.actor": _("Your moderation decisions"),
    "arena.report.handled_by": _("Reports you handled as a moderator"),
    "arena.report.reporter": _("Content you reported"),
    "discussion.answer.author": _("Answers you wrote"),
    "discussion.answer.hidden_by": _("Answers you hid as a moderator"),
    "discussion.digestsent.person": _("Digest e-mails sent to you"),
    "discussion.follow.person": _("Things you follow"),
    "discussion.follow.subject": _("People following you"),
    "discussion.notification.recipient": _("Notifications you got"),
    "discussion.notificationsettings.person": _("Your e-mail settings"),
    "discussion.question.author": _("Questions you asked"),
    "discussion.question.hidden_by": _("Questions you hid as a moderator"),
    "indicators.proposal.created_by": _("Indicators you proposed"),
    "indicators.proposal.supporters": _("Indicator proposals you support"),
    "localgoals.adoptedversion.recorded_by": _("Adopted plan versions you recorded"),
    "localgoals.change.user": _("Your changes in planning workspaces"),
    "localgoals.consultationcomment.answered_by": _("Consultation comments you answered"),
    "localgoals.consultationcomment.author": _("Your consultation comments"),
    "localgoals.consultationinvite.invited_by": _("Consultation invitations you sent"),
    "localgoals.localgoal.updated_by": _("Local goals you last changed"),
    "localgoals.priority.marked_by": _("Priorities you marked"),
    "localgoals.rating.rater": _("Your ratings in materiality analyses"),
    "localgoals.workspace.created_by": _("Planning workspaces you created"),
    "mfa.authenticator.user": _("Your two-factor settings"),
    "networks.document.uploaded_by": _("Documents you shared in networks"),
    "networks.event.organiser": _("Events you organise"),
    "networks.network.created_by": _("Networks you created"),
    "networks.networkmembership.person": _("Your network memberships"),
    "networks.post.author": _("Your posts in networks"),
    "networks.registration.person": _("Your event registrations"),
    "plans.plandocument.uploaded_by": _("Plan documents you uploaded"),
    "security.securityevent.actor": _("Security log events of your account"),
    "security.twofactorgrace.user": _("Your time to set up two-factor authentication"),
    "socialaccount.socialaccount.user": _("Your logins through ID-porten or Entra ID"),
}


def relation_name(label: str) -> str:
    name = NAMES.get(label)
    return str(name) if name is not None else label
