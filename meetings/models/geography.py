"""Where postcodes and towns are: loaded by `manage.py load_postcodes`, read by
`meetings.geo.resolve_location`. Reference data, replaced wholesale on each load."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PositionalQuality(models.IntegerChoices):
    # Code-Point Open's positional quality indicator. ONSPD's 1-9 grid reference
    # indicator is stored times ten, which lines its meanings up with these.
    WITHIN_BUILDING = 10, _("Within the building of a matched address")
    WITHIN_STREET = 20, _("Within the street of a matched address")
    APPROXIMATE = 30, _("Approximate: to within 50 metres")
    POSTCODE_UNIT_MEAN = 50, _("Mean of the unit's addresses")
    IMPUTED = 60, _("Imputed from a neighbouring postcode")
    SECTOR_MEAN = 70, _("Mean of the sector")
    NO_COORDINATES = 90, _("No coordinates")


class Postcode(models.Model):
    postcode = models.CharField(
        _("postcode"), max_length=8, primary_key=True, help_text=_("Normalised, e.g. LS6 1AA.")
    )
    outward = models.CharField(_("outward code"), max_length=4)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    quality = models.PositiveSmallIntegerField(_("positional quality"), choices=PositionalQuality)

    class Meta:
        ordering = ["postcode"]
        verbose_name = _("postcode")
        verbose_name_plural = _("postcodes")
        indexes = [
            # Serves the demo generator and importers picking postcodes by district.
            models.Index(fields=["outward"], name="postcode_outward_idx"),
        ]

    def __str__(self) -> str:
        return self.postcode


class PostcodePrefix(models.Model):
    """A postcode district (LS6) or sector (LS6 1), at the centroid of its postcodes."""

    class Kind(models.TextChoices):
        DISTRICT = "district", _("District")
        SECTOR = "sector", _("Sector")

    prefix = models.CharField(_("prefix"), max_length=6, primary_key=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    postcodes = models.PositiveIntegerField(_("number of postcodes"))

    class Meta:
        ordering = ["prefix"]
        verbose_name = _("postcode district or sector")
        verbose_name_plural = _("postcode districts and sectors")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["district", "sector"]),
                name="postcodeprefix_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.prefix


class Place(models.Model):
    """A GB or Northern Ireland town from GeoNames (via fixtures/places.csv)."""

    name = models.CharField(_("name"), max_length=100)
    # meetings.postcodes.place_key(name): what visitors' typing is matched against.
    key = models.CharField(_("lookup key"), max_length=100)
    county = models.CharField(_("county"), max_length=100, blank=True)
    nation = models.CharField(_("nation"), max_length=40)
    population = models.PositiveIntegerField(_("population"), default=0)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))

    class Meta:
        ordering = ["name", "-population"]
        verbose_name = _("place")
        verbose_name_plural = _("places")
        indexes = [
            # Serves resolve_location: every place of one name, most populous first.
            models.Index(fields=["key", "-population"], name="place_key_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.nation}"


class PostcodeRelease(models.Model):
    """What the last load_postcodes run read, for the data credits the licences require."""

    source = models.CharField(_("source"), max_length=200)
    year = models.PositiveSmallIntegerField(_("release year"))
    postcodes = models.PositiveIntegerField(_("postcodes loaded"))
    loaded_at = models.DateTimeField(_("loaded at"), auto_now_add=True)

    class Meta:
        ordering = ["-loaded_at"]
        get_latest_by = "loaded_at"
        verbose_name = _("postcode release")
        verbose_name_plural = _("postcode releases")

    def __str__(self) -> str:
        return f"{self.source} ({self.year})"
