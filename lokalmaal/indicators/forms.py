from django import forms
from django.utils.translation import gettext_lazy as _

from lokalmaal.catalogue.models import Target


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("Indicator"), max_length=200)
    what = forms.CharField(
        label=_("What it measures"), widget=forms.Textarea(attrs={"rows": 3}), max_length=3000
    )
    why = forms.CharField(
        label=_("Why it is needed"), widget=forms.Textarea(attrs={"rows": 3}), max_length=3000
    )
    target = forms.ModelChoiceField(
        label=_("SDG target"), queryset=Target.objects.order_by("goal", "position")
    )
    possible_source = forms.CharField(label=_("Possible source"), max_length=300, required=False)
