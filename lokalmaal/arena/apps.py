from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArenaConfig(AppConfig):
    name = "lokalmaal.arena"
    label = "arena"
    verbose_name = "Arena: practice examples, moderation and search"

    def ready(self) -> None:
        from . import indexing
        from .actions import EXAMPLE_KIND, find_example, hide_example
        from .moderation import register_report_kind

        indexing.connect_signals()  # deleted items leave the search index, cascades included

        register_report_kind(
            EXAMPLE_KIND, label=_("Practice example"), find=find_example, hide=hide_example
        )
