"""The printable list of any search: /meetings/print/?<the search's parameters>."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from recovery_finder.qr import qr_path

from .embed import search_query
from .printout import LIMIT, printout
from .search import run_search
from .views import chosen_list, within_choices


def print_list(request: HttpRequest) -> HttpResponse:
    found = run_search(request.GET)
    query = search_query(request.GET)
    live_url = request.build_absolute_uri(reverse("search")) + (f"?{query}" if query else "")
    # With nothing asked, a list of the whole country helps nobody: ask for a place first.
    listing = printout(found) if query and not found.place_not_found else None
    qr_size, qr_data = qr_path(live_url)
    return render(request, "printmap/print.html", {
        "search": found,
        "form": found.filterset.form,
        "within_choices": within_choices(request.GET.get("within")),
        "query": query,
        "listing": listing,
        "limit": LIMIT,
        "chosen": [label for label, _link in chosen_list(request.GET, found)],
        "live_url": live_url,
        "qr_size": qr_size,
        "qr_path": qr_data,
        "today": timezone.localdate(found.now),
    })
