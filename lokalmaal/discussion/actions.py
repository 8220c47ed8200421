"""Every change to questions, answers, follows and notifications, each in one transaction."""

from django.db import models, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from lokalmaal.accounts.models import User
from lokalmaal.accounts.permissions import Person
from lokalmaal.arena import indexing
from lokalmaal.arena.models import Example, ModerationAction, ModerationEntry
from lokalmaal.arena.moderation import Reportable
from lokalmaal.catalogue.models import Target
from lokalmaal.discussion import notify
from lokalmaal.discussion.access import Subject, access_answer, access_question, may_view_subject
from lokalmaal.discussion.models import (
    Answer,
    DigestPeriod,
    Notification,
    NotificationSettings,
    Question,
)
from lokalmaal.networks.models import Network

# The kind in the search index, in reports and in the audit log.
QUESTION_KIND = indexing.QUESTION_KIND
ANSWER_KIND = "answer"


def question_url(question: Question) -> str:
    return reverse("discussion:question", args=[question.pk])


def _tell(people: set[User], subject: Subject, kind: str, title: str, url: str) -> int:
    """Notify each person once, but only those who may still see the subject."""
    told = 0
    for person in sorted(people, key=lambda user: user.pk):
        if person.is_active and may_view_subject(person, subject):
            notify.notify(person, kind, title=title, url=url)
            told += 1
    return told


@transaction.atomic
def do_ask(author: User, subject: Subject, title: str, body: str) -> Question:
    """Ask a question; the example's author, the network's members and the subject's
    followers are told."""
    question = Question.objects.create(
        author=author,
        title=title,
        body=body,
        example=subject if isinstance(subject, Example) else None,
        target=subject if isinstance(subject, Target) else None,
        network=subject if isinstance(subject, Network) else None,
    )
    notify.follow(author, question)  # the asker hears about later answers
    indexing.question_changed(question)
    people = set(notify.followers([subject]))
    if isinstance(subject, Example) and subject.author is not None:
        people.add(subject.author)
    if isinstance(subject, Network):  # members follow their network without asking
        people.update(User.objects.filter(network_memberships__network=subject))
    people.discard(author)
    _tell(people, subject, notify.Kind.QUESTION_ASKED, question.title, question_url(question))
    return question


@transaction.atomic
def do_answer(author: User, question: Question, body: str) -> Answer:
    """Answer a question; the asker and the question's followers are told."""
    answer = Answer.objects.create(question=question, author=author, body=body)
    people = set(notify.followers([question]))
    if question.author is not None:
        people.add(question.author)
    people.discard(author)
    url = f"{question_url(question)}#svar-{answer.pk}"
    _tell(people, question.subject, notify.Kind.ANSWER_POSTED, question.title, url)
    return answer


@transaction.atomic
def do_mark_helpful(answer: Answer, helpful: bool) -> Answer:
    """The asker marks (or unmarks) an answer as helpful; the answerer hears about a mark."""
    if answer.helpful == helpful:
        return answer
    answer.helpful = helpful
    answer.save(update_fields=["helpful"])
    question = answer.question
    answerer = answer.author
    if helpful and answerer is not None and answerer.pk != question.author_id:
        url = f"{question_url(question)}#svar-{answer.pk}"
        _tell({answerer}, question.subject, notify.Kind.ANSWER_HELPFUL, question.title, url)
    return answer


def _log(moderator: User, kind: str, key: int, title: str, reason: str) -> None:
    ModerationEntry.objects.create(
        actor=moderator,
        action=ModerationAction.HIDE,
        kind=kind,
        key=key,
        title=title[:300],
        reason=reason,
    )


def hide_question(moderator: User, key: int, reason: str) -> None:
    """Take a question (and so its answers) off every page and out of search. The arena calls
    this for a reported question and writes the audit log itself."""
    question = Question.objects.filter(pk=key, hidden_at__isnull=True).first()
    if question is None:
        return
    question.hidden_at = timezone.now()
    question.hidden_by = moderator
    question.save(update_fields=["hidden_at", "hidden_by"])
    indexing.question_changed(question)


def hide_answer(moderator: User, key: int, reason: str) -> None:
    answer = Answer.objects.filter(pk=key, hidden_at__isnull=True).first()
    if answer is None:
        return
    answer.hidden_at = timezone.now()
    answer.hidden_by = moderator
    answer.save(update_fields=["hidden_at", "hidden_by"])


@transaction.atomic
def do_hide_question(moderator: User, question: Question, reason: str) -> None:
    """A moderator hides a question from its page; logged in the arena's audit log."""
    hide_question(moderator, question.pk, reason)
    _log(moderator, QUESTION_KIND, question.pk, question.title, reason)


@transaction.atomic
def do_hide_answer(moderator: User, answer: Answer, reason: str) -> None:
    hide_answer(moderator, answer.pk, reason)
    _log(moderator, ANSWER_KIND, answer.pk, answer.question.title, reason)


def find_question(person: Person, key: int) -> Reportable | None:
    """The `find` of reported questions: the question if `person` may see it."""
    try:
        question = access_question(person, key)
    except Http404:
        return None
    return Reportable(title=question.title, url=question_url(question))


def find_answer(person: Person, key: int) -> Reportable | None:
    try:
        answer = access_answer(person, key)
    except Http404:
        return None
    return Reportable(
        title=answer.question.title, url=f"{question_url(answer.question)}#svar-{answer.pk}"
    )


@transaction.atomic
def do_follow(person: User, subject: models.Model, following: bool) -> None:
    if following:
        notify.follow(person, subject)
    else:
        notify.unfollow(person, subject)


@transaction.atomic
def do_mark_read(person: User, notification_id: int | None = None) -> int:
    """Mark one of the person's notifications (or all of them) read; returns how many."""
    unread = Notification.objects.filter(recipient=person, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(id=notification_id)
    return unread.update(read_at=timezone.now())


@transaction.atomic
def do_save_settings(person: User, digest: DigestPeriod, language: str) -> NotificationSettings:
    chosen, _created = NotificationSettings.objects.update_or_create(
        person=person, defaults={"digest": digest, "language": language}
    )
    return chosen
