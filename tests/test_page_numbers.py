"""`page` on every view that takes one: whatever number is sent, a kind answer, never a 500.

Python refuses to turn a string of more than 4,300 digits into an int (ValueError): a
page number that long is simply past the end.
"""

import pytest

from tests.factories import make_meeting

HUGE = "9" * 5000
LEADING_ZEROS = "0" * 5000 + "2"


@pytest.fixture
def meetings(db):
    for n in range(25):
        make_meeting(name=f"Meeting {n:02d}")


@pytest.mark.parametrize("url", ["/meetings/", "/embed/meetings/"])
def test_a_page_of_thousands_of_digits_shows_the_last_page_kindly(client, meetings, url):
    response = client.get(f"{url}?sort=name&page={HUGE}")
    assert response.status_code == 200
    content = response.content.decode()
    assert "There are only 2 pages of results, so here is the last one." in content
    assert "Meeting 24" in content and "Meeting 19" not in content


@pytest.mark.parametrize("url", ["/meetings/", "/embed/meetings/"])
def test_leading_zeros_do_not_change_the_page(client, meetings, url):
    content = client.get(f"{url}?sort=name&page={LEADING_ZEROS}").content.decode()
    assert "Meeting 20" in content and "Meeting 19" not in content
    assert "There are only" not in content


def test_the_json_says_how_many_pages_there_are(client, meetings):
    response = client.get(f"/meetings.json?sort=name&page={HUGE}")
    assert response.status_code == 400
    assert response.json()["errors"] == {"page": "There are only 2 pages."}
    assert client.get(f"/meetings.json?sort=name&page={LEADING_ZEROS}").json()["query"][
        "page"] == 2
