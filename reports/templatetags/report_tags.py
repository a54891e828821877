from django import template
from django.contrib import admin

from ..models import Report

register = template.Library()


@register.simple_tag(takes_context=True)
def open_report_count(context) -> int:
    """New reports this staff member may review: counted through the queue's own
    queryset (ReportAdmin.get_queryset), the one place that narrows what they see."""
    return admin.site.get_model_admin(Report).get_queryset(context["request"]).open().count()
