"""Error pages: a visitor who hits a dead link or a fault still has a way forward and the
crisis numbers."""

import re

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, override_settings
from django.urls import path
from django.views.defaults import server_error

from recovery_finder.urls import urlpatterns as site_urlpatterns
from tests.factories import make_meeting


def broken_view(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a fault in a view")


# The site's own URLs plus one that fails, to see a 500 go through the real middleware.
urlpatterns = [path("broken/", broken_view), *site_urlpatterns]

CRISIS_LINKS = ['href="tel:116123"', 'href="sms:85258"', 'href="tel:111"', 'href="tel:999"']
UNREACHABLE_CACHE = {
    "BACKEND": "django.core.cache.backends.redis.RedisCache",
    "LOCATION": "redis://127.0.0.1:1/0",
}


def assert_plain_page_under_our_policy(response: HttpResponse) -> str:
    page = response.content.decode()
    assert re.search(r"<title>[^<]+</title>", page)
    assert len(re.findall(r"<h1[ >]", page)) == 1
    assert "<script" not in page
    assert "<style" not in page and " style=" not in page
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    return page


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_a_removed_meeting_shows_a_kind_404_with_a_way_forward(client):
    response = client.get("/meetings/gone/")
    assert response.status_code == 404
    page = assert_plain_page_under_our_policy(response)
    assert "We can't find that page" in page
    assert "the meeting may have closed or moved" in page
    assert 'action="/meetings/"' in page and 'name="near"' in page
    # Like the search pages' place box (see the privacy page): not remembered.
    assert 'name="near" id="not-found-near" autocomplete="off"' in page
    assert 'href="/meetings/"' in page
    assert 'href="/"' in page


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_the_404_page_has_the_crisis_contacts(client):
    page = client.get("/meetings/gone/").content.decode()
    assert "116 123" in page
    for link in CRISIS_LINKS:
        assert link in page
    assert 'href="#crisis"' in page.split("</header>")[0]


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_a_closed_meeting_gets_the_same_404_page(client):
    meeting = make_meeting(status="closed")
    response = client.get(f"/meetings/{meeting.slug}/")
    assert response.status_code == 404
    assert "the meeting may have closed or moved" in response.content.decode()


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_the_404_page_is_not_cached_as_if_it_were_the_page(client):
    response = client.get("/meetings/gone/")
    assert "ETag" not in response
    assert "public" not in response.get("Cache-Control", "")


# No django_db mark: pytest-django makes any database query fail, and the caches point
# at a Redis that is not there, as when the 500 is because one of them is down.
@override_settings(DEBUG=False, CACHES={"default": UNREACHABLE_CACHE,
                                        "fragments": UNREACHABLE_CACHE})
def test_the_500_page_renders_with_no_database_or_cache():
    response = server_error(RequestFactory().get("/meetings/"))
    assert response.status_code == 500
    page = response.content.decode()
    assert "{%" not in page and "{{" not in page and "{#" not in page
    assert "Sorry, something went wrong" in page
    assert "116 123" in page
    for link in CRISIS_LINKS:
        assert link in page
    assert 'href="/"' in page


@override_settings(DEBUG=False, ROOT_URLCONF=__name__, CACHES={
    "default": UNREACHABLE_CACHE, "fragments": UNREACHABLE_CACHE})
def test_a_fault_in_a_view_shows_the_500_page_under_our_policy(client):
    client.raise_request_exception = False
    response = client.get("/broken/")
    assert response.status_code == 500
    page = assert_plain_page_under_our_policy(response)
    assert "Sorry, something went wrong" in page
    assert 'href="tel:116123"' in page


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_the_500_page_stylesheet_is_served_without_a_manifest_lookup(client):
    page = server_error(RequestFactory().get("/")).content.decode()
    href = re.search(r'<link rel="stylesheet" href="([^"]+)">', page)[1]
    assert href == "/static/css/site.css"
    response = client.get(href)
    assert response.status_code == 200
    assert b".crisis" in b"".join(response.streaming_content)
