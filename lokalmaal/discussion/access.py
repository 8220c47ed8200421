"""Who may see and change questions; fetch questions and answers only through these helpers.

A question is seen by whoever may see its subject: every question on an SDG target is public;
one on a practice example follows the example page (lokalmaal.arena.access.may_view);
one in a network follows the network's page (public, or members only). Asking and answering
need a login with a verified e-mail address, and in a network, membership. Hidden questions and
answers are seen only by moderators. Something a person may not see is a 404.
"""

from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from lokalmaal.accounts.models import User
from lokalmaal.accounts.permissions import (
    NetworkAction,
    Person,
    is_moderator,
    may_network,
)
from lokalmaal.arena.access import may_view as may_view_example
from lokalmaal.arena.access import member_organisation_ids
from lokalmaal.arena.models import Example
from lokalmaal.arena.models import Status as ExampleStatus
from lokalmaal.arena.models import Visibility as ExampleVisibility
from lokalmaal.catalogue.models import Target
from lokalmaal.discussion.models import Answer, Question
from lokalmaal.networks.models import Network
from lokalmaal.networks.models import Visibility as NetworkVisibility

type Subject = Example | Target | Network


def active_user(person: Person) -> User | None:
    return person if isinstance(person, User) and person.is_active else None


def has_verified_email(person: Person) -> bool:
    user = active_user(person)
    return user is not None and EmailAddress.objects.filter(user=user, verified=True).exists()


def may_view_subject(person: Person, subject: Subject) -> bool:
    if isinstance(subject, Target):
        return True
    if isinstance(subject, Example):
        return may_view_example(person, subject)
    return may_network(person, NetworkAction.VIEW, subject)


def may_ask(person: Person, subject: Subject) -> bool:
    """Whether the person may ask (or answer) about this subject."""
    if not has_verified_email(person) or not may_view_subject(person, subject):
        return False
    if isinstance(subject, Example):
        return subject.status == ExampleStatus.PUBLISHED
    if isinstance(subject, Network):
        return may_network(person, NetworkAction.READ, subject)
    return True


def require_ask(person: Person, subject: Subject) -> None:
    if not may_ask(person, subject):
        raise PermissionDenied("Not allowed to ask or answer here")


def visible_questions(person: Person) -> QuerySet[Question]:
    """The questions `person` may see, as one query (for lists and the API)."""
    questions = Question.objects.select_related("author", "example", "target", "network")
    if is_moderator(person):
        return questions
    user = active_user(person)
    example_ok = Q(example__status=ExampleStatus.PUBLISHED)
    if user is None:
        example_ok &= Q(example__visibility=ExampleVisibility.PUBLIC)
    else:  # the example's own organisations see it whatever its status, as on its page
        example_ok |= Q(example__organisations__in=member_organisation_ids(user))
    network_ok = Q(network__visibility=NetworkVisibility.PUBLIC)
    if user is not None:
        network_ok |= Q(network__in=Network.objects.filter(memberships__person=user))
    matching = questions.filter(
        Q(target__isnull=False)
        | (Q(example__isnull=False) & example_ok)
        | (Q(network__isnull=False) & network_ok),
        hidden_at__isnull=True,
    )
    return questions.filter(pk__in=matching.values("pk"))  # the joins above may repeat a row


def access_question(person: Person, question_id: int) -> Question:
    question = (
        Question.objects.select_related("author", "example", "target", "network")
        .filter(id=question_id)
        .first()
    )
    if question is None or not may_view_subject(person, question.subject):
        raise Http404("No such question")
    if question.is_hidden and not is_moderator(person):
        raise Http404("No such question")
    return question


def access_answer(person: Person, answer_id: int) -> Answer:
    answer = Answer.objects.select_related("question", "author").filter(id=answer_id).first()
    if answer is None:
        raise Http404("No such answer")
    access_question(person, answer.question_id)
    if answer.is_hidden and not is_moderator(person):
        raise Http404("No such answer")
    return answer


def access_subject(person: Person, kind: str, key: str) -> Subject:
    """The target (by code), example (by id) or network (by slug) a question may be asked on."""
    subject: Subject | None = None
    if kind == "target":
        subject = Target.objects.filter(code=key).first()
    elif kind == "example" and key.isdigit():
        subject = Example.objects.filter(id=int(key)).first()
    elif kind == "network":
        subject = Network.objects.filter(slug=key).first()
    if subject is None or not may_view_subject(person, subject):
        raise Http404("No such subject")
    return subject


def subject_kind(subject: Subject) -> str:
    if isinstance(subject, Target):
        return "target"
    if isinstance(subject, Example):
        return "example"
    return "network"


def subject_key(subject: Subject) -> str:
    if isinstance(subject, Target):
        return subject.code
    if isinstance(subject, Example):
        return str(subject.pk)
    return subject.slug
