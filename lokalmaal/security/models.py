"""The security event log, and when each person with a privileged role must have two factors."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    LOGIN = "login", _("Logged in")
    LOGIN_FAILED = "login_failed", _("Failed login")
    LOGIN_THROTTLED = "login_throttled", _("Login attempts throttled")
    THROTTLED = "throttled", _("Too many requests")
    LOGOUT_EXPIRED = "session_expired", _("Session expired")
    PASSWORD_CHANGED = "password_changed", _("Password changed or reset")
    PERMISSION_DENIED = "permission_denied", _("Permission denied")
    ROLE_CHANGED = "role_changed", _("Role changed")
    TWO_FACTOR_CHANGED = "two_factor_changed", _("Two-factor authentication changed")
    MODERATION = "moderation", _("Moderator action")
    ADMIN_ACTION = "admin_action", _("Admin action")
    EXPORT = "export", _("Data export")
    ACCOUNT_DELETED = "account_deleted", _("Account deleted")


class SecurityEvent(models.Model):
    """One thing that matters for security: who (if anyone known), from where, did what to what.

    Never holds a password, token, code or session key: `details` carries only names, paths,
    roles and counts. Kept for LOKALMAAL_SECURITY_LOG_DAYS (`lokalmaal security prune`).
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    kind = models.CharField(max_length=30, choices=EventKind.choices, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The actor's e-mail address when it happened (kept when the account is deleted), or the
    # address someone tried to log in as.
    actor_label = models.CharField(max_length=254, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    target = models.CharField(max_length=300, blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.actor_label}"


class TwoFactorGrace(models.Model):
    """When a person was first seen with a role that needs two-factor authentication: they must
    set it up within LOKALMAAL_MFA_GRACE_DAYS of this. Deleted when they no longer have the role,
    so a new role starts a new period."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="two_factor_grace"
    )
    started_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.user} since {self.started_at:%Y-%m-%d}"
