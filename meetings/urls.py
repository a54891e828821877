from django.urls import path

from . import calendar_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("meetings/", views.search, name="search"),
    path("meetings.json", views.search_json, name="search-json"),
    path("meetings/<slug:slug>.ics", calendar_views.meeting_ics, name="meeting-ics"),
    path("meetings/<slug:slug>/", views.meeting_detail, name="meeting-detail"),
]
