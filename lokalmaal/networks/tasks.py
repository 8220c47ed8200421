"""Background task twin of `lokalmaal networks remind`, for a scheduler that enqueues tasks."""

from django.tasks import task

from lokalmaal.networks.actions import do_send_reminders


@task()
def send_event_reminders() -> int:
    """Remind participants of events starting soon (once each); returns how many."""
    return do_send_reminders()
