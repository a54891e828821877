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


# Searches that name a place (issue 15): the visitor's browser may keep them, shared caches
# (a workplace proxy, a CDN in front of us) must not keep URLs with a visitor's postcode.

def test_a_search_near_a_place_is_cached_by_the_browser_only():
    response = middleware(HttpResponse("results"))(factory.get("/meetings/?near=LS6+1AA"))
    assert response["Cache-Control"] == "private, max-age=300"
    assert response["ETag"]


def test_free_text_that_may_name_a_street_is_cached_by_the_browser_only():
    response = middleware(HttpResponse("results"))(factory.get("/meetings/?q=Otley+Road"))
    assert response["Cache-Control"] == "private, max-age=300"


def test_a_search_without_a_place_is_still_public():
    for url in ["/meetings/?day=monday&fellowship=aa", "/meetings/?near=&q=+"]:
        response = middleware(HttpResponse("results"))(factory.get(url))
        assert response["Cache-Control"] == "public, max-age=300"


def test_every_search_format_naming_a_place_is_private(client, fellowships, place):
    place("LS6 1AA")
    for url in ["/meetings/?near=LS6+1AA", "/meetings.json?near=LS6+1AA&within=5",
                "/meetings.csv?near=LS6+1AA", "/meetings.ics?near=LS6+1AA",
                "/embed/meetings/?near=LS6+1AA"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "private, max-age=300", url
    assert "public" in client.get("/meetings.json?fellowship=aa")["Cache-Control"]
