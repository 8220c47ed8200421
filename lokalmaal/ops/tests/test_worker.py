"""Workers share fairly between organisations, and no task stays "running" after its worker died."""

from datetime import timedelta

import pytest
from django.tasks.base import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from lokalmaal.accounts.models import User
from lokalmaal.ops import taskqueue
from lokalmaal.ops.models import WorkerHeartbeat
from lokalmaal.ops.tests import tasks
from lokalmaal.ops.worker import FairWorker
from lokalmaal.plans.actions import PlanInput, do_upload_plan
from lokalmaal.plans.models import INTERNAL, PlanDocument, Status

pytestmark = pytest.mark.django_db


def queued(label: str, organisation: int | None = None) -> str:
    task = tasks.record
    if organisation is not None:
        task = taskqueue.for_organisation(task, organisation)
    return task.enqueue(label).id


def test_one_organisations_many_tasks_do_not_hold_up_another_organisation():
    tasks.RAN.clear()
    for n in range(5):
        queued(f"a{n}", organisation=1)
    queued("b0", organisation=2)
    queued("platform")
    FairWorker(worker_id="fair-test", interval=0, batch=True).run()
    assert sorted(tasks.RAN) == sorted(["a0", "a1", "a2", "a3", "a4", "b0", "platform"])
    # Every queue is served once before any is served twice; each queue keeps its own order.
    assert set(tasks.RAN[:3]) == {"a0", "b0", "platform"}
    assert tasks.RAN[3:] == ["a1", "a2", "a3", "a4"]
    assert not WorkerHeartbeat.objects.filter(worker_id="fair-test").exists()


def test_a_queue_with_a_running_task_waits_while_another_has_work():
    tasks.RAN.clear()
    first = DBTaskResult.objects.get(id=queued("a0", organisation=1))
    first.claim("elsewhere")  # organisation 1 already has an analysis running
    queued("a1", organisation=1)
    queued("b0", organisation=2)
    chosen = taskqueue.next_task(DBTaskResult.objects.ready())
    assert chosen is not None
    assert chosen.args_kwargs["args"] == ["b0"]


def claim_by_dead_worker(task_id: str, worker: str) -> None:
    WorkerHeartbeat.objects.create(
        worker_id=worker, host="gone", pid=1, seen_at=timezone.now() - timedelta(minutes=10)
    )
    DBTaskResult.objects.get(id=task_id).claim(worker)


def test_a_task_whose_worker_died_is_run_again_once_then_failed_with_a_message(bergen):
    user = User.objects.create_user("p@bergen.kommune.no", "Et-langt-passord-123")
    plan = do_upload_plan(bergen, user, PlanInput("Plan", "other", None), text="Trygg skuleveg.")
    task_id = str(DBTaskResult.objects.get().id)
    PlanDocument.objects.filter(pk=plan.pk).update(status=Status.RUNNING)

    claim_by_dead_worker(task_id, "dead-1")
    reaped = taskqueue.reap_stale_tasks()
    assert reaped.retried == [task_id]
    assert DBTaskResult.objects.get(id=task_id).status == TaskResultStatus.READY

    claim_by_dead_worker(task_id, "dead-2")
    reaped = taskqueue.reap_stale_tasks()
    assert reaped.failed == [task_id]
    task = DBTaskResult.objects.get(id=task_id)
    assert task.status == TaskResultStatus.FAILED
    assert "stopped twice" in task.traceback
    plan.refresh_from_db()
    assert plan.status == Status.FAILED
    assert plan.failure_code == INTERNAL


def test_a_task_with_a_live_worker_is_left_alone_until_it_runs_too_long(settings):
    task_id = queued("slow")
    WorkerHeartbeat.objects.create(worker_id="alive", host="here", pid=1)
    DBTaskResult.objects.get(id=task_id).claim("alive")
    assert taskqueue.reap_stale_tasks() == taskqueue.Reaped([], [])

    started = timezone.now() - timedelta(seconds=settings.TASK_TIMEOUT + 1)
    DBTaskResult.objects.filter(id=task_id).update(started_at=started)
    assert taskqueue.reap_stale_tasks().failed == [task_id]
    assert "ran longer than" in DBTaskResult.objects.get(id=task_id).traceback
