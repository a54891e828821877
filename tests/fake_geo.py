"""A stand-in for meetings.geo.resolve_location with the same interface, used only
while the real one has not landed."""

from dataclasses import dataclass, field

KNOWN = {
    "LS6 1AA": ("LS6 1AA", "postcode", 53.8195, -1.5740),
    "LS6": ("LS6", "district", 53.8210, -1.5760),
    "LEEDS": ("Leeds, England", "place", 53.7965, -1.5478),
    "M1 1AE": ("M1 1AE", "postcode", 53.4794, -2.2453),
    "MANCHESTER": ("Manchester, England", "place", 53.4808, -2.2426),
}


class LocationError(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class UnrecognisedLocation(LocationError):
    pass


class UnknownPostcode(LocationError):
    pass


@dataclass(frozen=True)
class Location:
    query: str
    label: str
    kind: str
    latitude: float
    longitude: float
    alternatives: list = field(default_factory=list)


def resolve_location(text: str) -> Location:
    from meetings.geo import normalise_postcode

    key = normalise_postcode(text) or " ".join(text.upper().split())
    if key in KNOWN:
        label, kind, lat, lon = KNOWN[key]
        return Location(text, label, kind, lat, lon)
    if key == "ZZ99 9ZZ":
        raise UnknownPostcode("We can't find the postcode ZZ99 9ZZ.")
    raise UnrecognisedLocation(f"We don't recognise “{text}” as a UK postcode or town.")


def install(monkeypatch):
    from meetings import geo

    monkeypatch.setattr(geo, "resolve_location", resolve_location, raising=False)
    monkeypatch.setattr(geo, "LocationError", LocationError, raising=False)
    return resolve_location
