"""Staff review reports in the admin: the queue, the review page, one-step outcomes."""

import datetime
import re

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from meetings.models import Status
from reports import outcomes
from reports.models import Kind, Outcome, Report, ReportStatus
from tests.factories import make_fellowship, make_meeting, sign_in

pytestmark = pytest.mark.django_db

QUEUE = "/admin/reports/report/"


@pytest.fixture
def curator(django_user_model):
    return django_user_model.objects.create_user("curator", is_staff=True, is_superuser=True)


@pytest.fixture
def staff_client(client, curator):
    sign_in(client, curator)
    return client


@pytest.fixture
def meeting():
    aa = make_fellowship(name="Alcoholics Anonymous", short_name="AA", slug="aa-test")
    return make_meeting(name="Calder Valley Serenity", fellowship=aa, weekday=1,
                        start_time=datetime.time(19, 30), last_verified=datetime.date(2020, 1, 1))


def make_report(meeting, **fields) -> Report:
    return Report.objects.create(meeting=meeting, **({"kind": Kind.CLOSED} | fields))


def review_url(report: Report) -> str:
    return reverse("admin:reports_report_change", args=[report.pk])


# --- The queue ------------------------------------------------------------------------

def test_the_queue_lists_reports_newest_first_with_their_meeting(staff_client, meeting):
    old = make_report(meeting, details="Shut in March",
                      created=timezone.now() - datetime.timedelta(days=40))
    new = make_report(meeting, kind=Kind.MOVED, details="Now at the library")
    html = staff_client.get(QUEUE).content.decode()
    assert html.index(f"#{new.pk}") < html.index(f"#{old.pk}")
    assert "Calder Valley Serenity" in html and "Now at the library" in html


@pytest.mark.parametrize("query, shown", [
    ("status__exact=new", {"fresh"}),
    ("status__exact=dismissed", {"dismissed"}),
    ("age=over-month", {"old"}),
    ("age=today", {"fresh", "dismissed"}),
])
def test_the_queue_filters_by_status_and_age(staff_client, meeting, curator, query, shown):
    reports = {
        "fresh": make_report(meeting, details="fresh one"),
        "old": make_report(meeting, details="old one",
                           created=timezone.now() - datetime.timedelta(days=45)),
        "dismissed": make_report(meeting, details="dismissed one"),
    }
    outcomes.apply(reports["old"], Outcome.VERIFY, curator)
    outcomes.apply(reports["dismissed"], outcomes.DISMISS, curator, reason="Spam")
    html = staff_client.get(f"{QUEUE}?{query}").content.decode()
    assert {name for name in reports if f"{name} one" in html} == shown


def test_the_queue_filters_by_fellowship(staff_client, meeting):
    smart = make_fellowship(name="SMART Recovery", short_name="SMART", slug="smart-test")
    make_report(meeting, details="about AA")
    make_report(make_meeting(fellowship=smart), details="about SMART")
    html = staff_client.get(f"{QUEUE}?meeting__fellowship__id__exact={smart.pk}").content.decode()
    assert "about SMART" in html and "about AA" not in html


def test_the_queue_costs_the_same_queries_for_one_report_or_forty(
        staff_client, meeting, django_assert_num_queries):
    make_report(meeting)
    staff_client.get(QUEUE)  # warm up: content types, permissions
    with django_assert_num_queries(7) as one:  # 6, and the session's second-step device
        staff_client.get(QUEUE)
    others = [make_meeting(fellowship=meeting.fellowship) for _ in range(39)]
    for other in others:
        make_report(other)
    with django_assert_num_queries(len(one.captured_queries)):
        assert "40 reports" in staff_client.get(QUEUE).content.decode()


def test_reports_are_not_added_by_staff(staff_client):
    assert staff_client.get("/admin/reports/report/add/").status_code == 403


def test_the_admin_home_counts_new_reports(staff_client, meeting):
    make_report(meeting)
    make_report(meeting)
    html = staff_client.get("/admin/").content.decode()
    assert "2 new reports to review" in html


# --- The review page --------------------------------------------------------------------

def test_the_review_page_shows_the_meeting_beside_the_report(staff_client, meeting):
    report = make_report(meeting, details="Closed since the summer",
                         reporter_email="r@example.org")
    html = staff_client.get(review_url(report)).content.decode()
    for text in ["Closed since the summer", "It has closed for good",
                 "The meeting as listed now", "Calder Valley Serenity", "Every Tuesday, 19:30",
                 "Last checked", "left an email address"]:
        assert text in html, text
    assert "r@example.org" not in html  # staff reply through the form, not by hand
    # The likely outcome is chosen to start with: one click for the usual case.
    assert re.search(r'<input type="radio" name="outcome" value="close"[^>]* checked>', html)


def test_closing_the_meeting_accepts_the_report_and_marks_it_checked(
        staff_client, meeting, curator):
    report = make_report(meeting, reporter_email="r@example.org")
    response = staff_client.post(review_url(report), {"outcome": Outcome.CLOSE})
    assert response.status_code == 302
    meeting.refresh_from_db()
    report.refresh_from_db()
    assert meeting.status == Status.CLOSED
    assert meeting.last_verified == timezone.localdate()
    assert (report.status, report.outcome, report.closed_by) == (
        ReportStatus.ACCEPTED, Outcome.CLOSE, curator)
    assert report.closed is not None
    assert report.reporter_email == ""  # deleted on closing, as the privacy page says


def test_suspending_the_meeting(staff_client, meeting):
    report = make_report(meeting, kind=Kind.NOT_MEETING)
    staff_client.post(review_url(report), {"outcome": Outcome.SUSPEND})
    meeting.refresh_from_db()
    assert meeting.status == Status.SUSPENDED


def test_changing_the_day_and_time(staff_client, meeting):
    report = make_report(meeting, kind=Kind.TIME_CHANGED, details="Wednesdays at 8pm now")
    response = staff_client.post(review_url(report), {
        "outcome": Outcome.RESCHEDULE, "weekday": "2", "recurrence": "weekly",
        "start_time": "20:00", "end_time": "21:00",
    })
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.weekday, meeting.start_time, meeting.end_time) == (
        2, datetime.time(20), datetime.time(21))
    assert meeting.last_verified == timezone.localdate()


def test_a_reschedule_to_the_same_time_is_questioned(staff_client, meeting):
    report = make_report(meeting, kind=Kind.TIME_CHANGED)
    response = staff_client.post(review_url(report), {
        "outcome": Outcome.RESCHEDULE, "weekday": "1", "recurrence": "weekly",
        "start_time": "19:30", "end_time": "20:30",
    })
    assert response.status_code == 200
    assert "That is the day and time the meeting has already" in response.content.decode()
    report.refresh_from_db()
    assert report.is_open


def test_marking_verified_changes_only_the_check_date(staff_client, meeting):
    report = make_report(meeting, kind=Kind.OTHER, details="Is this still on?")
    staff_client.post(review_url(report), {"outcome": Outcome.VERIFY})
    meeting.refresh_from_db()
    assert meeting.status == Status.ACTIVE and meeting.last_verified == timezone.localdate()


def test_dismissing_needs_a_reason_and_leaves_the_meeting_alone(staff_client, meeting):
    report = make_report(meeting, reporter_email="r@example.org")
    refused = staff_client.post(review_url(report), {"outcome": "dismiss", "reason": " "})
    assert refused.status_code == 200
    assert "Say why the report is dismissed" in refused.content.decode()
    staff_client.post(review_url(report), {"outcome": "dismiss",
                                           "reason": "Checked with the group: still meets"})
    report.refresh_from_db()
    meeting.refresh_from_db()
    assert report.status == ReportStatus.DISMISSED
    assert report.dismiss_reason == "Checked with the group: still meets"
    assert report.reporter_email == ""
    assert meeting.status == Status.ACTIVE and meeting.last_verified == datetime.date(2020, 1, 1)


def test_a_closed_report_cannot_be_applied_twice(staff_client, meeting, curator):
    report = make_report(meeting)
    outcomes.apply(report, Outcome.VERIFY, curator)
    with pytest.raises(outcomes.AlreadyClosed):
        outcomes.apply(report, Outcome.CLOSE, curator)
    response = staff_client.post(review_url(report), {"outcome": Outcome.CLOSE})
    assert response.status_code == 200
    meeting.refresh_from_db()
    assert meeting.status == Status.ACTIVE


def test_a_reply_is_emailed_and_then_the_address_deleted(staff_client, meeting, settings):
    settings.REPORT_REPLIES = True
    report = make_report(meeting, reporter_email="r@example.org")
    assert "Reply to the reporter" in staff_client.get(review_url(report)).content.decode()
    staff_client.post(review_url(report), {
        "outcome": Outcome.CLOSE, "reply": "Thank you: we have taken it off the list."})
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["r@example.org"]
    assert "taken it off the list" in mail.outbox[0].body
    report.refresh_from_db()
    assert report.reply_sent and report.reporter_email == ""


def test_a_reply_that_cannot_be_sent_changes_nothing(staff_client, meeting, settings):
    settings.REPORT_REPLIES = True
    # A real SMTP backend pointed at a port where nothing listens.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    settings.EMAIL_USE_TLS = False
    report = make_report(meeting, reporter_email="r@example.org")
    response = staff_client.post(review_url(report), {"outcome": Outcome.CLOSE,
                                                      "reply": "Thanks!"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "The reply could not be sent, so nothing was changed" in html and "Thanks!" in html
    report.refresh_from_db()
    meeting.refresh_from_db()
    assert report.is_open and report.reporter_email == "r@example.org"
    assert meeting.status == Status.ACTIVE


def test_with_replies_off_no_reply_is_offered(staff_client, meeting, settings):
    settings.REPORT_REPLIES = False
    report = make_report(meeting, reporter_email="r@example.org")
    html = staff_client.get(review_url(report)).content.decode()
    assert "Reply to the reporter" not in html and "Replies are off" in html


def test_staff_without_permission_cannot_review(client, django_user_model, meeting):
    clerk = django_user_model.objects.create_user("clerk", is_staff=True)
    client.force_login(clerk)
    report = make_report(meeting)
    # A staff account that looks after no fellowship does not see the report at all.
    assert client.get(review_url(report)).status_code == 404
    assert client.post(review_url(report), {"outcome": Outcome.CLOSE}).status_code == 404
    meeting.refresh_from_db()
    assert meeting.status == Status.ACTIVE


def test_an_unknown_report_is_a_404(staff_client):
    assert staff_client.get(reverse("admin:reports_report_change", args=[999999])).status_code \
        == 404


# --- What the database itself refuses ------------------------------------------------------

@pytest.mark.parametrize("fields", [
    {"status": ReportStatus.ACCEPTED},  # accepted with no outcome or closing time
    {"status": ReportStatus.DISMISSED, "closed": timezone.now()},  # no reason
    {"status": ReportStatus.DISMISSED, "closed": timezone.now(), "dismiss_reason": "x",
     "reporter_email": "r@example.org"},  # a closed report keeping an address
    {"kind": "burnt-down"},
    {"kind": Kind.OTHER, "details": ""},
    {"details": "x" * 1001},
])
def test_the_database_refuses_inconsistent_reports(meeting, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_report(meeting, **fields)


def test_a_report_from_the_welsh_pages_is_answered_in_welsh(staff_client, meeting, settings):
    from django.utils import translation

    settings.REPORT_REPLIES = True
    report = make_report(meeting, reporter_email="r@example.org", language="cy")
    page = staff_client.get(review_url(report)).content.decode()
    assert "They wrote from the Welsh pages: reply in Welsh if you can." in page
    staff_client.post(review_url(report), {"outcome": Outcome.CLOSE, "reply": "Diolch."})
    with translation.override("cy"):
        subject = translation.gettext("About your report on %(meeting)s")
    assert subject != "About your report on %(meeting)s"
    assert mail.outbox[0].subject == subject % {"meeting": meeting.name}
    english = make_report(meeting)
    assert "Welsh pages" not in staff_client.get(review_url(english)).content.decode()
