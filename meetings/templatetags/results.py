"""{% result_items meetings %}: a list of results' rows, for the search page.

The rows are the hottest markup on the site (twenty a page, some twenty values each), so
their template, templates/jinja2/meetings/_results.html, is rendered by Django's Jinja2
backend: about three times faster than the same template in the Django template
language, which added half again to the 10-mile search's Python work (docs/benchmarks.md).
"""

from django import template
from django.template import engines
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag
def result_items(meetings, heading_level: int = 3) -> SafeString:
    """`heading_level`: of each meeting's name (4 under a heading of a part of the list)."""
    # The meetings' pages differ only in the slug, which needs no quoting: one reverse()
    # for the list rather than one a row (each walks the URL patterns).
    url_start, url_end = reverse("meeting-detail", args=["-"]).rsplit("-", 1)
    rows = engines["jinja2"].get_template("meetings/_results.html").render(
        {"meetings": meetings, "level": heading_level, "url_start": url_start,
         "url_end": url_end}
    )
    # A template's output, escaped by the Jinja2 engine as it rendered (autoescape is on).
    return mark_safe(rows)  # noqa: S308
