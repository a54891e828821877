"""The map of any search: /meetings/map/?<the search's parameters>. Drawn by our server
from our own data, so no request leaves the site and it works without JavaScript."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .embed import search_query
from .maps import search_drawing, stops_of
from .models.choices import AT_A_VENUE
from .printout import attach_clock_times
from .search import attach_lists, attach_times, run_search
from .views import chosen_list, within_choices

# Meetings placed on one map; past it the page says how to narrow the search.
LIMIT = 500


@require_safe
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
    return render(request, "printmap/map.html", context)
