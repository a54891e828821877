"""Whole search pages kept for visitors (issue 14, meetings/page_cache.py): the search page,
/meetings.json and the embed are built once per query, data version and language, then
served to every visitor asking the same thing with no work but reading the data version,
until their wording would change (a meeting shown starts or ends, the day turns; an hour
at most); a staff edit shows at once; staff and anyone with a cookie of ours are served
fresh; and public pages are gzipped while the admin and forms with a token are not."""

import gzip
import logging
import re

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import data_version
from data_version.models import DataVersion
from meetings.models import Meeting
from meetings.page_cache import worth_keeping
from tests.factories import make_meeting, sign_in
from tests.test_history import form_data

pytestmark = pytest.mark.django_db

KEPT_PAGES = ["/meetings/", "/meetings.json", "/embed/meetings/"]


@pytest.fixture(autouse=True)
def start_of_a_minute(time_machine):
    """Each test starts as a minute begins, so its requests never straddle two minutes."""
    time_machine.move_to(timezone.now().replace(second=0, microsecond=0), tick=True)


@pytest.fixture
def meetings(fellowships):
    return {
        "calder": make_meeting(name="Calder Valley Serenity", fellowship=fellowships["aa"]),
        "tools": make_meeting(name="Tuesday Tools", fellowship=fellowships["smart-recovery"],
                              weekday=1),
    }


@pytest.fixture
def staff(django_user_model) -> Client:
    """A staff member signed in to the admin, in a browser of their own."""
    user = django_user_model.objects.create_user("curator", is_staff=True, is_superuser=True)
    browser = Client()
    sign_in(browser, user)
    return browser


def queries_for(client: Client, url: str, **headers) -> tuple[list[str], object]:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, **headers)
    return [query["sql"] for query in context.captured_queries], response


def served_from_cache(client: Client, url: str, **headers) -> bool:
    """Answered with no database work but the data version's one-row read."""
    sql, response = queries_for(client, url, **headers)
    assert response.status_code < 500, url
    return len(sql) == 1 and DataVersion._meta.db_table in sql[0]


# --- a change shows at once -------------------------------------------------------------

@pytest.mark.parametrize("url", KEPT_PAGES)
def test_a_kept_page_changes_at_once_when_staff_edit_a_meeting(client, meetings, staff, url):
    calder = meetings["calder"]
    assert "Calder Valley Serenity" in client.get(url).content.decode()
    assert served_from_cache(client, url)

    response = staff.post(reverse("admin:meetings_meeting_change", args=[calder.pk]),
                          form_data(calder, name="Calder Valley Hope"))
    assert response.status_code == 302

    text = client.get(url).content.decode()
    assert "Calder Valley Hope" in text and "Calder Valley Serenity" not in text


def test_a_page_is_kept_until_the_data_version_changes(client, meetings):
    # A bulk write that forgot its bump (update() sends no signal) is not seen...
    Meeting.objects.filter(pk=meetings["calder"].pk).update(name="Renamed quietly")
    client.get("/meetings/")
    Meeting.objects.filter(pk=meetings["calder"].pk).update(name="Renamed again")
    assert "Renamed quietly" in client.get("/meetings/").content.decode()
    # ...until it bumps the version, as docs/deployment.md tells bulk writers to.
    data_version.bump()
    assert "Renamed again" in client.get("/meetings/").content.decode()


# Monday 7 December 2026 (UTC is UK time in winter): Calder Valley Serenity meets at
# 7:30-8:30pm on Mondays, Tuesday Tools at the same time on Tuesdays. With a shared cache
# (Redis with CACHE_URL; here the test's local memory, one process) a page lasts until its
# wording changes; with a cache per process, a minute at most.

@pytest.fixture
def shared(settings):
    settings.PAGE_CACHE_SHARED = True


def served_from_shared_cache(client: Client, url: str) -> bool:
    sql, response = queries_for(client, url)
    assert response.status_code < 500, url
    return not sql


def test_with_a_cache_per_process_a_page_lasts_a_minute_at_most(client, meetings,
                                                                time_machine):
    time_machine.move_to("2026-12-07 19:00:10+00:00", tick=False)
    client.get("/meetings/")
    time_machine.move_to("2026-12-07 19:01:09+00:00", tick=False)
    assert served_from_cache(client, "/meetings/")
    time_machine.move_to("2026-12-07 19:01:10+00:00", tick=False)
    assert not served_from_cache(client, "/meetings/")


@pytest.mark.parametrize("url", KEPT_PAGES)
def test_a_kept_page_lasts_until_a_meeting_it_shows_starts(client, meetings, shared,
                                                           time_machine, url):
    time_machine.move_to("2026-12-07 19:00:10+00:00", tick=False)
    assert "Tonight 7:30pm" in client.get("/meetings/").content.decode()
    client.get(url)
    time_machine.move_to("2026-12-07 19:29:59+00:00", tick=False)
    assert served_from_shared_cache(client, url)
    time_machine.move_to("2026-12-07 19:30:00+00:00", tick=False)
    assert not served_from_shared_cache(client, url)
    assert "Now (started 7:30pm)" in client.get("/meetings/").content.decode()
    time_machine.move_to("2026-12-07 20:29:59+00:00", tick=False)
    assert served_from_shared_cache(client, url)
    time_machine.move_to("2026-12-07 20:30:00+00:00", tick=False)  # it ends
    assert not served_from_shared_cache(client, url)


def test_a_kept_page_lasts_until_the_day_turns(client, meetings, shared, time_machine):
    time_machine.move_to("2026-12-07 23:15:00+00:00", tick=False)
    assert "Tomorrow 7:30pm" in client.get("/meetings/").content.decode()
    time_machine.move_to("2026-12-07 23:59:59+00:00", tick=False)
    assert served_from_shared_cache(client, "/meetings/")
    time_machine.move_to("2026-12-08 00:00:00+00:00", tick=False)
    assert not served_from_shared_cache(client, "/meetings/")
    assert "Tonight 7:30pm" in client.get("/meetings/").content.decode()


def test_a_kept_page_lasts_an_hour_at_most(client, meetings, shared, time_machine):
    time_machine.move_to("2026-12-07 21:00:00+00:00", tick=False)  # next change: midnight
    client.get("/meetings/")
    time_machine.move_to("2026-12-07 21:59:59+00:00", tick=False)
    assert served_from_shared_cache(client, "/meetings/")
    time_machine.move_to("2026-12-07 22:00:00+00:00", tick=False)
    assert not served_from_shared_cache(client, "/meetings/")


def test_what_is_happening_now_is_kept_for_its_minute(client, meetings, shared, time_machine):
    time_machine.move_to("2026-12-07 19:00:10+00:00", tick=False)
    client.get("/meetings/?when=now")
    time_machine.move_to("2026-12-07 19:00:59+00:00", tick=False)
    assert served_from_shared_cache(client, "/meetings/?when=now")
    time_machine.move_to("2026-12-07 19:01:00+00:00", tick=False)
    assert not served_from_shared_cache(client, "/meetings/?when=now")


# --- the key: the normalised query --------------------------------------------------------

@pytest.mark.parametrize("url", KEPT_PAGES)
def test_unknown_parameters_and_the_order_of_values_share_one_kept_page(client, meetings, url):
    client.get(f"{url}?day=monday&day=tuesday&fellowship=aa")
    for same in [f"{url}?day=monday&day=tuesday&fellowship=aa&utm_source=partner",
                 f"{url}?fellowship=aa&day=tuesday&day=monday",
                 f"{url}?fellowship=aa&day=tuesday&day=monday&ref=x&ref=y"]:
        assert served_from_cache(client, same), same


@pytest.mark.parametrize("url", KEPT_PAGES)
def test_a_different_filter_or_page_is_a_different_page(client, meetings, url):
    aa = client.get(f"{url}?fellowship=aa").content.decode()
    assert not served_from_cache(client, f"{url}?fellowship=smart-recovery")
    smart = client.get(f"{url}?fellowship=smart-recovery").content.decode()
    assert "Calder Valley Serenity" in aa and "Calder Valley Serenity" not in smart
    assert "Tuesday Tools" in smart and "Tuesday Tools" not in aa
    assert not served_from_cache(client, f"{url}?fellowship=aa&page=2")


def test_a_kept_page_never_shows_another_visitors_unknown_parameters(client, meetings):
    first = client.get("/meetings/?fellowship=aa&sort=name&tracking=visitor-123")
    assert "visitor-123" not in first.content.decode()
    # Its links keep the search itself.
    assert "?fellowship=aa&amp;sort=soonest" in first.content.decode()
    assert served_from_cache(client, "/meetings/?fellowship=aa&sort=name")


def test_the_language_is_part_of_the_key(client, meetings):
    english = client.get("/meetings/")
    assert served_from_cache(client, "/meetings/")
    # The language is the address's: a browser preferring Welsh gets the same English page.
    assert served_from_cache(client, "/meetings/", HTTP_ACCEPT_LANGUAGE="cy")
    assert not served_from_cache(client, "/cy/meetings/")
    welsh = client.get("/cy/meetings/")
    assert '<html lang="en-GB">' in english.content.decode()
    assert '<html lang="cy">' in welsh.content.decode()
    assert welsh["Content-Language"] == "cy"
    assert served_from_cache(client, "/cy/meetings/")


def test_absolute_links_follow_the_host_asked(client, meetings, settings):
    settings.ALLOWED_HOSTS = ["a.example", "b.example"]
    client.get("/meetings.json?sort=name&page=1", HTTP_HOST="a.example")
    data = client.get("/meetings.json?sort=name&page=1", HTTP_HOST="b.example").json()
    assert data["results"][0]["url"].startswith("http://b.example/")


# --- what a kept answer costs -------------------------------------------------------------

@pytest.mark.parametrize("url", [f"{page}?fellowship=aa&day=monday" for page in KEPT_PAGES])
def test_a_kept_page_costs_one_query_the_data_version(client, meetings, url,
                                                       django_assert_num_queries):
    client.get(url)
    with django_assert_num_queries(1) as captured:
        response = client.get(url)
    assert response.status_code == 200
    assert DataVersion._meta.db_table in captured.captured_queries[0]["sql"]


def test_a_json_mistake_is_kept_too_and_stays_a_400(client, db):
    assert client.get("/meetings.json?page=two").status_code == 400
    sql, response = queries_for(client, "/meetings.json?page=two")
    assert response.status_code == 400 and len(sql) == 1
    assert "error" in response.json()


def test_a_server_error_or_an_answer_with_a_cookie_is_never_kept():
    from django.http import HttpResponse

    assert worth_keeping(HttpResponse("fine"))
    assert worth_keeping(HttpResponse("bad query", status=400))
    assert not worth_keeping(HttpResponse("down", status=503))
    with_cookie = HttpResponse("fine")
    with_cookie.set_cookie("sessionid", "x")
    assert not worth_keeping(with_cookie)
    varies = HttpResponse("fine")
    varies["Vary"] = "Accept-Language, Cookie"
    assert not worth_keeping(varies)
    private = HttpResponse("fine")
    private["Cache-Control"] = "no-store"
    assert not worth_keeping(private)


def test_the_setting_turns_it_off(client, meetings, settings):
    settings.PAGE_CACHE = False
    client.get("/meetings/")
    assert not served_from_cache(client, "/meetings/")


# --- visitors only, no cookies ------------------------------------------------------------

@pytest.mark.parametrize("url", KEPT_PAGES)
def test_staff_are_served_fresh_pages_and_leave_none_behind(client, meetings, staff, url):
    client.get(url)
    Meeting.objects.filter(pk=meetings["calder"].pk).update(name="Renamed quietly")
    assert "Renamed quietly" in staff.get(url).content.decode()
    assert "Renamed quietly" not in client.get(url).content.decode()
    # Nor does a staff visit replace what visitors are given.
    data_version.bump()
    staff.get(url)
    assert not served_from_cache(client, url)


def test_a_visitor_with_a_message_or_session_cookie_is_served_fresh(client, meetings):
    client.get("/meetings/")
    for cookie in ["messages=abc", "sessionid=abc", "csrftoken=abc"]:
        assert not served_from_cache(Client(HTTP_COOKIE=cookie), "/meetings/"), cookie


def test_a_cookie_of_someone_elses_does_not_stop_the_cache(client, meetings):
    # A load balancer's sticky-session cookie, say: it changes nothing on the page.
    client.get("/meetings/")
    assert served_from_cache(Client(HTTP_COOKIE="lb=node-2"), "/meetings/")


@pytest.mark.parametrize("url", KEPT_PAGES)
@pytest.mark.parametrize("encoding", ["gzip, deflate, br", ""])
def test_kept_pages_set_no_cookie_and_do_not_vary_on_cookies(client, meetings, url, encoding):
    for _built_then_kept in range(2):
        response = client.get(url, HTTP_ACCEPT_ENCODING=encoding)
        assert response.status_code == 200
        assert not response.cookies
        assert "Set-Cookie" not in response
        assert "cookie" not in response.get("Vary", "").lower()
        assert "accept-encoding" in response["Vary"].lower()


def test_a_kept_embed_may_still_be_framed_by_any_site(client, meetings):
    for _built_then_kept in range(2):
        response = client.get("/embed/meetings/?fellowship=aa")
        assert "X-Frame-Options" not in response
        assert "frame-ancestors *" in response["Content-Security-Policy"]
    assert served_from_cache(client, "/embed/meetings/?fellowship=aa")
    assert client.get("/meetings/?fellowship=aa")["X-Frame-Options"] == "DENY"


def test_a_search_that_names_a_place_stays_private_when_kept(client, meetings):
    for _built_then_kept in range(2):
        response = client.get("/meetings/?q=Calder")
        assert response["Cache-Control"] == "private, max-age=300"
    assert client.get("/meetings/?fellowship=aa")["Cache-Control"] == "public, max-age=300"


# --- HEAD and conditional GET -------------------------------------------------------------

@pytest.mark.parametrize("url", KEPT_PAGES)
def test_head_and_conditional_requests_work_on_kept_pages(client, meetings, url):
    head = client.head(url)
    assert head.status_code == 200 and head.content == b""
    full = client.get(url)  # kept by the HEAD
    assert full.content and full["ETag"] == head["ETag"]
    assert served_from_cache(client, url)
    again = client.get(url, HTTP_IF_NONE_MATCH=full["ETag"])
    assert again.status_code == 304
    zipped = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert client.get(url, HTTP_ACCEPT_ENCODING="gzip",
                      HTTP_IF_NONE_MATCH=zipped["ETag"]).status_code == 304


# --- compression --------------------------------------------------------------------------

@pytest.mark.parametrize("url", [*KEPT_PAGES, "/", "/fellowships/", "/guides/", "/partners/"])
def test_public_pages_are_gzipped_when_the_browser_accepts_it(client, meetings, url):
    plain = client.get(url)
    for _built_then_kept in range(2):
        zipped = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
        assert zipped["Content-Encoding"] == "gzip"
        assert gzip.decompress(zipped.content) == plain.content
        assert len(zipped.content) < len(plain.content) / 2
    assert "Content-Encoding" not in client.get(url)  # a client without gzip, after one with
    assert "Content-Encoding" not in client.get(url, HTTP_ACCEPT_ENCODING="identity")


def test_the_same_page_compresses_to_the_same_bytes(client, meetings, settings):
    # No random padding (no secret to protect), so an unchanged page keeps its ETag.
    settings.PAGE_CACHE = False
    first = client.get("/meetings/", HTTP_ACCEPT_ENCODING="gzip")
    second = client.get("/meetings/", HTTP_ACCEPT_ENCODING="gzip")
    assert first.content == second.content and first["ETag"] == second["ETag"]


def test_the_meeting_page_is_gzipped(client, meetings):
    url = meetings["calder"].get_absolute_url()
    assert client.get(url, HTTP_ACCEPT_ENCODING="gzip")["Content-Encoding"] == "gzip"


def test_static_files_and_feeds_are_compressed_once_by_their_own_means(client, meetings):
    # WhiteNoise serves the .gz collectstatic wrote; the feeds gzip as they stream.
    stylesheet = re.search(r'href="(/static/css/[^"]+\.css)"',
                           client.get("/meetings/").content.decode()).group(1)
    static = client.get(stylesheet, HTTP_ACCEPT_ENCODING="gzip")
    assert static["Content-Encoding"] == "gzip"
    assert gzip.decompress(b"".join(static.streaming_content)).startswith(b"/*")
    feed = client.get("/meetings.csv?fellowship=aa", HTTP_ACCEPT_ENCODING="gzip")
    assert feed["Content-Encoding"] == "gzip"
    assert b"Calder Valley Serenity" in gzip.decompress(feed.getvalue())


def test_pages_with_a_token_are_never_gzipped(client, meetings, staff):
    # BREACH: a page holding a CSRF token or a signed form token is sent uncompressed.
    report = reverse("report-meeting", args=[meetings["calder"].slug])
    for browser, url in [(client, "/admin/login/"), (client, report),
                         (staff, "/admin/"), (staff, "/admin/meetings/meeting/"),
                         (staff, "/admin/import-meetings/")]:
        response = browser.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
        assert response.status_code == 200, url
        assert "Content-Encoding" not in response, url
        assert b"<form" in response.content, url


# --- when the cache is unreachable --------------------------------------------------------

def test_pages_still_work_when_the_cache_server_is_down(client, meetings, settings, caplog):
    # A Redis address nobody answers on (the top of this project's test port range).
    settings.CACHES = settings.CACHES | {"pages": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:8129/0",
    }}
    with caplog.at_level(logging.WARNING, logger="meetings.page_cache"):
        response = client.get("/meetings/?q=Calder+Valley")
    assert response.status_code == 200
    assert "Calder Valley Serenity" in response.content.decode()
    assert "Page cache unavailable" in caplog.text
    assert "Calder" not in caplog.text  # nothing of the search in the log
    caches["pages"].close()


# --- served early, before the session and authentication ---------------------------------

@pytest.mark.parametrize("url", KEPT_PAGES)
def test_a_kept_page_is_served_before_the_session_and_authentication_middleware(
        client, meetings, url):
    built = client.get(url)
    assert hasattr(built.wsgi_request, "session") and hasattr(built.wsgi_request, "user")
    kept = client.get(url)
    assert kept.content == built.content
    # PageCacheMiddleware answered: the session, auth and messages middleware never ran.
    for attribute in ("session", "user", "_messages"):
        assert not hasattr(kept.wsgi_request, attribute), attribute
    assert kept["Content-Language"] == "en-gb"  # LocaleMiddleware, above it, still did


def test_other_pages_are_left_to_the_usual_middleware(client, meetings):
    for _twice in range(2):
        response = client.get(meetings["calder"].get_absolute_url())
        assert hasattr(response.wsgi_request, "session")


def test_an_answer_to_a_conditional_request_is_not_what_is_kept(client, meetings):
    url = "/embed/meetings/?fellowship=aa"
    etag = client.get(url)["ETag"]
    data_version.bump()  # a new key: the next request builds the page again...
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304  # ...as a 304
    again = client.get(url)
    assert again.status_code == 200 and b"Calder Valley Serenity" in again.content


@pytest.mark.parametrize("query", [
    "", "day=monday&day=tuesday&fellowship=aa", "fellowship=aa&day=tuesday&day=monday&x=1",
    "near=LS6+1AA&near=HX7+5AB&page=2&page=3", "q=&sort=name", "format=online&utm_source=p",
])
def test_the_keys_query_is_the_normalised_query(query):
    from django.http import QueryDict

    from meetings.filters import PAGE_PARAMETERS, normalised_lists, normalised_query

    params = QueryDict(query)
    assert (normalised_lists(params, PAGE_PARAMETERS)
            == list(normalised_query(params, PAGE_PARAMETERS).lists()))


def test_forgetting_the_lists_bumps_the_data_version_once_committed(
        db, django_capture_on_commit_callbacks):
    from django.db import transaction

    from meetings import catalogue

    before = data_version.current()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        catalogue.forget()
        assert data_version.current() == before  # not until the lists' version is gone
    assert data_version.current() != before
