"""Checks shared by the models (so the admin's forms apply them) and the importers."""

import functools
import zoneinfo
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def validate_no_credentials(url: str) -> None:
    """A joining link with a user name or password in it (https://user:pass@host/) would
    publish them, and lets a link show one host while going to another."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return  # not a URL at all: URLValidator says so
    if parts.username is not None or parts.password is not None:
        raise ValidationError(
            _("Take the user name or password out of this link (the part before @): "
              "every visitor would see it."),
            code="credentials",
        )


@functools.cache
def time_zone_names() -> frozenset[str]:
    # "localtime" and "Factory" are real files in the zone database, but no place's zone.
    return frozenset(zoneinfo.available_timezones() - {"localtime", "Factory"})


def validate_time_zone(name: str) -> None:
    if name not in time_zone_names():
        raise ValidationError(
            _("“%(name)s” is not a time zone name such as Europe/London or America/New_York."),
            code="time_zone", params={"name": name[:80]},
        )
