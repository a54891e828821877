from django import template
from django.conf import settings
from django.utils.translation import gettext as _

from meetings import geo

register = template.Library()


@register.simple_tag
def data_credits() -> list:
    """The attributions our open data licences require, for the footer."""
    if hasattr(geo, "data_credits"):
        return list(geo.data_credits())
    year = settings.CODEPOINT_RELEASE_YEAR
    return [
        _(
            "Postcode locations from OS Code-Point Open. Contains OS data © Crown copyright "
            "and database right %(year)s; Royal Mail data © Royal Mail copyright and database "
            "right %(year)s; National Statistics data © Crown copyright and database right "
            "%(year)s. Open Government Licence v3.0."
        ) % {"year": year},
        _("Place names from GeoNames (geonames.org), CC BY 4.0."),
    ]
