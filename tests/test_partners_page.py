"""/partners/: the link builder over the search's filters."""

import pytest

from meetings.models import Weekday
from tests.factories import make_meeting


@pytest.fixture
def meetings(fellowships):
    make_meeting(fellowship=fellowships["aa"], name="Leeds Tuesday", weekday=Weekday.TUESDAY)
    make_meeting(fellowship=fellowships["na"], name="Leeds Sunday", weekday=Weekday.SUNDAY)


def test_partners_page_offers_the_search_form(client, meetings):
    content = client.get("/partners/").content.decode()
    assert 'name="fellowship"' in content and 'name="day"' in content


def test_partners_page_shows_the_links_for_the_chosen_filters(client, meetings):
    content = client.get("/partners/?fellowship=aa&day=tuesday&page=3&q=").content.decode()
    query = "fellowship=aa&amp;day=tuesday"
    for path in ["/meetings/", "/meetings.json", "/meetings.csv", "/meetings.ics",
                 "/embed/meetings/"]:
        assert f"http://testserver{path}?{query}" in content
    assert f"webcal://testserver/meetings.ics?{query}" in content
    assert "http://testserver/api/meeting-guide.json" in content


def test_partners_page_gives_a_copy_and_paste_embed_snippet(client, meetings):
    content = client.get("/partners/?fellowship=aa").content.decode()
    assert '&lt;iframe src="http://testserver/embed/meetings/?fellowship=aa"' in content


def test_partners_page_previews_the_embed(client, meetings):
    content = client.get("/partners/?fellowship=aa").content.decode()
    assert '<iframe class="embed-preview" src="/embed/meetings/?fellowship=aa"' in content
    assert "These choices find 1 meeting." in content


def test_partners_page_reports_values_it_did_not_understand(client, meetings):
    content = client.get("/partners/?day=someday").content.decode()
    assert "Some choices were not understood" in content
