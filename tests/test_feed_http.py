"""The whole-directory feeds cost nothing when nothing changed: 304 before any work,
renderings kept per data version and query, streamed in chunks, gzipped when asked."""

import gzip
import json

import pytest

from meetings import feed_http
from meetings.models import Format, Weekday
from tests.factories import make_meeting, make_venue

FEEDS = ["/api/meeting-guide.json", "/meetings.csv", "/meetings.ics"]


@pytest.fixture
def meetings(fellowships):
    hall = make_venue(name="Quaker Meeting House", town="Leeds", postcode="LS2 9DX")
    return [
        make_meeting(fellowship=fellowships["aa"], name="Leeds Tuesday", venue=hall,
                     weekday=Weekday.TUESDAY),
        make_meeting(fellowship=fellowships["na"], name="Online Sunday", format=Format.ONLINE,
                     weekday=Weekday.SUNDAY),
        make_meeting(fellowship=fellowships["smart-recovery"], name="Leeds SMART", venue=hall,
                     weekday=Weekday.THURSDAY),
    ]


@pytest.mark.parametrize("path", FEEDS)
def test_a_client_with_the_feed_is_answered_304_after_one_small_query(
    client, meetings, path, django_assert_num_queries
):
    etag = client.get(path)["ETag"]
    with django_assert_num_queries(1):  # the data version
        again = client.get(path, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again["ETag"] == etag
    assert "max-age=300" in again["Cache-Control"]
    assert again["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("path", FEEDS)
def test_unknown_parameters_and_the_order_of_repeated_values_do_not_change_the_etag(
    client, meetings, path
):
    plain = client.get(f"{path}?format=in-person&format=online&fellowship=aa")
    assert plain.status_code == 200
    for other in ["format=online&fellowship=aa&format=in-person&utm_source=gp-surgery",
                  "fellowship=aa&format=online&format=in-person&fbclid=x&page=3"]:
        response = client.get(f"{path}?{other}", HTTP_IF_NONE_MATCH=plain["ETag"])
        assert response.status_code == 304, other


def test_a_single_parameter_given_twice_means_its_last_value(client, meetings):
    by_name = client.get("/meetings.csv?sort=distance&sort=name")
    assert client.get("/meetings.csv?sort=name",
                      HTTP_IF_NONE_MATCH=by_name["ETag"]).status_code == 304
    assert client.get("/meetings.csv?sort=name&sort=distance",
                      HTTP_IF_NONE_MATCH=by_name["ETag"]).status_code == 200


@pytest.mark.parametrize("path", FEEDS)
def test_a_feed_built_once_is_served_from_the_cache_until_a_listing_changes(
    client, meetings, path, django_assert_num_queries
):
    first = client.get(path).getvalue()
    with django_assert_num_queries(1):
        second = client.get(path)
    assert second.getvalue() == first
    meetings[0].name = "Leeds Tuesday Renamed"
    meetings[0].save()
    changed = client.get(path).getvalue().decode("utf-8-sig")
    assert "Leeds Tuesday Renamed" in changed


@pytest.mark.parametrize("path", FEEDS)
def test_a_changed_listing_changes_the_etag(client, meetings, path):
    etag = client.get(path)["ETag"]
    client.get("/meetings/")  # reading changes nothing
    assert client.get(path, HTTP_IF_NONE_MATCH=etag).status_code == 304
    meetings[1].delete()
    assert client.get(path, HTTP_IF_NONE_MATCH=etag).status_code == 200


@pytest.mark.parametrize("path", FEEDS)
def test_feeds_are_gzipped_when_the_client_accepts_it_built_or_kept(client, meetings, path):
    plain = client.get(path).getvalue()
    for _time in ("kept", "kept again"):
        packed = client.get(path, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
        assert packed["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in packed["Vary"]
        assert gzip.decompress(packed.getvalue()) == plain
    client.get("/meetings.csv?fellowship=na")  # another rendering, not kept yet
    built = client.get(path + "?fellowship=aa", HTTP_ACCEPT_ENCODING="gzip")
    assert built["Content-Encoding"] == "gzip"
    assert gzip.decompress(built.getvalue()) == client.get(path + "?fellowship=aa").getvalue()


def test_gzip_is_not_sent_to_a_client_that_refuses_it(client, meetings):
    response = client.get("/meetings.csv", HTTP_ACCEPT_ENCODING="gzip;q=0, identity")
    assert not response.has_header("Content-Encoding")
    assert response.getvalue().startswith("\ufeff".encode())


@pytest.mark.parametrize("path", FEEDS)
def test_a_feed_is_streamed_a_chunk_of_meetings_at_a_time(client, meetings, path, monkeypatch):
    monkeypatch.setattr(feed_http, "CHUNK", 1)
    response = client.get(path)
    assert response.streaming
    pieces = list(response.streaming_content)
    assert len(pieces) >= len(meetings)
    body = b"".join(pieces).decode("utf-8-sig")
    assert all(meeting.name in body for meeting in meetings)


def test_the_meeting_guide_feed_is_the_same_json_whole_or_in_chunks(client, meetings,
                                                                    monkeypatch):
    whole = json.loads(client.get("/api/meeting-guide.json").getvalue())
    client.get("/api/meeting-guide.json")  # kept
    from django.core.cache import cache

    cache.clear()
    monkeypatch.setattr(feed_http, "CHUNK", 2)
    assert json.loads(client.get("/api/meeting-guide.json").getvalue()) == whole
    assert [item["name"] for item in whole] == [m.name for m in meetings]


@pytest.mark.parametrize("path", FEEDS)
def test_head_gives_the_headers_without_building_the_feed(
    client, meetings, path, django_assert_num_queries
):
    with django_assert_num_queries(1):
        response = client.head(path)
    assert response.status_code == 200
    assert response["ETag"] == client.get(path)["ETag"]
    assert response.getvalue() == b""
    assert not response.has_header("Content-Length")  # not a length of 0


@pytest.mark.parametrize("path", FEEDS)
def test_head_of_a_kept_feed_gives_its_length_and_no_body(client, meetings, path):
    body = client.get(path, HTTP_ACCEPT_ENCODING="gzip").getvalue()
    response = client.head(path, HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Length"] == str(len(body))
    assert response["Content-Encoding"] == "gzip"
    assert response.getvalue() == b""
    raw = client.head(path)
    assert not raw.has_header("Content-Length") and raw.getvalue() == b""


def test_a_feed_is_in_english_whatever_the_browser_prefers(client, meetings):
    # Partners' scripts read its values: a browser's Accept-Language changes nothing.
    english = client.get("/meetings.ics")
    asked_in_welsh = client.get("/meetings.ics", HTTP_ACCEPT_LANGUAGE="cy")
    assert asked_in_welsh["ETag"] == english["ETag"]
    assert asked_in_welsh.getvalue() == english.getvalue()
    assert client.get("/cy/meetings.ics").status_code == 404


@pytest.mark.parametrize("path", FEEDS)
def test_while_one_request_builds_a_changed_feed_others_get_the_last_one_briefly(
    client, meetings, path, django_assert_max_num_queries
):
    before = client.get(path)
    old_body, old_etag = before.getvalue(), before["ETag"]
    meetings[0].name = "Leeds Tuesday Renamed"
    meetings[0].save()
    building = client.get(path)
    first = next(building.streaming_content)  # the rendering is under way
    assert building["ETag"] != old_etag
    with django_assert_max_num_queries(1):
        meanwhile = client.get(path)
    assert meanwhile.getvalue() == old_body
    assert meanwhile["ETag"] == old_etag
    assert "max-age=30" in meanwhile["Cache-Control"]
    assert b"Renamed" in first + building.getvalue()
    after = client.get(path)
    assert after["ETag"] == building["ETag"] and b"Renamed" in after.getvalue()


@pytest.mark.parametrize("path", FEEDS)
def test_a_feed_near_a_place_is_kept_by_the_browser_only(client, meetings, path):
    response = client.get(f"{path}?near=LS2+9DX")
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]
    again = client.get(f"{path}?near=LS2+9DX", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304 and "private" in again["Cache-Control"]
    assert "public" in client.get(path)["Cache-Control"]


@pytest.mark.parametrize("path", FEEDS)
def test_while_a_feed_is_built_for_the_first_time_others_wait_for_it_not_build_it_too(
    client, meetings, path, monkeypatch
):
    building = client.get(path)
    built = [next(building.streaming_content)]  # nothing kept before; the build is under way
    waited = []

    def meanwhile_the_build_ends(seconds):
        waited.append(seconds)
        if len(waited) == 2:
            built.append(building.getvalue())  # the build completes and is kept

    monkeypatch.setattr(feed_http, "pause", meanwhile_the_build_ends)
    waiting = client.get(path, HTTP_ACCEPT_ENCODING="gzip")
    assert len(waited) == 2
    assert not waiting.streaming  # the kept copy, not a second build
    assert gzip.decompress(waiting.content) == b"".join(built)
    assert waiting["ETag"] == building["ETag"]


@pytest.mark.parametrize("path", FEEDS)
def test_a_waiting_request_builds_the_feed_itself_if_the_other_build_stops(
    client, meetings, path, monkeypatch
):
    from django.core.cache import cache

    building = client.get(path)
    next(building.streaming_content)  # under way
    waited = []

    def meanwhile_the_other_build_dies(seconds):
        # Its worker killed: its lock goes (here at once; with its timeout in real life)
        # and nothing is kept.
        waited.append(seconds)
        cache.delete(f"feed:{building['ETag'][3:-1]}:building")

    monkeypatch.setattr(feed_http, "pause", meanwhile_the_other_build_dies)
    waiting = client.get(path)
    assert waited and waiting.streaming
    body = waiting.getvalue()
    assert all(meeting.name.encode() in body for meeting in meetings), body
    building.getvalue()


@pytest.mark.parametrize("path", FEEDS)
def test_a_response_whose_body_is_never_read_leaves_no_one_waiting(
    client, meetings, path, monkeypatch
):
    client.get(path)  # its client went away before the first byte: nothing was built
    monkeypatch.setattr(feed_http, "pause", lambda seconds: pytest.fail("waited"))
    body = client.get(path).getvalue()
    assert all(meeting.name.encode() in body for meeting in meetings)
