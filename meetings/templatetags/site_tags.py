import json

from django import template
from django.utils.safestring import SafeString, mark_safe

from meetings import geo

register = template.Library()


@register.simple_tag
def data_credits(year=None) -> list:
    """The attributions our open data licences require, for the footer."""
    return geo.data_credits(year)


# As Django's json_script escapes (its helper writes type="application/json" only).
SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def script_json(value) -> SafeString:
    """`value` as JSON for the inside of a <script> element in the template (such as
    type="application/ld+json"), escaped so that no value can close the element early."""
    return mark_safe(json.dumps(value, ensure_ascii=False).translate(SCRIPT_ESCAPES))  # noqa: S308
