"""What we promise visitors: no third parties, no cookies, no searched places in logs."""

import logging

import pytest

from tests.factories import make_meeting

PAGES = ["/", "/meetings/?day=monday", "/meetings.json", "/fellowships/", "/guides/",
         "/privacy/"]


@pytest.mark.parametrize("url", PAGES)
def test_only_our_own_origin_and_no_inline_script(client, fellowships, url):
    policy = client.get(url)["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert "unsafe-inline" not in policy


@pytest.mark.parametrize("url", PAGES)
def test_a_visitor_gets_no_cookies(client, fellowships, url):
    response = client.get(url)
    assert response.cookies == {}
    assert "Set-Cookie" not in response


def test_a_meeting_page_sets_no_cookie(client, fellowships):
    meeting = make_meeting(fellowship=fellowships["aa"])
    assert client.get(meeting.get_absolute_url()).cookies == {}


def test_pages_have_no_inline_style_or_third_party_assets(client, fellowships):
    make_meeting(fellowship=fellowships["aa"])
    for url in ["/", "/meetings/", "/fellowships/aa/"]:
        html = client.get(url).content.decode()
        assert "style=" not in html
        assert "<script>" not in html
        assert 'src="http' not in html and 'href="//' not in html


def test_request_logs_leave_out_the_query_string(caplog):
    from recovery_finder.logs import DropQueryString

    record = logging.LogRecord(
        "django.server", logging.INFO, __file__, 1, '"%s" %s %s',
        ("GET /meetings/?near=LS6+1AA HTTP/1.1", "200", "1234"), None,
    )
    DropQueryString().filter(record)
    assert "LS6" not in record.getMessage()
    assert "/meetings/" in record.getMessage()


def test_the_request_logger_is_filtered(settings):
    handlers = settings.LOGGING["loggers"]["django.server"]["handlers"]
    assert all(
        "drop_query_string" in settings.LOGGING["handlers"][name].get("filters", [])
        for name in handlers
    )


@pytest.mark.parametrize("url", ["/", "/meetings/"])
def test_the_browser_is_asked_not_to_remember_places_typed(client, db, url):
    html = client.get(url).content.decode()
    assert '<input type="text" name="near"' in html
    assert 'name="near" id="id_near" value="" autocomplete="off"' in html
