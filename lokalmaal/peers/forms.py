from django import forms
from django.utils.translation import gettext_lazy as _

from lokalmaal.indicators.models import Indicator


class IndicatorChoiceForm(forms.Form):
    """Which indicator the "most improved" list uses; the choices are the indicators with data."""

    indikator = forms.ChoiceField(label=_("Indicator"), required=False)

    def __init__(self, data: object, indicators: list[Indicator], language: str) -> None:
        super().__init__(data)  # type: ignore[arg-type]
        field = self.fields["indikator"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(i.id, i.text("name", language)) for i in indicators]
        field.error_messages["invalid_choice"] = _(
            "There is no indicator with figures called “%(value)s”. Choose one from the list."
        )
