"""The search page /meetings/: every public parameter, the results, and the empty state."""

import datetime
import re
from html import unescape

import pytest
from django.utils import timezone

from meetings.models import Format, Recurrence
from meetings.schedule import LONDON, UTC
from tests.factories import make_fellowship, make_meeting, make_venue

URL = "/meetings/"


def miles_north(location, miles: float) -> dict:
    """Venue coordinates `miles` due north of a resolved place."""
    return {"latitude": location.latitude + miles / 69.23, "longitude": location.longitude}


def names(response) -> list[str]:
    return [meeting.name for meeting in response.context["meetings"]]


@pytest.fixture
def clock(db, monkeypatch):
    """Set the time the site believes it is: clock(2024, 12, 10, 19, 0) in UK time."""

    def set_clock(*args, tz=LONDON):
        moment = datetime.datetime(*args, tzinfo=tz)
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment

    return set_clock


@pytest.fixture
def leeds(place):
    return place("LS6 1AA")


@pytest.fixture
def around_leeds(leeds):
    """Meetings half a mile, five miles and fifteen miles from LS6 1AA."""
    return {
        "near": make_meeting(name="Half a mile", venue=make_venue(**miles_north(leeds, 0.5))),
        "five": make_meeting(name="Five miles", venue=make_venue(**miles_north(leeds, 5))),
        "far": make_meeting(name="Fifteen miles", venue=make_venue(**miles_north(leeds, 15))),
    }


# --- place and distance ---------------------------------------------------------------

def test_near_a_postcode_finds_meetings_within_ten_miles_nearest_first(client, around_leeds):
    response = client.get(URL, {"near": "LS6 1AA"})
    assert response.status_code == 200
    assert names(response) == ["Half a mile", "Five miles"]
    assert b"0.5 miles" in response.content
    assert response.context["search"].within == 10


def test_within_sets_the_radius_in_miles(client, around_leeds):
    assert names(client.get(URL + "?near=LS6+1AA&within=2.5")) == ["Half a mile"]
    assert len(names(client.get(URL + "?near=LS6+1AA&within=20"))) == 3


def test_near_accepts_lower_case_and_no_space(client, around_leeds):
    assert names(client.get(URL + "?near=ls61aa&within=1")) == ["Half a mile"]


def test_sort_by_name_or_soonest_with_a_place(client, around_leeds, clock):
    clock(2024, 12, 9, 12, 0)  # Monday noon
    around_leeds["five"].start_time = datetime.time(13, 0)
    around_leeds["five"].save()
    assert names(client.get(URL + "?near=LS6+1AA&sort=name")) == ["Five miles", "Half a mile"]
    assert names(client.get(URL + "?near=LS6+1AA&sort=soonest")) == ["Five miles", "Half a mile"]


def test_without_a_place_the_soonest_come_first(client, clock):
    clock(2024, 12, 10, 18, 0)  # Tuesday evening
    make_meeting(name="Next Monday", weekday=0)
    make_meeting(name="Tonight", weekday=1, start_time=datetime.time(19, 30))
    make_meeting(name="Tomorrow", weekday=2, start_time=datetime.time(10, 0))
    make_meeting(name="Earlier today", weekday=1, start_time=datetime.time(9, 0),
                 end_time=datetime.time(10, 0))
    response = client.get(URL)
    assert names(response) == ["Tonight", "Tomorrow", "Next Monday", "Earlier today"]
    assert response.context["search"].sort == "soonest"


def test_a_monthly_meeting_sorts_by_its_real_next_date(client, clock):
    clock(2024, 12, 2, 9, 0)  # Monday 2 December
    make_meeting(name="First Tuesday", weekday=1, recurrence=Recurrence.FIRST)
    make_meeting(name="Third Tuesday", weekday=1, recurrence=Recurrence.THIRD)
    make_meeting(name="Every Friday", weekday=4)
    assert names(client.get(URL)) == ["First Tuesday", "Every Friday", "Third Tuesday"]


# --- what, who and how ----------------------------------------------------------------

def test_repeated_fellowships_mean_any_of(client, fellowships):
    make_meeting(name="AA", fellowship=fellowships["aa"])
    make_meeting(name="NA", fellowship=fellowships["na"])
    make_meeting(name="SMART", fellowship=fellowships["smart-recovery"])
    response = client.get(URL + "?fellowship=aa&fellowship=smart-recovery&sort=name")
    assert names(response) == ["AA", "SMART"]


def test_philosophy_filters_by_the_fellowships_approach(client, fellowships):
    make_meeting(name="AA", fellowship=fellowships["aa"])
    make_meeting(name="SMART", fellowship=fellowships["smart-recovery"])
    make_meeting(name="Dharma", fellowship=fellowships["recovery-dharma"])
    assert names(client.get(URL + "?philosophy=secular")) == ["SMART"]
    response = client.get(URL + "?philosophy=secular&philosophy=buddhist-inspired&sort=name")
    assert names(response) == ["Dharma", "SMART"]


def test_for_family_and_friends(client, fellowships):
    make_meeting(name="AA", fellowship=fellowships["aa"])
    make_meeting(name="Al-Anon", fellowship=fellowships["al-anon"])
    assert names(client.get(URL + "?for=family-and-friends")) == ["Al-Anon"]


def result_rows(response) -> dict[str, str]:
    """Each result's name and the text of its row, tags removed."""
    html = response.content.decode()
    rows = re.findall(r'<li class="result">(.*?)</li>\s*(?=<li class="result">|</ol>)', html, re.S)
    found = {}
    for row in rows:
        name = re.search(r'class="result__name"[^>]*><a[^>]*>([^<]*)</a>', row).group(1)
        found[unescape(name)] = " ".join(unescape(re.sub(r"<[^>]+>", " ", row)).split())
    return found


def test_a_family_fellowship_says_whose_addiction_it_is_for(client, fellowships):
    make_meeting(name="Wives Group", fellowship=fellowships["al-anon"])
    make_meeting(name="Hope Group", fellowship=fellowships["gam-anon"])
    make_meeting(name="SMART Tuesday", fellowship=fellowships["smart-recovery"])
    rows = result_rows(client.get(URL + "?for=family-and-friends"))
    assert "For families and friends affected by someone’s drinking" in rows["Wives Group"]
    assert "For families and friends affected by someone’s gambling" in rows["Hope Group"]
    # Its family meetings are for those affected by drinking or drug use.
    assert "affected by someone’s drinking or drug use" in rows["SMART Tuesday"]


def test_a_fellowship_mostly_for_the_people_themselves_says_so_only_to_families(
    client, fellowships
):
    make_meeting(name="SMART Tuesday", fellowship=fellowships["smart-recovery"])
    make_meeting(name="Wives Group", fellowship=fellowships["al-anon"])
    rows = result_rows(client.get(URL))
    assert "families" not in rows["SMART Tuesday"]
    assert "affected by someone’s drinking" in rows["Wives Group"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("format=in-person", ["Hybrid", "In person"]),
        ("format=online", ["Hybrid", "Online"]),
        ("format=hybrid", ["Hybrid"]),
        ("format=in-person&format=online", ["Hybrid", "In person", "Online"]),
    ],
)
def test_hybrid_meetings_answer_both_in_person_and_online(client, db, query, expected):
    make_meeting(name="In person", format=Format.IN_PERSON)
    make_meeting(name="Online", format=Format.ONLINE)
    make_meeting(name="Hybrid", format=Format.HYBRID)
    assert names(client.get(f"{URL}?{query}&sort=name")) == expected


def test_online_only_with_a_place_is_not_limited_by_distance(client, leeds):
    make_meeting(name="Online", format=Format.ONLINE)
    response = client.get(URL + "?near=LS6+1AA&format=online")
    assert names(response) == ["Online"]
    assert b"not limited by distance" in response.content


def test_features_must_all_hold(client, db):
    step_free = make_venue(step_free=True)
    make_meeting(name="Women, step-free", venue=step_free, features=["women"])
    make_meeting(name="Women", features=["women"])
    make_meeting(name="Step-free", venue=make_venue(step_free=True))
    assert names(client.get(URL + "?feature=women&feature=wheelchair")) == ["Women, step-free"]
    assert names(client.get(URL + "?feature=women&sort=name")) == ["Women", "Women, step-free"]


def test_open_and_closed_are_features(client, db):
    make_meeting(name="Open", access="open")
    make_meeting(name="Closed", access="closed")
    assert names(client.get(URL + "?feature=open")) == ["Open"]


def test_language(client, db):
    make_meeting(name="Welsh", languages=["cy", "en"])
    make_meeting(name="English", languages=["en"])
    assert names(client.get(URL + "?language=cy")) == ["Welsh"]
    assert names(client.get(URL + "?language=cy&language=en&sort=name")) == ["English", "Welsh"]


def test_free_text_matches_meeting_group_venue_or_town(client, db):
    make_meeting(name="Serenity Group", venue=make_venue(name="St Mary's Hall", town="Otley"))
    make_meeting(name="Other", venue=make_venue(town="Leeds"))
    assert names(client.get(URL + "?q=serenity")) == ["Serenity Group"]
    assert names(client.get(URL + "?q=otley")) == ["Serenity Group"]
    assert names(client.get(URL + "?q=mary's")) == ["Serenity Group"]


# --- days and times, in UK time --------------------------------------------------------

def test_named_days(client, db):
    make_meeting(name="Monday", weekday=0)
    make_meeting(name="Saturday", weekday=5)
    make_meeting(name="Sunday", weekday=6)
    assert names(client.get(URL + "?day=saturday&day=sunday&sort=name")) == [
        "Saturday", "Sunday",
    ]


def test_today_and_tomorrow_just_before_midnight(client, clock):
    clock(2024, 12, 10, 23, 59, 30)  # Tuesday
    make_meeting(name="Tuesday", weekday=1)
    make_meeting(name="Wednesday", weekday=2)
    assert names(client.get(URL + "?day=today")) == ["Tuesday"]
    assert names(client.get(URL + "?day=tomorrow")) == ["Wednesday"]


def test_today_and_tomorrow_just_after_midnight(client, clock):
    clock(2024, 12, 11, 0, 0, 30)  # Wednesday
    make_meeting(name="Wednesday", weekday=2)
    make_meeting(name="Thursday", weekday=3)
    assert names(client.get(URL + "?day=today")) == ["Wednesday"]
    assert names(client.get(URL + "?day=tomorrow")) == ["Thursday"]


@pytest.mark.parametrize(
    ("utc_time", "today", "tomorrow"),
    [
        ((2024, 7, 9, 23, 30), "Wednesday", "Thursday"),  # 00:30 BST on Wednesday 10 July
        ((2024, 7, 9, 22, 59), "Tuesday", "Wednesday"),  # 23:59 BST on Tuesday 9 July
    ],
)
def test_today_and_tomorrow_are_uk_dates_not_utc_dates_in_summer(
    client, clock, utc_time, today, tomorrow
):
    clock(*utc_time, tz=UTC)
    for name, weekday in [("Tuesday", 1), ("Wednesday", 2), ("Thursday", 3)]:
        make_meeting(name=name, weekday=weekday)
    assert names(client.get(URL + "?day=today")) == [today]
    assert names(client.get(URL + "?day=tomorrow")) == [tomorrow]


def test_today_respects_monthly_meetings(client, clock):
    clock(2024, 12, 3, 9, 0)  # the first Tuesday of December
    make_meeting(name="First Tuesday", weekday=1, recurrence=Recurrence.FIRST)
    make_meeting(name="Third Tuesday", weekday=1, recurrence=Recurrence.THIRD)
    assert names(client.get(URL + "?day=today")) == ["First Tuesday"]
    assert names(client.get(URL + "?day=tuesday&sort=name")) == ["First Tuesday", "Third Tuesday"]


def test_time_of_day_boundaries(client, db):
    for hour, minute in [(11, 59), (12, 0), (16, 59), (17, 0)]:
        make_meeting(name=f"{hour:02d}:{minute:02d}", start_time=datetime.time(hour, minute))
    assert names(client.get(URL + "?time=morning")) == ["11:59"]
    assert names(client.get(URL + "?time=afternoon&sort=name")) == ["12:00", "16:59"]
    assert names(client.get(URL + "?time=evening")) == ["17:00"]
    assert names(client.get(URL + "?time=morning&time=evening&sort=name")) == ["11:59", "17:00"]


def test_when_now_finds_meetings_in_progress_or_within_the_hour(client, clock):
    clock(2024, 12, 10, 19, 0)  # Tuesday 7pm
    t = datetime.time
    make_meeting(name="In progress", weekday=1, start_time=t(18, 30), end_time=t(20, 0))
    make_meeting(name="In an hour", weekday=1, start_time=t(20, 0), end_time=t(21, 0))
    make_meeting(name="Too late", weekday=1, start_time=t(20, 1))
    make_meeting(name="Finished", weekday=1, start_time=t(17, 30), end_time=t(18, 59))
    make_meeting(name="Wednesday", weekday=2, start_time=t(19, 30))
    response = client.get(URL + "?when=now")
    assert names(response) == ["In progress", "In an hour"]
    assert b"Now (started 6:30pm)" in response.content
    assert b"Tonight 8pm" in response.content


def test_when_now_across_midnight(client, clock):
    clock(2024, 12, 10, 23, 30)  # Tuesday
    t = datetime.time
    make_meeting(name="Late Tuesday", weekday=1, start_time=t(23, 0), end_time=t(0, 30))
    make_meeting(name="Wednesday midnight", weekday=2, start_time=t(0, 15))
    make_meeting(name="Tuesday just after midnight", weekday=1, start_time=t(0, 15))
    assert names(client.get(URL + "?when=now")) == ["Late Tuesday", "Wednesday midnight"]


def test_when_now_as_the_clocks_go_forward(client, clock):
    # 00:30 GMT on Sunday 31 March 2024: in an hour it will be 02:30 BST.
    clock(2024, 3, 31, 0, 30, tz=UTC)
    t = datetime.time
    make_meeting(name="02:20 BST, in 50 minutes", weekday=6, start_time=t(2, 20))
    make_meeting(name="02:40 BST, in 70 minutes", weekday=6, start_time=t(2, 40))
    assert names(client.get(URL + "?when=now")) == ["02:20 BST, in 50 minutes"]


def test_when_now_as_the_clocks_go_back(client, clock):
    # 01:15 happens twice on Sunday 27 October 2024; a meeting at 01:15 meets at the
    # first (BST), as its page says. At 01:10 GMT, the second time round, it has met.
    t = datetime.time
    make_meeting(name="01:15 to 01:30", weekday=6, start_time=t(1, 15), end_time=t(1, 30))
    make_meeting(name="00:30 to 01:30", weekday=6, start_time=t(0, 30), end_time=t(1, 30))
    make_meeting(name="00:30 to 02:30", weekday=6, start_time=t(0, 30), end_time=t(2, 30))
    clock(2024, 10, 27, 0, 10, tz=UTC)  # 01:10 BST
    assert names(client.get(URL + "?when=now&sort=name")) == [
        "00:30 to 01:30", "00:30 to 02:30", "01:15 to 01:30"]
    clock(2024, 10, 27, 1, 10, tz=UTC)  # 01:10 GMT: the first two ended at 00:30 GMT
    assert names(client.get(URL + "?when=now&sort=name")) == ["00:30 to 02:30"]


def test_when_now_finds_a_meeting_set_in_the_hour_the_clocks_skip(client, clock):
    # 01:15 does not happen on Sunday 31 March 2024: the meeting is at 02:15 BST, as its
    # page says, 55 minutes after 00:20 GMT.
    make_meeting(name="01:15", weekday=6, start_time=datetime.time(1, 15))
    clock(2024, 3, 31, 0, 20, tz=UTC)
    response = client.get(URL + "?when=now")
    assert names(response) == ["01:15"]
    assert b"Today 2:15am" in response.content


@pytest.mark.parametrize("night", [datetime.date(2024, 3, 31), datetime.date(2024, 10, 27)])
def test_when_now_agrees_with_each_meetings_next_time_all_through_a_clock_change(
    client, clock, night
):
    """Every five minutes from 22:00 the evening before to 04:00 UTC, `when=now` lists
    exactly the meetings whose next occurrence (the time their page gives) starts
    within the hour."""
    from meetings.models import Meeting
    from meetings.schedule import next_occurrence

    t = datetime.time
    saturday, sunday = 5, 6
    for weekday, start, end in [
        (saturday, t(23, 0), t(0, 30)), (saturday, t(23, 45), t(1, 15)),
        (sunday, t(0, 15), None), (sunday, t(0, 30), t(1, 30)), (sunday, t(0, 45), t(2, 15)),
        (sunday, t(1, 0), None), (sunday, t(1, 15), t(1, 45)), (sunday, t(1, 30), t(2, 30)),
        (sunday, t(1, 59), None), (sunday, t(2, 0), t(3, 0)), (sunday, t(2, 30), None),
        (sunday, t(3, 0), t(4, 0)), (sunday, t(4, 30), None),
    ]:
        make_meeting(name=f"{weekday} {start:%H:%M}-{end and f'{end:%H:%M}'}",
                     weekday=weekday, start_time=start, end_time=end)
    meetings = list(Meeting.objects.all())
    moment = datetime.datetime.combine(night, t(22, 0), UTC) - datetime.timedelta(days=1)
    while moment <= datetime.datetime.combine(night, t(4, 0), UTC):
        clock(*moment.timetuple()[:5], tz=UTC)
        expected = sorted(
            m.name for m in meetings
            if next_occurrence(m.weekday, m.recurrence, m.start_time, moment, m.end_time)
            .start.astimezone(UTC) <= moment + datetime.timedelta(hours=1)
        )
        assert names(client.get(URL + "?when=now&sort=name")) == expected, moment
        moment += datetime.timedelta(minutes=5)


# --- combined, results, pages ---------------------------------------------------------

def test_filters_combine_with_and(client, fellowships, leeds, clock):
    """One meeting matches every parameter; each other one fails one of them (the
    Wednesday one two, as it is not happening now either)."""
    clock(2024, 12, 10, 18, 30)  # Tuesday evening
    t = datetime.time
    step_free = make_venue(name="Quaker Meeting House", step_free=True,
                           **miles_north(leeds, 1))
    match = {"fellowship": fellowships["aa"], "weekday": 1, "start_time": t(19),
             "end_time": t(20), "format": Format.HYBRID, "venue": step_free,
             "features": ["newcomers"], "languages": ["en"]}
    make_meeting(name="Hope at seven", **match)
    for name, differs in {
        "Hope five miles away": {"venue": make_venue(step_free=True, **miles_north(leeds, 5))},
        "Hope up the stairs": {"venue": make_venue(step_free=False, **miles_north(leeds, 1))},
        "Hope NA": {"fellowship": fellowships["na"]},
        "Hope SMART": {"fellowship": fellowships["smart-recovery"]},  # secular
        "Hope Al-Anon": {"fellowship": fellowships["al-anon"]},  # for families
        "Hope in person only": {"format": Format.IN_PERSON},
        "Hope on Wednesday": {"weekday": 2},
        "Hope all afternoon": {"start_time": t(16, 30), "end_time": t(19)},  # in progress
        "Hope at nine": {"start_time": t(21), "end_time": t(22)},  # not within the hour
        "Hope for anyone": {"features": []},
        "Hope in Polish": {"languages": ["pl"]},
        "Serenity at seven": {},
    }.items():
        make_meeting(name=name, **(match | differs))
    query = ("?near=LS6+1AA&within=2&fellowship=aa&fellowship=smart-recovery"
             "&fellowship=al-anon&philosophy=twelve-step&for=myself&format=hybrid"
             "&time=evening&day=today&when=now&feature=newcomers&feature=wheelchair"
             "&language=en&q=hope")
    assert names(client.get(URL + query)) == ["Hope at seven"]
    assert [r["name"] for r in client.get("/meetings.json" + query).json()["results"]] == [
        "Hope at seven"]
    # Leaving out a parameter lets back exactly the meetings that only it kept out.
    for left_out, comes_back in {
        "&within=2": "Hope five miles away",
        "&feature=wheelchair": "Hope up the stairs",
        "&fellowship=aa&fellowship=smart-recovery&fellowship=al-anon": "Hope NA",
        "&philosophy=twelve-step": "Hope SMART",
        "&for=myself": "Hope Al-Anon",
        "&format=hybrid": "Hope in person only",
        "&day=today&when=now": ("Hope on Wednesday", "Hope at nine"),
        "&time=evening": "Hope all afternoon",
        "&when=now": "Hope at nine",
        "&feature=newcomers": "Hope for anyone",
        "&language=en": "Hope in Polish",
        "&q=hope": "Serenity at seven",
    }.items():
        found = names(client.get(URL + query.replace(left_out, "")))
        back = [comes_back] if isinstance(comes_back, str) else list(comes_back)
        assert sorted(found) == sorted(["Hope at seven", *back]), left_out


def test_a_result_shows_what_a_visitor_needs(client, fellowships, leeds, clock):
    clock(2024, 12, 10, 12, 0)  # Tuesday noon
    venue = make_venue(name="Quaker Meeting House", town="Headingley", step_free=True,
                       **miles_north(leeds, 1))
    meeting = make_meeting(name="Headingley Tuesday", fellowship=fellowships["aa"], weekday=1,
                           venue=venue, features=["newcomers"], access="open")
    html = client.get(URL + "?near=LS6+1AA").content.decode()
    for text in ["Alcoholics Anonymous", "Headingley Tuesday", "Tonight 7:30pm",
                 "Every Tuesday", "In person", "Quaker Meeting House, Headingley", "1.0 miles",
                 "Newcomers welcome", "Open meeting", "Step-free / wheelchair access",
                 meeting.get_absolute_url(), "1 meeting within 10 miles of"]:
        assert text in html


def test_pages_of_twenty(client, db):
    for n in range(25):
        make_meeting(name=f"Meeting {n:02d}")
    first = client.get(URL + "?sort=name")
    assert len(names(first)) == 20
    assert "page=2" in first.content.decode()
    assert names(client.get(URL + "?sort=name&page=2")) == [f"Meeting {n}" for n in range(20, 25)]


def test_a_page_beyond_the_end_shows_the_last_page_kindly(client, db):
    for n in range(25):
        make_meeting(name=f"Meeting {n:02d}")
    response = client.get(URL + "?sort=name&page=999")
    assert response.status_code == 200
    assert len(names(response)) == 5
    assert b"There are only 2 pages of results" in response.content


def test_queries_do_not_grow_with_the_number_of_results(
    client, django_assert_num_queries, leeds, settings
):
    settings.PAGE_CACHE = False  # the work of building it (a kept one: test_page_cache.py)
    def add(count: int):
        for _n in range(count):
            make_meeting(venue=make_venue(step_free=True, **miles_north(leeds, 1)),
                         features=["women", "newcomers"], languages=["en"])

    add(2)
    client.get(URL)  # reads the choice lists, which later searches share (meetings.catalogue)
    # The postcode, the page's ids (with the count), then the page's meetings by id with
    # their group, venue, features and languages.
    with django_assert_num_queries(3):
        client.get(URL + "?near=LS6+1AA&feature=women")
    add(18)
    client.get(URL)  # each new meeting came with a new fellowship: read the lists again
    with django_assert_num_queries(3):
        response = client.get(URL + "?near=LS6+1AA&feature=women")
    assert len(names(response)) == 20


# --- the empty state ------------------------------------------------------------------

def test_nothing_nearby_offers_a_wider_radius_the_nearest_beyond_and_online(client, leeds):
    make_meeting(name="Twelve miles", venue=make_venue(**miles_north(leeds, 12)))
    make_meeting(name="Online", format=Format.ONLINE)
    response = client.get(URL + "?near=LS6+1AA&within=5")
    html = response.content.decode()
    assert names(response) == []
    assert "We found no meetings within 5 miles of" in html
    # Ten miles would still find nothing: the link offered reaches the nearest match.
    assert "Search within 25 miles instead" in html
    assert "within=25" in html
    assert "The nearest matching meeting further away" in html
    assert "Twelve miles" in html
    assert "format=online" in html
    assert "See 1 matching meeting you can join online" in html


def test_an_online_meeting_that_keeps_its_venue_is_not_found_by_distance_or_access(
    client, leeds
):
    hall = make_venue(step_free=True, **miles_north(leeds, 1))
    make_meeting(name="Moved online", format=Format.ONLINE, venue=hall,
                 online_url="https://example.org/j")
    make_meeting(name="At the hall", venue=hall)
    assert names(client.get(URL + "?near=LS6+1AA")) == ["At the hall"]
    assert names(client.get(URL + "?feature=wheelchair")) == ["At the hall"]
    assert names(client.get(URL + "?near=LS6+1AA&format=online")) == ["Moved online"]


def test_with_no_filter_chosen_the_empty_state_does_not_talk_of_filters(client, leeds):
    make_meeting(name="Twelve miles", venue=make_venue(**miles_north(leeds, 12)))
    html = client.get(URL + "?near=LS6+1AA&within=5").content.decode()
    assert "We found no meetings within 5 miles of" in html
    assert "everything you chose" not in html and "Clear the other filters" not in html
    html = client.get(URL + "?near=LS6+1AA&within=5&day=monday").content.decode()
    assert "everything you chose" in html and "Clear the other filters" in html


def test_a_suspended_meeting_shows_no_next_time(client, leeds, clock):
    clock(2024, 12, 10, 12, 0)  # Tuesday noon
    make_meeting(name="Paused", weekday=1, start_time=datetime.time(19, 30),
                 status="suspended", venue=make_venue(**miles_north(leeds, 1)))
    html = client.get(URL + "?near=LS6+1AA").content.decode()
    assert "Not meeting for now" in html and "Temporarily suspended" in html
    assert "Tonight 7:30pm" not in html


def test_what_staff_typed_is_shown_as_text_in_a_result(client, leeds):
    venue = make_venue(name="St <b>Mary</b>'s & Hall", **miles_north(leeds, 1))
    make_meeting(name='<script>alert("x")</script> Hope', venue=venue)
    html = client.get(URL + "?near=LS6+1AA").content.decode()
    assert "<script>alert" not in html and "<b>Mary" not in html
    name = re.search(r'<h3 class="result__name"[^>]*><a [^>]*>(.*?)</a>', html).group(1)
    assert unescape(name) == '<script>alert("x")</script> Hope'
    where = re.search(r'<p class="result__where">(.*?)</p>', html, re.S).group(1)
    assert "St <b>Mary</b>'s & Hall" in unescape(where)


def test_an_online_result_says_online_once(client, db):
    make_meeting(name="Lunchtime", format=Format.ONLINE, online_url="https://example.org/j")
    html = client.get(URL).content.decode()
    where = re.search(r'<p class="result__where">(.*?)</p>', html, re.S).group(1)
    assert where.count("Online") == 1


def test_no_wider_radius_is_offered_when_nothing_matches_within_200_miles(client, leeds):
    make_meeting(name="Online", format=Format.ONLINE)
    html = client.get(URL + "?near=LS6+1AA&within=5").content.decode()
    assert "We found no meetings within 5 miles of" in html
    assert "miles instead" not in html
    assert "See 1 matching meeting you can join online" in html


def test_nothing_at_all_suggests_fewer_filters(client, db):
    response = client.get(URL + "?feature=bsl")
    assert b"No meetings match everything you chose" in response.content


# --- bad input is a message, never an error page ----------------------------------------

@pytest.mark.parametrize(
    ("query", "param", "message"),
    [
        ("within=abc", "within", "must be a number of miles"),
        ("within=-1", "within", "at least 0.1 miles"),
        ("within=0", "within", "at least 0.1 miles"),
        ("within=0.05", "within", "at least 0.1 miles"),
        ("within=1_0", "within", "must be a number of miles"),
        ("within=nan", "within", "must be a number of miles"),
        ("within=500", "within", "at most 200 miles"),
        ("day=funday", "day", "“funday” is not a day"),
        ("fellowship=nonexistent", "fellowship", "“nonexistent”"),
        ("format=telepathy", "format", "not a way to attend"),
        ("time=noonish", "time", "not a time of day"),
        ("sort=random", "sort", "not an order"),
        ("feature=unicorns", "feature", "unicorns"),
        ("language=xx", "language", "language code"),
        ("for=everyone", "for", "everyone"),
        ("when=later", "when", "later"),
    ],
)
def test_an_invalid_value_is_explained_and_the_rest_still_applies(
    client, db, query, param, message
):
    make_meeting(name="Saturday", weekday=5)
    make_meeting(name="Sunday", weekday=6)
    response = client.get(f"{URL}?{query}&day=saturday" if param != "day" else f"{URL}?{query}")
    assert response.status_code == 200
    assert param in response.context["search"].errors
    assert message in response.content.decode()
    if param != "day":
        assert names(response) == ["Saturday"]


@pytest.mark.parametrize("page", ["100000000000000000000", "9223372036854775807", "100001"])
def test_a_page_number_too_big_for_the_database_shows_the_last_page(client, db, page):
    for n in range(25):
        make_meeting(name=f"Meeting {n:02d}")
    response = client.get(f"{URL}?sort=name&page={page}")
    assert response.status_code == 200
    assert len(names(response)) == 5
    assert b"There are only 2 pages of results" in response.content


def test_a_page_number_in_other_digits_is_not_read_as_one(client, db):
    for n in range(25):
        make_meeting(name=f"Meeting {n:02d}")
    assert names(client.get(URL + "?sort=name&page=\u0662"))[0] == "Meeting 00"


def test_each_message_links_to_the_field_it_is_about(client, leeds):
    html = client.get(
        URL + "?within=abc&day=funday&for=everyone&feature=unicorns&when=later&language=xx"
    ).content.decode()
    for name in ["within", "day", "for", "feature", "when", "language"]:
        assert f'href="#id_{name}"' in html
        assert f'id="id_{name}"' in html


def test_coded_values_may_be_written_in_capitals(client, fellowships):
    make_meeting(name="AA Monday", fellowship=fellowships["aa"], weekday=0)
    make_meeting(name="NA Monday", fellowship=fellowships["na"], weekday=0)
    response = client.get(URL + "?fellowship=AA&day=Monday")
    assert response.context["search"].errors == {}
    assert names(response) == ["AA Monday"]


def test_too_long_a_place_or_name_is_explained_plainly(client, db):
    html = client.get(URL + "?near=" + "x" * 101 + "&q=" + "y" * 101).content.decode()
    assert "That is too long for a postcode or town: use at most 100 characters." in html
    assert "That is too long for a name: use at most 100 characters." in html


def test_page_x_shows_the_first_page(client, db):
    make_meeting(name="Only")
    response = client.get(URL + "?page=x")
    assert response.status_code == 200
    assert names(response) == ["Only"]


def test_an_unknown_postcode_is_explained_not_guessed(client, place):
    place("LS6 1AA")
    make_meeting(name="Somewhere")
    response = client.get(URL + "?near=ZZ99+9ZZ")
    assert response.status_code == 200
    assert names(response) == []
    assert "near" in response.context["search"].errors
    assert "couldn't find that place" in response.content.decode()
    assert "ZZ99 9ZZ" in response.content.decode()


def test_unknown_parameters_are_ignored(client, db):
    make_meeting(name="Only")
    response = client.get(URL + "?utm_source=partner&colour=blue")
    assert response.status_code == 200
    assert names(response) == ["Only"]
    assert response.context["search"].errors == {}


def test_the_form_keeps_what_was_chosen(client, fellowships, place):
    html = client.get(URL + "?near=LS6+1AA&within=2.5&day=monday&fellowship=aa").content.decode()
    assert 'value="LS6 1AA"' in html
    assert '<option value="2.5" selected>' in html
    assert 'value="monday" id="id_day_0" checked>' in html
    assert re.search(r'value="aa" id="id_fellowship_\d+" checked>', html)
    assert "<summary>More filters (2 chosen)</summary>" in html


def test_the_empty_fields_a_submitted_form_sends_are_not_chosen_filters(client, leeds):
    html = client.get(URL + "?near=LS6+1AA&within=10&q=&language=&sort=distance").content.decode()
    assert "<summary>More filters</summary>" in html
    html = client.get(URL + "?near=LS6+1AA&within=10&q=hope&language=&sort=name").content.decode()
    assert "<summary>More filters (2 chosen)</summary>" in html


def test_a_submitted_form_with_its_fields_left_empty_is_not_a_mistake(client, leeds):
    make_meeting(name="Near", venue=make_venue(**miles_north(leeds, 1)))
    empty = "&".join(f"{name}=" for name in [
        "q", "fellowship", "philosophy", "for", "format", "day", "time", "when", "feature",
        "language", "sort",
    ])
    response = client.get(f"{URL}?near=LS6+1AA&within=10&{empty}")
    assert response.context["search"].errors == {}
    assert b"could not be used" not in response.content
    assert names(response) == ["Near"]
    assert response.context["search"].sort == "distance"


def test_the_form_asks_for_no_order_unless_one_was_chosen(client, leeds):
    make_meeting(name="Near but later", weekday=6, venue=make_venue(**miles_north(leeds, 0.2)))
    make_meeting(name="Far but soon", weekday=0, venue=make_venue(**miles_north(leeds, 8)))
    html = client.get(URL).content.decode()
    assert '<option value="" selected>' in html
    assert '<option value="soonest" selected>' not in html
    # What that form sends once a postcode is typed in: nearest first, as on the home page.
    response = client.get(URL + "?near=LS6+1AA&within=10&q=&language=&sort=")
    assert names(response) == ["Near but later", "Far but soon"]
    html = client.get(URL + "?near=LS6+1AA&sort=soonest").content.decode()
    assert '<option value="soonest" selected>' in html


def test_filters_kept_rendered_still_follow_the_order_and_the_lists(client, fellowships, leeds):
    def page(query: str = "") -> str:
        return client.get(URL + query).content.decode()

    assert '<option value="" selected>' in page("?near=LS6+1AA")
    assert '<option value="name" selected>' in page("?near=LS6+1AA&sort=name")
    assert '<option value="" selected>' in page("?near=LS6+1AA")

    make_fellowship(name="A New Fellowship", slug="a-new-fellowship")

    html = client.get(URL + "?near=LS6+1AA").content.decode()
    assert 'value="a-new-fellowship"' in html
    html = client.get(URL + "?near=LS6+1AA&day=monday").content.decode()
    assert 'value="monday" id="id_day_0" checked>' in html


def test_home_page_has_one_search_box_and_the_crisis_box(client, db):
    html = client.get("/").content.decode()
    assert 'name="near"' in html
    assert 'action="/meetings/"' in html
    assert "116 123" in html and "111" in html and "999" in html


def test_a_misspelt_town_links_to_the_places_it_may_mean(client, place):
    place("LS6 1AA")  # loads the real places
    html = client.get(URL + "?near=Leds").content.decode()
    assert "We couldn't find that place" in html
    assert '<a href="?near=Leeds">Leeds</a>' in html


def test_the_filters_applied_are_listed_each_with_a_link_that_takes_it_off(client, fellowships):
    make_meeting(name="Hope", fellowship=fellowships["aa"], weekday=0, features=["women"])
    html = client.get(URL + "?day=monday&day=friday&feature=women&q=hope&page=1"
                      "&time=noonish").content.decode()
    chosen = re.search(r'<ul class="chosen__list".*?</ul>', html, re.S).group(0)
    labels = re.findall(r'>([^<>]+) <span aria-hidden="true">', chosen)
    # Not "noonish": a value we could not use is explained above the form instead.
    assert labels == ["Named like “hope”", "Monday", "Friday", "Women only"]
    links = dict(zip(labels, re.findall(r'href="([^"]+)"', chosen), strict=True))
    assert links["Friday"] == "?day=monday&amp;feature=women&amp;q=hope&amp;time=noonish"
    assert 'aria-label="Remove Women only"' in chosen
    after = client.get(URL + links["Friday"].replace("&amp;", "&"))
    assert after.context["search"].understood["day"] == ["monday"]


def test_no_list_of_filters_when_none_was_chosen(client, db):
    assert 'class="chosen"' not in client.get(URL + "?near=&q=&sort=name").content.decode()


def test_the_home_pages_feature_boxes_are_features_we_list(client, fellowships):
    from meetings.catalogue import current

    html = client.get("/").content.decode()
    offered = re.findall(r'name="feature" value="([^"]+)"', html)
    assert offered == ["women", "wheelchair"]
    listed = {value for value, _label in current().feature_choices}
    assert set(offered) <= listed


@pytest.mark.parametrize("within", ["nan", "inf", "1_0", "abc"])
def test_a_radius_we_cannot_read_leaves_the_usual_one_chosen_in_the_box(client, db, within):
    html = client.get(URL + f"?within={within}").content.decode()
    assert '<option value="10" selected>' in html


# --- In person or online near a place (issue 11.1) -------------------------------------

IN_PERSON_OR_ONLINE = "?format=in-person&format=online&near=LS6+1AA&within=5"


@pytest.fixture
def near_and_online(leeds, clock):
    """Tuesday noon; meetings near LS6 1AA, far away, and online."""
    clock(2024, 12, 10, 12, 0)
    near = make_venue(**miles_north(leeds, 1))
    nearish = make_venue(**miles_north(leeds, 2))
    far = make_venue(**miles_north(leeds, 30))
    make_meeting(name="Near In Person", venue=near, weekday=5)
    make_meeting(name="Near Hybrid", venue=nearish, weekday=1, format=Format.HYBRID,
                 online_url="https://example.org/h")
    make_meeting(name="Far In Person", venue=far, weekday=1)
    make_meeting(name="Far Hybrid", venue=far, weekday=4, format=Format.HYBRID,
                 online_url="https://example.org/f")
    make_meeting(name="Online Wednesday", weekday=2, format=Format.ONLINE)


def test_in_person_or_online_near_a_place_adds_online_meetings_from_anywhere(
    client, near_and_online
):
    response = client.get(URL + IN_PERSON_OR_ONLINE)
    # Nearby ones by distance, then the ones joined online by next start.
    assert names(response) == ["Near In Person", "Near Hybrid", "Online Wednesday",
                               "Far Hybrid"]
    html = " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())
    assert "4 meetings within 5 miles of LS6 1AA or online" in html
    nearby = html.index("In person within 5 miles of LS6 1AA")
    online = html.index("Online: join from anywhere")
    assert nearby < html.index("Near Hybrid") < online < html.index("Online Wednesday")
    # The online part is not measured: no distance on its rows.
    assert [m.distance_text for m in response.context["meetings"]][2:] == ["", ""]


def test_in_person_or_online_can_still_be_ordered_by_name_part_by_part(
    client, near_and_online
):
    response = client.get(URL + IN_PERSON_OR_ONLINE + "&sort=name")
    assert names(response) == ["Near Hybrid", "Near In Person", "Far Hybrid",
                               "Online Wednesday"]


def test_in_person_alone_near_a_place_is_still_limited_by_distance(client, near_and_online):
    response = client.get(URL + "?format=in-person&near=LS6+1AA&within=5")
    assert names(response) == ["Near In Person", "Near Hybrid"]
    response = client.get(URL + "?near=LS6+1AA&within=5")
    assert names(response) == ["Near In Person", "Near Hybrid"]


def test_in_person_or_online_is_the_same_in_every_rendering(client, leeds, clock):
    """count, pages, the CSV, the calendar and the embed all hold both parts."""
    import csv
    import io

    clock(2024, 12, 10, 12, 0)
    for n in range(3):
        make_meeting(name=f"Near {n}", venue=make_venue(**miles_north(leeds, 1 + n)))
    for n in range(20):
        make_meeting(name=f"Online {n:02}", format=Format.ONLINE, weekday=n % 7)
    query = IN_PERSON_OR_ONLINE[1:]
    first = client.get(f"/meetings.json?{query}").json()
    second = client.get(first["next"]).json()
    assert first["count"] == second["count"] == 23
    assert first["query"]["online_anywhere"] is True
    assert first["query"]["distance_applied"] is True
    in_pages = [r["name"] for r in first["results"] + second["results"]]
    assert in_pages[:3] == ["Near 0", "Near 1", "Near 2"]
    assert all(r["distance_miles"] is None for r in first["results"][3:])
    def body(response) -> bytes:  # the CSV and calendar are streamed
        return b"".join(response.streaming_content) if response.streaming else response.content

    text = body(client.get(f"/meetings.csv?{query}")).decode("utf-8-sig")
    assert [row["name"] for row in csv.DictReader(io.StringIO(text))] == in_pages
    calendar = body(client.get(f"/meetings.ics?{query}")).decode()
    assert calendar.count("BEGIN:VEVENT") == 23
    embed = client.get(f"/embed/meetings/?{query}").content.decode()
    assert [name for name in in_pages[:20] if name in embed] == in_pages[:20]
    assert "See all 23 meetings" in embed
    page_two = client.get(URL + f"?{query}&page=2")
    assert names(page_two) == in_pages[20:]


def test_a_new_postcode_is_searched_near_its_sector_and_says_so(client, place):
    sector = place("LS6 1")
    make_meeting(name="Near", venue=make_venue(**miles_north(sector, 1)))
    response = client.get(URL + "?near=LS6+1ZZ")
    assert names(response) == ["Near"]
    assert "We don’t have LS6 1ZZ yet, so these are near LS6 1." in unescape(
        response.content.decode())
    district = client.get(URL + "?near=LS6+8AA").content.decode()
    assert "We don’t have LS6 8AA yet, so these are near LS6." in unescape(district)


# --- Nothing happening now (issue 11.4) ----------------------------------------------

@pytest.fixture
def online_tomorrow_morning(db, clock):
    """Tuesday 10pm; the online meetings are tomorrow at 7:30am and on Friday."""
    clock(2024, 12, 10, 22, 0)
    make_meeting(name="Friday Online", format=Format.ONLINE, weekday=4,
                 start_time=datetime.time(7, 0))
    make_meeting(name="Early Risers", format=Format.ONLINE, weekday=2,
                 start_time=datetime.time(7, 30), end_time=datetime.time(8, 30))
    make_meeting(name="In Person Now", weekday=1, start_time=datetime.time(21, 45))


def test_nothing_online_now_says_when_the_next_online_meeting_starts(
    client, online_tomorrow_morning
):
    response = client.get(URL + "?format=online&when=now")
    assert names(response) == []
    html = " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())
    assert "Nothing that matches is happening now or in the next hour." in html
    assert "The next one: Tomorrow 7:30am" in html
    assert 'href="/meetings/' in response.content.decode().split("The next one")[1]
    assert "Early Risers" in html and "Friday Online" not in html


def test_the_json_gives_the_next_matching_meeting_when_nothing_is_on_now(
    client, online_tomorrow_morning
):
    data = client.get("/meetings.json?format=online&when=now").json()
    assert data["count"] == 0
    assert data["next_matching"]["name"] == "Early Risers"
    assert data["next_matching"]["next_start"] == "2024-12-11T07:30:00+00:00"
    # Something on now: no need to look further.
    data = client.get("/meetings.json?when=now").json()
    assert [r["name"] for r in data["results"]] == ["In Person Now"]
    assert data["next_matching"] is None
    assert "next_matching" not in client.get("/meetings.json?format=online").json()
