"""Workspace pages. Every view that changes data fetches the workspace with edit=True first."""

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lokalmaal.accounts.models import User
from lokalmaal.accounts.permissions import Action, access_organisation, may, require
from lokalmaal.catalogue.models import Target
from lokalmaal.localgoals import actions, analysis, export, reads
from lokalmaal.localgoals import followup as followup_reads
from lokalmaal.localgoals import followup_export as followup_export_module
from lokalmaal.localgoals.access import (
    access_workspace,
    is_member,
    may_adopt,
    may_edit,
    may_view_analysis,
)
from lokalmaal.localgoals.followup import decimals_for
from lokalmaal.localgoals.forms import (
    TARGET_CODE,
    CommentForm,
    GoalForm,
    IndicatorForm,
    InviteCommentForm,
    MeasureForm,
    StatusForm,
    WorkspaceForm,
    parse_ratings,
)
from lokalmaal.localgoals.history import history_line
from lokalmaal.localgoals.models import (
    TRANSITIONS,
    ConsultationComment,
    ConsultationInvite,
    GoalIndicator,
    LocalGoal,
    Measure,
    MeasureStatus,
    Rating,
    Status,
    Workspace,
)
from lokalmaal.web.language import use_region_language
from lokalmaal.web.middleware import no_store
from lokalmaal.web.params import goal_param


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _speak_like_the_region(request: HttpRequest, workspace: Workspace) -> None:
    region = workspace.organisation.region
    if region is not None:
        use_region_language(request, region.written_standard)


def workspace_list(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = access_organisation(slug)
    workspaces = organisation.workspaces.all()
    if not may(request.user, Action.VIEW_MEMBERS, organisation):
        workspaces = workspaces.filter(published=True)
    context = {
        "organisation": organisation,
        "workspaces": reads.list_workspaces(workspaces),
        "may_create": may(request.user, Action.EDIT_CONTENT, organisation),
        "form": WorkspaceForm(),
    }
    return render(request, "localgoals/workspace_list.html", context)


@login_required
@require_POST
def workspace_create(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = access_organisation(slug)
    require(request.user, Action.EDIT_CONTENT, organisation)
    form = WorkspaceForm(request.POST)
    if not form.is_valid():
        context = {"organisation": organisation, "workspaces": [], "may_create": True, "form": form}
        return render(request, "localgoals/workspace_list.html", context, status=400)
    data = form.cleaned_data
    workspace = actions.do_create_workspace(
        organisation,
        _user(request),
        data["title"],
        data["plan_type"],
        data["period_start"],
        data["period_end"],
    )
    return redirect("localgoals:workspace", workspace_id=workspace.pk)


def workspace_detail(request: HttpRequest, workspace_id: int) -> HttpResponse:
    workspace = access_workspace(request.user, workspace_id)
    if not is_member(request.user, workspace):
        # Outsiders see what was adopted and published, on the public goals page.
        return redirect(_public_url(workspace))
    _speak_like_the_region(request, workspace)
    detail = reads.get_workspace(workspace, request.user, get_language())
    allowed = [s for s in TRANSITIONS[workspace.status] if s != Status.ADOPTED or detail.may_adopt]
    status_choices = [(value, label) for value, label in Status.choices if value in allowed]
    context = {
        "workspace": detail,
        "status_choices": status_choices,
        "steps": reads.workspace_steps(workspace, request.user, detail),
        "can_consult": Status.CONSULTATION in allowed,
        "can_adopt": Status.ADOPTED in allowed,
        "today": timezone.localdate(),
    }
    return render(request, "localgoals/workspace_detail.html", context)


def _public_url(workspace: Workspace) -> str:
    region = workspace.organisation.region
    if region is None:
        raise Http404("This goal set has no public page")
    name = "localgoals:county_sets" if region.kind == "county" else "localgoals:region_sets"
    return f"{reverse(name, args=[region.code])}#set-{workspace.pk}"


@login_required
def rate(request: HttpRequest, workspace_id: int) -> HttpResponse:
    """Rating goal by goal, with progress; each page saves on its own, so nothing typed is lost
    when the next goal is opened with the "save and continue" button."""
    workspace = access_workspace(request.user, workspace_id, edit=True)
    _speak_like_the_region(request, workspace)
    show_all = request.GET.get("alle") == "1"
    language = get_language()
    every = reads.candidate_targets(workspace, show_all, None)
    mine = reads.my_ratings(workspace, request.user)
    groups = _rating_groups(every, mine, language)
    goal = goal_param(request)
    numbers = [g["number"] for g in groups]
    if goal not in numbers:
        unfinished = [g["number"] for g in groups if g["rated"] < g["total"]]
        goal = (unfinished or numbers or [None])[0]
    targets = [t for t in every if t.goal_id == goal]
    errors: list[str] = []
    if request.method == "POST":
        # The targets whose fields were sent: the page's goal (or more, from an older page).
        sent = [t for t in every if any(f"{s}-{t.code}" in request.POST for s in SCALES)]
        inputs, errors = parse_ratings(request.POST, sent)
        if not errors:
            try:
                saved = actions.do_save_ratings(workspace, _user(request), inputs)
            except ValidationError as error:
                errors = error.messages
            else:
                messages.success(request, _("%(count)s ratings saved.") % {"count": saved})
                following = _after(numbers, goal) if "next" in request.POST else goal
                query = {"mal": following, **({"alle": "1"} if show_all else {})}
                return redirect(f"{request.path}?{urlencode(query)}")
    hints = _indicator_hints(workspace, language)
    rows = [
        {
            "target": t,
            "title": t.title_in(language),
            "meaning": _meaning(t, language),
            **_shown_rating(mine.get(t.code), request.POST if errors else None, t.code),
            "hints": hints.get(t.code, []),
        }
        for t in targets
    ]
    rated = sum(1 for t in every if t.code in mine)
    context = {
        "workspace": workspace,
        "rows": rows,
        "errors": errors,
        "show_all": show_all,
        "groups": groups,
        "goal": goal,
        "goal_title": next((g["title"] for g in groups if g["number"] == goal), ""),
        "next_goal": _after(numbers, goal),
        "rated": rated,
        "total": len(every),
        "percent": round(100 * rated / len(every)) if every else 0,
        "scale": range(1, 6),
    }
    return render(request, "localgoals/rate.html", context, status=400 if errors else 200)


SCALES = ("importance", "influence", "comment")


def _shown_rating(rating: Rating | None, posted: Any, code: str) -> dict[str, Any]:
    """What the form shows: the typed values after an error (nothing is lost), else the saved."""
    if posted is not None:
        values = {s: posted.get(f"{s}-{code}", "") for s in ("importance", "influence", "comment")}
        return {k: int(v) if k != "comment" and v.isdigit() else v for k, v in values.items()}
    if rating is None:
        return {"importance": "", "influence": "", "comment": ""}
    return {
        "importance": rating.importance,
        "influence": rating.influence,
        "comment": rating.comment,
    }


def _after(numbers: list[int], goal: int | None) -> int | None:
    if goal not in numbers:
        return None
    at = numbers.index(goal)
    return numbers[at + 1] if at + 1 < len(numbers) else None


def _meaning(target: Target, language: str) -> str:
    local = getattr(target, "local", None)
    if local is None:
        return ""
    return str(local.meaning_nn if language == "nn" else local.meaning_nb)


def _rating_groups(
    targets: list[Target], mine: Mapping[str, object], language: str
) -> list[dict[str, Any]]:
    """One entry per SDG goal with targets to rate: number, title, how many the viewer rated."""
    groups: dict[int, dict[str, Any]] = {}
    for target in targets:
        group = groups.setdefault(
            target.goal_id,
            {
                "number": target.goal_id,
                "title": target.goal.short_in(language),
                "rated": 0,
                "total": 0,
            },
        )
        group["total"] += 1
        group["rated"] += target.code in mine
    return list(groups.values())


def _indicator_hints(workspace: Workspace, language: str) -> dict[str, list[object]]:
    """The municipality's own figures for each target, shown beside it while rating."""
    from lokalmaal.indicators.reads import region_indicators

    region = workspace.organisation.region
    if region is None or region.kind != "municipality":
        return {}
    hints: dict[str, list[object]] = {}
    for row in region_indicators(region.code, language):
        if row.value is None:
            continue
        for code in row.sdg_targets:
            hints.setdefault(code, []).append(row)
    return hints


def results(request: HttpRequest, workspace_id: int) -> HttpResponse:
    workspace = access_workspace(request.user, workspace_id)
    if not may_view_analysis(request.user, workspace):
        raise Http404("The analysis is not published")
    _speak_like_the_region(request, workspace)
    detail = reads.get_workspace(workspace, request.user, get_language())
    summaries = analysis.summarise(reads.rating_data(workspace))
    context = {
        "workspace": detail,
        "matrix": analysis.matrix(summaries) if summaries else None,
        "member": is_member(request.user, workspace),
    }
    return render(request, "localgoals/results.html", context)


@login_required
@require_POST
def set_priority(request: HttpRequest, workspace_id: int, code: str) -> HttpResponse:
    workspace = access_workspace(request.user, workspace_id, edit=True)
    target = Target.objects.filter(code=code).first()
    if target is None:
        raise Http404("No such target")
    try:
        actions.do_set_priority(
            workspace, _user(request), target, request.POST.get("prioritised") == "1"
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(f"/arbeidsrom/{workspace.pk}/resultat/#t-{code}")


def _goal_input(form: GoalForm) -> actions.GoalInput:
    data = form.cleaned_data
    return actions.GoalInput(
        kind=data["kind"],
        title=data["title"],
        description=data["description"],
        strategies=data["strategies"],
        responsible_unit=data["responsible_unit"],
        targets=data["targets"],
        parent=data["parent"],
    )


def _picked(form: GoalForm, initial: list[str]) -> set[str]:
    if not form.is_bound:
        return set(initial)
    text = ", ".join(form.data.getlist("targets"))  # type: ignore[attr-defined]
    return set(TARGET_CODE.findall(text))


def _target_groups(workspace: Workspace, picked: set[str], language: str) -> dict[str, Any]:
    """The catalogue for the target picker: the workspace's priority targets first, then every
    target under its goal (a goal's group is open when one of its targets is picked)."""
    priorities = set(workspace.priorities.values_list("target__code", flat=True))
    goals: dict[int, dict[str, Any]] = {}
    first: list[dict[str, Any]] = []
    for target in Target.objects.select_related("goal").order_by("goal", "position"):
        item = {
            "code": target.code,
            "title": target.title_in(language),
            "picked": target.code in picked,
        }
        if target.code in priorities:
            first.append(item)
            continue
        group = goals.setdefault(
            target.goal_id,
            {
                "number": target.goal_id,
                "title": target.goal.short_in(language),
                "targets": [],
                "open": False,
            },
        )
        group["targets"].append(item)
        group["open"] = group["open"] or item["picked"]
    return {"priorities": first, "goals": list(goals.values())}


@login_required
def goals(request: HttpRequest, workspace_id: int) -> HttpResponse:
    workspace = access_workspace(request.user, workspace_id, edit=True)
    _speak_like_the_region(request, workspace)
    form = GoalForm(request.POST or None, workspace_id=workspace.pk)
    if request.method == "POST" and form.is_valid():
        try:
            goal = actions.do_create_goal(workspace, _user(request), _goal_input(form))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The goal was saved."))
            return redirect("localgoals:goal", workspace_id=workspace.pk, goal_id=goal.pk)
    detail = reads.get_workspace(workspace, request.user, get_language())
    context = {
        "workspace": detail,
        "form": form,
        "locked": workspace.status == Status.ADOPTED,
        "picker": _target_groups(workspace, _picked(form, []), get_language()),
    }
    return render(request, "localgoals/goals.html", context, status=400 if form.errors else 200)


def _access_goal(request: HttpRequest, workspace_id: int, goal_id: int) -> LocalGoal:
    workspace = access_workspace(request.user, workspace_id, edit=True)
    goal = LocalGoal.objects.filter(workspace=workspace, pk=goal_id).first()
    if goal is None:
        raise Http404("No such goal")
    return goal


@login_required
def goal_edit(request: HttpRequest, workspace_id: int, goal_id: int) -> HttpResponse:
    goal = _access_goal(request, workspace_id, goal_id)
    _speak_like_the_region(request, goal.workspace)
    codes = [t.code for t in goal.targets.order_by("goal", "position")]
    initial = {
        "kind": goal.kind,
        "parent": goal.parent_id,
        "title": goal.title,
        "description": goal.description,
        "strategies": goal.strategies,
        "responsible_unit": goal.responsible_unit,
        "version": goal.version,
        "targets": codes,
    }
    form = GoalForm(
        request.POST or None, initial=initial, workspace_id=workspace_id, goal_id=goal.pk
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            version = form.cleaned_data["version"] or 0
            actions.do_update_goal(goal, _user(request), _goal_input(form), version)
        except actions.EditConflictError as error:
            conflict = error.goal
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The goal was saved."))
            return redirect("localgoals:goal", workspace_id=workspace_id, goal_id=goal.pk)
    status = 409 if conflict else 400 if form.errors else 200
    return _render_goal(request, goal, form, status, conflict=conflict, picked=_picked(form, codes))


def _indicator_form(goal: LocalGoal, data: Any = None, initial: Any = None) -> IndicatorForm:
    region = goal.workspace.organisation.region
    return IndicatorForm(
        data,
        initial=initial,
        language=get_language(),
        targets=[t.code for t in goal.targets.all()],
        region_code=region.code if region else None,
    )


def _render_goal(
    request: HttpRequest,
    goal: LocalGoal,
    form: GoalForm,
    status: int = 200,
    *,
    conflict: LocalGoal | None = None,
    picked: set[str] | None = None,
    indicator_form: IndicatorForm | None = None,
    preview: dict[str, Any] | None = None,
) -> HttpResponse:
    workspace = goal.workspace
    context = {
        "workspace": workspace,
        "goal": goal,
        "form": form,
        "conflict": conflict,
        "conflict_targets": ", ".join(t.code for t in conflict.targets.all()) if conflict else "",
        "indicator_form": indicator_form or _indicator_form(goal),
        "indicators": goal.indicators.all(),
        "preview": preview,
        "locked": workspace.status == Status.ADOPTED,
        "picker": _target_groups(workspace, picked or set(), get_language()),
    }
    return render(request, "localgoals/goal_edit.html", context, status=status)


@login_required
@require_POST
def goal_delete(request: HttpRequest, workspace_id: int, goal_id: int) -> HttpResponse:
    goal = _access_goal(request, workspace_id, goal_id)
    try:
        actions.do_delete_goal(goal, _user(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("localgoals:goal", workspace_id=workspace_id, goal_id=goal_id)
    messages.success(request, _("The goal was deleted."))
    return redirect("localgoals:goals", workspace_id=workspace_id)


@login_required
@require_POST
def indicator_add(request: HttpRequest, workspace_id: int, goal_id: int) -> HttpResponse:
    """Adds an indicator; with "preview", shows what the library brings (direction, unit,
    rounded baseline, target) in the form first, without saving."""
    goal = _access_goal(request, workspace_id, goal_id)
    form = _indicator_form(goal, request.POST)
    if form.is_valid():
        data = _from_library(dict(form.cleaned_data), goal.workspace, get_language())
        if "preview" in request.POST:
            codes = {t.code for t in goal.targets.all()}
            goal_form = GoalForm(
                initial=_goal_initial(goal), workspace_id=workspace_id, goal_id=goal.pk
            )
            return _render_goal(
                request, goal, goal_form, picked=codes,
                indicator_form=_indicator_form(goal, initial=data), preview=data,
            )  # fmt: skip
        try:
            actions.do_add_indicator(goal, _user(request), actions.IndicatorInput(**data))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The indicator was added."))
    else:
        errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
        messages.error(request, " ".join(errors))
    return redirect("localgoals:goal", workspace_id=workspace_id, goal_id=goal_id)


def _goal_initial(goal: LocalGoal) -> dict[str, Any]:
    return {
        "kind": goal.kind,
        "parent": goal.parent_id,
        "title": goal.title,
        "description": goal.description,
        "strategies": goal.strategies,
        "responsible_unit": goal.responsible_unit,
        "version": goal.version,
    }


def _from_library(data: dict[str, Any], workspace: Workspace, language: str) -> dict[str, Any]:
    """A library indicator brings its direction (always: the library knows which way is
    better), and its unit, the municipality's latest figure as baseline (rounded to the
    indicator's precision) and its 2030 target where the editor left them empty."""
    from lokalmaal.indicators.models import Indicator
    from lokalmaal.indicators.reads import region_series

    data.pop("preview", None)
    indicator = Indicator.objects.filter(id=data.get("library_id") or "").first()
    if indicator is None:
        data["library_id"] = ""
        return data
    data["name"] = data.get("name") or indicator.text("name", language)
    data["unit"] = data.get("unit") or indicator.text("unit", language)
    data["direction"] = indicator.direction
    region = workspace.organisation.region
    series = region_series(indicator.id, region.code) if region is not None else {}
    decimals = decimals_for(list(series.values()))
    if data.get("baseline_value") is None and series:
        year = max(series)
        data["baseline_value"], data["baseline_year"] = round(series[year], decimals), year
    elif data.get("baseline_value") is not None:
        data["baseline_value"] = round(data["baseline_value"], max(decimals, 2))
    if data.get("target_value") is None and indicator.target_2030 is not None:
        data["target_value"], data["target_year"] = indicator.target_2030, 2030
    return data


@login_required
@require_POST
def indicator_delete(
    request: HttpRequest, workspace_id: int, goal_id: int, indicator_id: int
) -> HttpResponse:
    goal = _access_goal(request, workspace_id, goal_id)
    indicator = GoalIndicator.objects.filter(goal=goal, pk=indicator_id).first()
    if indicator is None:
        raise Http404("No such indicator")
    try:
        actions.do_delete_indicator(indicator, _user(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("localgoals:goal", workspace_id=workspace_id, goal_id=goal_id)


@login_required
@require_POST
def change_status(request: HttpRequest, workspace_id: int) -> HttpResponse:
    """Editors send on consultation and reopen for revision; only organisation admins record
    an adoption."""
    workspace = access_workspace(request.user, workspace_id, edit=True)
    form = StatusForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        if data["status"] == Status.ADOPTED and not may_adopt(request.user, workspace):
            raise PermissionDenied("Only an organisation admin records adoption")
        decision = actions.Decision(
            adopted_on=data["adopted_on"],
            case_number=data["case_number"],
            body=data["body"],
            deadline=data["deadline"],
        )
        try:
            actions.do_change_status(workspace, _user(request), data["status"], decision)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The status was changed."))
    else:
        messages.error(request, _("Choose a valid status and date."))
    return redirect("localgoals:workspace", workspace_id=workspace.pk)


@login_required
@require_POST
def publish(request: HttpRequest, workspace_id: int) -> HttpResponse:
    workspace = access_workspace(request.user, workspace_id, edit=True)
    try:
        actions.do_set_published(
            workspace,
            _user(request),
            request.POST.get("published") == "1",
            analysis=request.POST.get("analysis") == "1",
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("localgoals:workspace", workspace_id=workspace.pk)


def history(request: HttpRequest, workspace_id: int) -> HttpResponse:
    workspace = access_workspace(request.user, workspace_id, edit=True)
    _speak_like_the_region(request, workspace)
    changes = workspace.changes.select_related("user")[:500]
    rows = [(c, history_line(c)) for c in changes]
    versions = workspace.versions.select_related("recorded_by")
    context = {"workspace": workspace, "rows": rows, "versions": versions}
    return render(request, "localgoals/history.html", context)


EXPORTS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "md": "text/markdown; charset=utf-8",
    "vurderinger.csv": "text/csv; charset=utf-8",
    "mal.csv": "text/csv; charset=utf-8",
}


def export_file(request: HttpRequest, workspace_id: int, fmt: str) -> HttpResponse:
    workspace = access_workspace(request.user, workspace_id)
    if fmt not in EXPORTS:
        raise Http404("No such format")
    if fmt == "vurderinger.csv" and not may_view_analysis(request.user, workspace):
        raise Http404("The analysis is not published")
    member = is_member(request.user, workspace)
    data = reads.goal_set_data(workspace, get_language(), adopted_only=not member)
    content: bytes | str
    if fmt == "docx":
        content = export.to_docx(data)
    elif fmt == "md":
        content = export.to_markdown(data)
    elif fmt == "mal.csv":
        content = export.goals_csv(data)
    else:
        ratings = reads.rating_data(workspace)
        titles = {t.code: t.title_in(data.language) for t in Target.objects.all()}
        content = export.ratings_csv(analysis.summarise(ratings), ratings, titles, data.language)
    if fmt.endswith(".csv"):
        content = "\ufeff" + str(content)  # a byte-order mark so Excel reads the file as UTF-8
    response = HttpResponse(content, content_type=EXPORTS[fmt])
    filename = f"{slugify(workspace.title) or 'malsett'}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return no_store(response)  # the ratings name their raters; drafts are the members' own


def region_goal_sets(request: HttpRequest, code: str) -> HttpResponse:
    from lokalmaal.regions.models import Region

    region = Region.objects.filter(code=code).first()
    if region is None:
        raise Http404("No such region")
    use_region_language(request, region.written_standard)
    workspaces = reads.published_for_region(code)
    details = [
        reads.get_workspace(
            Workspace.objects.get(pk=w.id), request.user, get_language(), public=True
        )
        for w in workspaces
    ]
    return render(request, "localgoals/region_goal_sets.html", {"region": region, "sets": details})


# --- Consultation (høring) --------------------------------------------------------------------


def _goals_for_comment(workspace: Workspace) -> list[LocalGoal]:
    return list(workspace.goals.prefetch_related("targets", "indicators"))


@login_required
def consultation(request: HttpRequest, workspace_id: int) -> HttpResponse:
    """Editors invite people to comment, read the comments per goal and answer them."""
    workspace = access_workspace(request.user, workspace_id, edit=True)
    _speak_like_the_region(request, workspace)
    form = InviteCommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        url = request.build_absolute_uri(reverse("localgoals:comment", args=["TOKEN"]))
        try:
            actions.do_invite_to_consultation(
                workspace,
                _user(request),
                form.cleaned_data["email"],
                form.cleaned_data["name"],
                url,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("An invitation was sent to %(email)s.") % form.cleaned_data)
            return redirect("localgoals:consultation", workspace_id=workspace.pk)
    context = {
        "workspace": workspace,
        "form": form,
        "open": actions.consultation_open(workspace),
        "invites": workspace.consultation_invites.all(),
        "comments": workspace.consultation_comments.select_related("answered_by"),
        "goals": _goals_for_comment(workspace),
    }
    return render(request, "localgoals/consultation.html", context)


@login_required
@require_POST
def answer_comment(request: HttpRequest, workspace_id: int, comment_id: int) -> HttpResponse:
    workspace = access_workspace(request.user, workspace_id, edit=True)
    comment = ConsultationComment.objects.filter(workspace=workspace, pk=comment_id).first()
    if comment is None:
        raise Http404("No such comment")
    answer = (request.POST.get("answer") or "").strip()
    if answer:
        actions.do_answer_comment(comment, _user(request), answer)
        messages.success(request, _("The answer was saved."))
    else:
        messages.error(request, _("Write an answer."))
    return redirect(f"{reverse('localgoals:consultation', args=[workspace.pk])}#c-{comment.pk}")


def comment(request: HttpRequest, token: str) -> HttpResponse:
    """The page an invited person opens from the e-mail: the goals, and a comment box per goal.
    The token is the permission; it works only while the consultation is open."""
    invite = (
        ConsultationInvite.objects.select_related("workspace__organisation__region")
        .filter(token=token)
        .first()
    )
    if invite is None:
        raise Http404("No such invitation")
    workspace = invite.workspace
    _speak_like_the_region(request, workspace)
    form = CommentForm(request.POST or None, initial={"name": invite.name})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            goal_id = form.cleaned_data["goal"]
            goal = workspace.goals.filter(pk=goal_id).first() if goal_id else None
            user = request.user if isinstance(request.user, User) else None
            try:
                actions.do_comment(
                    workspace, goal, form.cleaned_data["text"], form.cleaned_data["name"],
                    user=user, invite=invite,
                )  # fmt: skip
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Thank you. Your comment was sent."))
                return redirect("localgoals:comment", token=token)
        status = 400
    context = {
        "workspace": workspace,
        "invite": invite,
        "form": form,
        "open": actions.consultation_open(workspace),
        "goals": _goals_for_comment(workspace),
        "mine": workspace.consultation_comments.filter(invite=invite),
    }
    return render(request, "localgoals/comment.html", context, status=status)


# --- Follow-up: measures and the yearly view ----------------------------------------------------


def _measure_input(form: MeasureForm) -> actions.MeasureInput:
    data = form.cleaned_data
    return actions.MeasureInput(
        title=data["title"],
        owner=data["owner"],
        deadline=data["deadline"],
        status=data["status"],
        kostra_functions=data["kostra_functions"],
        plan_link=data["plan_link"],
    )


@login_required
@require_POST
def measure_add(request: HttpRequest, workspace_id: int, goal_id: int) -> HttpResponse:
    goal = _access_goal(request, workspace_id, goal_id)
    form = MeasureForm(request.POST)
    if form.is_valid():
        actions.do_add_measure(goal, _user(request), _measure_input(form))
        messages.success(request, _("The measure was added."))
    else:
        errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
        messages.error(request, " ".join(errors))
    return redirect(f"{reverse('localgoals:followup', args=[workspace_id])}#g-{goal_id}")


@login_required
@require_POST
def measure_edit(request: HttpRequest, workspace_id: int, measure_id: int) -> HttpResponse:
    workspace = access_workspace(request.user, workspace_id, edit=True)
    measure = Measure.objects.filter(goal__workspace=workspace, pk=measure_id).first()
    if measure is None:
        raise Http404("No such measure")
    if request.POST.get("delete") == "1":
        actions.do_delete_measure(measure, _user(request))
        messages.success(request, _("The measure was removed."))
    else:
        form = MeasureForm(request.POST)
        if form.is_valid():
            actions.do_update_measure(measure, _user(request), _measure_input(form))
            messages.success(request, _("The measure was saved."))
        else:
            errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
            messages.error(request, " ".join(errors))
    return redirect(f"{reverse('localgoals:followup', args=[workspace_id])}#g-{measure.goal_id}")


def followup(request: HttpRequest, workspace_id: int) -> HttpResponse:
    """The yearly follow-up: for members the working goals with their measures (editable), for
    everyone else the adopted, published version."""
    workspace = access_workspace(request.user, workspace_id)
    _speak_like_the_region(request, workspace)
    member = is_member(request.user, workspace)
    data = followup_reads.workspace_follow_up(workspace.pk, get_language(), adopted_only=not member)
    if data is None:
        raise Http404("Nothing adopted yet")
    context = {
        "workspace": workspace,
        "data": data,
        "tree": _goal_tree(data.goals),
        "may_edit": may_edit(request.user, workspace),
        "measure_form": MeasureForm(),
        "measure_statuses": MeasureStatus.choices,
        "this_year": timezone.localdate().year,
    }
    return render(request, "localgoals/followup.html", context)


def _goal_tree(goals: list[Any]) -> list[tuple[Any, list[Any]]]:
    roots = [g for g in goals if g.parent_id is None]
    return [(root, [g for g in goals if g.parent_id == root.id]) for root in roots]


def followup_export(request: HttpRequest, workspace_id: int, fmt: str) -> HttpResponse:
    workspace = access_workspace(request.user, workspace_id)
    member = is_member(request.user, workspace)
    data = followup_reads.workspace_follow_up(workspace.pk, get_language(), adopted_only=not member)
    if data is None or fmt not in ("csv", "docx"):
        raise Http404("No such export")
    if fmt == "csv":
        response = HttpResponse(
            "\ufeff" + followup_export_module.to_csv(data), content_type=EXPORTS["mal.csv"]
        )
    else:
        response = HttpResponse(followup_export_module.to_docx(data), content_type=EXPORTS["docx"])
    year = timezone.localdate().year
    filename = f"{slugify(workspace.title) or 'malsett'}-oppfolging-{year}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
