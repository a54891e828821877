"""/embed/meetings/: the compact list partner sites put in a frame."""

import pytest

from meetings import catalogue
from meetings.models import Format, Meeting, Weekday
from tests.factories import make_meeting, make_venue


@pytest.fixture
def meetings(fellowships):
    leeds = make_venue(town="Leeds", postcode="LS2 9DX", latitude=53.8049, longitude=-1.5517)
    make_meeting(fellowship=fellowships["aa"], name="Leeds Tuesday", venue=leeds,
                 weekday=Weekday.TUESDAY)
    make_meeting(fellowship=fellowships["na"], name="Online Sunday", format=Format.ONLINE,
                 weekday=Weekday.SUNDAY)


def test_embed_lists_the_search_results(client, meetings):
    response = client.get("/embed/meetings/?fellowship=aa")
    content = response.content.decode()
    assert response.status_code == 200
    assert "Leeds Tuesday" in content and "Online Sunday" not in content


def test_embed_has_no_site_chrome(client, meetings):
    content = client.get("/embed/meetings/").content.decode()
    assert "skip-link" not in content and "<header" not in content and "<footer" not in content


def test_embed_links_open_in_a_new_tab(client, meetings):
    content = client.get("/embed/meetings/").content.decode()
    assert '<base target="_blank">' in content
    assert 'href="http://testserver/meetings/' in content


def test_embed_links_to_the_full_results_with_the_same_query(client, meetings):
    content = client.get("/embed/meetings/?fellowship=aa&day=tuesday").content.decode()
    assert 'href="http://testserver/meetings/?fellowship=aa&amp;day=tuesday"' in content


def test_embed_may_be_framed_by_any_site(client, meetings):
    response = client.get("/embed/meetings/")
    assert "X-Frame-Options" not in response
    assert "frame-ancestors *" in response["Content-Security-Policy"]


def test_other_pages_refuse_to_be_framed(client, meetings):
    for path in ["/", "/meetings/", "/partners/"]:
        response = client.get(path)
        assert response["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_embed_shows_what_it_did_not_understand(client, meetings):
    content = client.get("/embed/meetings/?day=someday").content.decode()
    assert "someday" in content
    assert "Leeds Tuesday" in content  # lenient: the rest still applies


def test_embed_uses_no_inline_script_or_style(client, meetings):
    content = client.get("/embed/meetings/").content.decode()
    assert "<script" not in content and "style=" not in content and "<style" not in content


def test_embed_says_listings_are_samples_while_sample_listings_exist(client, meetings):
    notice = "These are sample listings"
    assert notice not in client.get("/embed/meetings/").content.decode()
    make_meeting(name="Made-up meeting", source=Meeting.DEMO_SOURCE, source_id="1")
    catalogue.forget()  # as seed_demo does
    content = client.get("/embed/meetings/").content.decode()
    assert notice in content and "Made-up meeting" in content
