"""The admin is the staff product: every page loads, one box finds any meeting, bulk actions
work."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from groups.models import Group
from meetings.models import Format, Meeting, Status, Venue
from tests.factories import make_fellowship, make_meeting, make_venue, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_user(
        "curator", is_staff=True, is_superuser=True
    )
    sign_in(client, user)
    return client


@pytest.fixture
def listings():
    aa = make_fellowship(name="Alcoholics Anonymous", short_name="AA", slug="aa")
    smart = make_fellowship(name="SMART Recovery", short_name="SMART", slug="smart-recovery")
    hall = make_venue(name="Quaker Meeting House", town="Hebden Bridge", postcode="HX7 8AD")
    group = Group.objects.create(fellowship=aa, name="Hebden Bridge Group", email="g@example.org")
    return {
        "calder": make_meeting(name="Calder Valley Serenity", fellowship=aa, venue=hall,
                               group=group),
        "smart": make_meeting(name="Tuesday Tools", fellowship=smart,
                              venue=make_venue(town="Leeds", postcode="LS6 1AA")),
        "online": make_meeting(name="Lunchtime Online", fellowship=smart, format=Format.ONLINE),
    }


ADMIN_PAGES = [
    "admin:index",
    "admin:groups_fellowship_changelist", "admin:groups_fellowship_add",
    "admin:groups_group_changelist", "admin:groups_group_add",
    "admin:meetings_venue_changelist", "admin:meetings_venue_add",
    "admin:meetings_meeting_changelist", "admin:meetings_meeting_add",
    "admin:meetings_feature_changelist", "admin:meetings_language_changelist",
]


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_every_admin_page_loads_for_staff(staff_client, listings, name):
    assert staff_client.get(reverse(name)).status_code == 200


def test_change_pages_load_for_staff(staff_client, listings):
    meeting = listings["calder"]
    for url in [
        reverse("admin:meetings_meeting_change", args=[meeting.pk]),
        reverse("admin:meetings_venue_change", args=[meeting.venue.pk]),
        reverse("admin:groups_fellowship_change", args=[meeting.fellowship.pk]),
        reverse("admin:groups_group_change", args=[meeting.group.pk]),
    ]:
        assert staff_client.get(url).status_code == 200


def test_the_venue_page_shows_its_meetings_and_a_map_link(staff_client, listings):
    venue = listings["calder"].venue
    venue.latitude, venue.longitude = 53.7417, -2.0133
    venue.save()
    page = staff_client.get(reverse("admin:meetings_venue_change", args=[venue.pk]))
    assert b"Calder Valley Serenity" in page.content
    assert b"https://www.openstreetmap.org/?mlat=53.7417&amp;mlon=-2.0133" in page.content


def test_the_admin_refuses_visitors(client):
    response = client.get(reverse("admin:meetings_meeting_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("Calder", {"calder"}),                # meeting name
        ("Hebden Bridge", {"calder"}),         # town
        ("hx7 8ad", {"calder"}),               # postcode, any case
        ("HX78AD", {"calder"}),                # postcode without its space
        ("SMART Recovery", {"smart", "online"}),  # fellowship name
        ("Alcoholics", {"calder"}),            # fellowship name, in part
        ("Quaker", {"calder"}),                # venue name
    ],
)
def test_one_search_box_finds_a_meeting_by_name_town_postcode_or_fellowship(
    staff_client, listings, search, expected
):
    page = staff_client.get(reverse("admin:meetings_meeting_changelist"), {"q": search})
    found = {key for key, meeting in listings.items() if meeting in page.context["cl"].result_list}
    assert found == expected


def test_mark_verified_today_sets_the_date_on_the_chosen_meetings_only(staff_client, listings):
    chosen = listings["calder"]
    staff_client.post(reverse("admin:meetings_meeting_changelist"), {
        "action": "mark_verified_today", "_selected_action": [chosen.pk],
    })
    assert Meeting.objects.get(pk=chosen.pk).last_verified == timezone.localdate()
    assert Meeting.objects.get(pk=listings["smart"].pk).last_verified is None


def test_suspend_marks_meetings_suspended_but_leaves_closed_ones_closed(staff_client, listings):
    closed = listings["smart"]
    Meeting.objects.filter(pk=closed.pk).update(status=Status.CLOSED)
    staff_client.post(reverse("admin:meetings_meeting_changelist"), {
        "action": "suspend", "_selected_action": [listings["calder"].pk, closed.pk],
    })
    assert Meeting.objects.get(pk=listings["calder"].pk).status == Status.SUSPENDED
    assert Meeting.objects.get(pk=closed.pk).status == Status.CLOSED


def test_provenance_is_read_only_in_the_admin(staff_client, listings):
    meeting = listings["calder"]
    Meeting.objects.filter(pk=meeting.pk).update(source="feed", source_id="42")
    page = staff_client.get(reverse("admin:meetings_meeting_change", args=[meeting.pk]))
    form = page.context["adminform"].form
    assert "source" not in form.fields and "source_id" not in form.fields


def test_the_admin_explains_a_missing_venue_instead_of_failing(staff_client, listings):
    meeting = listings["calder"]
    response = staff_client.post(
        reverse("admin:meetings_meeting_add"),
        {
            "fellowship": meeting.fellowship.pk, "name": "No Venue Yet", "status": "active",
            "weekday": 2, "recurrence": "weekly", "start_time": "19:00",
            "timezone": "Europe/London", "format": "in-person", "access": "",
        },
    )
    assert response.status_code == 200
    assert "needs a venue" in response.content.decode()
    assert not Meeting.objects.filter(name="No Venue Yet").exists()


def test_the_meeting_list_costs_the_same_queries_for_many_meetings(
    staff_client, listings, django_assert_max_num_queries
):
    for n in range(30):
        make_meeting(name=f"Extra {n}", start_time=datetime.time(8, n))
    with django_assert_max_num_queries(12):
        staff_client.get(reverse("admin:meetings_meeting_changelist"))


def test_saving_a_venue_fills_its_coordinates_from_the_postcode(staff_client, gb_postcodes):
    from meetings.models import Postcode

    response = staff_client.post(reverse("admin:meetings_venue_add"), {
        "name": "Friends Meeting House", "town": "Leeds", "postcode": "ls6 1aa",
        "meetings-TOTAL_FORMS": 0, "meetings-INITIAL_FORMS": 0,
    }, follow=True)
    assert response.status_code == 200
    venue = Venue.objects.get(name="Friends Meeting House")
    known = Postcode.objects.get(postcode="LS6 1AA")
    assert venue.postcode == "LS6 1AA"
    assert (venue.latitude, venue.longitude) == (known.latitude, known.longitude)


def test_an_unknown_postcode_is_kept_with_a_warning(staff_client, gb_postcodes):
    response = staff_client.post(reverse("admin:meetings_venue_add"), {
        "name": "New Build Hall", "town": "Leeds", "postcode": "LS6 9ZZ",
        "meetings-TOTAL_FORMS": 0, "meetings-INITIAL_FORMS": 0,
    }, follow=True)
    assert "We have no record of the postcode LS6 9ZZ" in response.content.decode()
    venue = Venue.objects.get(name="New Build Hall")
    assert venue.postcode == "LS6 9ZZ" and venue.latitude is None


def test_coordinates_set_by_hand_are_kept(staff_client, gb_postcodes):
    staff_client.post(reverse("admin:meetings_venue_add"), {
        "name": "Moor Hut", "town": "Leeds", "postcode": "LS6 1AA", "latitude": "53.9",
        "longitude": "-1.7", "coordinates_set_by_hand": "on",
        "meetings-TOTAL_FORMS": 0, "meetings-INITIAL_FORMS": 0,
    })
    venue = Venue.objects.get(name="Moor Hut")
    assert (venue.latitude, venue.longitude) == (53.9, -1.7)


def test_the_meeting_list_links_to_the_import_page(staff_client, listings):
    page = staff_client.get(reverse("admin:meetings_meeting_changelist"))
    assert reverse("admin-import-meetings").encode() in page.content
