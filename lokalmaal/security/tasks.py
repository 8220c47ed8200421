"""Background task twin of `lokalmaal security prune`, for a scheduler that enqueues tasks."""

from django.tasks import task

from lokalmaal.security.actions import do_prune


@task()
def prune_security_log() -> int:
    """Delete security events older than LOKALMAAL_SECURITY_LOG_DAYS; returns how many."""
    return do_prune()
