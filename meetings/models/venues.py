from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from meetings.postcodes import normalise_postcode_or_error
from staff.scopes import VenueScope

# Public ?feature= values that are facts about the venue rather than the meeting.
VENUE_FEATURES = {
    "wheelchair": ("step_free", _("Step-free / wheelchair access")),
    "hearing-loop": ("hearing_loop", _("Hearing loop")),
    "accessible-toilet": ("accessible_toilet", _("Accessible toilet")),
    "parking": ("parking", _("Parking")),
}


class Venue(models.Model):
    name = models.CharField(_("name"), max_length=160, help_text=_("e.g. St Mary's Church Hall"))
    address_line1 = models.CharField(_("address line 1"), max_length=160, blank=True)
    address_line2 = models.CharField(_("address line 2"), max_length=160, blank=True)
    town = models.CharField(_("town"), max_length=100)
    postcode = models.CharField(
        _("postcode"), max_length=8, blank=True, validators=[normalise_postcode_or_error],
        help_text=_("Stored in capitals with one space, e.g. LS6 1AA."),
    )
    latitude = models.FloatField(
        _("latitude"), null=True, blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.FloatField(
        _("longitude"), null=True, blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    coordinates_set_by_hand = models.BooleanField(
        _("coordinates set by hand"), default=False,
        help_text=_("Tick to keep these coordinates when the postcode changes."),
    )
    step_free = models.BooleanField(_("step-free / wheelchair access"), default=False)
    hearing_loop = models.BooleanField(_("hearing loop"), default=False)
    accessible_toilet = models.BooleanField(_("accessible toilet"), default=False)
    parking = models.BooleanField(_("parking"), default=False)
    directions = models.TextField(
        _("how to find the room"), blank=True,
        help_text=_("Which door, which floor, where to wait. Newcomers read this first."),
    )
    source = models.CharField(_("source"), max_length=100, blank=True)
    source_id = models.CharField(_("source id"), max_length=200, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = VenueScope.as_manager()
    history = HistoricalRecords(excluded_fields=["updated"])

    class Meta:
        ordering = ["town", "name"]
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        indexes = [
            # Serves the bounding-box prefilter of distance searches.
            models.Index(fields=["latitude", "longitude"], name="venue_lat_lon_idx"),
            models.Index(fields=["postcode"], name="venue_postcode_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(latitude__isnull=False, longitude__isnull=False),
                name="venue_coordinates_both_or_neither",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.town}"

    def get_absolute_url(self) -> str:
        return reverse("admin:meetings_venue_change", args=[self.pk])

    def clean(self):
        if self.postcode:
            self.postcode = normalise_postcode_or_error(self.postcode)

    @property
    def address(self) -> str:
        parts = [self.address_line1, self.address_line2, self.town, self.postcode]
        return ", ".join(part for part in parts if part)

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    def openstreetmap_url(self) -> str:
        if not self.has_coordinates:
            return ""
        lat, lon = round(self.latitude, 5), round(self.longitude, 5)
        return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}"

    def directions_url(self) -> str:
        """OpenStreetMap's route planner with the venue as the destination; the visitor
        gives their own starting point there, not to us."""
        if not self.has_coordinates:
            return ""
        lat, lon = round(self.latitude, 5), round(self.longitude, 5)
        return f"https://www.openstreetmap.org/directions?to={lat}%2C{lon}"

    def feature_slugs(self) -> list[str]:
        return [slug for slug, (field, _label) in VENUE_FEATURES.items() if getattr(self, field)]
