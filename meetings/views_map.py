"""The map of any search: /meetings/map/?<the search's parameters>. Drawn by our server
from our own data, so no request leaves the site and it works without JavaScript."""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .embed import search_query
from .maps import search_drawing, stops_of
from .models.choices import AT_A_VENUE
from .printout import attach_clock_times
from .search import attach_lists, attach_times, run_search
from .views import chosen_list, within_choices

# Meetings placed on one map; past it the page says how to narrow the search.
LIMIT = 500


def search_map(request: HttpRequest) -> HttpResponse:
    found = run_search(request.GET)
    query = search_query(request.GET)
    context = {
        "search": found,
        "form": found.filterset.form,
        "within_choices": within_choices(request.GET.get("within")),
        "query": query,
        "chosen": [label for label, _link in chosen_list(request.GET, found)],
        "asked": bool(query) and not found.place_not_found,
        "limit": LIMIT,
    }
    if context["asked"]:
        # Only meetings held at a venue with a known place can be put on a map.
        at_venues = found.meetings.filter(
            format__in=AT_A_VENUE, venue__latitude__isnull=False
        )
        meetings = list(at_venues.for_listing()[: LIMIT + 1])
        total = len(meetings) if len(meetings) <= LIMIT else at_venues.count()
        meetings = meetings[:LIMIT]
        attach_lists(meetings, found.filterset.catalogue)
        attach_times(meetings, found.now)
        attach_clock_times(meetings)
        stops = stops_of(meetings)
        context |= {
            "total": total,
            "shown": len(meetings),
            "stops": stops,
            "drawing": search_drawing(
                stops, found.location,
                found.within if found.within_radius else None,
            ),
        }
    if settings.MAP_TILES_URL:
        tiles = urlsplit(settings.MAP_TILES_URL)
        context["tile_host"] = tiles.hostname
        # Only when the visitor asks (?street=1) does the page load tiles from elsewhere.
        if request.GET.get("street") == "1" and context.get("drawing"):
            context["street_map"] = street_map_data(context["stops"], found)
    response = render(request, "printmap/map.html", context)
    if "street_map" in context:
        response.csp_img_src = f"{tiles.scheme}://{tiles.netloc}"
    return response


def street_map_data(stops, found) -> dict:
    """What static/js/street-map.js draws over the tiles (read with json_script)."""
    place = found.location
    return {
        "tiles": settings.MAP_TILES_URL,
        "attribution": settings.MAP_TILES_ATTRIBUTION,
        "place": {"lat": place.latitude, "lon": place.longitude, "label": place.label}
        if place else None,
        "markers": [
            {"lat": stop.venue.latitude, "lon": stop.venue.longitude, "label": stop.label,
             "href": stop.href}
            for stop in stops
        ],
    }
