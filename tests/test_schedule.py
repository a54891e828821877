"""Next occurrences in UK time, and how they are put into words (no database)."""

import datetime

from meetings.schedule import (
    LONDON,
    UTC,
    clock_time,
    days_until,
    meets_on,
    next_midnight,
    next_occurrence,
    recurrences_on,
    wall_clock_span,
    when_in_words,
    wording_changes_at,
)

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


def london(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=LONDON)


def utc(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=UTC)


def t(hour: int, minute: int = 0) -> datetime.time:
    return datetime.time(hour, minute)


def test_a_weekly_meeting_later_today_is_tonight():
    now = london(2024, 12, 10, 12, 0)  # Tuesday
    occurrence = next_occurrence(TUE, "weekly", t(19, 30), now)
    assert occurrence.start == london(2024, 12, 10, 19, 30)
    assert when_in_words(occurrence, now) == "Tonight 7:30pm"


def test_a_morning_meeting_tomorrow():
    now = london(2024, 12, 10, 21, 0)
    occurrence = next_occurrence(WED, "weekly", t(10), now)
    assert when_in_words(occurrence, now) == "Tomorrow 10am"


def test_a_meeting_further_ahead_is_named_by_date():
    now = london(2024, 12, 10, 21, 0)
    occurrence = next_occurrence(SAT, "weekly", t(11), now)
    assert when_in_words(occurrence, now) == "Sat 14 Dec 11am"


def test_a_meeting_in_progress_counts_until_it_ends():
    now = london(2024, 12, 10, 20, 0)
    occurrence = next_occurrence(TUE, "weekly", t(19, 30), now, end_time=t(21))
    assert occurrence.start == london(2024, 12, 10, 19, 30)
    assert when_in_words(occurrence, now) == "Now (started 7:30pm)"


def test_a_finished_meeting_is_next_week():
    now = london(2024, 12, 10, 21, 30)
    occurrence = next_occurrence(TUE, "weekly", t(19, 30), now, end_time=t(21))
    assert occurrence.start == london(2024, 12, 17, 19, 30)


def test_without_an_end_time_a_meeting_lasts_an_hour():
    now = london(2024, 12, 10, 20, 45)
    assert next_occurrence(TUE, "weekly", t(20), now).start.day == 10
    now = london(2024, 12, 10, 21, 1)
    assert next_occurrence(TUE, "weekly", t(20), now).start.day == 17


def test_a_meeting_past_midnight_is_still_in_progress_after_midnight():
    now = london(2024, 12, 11, 0, 30)  # Wednesday
    occurrence = next_occurrence(TUE, "weekly", t(23), now, end_time=t(1))
    assert occurrence.start == london(2024, 12, 10, 23, 0)
    assert occurrence.in_progress(now)


def test_midday_and_midnight_are_words():
    assert clock_time(t(12)) == "midday"
    assert clock_time(t(0)) == "midnight"
    assert clock_time(t(12, 30)) == "12:30pm"
    assert clock_time(t(0, 15)) == "12:15am"


def test_monthly_recurrences_of_a_date():
    assert recurrences_on(datetime.date(2024, 12, 3)) == ["weekly", "first"]
    assert recurrences_on(datetime.date(2024, 12, 24)) == ["weekly", "fourth"]
    assert recurrences_on(datetime.date(2024, 12, 31)) == ["weekly", "last"]
    # The 25th is both the fourth and the last Wednesday of December 2024.
    assert recurrences_on(datetime.date(2024, 12, 25)) == ["weekly", "fourth", "last"]


def test_first_tuesday_of_the_month():
    now = london(2024, 12, 4, 9, 0)  # the day after the first Tuesday
    occurrence = next_occurrence(TUE, "first", t(19), now)
    assert occurrence.start == london(2025, 1, 7, 19, 0)
    assert meets_on(TUE, "first", datetime.date(2025, 1, 7))
    assert not meets_on(TUE, "first", datetime.date(2025, 1, 14))


def test_last_friday_of_the_month():
    now = london(2024, 12, 1, 9, 0)
    assert next_occurrence(FRI, "last", t(19), now).start == london(2024, 12, 27, 19, 0)
    assert days_until(FRI, "last", datetime.date(2024, 12, 1)) == 26


def test_march_clock_change_keeps_the_wall_clock_time():
    # Clocks go forward at 01:00 GMT on Sunday 31 March 2024.
    now = london(2024, 3, 30, 20, 0)
    occurrence = next_occurrence(SUN, "weekly", t(19, 30), now)
    assert occurrence.start.astimezone(UTC) == utc(2024, 3, 31, 18, 30)  # 19:30 BST
    before = next_occurrence(SAT, "weekly", t(19, 30), london(2024, 3, 30, 9, 0))
    assert before.start.astimezone(UTC) == utc(2024, 3, 30, 19, 30)  # 19:30 GMT


def test_october_clock_change_keeps_the_wall_clock_time():
    # Clocks go back at 02:00 BST on Sunday 27 October 2024.
    now = london(2024, 10, 26, 22, 0)
    occurrence = next_occurrence(SUN, "weekly", t(10), now)
    assert occurrence.start.astimezone(UTC) == utc(2024, 10, 27, 10, 0)  # 10:00 GMT
    assert when_in_words(occurrence, now) == "Tomorrow 10am"


def test_a_time_the_clocks_skip_moves_past_the_gap():
    now = london(2024, 3, 31, 0, 0)
    occurrence = next_occurrence(SUN, "weekly", t(1, 30), now)
    assert occurrence.start.astimezone(UTC) == utc(2024, 3, 31, 1, 30)  # 02:30 BST


def test_a_meeting_set_in_the_skipped_hour_lasts_as_long_as_its_times_say():
    # 01:30 to 02:30 on 31 March 2024: 01:30 does not happen, so it starts at 02:30 BST,
    # the moment its end would name; it runs its hour, not until the next day.
    now = london(2024, 3, 31, 0, 0)
    occurrence = next_occurrence(SUN, "weekly", t(1, 30), now, end_time=t(2, 30))
    assert occurrence.start.astimezone(UTC) == utc(2024, 3, 31, 1, 30)
    assert occurrence.end.astimezone(UTC) == utc(2024, 3, 31, 2, 30)


def test_in_progress_is_judged_in_real_time_across_the_october_change():
    # 01:30 happens twice; a meeting 01:15-01:45 (first 01:15 BST) has ended by 01:50 GMT.
    now = utc(2024, 10, 27, 1, 50)  # 01:50 GMT, after the change
    occurrence = next_occurrence(SUN, "weekly", t(1, 15), now, end_time=t(1, 45))
    assert occurrence.start.date() == datetime.date(2024, 11, 3)


def test_away_from_a_clock_change_now_has_one_wall_clock_reading():
    earliest, latest = wall_clock_span(london(2024, 7, 10, 19, 0))
    assert earliest == latest == datetime.datetime(2024, 7, 10, 19, 0)  # BST


def test_near_a_clock_change_now_reads_an_hour_either_side():
    # 00:30 UTC on Sunday 27 October 2024 is 01:30 BST; within the hour the clocks go
    # back, and after that the same moment reads an hour earlier (00:30 GMT).
    earliest, latest = wall_clock_span(utc(2024, 10, 27, 0, 30))
    assert (earliest, latest) == (datetime.datetime(2024, 10, 27, 0, 30),
                                  datetime.datetime(2024, 10, 27, 1, 30))
    # Still within a day of it, the next evening.
    earliest, latest = wall_clock_span(utc(2024, 10, 27, 19, 0))
    assert latest - earliest == datetime.timedelta(hours=1)


# --- When a meeting's words next change (how long a kept page reads the same) ----------


def test_words_change_first_at_the_start_then_at_the_end():
    now = london(2024, 12, 10, 12, 0)  # Tuesday
    occurrence = next_occurrence(TUE, "weekly", t(19, 30), now, t(20, 30))
    assert wording_changes_at(occurrence, now) == london(2024, 12, 10, 19, 30)
    during = london(2024, 12, 10, 19, 45)
    assert wording_changes_at(occurrence, during) == london(2024, 12, 10, 20, 30)


def test_a_meeting_days_away_changes_words_at_midnight():
    now = london(2024, 12, 10, 12, 0)  # Tuesday: "Thu 12 Dec" becomes "Tomorrow"
    occurrence = next_occurrence(THU, "weekly", t(10), now)
    assert wording_changes_at(occurrence, now) == london(2024, 12, 11, 0, 0)


def test_midnight_is_the_uk_one_across_the_clock_change():
    # Saturday 26 October 2024, 22:00 BST; the clocks go back that night.
    assert next_midnight(london(2024, 10, 26, 22, 0)) == utc(2024, 10, 26, 23, 0)
    assert next_midnight(london(2024, 10, 27, 12, 0)) == utc(2024, 10, 28, 0, 0)


CASES = [
    (weekday, recurrence, t(hour, minute), end)
    for weekday in (MON, TUE, WED)
    for recurrence in ("weekly", "second", "last")
    for hour, minute, end in ((0, 0, None), (7, 30, t(8, 30)), (17, 0, None),
                              (19, 30, t(21)), (23, 0, t(1)))
]


def test_words_and_the_occurrence_hold_until_that_moment_and_change_at_it():
    """Minute by minute over two days: until the moment given the words and the next
    start are those of the starting minute; at it, they differ, unless the moment was
    midnight and the meeting is days away either side of it."""
    start = london(2024, 12, 9, 0, 0)  # Monday
    for weekday, recurrence, begins, ends in CASES:
        now = start
        while now < start + datetime.timedelta(days=2):
            occurrence = next_occurrence(weekday, recurrence, begins, now, ends)
            words = when_in_words(occurrence, now)
            moment = wording_changes_at(occurrence, now)
            assert moment > now
            minute, second = datetime.timedelta(minutes=1), datetime.timedelta(seconds=1)
            for later in (now + minute, moment - second):
                if later < moment:
                    again = next_occurrence(weekday, recurrence, begins, later, ends)
                    assert (again, when_in_words(again, later)) == (occurrence, words)
            after = next_occurrence(weekday, recurrence, begins, moment, ends)
            if moment != next_midnight(now):
                assert (after, when_in_words(after, moment)) != (occurrence, words)
            now += datetime.timedelta(minutes=29)
