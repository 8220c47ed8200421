"""Background analysis of an uploaded plan: extract (in a child process with time and memory
limits), classify, store. A hostile or broken file fails its own analysis, never the worker."""

import logging
import shutil
import tempfile
from pathlib import Path, PurePath
from typing import Any

from django.dispatch import receiver
from django.tasks import TaskResult, TaskResultStatus, task
from django.tasks.signals import task_finished
from django.utils import translation
from django.utils.translation import gettext as _

from lokalmaal.plans import actions
from lokalmaal.plans.analyse import PassageData, passage_from
from lokalmaal.plans.classify import get_classifier
from lokalmaal.plans.extract import Document, ExtractionError, extract_file_limited, extract_text
from lokalmaal.plans.models import INTERNAL, INTERNAL_MESSAGE, PlanDocument, Status
from lokalmaal.plans.vectors import DatabaseVectorStore

logger = logging.getLogger(__name__)


def read_document(plan: PlanDocument) -> Document:
    """The extracted document: from the stored file in a limited child process, or the pasted
    text in-process (plain text needs no parser that a crafted file could attack)."""
    if plan.file:
        # The file is read through the storage API (a folder or an S3 bucket that every worker
        # reaches) into a private temporary file for the child process. Time and memory limits
        # default to PLAN_TIME_LIMIT and PLAN_MEMORY_LIMIT.
        suffix = PurePath(plan.file.name or "").suffix
        with tempfile.NamedTemporaryFile(suffix=suffix) as copy, plan.file.open("rb") as stored:
            shutil.copyfileobj(stored, copy)
            copy.flush()
            return extract_file_limited(Path(copy.name))
    return extract_text(plan.pasted_text, plan.title)


def classify_document(
    document: Document, store: DatabaseVectorStore | None = None
) -> list[PassageData]:
    texts = [p.text for p in document.passages]
    results = get_classifier().classify_many(texts, store=store)
    return [passage_from(p, r) for p, r in zip(document.passages, results, strict=True)]


def run_analysis(plan_id: int) -> str:
    """Analyse one plan and record the outcome on it; returns the final status."""
    plan = PlanDocument.objects.filter(pk=plan_id).first()
    if plan is None:
        return "deleted"
    actions.do_mark_running(plan)
    try:
        document = read_document(plan)
        passages = classify_document(document, DatabaseVectorStore(plan.organisation))
    except ExtractionError as error:
        actions.do_mark_failed(plan, error.code, str(error), error.to_json())
        return Status.FAILED
    except Exception:
        logger.exception("Analysis of plan %s failed", plan_id)
        actions.do_mark_failed(plan, INTERNAL, _(INTERNAL_MESSAGE))
        return Status.FAILED
    actions.do_store_analysis(plan, document.kind, document.page_count, passages)
    return Status.DONE


@task()
def analyse_plan(plan_id: int, language: str = "nb") -> str:
    # Messages stored on the plan (a refusal from the extractor) are in the uploader's language.
    with translation.override(language):
        return run_analysis(plan_id)


@receiver(task_finished)
def record_lost_analysis(sender: Any, task_result: TaskResult[Any, Any], **kwargs: Any) -> None:
    """A plan whose analysis task failed outside run_analysis (its worker died twice, or it ran
    past LOKALMAAL_TASK_TIMEOUT) is marked failed, not left "being analysed"."""
    if task_result.task.func is not analyse_plan.func:
        return
    if task_result.status != TaskResultStatus.FAILED or not task_result.args:
        return
    plan = PlanDocument.objects.filter(pk=task_result.args[0]).first()
    if plan is not None and plan.status in (Status.QUEUED, Status.RUNNING):
        language = str(task_result.args[1]) if len(task_result.args) > 1 else "nb"
        with translation.override(language):
            actions.do_mark_failed(plan, INTERNAL, _(INTERNAL_MESSAGE))
