"""Who must use two-factor authentication (TOTP), and by when.

Platform admins (is_staff, is_superuser, is_platform_admin), moderators and organisation admins
must have an authenticator app set up. Each gets LOKALMAAL_MFA_GRACE_DAYS from when they were
first seen with such a role (a login or a request); after that every page sends them to the
set-up page until it is done. They cannot remove it while they have the role.
"""

from datetime import datetime, timedelta

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.utils import timezone

from lokalmaal.accounts.models import Role, User
from lokalmaal.accounts.permissions import MODERATORS_GROUP

from .models import TwoFactorGrace


def needs_two_factor(user: User) -> bool:
    """Whether the person's roles require two-factor authentication."""
    if not user.is_active:
        return False
    if user.is_staff or user.is_superuser or user.is_platform_admin:
        return True
    if user.groups.filter(name=MODERATORS_GROUP).exists():
        return True
    return user.memberships.filter(role=Role.ADMIN).exists()


def has_two_factor(user: User) -> bool:
    return bool(Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists())


def deadline(user: User, now: datetime | None = None) -> datetime | None:
    """When the person must have set up two-factor authentication; None if they need not (or
    already have). Starts the grace period the first time it is asked for someone who needs it,
    and forgets it for someone who no longer does."""
    if not needs_two_factor(user):
        TwoFactorGrace.objects.filter(user=user).delete()
        return None
    if has_two_factor(user):
        return None
    grace, _created = TwoFactorGrace.objects.get_or_create(
        user=user, defaults={"started_at": now or timezone.now()}
    )
    return grace.started_at + timedelta(days=settings.MFA_GRACE_DAYS)
