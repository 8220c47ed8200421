"""The arena's pages: practice examples, search, reports and moderation. Views parse, authorise
(through access.py and accounts.permissions), call actions/reads and render."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lokalmaal.accounts.models import User
from lokalmaal.accounts.permissions import is_moderator
from lokalmaal.catalogue.models import Goal
from lokalmaal.catalogue.vocabulary import SERVICE_AREA_LABELS, options
from lokalmaal.indicators.peers import SIZE_CLASSES
from lokalmaal.lib.ratelimit import rate_limited
from lokalmaal.lib.uploads import UploadRefusedError, file_response
from lokalmaal.regions.models import Region, RegionKind
from lokalmaal.web.params import goal_param

from . import actions, reads, search
from .access import (
    access_attachment,
    access_example,
    editable_organisations,
    examples_of_member,
    may_edit,
)
from .forms import AttachmentForm, CommentForm, ExampleForm, OptionalCommentForm, ReportForm
from .models import SECTIONS, Example, Report, ReportStatus, Status
from .moderation import find_reportable, kind_label

# Another app may show a discussion under each example by providing this template.
DISCUSSION_TEMPLATE = "discussion/example_questions.html"
POSTS_PER_HOUR = 30
REPORTS_PER_HOUR = 20


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _require_moderator(request: HttpRequest) -> None:
    if not is_moderator(request.user):
        raise PermissionDenied("Only moderators may see this")


# Filters shared by the example list and the search page


def _filters(request: HttpRequest) -> search.SearchFilters:
    """The filters chosen in the query string; nonsense values count as not chosen."""
    size = request.GET.get("storleik", "")
    area = request.GET.get("omrade", "")
    return {
        "goal": goal_param(request),
        "target": request.GET.get("delmal", "").strip()[:6] or None,
        "county": request.GET.get("fylke", "").strip()[:4] or None,
        "size_class": size if size in search.size_class_keys() else None,
        "service_area": area if area in SERVICE_AREA_LABELS else None,
    }


def _filter_choices(language: str) -> dict[str, Any]:
    return {
        "goals": [(goal.number, goal.short_in(language)) for goal in Goal.objects.all()],
        "counties": list(Region.objects.filter(kind=RegionKind.COUNTY).values_list("code", "name")),
        "sizes": [
            (str(lowest), _size_label(lowest, index))
            for index, (lowest, _l) in enumerate(SIZE_CLASSES)
        ],
        "service_areas": options(SERVICE_AREA_LABELS, language),
    }


def _size_label(lowest: int, index: int) -> str:
    if index == 0:
        return _("Under %(n)s inhabitants") % {
            "n": f"{SIZE_CLASSES[1][0]:,}".replace(",", "\u00a0")
        }
    if index == len(SIZE_CLASSES) - 1:
        return _("%(n)s inhabitants or more") % {"n": f"{lowest:,}".replace(",", "\u00a0")}
    upper = SIZE_CLASSES[index + 1][0] - 1
    return _("%(low)s–%(high)s inhabitants") % {
        "low": f"{lowest:,}".replace(",", "\u00a0"),
        "high": f"{upper:,}".replace(",", "\u00a0"),
    }


# Examples


def example_list(request: HttpRequest) -> HttpResponse:
    language = get_language()
    query = request.GET.get("q", "").strip()[:200]
    filters = _filters(request)
    examples = reads.list_examples(request.user, language, query=query, **filters)
    context = {
        "examples": examples,
        "query": query,
        "filters": filters,
        "choices": _filter_choices(language),
        "may_write": editable_organisations(request.user).exists(),
        "is_moderator": is_moderator(request.user),
    }
    return render(request, "arena/example_list.html", context)


def _discussion_template() -> str | None:
    try:
        get_template(DISCUSSION_TEMPLATE)
    except TemplateDoesNotExist:
        return None
    return DISCUSSION_TEMPLATE


def example_detail(request: HttpRequest, example_id: int) -> HttpResponse:
    example = access_example(request.user, example_id)
    detail = reads.get_example(example, request.user, get_language())
    context = {
        "example": detail,
        "example_object": example,
        "may_edit": may_edit(request.user, example),
        "is_moderator": is_moderator(request.user),
        "attachment_form": AttachmentForm(),
        "comment_form": OptionalCommentForm(),
        "discussion_template": _discussion_template(),
    }
    return render(request, "arena/example_detail.html", context)


def _example_form(request: HttpRequest, **kwargs: Any) -> ExampleForm:
    return ExampleForm(
        request.POST or None,
        organisations=editable_organisations(request.user),
        language=get_language(),
        **kwargs,
    )


@login_required
@rate_limited("arena_example", POSTS_PER_HOUR, 3600)
def example_create(request: HttpRequest) -> HttpResponse:
    if not editable_organisations(request.user).exists():
        raise PermissionDenied("Only editors in an organisation may write practice examples")
    form = _example_form(request, initial={"language": get_language(), "visibility": "public"})
    if request.method == "POST" and form.is_valid():
        try:
            example = actions.do_create_example(_user(request), form.example_input())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The draft was saved. Add attachments, then send it for review when ready."),
            )
            return redirect(example)
    context = {"form": form, "example": None, "conflict": None}
    return render(request, "arena/example_form.html", context, status=400 if form.errors else 200)


def _initial(example: Example) -> dict[str, Any]:
    initial: dict[str, Any] = {
        name: getattr(example, name)
        for name in ExampleForm.base_fields
        if name not in {"organisations", "targets", "indicators", "version"}
    }
    for name, _heading in SECTIONS:
        initial[name] = getattr(example, name)
    initial["organisations"] = list(example.organisations.all())
    initial["targets"] = ", ".join(t.code for t in example.targets.order_by("goal", "position"))
    initial["indicators"] = list(example.indicators.all())
    initial["version"] = example.version
    return initial


@login_required
@rate_limited("arena_example", POSTS_PER_HOUR, 3600)
def example_edit(request: HttpRequest, example_id: int) -> HttpResponse:
    example = access_example(request.user, example_id, edit=True)
    form = _example_form(request, initial=_initial(example))
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            version = form.cleaned_data["version"] or 0
            actions.do_update_example(example, _user(request), form.example_input(), version)
        except actions.EditConflictError as error:
            conflict = reads.get_example(error.example, request.user, get_language())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The example was saved."))
            return redirect(example)
    context = {"form": form, "example": example, "conflict": conflict}
    status = 409 if conflict else 400 if form.errors else 200
    return render(request, "arena/example_form.html", context, status=status)


def _state_change(request: HttpRequest, example_id: int, change: Any, done: str) -> HttpResponse:
    example = access_example(request.user, example_id, edit=True)
    try:
        change(example, _user(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect(example)


@login_required
@require_POST
def example_submit(request: HttpRequest, example_id: int) -> HttpResponse:
    return _state_change(
        request,
        example_id,
        actions.do_submit_example,
        _("The example was sent to the moderators. You will be told when they have looked at it."),
    )


@login_required
@require_POST
def example_withdraw(request: HttpRequest, example_id: int) -> HttpResponse:
    return _state_change(
        request, example_id, actions.do_withdraw_example, _("The example is a draft again.")
    )


@login_required
@require_POST
def example_delete(request: HttpRequest, example_id: int) -> HttpResponse:
    example = access_example(request.user, example_id, edit=True)
    try:
        actions.do_delete_example(example, _user(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(example)
    messages.success(request, _("The draft was deleted."))
    return redirect("arena:mine")


@login_required
def my_examples(request: HttpRequest) -> HttpResponse:
    language = get_language()
    mine = examples_of_member(request.user)
    context = {
        "unpublished": reads.summaries(
            mine.exclude(status=Status.PUBLISHED).order_by("-updated_at"), language
        ),
        "published": reads.summaries(
            mine.filter(status=Status.PUBLISHED).order_by("-published_at"), language
        ),
        "may_write": editable_organisations(request.user).exists(),
    }
    return render(request, "arena/my_examples.html", context)


# Attachments


@login_required
@require_POST
@rate_limited("arena_attachment", POSTS_PER_HOUR, 3600)
def attachment_upload(request: HttpRequest, example_id: int) -> HttpResponse:
    example = access_example(request.user, example_id, edit=True)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.do_add_attachment(
                example, _user(request), form.cleaned_data["file"], form.cleaned_data["description"]
            )
        except UploadRefusedError as error:
            form.add_error("file", str(error))
        else:
            messages.success(request, _("The attachment was added."))
            return redirect(example)
    context = {
        "example": reads.get_example(example, request.user, get_language()),
        "example_object": example,
        "may_edit": True,
        "is_moderator": is_moderator(request.user),
        "attachment_form": form,
        "comment_form": OptionalCommentForm(),
        "discussion_template": _discussion_template(),
    }
    return render(request, "arena/example_detail.html", context, status=400)


def attachment_download(request: HttpRequest, example_id: int, attachment_id: int) -> HttpResponse:
    attachment = access_attachment(request.user, example_id, attachment_id)
    # Images open in the browser; a PDF is downloaded.
    return file_response(bytes(attachment.content), attachment.kind, attachment.name, inline=True)


@login_required
@require_POST
def attachment_delete(request: HttpRequest, example_id: int, attachment_id: int) -> HttpResponse:
    attachment = access_attachment(request.user, example_id, attachment_id, edit=True)
    actions.do_delete_attachment(attachment, _user(request))
    messages.success(request, _("The attachment was deleted."))
    return redirect("arena:example", example_id=example_id)


# Search


def search_page(request: HttpRequest) -> HttpResponse:
    language = get_language()
    query = request.GET.get("q", "").strip()[:200]
    filters = _filters(request)
    searched = bool(query) or any(value is not None for value in filters.values())
    hits = search.search(query, person=request.user, **filters) if searched else []
    context = {
        "query": query,
        "filters": filters,
        "choices": _filter_choices(language),
        "searched": searched,
        "hits": [(hit, search.highlight(hit.snippet, query)) for hit in hits],
    }
    return render(request, "arena/search.html", context)


# Reports


@login_required
@rate_limited("arena_report", REPORTS_PER_HOUR, 3600)
def report(request: HttpRequest) -> HttpResponse:
    source = request.POST if request.method == "POST" else request.GET
    kind = source.get("kind", "")
    try:
        key = int(source.get("key", ""))
    except ValueError:
        raise Http404("Nothing to report") from None
    item = find_reportable(request.user, kind, key)
    if item is None:
        raise Http404("Nothing to report")
    form = ReportForm(request.POST or None, initial={"kind": kind, "key": key})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.do_report(_user(request), kind, key, item, data["reason"], data["comment"])
        messages.success(request, _("Thank you. A moderator will look at your report."))
        return redirect(item.url)
    context = {"form": form, "item": item, "kind_label": kind_label(kind)}
    return render(request, "arena/report.html", context, status=400 if form.errors else 200)


# Moderation


@login_required
def moderation_queue(request: HttpRequest) -> HttpResponse:
    _require_moderator(request)
    language = get_language()
    context = {
        "submitted": reads.summaries(reads.submitted_examples(), language),
        "reports": [(r, kind_label(r.kind)) for r in reads.open_reports()],
        "comment_form": CommentForm(),
    }
    return render(request, "arena/moderation_queue.html", context)


MODERATOR_ACTIONS = {
    "publish": (actions.do_publish_example, False),
    "send_back": (actions.do_send_back_example, True),
    "unpublish": (actions.do_unpublish_example, True),
}


@login_required
@require_POST
def moderate_example(request: HttpRequest, example_id: int) -> HttpResponse:
    _require_moderator(request)
    example = access_example(request.user, example_id)
    action = request.POST.get("action", "")
    if action not in MODERATOR_ACTIONS:
        raise Http404("No such action")
    change, comment_required = MODERATOR_ACTIONS[action]
    form = (CommentForm if comment_required else OptionalCommentForm)(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write a comment that tells the authors why."))
        return redirect(example)
    try:
        change(example, _user(request), form.cleaned_data["comment"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Done: %(title)s") % {"title": example.title})
    return redirect("arena:moderation")


@login_required
@require_POST
def handle_report(request: HttpRequest, report_id: int) -> HttpResponse:
    _require_moderator(request)
    report = Report.objects.filter(pk=report_id, status=ReportStatus.OPEN).first()
    if report is None:
        raise Http404("No such open report")
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write a comment that says why, for the log."))
        return redirect("arena:moderation")
    reason = form.cleaned_data["comment"]
    action = request.POST.get("action")
    try:
        if action == "resolve":
            actions.do_resolve_report(report, _user(request), reason)
        elif action == "hide":
            actions.do_hide_reported(report, _user(request), reason)
        else:
            raise Http404("No such action")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Done: %(title)s") % {"title": report.title})
    return redirect("arena:moderation")


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    _require_moderator(request)
    entries = [(entry, kind_label(entry.kind)) for entry in reads.audit_log()]
    return render(request, "arena/audit_log.html", {"entries": entries})
