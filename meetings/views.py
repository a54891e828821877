import html
import json

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from .catalogue import Catalogue
from .filters import DEFAULT_MILES, MAX_MILES, MILES, MeetingFilter
from .models import Format, Meeting, Status
from .schedule import clock_time
from .search import attach_times, page_of, run_search
from .serializers import meeting_as_dict

WITHIN_OPTIONS = [1, 2, 5, 10, 25, 50, 100, 200]
# Filters that live under "More filters"; if any is set, that section starts open.
MORE_FILTERS = ["q", "format", "day", "time", "when", "philosophy", "fellowship", "for",
                "feature", "language", "sort"]


def within_choices(raw: str | None) -> list[tuple[str, str, bool]]:
    """Options for the radius select, keeping a partner's own value (say 2.5) on offer."""
    raw = (raw or "").strip()
    chosen = float(raw) if MILES.fullmatch(raw) else float(DEFAULT_MILES)
    options = sorted(set(WITHIN_OPTIONS) | ({chosen} if 0 < chosen <= MAX_MILES else set()))
    return [
        (f"{miles:g}", ngettext("%(miles)s mile", "%(miles)s miles", 1 if miles == 1 else 2)
         % {"miles": f"{miles:g}"}, miles == chosen)
        for miles in options
    ]


CHECKBOX = (
    '<li><label class="choice"><input type="checkbox" name="{name}" value="{value}" '
    'id="id_{name}_{n}"{checked}> <span>{label}</span></label></li>'
)


# Filters whose choices are fixed in code, so their escaped (value, label) pairs can be
# kept per language for good; those of fellowships and features are kept with the lists
# they come from (meetings.catalogue), which are read again when staff change them.
FIXED_CHOICES = {"format", "day", "time", "philosophy", "for"}
_fixed_choices: dict[tuple[str, str], list[tuple[str, str, str]]] = {}


def escaped_choices(field, catalogue: Catalogue) -> list[tuple[str, str, str]]:
    """(value, escaped value, escaped label) for each of a field's choices, escaped and
    translated once per language rather than on every page."""
    store = _fixed_choices if field.name in FIXED_CHOICES else catalogue.rendered
    key = (get_language(), field.name)
    choices = store.get(key)
    if choices is None:
        choices = store[key] = [
            (value, conditional_escape(value), conditional_escape(label))
            for value, label in field.field.choices
        ]
    return choices


def checkboxes(field, catalogue: Catalogue) -> SafeString:
    """The list items of meetings/_choices.html for one field, built here rather than in
    the template: some 70 checkboxes in a template loop took a fifth of the page's
    render time."""
    chosen = field.value()
    if chosen is None:
        chosen = ""
    name = conditional_escape(field.html_name)
    return mark_safe("".join([  # noqa: S308 (every value is escaped)
        CHECKBOX.format(
            name=name, value=escaped, n=n, checked=" checked" if value in chosen else "",
            label=label,
        )
        for n, (value, escaped, label) in enumerate(escaped_choices(field, catalogue))
    ]))


def options(field, catalogue: Catalogue) -> SafeString:
    """The <option>s of a multiple-choice select (after its empty option), built here
    rather than in a template loop that asked for the field's value on every option."""
    chosen = field.value()

    def selected(value) -> str:
        try:
            return " selected" if value in chosen else ""
        except TypeError:
            return ""

    return mark_safe("".join([  # noqa: S308 (every value is escaped)
        f'<option value="{escaped}"{selected(value)}>{label}</option>'
        for value, escaped, label in escaped_choices(field, catalogue)
    ]))


RESULT = (
    '<li class="result">\n'
    '  <article aria-labelledby="meeting-{pk}">\n'
    '    <p class="result__fellowship">{fellowship}</p>\n'
    '    <h3 class="result__name" id="meeting-{pk}"><a href="{url}">{name}</a></h3>\n'
    '    <p class="result__when"><strong>{when}</strong> <span class="muted">\u00b7 '
    '{schedule}</span></p>\n'
    '    {suspended}\n'
    '    <p class="result__where">\n'
    '      <span class="format format--{format}">{format_text}</span>\n'
    '      {where}\n'
    '      {distance}\n'
    '    </p>\n'
    '    {tags}\n'
    '  </article>\n'
    '</li>\n'
)


def result_items(meetings: list[Meeting]) -> SafeString:
    """The list items for `meetings` (from meetings.search.attach_times), built here in
    one pass: the same markup the result template made, escaped the same way, for a
    fraction of the template engine's variable look-ups."""
    if not meetings:
        return mark_safe("")  # noqa: S308 (empty)

    def esc(value) -> str:
        # What conditional_escape does with these plain strings and numbers, without
        # its check for lazy arguments on each of some 300 calls.
        return html.escape(str(value))

    online = esc(_("Online"))
    features = esc(_("Features"))
    suspended = f'<p class="badge badge--warning">{esc(_("Temporarily suspended"))}</p>'
    not_meeting = esc(_("Not meeting for now"))
    miles_text = _("%(miles)s miles")
    # One reverse() for the page: slugs need no quoting, so only the slug differs.
    url_start, url_end = reverse("meeting-detail", args=["-"]).rsplit("-", 1)
    items = []
    for meeting in meetings:
        venue = meeting.venue if meeting.venue_id else None
        if venue and meeting.is_in_person:
            where = f"\u00b7 {esc(venue.name)}, {esc(venue.town)}"
        elif meeting.format == Format.ONLINE:
            where = ""  # the format already says "Online"
        else:
            where = f"\u00b7 {online}"
        distance = getattr(meeting, "distance_miles", None)
        distance = (
            f"\u00b7 <strong>{miles_text % {'miles': floatformat(distance, 1)}}</strong>"
            if distance is not None else ""
        )
        labels = meeting.labels
        tags = (
            f'<ul class="tags" aria-label="{features}">'
            + "".join(f"<li>{esc(label)}</li>" for label in labels)
            + "</ul>"
        ) if labels else ""
        items.append(RESULT.format(
            pk=meeting.pk, fellowship=esc(meeting.fellowship.name),
            url=esc(f"{url_start}{meeting.slug}{url_end}"), name=esc(meeting.name),
            # A suspended meeting has no next time to show, only its usual one.
            when=not_meeting if meeting.status == Status.SUSPENDED else esc(meeting.when_text),
            schedule=esc(meeting.schedule_text),
            suspended=suspended if meeting.status == Status.SUSPENDED else "",
            format=esc(meeting.format), format_text=esc(meeting.format_text),
            where=where, distance=distance, tags=tags,
        ))
    return mark_safe("".join(items))  # noqa: S308 (every value is escaped)


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
    form, catalogue = found.filterset.form, found.filterset.catalogue
    understood = found.understood
    chosen = []
    for name in SHOWN_FILTERS:
        if name in found.errors or not understood.get(name):
            continue
        if name == "q":
            labels = {understood["q"]: _("Named like “%(text)s”") % {"text": understood["q"]}}
        else:
            labels = {value: label for value, _escaped, label
                      in escaped_choices(form[name], catalogue)}
        for raw in params.getlist(name):
            value = raw.strip() if raw.strip() in labels else raw.strip().lower()
            if value not in labels:
                continue
            without = params.copy()
            without.setlist(name, [v for v in params.getlist(name) if v != raw])
            without.pop("page", None)
            chosen.append((labels[value], f"?{without.urlencode()}"))
    return chosen


class LazyCheckboxes(dict):
    """`checkboxes(form[name])` for each name the template asks for, made when asked:
    the filters kept rendered in the fragments cache ask for none."""

    def __init__(self, form, catalogue: Catalogue):
        super().__init__()
        self.form, self.catalogue = form, catalogue

    def __missing__(self, name: str) -> SafeString:
        boxes = self[name] = checkboxes(self.form[name], self.catalogue)
        return boxes


def search(request: HttpRequest) -> HttpResponse:
    found = run_search(request.GET)
    page, page_note = page_of(found, request.GET.get("page"), strict=False)
    empty = not page.object_list and not found.place_not_found
    nearest_beyond = found.nearest_beyond() if empty else []
    form = found.filterset.form
    catalogue = found.filterset.catalogue
    filters_chosen = chosen_filters(request.GET, found)
    context = {
        "search": found,
        "form": form,
        "checkboxes": LazyCheckboxes(form, catalogue),
        "language_options": lambda: options(form["language"], catalogue),
        # With no filter chosen and nothing to correct, the filters are the same for
        # every search in a language, but for the order asked for: kept rendered until
        # staff change the lists they offer.
        "filters_key": None if filters_chosen or found.errors else (
            get_language(), catalogue.version, found.sort_asked
        ),
        "page": page,
        "meetings": page.object_list,
        "results_html": result_items(page.object_list),
        "page_note": page_note,
        "within_choices": within_choices(request.GET.get("within")),
        "filters_chosen": filters_chosen,
        "chosen": chosen_list(request.GET, found) if filters_chosen else [],
        # Kept shut on phones so results come first, unless a filter needs correcting.
        "open_filters": any(name in found.errors for name in MORE_FILTERS),
        "nearest_beyond": nearest_beyond,
        "nearest_html": result_items(nearest_beyond),
        "wider_radius": found.wider_radius(nearest_beyond),
        "online_elsewhere": found.online_elsewhere() if empty else 0,
    }
    return render(request, "meetings/search.html", context)


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
        return JsonResponse(
            {"error": _("Some parameters are not valid."), "errors": errors}, status=400
        )

    def link(number: int | None) -> str | None:
        if number is None:
            return None
        params = request.GET.copy()
        params["page"] = number
        return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")

    data = found.understood
    location = found.location
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
            } if location else None,
            "within": found.within,
            "distance_applied": found.within_radius,
            **{
                name: data.get(name) or None
                for name in ("fellowship", "philosophy", "for", "format", "day", "time",
                             "when", "feature", "language", "q")
            },
            "sort": found.sort,
            "page": page.number,
        },
        "results": [meeting_as_dict(m, request, found.now) for m in page.object_list],
    })
    response["Access-Control-Allow-Origin"] = "*"
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
        "group": meeting.group,
        "json_ld": as_json_ld(event_json_ld(meeting, request)),
    }
    return render(request, "meetings/meeting_detail.html", context)


def as_json_ld(data: dict) -> str:
    # Escaped as json_script does, so no value can close the <script> element early.
    text = json.dumps(data, ensure_ascii=False)
    escapes = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}
    return mark_safe(text.translate(escapes))  # noqa: S308 (escaped above)


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
