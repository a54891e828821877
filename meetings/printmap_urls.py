"""The printable list and the map of a search. Listed before meetings.urls, whose
/meetings/<slug>/ would otherwise take "print" and "map" for meeting slugs (a meeting's
slug always ends in its weekday, so neither can be one)."""

from django.urls import path

from . import views_map, views_print

urlpatterns = [
    path("meetings/print/", views_print.print_list, name="search-print"),
    path("meetings/map/", views_map.search_map, name="search-map"),
]
