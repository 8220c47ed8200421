"""Pieces other pages include: a follow button and the questions about a subject."""

from typing import Any
from urllib.parse import urlencode

from django import template
from django.db import models
from django.urls import reverse

from lokalmaal.arena import moderation
from lokalmaal.catalogue.models import Target
from lokalmaal.discussion import notify, reads
from lokalmaal.discussion.access import Subject, may_ask, subject_key, subject_kind

register = template.Library()


def _person(context: template.Context) -> Any:
    request = context.get("request")
    return getattr(request, "user", None)


@register.simple_tag(takes_context=True)
def follow_state(context: template.Context, subject: models.Model) -> dict[str, object]:
    """What the follow button needs: whether the person follows `subject` and how to name it."""
    person = _person(context)
    request = context.get("request")
    return {
        "logged_in": bool(person and person.is_authenticated),
        "following": bool(person and notify.is_following(person, subject)),
        "model": subject._meta.label_lower,
        "key": subject.pk,
        "next": request.get_full_path() if request is not None else "/",
        "follow_url": reverse("discussion:follow"),
        "unfollow_url": reverse("discussion:unfollow"),
        "name": str(subject),
    }


@register.simple_tag(takes_context=True)
def questions_state(
    context: template.Context, subject: Subject | str, limit: int = 5
) -> dict[str, object]:
    """The latest questions about a subject (a target may be given by its code) and whether
    the person may ask one."""
    if isinstance(subject, str):
        subject = Target.objects.get(code=subject)
    person = _person(context)
    questions = reads.questions_about(person, subject)
    kind, key = subject_kind(subject), subject_key(subject)
    ask_url = reverse("discussion:ask", args=[kind, key])
    login_url = reverse("account_login") + "?" + urlencode({"next": ask_url})
    return {
        "subject": subject,
        "questions": questions[:limit],
        "count": len(questions),
        "more_url": (
            reverse("discussion:target_questions", args=[key]) if kind == "target" else None
        ),
        "may_ask": bool(person and may_ask(person, subject)),
        "logged_in": bool(person and person.is_authenticated),
        "ask_url": ask_url,
        "login_url": login_url,
    }


@register.simple_tag
def report_url(kind: str, key: int) -> str:
    """Where to report a question or answer to the moderators (the arena's report form)."""
    return moderation.report_url(kind, key)
