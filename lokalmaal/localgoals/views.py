"""Workspace pages. Every view that changes data fetches the workspace with edit=True first."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lokalmaal.accounts.models import User
from lokalmaal.accounts.permissions import Action, access_organisation, may, require
from lokalmaal.catalogue.models import Goal, Target
from lokalmaal.localgoals import actions, analysis, export, reads
from lokalmaal.localgoals.access import access_workspace
from lokalmaal.localgoals.forms import (
    GoalForm,
    IndicatorForm,
    StatusForm,
    WorkspaceForm,
    parse_ratings,
)
from lokalmaal.localgoals.models import TRANSITIONS, GoalIndicator, LocalGoal, Workspace
from lokalmaal.web.language import use_region_language
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
    _speak_like_the_region(request, workspace)
    detail = reads.get_workspace(workspace, request.user, get_language())
    status_choices = [
        (value, label)
        for value, label in StatusForm.base_fields["status"].choices  # type: ignore[attr-defined]
        if value in TRANSITIONS[workspace.status]
    ]
    context = {"workspace": detail, "status_choices": status_choices}
    return render(request, "localgoals/workspace_detail.html", context)


@login_required
def rate(request: HttpRequest, workspace_id: int) -> HttpResponse:
    workspace = access_workspace(request.user, workspace_id, edit=True)
    show_all = request.GET.get("alle") == "1"
    goal = goal_param(request)
    targets = reads.candidate_targets(workspace, show_all, goal)
    errors: list[str] = []
    if request.method == "POST":
        inputs, errors = parse_ratings(request.POST, targets)
        if not errors:
            try:
                saved = actions.do_save_ratings(workspace, _user(request), inputs)
            except ValidationError as error:
                errors = error.messages
            else:
                messages.success(request, _("%(count)s ratings saved.") % {"count": saved})
                return redirect(request.get_full_path())
    language = get_language()
    mine = reads.my_ratings(workspace, request.user)
    hints = _indicator_hints(workspace, language)
    rows = [
        {
            "target": t,
            "title": t.title_in(language),
            "rating": mine.get(t.code),
            "posted": request.POST if errors else None,
            "hints": hints.get(t.code, []),
        }
        for t in targets
    ]
    context = {
        "workspace": workspace,
        "rows": rows,
        "errors": errors,
        "show_all": show_all,
        "goals": Goal.objects.all(),
        "goal": goal,
        "scale": range(1, 6),
    }
    return render(request, "localgoals/rate.html", context, status=400 if errors else 200)


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
    _speak_like_the_region(request, workspace)
    detail = reads.get_workspace(workspace, request.user, get_language())
    summaries = analysis.summarise(reads.rating_data(workspace))
    context = {
        "workspace": detail,
        "matrix": analysis.matrix(summaries) if summaries else None,
    }
    return render(request, "localgoals/results.html", context)


@login_required
@require_POST
def set_priority(request: HttpRequest, workspace_id: int, code: str) -> HttpResponse:
    workspace = access_workspace(request.user, workspace_id, edit=True)
    target = Target.objects.filter(code=code).first()
    if target is None:
        raise Http404("No such target")
    actions.do_set_priority(
        workspace, _user(request), target, request.POST.get("prioritised") == "1"
    )
    return redirect(request.POST.get("next") or f"/arbeidsrom/{workspace.pk}/resultat/#t-{code}")


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


@login_required
def goals(request: HttpRequest, workspace_id: int) -> HttpResponse:
    workspace = access_workspace(request.user, workspace_id, edit=True)
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
    context = {"workspace": detail, "form": form}
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
    initial = {
        "kind": goal.kind,
        "parent": goal.parent_id,
        "title": goal.title,
        "description": goal.description,
        "strategies": goal.strategies,
        "responsible_unit": goal.responsible_unit,
        "version": goal.version,
        "targets": ", ".join(t.code for t in goal.targets.order_by("goal", "position")),
    }
    form = GoalForm(request.POST or None, initial=initial, workspace_id=workspace_id)
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
    context = {
        "workspace": goal.workspace,
        "goal": goal,
        "form": form,
        "conflict": conflict,
        "conflict_targets": ", ".join(t.code for t in conflict.targets.all()) if conflict else "",
        "indicator_form": IndicatorForm(language=get_language()),
        "indicators": goal.indicators.all(),
    }
    status = 409 if conflict else 400 if form.errors else 200
    return render(request, "localgoals/goal_edit.html", context, status=status)


@login_required
@require_POST
def goal_delete(request: HttpRequest, workspace_id: int, goal_id: int) -> HttpResponse:
    goal = _access_goal(request, workspace_id, goal_id)
    actions.do_delete_goal(goal, _user(request))
    messages.success(request, _("The goal was deleted."))
    return redirect("localgoals:goals", workspace_id=workspace_id)


@login_required
@require_POST
def indicator_add(request: HttpRequest, workspace_id: int, goal_id: int) -> HttpResponse:
    goal = _access_goal(request, workspace_id, goal_id)
    form = IndicatorForm(request.POST, language=get_language())
    if form.is_valid():
        data = _from_library(dict(form.cleaned_data), goal.workspace, get_language())
        actions.do_add_indicator(goal, _user(request), actions.IndicatorInput(**data))
        messages.success(request, _("The indicator was added."))
    else:
        errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
        messages.error(request, " ".join(errors))
    return redirect("localgoals:goal", workspace_id=workspace_id, goal_id=goal_id)


def _from_library(data: dict[str, Any], workspace: Workspace, language: str) -> dict[str, Any]:
    """Fill what the editor left empty from the library indicator and the municipality's latest
    figure (as baseline)."""
    from lokalmaal.indicators.models import Indicator
    from lokalmaal.indicators.reads import region_series

    indicator = Indicator.objects.filter(id=data.get("library_id") or "").first()
    if indicator is None:
        data["library_id"] = ""
        return data
    data["name"] = data.get("name") or indicator.text("name", language)
    data["unit"] = data.get("unit") or indicator.text("unit", language)
    data["direction"] = data.get("direction") or indicator.direction
    region = workspace.organisation.region
    if data.get("baseline_value") is None and region is not None:
        series = region_series(indicator.id, region.code)
        if series:
            year = max(series)
            data["baseline_value"], data["baseline_year"] = series[year], year
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
    actions.do_delete_indicator(indicator, _user(request))
    return redirect("localgoals:goal", workspace_id=workspace_id, goal_id=goal_id)


@login_required
@require_POST
def change_status(request: HttpRequest, workspace_id: int) -> HttpResponse:
    workspace = access_workspace(request.user, workspace_id, edit=True)
    form = StatusForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.do_change_status(
                workspace, _user(request), data["status"], data["adopted_on"], data["case_number"]
            )
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
        actions.do_set_published(workspace, _user(request), request.POST.get("published") == "1")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("localgoals:workspace", workspace_id=workspace.pk)


def history(request: HttpRequest, workspace_id: int) -> HttpResponse:
    workspace = access_workspace(request.user, workspace_id, edit=True)
    changes = workspace.changes.select_related("user")[:500]
    return render(request, "localgoals/history.html", {"workspace": workspace, "changes": changes})


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
    data = reads.goal_set_data(workspace, get_language())
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
    return response


def region_goal_sets(request: HttpRequest, code: str) -> HttpResponse:
    from lokalmaal.regions.models import Region

    region = Region.objects.filter(code=code).first()
    if region is None:
        raise Http404("No such region")
    use_region_language(request, region.written_standard)
    workspaces = reads.published_for_region(code)
    details = [
        reads.get_workspace(Workspace.objects.get(pk=w.id), request.user, get_language())
        for w in workspaces
    ]
    return render(request, "localgoals/region_goal_sets.html", {"region": region, "sets": details})
