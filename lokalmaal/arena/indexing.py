"""The one place that keeps the search index in step with what people may see.

The search (search.py) shows public entries to everyone and the others to logged-in people, so
an entry must leave the index, or change its `public` flag, the moment its item or anything it
depends on changes visibility:

- an example is found while it is published (members-only examples as non-public);
- a question is found while it is not hidden and its subject may be seen: a published example
  (public as the example is), an SDG target (public) or a public network; a question in a
  members-only network is never indexed (the members-only circle is smaller than "logged in");
- an event is found while it is public and not cancelled.

Actions call the `*_changed` function of what they changed, after the change; each re-indexes
the item and everything whose visibility follows it. Deletions are handled by post_delete
signals (connected in ArenaConfig.ready), so cascades (an example's questions, a network's
questions) leave the index too, whoever deletes. `rebuild()` does everything from scratch.
"""

from typing import Any

from django.db import models
from django.db.models.signals import post_delete
from django.urls import reverse
from django.utils.translation import gettext as _

from lokalmaal.catalogue.models import Target
from lokalmaal.discussion.models import Question
from lokalmaal.lib.markup import plain_text
from lokalmaal.networks.models import Event, Network

from .models import SECTIONS, Example, SearchEntry, Visibility
from .search import SearchDocument, index_document, remove_document

EXAMPLE_KIND = "example"
QUESTION_KIND = "question"
EVENT_KIND = "event"


# What each kind puts in the index (None: it must not be found)


def example_document(example: Example) -> SearchDocument | None:
    if not example.is_published:
        return None
    organisations = list(example.organisations.all())
    texts = [example.summary, *(getattr(example, name) for name, _heading in SECTIONS)]
    body = "\n\n".join(plain_text(text) for text in texts if text)
    names = " ".join(organisation.name for organisation in organisations)
    return SearchDocument(
        kind=EXAMPLE_KIND,
        key=example.pk,
        title=example.title,
        body=f"{body}\n\n{names}",
        url=example.get_absolute_url(),
        public=example.visibility == Visibility.PUBLIC,
        targets=[target.code for target in example.targets.all()],
        organisation_ids=[organisation.pk for organisation in organisations],
        service_areas=list(example.service_areas),
        language=example.language,
        date=example.published_at or example.updated_at,
    )


def question_document(question: Question) -> SearchDocument | None:
    if question.is_hidden:
        return None
    subject = question.subject
    targets: list[str] = []
    organisation_ids: list[int] = []
    service_areas: list[str] = []
    language = "nb"
    if isinstance(subject, Target):
        public = True
        targets = [subject.code]
    elif isinstance(subject, Example):
        if not subject.is_published:
            return None
        public = subject.is_public
        targets = list(subject.targets.values_list("code", flat=True))
        organisation_ids = list(subject.organisations.values_list("id", flat=True))
        service_areas = [str(area) for area in subject.service_areas]
        language = subject.language
    else:
        if not subject.is_public:
            return None
        public = True
    return SearchDocument(
        kind=QUESTION_KIND,
        key=question.pk,
        title=question.title,
        body=plain_text(question.body),
        url=reverse("discussion:question", args=[question.pk]),
        public=public,
        targets=targets,
        organisation_ids=organisation_ids,
        service_areas=service_areas,
        language=language,
        date=question.created_at,
    )


def event_document(event: Event) -> SearchDocument | None:
    # Members-only events stay out: their circle (the network's or organisation's members) is
    # smaller than the logged-in people who see non-public entries.
    if not event.is_public or event.is_cancelled:
        return None
    place = event.place or _("Online")
    return SearchDocument(
        kind=EVENT_KIND,
        key=event.pk,
        title=event.title,
        body=" ".join([place, plain_text(event.description), plain_text(event.programme)]).strip(),
        url=reverse("networks:event", args=[event.pk]),
        public=True,
        targets=[],
        organisation_ids=[event.organisation_id] if event.organisation_id else [],
        service_areas=[],
        language="nb",
        date=event.start,
    )


def _put(kind: str, key: int, document: SearchDocument | None) -> None:
    if document is None:
        remove_document(kind, key)
    else:
        index_document(document)


# After a change


def question_changed(question: Question) -> None:
    """Asked, hidden, or its subject changed."""
    _put(QUESTION_KIND, question.pk, question_document(question))


def example_changed(example: Example) -> None:
    """Published, sent back, unpublished, hidden or edited (visibility, targets, text…): the
    example and its questions, whose visibility follows it."""
    _put(EXAMPLE_KIND, example.pk, example_document(example))
    for question in Question.objects.filter(example=example).select_related("example"):
        question_changed(question)


def network_changed(network: Network) -> None:
    """Its visibility (public or members only) changed: its questions follow."""
    for question in Question.objects.filter(network=network).select_related("network"):
        question_changed(question)


def event_changed(event: Event) -> None:
    """Created, edited (visibility) or cancelled."""
    _put(EVENT_KIND, event.pk, event_document(event))


def rebuild() -> int:
    """Index every item from scratch (e.g. after a rule here changed); returns the entries."""
    stale = SearchEntry.objects.filter(kind__in=[EXAMPLE_KIND, QUESTION_KIND, EVENT_KIND])
    for kind, key in list(stale.values_list("kind", "key")):
        remove_document(kind, key)
    for example in Example.objects.all():
        example_changed(example)
    for question in Question.objects.filter(example__isnull=True):
        question_changed(question)
    for event in Event.objects.all():
        event_changed(event)
    return SearchEntry.objects.count()


# Deletion, whoever deletes (and through cascades)

_KIND_OF: dict[type[models.Model], str] = {
    Example: EXAMPLE_KIND,
    Question: QUESTION_KIND,
    Event: EVENT_KIND,
}


def _deleted(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    remove_document(_KIND_OF[sender], instance.pk)


def connect_signals() -> None:
    for model in _KIND_OF:
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"search-index-{model.__name__}")
