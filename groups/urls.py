from django.urls import path

from . import views

urlpatterns = [
    path("fellowships/", views.fellowship_list, name="fellowship-list"),
    path("fellowships/<slug:slug>/", views.fellowship_detail, name="fellowship-detail"),
]
