"""Forms for the arena's pages; the API validates with its own schemas."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lokalmaal.accounts.models import Organisation
from lokalmaal.catalogue.vocabulary import PLAN_LEVEL_LABELS, SERVICE_AREA_LABELS, options
from lokalmaal.indicators.models import Indicator
from lokalmaal.localgoals.forms import TargetCodesField

from .actions import ExampleInput
from .models import SECTIONS, Language, ReportReason, Visibility

MARKDOWN_HELP = _(
    "You can use Markdown: **bold**, *italic*, lists with - and links [text](https://…)."
)


class StyledForm(forms.Form):
    """Gives text inputs Designsystemet's class; choice groups are drawn by form_fields.html."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style()

    def style(self) -> None:
        for field in self.fields.values():
            if not isinstance(field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                field.widget.attrs.setdefault("class", "ds-input")


class OrganisationChoiceField(forms.ModelMultipleChoiceField[Organisation]):
    def label_from_instance(self, obj: Organisation) -> str:
        return obj.name


class IndicatorChoiceField(forms.ModelMultipleChoiceField[Indicator]):
    def __init__(self, *args: Any, language: str = "nb", **kwargs: Any) -> None:
        self.language = language
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Indicator) -> str:
        return f"{obj.text('name', self.language)} ({obj.text('unit', self.language)})"


class ExampleForm(StyledForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Two or three sentences: what was done, and what came of it."),
    )
    organisations = OrganisationChoiceField(
        label=_("Organisations behind the example"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Among those you are an editor in."),
    )
    targets = TargetCodesField(
        label=_("SDG targets"),
        required=False,
        max_length=500,
        help_text=_("Target numbers separated by commas, e.g. 11.6, 3.4"),
    )
    service_areas = forms.MultipleChoiceField(
        label=_("Service areas"), required=False, widget=forms.CheckboxSelectMultiple
    )
    plan_levels = forms.MultipleChoiceField(
        label=_("Plan levels"), required=False, widget=forms.CheckboxSelectMultiple
    )
    language = forms.ChoiceField(label=_("Language of the example"), choices=Language.choices)
    visibility = forms.ChoiceField(
        label=_("Who may read it once published"),
        choices=Visibility.choices,
        widget=forms.RadioSelect,
    )
    indicators = IndicatorChoiceField(
        label=_("Lokalmål indicators that show the results"),
        queryset=Indicator.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (or Cmd) to choose more than one."),
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=200, required=False)
    contact_role = forms.CharField(
        label=_("Contact's role or title"), max_length=200, required=False
    )
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=40, required=False)
    contact_public = forms.BooleanField(
        label=_("Show the contact details to everyone"),
        required=False,
        help_text=_("Otherwise only logged-in members see them."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        organisations: QuerySet[Organisation],
        language: str,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._field("organisations").queryset = organisations  # type: ignore[attr-defined]
        self._field("indicators").queryset = Indicator.objects.order_by("position", "id")  # type: ignore[attr-defined]
        self._field("indicators").language = language  # type: ignore[attr-defined]
        self._field("service_areas").choices = options(SERVICE_AREA_LABELS, language)  # type: ignore[attr-defined]
        self._field("plan_levels").choices = options(PLAN_LEVEL_LABELS, language)  # type: ignore[attr-defined]
        for name, heading in SECTIONS:
            self.fields[name] = forms.CharField(
                label=str(heading),
                required=False,
                max_length=20_000,
                widget=forms.Textarea(attrs={"rows": 5}),
                help_text=MARKDOWN_HELP,
            )
        # The sections belong after the summary, in the template's order.
        order = ["title", "summary", *(name for name, _heading in SECTIONS)]
        self.order_fields(order)
        self.style()

    def _field(self, name: str) -> forms.Field:
        return self.fields[name]

    def example_input(self) -> ExampleInput:
        data = self.cleaned_data
        return ExampleInput(
            title=data["title"],
            summary=data["summary"],
            organisations=list(data["organisations"]),
            sections={name: data.get(name, "") for name, _heading in SECTIONS},
            targets=data["targets"],
            indicators=list(data["indicators"]),
            service_areas=data["service_areas"],
            plan_levels=data["plan_levels"],
            language=data["language"],
            visibility=data["visibility"],
            contact_name=data["contact_name"],
            contact_email=data["contact_email"],
            contact_phone=data["contact_phone"],
            contact_role=data["contact_role"],
            contact_public=data["contact_public"],
        )


class AttachmentForm(StyledForm):
    file = forms.FileField(
        label=_("File (PDF or image)"),
        help_text=_("PDF, PNG, JPEG, GIF or WebP; we check the content, not the name."),
    )
    description = forms.CharField(label=_("Description"), max_length=300, required=False)


class CommentForm(StyledForm):
    """A moderator's comment or reason, required when sending back, unpublishing or hiding."""

    comment = forms.CharField(
        label=_("Comment"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class OptionalCommentForm(StyledForm):
    comment = forms.CharField(
        label=_("Comment (optional)"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReportForm(StyledForm):
    kind = forms.CharField(widget=forms.HiddenInput, max_length=30)
    key = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.ChoiceField(
        label=_("What is wrong?"), choices=ReportReason.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("More about it (optional)"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
