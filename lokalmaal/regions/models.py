"""Norway, its counties and municipalities (2024 division), their code history and population."""

from typing import ClassVar

from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _


class RegionKind(models.TextChoices):
    COUNTRY = "country", _("Country")
    COUNTY = "county", _("County")
    MUNICIPALITY = "municipality", _("Municipality")


class WrittenStandard(models.TextChoices):
    """The municipality's official written standard (målform), which sets its page's language."""

    BOKMAAL = "nb", _("Bokmål")
    NYNORSK = "nn", _("Nynorsk")
    NEUTRAL = "neutral", _("Neutral")


class Region(models.Model):
    code = models.CharField(_("code"), max_length=4, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=RegionKind.choices)
    name = models.CharField(_("official name"), max_length=120)
    name_no = models.CharField(
        _("Norwegian name"), max_length=120, help_text=_("Used for sorting and search.")
    )
    other_names = models.CharField(
        _("Sami and Kven names"),
        max_length=200,
        blank=True,
        help_text=_("Official names in Sami or Kven, separated by ' - '."),
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    admin_centre = models.CharField(_("administrative centre"), max_length=120, blank=True)
    area_km2 = models.FloatField(_("area (km²)"), null=True, blank=True)
    written_standard = models.CharField(
        _("written standard"),
        max_length=8,
        choices=WrittenStandard.choices,
        default=WrittenStandard.NEUTRAL,
    )
    website = models.CharField(_("website"), max_length=200, blank=True)
    labour_market_region = models.CharField(_("labour-market region"), max_length=120, blank=True)
    kostra_group = models.CharField(
        _("KOSTRA group"), max_length=8, blank=True, help_text=_("SSB's grouping, e.g. EKG07.")
    )
    centrality = models.PositiveSmallIntegerField(
        _("centrality class"), null=True, blank=True, help_text=_("SSB: 1 most central … 6 least.")
    )

    class Meta:
        ordering: ClassVar[list[str]] = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def slug(self) -> str:
        return f"{self.code}-{slugify(self.name_no.replace('ø', 'o').replace('æ', 'ae'))}"

    def name_with_kind(self) -> str:
        if self.kind == RegionKind.COUNTY:
            return f"{self.name} fylkeskommune"
        if self.kind == RegionKind.MUNICIPALITY:
            return f"{self.name} kommune"
        return self.name


class Boundary(models.Model):
    """A region's outline from Kartverket, kept in its own table so that reading regions (a list
    of names, a page's region, a join from a value) never reads or decodes geometry. Maps are
    drawn from it once per data version (lokalmaal.web.maps)."""

    region = models.OneToOneField(
        Region, on_delete=models.CASCADE, primary_key=True, related_name="boundary"
    )
    geometry = models.JSONField(_("geometry"), help_text=_("GeoJSON geometry, WGS84."))

    def __str__(self) -> str:
        return f"boundary of {self.region_id}"


class PopulationFigure(models.Model):
    """Population on 1 January of `year`, harmonised to the region's 2024 boundaries."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="population")
    year = models.PositiveSmallIntegerField()
    value = models.PositiveIntegerField()
    estimated = models.BooleanField(
        default=False,
        help_text=_("Part of the figure was apportioned from a split municipality by weight."),
    )
    source = models.CharField(max_length=200)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["region", "year"], name="one_population_per_year")
        ]
        ordering: ClassVar[list[str]] = ["region", "year"]

    def __str__(self) -> str:
        return f"{self.region.code} {self.year}: {self.value}"


class HistoricalCode(models.Model):
    """A municipality or county code as it was valid in some years since 1994."""

    code = models.CharField(max_length=4)
    kind = models.CharField(max_length=12, choices=RegionKind.choices)
    name = models.CharField(max_length=120)
    valid_from = models.PositiveSmallIntegerField(null=True, blank=True)
    valid_to = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["kind", "code", "valid_from"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["kind", "code", "valid_from"], name="one_history_row_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name} ({self.valid_from or ''}–{self.valid_to or ''})"


class CodeSuccessor(models.Model):
    historical = models.ForeignKey(
        HistoricalCode, on_delete=models.CASCADE, related_name="successors"
    )
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="predecessors")
    weight = models.FloatField()

    class Meta:
        ordering: ClassVar[list[str]] = ["historical", "-weight"]

    def __str__(self) -> str:
        return f"{self.historical.code} → {self.region.code} ({self.weight:.3f})"
