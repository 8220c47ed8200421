from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from lokalmaal.discussion.models import DigestPeriod

MARKDOWN_HELP = _("You can use Markdown: *italics*, **bold**, lists and links.")


class QuestionForm(forms.Form):
    title = forms.CharField(
        label=_("Your question"),
        max_length=200,
        help_text=_("One sentence, e.g. How did you involve young people?"),
    )
    body = forms.CharField(
        label=_("Details (optional)"),
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=MARKDOWN_HELP,
    )


class AnswerForm(forms.Form):
    body = forms.CharField(
        label=_("Your answer"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=MARKDOWN_HELP,
    )


class HideForm(forms.Form):
    reason = forms.CharField(label=_("Reason (for the moderation log)"), max_length=1000)


class SettingsForm(forms.Form):
    digest = forms.ChoiceField(
        label=_("E-mail about your notifications"),
        choices=DigestPeriod.choices,
        widget=forms.RadioSelect,
    )
    language = forms.ChoiceField(label=_("Language of the e-mails"), choices=settings.LANGUAGES)


def with_described_fields[F: forms.Form](form: F) -> F:
    """Link each field to its help text, so screen readers read it with the field."""
    for name, field in form.fields.items():
        if field.help_text:
            field.widget.attrs["aria-describedby"] = f"{form[name].auto_id}_helptext"
        field.widget.attrs.setdefault("class", "ds-input")
    return form
