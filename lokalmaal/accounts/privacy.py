"""What Lokalmål keeps about a person, for them to download and to delete (GDPR articles 15, 17
and 20).

Both walk the User model's relations instead of listing apps, so a new app's rows are covered
without a change here: every foreign key, one-to-one and many-to-many field that points to User
(hidden ones with related_name="+" too), and every generic foreign key set to a user. What
happens to a row on deletion follows its relation's on_delete: CASCADE deletes it (personal),
SET_NULL keeps it without the person (content others rely on), PROTECT stops the deletion.

Secrets never leave: password hashes, MFA secrets and recovery codes, tokens, session and
confirmation keys. Another person is never named: a link to any other user shows as
"another person".
"""

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.models.deletion import ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from lokalmaal.accounts.models import Invitation, Membership, Role, User

# Field names that hold secrets, on any model; and whole models that are nothing but secrets.
SECRET_FIELDS = frozenset(
    {"password", "token", "token_secret", "secret", "key", "session_key", "session_data"}
)
SECRET_FIELDS_OF_MODEL = {
    "mfa.authenticator": frozenset({"data"}),  # the TOTP secret and the recovery codes
    "socialaccount.socialaccount": frozenset({"extra_data"}),  # may hold the provider's tokens
}
SECRET_MODELS = frozenset({"socialaccount.socialtoken", "sessions.session"})
YOU = "you"
SOMEONE_ELSE = "another person"
ACCOUNT_FIELDS = (
    "email",
    "first_name",
    "last_name",
    "date_joined",
    "last_login",
    "is_active",
    "is_platform_admin",
    "is_staff",
)


@dataclass(frozen=True)
class Relation:
    """A way a row of `model` points to a person: through `field_name`."""

    model: type[models.Model]
    field_name: str
    kind: str  # "fk" (foreign key or one-to-one), "m2m" or "generic"
    on_delete: str  # "delete", "keep" (the link is cleared) or "block"

    @property
    def label(self) -> str:
        return f"{self.model._meta.label_lower}.{self.field_name}"

    def rows(self, user: User) -> "models.QuerySet[models.Model]":
        manager = self.model._default_manager
        if self.kind == "generic":
            generic = next(f for f in self.model._meta.private_fields if f.name == self.field_name)
            assert isinstance(generic, GenericForeignKey)
            return manager.filter(
                **{
                    generic.ct_field: ContentType.objects.get_for_model(User),
                    generic.fk_field: str(user.pk),
                }
            ).order_by("pk")
        return manager.filter(**{self.field_name: user}).order_by("pk")


def _on_delete(handler: object) -> str:
    if handler is models.CASCADE:
        return "delete"
    if handler in (models.PROTECT, models.RESTRICT):
        return "block"
    return "keep"  # SET_NULL, SET_DEFAULT, SET(...), DO_NOTHING


def relations() -> list[Relation]:
    """Every relation from any installed model to User, in a stable order."""
    found: list[Relation] = []
    for rel in User._meta.get_fields(include_hidden=True):
        if not (rel.auto_created and not rel.concrete and rel.is_relation):
            continue
        model = rel.related_model
        assert isinstance(model, type)
        assert issubclass(model, models.Model)
        if model._meta.auto_created:  # an M2M's own table: covered by the M2M relation
            continue
        assert isinstance(rel, models.ForeignObjectRel)
        name = rel.field.name  # the field on `model` that points to User
        if rel.many_to_many:
            found.append(Relation(model, name, "m2m", "keep"))
        else:
            found.append(Relation(model, name, "fk", _on_delete(rel.on_delete)))
    for model in apps.get_models():
        for private in model._meta.private_fields:
            if isinstance(private, GenericForeignKey):
                found.append(Relation(model, private.name, "generic", "delete"))
    return sorted(
        (r for r in found if r.model._meta.label_lower not in SECRET_MODELS),
        key=lambda r: r.label,
    )


# --- Download --------------------------------------------------------------------------------


def _is_secret(model: type[models.Model], name: str) -> bool:
    return name in SECRET_FIELDS or name in SECRET_FIELDS_OF_MODEL.get(
        model._meta.label_lower, frozenset()
    )


def _person(user_id: object, user: User) -> str:
    return YOU if user_id == user.pk else SOMEONE_ELSE


def _value(obj: models.Model, model_field: models.Field[Any, Any], user: User) -> object:
    if model_field.is_relation:
        target_id = getattr(obj, model_field.attname)
        if target_id is None:
            return None
        if model_field.related_model is User:
            return _person(target_id, user)
        return {"id": target_id, "label": str(getattr(obj, model_field.name))}
    value = model_field.value_from_object(obj)
    if isinstance(value, bytes | memoryview):
        return {"bytes": len(value)}  # file contents are in the ZIP, not the JSON
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or None
    return value


def serialise(obj: models.Model, user: User) -> dict[str, object]:
    """One row as plain data, without secrets and without naming anyone but `user`."""
    model = type(obj)
    data: dict[str, object] = {"id": obj.pk}
    for model_field in model._meta.concrete_fields:
        if model_field.primary_key or _is_secret(model, model_field.name):
            continue
        data[model_field.name] = _value(obj, model_field, user)
    for m2m in model._meta.many_to_many:
        if _is_secret(model, m2m.name):
            continue
        related = getattr(obj, m2m.name).all()
        if m2m.related_model is User:
            data[m2m.name] = [_person(other.pk, user) for other in related]
        else:
            data[m2m.name] = [str(other) for other in related]
    return data


def _account(user: User) -> dict[str, object]:
    return {name: getattr(user, name) for name in ACCOUNT_FIELDS} | {
        "has_password": user.has_usable_password(),
        "groups": [g.name for g in user.groups.all()],
    }


def _emails(user: User) -> set[str]:
    from allauth.account.models import EmailAddress

    found = {user.email.lower()}
    found.update(
        e.lower() for e in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    )
    return found


def _email_fields() -> Iterator[tuple[type[models.Model], str]]:
    """Every e-mail field outside the account itself: invitations, contact persons, …"""
    for model in apps.get_models():
        if model is User or model._meta.label_lower in SECRET_MODELS:
            continue
        for model_field in model._meta.concrete_fields:
            if isinstance(model_field, models.EmailField):
                yield model, model_field.name


def mentions(user: User) -> dict[str, list[models.Model]]:
    """Rows that name one of the person's e-mail addresses without a link to the account."""
    emails = _emails(user)
    found: dict[str, list[models.Model]] = {}
    for model, name in _email_fields():
        if model._meta.label_lower == "account.emailaddress":
            continue  # linked to the account; listed with it
        matches = models.Q()
        for email in emails:
            matches |= models.Q(**{f"{name}__iexact": email})
        rows = list(model._default_manager.filter(matches).order_by("pk"))
        if rows:
            found[f"{model._meta.label_lower}.{name}"] = rows
    return found


def personal_data(user: User) -> dict[str, object]:
    """Everything Lokalmål keeps about `user`, as JSON-ready data."""
    records: dict[str, list[dict[str, object]]] = {}
    for relation in relations():
        rows = [serialise(row, user) for row in relation.rows(user)]
        if rows:
            records[relation.label] = rows
    return {
        "about": _(
            "Everything Lokalmål keeps about you, from every part of the platform. Each key under "
            "'records' names the table and the field that links a row to you. Secrets (password, "
            "two-factor keys, tokens) are never included, and other people are shown only as "
            "'another person'."
        ),
        "generated_at": timezone.now(),
        "account": _account(user),
        "records": records,
        "mentions_of_your_email": {
            label: [serialise(row, user) for row in rows] for label, rows in mentions(user).items()
        },
    }


def personal_data_json(user: User) -> str:
    return json.dumps(personal_data(user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


def personal_files(user: User) -> Iterator[tuple[str, bytes]]:
    """Files the person uploaded or authored (binary and file fields of rows linked to them),
    as (path in the ZIP, contents)."""
    for relation in relations():
        if relation.kind != "fk":
            continue
        model = relation.model
        binary = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, models.BinaryField | models.FileField)
        ]
        if not binary:
            continue
        for row in relation.rows(user):
            for model_field in binary:
                value = model_field.value_from_object(row)
                path = (
                    f"files/{model._meta.label_lower}/{row.pk}-{model_field.name}-{_file_name(row)}"
                )
                if isinstance(value, bytes | memoryview) and len(value):
                    yield path, bytes(value)
                elif isinstance(value, models.fields.files.FieldFile) and value.name:
                    try:
                        with value.open("rb") as file:
                            yield path, file.read()
                    except OSError:  # listed in the JSON; the file itself is gone from storage
                        continue


def _file_name(row: models.Model) -> str:
    """A safe name for the ZIP entry (no "../"), from the row's name where it has one."""
    try:
        return get_valid_filename(str(getattr(row, "name", "") or row.pk))
    except SuspiciousFileOperation:
        return str(row.pk)


# --- Delete ----------------------------------------------------------------------------------


@dataclass
class DeletionPlan:
    """What deleting the account would do, for the page to show before the person confirms."""

    deleted: list[tuple[str, int]] = field(default_factory=list)  # (table.field, rows)
    kept: list[tuple[str, int]] = field(default_factory=list)
    blocking: list[tuple[str, int]] = field(default_factory=list)
    refusals: list[str] = field(default_factory=list)  # why not now, and what to do first


# A check that says why the account may not be deleted yet (and what to do first), or nothing.
# Apps whose rules need a person register one (networks: the last coordinator).
type DeletionCheck = Callable[[User], list[str]]
_CHECKS: list[DeletionCheck] = []


def register_deletion_check(check: DeletionCheck) -> None:
    if check not in _CHECKS:
        _CHECKS.append(check)


def locked[M: models.Model](rows: "models.QuerySet[M]") -> "models.QuerySet[M]":
    """The rows locked until the deletion commits, so that two people cannot both step away
    from the same organisation or network at once (outside a transaction: just read)."""
    return rows.select_for_update() if connection.in_atomic_block else rows


def sole_admin_of(user: User) -> list[str]:
    """Organisations where the person is the only admin."""
    names = []
    mine = Membership.objects.filter(user=user, role=Role.ADMIN).select_related("organisation")
    for membership in mine:
        admins = locked(
            Membership.objects.filter(organisation=membership.organisation, role=Role.ADMIN)
        )
        if not any(admin.user_id != user.pk for admin in admins):
            names.append(membership.organisation.name)
    return names


def _last_admin(user: User) -> list[str]:
    names = sole_admin_of(user)
    if not names:
        return []
    return [
        _(
            "You are the only admin of %(names)s, so your account cannot be deleted yet. Make a "
            "colleague admin on the organisation's page first (if nobody else from it uses "
            "Lokalmål, ask KS to take the organisation over), then delete your account."
        )
        % {"names": ", ".join(names)}
    ]


def refusals(user: User) -> list[str]:
    """Why the person may not delete their account now, each with what to do first."""
    return [message for check in (_last_admin, *_CHECKS) for message in check(user)]


def deletion_plan(user: User) -> DeletionPlan:
    plan = DeletionPlan(refusals=refusals(user))
    for relation in relations():
        count = relation.rows(user).count()
        if not count:
            continue
        target = {"delete": plan.deleted, "keep": plan.kept, "block": plan.blocking}
        target[relation.on_delete].append((relation.label, count))
    return plan


ANONYMOUS = "–"  # what a required name field shows once the person is gone


def _contact_block(model: type[models.Model], email_field: str) -> list[str]:
    """The text fields written with an e-mail field: contact_email → contact_name,
    contact_phone, contact_role (the same prefix)."""
    prefix = email_field.rsplit("_", 1)[0] + "_" if "_" in email_field else ""
    if not prefix:
        return []
    return [
        f.name
        for f in model._meta.concrete_fields
        if f.name.startswith(prefix) and isinstance(f, models.CharField | models.TextField)
    ]


def _forget_contact(row: models.Model, email_field: str) -> None:
    """The person's address in a row: an invitation-like row (the address is required) is
    deleted; otherwise the address and the rest of its contact block (name, role, phone) are
    cleared, so a practice example no longer shows "Contact: Ola Hansen, Planner"."""
    model_field = row._meta.get_field(email_field)
    if isinstance(row, Invitation) or not getattr(model_field, "blank", False):
        row.delete()
        return
    names = [email_field, *_contact_block(type(row), email_field)]
    for name in names:
        setattr(row, name, "")
    row.save(update_fields=names)


def _without(value: object, names: set[str]) -> object:
    """`value` with every string that is exactly one of `names` replaced (JSON details too)."""
    if isinstance(value, str):
        return ANONYMOUS if value.strip().casefold() in names else value
    if isinstance(value, list):
        return [_without(item, names) for item in value]
    if isinstance(value, dict):
        return {key: _without(item, names) for key, item in value.items()}
    return value


def _forget_name(row: models.Model, names: set[str]) -> None:
    """A row the person's account leaves behind (author, commenter, history entry) keeps no copy
    of their name: text fields and JSON details that are exactly their name are blanked."""
    changed = []
    for model_field in row._meta.concrete_fields:
        if isinstance(model_field, models.EmailField) or not isinstance(
            model_field, models.CharField | models.TextField | models.JSONField
        ):
            continue
        value = getattr(row, model_field.attname)
        new = _without(value, names)
        if new != value:
            if isinstance(value, str) and model_field.blank:
                new = ""
            setattr(row, model_field.attname, new)
            changed.append(model_field.attname)
    if changed:
        row.save(update_fields=changed)


def _names(user: User) -> set[str]:
    full = user.get_full_name().strip()
    return {n.casefold() for n in (full, f"{user.last_name}, {user.first_name}") if len(n) > 3}


def do_delete_account(user: User) -> None:
    """Delete the person and their personal rows; shared content stays without them.

    Refused (ValidationError, nothing changed) while they are the last admin of an organisation
    or the last coordinator of a network (see `refusals`), or if a protected row stops it.
    Invitations to their addresses go too; where their address is written as contact
    information, the whole contact block (name, role, phone) is cleared; rows kept without them
    keep no copy of their name."""
    try:
        with transaction.atomic():
            problems = refusals(user)  # with the memberships locked until the end
            if problems:
                raise ValidationError(problems)
            for label, rows in mentions(user).items():
                field_name = label.rsplit(".", 1)[1]
                for row in rows:
                    _forget_contact(row, field_name)
            names = _names(user)
            for relation in relations():
                if relation.on_delete == "keep" and relation.kind == "fk" and names:
                    for row in relation.rows(user):
                        _forget_name(row, names)
            for relation in relations():
                if relation.kind == "generic":
                    relation.rows(user).delete()  # e.g. log entries about the person
            user.delete()
    except (ProtectedError, RestrictedError) as error:
        raise ValidationError(
            _(
                "Your account cannot be deleted automatically because other content depends on it. "
                "Please contact KS, who run Lokalmål."
            )
        ) from error
