"""Crisis contacts are one tap away on every page: a header link jumps to them."""

import pytest

from tests.factories import make_meeting

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path", ["/", "/meetings/", "/fellowships/", "/privacy/", "/partners/", "/guides/"]
)
def test_every_page_links_from_its_header_to_the_crisis_contacts(client, path):
    page = client.get(path).content.decode()
    header = page.split("</header>")[0]
    assert 'href="#crisis"' in header
    assert 'id="crisis"' in page
    for number in ['href="tel:116123"', 'href="sms:85258"', 'href="tel:111"', 'href="tel:999"']:
        assert number in page


def test_a_meeting_page_has_the_crisis_contacts_too(client):
    meeting = make_meeting()
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert 'href="#crisis"' in page.split("</header>")[0]
    assert 'href="tel:116123"' in page
