"""The embeddable results list (/embed/meetings/) and the partners' link builder (/partners/).

Both take the search's public query string unchanged, so a link built here keeps working
on every rendering (docs/partners.md).
"""

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_exempt

from .http_cache import public_page
from .page_cache import kept_for_visitors
from .search import page_of, run_search
from .views import within_choices

RENDERINGS = [
    ("json", "search-json"),
    ("csv", "search-csv"),
    ("ics", "search-ics"),
]


def search_query(params: QueryDict) -> str:
    """The query string as a partner should copy it: no empty values, no page number."""
    query = QueryDict(mutable=True)
    for key, values in params.lists():
        kept = [value for value in values if value.strip()]
        if key != "page" and kept:
            query.setlist(key, kept)
    return query.urlencode()


@xframe_options_exempt
@public_page
@kept_for_visitors
def embed_meetings(request: HttpRequest) -> HttpResponse:
    search = run_search(request.GET)
    page, note = page_of(search, request.GET.get("page"), strict=False)
    query = search_query(request.GET)
    response = render(request, "embed/meetings.html", {
        "search": search,
        "page": page,
        "note": note,
        "query": query,
        "full_results_url": request.build_absolute_uri(reverse("search"))
        + (f"?{query}" if query else ""),
    })
    # The one view any site may frame (the middleware reads this; see middleware.py).
    response.csp_frame_ancestors = "*"
    return response


@public_page
def partners(request: HttpRequest) -> HttpResponse:
    search = run_search(request.GET)
    query = search_query(request.GET)
    suffix = f"?{query}" if query else ""

    def absolute(name: str) -> str:
        return request.build_absolute_uri(reverse(name)) + suffix

    embed_url = absolute("embed-meetings")
    links = {kind: absolute(name) for kind, name in RENDERINGS}
    return render(request, "partners/link_builder.html", {
        "filterset": search.filterset,
        # The search page's fields (meetings/_place_fields.html, meetings/_filters.html).
        "form": search.filterset.form,
        "search": search,
        "within_choices": within_choices(request.GET.get("within")),
        "errors": search.errors,
        "query": query,
        "search_url": absolute("search"),
        "embed_url": embed_url,
        "embed_path": reverse("embed-meetings") + suffix,
        "links": links,
        "subscribe_url": "webcal://" + links["ics"].split("://", 1)[1],
        "meeting_guide_url": request.build_absolute_uri(reverse("meeting-guide-feed")),
        "count": search.meetings.count(),
    })
