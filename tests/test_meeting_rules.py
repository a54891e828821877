"""The rules a meeting must keep, enforced by the database and explained to staff."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from meetings.models import Format, Meeting, Recurrence, Weekday
from tests.factories import make_fellowship, make_meeting, make_venue

pytestmark = pytest.mark.django_db


def unsaved_meeting(**fields) -> Meeting:
    defaults = {
        "fellowship": make_fellowship(),
        "name": "Tuesday Night Group",
        "weekday": Weekday.TUESDAY,
        "start_time": datetime.time(19, 30),
    }
    return Meeting(**(defaults | fields))


def test_an_in_person_meeting_without_a_venue_is_refused_with_a_clear_message():
    meeting = unsaved_meeting(format=Format.IN_PERSON, venue=None)
    with pytest.raises(ValidationError) as error:
        meeting.full_clean()
    assert "needs a venue" in str(error.value)


def test_the_database_itself_refuses_an_in_person_meeting_without_a_venue():
    meeting = unsaved_meeting(format=Format.IN_PERSON, venue=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        meeting.save()


def test_a_hybrid_meeting_needs_a_venue_too():
    meeting = unsaved_meeting(format=Format.HYBRID, venue=None, online_url="https://example.org/j")
    with pytest.raises(ValidationError, match="needs a venue"):
        meeting.full_clean()


def test_an_online_meeting_without_joining_details_is_refused_with_a_clear_message():
    meeting = unsaved_meeting(format=Format.ONLINE)
    with pytest.raises(ValidationError) as error:
        meeting.full_clean()
    assert "joining link or a dial-in phone number" in str(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        meeting.save()


def test_an_online_meeting_with_only_a_dial_in_number_is_fine():
    meeting = unsaved_meeting(format=Format.ONLINE, online_phone="0203 000 0000")
    meeting.full_clean()
    meeting.save()
    assert meeting.slug == "tuesday-night-group-online-tuesday"


def test_an_in_person_meeting_needs_no_joining_details():
    meeting = unsaved_meeting(format=Format.IN_PERSON, venue=make_venue(town="Hebden Bridge"))
    meeting.full_clean()
    meeting.save()
    assert meeting.slug == "tuesday-night-group-hebden-bridge-tuesday"


def test_slugs_stay_unique_and_never_change_once_given():
    venue = make_venue(town="Leeds")
    first = make_meeting(name="Hope", venue=venue, weekday=Weekday.FRIDAY)
    second = make_meeting(name="Hope", venue=venue, weekday=Weekday.FRIDAY)
    assert (first.slug, second.slug) == ("hope-leeds-friday", "hope-leeds-friday-2")
    first.name = "Hope and Courage"
    first.save()
    first.refresh_from_db()
    assert first.slug == "hope-leeds-friday"


def test_an_unknown_status_or_format_is_refused_by_the_database():
    meeting = make_meeting()
    for field, value in [("status", "deleted"), ("format", "telepathy"), ("weekday", 7)]:
        with pytest.raises(IntegrityError), transaction.atomic():
            Meeting.objects.filter(pk=meeting.pk).update(**{field: value})


def test_the_same_source_id_cannot_be_imported_twice():
    make_meeting(source="intergroup-feed", source_id="abc")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_meeting(source="intergroup-feed", source_id="abc")
    # Hand-made meetings have no source id, and there can be any number of them.
    make_meeting(source="", source_id="")
    make_meeting(source="", source_id="")


@pytest.mark.parametrize(
    ("recurrence", "weekday", "expected"),
    [
        (Recurrence.WEEKLY, Weekday.MONDAY, "Every Monday"),
        (Recurrence.FIRST, Weekday.TUESDAY, "First Tuesday of the month"),
        (Recurrence.THIRD, Weekday.SATURDAY, "Third Saturday of the month"),
        (Recurrence.LAST, Weekday.SUNDAY, "Last Sunday of the month"),
    ],
)
def test_recurrence_reads_as_plain_english(recurrence, weekday, expected):
    meeting = make_meeting(recurrence=recurrence, weekday=weekday)
    assert meeting.schedule_display() == expected


def test_an_unknown_recurrence_is_refused():
    meeting = make_meeting()
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(recurrence="biweekly")


def test_a_venue_stores_its_postcode_normalised():
    venue = make_venue(postcode=" ls61aa ", latitude=None, longitude=None)
    venue.full_clean()
    assert venue.postcode == "LS6 1AA"


def test_a_venue_postcode_that_is_not_a_postcode_is_refused_kindly():
    venue = make_venue(postcode="LS6", latitude=None, longitude=None)
    with pytest.raises(ValidationError, match="is not a UK postcode. It should look like"):
        venue.full_clean()


def test_a_venue_cannot_have_half_a_coordinate():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_venue(latitude=53.8, longitude=None)
