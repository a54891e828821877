"""A visitor tells us a listing is wrong: no account, no cookie, kind words, no spam."""

import re

import pytest
from django.core import signing
from django.core.cache import cache

from meetings.models import Status
from reports import tokens
from reports.models import DETAILS_MAX_LENGTH, Kind, Report, ReportStatus
from tests.factories import make_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()  # the rate limit's counts
    yield
    cache.clear()


@pytest.fixture
def meeting(fellowships):
    return make_meeting(name="Tuesday Night Group", fellowship=fellowships["aa"])


def form_url(meeting) -> str:
    return f"/meetings/{meeting.slug}/report/"


def token_from(html: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', html).group(1)


def report(client, meeting, token=None, address="203.0.113.7", **fields):
    if token is None:
        token = token_from(client.get(form_url(meeting)).content.decode())
    data = {"kind": Kind.CLOSED, "details": "", "reporter_email": "", "website": "",
            "token": token} | fields
    return client.post(form_url(meeting), data, REMOTE_ADDR=address)


def test_every_meeting_page_links_to_the_form(client, meeting):
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert f'<a href="/meetings/{meeting.slug}/report/">Something wrong? Tell us</a>' in html


def test_the_form_offers_each_kind_of_problem_and_sets_no_cookie(client, meeting):
    response = client.get(form_url(meeting))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Set-Cookie" not in response and response.cookies == {}
    for label in ["It has closed for good", "It is not meeting for now",
                  "The time or day has changed", "It has moved to another place",
                  "The online link or phone number does not work", "Something else"]:
        assert label in html
    assert "csrfmiddlewaretoken" not in html
    # The token carries the time it was made: never kept in a shared cache.
    assert "no-store" in response["Cache-Control"]


def test_a_report_is_saved_and_thanked_without_any_cookie(client, meeting):
    response = report(client, meeting, kind=Kind.TIME_CHANGED,
                      details="Now Wednesdays at 8pm", reporter_email="me@example.org")
    assert response.status_code == 302
    assert response["Location"] == f"/meetings/{meeting.slug}/report/thanks/"
    assert response.cookies == {} and "Set-Cookie" not in response
    saved = Report.objects.get()
    assert (saved.meeting, saved.kind, saved.details, saved.reporter_email, saved.status) == (
        meeting, Kind.TIME_CHANGED, "Now Wednesdays at 8pm", "me@example.org", ReportStatus.NEW
    )
    thanks = client.get(response["Location"])
    assert "Thank you for telling us" in thanks.content.decode()
    assert thanks.cookies == {}


def test_a_bot_that_fills_the_hidden_field_is_thanked_and_nothing_is_kept(client, meeting):
    response = report(client, meeting, website="http://spam.example")
    assert response.status_code == 302
    assert not Report.objects.exists()


def test_the_honeypot_is_hidden_by_the_stylesheet_not_by_inline_style(client, meeting):
    html = client.get(form_url(meeting)).content.decode()
    assert '<div class="report-form__trap">' in html
    assert "style=" not in html


def test_a_sixth_report_in_an_hour_from_one_client_is_refused_kindly(client, meeting, settings):
    settings.REPORTS_PER_HOUR = 5
    for _ in range(5):
        assert report(client, meeting).status_code == 302
    refused = report(client, meeting, details="Closed since June")
    html = refused.content.decode()
    assert refused.status_code == 429
    assert "we have had several reports from you already" in html
    assert "Closed since June" in html  # nothing they typed is lost
    assert Report.objects.count() == 5
    # Another client is not held back by the first.
    assert report(client, meeting, address="198.51.100.9").status_code == 302


def test_the_limit_is_kept_as_a_hashed_key_that_names_no_address(client, meeting):
    from reports.throttle import WINDOW_SECONDS, client_key

    report(client, meeting, address="203.0.113.7")
    from django.test import RequestFactory

    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.7")
    key = client_key(request)
    assert "203.0.113.7" not in key and cache.get(key) == 1
    assert WINDOW_SECONDS <= 3600
    assert not Report.objects.filter(details__contains="203.0.113").exists()


def test_behind_a_proxy_the_client_is_read_from_x_forwarded_for(settings, rf):
    from recovery_finder.client_address import client_address

    settings.TRUSTED_PROXY_COUNT = 1
    request = rf.get("/", REMOTE_ADDR="10.0.0.2",
                     HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7")
    # The balancer appended the address it saw; "1.2.3.4" is whatever the client claimed.
    assert client_address(request) == "203.0.113.7"
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(request) == "10.0.0.2"


def test_details_longer_than_the_limit_are_refused_with_the_text_kept(client, meeting):
    too_long = "x" * (DETAILS_MAX_LENGTH + 1)
    response = report(client, meeting, details=too_long)
    html = response.content.decode()
    assert response.status_code == 200
    assert f"Please keep this to {DETAILS_MAX_LENGTH} characters or fewer" in html
    assert too_long in html
    assert not Report.objects.exists()


def test_something_else_needs_a_few_words(client, meeting):
    response = report(client, meeting, kind=Kind.OTHER, details="   ")
    assert response.status_code == 200
    assert "Please tell us in a few words what is wrong." in response.content.decode()


@pytest.mark.parametrize("fields, message", [
    ({"kind": ""}, "Please choose what is wrong with this listing."),
    ({"kind": "burnt-down"}, "Please choose one of the options listed."),
    ({"reporter_email": "not an address"}, "This does not look like an email address."),
    ({"details": "a\x00b"}, "Null characters are not allowed."),
])
def test_bad_answers_get_a_kind_message_never_a_500(client, meeting, fields, message):
    response = report(client, meeting, **fields)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Report.objects.exists()


def test_a_tampered_token_is_refused_and_the_form_can_be_sent_again(client, meeting):
    token = token_from(client.get(form_url(meeting)).content.decode())
    response = report(client, meeting, token=token[:-2] + "xx", details="Moved to the library")
    html = response.content.decode()
    assert response.status_code == 200
    assert "We could not check this form" in html and "Moved to the library" in html
    assert not Report.objects.exists()
    # The page carries a fresh token: pressing Send again works.
    assert report(client, meeting, token=token_from(html)).status_code == 302


def test_a_token_for_another_meeting_or_none_is_refused(client, meeting, fellowships):
    other = make_meeting(fellowship=fellowships["aa"])
    assert report(client, meeting, token=tokens.make_token(other.pk)).status_code == 200
    assert report(client, meeting, token="").status_code == 200
    assert not Report.objects.exists()


def test_an_expired_token_asks_the_visitor_to_send_again(client, meeting, monkeypatch):
    old = tokens.make_token(meeting.pk)
    monkeypatch.setattr(tokens, "MAX_AGE_SECONDS", -1)
    response = report(client, meeting, token=old)
    assert response.status_code == 200
    assert "This form was open for a long time" in response.content.decode()
    assert not Report.objects.exists()


def test_a_token_signed_with_another_salt_is_refused(client, meeting):
    forged = signing.TimestampSigner(salt="something-else").sign(str(meeting.pk))
    assert report(client, meeting, token=forged).status_code == 200
    assert not Report.objects.exists()


def test_no_form_for_a_closed_meeting_or_an_unknown_one(client, meeting):
    assert client.get("/meetings/no-such-meeting/report/").status_code == 404
    meeting.status = Status.CLOSED
    meeting.save()
    assert client.get(form_url(meeting)).status_code == 404


def test_other_methods_are_refused_plainly(client, meeting):
    assert client.put(form_url(meeting)).status_code == 405


def test_the_privacy_page_says_the_email_is_deleted_when_the_report_is_closed(client, db):
    html = client.get("/privacy/").content.decode()
    assert 'id="reports"' in html
    assert "deleted when we close your report" in html
    assert "We do not keep your internet address" in html
