"""Signal receivers that write the security event log: logins (Django's own signals, which
allauth sends through), role changes (organisation roles, network coordinators, moderators and
platform admins, whoever makes them: a page, the Django admin or a command), moderator actions
(every row of the moderation audit log), Django admin actions, two-factor changes and account
deletions."""

from typing import Any

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from django.http import HttpRequest

from lokalmaal.accounts.models import Membership, Organisation, User
from lokalmaal.accounts.permissions import MODERATORS_GROUP
from lokalmaal.arena.models import ModerationEntry
from lokalmaal.networks.models import Document, Network, NetworkMembership, Post

from .events import current_request, deleting, record
from .models import EventKind

PRIVILEGE_FIELDS = ("is_staff", "is_superuser", "is_platform_admin", "is_active")


@receiver(user_logged_in)
def _logged_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        from .sessions import start_session

        start_session(request)
    record(EventKind.LOGIN, actor=user, request=request)


@receiver(user_login_failed)
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # Django has already masked the password in `credentials`; only the login name is kept.
    login = str(credentials.get("email") or credentials.get("username") or "")
    record(EventKind.LOGIN_FAILED, actor_label=login, target=login, request=request)


@receiver(account_signals.login_code_rejected)
def _login_code_rejected(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    record(
        EventKind.LOGIN_FAILED,
        actor_label=user.email,
        target=user.email,
        details={"method": "e-mail code", "last_attempt": bool(kwargs.get("last_attempt"))},
        request=request,
    )


@receiver(account_signals.password_changed)
@receiver(account_signals.password_set)
@receiver(account_signals.password_reset)
def _password_changed(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    record(EventKind.PASSWORD_CHANGED, actor=user, target=user.email, request=request)


# --- Roles -------------------------------------------------------------------------------------


def _old_value(instance: Any, field: str) -> Any:
    if instance.pk is None:
        return None
    return (
        type(instance)._default_manager.filter(pk=instance.pk).values_list(field, flat=True).first()
    )


@receiver(pre_save, sender=Membership)
@receiver(pre_save, sender=NetworkMembership)
def _remember_role(sender: Any, instance: Any, **kwargs: Any) -> None:
    instance._security_old_role = _old_value(instance, "role")


def _role_target(instance: Membership | NetworkMembership) -> tuple[User, str]:
    if isinstance(instance, Membership):
        return instance.user, f"{instance.user.email} @ {instance.organisation.name}"
    return instance.person, f"{instance.person.email} @ {instance.network.name}"


@receiver(post_save, sender=Membership)
@receiver(post_save, sender=NetworkMembership)
def _role_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    old = None if created else getattr(instance, "_security_old_role", None)
    if not created and old == instance.role:
        return
    _person, target = _role_target(instance)
    record(EventKind.ROLE_CHANGED, target=target, details={"from": old, "to": instance.role})


@receiver(post_delete, sender=Membership)
@receiver(post_delete, sender=NetworkMembership)
def _role_removed(sender: Any, instance: Any, **kwargs: Any) -> None:
    if isinstance(kwargs.get("origin"), User):
        return  # part of deleting the account, which is logged as such
    _person, target = _role_target(instance)
    record(EventKind.ROLE_CHANGED, target=target, details={"from": instance.role, "to": None})


@receiver(pre_save, sender=User)
def _remember_privileges(
    sender: Any, instance: User, update_fields: Any = None, **kwargs: Any
) -> None:
    if update_fields is not None and not set(update_fields) & set(PRIVILEGE_FIELDS):
        return  # e.g. last_login on every login: nothing to compare
    if instance.pk is None:
        return
    old = User.objects.filter(pk=instance.pk).values(*PRIVILEGE_FIELDS).first()
    instance._security_old_privileges = old  # type: ignore[attr-defined]


@receiver(post_save, sender=User)
def _privileges_saved(sender: Any, instance: User, created: bool, **kwargs: Any) -> None:
    old = getattr(instance, "_security_old_privileges", None)
    instance._security_old_privileges = None  # type: ignore[attr-defined]
    if created:
        granted = {f: True for f in PRIVILEGE_FIELDS[:3] if getattr(instance, f)}
        if granted:
            record(EventKind.ROLE_CHANGED, target=instance.email, details=granted)
        return
    if not old:
        return
    changed = {f: getattr(instance, f) for f in PRIVILEGE_FIELDS if old[f] != getattr(instance, f)}
    if changed:
        record(EventKind.ROLE_CHANGED, target=instance.email, details=changed)


@receiver(m2m_changed, sender=User.groups.through)
def _groups_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: set[int] | None, **kwargs: Any
) -> None:
    if action not in {"post_add", "post_remove", "pre_clear"}:
        return
    if reverse:  # group.user_set.add(...): instance is the group, pk_set the people
        groups = [instance]
        people = list(User.objects.filter(pk__in=pk_set or ()))
    else:
        people = [instance]
        groups = list(
            instance.groups.all()
            if action == "pre_clear"
            else Group.objects.filter(pk__in=pk_set or ())
        )
    if not any(group.name == MODERATORS_GROUP for group in groups):
        return
    added = action == "post_add"
    for person in people:
        record(
            EventKind.ROLE_CHANGED,
            target=person.email,
            details={"moderator": added},
        )


# --- Actions -----------------------------------------------------------------------------------


@receiver(post_save, sender=ModerationEntry)
def _moderated(sender: Any, instance: ModerationEntry, created: bool, **kwargs: Any) -> None:
    if not created:
        return
    record(
        EventKind.MODERATION,
        actor=instance.actor,
        target=f"{instance.kind} {instance.key}: {instance.title}",
        details={"action": instance.action, "reason": instance.reason[:500]},
    )


@receiver(post_delete, sender=Post)
@receiver(post_delete, sender=Document)
def _network_content_removed(sender: Any, instance: Post | Document, **kwargs: Any) -> None:
    """A coordinator (or KS) removing someone else's post or document moderates the network."""
    if isinstance(kwargs.get("origin"), User | Network):
        return  # the author's account or the whole network went
    request = current_request()
    actor = getattr(request, "user", None)
    owner_id = instance.author_id if isinstance(instance, Post) else instance.uploaded_by_id
    if not isinstance(actor, User) or actor.pk == owner_id:
        return
    what = "post" if isinstance(instance, Post) else "document"
    record(
        EventKind.MODERATION,
        target=f"{instance.network.name}: {what} {instance.pk}",
        details={"action": "delete", "content": what},
    )


@receiver(post_save, sender=Organisation)
def _organisation_created(
    sender: Any, instance: Organisation, created: bool, **kwargs: Any
) -> None:
    if created:
        record(
            EventKind.ADMIN_ACTION, target=instance.name, details={"action": "create_organisation"}
        )


@receiver(post_save, sender=LogEntry)
def _admin_action(sender: Any, instance: LogEntry, created: bool, **kwargs: Any) -> None:
    if not created:
        return
    flag = {1: "add", 2: "change", 3: "delete"}.get(instance.action_flag, "other")
    content_type = instance.content_type
    record(
        EventKind.ADMIN_ACTION,
        actor=instance.user,
        target=f"{content_type.app_label}.{content_type.model} {instance.object_id}: "
        f"{instance.object_repr}"
        if content_type
        else instance.object_repr,
        details={"action": flag, "changes": instance.get_change_message()[:500]},
    )


@receiver(mfa_signals.authenticator_added)
@receiver(mfa_signals.authenticator_removed)
@receiver(mfa_signals.authenticator_reset)
def _two_factor_changed(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    authenticator = kwargs.get("authenticator")
    signal = kwargs.get("signal")
    what = {
        mfa_signals.authenticator_added: "added",
        mfa_signals.authenticator_removed: "removed",
        mfa_signals.authenticator_reset: "reset",
    }.get(signal, "changed")
    from .middleware import forget_two_factor_check

    forget_two_factor_check(request)
    record(
        EventKind.TWO_FACTOR_CHANGED,
        target=user.email,
        details={"change": what, "type": getattr(authenticator, "type", "")},
        request=request,
    )


@receiver(pre_delete, sender=User)
def _deleting_account(sender: Any, instance: User, **kwargs: Any) -> None:
    deleting(instance.pk)


@receiver(post_delete, sender=User)
def _account_deleted(sender: Any, instance: User, **kwargs: Any) -> None:
    record(EventKind.ACCOUNT_DELETED, target=instance.email)
    deleting(instance.pk, done=True)
