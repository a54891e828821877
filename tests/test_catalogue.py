"""The lists every page shares (meetings.catalogue): the fellowships, features and
languages, and whether sample listings exist. Read once, not on every page, and read
again as soon as staff change them."""

import pytest
from django.core.cache import cache
from django.db import transaction

from groups.models import Fellowship
from meetings import catalogue
from meetings.models import Feature, Format, Language, Meeting

from .factories import make_meeting, sign_in

SAMPLE_NOTICE = "These are sample listings"


def test_later_pages_read_nothing_more(client, fellowships, django_assert_num_queries):
    client.get("/privacy/")
    with django_assert_num_queries(0):
        client.get("/privacy/")


def test_a_renamed_fellowship_shows_on_the_next_search(client, fellowships):
    aa = fellowships["aa"]
    make_meeting(fellowship=aa, format=Format.ONLINE)
    assert "Alcoholics Anonymous" in client.get("/meetings/").content.decode()

    aa.name = "Alcoholics Anonymous Great Britain"
    aa.save()

    html = client.get("/meetings/").content.decode()
    assert '<p class="result__fellowship">Alcoholics Anonymous Great Britain</p>' in html
    assert "<span>Alcoholics Anonymous Great Britain</span>" in html  # the filter


def test_a_new_feature_can_be_searched_for_at_once(client, db):
    assert client.get("/meetings.json?feature=sharing-circle").status_code == 400

    Feature.objects.create(slug="sharing-circle", name="Sharing circle", position=90)

    assert client.get("/meetings.json?feature=sharing-circle").status_code == 200
    assert 'value="sharing-circle"' in client.get("/meetings/").content.decode()


def test_a_deleted_language_is_no_longer_offered(client, db):
    assert client.get("/meetings.json?language=pl").status_code == 200

    Language.objects.filter(code="pl").get().delete()

    response = client.get("/meetings.json?language=pl")
    assert response.status_code == 400
    assert "language" in response.json()["errors"]


def test_a_meetings_features_come_from_the_current_lists(client, db):
    make_meeting(format=Format.ONLINE, features=["women"])
    client.get("/meetings.json")
    women = Feature.objects.get(slug="women")
    women.name = "For women"
    women.save()

    [result] = client.get("/meetings.json").json()["results"]
    assert "women" in result["features"]
    html = client.get("/meetings/").content.decode()
    assert "<li>For women</li>" in html


def test_changes_that_send_no_signal_are_read_once_the_version_lapses(client, fellowships,
                                                                      settings):
    # The lists alone: a page kept whole lasts to the end of its minute besides
    # (meetings/page_cache.py), whatever the lists' version does.
    settings.PAGE_CACHE = False
    client.get("/meetings/")
    # As a bulk update, or a change made in another process with a per-process cache.
    Fellowship.objects.filter(slug="aa").update(name="Renamed Elsewhere")
    assert "Renamed Elsewhere" not in client.get("/meetings/").content.decode()

    cache.delete(catalogue.VERSION_KEY)  # what happens LIFETIME seconds after it was set

    assert "Renamed Elsewhere" in client.get("/meetings/").content.decode()


def test_a_meeting_of_a_fellowship_newer_than_the_lists_still_shows(client, fellowships):
    client.get("/meetings/")
    # Made without signals, as in another process whose change this one has not yet seen.
    [new] = Fellowship.objects.bulk_create(
        [Fellowship(name="Newly Listed", slug="newly", philosophy="secular")]
    )
    make_meeting(fellowship=new, format=Format.ONLINE, name="Brand new meeting")

    html = client.get("/meetings/").content.decode()
    assert '<p class="result__fellowship">Newly Listed</p>' in html
    assert client.get("/meetings.json").json()["results"][0]["fellowship"]["slug"] == "newly"


def test_the_version_also_changes_when_the_change_commits(
    fellowships, django_capture_on_commit_callbacks
):
    """A request that read the lists after the save but before the commit (in another
    process, so without the change) must not keep them."""
    aa = fellowships["aa"]
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            aa.name = "Renamed"
            aa.save()
            read_between = catalogue.current()
    assert catalogue.current().version != read_between.version


def test_without_a_cache_the_lists_are_read_every_time(
    client, fellowships, settings, django_assert_num_queries
):
    settings.CACHES = {
        name: {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
        for name in ("default", "fragments")
    }
    client.get("/privacy/")
    with django_assert_num_queries(4):  # fellowships, features, languages, sample data?
        client.get("/privacy/")


@pytest.fixture
def staff_client(client, django_user_model):
    sign_in(client, django_user_model.objects.create_user("curator", is_staff=True,
                                                          is_superuser=True))
    return client


def test_deleting_the_last_sample_listing_takes_the_notice_down(staff_client, db):
    sample = make_meeting(source=Meeting.DEMO_SOURCE, source_id="1")
    catalogue.forget()  # as seed_demo does
    assert SAMPLE_NOTICE in staff_client.get("/").content.decode()

    staff_client.post(f"/admin/meetings/meeting/{sample.pk}/delete/", {"post": "yes"})

    assert not Meeting.objects.exists()
    assert SAMPLE_NOTICE not in staff_client.get("/").content.decode()
