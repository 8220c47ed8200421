"""Background tasks: refreshing indicators from SSB when started from the web."""

from pathlib import Path

from django.conf import settings
from django.tasks import task

from lokalmaal.indicators.models import Indicator
from lokalmaal.indicators.update import update
from lokalmaal.stats.pxweb import PxWebV2Client


def make_client() -> PxWebV2Client:
    """The SSB client the task uses; tests replace this to serve recorded answers."""
    return PxWebV2Client(cache_dir=Path(settings.VAR_DIR) / "ssb-cache")


@task()
def refresh_indicators(indicator_ids: list[str]) -> dict[str, int]:
    """Fetch the given SSB indicators (all SSB indicators when the list is empty)."""
    chosen = [i for i in Indicator.objects.filter(source_kind="ssb") if i.ssb_table]
    if indicator_ids:
        chosen = [i for i in chosen if i.id in set(indicator_ids)]
    state = Path(settings.VAR_DIR) / "update-state-web.json"
    return update(make_client(), chosen, state, resume=True)
