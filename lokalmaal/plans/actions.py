"""Every change to plan analyses, each in one transaction. Views, tasks and commands call these."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lokalmaal.accounts.models import Organisation, User
from lokalmaal.lib.uploads import TEXT
from lokalmaal.ops.taskqueue import for_organisation
from lokalmaal.plans.analyse import PassageData, closest_to_json, evidence_to_json
from lokalmaal.plans.models import Passage, PlanDocument, Status


@dataclass(frozen=True)
class PlanInput:
    title: str
    plan_type: str
    year: int | None


def do_upload_plan(
    organisation: Organisation,
    user: User,
    data: PlanInput,
    *,
    upload: "UploadedFile[bytes] | None" = None,
    kind: str = "",
    text: str = "",
) -> PlanDocument:
    """Store the file (or pasted text) and queue its analysis, which runs in the background."""
    plan = PlanDocument(
        organisation=organisation,
        title=data.title,
        plan_type=data.plan_type,
        year=data.year,
        uploaded_by=user,
        kind=kind if upload is not None else TEXT,
    )
    try:
        with transaction.atomic():
            if upload is not None:
                plan.filename = (upload.name or "")[:255]
                plan.file.save(plan.filename or "plan", upload, save=False)
            else:
                plan.pasted_text = text
            plan.save()
    except Exception:
        if plan.file.name:  # the row was not saved: leave no orphaned file behind
            plan.file.storage.delete(plan.file.name)
        raise
    _queue_analysis(plan)
    return plan


def _queue_analysis(plan: PlanDocument) -> None:
    from lokalmaal.plans.tasks import analyse_plan

    # The database task backend keeps its queue in the same database, so even a caller's outer
    # transaction commits the plan and its queued analysis together. Each organisation has its
    # own queue, which workers serve in turn (ops/taskqueue.py).
    for_organisation(analyse_plan, plan.organisation_id).enqueue(plan.pk, get_language() or "nb")


def do_reanalyse(plan: PlanDocument) -> None:
    """Analyse the stored document again (after a degraded or failed analysis, or when the
    classifier has improved). The previous passages stay until the new analysis replaces them."""
    if plan.status not in (Status.DONE, Status.FAILED):
        raise ValidationError(_("The document is already waiting for analysis or being analysed."))
    with transaction.atomic():
        PlanDocument.objects.filter(pk=plan.pk).update(
            status=Status.QUEUED, updated_at=timezone.now()
        )
        plan.status = Status.QUEUED
        _queue_analysis(plan)


def do_mark_running(plan: PlanDocument) -> None:
    with transaction.atomic():
        PlanDocument.objects.filter(pk=plan.pk).update(
            status=Status.RUNNING, updated_at=timezone.now()
        )
    plan.status = Status.RUNNING


def do_mark_failed(
    plan: PlanDocument, code: str, message: str, details: dict[str, Any] | None = None
) -> None:
    """The analysis failed; the message says why, in words the organisation can act on."""
    with transaction.atomic():
        PlanDocument.objects.filter(pk=plan.pk).update(
            status=Status.FAILED,
            failure_code=code[:30],
            failure_message=message,
            failure_details=details or {},
            updated_at=timezone.now(),
        )
    plan.status, plan.failure_code, plan.failure_message = Status.FAILED, code[:30], message
    plan.failure_details = details or {}


def do_store_analysis(
    plan: PlanDocument, kind: str, page_count: int | None, passages: Sequence[PassageData]
) -> None:
    """Replace the plan's passages with the new analysis, all or nothing."""
    now = timezone.now()
    with transaction.atomic():
        locked = PlanDocument.objects.select_for_update().filter(pk=plan.pk).first()
        if locked is None:  # deleted while it was being analysed
            return
        Passage.objects.filter(document=locked).delete()
        Passage.objects.bulk_create(
            [
                Passage(
                    document=locked,
                    number=p.number,
                    page=p.page,
                    section=p.section[:500],
                    text=p.text,
                    heading=p.heading,
                    goals=list(p.goals),
                    targets=list(p.targets),
                    scores=dict(p.scores),
                    target_scores=dict(p.target_scores),
                    evidence=evidence_to_json(p.evidence),
                    closest=closest_to_json(p.closest),
                    embedded=p.embedded,
                )
                for p in passages
            ],
            batch_size=500,
        )
        PlanDocument.objects.filter(pk=plan.pk).update(
            status=Status.DONE,
            kind=kind or locked.kind,
            page_count=page_count,
            failure_code="",
            failure_message="",
            failure_details={},
            analysed_at=now,
            updated_at=now,
        )
    plan.status, plan.page_count, plan.analysed_at = Status.DONE, page_count, now
    _prune_vectors(plan)


def _prune_vectors(plan: PlanDocument) -> None:
    """Keep only the vectors of texts the organisation's plans still have."""
    from lokalmaal.plans import vectors  # numpy and the classifier, only when needed

    vectors.prune(plan.organisation)


def do_set_published(plan: PlanDocument, published: bool) -> None:
    if published and plan.status != Status.DONE:
        raise ValidationError(_("Only a finished analysis can be published."))
    with transaction.atomic():
        plan.published = published
        plan.updated_at = timezone.now()
        plan.save(update_fields=["published", "updated_at"])


def do_delete_plan(plan: PlanDocument) -> None:
    """Delete the analysis and, once that is committed, the stored file."""
    stored = plan.file.name
    storage = plan.file.storage
    with transaction.atomic():
        plan.delete()
        if stored:
            transaction.on_commit(lambda: storage.delete(stored))
        transaction.on_commit(lambda: _prune_vectors(plan))
