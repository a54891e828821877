"""The site in Welsh under /cy/, and English exactly where it was: the language is the
URL's alone (recovery_finder/urls.py, recovery_finder/languages.py)."""

import datetime
import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from meetings.models import Feature, Language
from meetings.schedule import LONDON
from reports.models import Kind, Report
from tests.factories import make_meeting, make_venue

# Pages partners and visitors already link to, each also at /cy/ + the same address.
PAGES = [
    "/", "/meetings/", "/meetings/?near=LS6+1AA&within=5&day=tuesday",
    "/meetings/?near=Nowhere+At+All",
    "/meetings/?day=funday", "/guides/", "/guides/first-meeting/", "/privacy/", "/fellowships/",
    "/fellowships/aa/", "/partners/", "/partners/?near=LS6+1AA&fellowship=aa",
    "/embed/meetings/?near=LS6+1AA", "/meetings/print/?near=LS6+1AA", "/meetings/map/?near=LS6+1AA",
]
# One address each, in English, whatever the page that links to them.
FEEDS = ["/meetings.json", "/meetings.csv", "/meetings.ics", "/api/meeting-guide.json"]


@pytest.fixture
def listed(fellowships, place):
    leeds = place("LS6 1AA")
    venue = make_venue(name="Quaker Meeting House", town="Leeds",
                       latitude=leeds.latitude + 0.6 / 69.23, longitude=leeds.longitude)
    return make_meeting(name="Headingley Tuesday Night", fellowship=fellowships["aa"],
                        weekday=1, start_time=datetime.time(19, 30), venue=venue)


@pytest.fixture
def tuesday_afternoon(monkeypatch):
    """Tuesday 10 December 2024, 3pm UK time: the meeting is tonight."""
    moment = datetime.datetime(2024, 12, 10, 15, 0, tzinfo=LONDON)
    monkeypatch.setattr(timezone, "now", lambda: moment)


def body(response) -> str:
    return (response.getvalue() if response.streaming else response.content).decode()


def html_lang(page: str) -> str:
    return re.search(r'<html lang="([^"]+)"', page).group(1)


def welsh(message: str) -> str:
    """The Welsh catalogue's words for an English message (and a check that it has some)."""
    with translation.override("cy"):
        text = translation.gettext(message)
    assert text != message, f"no Welsh for {message!r}"
    return text


def links(page: str) -> list[str]:
    return [unescape(link) for link in re.findall(r'(?:href|action)="(/[^"]*)"', page)]


# --- English stays where it was ----------------------------------------------------------

@pytest.mark.parametrize("url", PAGES)
def test_english_pages_are_english_whatever_the_browser_prefers(client, listed, url):
    plain = client.get(url)
    assert plain.status_code == 200
    page = body(plain)
    assert html_lang(page) == "en-GB"
    assert plain["Content-Language"] == "en-gb"
    # The stray-word bug: a browser preferring Welsh got lang="cy" on English words.
    asked_in_welsh = client.get(url, HTTP_ACCEPT_LANGUAGE="cy,en;q=0.5")
    assert body(asked_in_welsh) == page
    # No link leaves English but the one that says it goes to Welsh.
    expected = [] if "/embed/" in url else ["/cy" + url]  # the embed has no such link
    assert [link for link in links(page) if link.startswith("/cy/")] == expected


def test_english_pages_keep_their_words_and_links(client, listed, tuesday_afternoon):
    page = body(client.get("/meetings/?near=LS6+1AA"))
    assert "1 meeting within 10 miles of LS6 1AA" in page
    assert "Tonight 7:30pm" in page
    assert f'href="/meetings/{listed.slug}/"' in page
    assert 'action="/meetings/"' in page
    assert "Need help right now?" in page


def test_no_page_sets_a_cookie_in_either_language(client, listed):
    for url in PAGES + FEEDS:
        for address in (url, "/cy" + url):
            if address.startswith("/cy/") and address[3:] in FEEDS:
                continue
            response = client.get(address, HTTP_ACCEPT_LANGUAGE="cy")
            assert not response.cookies, address
            assert "Set-Cookie" not in response, address
    assert not client.cookies


def test_feeds_have_one_english_address(client, listed):
    for url in FEEDS:
        assert client.get("/cy" + url).status_code == 404
    response = client.get("/meetings.json?day=funday", HTTP_ACCEPT_LANGUAGE="cy")
    assert response.status_code == 400
    assert response.json()["error"] == "Some parameters are not valid."


def test_the_admin_stays_in_english(admin_client):
    page = body(admin_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="cy"))
    assert html_lang(page) in ("en-gb", "en-GB")
    assert "Site administration" in page
    assert admin_client.get("/cy/admin/").status_code == 404


# --- Welsh under /cy/ ------------------------------------------------------------------------

@pytest.mark.parametrize("url", PAGES)
def test_every_page_is_in_welsh_under_cy(client, listed, url):
    response = client.get("/cy" + url)
    assert response.status_code == 200
    page = body(response)
    assert html_lang(page) == "cy"
    assert response["Content-Language"] == "cy"
    # Links and forms stay in Welsh, but for the one to English, the feeds and files.
    leaving = [link for link in links(page)
               if not link.startswith(("/cy/", "/static/")) and not re.match(
                   r"/(meetings\.(json|csv|ics)|api/|meetings/[\w-]+\.ics)", link)]
    assert leaving == ([] if "/embed/" in url else [url])


def test_welsh_search_reads_in_welsh(client, listed, tuesday_afternoon):
    page = body(client.get("/cy/meetings/?near=LS6+1AA&within=1"))
    assert "Heno 7:30yh" in page
    assert welsh("Find meetings") in page
    assert welsh("Need help right now?") in page
    assert 'action="/cy/meetings/"' in page
    assert f'href="/cy/meetings/{listed.slug}/"' in page
    assert "Find meetings" not in page and "Tonight" not in page


def test_a_search_links_to_itself_in_the_other_language_keeping_its_query(client, listed):
    query = "near=LS6+1AA&within=5&day=tuesday&day=friday"
    english = body(client.get(f"/meetings/?{query}"))
    welsh_page = body(client.get(f"/cy/meetings/?{query}"))
    amp = query.replace("&", "&amp;")
    assert f'<a class="language-link" href="/cy/meetings/?{amp}" hreflang="cy" lang="cy">' \
           "Cymraeg</a>" in english
    assert f'<a class="language-link" href="/meetings/?{amp}" hreflang="en-GB" ' \
           'lang="en-GB">English</a>' in welsh_page
    for page in (english, welsh_page):
        assert f'<link rel="alternate" hreflang="en-GB" href="http://testserver/meetings/?{amp}">' \
            in page
        assert f'<link rel="alternate" hreflang="cy" href="http://testserver/cy/meetings/?{amp}">' \
            in page
        assert f'<link rel="alternate" hreflang="x-default" ' \
               f'href="http://testserver/meetings/?{amp}">' in page


def test_pages_and_did_you_mean_links_stay_in_welsh(client, listed):
    for n in range(25):
        make_meeting(name=f"Online {n}", format="online")
    page = body(client.get("/cy/meetings/?format=online"))
    assert 'rel="next" href="?format=online&amp;page=2"' in page  # relative: stays in /cy/
    assert welsh("Next page") in page
    misspelt = body(client.get("/cy/meetings/?near=Leedz"))
    assert html_lang(misspelt) == "cy"
    assert welsh("Did you mean:") in misspelt
    # Each suggestion is the same search elsewhere: relative, so it stays in /cy/.
    assert '<li><a href="?near=Leeds">Leeds</a></li>' in misspelt


def test_a_missing_page_in_welsh_is_a_welsh_404(client, db):
    response = client.get("/cy/no-such-page/")
    assert response.status_code == 404
    page = body(response)
    assert html_lang(page) == "cy"
    assert welsh("We can't find that page") in page
    assert 'action="/cy/meetings/"' in page
    assert 'href="/no-such-page/"' in page  # the same address in English


def test_a_fault_under_cy_is_told_in_welsh(client, db):
    from django.test import RequestFactory
    from django.views.defaults import server_error

    request = RequestFactory().get("/cy/")
    with translation.override("cy"):
        page = server_error(request).content.decode()
    assert html_lang(page) == "cy"
    assert welsh("Sorry, something went wrong") in page
    assert 'href="/cy/"' in page


def test_the_embed_and_its_full_results_link_are_in_welsh(client, listed):
    page = body(client.get("/cy/embed/meetings/?near=LS6+1AA"))
    assert html_lang(page) == "cy"
    assert f"http://testserver/cy/meetings/{listed.slug}/" in page
    assert "http://testserver/cy/meetings/?near=LS6+1AA" in page


def test_the_link_builder_in_welsh_offers_the_welsh_embed_and_the_english_feeds(client, listed):
    page = body(client.get("/cy/partners/?near=LS6+1AA"))
    assert "http://testserver/cy/embed/meetings/?near=LS6+1AA" in page
    assert "http://testserver/meetings.json?near=LS6+1AA" in page
    assert "http://testserver/cy/meetings.json" not in page


def test_a_report_sent_from_the_welsh_form_is_kept_as_welsh(client, listed):
    url = f"/cy/meetings/{listed.slug}/report/"
    page = body(client.get(url))
    assert html_lang(page) == "cy"
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    # A mistake is explained in Welsh, on the Welsh page.
    invalid = client.post(url, {"kind": "", "token": token, "website": ""})
    assert invalid.status_code == 200 and html_lang(body(invalid)) == "cy"
    sent = client.post(url, {"kind": Kind.CLOSED, "details": "", "reporter_email": "",
                             "website": "", "token": token})
    assert sent.status_code == 302
    assert sent["Location"] == f"/cy/meetings/{listed.slug}/report/thanks/"
    assert Report.objects.get().language == "cy"
    assert html_lang(body(client.get(sent["Location"]))) == "cy"


def test_welsh_and_english_renderings_are_kept_apart(client, listed):
    english = client.get("/meetings/")
    welsh_page = client.get("/cy/meetings/")
    assert english["ETag"] != welsh_page["ETag"]
    # The header is kept rendered per language: the English one never reaches Welsh pages.
    assert 'href="/cy/meetings/">' in body(welsh_page)
    assert 'href="/cy/meetings/">' not in body(client.get("/meetings/"))


def test_reverse_follows_the_language_and_feeds_do_not(db):
    with translation.override("cy"):
        assert reverse("search") == "/cy/meetings/"
        assert reverse("search-json") == "/meetings.json"
        assert reverse("admin:index") == "/admin/"
    assert reverse("search") == "/meetings/"


# --- Fellowship descriptions ----------------------------------------------------------------

def test_a_fellowship_shows_its_welsh_description_on_welsh_pages(client, fellowships):
    aa = fellowships["aa"]
    aa.description_cy = "Cymdeithas o bobl sy’n rhannu eu profiad."
    aa.save()
    welsh_page = body(client.get("/cy/fellowships/aa/"))
    assert '<p class="lead">Cymdeithas o bobl sy’n rhannu eu profiad.</p>' in welsh_page
    english = body(client.get("/fellowships/aa/"))
    assert f'<p class="lead">{aa.description}</p>'.replace("'", "&#x27;") in english


def test_without_a_welsh_description_the_english_one_is_marked_english(client, fellowships):
    aa = fellowships["aa"]
    aa.description_cy = ""  # the shipped fixture has Welsh for every fellowship
    aa.save()
    page = body(client.get("/cy/fellowships/aa/"))
    description = aa.description.replace("'", "&#x27;")
    assert f'<p class="lead" lang="en-GB">{description}</p>' in page


def test_every_shipped_fellowship_has_a_welsh_description(client, fellowships):
    for fellowship in fellowships.values():
        assert fellowship.description_cy, fellowship.slug
        assert fellowship.description_cy != fellowship.description, fellowship.slug
    page = body(client.get("/cy/fellowships/aa/"))
    assert '<p class="lead">Mae Alcoholics Anonymous (Alcoholigion Anhysbys) yn gymdeithas' in page


def test_staff_edit_the_welsh_description_in_the_admin(admin_client, fellowships):
    page = body(admin_client.get(f"/admin/groups/fellowship/{fellowships['aa'].pk}/change/"))
    assert 'name="description_cy"' in page


def test_welsh_pages_name_places_in_welsh(client, db, gb_postcodes):
    response = client.get("/cy/meetings/?near=Caerdydd")
    assert response.status_code == 200
    assert response.context["search"].location.label == f"Caerdydd, {welsh('Wales')}"
    assert client.get("/meetings/?near=Caerdydd").context["search"].location.label \
        == "Cardiff, Wales"
    # Inside a sentence a town's article is lower case: "Cyfarfodydd ger y Barri".
    barry = client.get("/cy/meetings/?near=Barry")
    assert barry.context["search"].location.label == f"y Barri, {welsh('Wales')}"
    assert f"Cyfarfodydd ger y Barri, {welsh('Wales')}" in body(barry)
    # A town outside Wales keeps its name; its nation is named in Welsh.
    leeds = client.get("/cy/meetings/?near=Leeds").context["search"].location
    assert leeds.label == f"Leeds, {welsh('England')}"
    # The query behind a "Did you mean" link stays the English, which resolves.
    newport = client.get("/cy/meetings/?near=Newport").context["search"].location
    assert all(not alternative.query.startswith("Casnewydd")
               for alternative in newport.alternatives)


def test_features_and_languages_have_welsh_names_on_welsh_pages(client, listed):
    listed.features.set(Feature.objects.filter(slug="newcomers"))
    listed.languages.set(Language.objects.filter(code="pl"))
    welsh_results = body(client.get("/cy/meetings/?near=LS6+1AA"))
    assert "<li>Croeso i newydd-ddyfodiaid</li>" in welsh_results  # on the result
    assert "<span>Croeso i newydd-ddyfodiaid</span>" in welsh_results  # the filter
    assert '<option value="pl">Pwyleg</option>' in welsh_results
    welsh_meeting = body(client.get(f"/cy/meetings/{listed.slug}/"))
    assert "<strong>Croeso i newydd-ddyfodiaid</strong>: Cyfarfod cyntaf da" in welsh_meeting
    assert "<dd>Pwyleg</dd>" in welsh_meeting
    english = body(client.get("/meetings/?near=LS6+1AA"))
    assert "<li>Newcomers welcome</li>" in english and "Croeso" not in english


def test_words_not_yet_in_welsh_are_marked_english_on_welsh_pages(client, listed):
    # A feature staff added without Welsh: a screen reader reads it as English.
    feature = Feature.objects.create(slug="sharing-circle", name="Sharing circle",
                                     description="Everyone may speak in turn.", position=200)
    listed.features.set([feature])
    welsh_results = body(client.get("/cy/meetings/?near=LS6+1AA"))
    assert '<li lang="en-GB">Sharing circle</li>' in welsh_results
    assert '<span lang="en-GB">Sharing circle</span>' in welsh_results
    chosen = body(client.get("/cy/meetings/?near=LS6+1AA&feature=sharing-circle"))
    assert '<span lang="en-GB">Sharing circle</span> <span aria-hidden="true">×</span>' in chosen
    welsh_meeting = body(client.get(f"/cy/meetings/{listed.slug}/"))
    assert '<strong lang="en-GB">Sharing circle</strong>: ' \
           '<span lang="en-GB">Everyone may speak in turn.</span>' in welsh_meeting
    english = body(client.get("/meetings/?near=LS6+1AA"))
    assert "<li>Sharing circle</li>" in english
    assert 'lang="en-GB"' not in english.split("<body>")[1]


def test_filter_labels_follow_each_pages_language_whichever_came_first(client, listed):
    # The lists behind the filters are kept per process: the words on them must not be
    # those of whichever language asked first.
    welsh_first = body(client.get("/cy/meetings/"))
    english = body(client.get("/meetings/"))
    assert '<span>Open</span>' in english
    assert f'<span>{welsh("Open: anyone is welcome, including friends and family").split(":")[0]}' \
           '</span>' in welsh_first
    assert '<span>Open</span>' not in welsh_first


def test_dates_and_times_are_written_in_welsh(client, listed, tuesday_afternoon):
    saturday = make_meeting(name="Saturday Morning", fellowship=listed.fellowship, weekday=5,
                            start_time=datetime.time(11, 0), venue=listed.venue,
                            last_verified=datetime.date(2024, 11, 20))
    with translation.override("cy"):
        when = translation.gettext("%(weekday)s %(day)s %(month)s %(time)s") % {
            "weekday": translation.pgettext("abbreviated weekday", "Sat"), "day": 14,
            "month": translation.pgettext("abbreviated month", "Dec"),
            "time": "11" + translation.pgettext("time of day", "am"),
        }
    assert when != "Sat 14 Dec 11am"
    assert when in body(client.get("/cy/meetings/?near=LS6+1AA"))
    assert "Sat 14 Dec 11am" in body(client.get("/meetings/?near=LS6+1AA"))
    # Django's own Welsh month names.
    assert "20 Tachwedd 2024" in body(client.get(f"/cy/meetings/{saturday.slug}/"))
    assert "20 November 2024" in body(client.get(f"/meetings/{saturday.slug}/"))


@pytest.mark.parametrize(("path", "welsh_path", "english_path"), [
    ("/", "/cy/", "/"),
    ("/cy/", "/cy/", "/"),
    ("/cy", "/cy/", "/"),
    ("/meetings/a-slug-monday/", "/cy/meetings/a-slug-monday/", "/meetings/a-slug-monday/"),
    ("/cy/guides/first-meeting/", "/cy/guides/first-meeting/", "/guides/first-meeting/"),
    ("/cymru/", "/cy/cymru/", "/cymru/"),  # not a prefix: only /cy/ is
])
def test_each_path_in_each_language(path, welsh_path, english_path):
    from recovery_finder.languages import path_in

    assert path_in("cy", path) == welsh_path
    assert path_in("en-gb", path) == english_path
