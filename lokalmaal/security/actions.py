"""Changes to the security event log: only pruning; events are never edited."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import SecurityEvent


@transaction.atomic
def do_prune(now: datetime | None = None) -> int:
    """Delete events older than LOKALMAAL_SECURITY_LOG_DAYS; returns how many went."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.SECURITY_LOG_DAYS)
    deleted, _per_model = SecurityEvent.objects.filter(at__lt=cutoff).delete()
    return deleted
