"""Lokalmål's indicator library, the values per region and year, and proposals for indicators
that are missing."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lokalmaal.catalogue.models import Target
from lokalmaal.regions.models import Region


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")
    NEUTRAL = "neutral", _("Neither higher nor lower is better")


class Indicator(models.Model):
    id = models.SlugField(primary_key=True, max_length=80)
    name_nb = models.CharField(max_length=200)
    name_nn = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    definition_nb = models.TextField()
    definition_nn = models.TextField()
    definition_en = models.TextField()
    unit_nb = models.CharField(max_length=80)
    unit_nn = models.CharField(max_length=80)
    unit_en = models.CharField(max_length=80)
    direction = models.CharField(max_length=8, choices=Direction.choices)
    targets = models.ManyToManyField(Target, related_name="lokalmaal_indicators")
    evaluation_type = models.CharField(max_length=10)
    quality_class = models.CharField(max_length=1)
    levels = models.JSONField(default=list)
    kostra = models.BooleanField(default=False)
    source_kind = models.CharField(max_length=10)  # ssb, bundle or other
    source = models.JSONField(default=dict)
    computation = models.JSONField(default=dict)
    target_2030 = models.FloatField(null=True, blank=True)
    target_citation = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering: ClassVar[list[str]] = ["position", "id"]

    def __str__(self) -> str:
        return self.id

    def text(self, field: str, language: str) -> str:
        return str(getattr(self, f"{field}_{language if language in ('nb', 'nn', 'en') else 'nb'}"))

    @property
    def ssb_table(self) -> str | None:
        return str(self.source.get("table")) if self.source_kind == "ssb" else None


class IndicatorValue(models.Model):
    """One figure for a region and year, in the 2024 division; None where the source has none.

    A multi-year average (FHI's five-year windows, SSB's two-year crime averages) is stored under
    its last year with `period_start` its first year, so it is never shown as one year."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="indicator_values")
    year = models.PositiveSmallIntegerField()
    period_start = models.PositiveSmallIntegerField(null=True, blank=True)
    value = models.FloatField(null=True, blank=True)
    status_symbol = models.CharField(max_length=3, blank=True)  # SSB's ".", "..", ":" …
    estimated = models.BooleanField(default=False)
    note = models.CharField(max_length=300, blank=True)
    # "1507 Ålesund": the value is that former municipality's, carried over whole to a successor
    # that had no figure of its own (a split); pages say so in the reader's language.
    inherited_from = models.CharField(max_length=120, blank=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["indicator", "region", "year"], name="one_value_per_region_and_year"
            )
        ]
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["region", "indicator"])]
        ordering: ClassVar[list[str]] = ["indicator", "region", "year"]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.region_id} {self.period}: {self.value}"

    @property
    def period(self) -> str:
        return period_label(self.year, self.period_start)


def period_label(year: int, start: int | None) -> str:
    """ "2012", or "2008–2012" for a multi-year average."""
    return f"{start}\u2013{year}" if start and start != year else str(year)


class Proposal(models.Model):
    """A proposal for an indicator that KOSTRA or Lokalmål lacks, for the dialogue with SSB."""

    title = models.CharField(_("indicator"), max_length=200)
    what = models.TextField(_("what it measures"), max_length=3000)
    why = models.TextField(_("why it is needed"), max_length=3000)
    target = models.ForeignKey(Target, on_delete=models.PROTECT, related_name="proposals")
    possible_source = models.CharField(_("possible source"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    supporters = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="supported_proposals", blank=True
    )

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class FrameworkConcept(models.Model):
    """An indicator in one of KS's reference vocabularies (De norske målepunktene, U4SSC, …)."""

    uri = models.CharField(max_length=400, unique=True)
    scheme_uri = models.CharField(max_length=400)
    scheme_title = models.CharField(max_length=300)
    title = models.TextField()
    language = models.CharField(max_length=5, blank=True)
    targets = models.JSONField(default=list)  # target codes, e.g. ["11.6"]
    coverage = models.CharField(max_length=20, blank=True)
    evaluation = models.CharField(max_length=20, blank=True)
    source_url = models.CharField(max_length=500, blank=True)
    linked_indicators = models.ManyToManyField(Indicator, related_name="concepts", blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["scheme_title", "title"]

    def __str__(self) -> str:
        return self.title[:80]


class DataVersion(models.Model):
    """Bumped whenever indicator values change, so cached computations know they are stale."""

    number = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"data version {self.number}"

    @classmethod
    def current(cls) -> int:
        row = cls.objects.filter(pk=1).values_list("number", flat=True).first()
        return int(row or 0)

    @classmethod
    def bump(cls) -> None:
        updated = cls.objects.filter(pk=1).update(number=models.F("number") + 1)
        if not updated:
            cls.objects.create(pk=1, number=1)
