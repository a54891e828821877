from django.urls import path

from meetings.http_cache import read_only

from . import views

urlpatterns = [
    path("fellowships/", read_only(views.fellowship_list), name="fellowship-list"),
    path("fellowships/<slug:slug>/", read_only(views.fellowship_detail),
         name="fellowship-detail"),
]
