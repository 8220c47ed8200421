from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import EventKind
from .reads import EventFilter


def _input(kind: str = "text") -> forms.Widget:
    return (
        forms.DateInput(attrs={"class": "ds-input", "type": "date"})
        if kind == "date"
        else (forms.TextInput(attrs={"class": "ds-input"}))
    )


class EventFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of event"),
        choices=[("", _("All kinds")), *EventKind.choices],
        required=False,
        widget=forms.Select(attrs={"class": "ds-input"}),
    )
    person = forms.CharField(
        label=_("Person (part of an e-mail address)"), max_length=254, required=False,
        widget=_input(),
    )  # fmt: skip
    ip = forms.CharField(
        label=_("Address (IP, or its start)"), max_length=45, required=False, widget=_input()
    )
    since = forms.DateField(label=_("From date"), required=False, widget=_input("date"))
    until = forms.DateField(label=_("To date"), required=False, widget=_input("date"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise forms.ValidationError(_("The from date must come before the to date."))
        return data

    def chosen(self) -> EventFilter:
        data = self.cleaned_data
        return EventFilter(
            kind=EventKind(data["kind"]) if data.get("kind") else None,
            person=data.get("person", "").strip(),
            ip=data.get("ip", "").strip(),
            since=data.get("since"),
            until=data.get("until"),
        )
