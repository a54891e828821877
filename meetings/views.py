import functools

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .filters import DEFAULT_MILES, MAX_MILES, MILES, MeetingFilter
from .maps import venue_drawing
from .models import Meeting, Status
from .schedule import clock_time
from .search import attach_times, page_of, run_search
from .serializers import meeting_as_dict
from .wording import miles_text

WITHIN_OPTIONS = [1, 2, 5, 10, 25, 50, 100, 200]
# Filters that live under "More filters"; if any is set, that section starts open.
MORE_FILTERS = ["q", "format", "day", "time", "when", "philosophy", "fellowship", "for",
                "feature", "language", "sort"]


def within_choices(raw: str | None) -> list[tuple[str, str, bool]]:
    """Options for the radius select, keeping a partner's own value (say 2.5) on offer."""
    raw = (raw or "").strip()
    chosen = float(raw) if MILES.fullmatch(raw) else float(DEFAULT_MILES)
    options = sorted(set(WITHIN_OPTIONS) | ({chosen} if 0 < chosen <= MAX_MILES else set()))
    language = get_language()
    return [(f"{miles:g}", miles_label(language, miles), miles == chosen) for miles in options]


@functools.lru_cache(maxsize=256)  # the offered radii, and partners' own, in each language
def miles_label(language: str | None, miles: float) -> str:
    """The option's words ("10 miles"), translated once per language, not on every page."""
    return miles_text(miles)


def home(request: HttpRequest) -> HttpResponse:
    filterset = MeetingFilter(queryset=Meeting.objects.none())
    context = {"form": filterset.form, "within_choices": within_choices(None)}
    return render(request, "home.html", context)


def chosen_filters(params, found) -> int:
    """How many "More filters" values the visitor chose. The empty fields a submitted
    form sends, and the order the results would take anyway, are not choices."""
    chosen = sum(
        1 for name in MORE_FILTERS if name != "sort"
        for value in params.getlist(name) if value.strip()
    )
    if params.get("sort", "").strip() and (found.sort != found.default_sort
                                           or "sort" in found.errors):
        chosen += 1
    return chosen


# Filters a visitor can see and take off one by one above the results (the order is not
# a filter, and the place and radius are in the heading).
SHOWN_FILTERS = ["q", "format", "day", "time", "when", "philosophy", "fellowship", "for",
                 "feature", "language"]


def chosen_list(params, found) -> list[tuple[str, str]]:
    """(label, link to the same search without it) for each filter value the search
    applied, so a visitor sees what narrowed the results and can undo one at a time."""
    form = found.filterset.form
    understood = found.understood
    chosen = []
    for name in SHOWN_FILTERS:
        if name in found.errors or not understood.get(name):
            continue
        if name == "q":
            labels = {understood["q"]: _("Named like “%(text)s”") % {"text": understood["q"]}}
        else:
            labels = dict(form.fields[name].choices)
        for raw in params.getlist(name):
            value = raw.strip() if raw.strip() in labels else raw.strip().lower()
            if value not in labels:
                continue
            without = params.copy()
            without.setlist(name, [v for v in params.getlist(name) if v != raw])
            without.pop("page", None)
            chosen.append((labels[value], f"?{without.urlencode()}"))
    return chosen


def search(request: HttpRequest) -> HttpResponse:
    found = run_search(request.GET)
    page, page_note = page_of(found, request.GET.get("page"), strict=False)
    empty = not page.object_list and not found.place_not_found
    nearest_beyond = found.nearest_beyond() if empty else []
    next_matching = found.next_matching() if empty else None
    form = found.filterset.form
    catalogue = found.filterset.catalogue
    filters_chosen = chosen_filters(request.GET, found)
    context = {
        "search": found,
        "form": form,
        # With no filter chosen and nothing to correct, the filters are the same for
        # every search in a language, but for the order asked for: kept rendered until
        # staff change the lists they offer.
        "filters_key": None if filters_chosen or found.errors else (
            get_language(), catalogue.version, found.sort_asked
        ),
        "page": page,
        "meetings": page.object_list,
        # Online and another format near a place: the page's meetings within the radius,
        # then those joined online from anywhere (meetings.search keeps them apart).
        "nearby": [m for m in page.object_list if m.distance_miles is not None]
        if found.online_anywhere else [],
        "online": [m for m in page.object_list if m.distance_miles is None]
        if found.online_anywhere else [],
        "page_note": page_note,
        "within_choices": within_choices(request.GET.get("within")),
        "filters_chosen": filters_chosen,
        "chosen": chosen_list(request.GET, found) if filters_chosen else [],
        # Kept shut on phones so results come first, unless a filter needs correcting.
        "open_filters": any(name in found.errors for name in MORE_FILTERS),
        "nearest_beyond": nearest_beyond,
        "wider_radius": found.wider_radius(nearest_beyond),
        "online_elsewhere": found.online_elsewhere() if empty else 0,
        "next_matching": next_matching,
        "next_matching_list": [next_matching] if next_matching else [],
    }
    response = render(request, "meetings/search.html", context)
    # Until when the page reads the same: how long meetings.page_cache may keep it.
    response.unchanged_until = found.unchanged_until()
    return response


def _with(params, **values) -> str:
    """The query string with these parameters replaced and no page number."""
    params = params.copy()
    params.pop("page", None)
    for name, value in values.items():
        params[name] = value
    return params.urlencode()


def search_json(request: HttpRequest) -> JsonResponse:
    found = run_search(request.GET)
    errors = dict(found.errors)
    page = None
    if not errors:
        try:
            page, _note = page_of(found, request.GET.get("page"), strict=True)
        except ValueError as error:
            errors["page"] = str(error)
    if errors:
        body = {"error": _("Some parameters are not valid."), "errors": errors}
        if found.place_suggestions:
            # Places beginning with, or spelt like, what was typed: the same search there.
            body["suggestions"] = {"near": [
                {"name": name, "url": request.build_absolute_uri(
                    f"{request.path}?{_with(request.GET, near=name)}")}
                for name in found.place_suggestions
            ]}
        response = JsonResponse(body, status=400)
        response.unchanged_until = found.unchanged_until()
        return response

    def link(number: int | None) -> str | None:
        if number is None:
            return None
        params = request.GET.copy()
        params["page"] = number
        return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")

    data = found.understood
    location = found.location
    next_matching = {}
    if found.asked_for_now:
        # Nothing happening now: the next meeting that matches everything else.
        upcoming = None if page.object_list else found.next_matching()
        next_matching["next_matching"] = (
            meeting_as_dict(upcoming, request, found.now) if upcoming else None
        )
    response = JsonResponse({
        "count": page.paginator.count,
        "next": link(page.next_page_number() if page.has_next() else None),
        "previous": link(page.previous_page_number() if page.has_previous() else None),
        "query": {
            "near": {
                "query": location.query,
                "label": location.label,
                "latitude": location.latitude,
                "longitude": location.longitude,
                # A postcode not in our data, measured from its sector or district.
                "approximate": location.approximate,
            } if location else None,
            "within": found.within,
            "distance_applied": found.within_radius,
            "online_anywhere": found.online_anywhere,
            **{
                name: data.get(name) or None
                for name in ("fellowship", "philosophy", "for", "format", "day", "time",
                             "when", "feature", "language", "q")
            },
            "sort": found.sort,
            "page": page.number,
        },
        "results": [meeting_as_dict(m, request, found.now) for m in page.object_list],
        **next_matching,
    })
    response["Access-Control-Allow-Origin"] = "*"
    response.unchanged_until = found.unchanged_until()
    return response


def meeting_detail(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.listed().with_related(), slug=slug)
    now = timezone.now()
    attach_times([meeting], now)
    context = {
        "meeting": meeting,
        # Written as the results write times ("7:30pm"), not in a second style.
        "starts": clock_time(meeting.start_time),
        "ends": clock_time(meeting.end_time) if meeting.end_time else "",
        "fellowship": meeting.fellowship,
        "venue": meeting.venue if meeting.venue_id and meeting.is_in_person else None,
        "venue_map": venue_drawing(meeting.venue) if meeting.is_in_person else None,
        "group": meeting.group,
        "json_ld": event_json_ld(meeting, request),  # written by the |script_json filter
    }
    return render(request, "meetings/meeting_detail.html", context)


def event_json_ld(meeting: Meeting, request: HttpRequest) -> dict:
    """schema.org Event for the next occurrence, so search engines can show it."""
    attendance = {
        "in-person": "OfflineEventAttendanceMode",
        "online": "OnlineEventAttendanceMode",
        "hybrid": "MixedEventAttendanceMode",
    }[meeting.format]
    locations = []
    if meeting.venue_id and meeting.is_in_person:
        venue = meeting.venue
        place = {
            "@type": "Place",
            "name": venue.name,
            "address": {
                "@type": "PostalAddress",
                "streetAddress": ", ".join(
                    p for p in [venue.address_line1, venue.address_line2] if p
                ),
                "addressLocality": venue.town,
                "postalCode": venue.postcode,
                "addressCountry": "GB",
            },
        }
        if venue.has_coordinates:
            place["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": venue.latitude,
                "longitude": venue.longitude,
            }
        locations.append(place)
    if meeting.is_online:
        locations.append({"@type": "VirtualLocation", "url": request.build_absolute_uri()})
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": meeting.name,
        "description": meeting.fellowship.name,
        "startDate": meeting.occurrence.start.isoformat(),
        "endDate": meeting.occurrence.end.isoformat(),
        "eventAttendanceMode": f"https://schema.org/{attendance}",
        "eventStatus": "https://schema.org/" + (
            "EventPostponed" if meeting.status == Status.SUSPENDED else "EventScheduled"
        ),
        "isAccessibleForFree": True,
        "location": locations[0] if len(locations) == 1 else locations,
        "organizer": {
            "@type": "Organization",
            "name": meeting.fellowship.name,
            **({"url": meeting.fellowship.website} if meeting.fellowship.website else {}),
        },
        "url": request.build_absolute_uri(meeting.get_absolute_url()),
    }
    return data
