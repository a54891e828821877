from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("meetings/<slug:slug>/", views.meeting_detail, name="meeting-detail"),
]
