import re
from collections.abc import Collection, Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lokalmaal.catalogue.models import Target
from lokalmaal.localgoals.actions import RatingInput
from lokalmaal.localgoals.models import (
    Direction,
    GoalKind,
    LocalGoal,
    MeasureStatus,
    PlanType,
    Status,
)


class WorkspaceForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=200, help_text=_("E.g. Kommuneplanens samfunnsdel 2025–2037")
    )
    plan_type = forms.ChoiceField(label=_("Plan"), choices=PlanType.choices)
    period_start = forms.IntegerField(
        label=_("From year"), min_value=2000, max_value=2100, required=False
    )
    period_end = forms.IntegerField(
        label=_("To year"), min_value=2000, max_value=2100, required=False
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if isinstance(start, int) and isinstance(end, int) and end < start:
            raise forms.ValidationError(_("The plan period ends before it starts."))
        return data


TARGET_CODE = re.compile(r"\d{1,2}\.(?:\d{1,2}|[a-z])")


class TargetCodesField(forms.CharField):
    """SDG targets typed as codes, e.g. "11.6, 3.4": quicker and more accessible than 169 boxes."""

    def clean(self, value: str | None) -> list[Target]:  # returns Targets, not text
        text = super().clean(value) or ""
        codes = TARGET_CODE.findall(text)
        leftover = TARGET_CODE.sub("", text).replace(",", " ").split()
        if leftover:
            raise forms.ValidationError(
                _("Not a target number: %(words)s. Write e.g. 11.6, 3.4")
                % {"words": ", ".join(leftover)}
            )
        targets = list(Target.objects.filter(code__in=codes))
        unknown = sorted(set(codes) - {t.code for t in targets})
        if unknown:
            raise forms.ValidationError(
                _("No such target: %(codes)s") % {"codes": ", ".join(unknown)}
            )
        return targets


class TargetPickField(TargetCodesField):
    """Targets picked from the grouped checkbox list (name="targets", one code each); typed
    codes ("11.6, 3.4") are still understood, so nothing breaks without the list."""

    widget = forms.SelectMultiple

    def clean(self, value: object) -> list[Target]:
        text = ", ".join(str(v) for v in value) if isinstance(value, list | tuple) else value
        return super().clean(str(text or ""))


class GoalForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of goal"), choices=GoalKind.choices)
    parent = forms.ModelChoiceField(
        label=_("Community goal it belongs to (for sub-goals)"),
        queryset=LocalGoal.objects.none(),
        required=False,
    )
    title = forms.CharField(label=_("Goal"), max_length=300)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )
    targets = TargetPickField(
        label=_("SDG targets"),
        required=False,
        help_text=_("Tick the targets the goal works towards; your priority targets come first."),
    )
    strategies = forms.CharField(
        label=_("Strategies"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )
    responsible_unit = forms.CharField(label=_("Responsible unit"), max_length=200, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args: object, workspace_id: int, goal_id: int | None = None, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        parent = self.fields["parent"]
        assert isinstance(parent, forms.ModelChoiceField)
        goals = LocalGoal.objects.filter(workspace_id=workspace_id, kind=GoalKind.COMMUNITY)
        if goal_id is not None:
            goals = goals.exclude(pk=goal_id)  # a goal is never its own parent
        parent.queryset = goals


class IndicatorForm(forms.Form):
    library_id = forms.ChoiceField(
        label=_("From Lokalmål's indicator library"),
        required=False,
        help_text=_(
            "Choose one to fill in name, unit, direction and the latest figure as baseline."
        ),
    )
    name = forms.CharField(label=_("Indicator"), max_length=300, required=False)
    unit = forms.CharField(
        required=False,
        label=_("Unit"),
        max_length=60,
        help_text=_("E.g. percent, tonnes CO₂e, number per 1,000 inhabitants"),
    )
    direction = forms.ChoiceField(
        label=_("Direction"),
        choices=[("", _("As in the library")), *list(Direction.choices)],
        required=False,
        help_text=_("A library indicator always keeps the library's direction."),
    )
    baseline_value = forms.FloatField(label=_("Baseline value"), required=False)
    baseline_year = forms.IntegerField(
        label=_("Baseline year"), min_value=1990, max_value=2100, required=False
    )
    target_value = forms.FloatField(label=_("Target value"), required=False)
    target_year = forms.IntegerField(
        label=_("Target year"), min_value=1990, max_value=2100, required=False
    )

    def __init__(
        self,
        *args: object,
        language: str = "nb",
        targets: Collection[str] = (),
        region_code: str | None = None,
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["library_id"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = library_choices(language, set(targets), region_code)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if not data.get("library_id") and not (
            data.get("name") and data.get("unit") and data.get("direction")
        ):
            raise forms.ValidationError(
                _("Choose an indicator from the library, or give its name, unit and direction.")
            )
        for value, year in (("baseline_value", "baseline_year"), ("target_value", "target_year")):
            if (data.get(value) is None) != (data.get(year) is None):
                raise forms.ValidationError(_("Give both a value and its year, or neither."))
        return data


def library_choices(
    language: str, targets: set[str], region_code: str | None
) -> list[tuple[str, Any]]:
    """The library, sorted by name, without duplicates (two sources of one measure keep the
    one with the municipality's newest figure), those measuring the goal's targets first."""
    from lokalmaal.indicators.models import Indicator, IndicatorValue

    newest: dict[str, int] = {}
    if region_code:
        rows = IndicatorValue.objects.filter(region__code=region_code).exclude(value=None)
        for indicator_id, year in rows.values_list("indicator_id", "year"):
            newest[indicator_id] = max(year, newest.get(indicator_id, 0))
    best: dict[str, tuple[int, str, str, bool]] = {}
    for indicator in Indicator.objects.prefetch_related("targets"):
        name = indicator.text("name", language)
        key = " ".join(name.casefold().split())
        measures = bool(targets & {t.code for t in indicator.targets.all()})
        candidate = (newest.get(indicator.id, 0), indicator.id, name, measures)
        if key not in best or candidate[0] > best[key][0]:
            best[key] = candidate
    rows_sorted = sorted(best.values(), key=lambda row: row[2].casefold())
    first = [(i, n) for _year, i, n, measures in rows_sorted if measures]
    rest = [(i, n) for _year, i, n, measures in rows_sorted if not measures]
    choices: list[tuple[str, Any]] = [("", "–")]
    if first:
        choices.append((str(_("Measures this goal's targets")), first))
    choices.append((str(_("Other indicators")) if first else str(_("All indicators")), rest))
    return choices


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Status.choices)
    adopted_on = forms.DateField(
        label=_("Date of the council's decision"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    case_number = forms.CharField(label=_("Case number"), max_length=50, required=False)
    body = forms.CharField(label=_("Adopted by"), max_length=120, required=False)
    deadline = forms.DateField(label=_("Consultation deadline"), required=False)


class InviteCommentForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    name = forms.CharField(label=_("Name or body"), max_length=200, required=False)


class CommentForm(forms.Form):
    goal = forms.IntegerField(required=False)
    name = forms.CharField(label=_("Your name or body"), max_length=200)
    text = forms.CharField(label=_("Comment"), max_length=5000, widget=forms.Textarea)


class MeasureForm(forms.Form):
    title = forms.CharField(label=_("Measure"), max_length=300)
    owner = forms.CharField(label=_("Owner"), max_length=200, help_text=_("Unit or person"))
    deadline = forms.DateField(
        label=_("Deadline"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    status = forms.ChoiceField(label=_("Status"), choices=MeasureStatus.choices)
    kostra_functions = forms.CharField(
        label=_("KOSTRA functions"),
        max_length=100,
        required=False,
        help_text=_("Three-digit function numbers, e.g. 202, 254"),
    )
    plan_link = forms.URLField(
        label=_("Link to the action programme or financial plan"), required=False
    )

    def clean_kostra_functions(self) -> str:
        text = self.cleaned_data.get("kostra_functions") or ""
        codes = re.findall(r"\d{3}", text)
        if re.sub(r"\d{3}", "", text).replace(",", " ").split():
            raise forms.ValidationError(
                _("Write three-digit KOSTRA function numbers, e.g. 202, 254.")
            )
        return ", ".join(dict.fromkeys(codes))


def parse_ratings(
    data: Mapping[str, str], targets: list[Target]
) -> tuple[list[RatingInput], list[str]]:
    """Read `importance-<code>`, `influence-<code>` and `comment-<code>` for each target shown.

    Returns the inputs and a list of errors (in the page's language); nothing is saved on error.
    """
    get = data.get
    inputs: list[RatingInput] = []
    errors: list[str] = []
    for target in targets:
        values: dict[str, int | None] = {}
        for scale in ("importance", "influence"):
            raw = (get(f"{scale}-{target.code}") or "").strip()
            if raw and raw not in {"1", "2", "3", "4", "5"}:
                errors.append(
                    str(_("Target %(code)s: ratings go from 1 to 5.") % {"code": target.code})
                )
            values[scale] = int(raw) if raw in {"1", "2", "3", "4", "5"} else None
        if (values["importance"] is None) != (values["influence"] is None):
            errors.append(
                str(
                    _("Target %(code)s: give both importance and influence, or neither.")
                    % {"code": target.code}
                )
            )
        comment = (get(f"comment-{target.code}") or "").strip()[:2000]
        inputs.append(RatingInput(target, values["importance"], values["influence"], comment))
    return inputs, errors
