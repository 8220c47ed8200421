"""The digest as a background task, for a scheduler that enqueues tasks instead of running
`lokalmaal discussion digest` from cron."""

from django.tasks import task

from lokalmaal.discussion.digest import send_digests
from lokalmaal.discussion.models import DigestPeriod


@task()
def send_digest_emails(period: str) -> dict[str, int]:
    emails, carried = send_digests(DigestPeriod(period))
    return {"emails": emails, "notifications": carried}
