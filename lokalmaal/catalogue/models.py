"""The UN SDG framework: 17 goals, 169 targets and the global indicators, in en, nb and nn."""

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

LANGUAGES = ("nb", "nn", "en")


class Provenance(models.TextChoices):
    UN = "un", _("UN original")
    BUNDLE = "bundle", _("Community translation (not reviewed)")
    LOKALMAAL = "lokalmaal", _("Lokalmål's own translation")


class TranslatedText(models.Model):
    """A title in three languages, each with where it came from."""

    title_en = models.TextField()
    title_nb = models.TextField()
    title_nn = models.TextField(blank=True)
    provenance_en = models.CharField(max_length=10, choices=Provenance.choices)
    provenance_nb = models.CharField(max_length=10, choices=Provenance.choices)
    provenance_nn = models.CharField(max_length=10, choices=Provenance.choices, blank=True)

    class Meta:
        abstract = True

    def title_in(self, language: str) -> str:
        return text_in(self, "title", language)[0]

    def provenance_in(self, language: str) -> tuple[str, str]:
        """(provenance, language actually shown): nn falls back to nb where nn is missing."""
        shown = text_in(self, "title", language)[1]
        return getattr(self, f"provenance_{shown}"), shown


def text_in(obj: object, field: str, language: str) -> tuple[str, str]:
    """The text of `field` in `language`, falling back nn → nb → en; returns (text, language)."""
    order = {"nn": ("nn", "nb", "en"), "nb": ("nb", "en"), "en": ("en",)}.get(language, ("nb",))
    for candidate in order:
        text = getattr(obj, f"{field}_{candidate}", "")
        if text:
            return text, candidate
    return "", language


class Goal(TranslatedText):
    number = models.PositiveSmallIntegerField(primary_key=True)
    short_en = models.CharField(max_length=100)
    short_nb = models.CharField(max_length=100)
    short_nn = models.CharField(max_length=100)

    class Meta:
        ordering: ClassVar[list[str]] = ["number"]

    def __str__(self) -> str:
        return f"{self.number} {self.short_en}"

    def short_in(self, language: str) -> str:
        return text_in(self, "short", language)[0]


class Target(TranslatedText):
    code = models.CharField(max_length=6, unique=True, help_text=_("UN numbering, e.g. 11.6"))
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="targets")
    position = models.PositiveSmallIntegerField(help_text=_("Order within the goal"))

    class Meta:
        ordering: ClassVar[list[str]] = ["goal", "position"]

    def __str__(self) -> str:
        return self.code


class Indicator(TranslatedText):
    code = models.CharField(max_length=10, unique=True, help_text=_("UN numbering, e.g. 11.6.1"))
    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="indicators")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering: ClassVar[list[str]] = ["target", "position"]

    def __str__(self) -> str:
        return self.code


class Relevance(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")
    NOT_LOCAL = "not_local", _("Not local")


class LocalMeaning(models.Model):
    """What a target means for a Norwegian municipality and county (Lokalmål's own content)."""

    target = models.OneToOneField(Target, on_delete=models.CASCADE, related_name="local")
    relevance_municipality = models.CharField(max_length=10, choices=Relevance.choices)
    relevance_county = models.CharField(max_length=10, choices=Relevance.choices)
    reason_nb = models.TextField()
    reason_nn = models.TextField()
    roles = models.JSONField(default=list)
    service_areas = models.JSONField(default=list)
    plan_levels = models.JSONField(default=list)
    meaning_nb = models.TextField()
    meaning_nn = models.TextField()
    measures_nb = models.JSONField(default=list)
    measures_nn = models.JSONField(default=list)
    legal_basis = models.JSONField(default=list)

    def __str__(self) -> str:
        return f"Local meaning of {self.target}"
