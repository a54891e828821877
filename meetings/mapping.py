"""Maps drawn by our own server: coordinates to points on an SVG, a scale bar, and which
town names fit. Plain functions; the templates draw the markup (templates/printmap/).

An equirectangular projection scaled by the cosine of the middle latitude: at the scale of
a town or a county its error is far below a marker's width, and it needs no library.
"""

import math
from dataclasses import dataclass

from .models.expressions import MILES_PER_DEGREE_LATITUDE
from .wording import miles_text

# Scale bar lengths on offer, in miles.
NICE_MILES = [0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10, 20, 25, 50, 100, 200]


@dataclass(frozen=True)
class Frame:
    """A map of `width` by `height` units centred on (latitude, longitude)."""

    latitude: float
    longitude: float
    miles_per_unit: float
    width: int
    height: int

    @property
    def cos_lat(self) -> float:
        return max(math.cos(math.radians(self.latitude)), 0.01)

    def point(self, latitude: float, longitude: float) -> tuple[float, float]:
        """Where a coordinate falls on the map (y grows downwards, as in SVG)."""
        east = (longitude - self.longitude) * self.cos_lat * MILES_PER_DEGREE_LATITUDE
        north = (latitude - self.latitude) * MILES_PER_DEGREE_LATITUDE
        return (round(self.width / 2 + east / self.miles_per_unit, 1),
                round(self.height / 2 - north / self.miles_per_unit, 1))

    def contains(self, x: float, y: float, margin: float = 0) -> bool:
        return margin <= x <= self.width - margin and margin <= y <= self.height - margin

    def bounds(self) -> tuple[float, float, float, float]:
        """(south, north, west, east) in degrees: what a bounding-box query needs."""
        half_lat = self.height / 2 * self.miles_per_unit / MILES_PER_DEGREE_LATITUDE
        half_lon = self.width / 2 * self.miles_per_unit / (MILES_PER_DEGREE_LATITUDE
                                                            * self.cos_lat)
        return (self.latitude - half_lat, self.latitude + half_lat,
                self.longitude - half_lon, self.longitude + half_lon)

    def units(self, miles: float) -> float:
        return round(miles / self.miles_per_unit, 1)


def frame_around(
    points: list[tuple[float, float]], width: int, height: int,
    *, min_half_miles: float = 0.5, padding: int = 30,
) -> Frame:
    """The frame that shows every (latitude, longitude) with `padding` units to spare,
    at least `min_half_miles` each way from its centre."""
    lats = [lat for lat, _lon in points]
    lons = [lon for _lat, lon in points]
    middle_lat = (min(lats) + max(lats)) / 2
    middle_lon = (min(lons) + max(lons)) / 2
    cos_lat = max(math.cos(math.radians(middle_lat)), 0.01)
    half_ns = (max(lats) - min(lats)) / 2 * MILES_PER_DEGREE_LATITUDE
    half_ew = (max(lons) - min(lons)) / 2 * cos_lat * MILES_PER_DEGREE_LATITUDE
    miles_per_unit = max(
        max(half_ew, min_half_miles) / (width / 2 - padding),
        max(half_ns, min_half_miles) / (height / 2 - padding),
    )
    return Frame(middle_lat, middle_lon, miles_per_unit, width, height)


def scale_bar(frame: Frame, most: float = 0.3) -> tuple[float, str]:
    """(length in map units, label) of the longest round distance that takes at most
    `most` of the map's width."""
    fits = [m for m in NICE_MILES if frame.units(m) <= frame.width * most] or NICE_MILES[:1]
    miles = fits[-1]
    label = miles_text(miles)
    return frame.units(miles), label


@dataclass(frozen=True)
class Label:
    name: str
    x: float
    y: float


def town_labels(
    frame: Frame, places: list[tuple[str, float, float]], taken: list[tuple[float, float]],
    *, most: int = 8, char_width: float = 7.5, line: float = 16,
) -> list[Label]:
    """The town names to print, biggest first (`places` comes in that order), leaving out
    any that would leave the map, or overlap a name already placed or a marker (`taken`).
    A name's box is estimated from its length: good enough to keep them apart."""
    chosen: list[Label] = []
    boxes: list[tuple[float, float, float, float]] = [
        (x - 12, y - 12, x + 12, y + 12) for x, y in taken
    ]
    for name, latitude, longitude in places:
        x, y = frame.point(latitude, longitude)
        half = len(name) * char_width / 2
        box = (x - half, y - line, x + half, y + 4)
        if box[0] < 4 or box[2] > frame.width - 4 or box[1] < 4 or box[3] > frame.height - 24:
            continue
        if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3]
               for b in boxes):
            continue
        chosen.append(Label(name, x, y))
        boxes.append(box)
        if len(chosen) == most:
            break
    return chosen
