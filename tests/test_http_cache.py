"""Short public caching and conditional GET for public pages, never for private ones."""

from django.http import HttpResponse
from django.test import RequestFactory

from meetings.http_cache import PublicCacheMiddleware

factory = RequestFactory()


def middleware(view_response: HttpResponse) -> PublicCacheMiddleware:
    return PublicCacheMiddleware(lambda request: view_response)


def test_a_public_page_is_cached_briefly_with_an_etag():
    response = middleware(HttpResponse("hello"))(factory.get("/fellowships/"))
    assert response["Cache-Control"] == "public, max-age=300"
    assert response["ETag"]


def test_an_unchanged_page_is_answered_304():
    etag = middleware(HttpResponse("hello"))(factory.get("/")).get("ETag")
    response = middleware(HttpResponse("hello"))(factory.get("/", HTTP_IF_NONE_MATCH=etag))
    assert response.status_code == 304


def test_a_page_that_sets_a_cookie_is_not_cached():
    page = HttpResponse("form with a CSRF token")
    page.set_cookie("csrftoken", "x")
    assert not middleware(page)(factory.get("/report/")).has_header("Cache-Control")


def test_a_page_that_varies_on_cookies_is_not_cached():
    page = HttpResponse("hello")
    page["Vary"] = "Cookie"
    assert not middleware(page)(factory.get("/")).has_header("Cache-Control")


def test_a_signed_in_visitor_gets_no_public_caching():
    request = factory.get("/", HTTP_COOKIE="sessionid=abc")
    assert not middleware(HttpResponse("hello"))(request).has_header("Cache-Control")


def test_a_view_that_chose_its_own_caching_keeps_it(client, db):
    response = client.get("/healthz")
    assert "public" not in response["Cache-Control"]


def test_posts_and_errors_are_not_cached():
    assert not middleware(HttpResponse("x"))(factory.post("/")).has_header("Cache-Control")
    missing = HttpResponse("gone", status=404)
    assert not middleware(missing)(factory.get("/")).has_header("Cache-Control")
