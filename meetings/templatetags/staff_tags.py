"""Pieces of the admin home (templates/admin/index.html)."""

from django import template
from django.contrib import admin
from django.utils import timezone

from ..models import Meeting
from ..stale import months_before

register = template.Library()


@register.inclusion_tag("admin/meetings/_stale_listings.html", takes_context=True)
def stale_listings(context) -> dict:
    """Per fellowship, the listed meetings not checked for 6 or 12 months or ever. Read
    through the meeting admin's queryset, so a staff member sees the counts of the
    meetings they may edit and no others."""
    request = context["request"]
    meetings = admin.site.get_model_admin(Meeting).get_queryset(request)
    today = timezone.localdate()
    return {
        "rows": list(meetings.stale_counts(today)),
        "six_months_ago": months_before(today, 6),
        "twelve_months_ago": months_before(today, 12),
    }
