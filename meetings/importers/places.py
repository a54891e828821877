"""Where an imported meeting is: in the UK or not, the time zone of its coordinates, and
whether a feed's coordinates agree with the venue's postcode.

Time zones come from timezonefinder, which ships the time zone boundaries with the
package: no lookup leaves the machine.
"""

import datetime
import re
from zoneinfo import ZoneInfo

import timezonefinder
from django.utils.translation import gettext as _
from geopy.distance import great_circle

from .addresses import Address
from .postcodes import coordinates_for_postcodes
from .records import ImportedMeeting
from .report import ImportReport

UK_ZONE = "Europe/London"
# A postcode's position is the middle of its fifteen or so addresses: a feed's point
# more than a mile away is somewhere else (another town's map pin, a geocoder's guess).
FAR_FROM_POSTCODE_MILES = 1.0

# What follows the town in an address abroad, when there are no coordinates to go by.
_US_STATE_ZIP = re.compile(r"^[A-Z]{2}\s+\d{5}(?:-\d{4})?$")
_COUNTRIES_ABROAD = {
    "usa", "us", "u.s.a.", "united states", "united states of america", "canada",
    "ireland", "republic of ireland", "australia", "new zealand", "south africa", "india",
    "france", "germany", "spain", "portugal", "italy", "netherlands", "belgium", "poland",
    "mexico", "brazil", "argentina",
}

UK, ABROAD, UNKNOWN = "uk", "abroad", "unknown"


class Places:
    """One per import, so each point is looked up once. timezonefinder's module-level
    functions share one finder per process (safe across threads), which reads the
    boundary data once rather than on every import."""

    def __init__(self):
        self._zones: dict[tuple[float, float], str | None] = {}

    def zone_at(self, latitude: float, longitude: float) -> str | None:
        """The zone of a point on land or in its coastal waters; None out at sea."""
        point = (latitude, longitude)
        if point not in self._zones:
            self._zones[point] = timezonefinder.timezone_at_land(lng=longitude, lat=latitude)
        return self._zones[point]

    def where(self, address: Address | None, point: tuple[float, float] | None) -> str:
        """UK, ABROAD or UNKNOWN. A UK postcode or country in the address settles it;
        otherwise the coordinates do; otherwise what follows the town, if it names a
        country or a US state and zip code."""
        if address is not None and address.in_uk:
            return UK
        if point is not None:
            return UK if self.zone_at(*point) == UK_ZONE else ABROAD
        if address is not None and address.line2:
            tail = address.line2.rsplit(",", 1)[-1].strip()
            if tail.casefold() in _COUNTRIES_ABROAD or _US_STATE_ZIP.match(tail):
                return ABROAD
        return UNKNOWN


def same_clock(first: str, second: str) -> bool:
    """Zones that show the same time in winter and summer (America/Detroit and
    America/New_York), so a meeting's times read the same in either."""
    year = datetime.date.today().year
    for month in (1, 7):
        moment = datetime.datetime(year, month, 15, 12, tzinfo=datetime.UTC)
        if moment.astimezone(ZoneInfo(first)).utcoffset() != \
                moment.astimezone(ZoneInfo(second)).utcoffset():
            return False
    return True


def check_coordinates_against_postcodes(records: list[ImportedMeeting],
                                        report: ImportReport) -> None:
    """Feed coordinates far from the venue's postcode are reported, and the postcode's
    position used instead. Postcodes the table does not know leave the feed's point."""
    venues = [(r.item, r.venue) for r in records
              if r.venue is not None and r.venue.postcode and r.venue.latitude is not None]
    known = coordinates_for_postcodes({venue.postcode for _item, venue in venues})
    reported = set()
    for item, venue in venues:
        position = known.get(venue.postcode)
        if position is None:
            continue
        # The great circle is within 0.5% of the geodesic: plenty to tell a mile.
        miles = great_circle((venue.latitude, venue.longitude), position).miles
        if miles <= FAR_FROM_POSTCODE_MILES:
            continue
        if venue.key() not in reported:
            reported.add(venue.key())
            report.warn(item, "latitude, longitude", f"{venue.latitude}, {venue.longitude}",
                        _("%(miles).1f miles from the postcode %(postcode)s: the postcode's "
                          "position is used") % {"miles": miles, "postcode": venue.postcode})
        venue.latitude, venue.longitude = position
