"""Reads shared by the pages and /api/v1/: questions with their answers, and notifications."""

from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Schema

from lokalmaal.accounts.models import Organisation, User
from lokalmaal.accounts.permissions import Person, is_moderator
from lokalmaal.arena.models import Example
from lokalmaal.catalogue.models import Target
from lokalmaal.discussion import notify
from lokalmaal.discussion.access import Subject, subject_kind, visible_questions
from lokalmaal.discussion.actions import question_url
from lokalmaal.discussion.models import Follow, Notification, Question
from lokalmaal.lib.markup import render_markdown
from lokalmaal.networks.models import Network


class Author(Schema):
    name: str  # the person's name; never the e-mail address
    organisation: str | None  # the first organisation they belong to, if any


class SubjectOut(Schema):
    kind: str  # "target" | "example" | "network"
    key: str  # target code, example id or network slug
    title: str
    url: str


class QuestionSummary(Schema):
    id: int
    title: str
    url: str
    author: Author | None
    created_at: datetime
    answer_count: int
    has_helpful_answer: bool
    subject: SubjectOut
    hidden: bool


class AnswerOut(Schema):
    id: int
    author: Author | None
    body_html: str  # sanitised HTML rendered from the author's Markdown
    helpful: bool
    created_at: datetime
    hidden: bool


class QuestionDetail(QuestionSummary):
    body_html: str
    answers: list[AnswerOut]


class FollowOut(Schema):
    model: str  # e.g. "catalogue.target"
    key: int
    name: str
    url: str


class NotificationOut(Schema):
    id: int
    kind: str
    message: str  # in the reader's language
    detail: str = ""  # what the sender said, as written (a moderator's comment)
    title: str
    url: str
    created_at: datetime
    read: bool


def author_of(user: User | None) -> Author | None:
    if user is None:
        return None
    memberships = list(user.memberships.all())  # prefetched by the lists below
    membership = memberships[0] if memberships else None
    return Author(
        name=user.get_full_name() or _("A member"),
        organisation=membership.organisation.name if membership else None,
    )


def subject_out(subject: Subject) -> SubjectOut:
    if isinstance(subject, Target):
        return SubjectOut(
            kind="target",
            key=subject.code,
            title=f"{subject.code} {subject.title_in(get_language())}",
            url=reverse("catalogue:target", args=[subject.code]),
        )
    if isinstance(subject, Example):
        return SubjectOut(
            kind="example",
            key=str(subject.pk),
            title=subject.title,
            url=subject.get_absolute_url(),
        )
    assert isinstance(subject, Network)
    return SubjectOut(
        kind="network",
        key=subject.slug,
        title=subject.name,
        url=reverse("networks:network", args=[subject.slug]),
    )


def _counted(questions: QuerySet[Question], person: Person) -> QuerySet[Question]:
    shown = Q() if is_moderator(person) else Q(answers__hidden_at__isnull=True)
    return questions.annotate(
        answer_count=Count("answers", filter=shown, distinct=True),
        helpful_count=Count("answers", filter=shown & Q(answers__helpful=True), distinct=True),
    )


def _summary(question: Question) -> QuestionSummary:
    return QuestionSummary(
        id=question.pk,
        title=question.title,
        url=question_url(question),
        author=author_of(question.author),
        created_at=question.created_at,
        answer_count=getattr(question, "answer_count", 0),
        has_helpful_answer=getattr(question, "helpful_count", 0) > 0,
        subject=subject_out(question.subject),
        hidden=question.is_hidden,
    )


def list_questions(
    person: Person,
    *,
    target: Target | None = None,
    example: Example | None = None,
    network: Network | None = None,
) -> list[QuestionSummary]:
    """The questions `person` may see, newest first, optionally about one subject."""
    questions = visible_questions(person)
    if target is not None:
        questions = questions.filter(target=target)
    if example is not None:
        questions = questions.filter(example=example)
    if network is not None:
        questions = questions.filter(network=network)
    questions = questions.prefetch_related("author__memberships__organisation")
    return [_summary(question) for question in _counted(questions, person)[:200]]


def questions_about(person: Person, subject: Subject) -> list[QuestionSummary]:
    kind = subject_kind(subject)
    return list_questions(person, **{kind: subject})  # type: ignore[arg-type]


def get_question(person: Person, question: Question) -> QuestionDetail:
    """One question (already fetched through access.access_question) with its answers."""
    counted = (
        _counted(Question.objects.filter(pk=question.pk), person)
        .select_related("author", "example", "target", "network")
        .prefetch_related("author__memberships__organisation")
        .get()
    )
    answers = question.answers.select_related("author").prefetch_related(
        "author__memberships__organisation"
    )
    if not is_moderator(person):
        answers = answers.filter(hidden_at__isnull=True)
    return QuestionDetail(
        **_summary(counted).model_dump(),
        body_html=str(render_markdown(question.body)),
        answers=[
            AnswerOut(
                id=answer.pk,
                author=author_of(answer.author),
                body_html=str(render_markdown(answer.body)),
                helpful=answer.helpful,
                created_at=answer.created_at,
                hidden=answer.is_hidden,
            )
            for answer in answers
        ],
    )


def list_notifications(person: User, limit: int = 100) -> list[NotificationOut]:
    """The person's latest notifications, the sentence in the active language."""
    return [
        NotificationOut(
            id=note.pk,
            kind=note.kind,
            message=notify.message(note.kind, note.title),
            detail=note.detail,
            title=note.title,
            url=note.url,
            created_at=note.created_at,
            read=note.read_at is not None,
        )
        for note in Notification.objects.filter(recipient=person)[:limit]
    ]


def unread_count(person: Person) -> int:
    if not isinstance(person, User) or not person.is_active:
        return 0
    return Notification.objects.filter(recipient=person, read_at__isnull=True).count()


def _url_of(subject: object) -> str:
    if isinstance(subject, Target):
        return reverse("catalogue:target", args=[subject.code])
    if isinstance(subject, Organisation):
        return reverse("accounts:organisation", args=[subject.slug])
    if isinstance(subject, Network):
        return reverse("networks:network", args=[subject.slug])
    if isinstance(subject, Question):
        return question_url(subject)
    if isinstance(subject, Example):
        return subject.get_absolute_url()
    return ""


def list_follows(person: User) -> list[FollowOut]:
    """What the person follows (objects since deleted are left out)."""
    follows = []
    for found in Follow.objects.filter(person=person).select_related("content_type"):
        subject = found.subject
        if subject is None:
            continue
        follows.append(
            FollowOut(
                model=found.content_type.app_label + "." + found.content_type.model,
                key=int(found.object_id),
                name=_subject_name(subject),
                url=_url_of(subject),
            )
        )
    return follows


def _subject_name(subject: object) -> str:
    """A followed thing as a reader knows it: a target with its title ("13.1 Styrke evna til
    …"), anything else by its own name."""
    title_in = getattr(subject, "title_in", None)
    if callable(title_in):
        return f"{subject} {title_in(get_language() or 'nb')}"
    return str(subject)
