"""Stale listings: meetings nobody has checked for months (Meeting.last_verified)."""

import calendar
import datetime

# The ages the admin, the admin home and the visitor's page speak of.
STALE_MONTHS = 6
VERY_STALE_MONTHS = 12


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day of the month `months` earlier (31 August less 6 months is 28 or
    29 February)."""
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
