"""The fixed sets a meeting's fields choose from (also the public URL values)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Weekday(models.IntegerChoices):
    # Python's date.weekday() numbering, so the week sorts Monday first.
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class Recurrence(models.TextChoices):
    WEEKLY = "weekly", _("Every week")
    FIRST = "first", _("First of the month")
    SECOND = "second", _("Second of the month")
    THIRD = "third", _("Third of the month")
    FOURTH = "fourth", _("Fourth of the month")
    LAST = "last", _("Last of the month")


class Format(models.TextChoices):
    # The stored values are the public URL values (?format=in-person).
    IN_PERSON = "in-person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid (in person and online)")


# The formats held at a venue: only these meetings are at their venue's place and access.
AT_A_VENUE = [Format.IN_PERSON, Format.HYBRID]
# The formats that can be joined from anywhere.
JOINABLE_ONLINE = [Format.ONLINE, Format.HYBRID]


class Status(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Temporarily suspended")
    CLOSED = "closed", _("Closed")


class Access(models.TextChoices):
    UNSPECIFIED = "", _("Not stated")
    OPEN = "open", _("Open: anyone is welcome, including friends and family")
    # "Members" rather than "people with the problem": in Al-Anon or Nar-Anon the members
    # are the families, so a closed meeting there is for them.
    CLOSED = "closed", _("Closed: for members, the people this fellowship is for")
