"""Every change in the arena: one function each, in one transaction.

Callers fetch examples through access.access_example (edit=True for changes by editors) and check
is_moderator before the moderators' actions; these functions check the workflow's rules
(which status may follow which) and keep the search index and the audit log in step.
"""

import logging
import os
from dataclasses import dataclass, field
from typing import BinaryIO, cast

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from lokalmaal.accounts.models import Organisation, User
from lokalmaal.accounts.permissions import Action, is_moderator, may
from lokalmaal.catalogue.models import Target
from lokalmaal.indicators.models import Indicator
from lokalmaal.lib.uploads import IMAGES, PDF, check_upload

from . import indexing
from .models import (
    SECTIONS,
    Attachment,
    Example,
    ModerationAction,
    ModerationEntry,
    Report,
    ReportStatus,
    Status,
    Visibility,
)
from .moderation import REPORT_KINDS, Reportable

log = logging.getLogger(__name__)

ATTACHMENT_KINDS = frozenset({PDF}) | IMAGES
EXAMPLE_KIND = indexing.EXAMPLE_KIND  # the kind of examples in the search index and in reports


class EditConflictError(Exception):
    """Someone else saved the example after this editor opened it; nothing was overwritten."""

    def __init__(self, example: Example) -> None:
        self.example = example
        super().__init__(
            f"Example {example.pk} changed since it was opened (now {example.version})"
        )


@dataclass(frozen=True)
class ExampleInput:
    title: str
    summary: str
    organisations: list[Organisation]
    sections: dict[str, str] = field(default_factory=dict)  # field name (see SECTIONS) → Markdown
    targets: list[Target] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    service_areas: list[str] = field(default_factory=list)
    plan_levels: list[str] = field(default_factory=list)
    language: str = "nb"
    visibility: str = Visibility.PUBLIC
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    contact_role: str = ""
    contact_public: bool = False


def _log(actor: User, action: str, kind: str, key: int, title: str, reason: str = "") -> None:
    ModerationEntry.objects.create(
        actor=actor, action=action, kind=kind, key=key, title=title[:300], reason=reason
    )


def _fields(data: ExampleInput) -> dict[str, object]:
    values: dict[str, object] = {
        "title": data.title,
        "summary": data.summary,
        "service_areas": data.service_areas,
        "plan_levels": data.plan_levels,
        "language": data.language,
        "visibility": data.visibility,
        "contact_name": data.contact_name,
        "contact_email": data.contact_email,
        "contact_phone": data.contact_phone,
        "contact_role": data.contact_role,
        "contact_public": data.contact_public,
    }
    for name, _heading in SECTIONS:
        values[name] = data.sections.get(name, "")
    return values


def _check_organisations(person: User, chosen: list[Organisation]) -> None:
    if not chosen:
        raise ValidationError(_("Choose at least one organisation behind the example."))
    for organisation in chosen:
        if not may(person, Action.EDIT_CONTENT, organisation):
            raise PermissionDenied(f"Not an editor in {organisation}")


@transaction.atomic
def do_create_example(author: User, data: ExampleInput) -> Example:
    """A new draft by `author` for organisations they are an editor in."""
    _check_organisations(author, data.organisations)
    example = Example.objects.create(author=author, **_fields(data))
    example.organisations.set(data.organisations)
    example.targets.set(data.targets)
    example.indicators.set(data.indicators)
    return example


@transaction.atomic
def do_update_example(
    example: Example, editor: User, data: ExampleInput, based_on_version: int
) -> Example:
    """Save only if nobody saved since `based_on_version`; otherwise raise EditConflictError.

    The editor chooses among their own organisations; organisations they are not an editor in
    stay on the example (an editor in Bergen cannot take an example away from Volda).
    """
    _check_organisations(editor, data.organisations)
    updated = Example.objects.filter(pk=example.pk, version=based_on_version).update(
        version=F("version") + 1, updated_at=timezone.now(), **_fields(data)
    )
    example.refresh_from_db()
    if not updated:
        raise EditConflictError(example)
    others = [o for o in example.organisations.all() if not may(editor, Action.EDIT_CONTENT, o)]
    example.organisations.set([*data.organisations, *others])
    example.targets.set(data.targets)
    example.indicators.set(data.indicators)
    indexing.example_changed(example)
    return example


def _require_status(example: Example, *allowed: Status) -> None:
    if example.status not in allowed:
        raise ValidationError(
            _("This cannot be done while the example is “%(status)s”.")
            % {"status": example.get_status_display()}
        )


def _set_status(example: Example, status: Status, **changes: object) -> None:
    example.status = status
    for name, value in changes.items():
        setattr(example, name, value)
    example.save(update_fields=["status", *changes])


@transaction.atomic
def do_submit_example(example: Example, person: User) -> None:
    """Send a draft (or a hidden example, once fixed) to the moderators for review."""
    _require_status(example, Status.DRAFT, Status.HIDDEN)
    _set_status(example, Status.SUBMITTED, submitted_at=timezone.now())


@transaction.atomic
def do_withdraw_example(example: Example, person: User) -> None:
    """Take a submitted example back to draft before a moderator has handled it."""
    _require_status(example, Status.SUBMITTED)
    _set_status(example, Status.DRAFT)


@transaction.atomic
def do_delete_example(example: Example, person: User) -> None:
    """Delete a draft with its attachments; a published example is unpublished first."""
    _require_status(example, Status.DRAFT, Status.HIDDEN)
    example.delete()  # its entry and its questions' leave the index (indexing.py's signals)


def _require_moderator(person: User) -> None:
    if not is_moderator(person):
        raise PermissionDenied("Only moderators may do this")


def _notify_authors(example: Example, decision: str, comment: str = "") -> None:
    """Tell the author what the moderator decided ("moderation_published", "…_sent_back",
    "…_unpublished" or "…_hidden") and what they wrote about it, on the notification page and
    in the e-mail digest."""
    if example.author is None:
        return
    from lokalmaal.discussion.notify import notify  # the discussion app owns notifications

    notify(
        example.author,
        decision,
        title=example.title,
        url=example.get_absolute_url(),
        detail=comment,
    )


@transaction.atomic
def do_publish_example(example: Example, moderator: User, comment: str = "") -> None:
    _require_moderator(moderator)
    _require_status(example, Status.SUBMITTED)
    _set_status(example, Status.PUBLISHED, published_at=timezone.now(), moderator_comment=comment)
    indexing.example_changed(example)
    _log(moderator, ModerationAction.PUBLISH, EXAMPLE_KIND, example.pk, example.title, comment)
    _notify_authors(example, "moderation_published", comment)
    from lokalmaal.discussion.notify import notify_followers

    notify_followers(
        [*example.targets.all(), *example.organisations.all()],
        "example_published",
        title=example.title,
        url=example.get_absolute_url(),
        exclude=example.author,
    )


@transaction.atomic
def do_send_back_example(example: Example, moderator: User, comment: str) -> None:
    """Back to draft with the moderator's comment on what to change."""
    _require_moderator(moderator)
    _require_status(example, Status.SUBMITTED, Status.PUBLISHED)
    _set_status(example, Status.DRAFT, moderator_comment=comment)
    indexing.example_changed(example)
    _log(moderator, ModerationAction.SEND_BACK, EXAMPLE_KIND, example.pk, example.title, comment)
    _notify_authors(example, "moderation_sent_back", comment)


@transaction.atomic
def do_unpublish_example(example: Example, moderator: User, reason: str) -> None:
    _require_moderator(moderator)
    _require_status(example, Status.PUBLISHED)
    _set_status(example, Status.DRAFT, moderator_comment=reason)
    indexing.example_changed(example)
    _log(moderator, ModerationAction.UNPUBLISH, EXAMPLE_KIND, example.pk, example.title, reason)
    _notify_authors(example, "moderation_unpublished", reason)


def hide_example(moderator: User, key: int, reason: str) -> None:
    """The `hide` of reported examples: off every page but its organisations' own."""
    example = Example.objects.filter(pk=key).first()
    if example is None:
        return
    _set_status(example, Status.HIDDEN, moderator_comment=reason)
    indexing.example_changed(example)
    _notify_authors(example, "moderation_hidden", reason)


def find_example(person: object, key: int) -> Reportable | None:
    from .access import may_view

    example = Example.objects.filter(pk=key).first()
    if example is None or not may_view(person, example):  # type: ignore[arg-type]
        return None
    return Reportable(title=example.title, url=example.get_absolute_url())


# Attachments


def _safe_filename(name: str) -> str:
    """The file's own name without any folder part or control characters."""
    base = os.path.basename(name.replace("\\", "/"))
    cleaned = "".join(ch for ch in base if ch.isprintable()).strip()
    return cleaned[-200:] or "vedlegg"


@transaction.atomic
def do_add_attachment(
    example: Example, person: User, upload: UploadedFile[bytes], description: str = ""
) -> Attachment:
    """Store a PDF or an image whose type is judged from its content; UploadRefusedError (with a
    message for the person) when the file is too big or of another type."""
    stream = cast(BinaryIO, upload.file)
    kind = check_upload(
        stream, ATTACHMENT_KINDS, settings.ARENA_ATTACHMENT_MAX_BYTES, refuse_encrypted=True
    )
    stream.seek(0)
    content = stream.read()
    return Attachment.objects.create(
        example=example,
        name=_safe_filename(upload.name or ""),
        description=description,
        kind=kind,
        size=len(content),
        content=content,
        uploaded_by=person,
    )


@transaction.atomic
def do_delete_attachment(attachment: Attachment, person: User) -> None:
    attachment.delete()


# Reports


@transaction.atomic
def do_report(
    reporter: User, kind: str, key: int, item: Reportable, reason: str, comment: str
) -> Report:
    return Report.objects.create(
        kind=kind,
        key=key,
        url=item.url[:500],
        title=item.title[:300],
        reason=reason,
        comment=comment,
        reporter=reporter,
    )


def _close_reports(report: Report, moderator: User, status: ReportStatus) -> None:
    Report.objects.filter(kind=report.kind, key=report.key, status=ReportStatus.OPEN).update(
        status=status, handled_by=moderator, handled_at=timezone.now()
    )


@transaction.atomic
def do_resolve_report(report: Report, moderator: User, reason: str) -> None:
    """The content stays; this report and the other open ones about the same item close."""
    _require_moderator(moderator)
    _close_reports(report, moderator, ReportStatus.RESOLVED)
    _log(moderator, ModerationAction.RESOLVE, report.kind, report.key, report.title, reason)


@transaction.atomic
def do_hide_reported(report: Report, moderator: User, reason: str) -> None:
    """Hide the reported item (through its kind's own `hide`) and close its open reports."""
    _require_moderator(moderator)
    report_kind = REPORT_KINDS.get(report.kind)
    if report_kind is None:
        raise ValidationError(_("This kind of content can no longer be hidden from here."))
    report_kind.hide(moderator, report.key, reason)
    _close_reports(report, moderator, ReportStatus.HIDDEN)
    _log(moderator, ModerationAction.HIDE, report.kind, report.key, report.title, reason)
