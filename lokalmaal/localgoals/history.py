"""A workspace's history in words, in the reader's language (the log stores codes)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lokalmaal.localgoals.models import Change, Status

LINES = {
    "created": gettext_lazy("Created the workspace “%(summary)s”"),
    "priority": gettext_lazy("Prioritised target %(summary)s"),
    "unpriority": gettext_lazy("Removed target %(summary)s from the priorities"),
    "goal_created": gettext_lazy("Added the goal “%(summary)s”"),
    "goal_changed": gettext_lazy("Changed the goal “%(summary)s”"),
    "goal_deleted": gettext_lazy("Deleted the goal “%(summary)s”"),
    "indicator_added": gettext_lazy("Added an indicator: %(summary)s"),
    "indicator_deleted": gettext_lazy("Removed an indicator: %(summary)s"),
    "published": gettext_lazy("Published the adopted goal set"),
    "unpublished": gettext_lazy("Stopped publishing the goal set"),
    "consultation_invited": gettext_lazy("Invited %(summary)s to comment"),
    "commented": gettext_lazy("Consultation comment on “%(summary)s”"),
    "comment_answered": gettext_lazy("Answered a consultation comment on “%(summary)s”"),
    "measure_added": gettext_lazy("Added a measure: %(summary)s"),
    "measure_changed": gettext_lazy("Changed a measure: %(summary)s"),
    "measure_deleted": gettext_lazy("Removed a measure: %(summary)s"),
}


def _status(code: str) -> str:
    return str(dict(Status.choices).get(code, code))


def history_line(change: Change) -> str:
    details = change.details or {}
    if change.action == "rated":
        count = len(details.get("targets", []))
        return _("Saved ratings of %(count)s targets") % {"count": count}
    if change.action == "status":
        line = _("Changed the status to “%(status)s”") % {"status": _status(change.summary)}
        if change.summary == Status.ADOPTED and details.get("case"):
            line += " " + _("(version %(version)s, %(body)s, case %(case)s)") % {
                "version": details.get("version", "–"),
                "body": details.get("body", "–"),
                "case": details["case"],
            }
        if change.summary == Status.REVISED:
            line += " " + _("(reopened for revision; the adopted version stays public)")
        return line
    if change.action == "published" and details.get("analysis"):
        return _("Published the adopted goal set and the materiality analysis")
    template = LINES.get(change.action)
    return str(template) % {"summary": change.summary} if template else change.summary
