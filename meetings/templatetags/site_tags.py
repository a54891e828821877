from django import template

from meetings import geo

register = template.Library()


@register.simple_tag
def data_credits(year=None) -> list:
    """The attributions our open data licences require, for the footer."""
    return geo.data_credits(year)
