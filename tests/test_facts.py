"""What the site tells visitors matches its public sources (issue 11, point 10)."""

import html
import re

import pytest

pytestmark = pytest.mark.django_db


def words_of(markup: str) -> str:
    """Markup as a reader sees it: inline tags dropped, other tags a space, entities decoded."""
    markup = re.sub(r"</?(?:a|strong|em|abbr)\b[^>]*>", "", markup)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def text_of(client, path: str) -> str:
    return words_of(client.get(path).content.decode())


def crisis_box(client, path: str = "/") -> str:
    page = client.get(path).content.decode()
    return page[page.index('id="crisis"'):page.index("</aside>", page.index('id="crisis"'))]


def test_the_crisis_box_says_what_to_do_in_northern_ireland(client):
    box = crisis_box(client)
    words = words_of(box)
    assert "in England, Scotland and Wales, call 111" in words
    assert "In Northern Ireland, 111 is not a general service" in words
    assert "GP out-of-hours service" in words
    assert 'href="tel:08088088000"' in box  # Lifeline, Northern Ireland's crisis line
    assert 'href="tel:999"' in box


def test_shout_is_free_on_most_mobile_networks_not_all(client):
    words = text_of(client, "/")
    assert "free on most mobile networks" in words
    assert "85258 if you would rather not talk, free," not in words


def test_the_families_guide_says_families_anonymous_covers_drinking_too(client):
    words = text_of(client, "/guides/families-and-friends/")
    assert "Families Anonymous is for relatives and friends worried about someone's drug use " \
           "or drinking" in words
    assert "Alateen is its group for young people aged 12 to 17" in words


def test_alateen_is_for_12_to_17_year_olds(client, fellowships):
    assert "aged 12 to 17" in fellowships["alateen"].description
    assert "aged 12 to 17" in text_of(client, "/fellowships/alateen/")


def sentences_naming(text: str, name: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text) if name in s]


def test_nothing_says_lifering_uses_cbt_tools(client, fellowships):
    guide = text_of(client, "/guides/approaches/")
    start = guide.index("SMART Recovery and LifeRing")
    paragraph = guide[start:guide.index("Faith-based meetings")]
    lifering_part = paragraph[paragraph.index("LifeRing has"):]
    assert "cognitive" not in lifering_part.lower()
    # The SMART sentence may name CBT, but not as something LifeRing shares.
    for sentence in sentences_naming(paragraph, "cognitive"):
        assert "LifeRing" not in sentence, sentence
    # LifeRing's own page reuses the secular explanation: it must not claim CBT either.
    assert "cognitive" not in text_of(client, "/fellowships/lifering/").lower()


def test_lifering_links_its_uk_site(client, fellowships):
    assert fellowships["lifering"].website == "https://lifering.uk"
    assert 'href="https://lifering.uk"' in client.get("/fellowships/lifering/").content.decode()
