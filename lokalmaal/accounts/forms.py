from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lokalmaal.accounts.models import Organisation, OrganisationKind, Role, User
from lokalmaal.regions.models import Region


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.READER)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class OrganisationForm(forms.Form):
    region = forms.ModelChoiceField(
        label=_("Municipality or county"),
        queryset=Region.objects.filter(
            kind__in=["municipality", "county"], organisation=None
        ).order_by("kind", "name_no"),
        required=False,
        help_text=_("Leave empty for KS or another organisation, and give its name below."),
    )
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[(OrganisationKind.KS, _("KS")), (OrganisationKind.OTHER, _("Other organisation"))],
        required=False,
    )
    first_admin = forms.EmailField(
        label=_("E-mail of its first admin"),
        required=False,
        help_text=_("They get an invitation to run the organisation on Lokalmål."),
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if not data.get("region") and not data.get("name"):
            raise forms.ValidationError(_("Choose a municipality or county, or give a name."))
        return data


class DeleteAccountForm(forms.Form):
    """Deleting an account needs the password and the e-mail address typed out."""

    password = forms.CharField(
        label=_("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.CharField(
        label=_("Type your e-mail address to confirm"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = str(self.cleaned_data["password"])
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not right."))
        return password

    def clean_confirm(self) -> str:
        typed = str(self.cleaned_data["confirm"]).strip()
        if typed.lower() != self.user.email.lower():
            raise forms.ValidationError(_("Type the e-mail address you log in with, exactly."))
        return typed


class AccessRequestForm(forms.Form):
    """Ask to join an organisation, or to have one created for a municipality or county."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation on Lokalmål"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        help_text=_("Choose your municipality, county or organisation if it is listed."),
    )
    region = forms.ModelChoiceField(
        label=_("Or: a municipality or county that is not on Lokalmål yet"),
        queryset=Region.objects.filter(
            kind__in=["municipality", "county"], organisation=None
        ).order_by("kind", "name_no"),
        required=False,
        help_text=_("KS creates its organisation, with you as its first admin."),
    )
    reason = forms.CharField(
        label=_("Who are you, and what will you work on?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E.g. “Planner in Volda, working on the community part of the master plan.”"),
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if bool(data.get("organisation")) == bool(data.get("region")):
            raise forms.ValidationError(
                _("Choose one: an organisation, or a municipality or county without one.")
            )
        return data


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", "accept"), ("decline", "decline")])
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, required=False)
    note = forms.CharField(label=_("Message to the person"), max_length=1000, required=False)
