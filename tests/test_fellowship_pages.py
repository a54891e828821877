"""The fellowships index compares them; each has its own page linking to its meetings."""

from meetings.models import Status
from tests.factories import make_meeting


def test_index_compares_approach_audience_and_what_each_addresses(client, fellowships):
    html = client.get("/fellowships/").content.decode()
    for text in ["Alcoholics Anonymous", "SMART Recovery", "Secular / science-based",
                 "Family and friends", "Alcohol", "Buddhist-inspired"]:
        assert text in html, text
    assert 'href="/meetings/?philosophy=secular"' in html


def test_index_counts_listed_meetings(client, fellowships, django_assert_num_queries):
    make_meeting(fellowship=fellowships["aa"])
    make_meeting(fellowship=fellowships["aa"], status=Status.CLOSED)
    client.get("/fellowships/")  # reads the lists every page shares (meetings.catalogue)
    with django_assert_num_queries(1):
        html = client.get("/fellowships/").content.decode()
    assert '<a href="/meetings/?fellowship=aa">1</a>' in html


def test_a_fellowship_page_explains_it_and_links_to_its_meetings(client, fellowships):
    html = client.get("/fellowships/smart-recovery/").content.decode()
    assert "SMART Recovery" in html
    assert "No spiritual content" in html
    assert 'href="/meetings/?fellowship=smart-recovery"' in html


def test_a_fellowship_page_shows_its_helpline(client, fellowships):
    html = client.get("/fellowships/na/").content.decode()
    assert 'href="tel:03009991212"' in html


def test_unknown_fellowship_is_not_found(client, fellowships):
    assert client.get("/fellowships/nope/").status_code == 404


def test_guides_and_privacy_pages(client, db):
    for url in ["/guides/", "/guides/what-is-mutual-aid/", "/guides/approaches/",
                "/guides/first-meeting/", "/guides/families-and-friends/", "/privacy/"]:
        assert client.get(url).status_code == 200, url
    assert client.get("/guides/nope/").status_code == 404
    assert b"don&#x27;t have to speak" in client.get("/guides/first-meeting/").content or (
        b"don't have to speak" in client.get("/guides/first-meeting/").content
    )
