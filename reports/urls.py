from django.urls import path

from . import views

urlpatterns = [
    path("meetings/<slug:slug>/report/", views.report_form, name="report-meeting"),
    path("meetings/<slug:slug>/report/thanks/", views.report_thanks, name="report-thanks"),
]
