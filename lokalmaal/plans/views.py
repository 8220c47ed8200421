"""Plan analysis pages. Views that change data fetch the plan with edit=True (or require
EDIT_CONTENT in the organisation) before anything else."""

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from lokalmaal.accounts.models import Organisation, User
from lokalmaal.accounts.permissions import Action, access_organisation, may, require
from lokalmaal.lib.markup import render_markdown
from lokalmaal.lib.ratelimit import rate_limited
from lokalmaal.plans import actions, export, reads
from lokalmaal.plans.access import access_plan, may_edit, visible_plans
from lokalmaal.plans.chart import coverage_chart
from lokalmaal.plans.forms import (
    PlanForm,
    SizeLimitHandler,
    declared_too_large,
    request_limit,
    too_large_message,
)
from lokalmaal.plans.models import PlanDocument, Status
from lokalmaal.web.language import use_region_language
from lokalmaal.web.params import goal_param

METHOD_FILE = Path(__file__).parent / "METHOD.md"


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _speak_like_the_region(request: HttpRequest, organisation: Organisation) -> None:
    if organisation.region is not None:
        use_region_language(request, organisation.region.written_standard)


def _list_page(
    request: HttpRequest,
    organisation: Organisation,
    form: PlanForm,
    status: int = 200,
    error: str = "",
) -> HttpResponse:
    context = {
        "upload_error": error,
        "organisation": organisation,
        "plans": reads.list_plans(visible_plans(request.user, organisation)),
        "may_upload": may(request.user, Action.EDIT_CONTENT, organisation),
        "form": form,
    }
    return render(request, "plans/plan_list.html", context, status=status)


def plan_list(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = access_organisation(slug)
    return _list_page(request, organisation, PlanForm())


@login_required
@rate_limited("plan-upload", limit=20, window=3600)
@csrf_exempt  # the upload handlers must be set before the body is read; see _upload below
@require_POST
def plan_upload(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = access_organisation(slug)
    require(request.user, Action.EDIT_CONTENT, organisation)
    if declared_too_large(request):
        return _list_page(request, organisation, PlanForm(), 413, too_large_message())
    limiter = SizeLimitHandler(request, request_limit())
    request.upload_handlers.insert(0, limiter)
    return _upload(request, organisation, limiter)


@csrf_protect
def _upload(
    request: HttpRequest, organisation: Organisation, limiter: SizeLimitHandler
) -> HttpResponse:
    form = PlanForm(request.POST, request.FILES)
    valid = form.is_valid()
    if limiter.exceeded:
        return _list_page(request, organisation, PlanForm(), 413, too_large_message())
    if not valid:
        return _list_page(request, organisation, form, status=400)
    data = form.cleaned_data
    plan = actions.do_upload_plan(
        organisation,
        _user(request),
        actions.PlanInput(data["title"], data["plan_type"], data["year"]),
        upload=data["file"],
        kind=form.kind,
        text=data["text"],
    )
    messages.success(request, _("The document was received and is being analysed."))
    return redirect("plans:plan", plan_id=plan.pk)


def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = access_plan(request.user, plan_id)
    _speak_like_the_region(request, plan.organisation)
    goal = goal_param(request)
    if goal is not None and not 1 <= goal <= 17:
        goal = None
    detail = reads.get_plan(plan, get_language(), goal, full=False)
    rows = detail.analysis.coverage if detail.analysis else []
    context = {
        "plan": detail,
        # The chart's text alternative: the goals addressed most, and those not at all.
        "top_goals": sorted((r for r in rows if r.passages), key=lambda r: -r.passages)[:3],
        "missing_goals": [r for r in rows if not r.passages],
        "goal": goal,
        "may_edit": may_edit(request.user, plan),
        "chart": coverage_chart(detail.analysis.coverage, goal) if detail.analysis else None,
        "others": _comparable(request, plan),
    }
    return render(request, "plans/plan_detail.html", context)


def _comparable(request: HttpRequest, plan: PlanDocument) -> list[reads.PlanSummary]:
    """The organisation's other finished analyses this person may see."""
    others = visible_plans(request.user, plan.organisation).filter(status=Status.DONE)
    return reads.list_plans(others.exclude(pk=plan.pk))


def plan_gaps(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = access_plan(request.user, plan_id)
    _speak_like_the_region(request, plan.organisation)
    if plan.status != Status.DONE:
        return redirect("plans:plan", plan_id=plan.pk)
    gaps = reads.get_gaps(plan, request.user, get_language())
    return render(request, "plans/gaps.html", {"gaps": gaps, "plan": gaps.plan})


def plan_compare(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = access_plan(request.user, plan_id)
    _speak_like_the_region(request, plan.organisation)
    others = _comparable(request, plan)
    comparison = None
    try:
        other_id = int(request.GET.get("med", ""))
    except ValueError:
        other_id = None
    if other_id is not None and plan.status == Status.DONE:
        other = access_plan(request.user, other_id)
        if other.organisation_id != plan.organisation_id or other.status != Status.DONE:
            raise Http404("Only finished analyses of the same organisation can be compared")
        comparison = reads.compare_plans(plan, other, get_language())
    context = {
        "plan": reads.summary(plan),
        "others": others,
        "comparison": comparison,
        "other_id": other_id,
    }
    return render(request, "plans/compare.html", context)


EXPORTS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}


def plan_export(request: HttpRequest, plan_id: int, fmt: str) -> HttpResponse:
    plan = access_plan(request.user, plan_id)
    if fmt not in EXPORTS or plan.status != Status.DONE:
        raise Http404("No such export")
    _speak_like_the_region(request, plan.organisation)
    detail = reads.get_plan(plan, get_language())
    content: bytes | str
    if fmt == "docx":
        content = export.to_docx(detail, get_language())
    elif fmt == "csv":
        content = "\ufeff" + export.to_csv(detail)  # a byte-order mark so Excel reads UTF-8
    else:
        content = export.to_json(detail)
    response = HttpResponse(content, content_type=EXPORTS[fmt])
    # The title keeps æ, ø and å: an ASCII fallback plus RFC 6266's filename* in UTF-8.
    filename = f"{slugify(plan.title, allow_unicode=True) or 'plananalyse'}.{fmt}"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@login_required
@require_POST
def plan_publish(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = access_plan(request.user, plan_id, edit=True)
    publish = request.POST.get("published") == "1"
    try:
        actions.do_set_published(plan, publish)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The analysis is published.") if publish else _("The analysis is no longer public."),
        )
    return redirect("plans:plan", plan_id=plan.pk)


@login_required
@require_POST
def plan_reanalyse(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = access_plan(request.user, plan_id, edit=True)
    try:
        actions.do_reanalyse(plan)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The document is being analysed again."))
    return redirect("plans:plan", plan_id=plan.pk)


@login_required
@require_POST
def plan_delete(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = access_plan(request.user, plan_id, edit=True)
    slug = plan.organisation.slug
    actions.do_delete_plan(plan)
    messages.success(request, _("The analysis and the uploaded document were deleted."))
    return redirect("plans:list", slug=slug)


def region_plans(request: HttpRequest, code: str) -> HttpResponse:
    from lokalmaal.regions.models import Region

    region = Region.objects.filter(code=code).first()
    if region is None:
        raise Http404("No such region")
    use_region_language(request, region.written_standard)
    plans = PlanDocument.objects.filter(
        organisation__region=region, published=True, status=Status.DONE
    ).select_related("organisation__region")
    context = {"region": region, "plans": reads.list_plans(plans)}
    return render(request, "plans/region_plans.html", context)


def method_source(language: str) -> tuple[str, str]:
    """The method page's Markdown in the reader's language (METHOD.nb.md, METHOD.nn.md, or the
    English METHOD.md), and the language it is in; ("", "") when the files are missing."""
    candidates = [(METHOD_FILE.with_suffix(f".{language}.md"), language), (METHOD_FILE, "en")]
    for path, written_in in candidates:
        try:
            return path.read_text(encoding="utf-8"), written_in
        except FileNotFoundError:
            continue
    return "", ""


def method(request: HttpRequest) -> HttpResponse:
    source, written_in = method_source(get_language() or "nb")
    if source.startswith("# "):  # the page has its own translated title
        source = source.partition("\n")[2]
    context = {"method": render_markdown(source), "method_language": written_in}
    return render(request, "plans/method.html", context)
