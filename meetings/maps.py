"""The maps our server draws from our own data (no tiles, no request leaving the site):
one of a search's venues (/meetings/map/) and one of a meeting's venue (its page).

Coordinates become points here (meetings.mapping); the SVG markup is in
templates/printmap/_map.html.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .mapping import Frame, Label, frame_around, scale_bar, town_labels
from .models import Meeting, Place
from .models.venues import Venue

# The SVG's own units; CSS scales it to the width of the page.
SEARCH_SIZE = (640, 480)
VENUE_SIZE = (480, 300)
# Town names to consider, biggest first: more than fit, so the overlap check has a choice.
TOWNS_CONSIDERED = 60


@dataclass
class Stop:
    """A venue on a map of a search: its number, shared by its marker and its entry in the
    plain list, and the meetings held there."""

    number: int
    venue: Venue
    meetings: list[Meeting]
    x: float = 0
    y: float = 0

    @property
    def anchor(self) -> str:
        return f"venue-{self.venue.pk}"

    @property
    def href(self) -> str:
        # One meeting: straight to its page. Several: to the venue in the list below.
        return self.meetings[0].get_absolute_url() if len(self.meetings) == 1 \
            else f"#{self.anchor}"

    @property
    def label(self) -> str:
        """The marker's accessible name: what it is and where the link goes."""
        if len(self.meetings) == 1:
            meeting = self.meetings[0]
            return _("%(number)s: %(meeting)s, %(schedule)s, at %(venue)s") % {
                "number": self.number, "meeting": meeting.name,
                "schedule": meeting.schedule_text, "venue": self.venue.name,
            }
        return ngettext(
            "%(number)s: %(venue)s, %(count)s meeting, listed below",
            "%(number)s: %(venue)s, %(count)s meetings, listed below",
            len(self.meetings),
        ) % {"number": self.number, "venue": self.venue.name, "count": len(self.meetings)}


@dataclass
class Drawing:
    frame: Frame
    stops: list[Stop] = field(default_factory=list)
    towns: list[Label] = field(default_factory=list)
    scale: tuple[float, str] = (0, "")
    place: tuple[float, float, str] | None = None  # the searched place: x, y, label
    radius: float | None = None  # the search's radius in map units, around `place`

    @property
    def width(self) -> int:
        return self.frame.width

    @property
    def height(self) -> int:
        return self.frame.height

    @property
    def scale_y(self) -> int:
        """Where the scale bar's line is drawn, near the bottom left corner."""
        return self.frame.height - 14


def stops_of(meetings: list[Meeting]) -> list[Stop]:
    """The venues of these meetings with coordinates, numbered in the meetings' order."""
    stops: dict[int, Stop] = {}
    for meeting in meetings:
        venue = meeting.venue
        if venue is None or not venue.has_coordinates:
            continue
        if venue.pk not in stops:
            stops[venue.pk] = Stop(len(stops) + 1, venue, [])
        stops[venue.pk].meetings.append(meeting)
    return list(stops.values())


def nearby_towns(frame: Frame) -> list[tuple[str, float, float]]:
    south, north, west, east = frame.bounds()
    return list(
        Place.objects.filter(latitude__range=(south, north), longitude__range=(west, east))
        .order_by("-population", "name")
        .values_list("name", "latitude", "longitude")[:TOWNS_CONSIDERED]
    )


def draw(frame: Frame, stops: list[Stop], place=None, radius_miles=None,
         named: bool = False) -> Drawing:
    """`named`: the venue's name is written under its marker (the meeting page's map)."""
    drawing = Drawing(frame=frame, stops=stops, scale=scale_bar(frame))
    for stop in stops:
        stop.x, stop.y = frame.point(stop.venue.latitude, stop.venue.longitude)
    taken = [(stop.x, stop.y) for stop in stops]
    if named:
        # Keep town names off the venue's own: a row of points where it is written.
        taken += [(stop.x + dx, stop.y + 24) for stop in stops for dx in (-60, -30, 0, 30, 60)]
    if place is not None:
        x, y = frame.point(place.latitude, place.longitude)
        drawing.place = (x, y, place.label)
        taken.append((x, y))
        if radius_miles:
            drawing.radius = frame.units(radius_miles)
    drawing.towns = town_labels(frame, nearby_towns(frame), taken)
    return drawing


def search_drawing(stops: list[Stop], place=None, radius_miles=None) -> Drawing | None:
    """The map of a search's venues and the place searched from (None with neither)."""
    points = [(s.venue.latitude, s.venue.longitude) for s in stops]
    if place is not None:
        points.append((place.latitude, place.longitude))
    if not points:
        return None
    # At least four miles across, so a few towns give the markers their bearings.
    frame = frame_around(points, *SEARCH_SIZE, min_half_miles=2)
    return draw(frame, stops, place, radius_miles)


def venue_drawing(venue: Venue | None) -> Drawing | None:
    """A small map of one venue among the nearest towns, for the meeting's page."""
    if venue is None or not venue.has_coordinates:
        return None
    frame = frame_around([(venue.latitude, venue.longitude)], *VENUE_SIZE,
                         min_half_miles=2.5)
    stop = Stop(1, venue, [])
    return draw(frame, [stop], named=True)
