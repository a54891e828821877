"""With CACHE_URL naming Redis, as on several hosts: Django's Redis cache against a real
server (redis://127.0.0.1:6379, database 15 unless TEST_REDIS_URL says otherwise).

CI sets TEST_REDIS_URL, so there these tests fail rather than skip if Redis is missing.
"""

import gzip
import os

import pytest
import redis
from django.core.cache import cache, caches

from groups.models import Fellowship
from meetings import catalogue
from meetings.geo import RELEASE_YEAR_CACHE_KEY

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
LOCAL = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "fragments"}


def use_redis(settings, url: str) -> None:
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url},
        "fragments": LOCAL,
        "feeds": LOCAL | {"LOCATION": "feeds"},
        "pages": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url,
                  "KEY_PREFIX": "pages"},
    }
    caches["fragments"].clear()
    caches["feeds"].clear()


@pytest.fixture
def shared_cache(settings):
    """The site's cache in Redis, and a plain Redis client, as another host would use."""
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.ConnectionError:
        if "TEST_REDIS_URL" in os.environ:
            raise
        pytest.skip(f"no Redis at {REDIS_URL}")
    use_redis(settings, REDIS_URL)
    cache.clear()
    catalogue.forget()
    yield redis.Redis.from_url(REDIS_URL)
    cache.clear()


def test_a_change_saved_on_another_host_is_seen_on_the_next_page(client, fellowships,
                                                                   shared_cache):
    assert "Alcoholics Anonymous" in client.get("/meetings/").content.decode()
    stored = cache.make_key(catalogue.VERSION_KEY)
    assert shared_cache.exists(stored)

    # Another host saves a change: its database write, then its signal drops the version.
    Fellowship.objects.filter(slug="aa").update(name="Alcoholics Anonymous (GB)")
    assert "Alcoholics Anonymous (GB)" not in client.get("/meetings/").content.decode()
    shared_cache.delete(stored)

    assert "Alcoholics Anonymous (GB)" in client.get("/meetings/").content.decode()


def test_a_save_here_drops_the_version_every_host_reads(client, fellowships, shared_cache):
    client.get("/meetings/")
    stored = cache.make_key(catalogue.VERSION_KEY)
    before = shared_cache.get(stored)

    aa = fellowships["aa"]
    aa.name = "Renamed here"
    aa.save()

    assert shared_cache.get(stored) != before


def test_the_footer_credits_the_release_another_host_loaded(client, db, shared_cache):
    shared_cache.set(cache.make_key(RELEASE_YEAR_CACHE_KEY), 2030)
    assert "database right 2030" in client.get("/privacy/").content.decode()


def test_pages_still_work_while_the_cache_is_down(client, fellowships, settings,
                                                  django_assert_num_queries):
    use_redis(settings, "redis://127.0.0.1:1/0")  # nothing listens on port 1
    catalogue.forget()

    for url in ["/", "/meetings/", "/privacy/", "/meetings.json"]:
        assert client.get(url).status_code == 200, url
    # Nowhere to keep the version, so each page reads the lists itself.
    with django_assert_num_queries(4):
        client.get("/privacy/")
    assert "database right" in client.get("/privacy/").content.decode()


def test_feeds_are_kept_in_the_shared_cache_for_every_host(client, fellowships, shared_cache,
                                                          django_assert_num_queries):
    from tests.factories import make_meeting

    make_meeting(fellowship=fellowships["aa"], name="Calder Valley Serenity")
    built = client.get("/api/meeting-guide.json").getvalue()
    assert any(key.startswith(cache.make_key("feed:").encode())
               for key in shared_cache.scan_iter())
    caches["feeds"].clear()  # as on another host, with no copy of its own
    with django_assert_num_queries(1):  # only the data version
        assert client.get("/api/meeting-guide.json").getvalue() == built


def test_feeds_still_work_while_the_cache_is_down(client, fellowships, settings):
    from tests.factories import make_meeting

    make_meeting(fellowship=fellowships["aa"], name="Calder Valley Serenity")
    use_redis(settings, "redis://127.0.0.1:1/0")  # nothing listens on port 1
    catalogue.forget()
    for path in ["/api/meeting-guide.json", "/meetings.csv", "/meetings.ics"]:
        response = client.get(path, HTTP_ACCEPT_ENCODING="gzip")
        assert response.status_code == 200, path
        assert b"Calder Valley Serenity" in gzip.decompress(response.getvalue())


def test_kept_search_pages_are_shared_under_keys_that_name_no_place(
        client, fellowships, place, shared_cache, django_assert_num_queries, time_machine):
    from django.test import Client
    from django.utils import timezone

    from tests.factories import make_meeting, make_venue

    # At the start of a minute, so the two requests fall in the same one.
    time_machine.move_to(timezone.now().replace(second=0, microsecond=0), tick=True)
    leeds = place("LS6 1AA")
    make_meeting(fellowship=fellowships["aa"], name="Calder Valley Serenity",
                 venue=make_venue(latitude=leeds.latitude, longitude=leeds.longitude))
    built = client.get("/meetings/?near=LS6+1AA", HTTP_ACCEPT_ENCODING="gzip").content
    keys = list(shared_cache.scan_iter(caches["pages"].make_key("*")))
    assert len(keys) == 1
    assert b"LS6" not in keys[0].upper() and b"NEAR" not in keys[0].upper()
    # Another visitor, as if on another host (the same Redis), is given it.
    with django_assert_num_queries(1):  # only the data version
        again = Client().get("/meetings/?near=LS6+1AA", HTTP_ACCEPT_ENCODING="gzip")
    assert again.content == built
    assert b"Calder Valley Serenity" in gzip.decompress(again.content)
