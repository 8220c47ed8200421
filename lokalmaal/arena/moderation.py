"""Which kinds of content can be reported, and how a moderator hides each.

Every app whose content people can report registers its kind once, in its AppConfig.ready():

    register_report_kind(
        "question",
        label=gettext_lazy("Question"),
        find=find_question,   # (person, key) -> Reportable | None: the item if person may see it
        hide=hide_question,   # (moderator, key, reason) -> None: take it off the pages
    )

and links to `report_url("question", question.pk)` beside the item. The arena's report form,
moderation queue and audit log then handle it like a practice example; `hide` need not log
(the arena writes the audit log).
"""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.functional import Promise

from lokalmaal.accounts.models import User
from lokalmaal.accounts.permissions import Person


@dataclass(frozen=True)
class Reportable:
    title: str
    url: str


@dataclass(frozen=True)
class ReportKind:
    label: str | Promise
    find: Callable[[Person, int], Reportable | None]
    hide: Callable[[User, int, str], None]


REPORT_KINDS: dict[str, ReportKind] = {}


def register_report_kind(
    kind: str,
    *,
    label: str | Promise,
    find: Callable[[Person, int], Reportable | None],
    hide: Callable[[User, int, str], None],
) -> None:
    REPORT_KINDS[kind] = ReportKind(label=label, find=find, hide=hide)


def report_url(kind: str, key: int) -> str:
    """The page where a logged-in person reports the item (kind, key)."""
    return f"{reverse('arena:report')}?{urlencode({'kind': kind, 'key': key})}"


def find_reportable(person: Person, kind: str, key: int) -> Reportable | None:
    """The item if its kind is known and `person` may see it; None otherwise."""
    report_kind = REPORT_KINDS.get(kind)
    return report_kind.find(person, key) if report_kind else None


def kind_label(kind: str) -> str:
    report_kind = REPORT_KINDS.get(kind)
    return str(report_kind.label) if report_kind else kind
