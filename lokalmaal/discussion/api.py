"""/api/v1/questions/ and /api/v1/notifications/: the twins of the question and notification
pages, from the same reads. Questions are those the caller may see (members-only ones need a
session); notifications need a logged-in session."""

from typing import Literal

from django.http import Http404, HttpRequest
from django.utils import translation
from ninja import Router
from ninja.security import django_auth

from lokalmaal.accounts.models import User
from lokalmaal.arena.models import Example
from lokalmaal.catalogue.models import Target
from lokalmaal.discussion import reads
from lokalmaal.discussion.access import access_question, may_view_subject
from lokalmaal.networks.models import Network

questions_router = Router(tags=["questions"])
notifications_router = Router(tags=["notifications"])
type Language = Literal["nb", "nn", "en"]


@questions_router.get(
    "/",
    response=list[reads.QuestionSummary],
    summary="Questions you may see, newest first; filter by target code, example id or network",
)
def questions(
    request: HttpRequest,
    target: str = "",
    example: int | None = None,
    network: str = "",
    lang: Language = "nb",
) -> list[reads.QuestionSummary]:
    chosen_target = chosen_example = chosen_network = None
    if target:
        chosen_target = Target.objects.filter(code=target).first()
        if chosen_target is None:
            raise Http404("No such target")
    if example is not None:
        chosen_example = Example.objects.filter(pk=example).first()
        if chosen_example is None or not may_view_subject(request.user, chosen_example):
            raise Http404("No such example")
    if network:
        chosen_network = Network.objects.filter(slug=network).first()
        if chosen_network is None or not may_view_subject(request.user, chosen_network):
            raise Http404("No such network")
    with translation.override(lang):
        return reads.list_questions(
            request.user, target=chosen_target, example=chosen_example, network=chosen_network
        )


@questions_router.get(
    "/{question_id}/",
    response=reads.QuestionDetail,
    summary="One question with its answers (bodies as sanitised HTML)",
)
def question(request: HttpRequest, question_id: int, lang: Language = "nb") -> reads.QuestionDetail:
    found = access_question(request.user, question_id)
    with translation.override(lang):
        return reads.get_question(request.user, found)


@notifications_router.get(
    "/",
    response=list[reads.NotificationOut],
    auth=django_auth,
    summary="Your latest notifications (needs a logged-in session)",
)
def notifications(request: HttpRequest, lang: Language = "nb") -> list[reads.NotificationOut]:
    assert isinstance(request.user, User)
    with translation.override(lang):
        return reads.list_notifications(request.user)
