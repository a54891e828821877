from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from meetings.models import Meeting

from . import throttle, tokens
from .forms import ReportForm


def listed_meeting(slug: str) -> Meeting:
    return get_object_or_404(Meeting.objects.listed().select_related("fellowship"), slug=slug)


# No CSRF cookie on a visitor's page: a signed token in the form instead (reports/tokens.py
# says why that is enough). Never cached, as the token carries the time it was made.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def report_form(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = listed_meeting(slug)
    status = 200
    too_many = False
    if request.method == "POST":
        form = ReportForm(request.POST, meeting=meeting)
        if form.is_spam:
            # Thanked like anyone else, so a bot learns nothing; nothing is kept.
            return redirect("report-thanks", slug=meeting.slug)
        if form.is_valid():
            if throttle.allow_report(request):
                form.save()
                return redirect("report-thanks", slug=meeting.slug)
            too_many, status = True, 429
        # An invalid form is answered 200 with its messages, as Django's own forms are.
    else:
        form = ReportForm(meeting=meeting)
    context = {
        "meeting": meeting,
        "form": form,
        "token": tokens.make_token(meeting.pk),
        "too_many": too_many,
    }
    return render(request, "reports/report_form.html", context, status=status)


@require_GET
def report_thanks(request: HttpRequest, slug: str) -> HttpResponse:
    return render(request, "reports/report_thanks.html", {"meeting": listed_meeting(slug)})
