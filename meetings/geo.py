"""`resolve_location`, which turns what a visitor typed into a point using the tables
`load_postcodes` fills, and the credits those tables' licences require. The text parsing
it builds on is in meetings.postcodes."""

import difflib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils.text import get_text_list
from django.utils.translation import get_language, gettext

from recovery_finder.languages import WELSH

from .models import Place, Postcode, PostcodePrefix
from .postcodes import (
    normalise_district,
    normalise_postcode,
    normalise_postcode_or_error,  # noqa: F401 (migration 0001 names the validator here)
    normalise_sector,
    place_key,
    postcodes_within,
    prefixes_within,
)

# Other names visitors type for a place: typed place key -> the places meant, each as a
# visitor would type it ("Name" or "Name, County"), the most likely first. Applied to what
# is typed (never to the stored keys), after `place_key`, so any case, spacing, accents or
# punctuation works: "Derry/Londonderry", "Derry-Londonderry" and "Derry~Londonderry" all
# have the key "derry londonderry". The first place is used; the others, and any places
# really called what was typed (the hamlet of Stoke in Cheshire), are offered as
# alternatives. Why each is here: docs/geography.md. Kept short on purpose: every entry
# is a name people type that GeoNames files under another one.
PLACE_ALIASES: dict[str, tuple[str, ...]] = {
    # GeoNames calls the city Derry; Londonderry is its official name.
    "londonderry": ("Derry",),
    "derry londonderry": ("Derry",),
    "londonderry derry": ("Derry",),
    # Short names for towns GeoNames knows by their full names.
    "newcastle": ("Newcastle upon Tyne", "Newcastle under Lyme"),
    "stoke": ("Stoke-on-Trent",),
    "hull": ("Kingston upon Hull",),
    "southend": ("Southend-on-Sea",),
    "leamington": ("Royal Leamington Spa",),
    "leamington spa": ("Royal Leamington Spa",),
    "berwick": ("Berwick-upon-Tweed",),
    "stockton": ("Stockton-on-Tees",),
    "burton": ("Burton upon Trent",),
    "barrow": ("Barrow in Furness",),
    # Welsh names (GeoNames has the English ones).
    "caerdydd": ("Cardiff",),
    "abertawe": ("Swansea",),
    "casnewydd": ("Newport, Newport",),
    "wrecsam": ("Wrexham",),
    "caerfyrddin": ("Carmarthen",),
    "pen y bont ar ogwr": ("Bridgend",),
    # An island, not a town: its county town, Llangefni, is near the middle.
    "anglesey": ("Llangefni",),
    "isle of anglesey": ("Llangefni",),
    "ynys mon": ("Llangefni",),
    # Scottish Gaelic names.
    "dun eideann": ("Edinburgh",),
    "glaschu": ("Glasgow",),
    "inbhir nis": ("Inverness",),
}


# --- Resolving what a visitor typed ---------------------------------------------------
# Reads the tables `manage.py load_postcodes` fills; at most two small indexed queries.


@dataclass(frozen=True)
class Alternative:
    label: str  # "Newport, Isle of Wight"
    query: str  # typed back into the search, it resolves to this place


@dataclass(frozen=True)
class Location:
    query: str  # what was typed
    label: str  # "LS6 1AA", "LS6", "LS6 1", "Leeds, England"
    kind: str  # "postcode", "sector", "district" or "place"
    latitude: float
    longitude: float
    # Other places with the same name, most populous first (a tuple: the dataclass is frozen).
    alternatives: tuple[Alternative, ...] = ()
    # A full postcode not in our data ("B1 1AA") whose sector or district stands in for it.
    approximate_for: str = ""

    @property
    def approximate(self) -> bool:
        return bool(self.approximate_for)


class LocationError(ValueError):
    kind = "location"
    friendly = True  # `message` can be shown to the visitor as it is

    def __init__(self, query: str, message: str):
        super().__init__(str(message))
        self.query = query
        self.message = message


class UnrecognisedLocation(LocationError):
    kind = "unrecognised"
    suggestions: tuple[str, ...] = ()  # place names spelt like the text, for "Did you mean"


class UnknownPostcode(LocationError):
    kind = "unknown_postcode"


def resolve_location(text: str) -> Location:
    """A postcode, sector, district or town name -> where it is.

    An ambiguous town name is not an error: the most populous place wins and the
    others come back as `alternatives` for the page to offer.

    Text that is none of those but holds one full postcode ("LS6 1AA, Leeds", an
    address ending in its postcode) resolves as that postcode typed alone; a town with a
    district or sector ("Leeds LS6") as that district or sector. Two different postcodes
    or districts are not guessed between: the text is unrecognised.
    """
    query = " ".join((text or "").split())
    postcode = normalise_postcode(query)
    if postcode:
        return _resolve_postcode(query, postcode)

    prefixes = [p for p in (normalise_sector(query), normalise_district(query)) if p]
    if prefixes:
        return _resolve_prefix(query, prefixes, PostcodePrefix)

    # No place name holds a postcode (tests check every one), so a postcode inside the
    # text is looked up before the places: "Leeds, LS6 1AA" is that postcode, not Leeds.
    embedded = postcodes_within(query)
    if len(embedded) == 1:
        return _resolve_postcode(query, embedded[0])
    if len(embedded) > 1:
        raise _unrecognised(query)

    if not query:
        raise UnrecognisedLocation(query, gettext("Type a postcode, like LS6 1AA, or a town."))

    # A district is a short token ("B2", "M1") that an address also uses for a flat or a
    # motorway, so it counts only beside a town we know: "Leeds LS6", not "Unit B2, Leeds".
    prefixes, rest = prefixes_within(query)
    if len(prefixes) == 1:
        try:
            if rest:
                _resolve_place(rest, Place)
        except UnrecognisedLocation:
            pass
        else:
            return _resolve_prefix(query, [prefixes[0]], PostcodePrefix)

    try:
        return _resolve_place(query, Place)
    except UnrecognisedLocation:
        raise _unrecognised(query, suggestions=_close_place_names(query, Place)) from None


def _resolve_postcode(query: str, postcode: str) -> Location:
    """A full postcode, or else (new ones appear every month, and Code-Point lags) its
    sector, or else its district, marked approximate. Only an unknown district is an
    error."""
    found = Postcode.objects.filter(pk=postcode).values_list("latitude", "longitude").first()
    if found is not None:
        return Location(query, postcode, "postcode", *found)
    outward, inward = postcode.split(" ")
    sector = f"{outward} {inward[0]}"
    stand_ins = {p.prefix: p for p in PostcodePrefix.objects.filter(prefix__in=[sector, outward])}
    stand_in = stand_ins.get(sector) or stand_ins.get(outward)
    if stand_in is None:
        raise UnknownPostcode(query, _unknown_postcode_message(postcode))
    return Location(query, stand_in.prefix, stand_in.kind, stand_in.latitude,
                    stand_in.longitude, approximate_for=postcode)


def _resolve_prefix(query: str, prefixes: list[str], prefix_model) -> Location:
    found = prefix_model.objects.filter(prefix__in=prefixes).first()
    if found is None:
        raise UnknownPostcode(query, _unknown_postcode_message(prefixes[0]))
    return Location(query, found.prefix, found.kind, found.latitude, found.longitude)


def _resolve_place(query: str, place_model) -> Location:
    whole = place_key(query)
    name, _comma, qualifier = query.partition(",")
    name, qualifier = place_key(name), place_key(qualifier)
    # Another name for the whole text, or for the name before the comma (then the typed
    # county or nation narrows its places: "Londonderry, Northern Ireland").
    if whole in PLACE_ALIASES:
        meant = [_split_alias(text, "") for text in PLACE_ALIASES[whole]]
    else:
        meant = [_split_alias(text, qualifier) for text in PLACE_ALIASES.get(name, ())]
    # A few GeoNames names hold a comma themselves ("Basford, Stoke-on-Trent").
    keys = {whole, name} | {key for key, _qualifier in meant}
    places = list(place_model.objects.filter(key__in=keys).order_by("-population", "pk"))
    if not whole or not places:
        raise _unrecognised(query)
    exact = [p for p in places if p.key == whole]
    named = [p for p in places if p.key == name]
    narrowed = _narrow(named, qualifier) if qualifier and not exact else []
    if exact and whole not in PLACE_ALIASES:
        candidates = exact
    elif narrowed:
        # "Newcastle, Northern Ireland" and "Stoke, Cheshire West and Chester" are the
        # places really called that, so the alternatives offered resolve to themselves.
        candidates = narrowed
    elif meant:
        candidates = []
        for index, (key, wanted) in enumerate(meant):
            named_so = [p for p in places if p.key == key]
            found = _narrow(named_so, wanted) or named_so
            # The first place meant, with its namesakes; of the others, the largest.
            candidates += found if index == 0 else found[:1]
        candidates += exact or named
    else:
        # A qualifier we don't know ("Newport, Shropshire") is ignored, not an error.
        candidates = named
    if not candidates:
        raise _unrecognised(query)
    chosen = candidates[0]
    others = [p for p in dict.fromkeys(candidates) if p is not chosen]
    # "Newport, Wales" says which one we used, unless Wales has two of them.
    label = _shown(chosen)
    # So does "Stoke, Cheshire West and Chester": "Stoke" alone means Stoke-on-Trent.
    namesakes = [p for p in places if p.key == chosen.key and p is not chosen]
    if chosen.key in PLACE_ALIASES or any(p.nation == chosen.nation for p in namesakes):
        label = _shown(chosen, qualified=True)
    return Location(
        query,
        label,
        "place",
        chosen.latitude,
        chosen.longitude,
        tuple(Alternative(label=_shown(p, qualified=True), query=_qualified(p)) for p in others),
    )


def _split_alias(text: str, typed_qualifier: str) -> tuple[str, str]:
    name, _comma, qualifier = text.partition(",")
    return place_key(name), place_key(qualifier) or typed_qualifier


def _narrow(places: list, qualifier: str) -> list:
    if not qualifier:
        return []
    return [p for p in places if place_key(p.county) == qualifier] or [
        p for p in places if place_key(p.nation) == qualifier
    ]


def _qualified(place) -> str:
    # "Name, County" picks one place (derive_places keeps one per county); a county
    # named like its town reads better as the nation: "Newport, Wales".
    if place.county and place_key(place.county) != place.key:
        return f"{place.name}, {place.county}"
    return f"{place.name}, {place.nation}"


# GeoNames names places in English. A page in Welsh names the nations in Welsh, and the
# towns of Wales as Welsh speakers do (the queries in links keep the English, which
# resolves). Only where the Welsh name differs. The article is lower case as in running
# text ("ger y Barri"): every Welsh label sits inside a sentence or a list.
WELSH_TOWN_NAMES = {
    "Cardiff": "Caerdydd", "Swansea": "Abertawe", "Newport": "Casnewydd",
    "Wrexham": "Wrecsam", "Carmarthen": "Caerfyrddin", "Bridgend": "Pen-y-bont ar Ogwr",
    "Barry": "y Barri", "Neath": "Castell-nedd", "Merthyr Tydfil": "Merthyr Tudful",
    "Caerphilly": "Caerffili", "Cwmbran": "Cwmbrân", "Abergavenny": "y Fenni",
    "Monmouth": "Trefynwy", "Chepstow": "Cas-gwent", "Brecon": "Aberhonddu",
    "Cardigan": "Aberteifi", "Haverfordwest": "Hwlffordd", "Pembroke": "Penfro",
    "Welshpool": "y Trallwng", "Newtown": "y Drenewydd", "Mold": "yr Wyddgrug",
    "Flint": "y Fflint", "Rhyl": "y Rhyl", "Holyhead": "Caergybi", "St Davids": "Tyddewi",
}


def _nation(nation: str) -> str:
    names = {"England": gettext("England"), "Wales": gettext("Wales"),
             "Scotland": gettext("Scotland"), "Northern Ireland": gettext("Northern Ireland")}
    return names.get(nation, nation)


def _shown(place, qualified: bool = False) -> str:
    """A place's label in the page's language: "Cardiff, Wales", "Caerdydd, Cymru"."""
    if get_language() != WELSH:
        return _qualified(place) if qualified else f"{place.name}, {place.nation}"
    name = WELSH_TOWN_NAMES.get(place.name, place.name) if place.nation == "Wales" \
        else place.name
    if qualified and place.county and place_key(place.county) != place.key:
        return f"{name}, {place.county}"
    return f"{name}, {_nation(place.nation)}"


# Fewer letters than this begin too many places to be worth offering.
MIN_PREFIX = 3
MAX_SUGGESTIONS = 6


def _close_place_names(query: str, place_model) -> list[str]:
    """Place names beginning with what was typed ("hebden" -> Hebden Bridge), most
    populous first, then those spelt like it ("Leds" -> Leeds), for a search that found
    nothing: read from the places whose key starts with the same letter, with a range on
    the key index rather than the whole table (docs/geography.md)."""
    key = place_key(query)
    # Longer text is an address or a sentence, not a misspelt town; digits are not towns.
    if not key or len(key) > 40 or any(c.isdigit() for c in key):
        return []
    first = key[0]
    same_letter = place_model.objects.filter(key__gte=first, key__lt=chr(ord(first) + 1))
    names: dict[str, str] = {}
    for stored, name in same_letter.order_by("-population").values_list("key", "name"):
        if stored.startswith(first):  # any collation's range, narrowed to the letter
            names.setdefault(stored, name)
    # `names` is in order of population: the largest places first, as most likely meant
    # ("Leds" is Leeds before Ledsham).
    beginning = [stored for stored in names
                 if stored.startswith(key)][:MAX_SUGGESTIONS] if len(key) >= MIN_PREFIX else []
    offered = set(beginning) | set(difflib.get_close_matches(key, names, n=3, cutoff=0.8))
    found = [name for stored, name in names.items() if stored in offered]
    return list(dict.fromkeys(found))[:MAX_SUGGESTIONS]


def _unrecognised(query: str, suggestions: list[str] | tuple = ()) -> UnrecognisedLocation:
    message = gettext(
        "We don’t recognise “%(text)s” as a UK postcode or town. Check the spelling, "
        "or try a postcode (like LS6 1AA) or a nearby town."
    ) % {"text": query}
    if suggestions:
        message += " " + gettext("Did you mean %(places)s?") % {
            "places": get_text_list(list(suggestions), gettext("or"))
        }
    error = UnrecognisedLocation(query, message)
    error.suggestions = tuple(suggestions)
    return error


def _unknown_postcode_message(code: str) -> str:
    if code.startswith("BT"):
        return gettext(
            "We don’t have locations for Northern Ireland postcodes like %(code)s yet. "
            "Try typing the town instead, for example Belfast or Newry."
        ) % {"code": code}
    return gettext(
        "We can’t find the postcode %(code)s. It may be new, or mistyped. "
        "Try typing the town instead."
    ) % {"code": code}


# --- Credits the open data licences require --------------------------------------------

RELEASE_YEAR_CACHE_KEY = "meetings.geo.codepoint_release_year"


def remember_release_year(year: int) -> None:
    cache.set(RELEASE_YEAR_CACHE_KEY, int(year), timeout=None)


def release_year() -> int | str:
    """The Code-Point release that load_postcodes last loaded, as it told the cache, or
    else settings.CODEPOINT_RELEASE_YEAR: no query, since every page's footer shows it.
    A cache that cannot be reached gives the setting rather than failing the page."""
    try:
        year = cache.get(RELEASE_YEAR_CACHE_KEY)
    except Exception:  # the cache server is down or unreachable
        year = None
    return year or settings.CODEPOINT_RELEASE_YEAR


def data_credits(year: int | str | None = None) -> list[str]:
    """The footer's attributions: OS Code-Point Open (Open Government Licence) and GeoNames,
    for the given release year (by default, `release_year()`)."""
    year = year or release_year()
    values = {"year": year}
    return [
        gettext("Contains OS data © Crown copyright and database right %(year)s.") % values,
        gettext("Contains Royal Mail data © Royal Mail copyright and database right %(year)s.")
        % values,
        gettext("Contains National Statistics data © Crown copyright and database right "
                "%(year)s.") % values,
        gettext("Postcode locations from OS Code-Point Open, under the Open Government "
                "Licence v3.0."),
        gettext("Town names from GeoNames (geonames.org), under CC BY 4.0."),
    ]
