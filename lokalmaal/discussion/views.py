"""Question, answer, follow and notification pages. Views parse, authorise (access.py), call
an action and render; every view that changes data is POST-only and rate-limited or owned."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lokalmaal.accounts.models import Organisation, User
from lokalmaal.accounts.permissions import is_moderator
from lokalmaal.arena.models import Example
from lokalmaal.catalogue.models import Target
from lokalmaal.discussion import actions, notify, reads
from lokalmaal.discussion.access import (
    access_answer,
    access_question,
    access_subject,
    may_ask,
    may_view_subject,
    require_ask,
)
from lokalmaal.discussion.forms import (
    AnswerForm,
    HideForm,
    QuestionForm,
    SettingsForm,
    with_described_fields,
)
from lokalmaal.discussion.models import DigestPeriod, Question
from lokalmaal.lib.ratelimit import rate_limited
from lokalmaal.networks.models import Network

# Members may post this many questions and answers together per window.
POST_LIMIT = 10
POST_WINDOW = 10 * 60


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


# Questions


def question_list(request: HttpRequest) -> HttpResponse:
    questions = reads.list_questions(request.user)
    return render(request, "discussion/question_list.html", {"questions": questions})


def target_questions(request: HttpRequest, code: str) -> HttpResponse:
    target = get_object_or_404(Target, code=code)
    context = {
        "target": target,
        "target_title": target.title_in(request.LANGUAGE_CODE),
        "questions": reads.list_questions(request.user, target=target),
        "may_ask": may_ask(request.user, target),
    }
    return render(request, "discussion/target_questions.html", context)


def question_detail(request: HttpRequest, question_id: int) -> HttpResponse:
    question = access_question(request.user, question_id)
    return _question_page(request, question, AnswerForm())


def _question_page(
    request: HttpRequest, question: Question, form: AnswerForm, status: int = 200
) -> HttpResponse:
    person = request.user
    context = {
        "question": reads.get_question(person, question),
        "subject_question": question,
        "form": with_described_fields(form),
        "may_answer": may_ask(person, question.subject) and not question.is_hidden,
        "is_asker": question.author_id is not None and question.author_id == person.pk,
        "is_moderator": is_moderator(person),
    }
    return render(request, "discussion/question_detail.html", context, status=status)


@login_required
@rate_limited("discussion-post", POST_LIMIT, POST_WINDOW)
def ask(request: HttpRequest, kind: str, key: str) -> HttpResponse:
    subject = access_subject(request.user, kind, key)
    require_ask(request.user, subject)
    form = QuestionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        question = actions.do_ask(_user(request), subject, data["title"], data["body"])
        messages.success(request, _("Your question has been posted."))
        return redirect("discussion:question", question_id=question.pk)
    context = {
        "form": with_described_fields(form),
        "subject": reads.subject_out(subject),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "discussion/ask.html", context, status=status)


@login_required
@require_POST
@rate_limited("discussion-post", POST_LIMIT, POST_WINDOW)
def answer(request: HttpRequest, question_id: int) -> HttpResponse:
    question = access_question(request.user, question_id)
    require_ask(request.user, question.subject)
    if question.is_hidden:
        raise PermissionDenied("The question is hidden")
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _question_page(request, question, form, status=400)
    new = actions.do_answer(_user(request), question, form.cleaned_data["body"])
    messages.success(request, _("Your answer has been posted."))
    return HttpResponseRedirect(f"{actions.question_url(question)}#svar-{new.pk}")


@login_required
@require_POST
def mark_helpful(request: HttpRequest, answer_id: int) -> HttpResponse:
    found = access_answer(request.user, answer_id)
    if found.question.author_id != request.user.pk:
        raise PermissionDenied("Only the asker marks answers helpful")
    actions.do_mark_helpful(found, request.POST.get("helpful") != "false")
    return HttpResponseRedirect(f"{actions.question_url(found.question)}#svar-{found.pk}")


def _hide_form(request: HttpRequest) -> str:
    if not is_moderator(request.user):
        raise PermissionDenied("Only moderators hide content")
    form = HideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason for hiding it."))
        return ""
    return str(form.cleaned_data["reason"])


@login_required
@require_POST
def hide_question(request: HttpRequest, question_id: int) -> HttpResponse:
    question = access_question(request.user, question_id)
    reason = _hide_form(request)
    if reason:
        actions.do_hide_question(_user(request), question, reason)
        messages.success(request, _("The question is hidden."))
    return redirect("discussion:question", question_id=question.pk)


@login_required
@require_POST
def hide_answer(request: HttpRequest, answer_id: int) -> HttpResponse:
    found = access_answer(request.user, answer_id)
    reason = _hide_form(request)
    if reason:
        actions.do_hide_answer(_user(request), found, reason)
        messages.success(request, _("The answer is hidden."))
    return redirect("discussion:question", question_id=found.question_id)


# Follows

FOLLOWABLE: dict[str, type[models.Model]] = {
    "catalogue.target": Target,
    "accounts.organisation": Organisation,
    "arena.example": Example,
    "networks.network": Network,
    "discussion.question": Question,
}


def _followable(request: HttpRequest) -> models.Model:
    """The object named by the POSTed `model` and `key`, if the person may see it."""
    model = FOLLOWABLE.get(request.POST.get("model", ""))
    key = request.POST.get("key", "")
    if model is None or not key.isdigit():
        raise Http404("Nothing to follow")
    if model is Question:
        return access_question(request.user, int(key))
    subject = model._default_manager.filter(pk=int(key)).first()
    if subject is None:
        raise Http404("Nothing to follow")
    if isinstance(subject, Example | Network) and not may_view_subject(request.user, subject):
        raise Http404("Nothing to follow")
    return subject


@login_required
@require_POST
def follow(request: HttpRequest) -> HttpResponse:
    subject = _followable(request)
    actions.do_follow(_user(request), subject, following=True)
    messages.success(request, _("You follow %(name)s.") % {"name": subject})
    return redirect(_safe_next(request, "/varsel/"))


@login_required
@require_POST
def unfollow(request: HttpRequest) -> HttpResponse:
    subject = _followable(request)
    actions.do_follow(_user(request), subject, following=False)
    messages.success(request, _("You no longer follow %(name)s.") % {"name": subject})
    return redirect(_safe_next(request, "/varsel/"))


# Notifications


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    person = _user(request)
    context = {
        "notifications": reads.list_notifications(person),
        "unread": reads.unread_count(person),
        "follows": reads.list_follows(person),
    }
    return render(request, "discussion/notifications.html", context)


@login_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    one = request.POST.get("notification", "")
    actions.do_mark_read(_user(request), int(one) if one.isdigit() else None)
    return redirect("discussion:notifications")


@login_required
def notification_settings(request: HttpRequest) -> HttpResponse:
    person = _user(request)
    current = notify.settings_for(person)
    if request.method == "POST":
        form = SettingsForm(request.POST)
        if form.is_valid():
            actions.do_save_settings(
                person, DigestPeriod(form.cleaned_data["digest"]), form.cleaned_data["language"]
            )
            messages.success(request, _("Your e-mail settings are saved."))
            return redirect("discussion:settings")
    else:
        form = SettingsForm(initial={"digest": current.digest, "language": current.language})
    status = 400 if form.is_bound else 200
    return render(request, "discussion/settings.html", {"form": form}, status=status)
