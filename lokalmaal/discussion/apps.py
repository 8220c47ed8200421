from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscussionConfig(AppConfig):
    name = "lokalmaal.discussion"
    label = "discussion"
    verbose_name = "Questions, follows and notifications"

    def ready(self) -> None:
        from lokalmaal.arena.moderation import register_report_kind

        from .actions import (
            ANSWER_KIND,
            QUESTION_KIND,
            find_answer,
            find_question,
            hide_answer,
            hide_question,
        )

        register_report_kind(
            QUESTION_KIND, label=_("Question"), find=find_question, hide=hide_question
        )
        register_report_kind(ANSWER_KIND, label=_("Answer"), find=find_answer, hide=hide_answer)
