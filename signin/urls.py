from django.urls import path

from . import views

app_name = "signin"

urlpatterns = [
    path("code/", views.code, name="code"),
    path("set-up/", views.set_up, name="set-up"),
    path("backup-codes/", views.backup_codes, name="backup-codes"),
    path("turn-off/", views.turn_off, name="turn-off"),
]
