"""Volunteers limited to their fellowships (issue 12, part 4): a volunteer sees, edits,
acts on and imports only their fellowships' listings (and, with postcode areas, only
those there); venues shared with another fellowship stay editable by both; superusers
see all; a staff account that is no volunteer sees nothing and is told why."""

import json
import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from groups.models import Fellowship, Group
from meetings.models import Format, Meeting, Status, Venue
from staff.models import Volunteer
from tests.factories import make_fellowship, make_meeting, make_venue

pytestmark = pytest.mark.django_db


def add_volunteer(*args: str) -> str:
    out = StringIO()
    call_command("add_volunteer", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def world():
    aa = make_fellowship(name="Alcoholics Anonymous", short_name="AA", slug="aa")
    na = make_fellowship(name="Narcotics Anonymous", short_name="NA", slug="na")
    shared = make_venue(name="St Mary's Hall", postcode="LS6 1AA")
    bradford = make_venue(name="Bradford Hall", town="Bradford", postcode="BD1 1AA")
    liverpool = make_venue(name="Liverpool Hall", town="Liverpool", postcode="L1 8JQ")
    na_only = make_venue(name="NA House", postcode="LS2 3AA")
    return {
        "aa": aa, "na": na, "shared": shared, "na_only": na_only,
        "aa_leeds": make_meeting(name="AA Leeds", fellowship=aa, venue=shared),
        "aa_bradford": make_meeting(name="AA Bradford", fellowship=aa, venue=bradford),
        "aa_liverpool": make_meeting(name="AA Liverpool", fellowship=aa, venue=liverpool),
        "aa_online": make_meeting(name="AA Online", fellowship=aa, format=Format.ONLINE),
        "na_leeds": make_meeting(name="NA Leeds", fellowship=na, venue=shared),
        "na_house": make_meeting(name="NA House", fellowship=na, venue=na_only),
        "aa_group": Group.objects.create(fellowship=aa, name="Leeds AA Group"),
        "na_group": Group.objects.create(fellowship=na, name="Leeds NA Group"),
    }


def volunteer_client(client, *args: str):
    add_volunteer(*args)
    client.force_login(get_user_model().objects.get(username=args[0]))
    return client


def listed(client, name: str) -> set[str]:
    page = client.get(reverse(f"admin:{name}_changelist"))
    assert page.status_code == 200
    return {str(obj) for obj in page.context["cl"].result_list}


def test_a_volunteer_sees_only_their_fellowships_meetings(client, world):
    aa = volunteer_client(client, "ann", "--fellowship", "aa")
    assert listed(aa, "meetings_meeting") == {
        "AA Leeds", "AA Bradford", "AA Liverpool", "AA Online"}
    assert {str(g) for g in Group.objects.editable_by(
        get_user_model().objects.get(username="ann"))} == {"Leeds AA Group (AA)"}


def test_another_fellowships_meeting_page_is_not_found_for_them(client, world):
    aa = volunteer_client(client, "ann", "--fellowship", "aa")
    mine = aa.get(reverse("admin:meetings_meeting_change", args=[world["aa_leeds"].pk]))
    assert mine.status_code == 200
    theirs = aa.get(reverse("admin:meetings_meeting_change", args=[world["na_leeds"].pk]))
    # The admin's answer for a row it cannot find: back to the index, naming no meeting.
    assert theirs.status_code == 302
    assert "NA Leeds" not in aa.get(theirs["Location"]).content.decode()
    history = aa.get(reverse("admin:meetings_meeting_history", args=[world["na_leeds"].pk]))
    assert history.status_code == 403


def test_they_cannot_change_another_fellowships_meeting_by_posting(client, world):
    aa = volunteer_client(client, "ann", "--fellowship", "aa")
    meeting = world["na_leeds"]
    aa.post(reverse("admin:meetings_meeting_change", args=[meeting.pk]),
            {"name": "Hijacked", "fellowship": world["aa"].pk})
    meeting.refresh_from_db()
    assert meeting.name == "NA Leeds"
    record = meeting.history.latest()
    url = reverse("admin:meetings_meeting_simple_history", args=[meeting.pk, record.pk])
    assert aa.post(url, {"name": "Hijacked"}).status_code == 403


def test_a_bulk_action_reaches_only_their_own_meetings(client, world):
    aa = volunteer_client(client, "ann", "--fellowship", "aa")
    aa.post(reverse("admin:meetings_meeting_changelist"), {
        "action": "suspend",
        "_selected_action": [world["aa_leeds"].pk, world["na_leeds"].pk]})
    assert Meeting.objects.get(pk=world["aa_leeds"].pk).status == Status.SUSPENDED
    assert Meeting.objects.get(pk=world["na_leeds"].pk).status == Status.ACTIVE


def test_a_shared_venue_is_editable_by_both_fellowships(client, world, django_user_model):
    add_volunteer("nick", "--fellowship", "na")
    aa = volunteer_client(client, "ann", "--fellowship", "aa")
    assert "St Mary's Hall, Leeds" in listed(aa, "meetings_venue")
    assert "NA House, Leeds" not in listed(aa, "meetings_venue")
    nick = django_user_model.objects.get(username="nick")
    assert set(Venue.objects.editable_by(nick)) == {world["shared"], world["na_only"]}
    url = reverse("admin:meetings_venue_change", args=[world["shared"].pk])
    page = aa.get(url)
    # Its page lists only the volunteer's own meetings there.
    assert "AA Leeds" in page.content.decode() and "NA Leeds" not in page.content.decode()


def test_a_venue_with_no_meetings_yet_is_editable_by_volunteers(world, django_user_model):
    empty = make_venue(name="New Hall", postcode="LS7 1AA")
    add_volunteer("ann", "--fellowship", "aa")
    add_volunteer("bea", "--fellowship", "aa", "--area", "BD")
    assert empty in Venue.objects.editable_by(django_user_model.objects.get(username="ann"))
    assert empty not in Venue.objects.editable_by(
        django_user_model.objects.get(username="bea"))


def test_postcode_areas_limit_a_volunteer_to_meetings_there(client, world):
    leeds = volunteer_client(client, "lia", "--fellowship", "aa", "--area", "LS",
                             "--area", "bd")
    # "L" (Liverpool) is not "LS"; an online meeting with no venue is in no area.
    assert listed(leeds, "meetings_meeting") == {"AA Leeds", "AA Bradford"}
    assert Volunteer.objects.get(user__username="lia").areas == "BD LS"


def test_the_forms_offer_only_their_fellowships_venues_and_groups(client, world):
    aa = volunteer_client(client, "ann", "--fellowship", "aa")
    form = aa.get(reverse("admin:meetings_meeting_add")).context["adminform"].form
    assert list(form.fields["fellowship"].queryset) == [world["aa"]]
    assert set(form.fields["group"].queryset) == {world["aa_group"]}
    assert world["na_only"] not in form.fields["venue"].queryset
    assert world["shared"] in form.fields["venue"].queryset
    response = aa.post(reverse("admin:meetings_meeting_add"), {
        "fellowship": world["na"].pk, "name": "Sneaky", "status": "active", "weekday": 2,
        "recurrence": "weekly", "start_time": "19:00", "timezone": "Europe/London",
        "format": "in-person", "venue": world["shared"].pk, "access": ""})
    assert response.status_code == 200
    assert not Meeting.objects.filter(name="Sneaky").exists()


def test_a_new_meeting_by_a_volunteer_is_recorded_with_their_name(client, world):
    aa = volunteer_client(client, "ann", "--fellowship", "aa")
    response = aa.post(reverse("admin:meetings_meeting_add"), {
        "fellowship": world["aa"].pk, "name": "New AA", "status": "active", "weekday": 2,
        "recurrence": "weekly", "start_time": "19:00", "timezone": "Europe/London",
        "format": "in-person", "venue": world["shared"].pk, "access": ""})
    assert response.status_code == 302
    assert Meeting.objects.get(name="New AA").history.get().history_user.username == "ann"


def test_a_volunteer_cannot_edit_fellowship_records(client, world):
    aa = volunteer_client(client, "ann", "--fellowship", "aa")
    page = aa.get(reverse("admin:groups_fellowship_change", args=[world["aa"].pk]))
    assert page.status_code == 200 and not page.context["has_change_permission"]
    assert listed(aa, "groups_fellowship") == {"Alcoholics Anonymous"}


def test_superusers_see_everything(admin_client, world):
    assert len(listed(admin_client, "meetings_meeting")) == 6


def test_a_staff_account_that_is_no_volunteer_sees_nothing_and_is_told_why(
        client, world, django_user_model):
    user = django_user_model.objects.create_user("sam", is_staff=True)
    call_command("add_volunteer", "tmp", "--fellowship", "aa", stdout=StringIO())
    user.groups.add(*get_user_model().objects.get(username="tmp").groups.all())
    client.force_login(user)
    page = client.get(reverse("admin:meetings_meeting_changelist"))
    assert list(page.context["cl"].result_list) == []
    assert "does not look after any fellowship yet" in page.content.decode()
    assert Meeting.objects.editable_by(user).count() == 0


def test_the_meeting_list_costs_a_fixed_number_of_queries_for_a_volunteer(
        client, world, django_assert_num_queries):
    aa = volunteer_client(client, "ann", "--fellowship", "aa", "--area", "LS")
    for n in range(20):
        make_meeting(name=f"Extra {n}", fellowship=world["aa"], venue=world["shared"])
    # Session, user, whether they have a second step, the volunteer's scope, permissions
    # (the user's and the group's), the two counts, the page of meetings, the filters'
    # choices (fellowships and features, twice), languages and the demo notice: as many for
    # 26 meetings as for 6.
    with django_assert_num_queries(15):
        aa.get(reverse("admin:meetings_meeting_changelist"))


def test_the_import_page_offers_and_writes_only_their_fellowships(client, world, tmp_path):
    aa = volunteer_client(client, "ann", "--fellowship", "aa")
    page = aa.get(reverse("admin-import-meetings"))
    assert list(page.context["form"].fields["fellowship"].queryset) == [world["aa"]]
    feed = [
        {"name": "Hope", "slug": "hope", "day": 1, "time": "19:30",
         "conference_url": "https://example.org/j/1"},
        {"name": "Clean Time", "slug": "clean", "day": 2, "time": "19:30", "fellowship": "na",
         "conference_url": "https://example.org/j/2"},
    ]
    upload = SimpleUploadedFile("feed.json", json.dumps(feed).encode())
    page = aa.post(reverse("admin-import-meetings"), {
        "file": upload, "format": "meeting-guide", "fellowship": "aa",
        "source_name": "leeds-feed"})
    text = page.content.decode()
    assert "not one of the fellowships and postcode areas your account looks after" in text
    token = page.context["form"].initial["token"]
    aa.post(reverse("admin-import-meetings"), {
        "token": token, "format": "meeting-guide", "fellowship": "aa",
        "source_name": "leeds-feed", "confirm": "1"})
    assert not Meeting.objects.filter(source="leeds-feed").exists()  # all or nothing


def test_a_volunteers_import_leaves_another_fellowships_listings_alone(world):
    from meetings.importers import run_import
    from staff.scopes import Scope

    na_meeting = make_meeting(name="NA Online", fellowship=world["na"], format=Format.ONLINE,
                              source="shared-feed", source_id="na-1")
    add_volunteer("ann", "--fellowship", "aa")
    scope = Scope.of(get_user_model().objects.get(username="ann"))
    feed = [{"name": "Hope", "slug": "hope", "day": 1, "time": "19:30",
             "conference_url": "https://example.org/j/1"}]
    report = run_import(json.dumps(feed).encode(), fmt="meeting-guide", source="shared-feed",
                        fellowship=world["aa"], scope=scope)
    assert report.written
    na_meeting.refresh_from_db()
    assert na_meeting.status == Status.ACTIVE  # not the volunteer's to close


# add_volunteer ---------------------------------------------------------------------

def test_add_volunteer_prints_a_link_that_sets_the_password_once(client, world, settings):
    settings.SITE_URL = "https://finder.example"
    out = add_volunteer("ann", "--fellowship", "aa", "--email", "ann@example.org")
    assert "Created volunteer ann: AA, the whole country." in out
    link = re.search(r"https://finder\.example(/admin/reset/\S+)", out).group(1)
    user = get_user_model().objects.get(username="ann")
    assert user.is_staff and not user.is_superuser and user.email == "ann@example.org"
    assert not user.has_usable_password()

    page = client.get(link, follow=True)  # Django moves the token out of the URL
    assert page.status_code == 200 and page.context["validlink"]
    done = client.post(page.redirect_chain[-1][0], {
        "new_password1": "tea-and-biscuits-at-seven", "new_password2": "tea-and-biscuits-at-seven"},
        follow=True)
    assert done.status_code == 200
    signed_in = client.post(reverse("admin:login"), {
        "username": "ann", "password": "tea-and-biscuits-at-seven", "next": "/admin/"})
    assert signed_in.status_code == 302 and signed_in["Location"] == "/admin/"
    assert client.get(reverse("admin:meetings_meeting_changelist")).status_code == 200
    client.logout()
    again = client.get(link, follow=True)
    assert not again.context["validlink"]  # used once


def test_add_volunteer_updates_an_existing_account(world):
    add_volunteer("ann", "--fellowship", "aa", "--area", "LS")
    out = add_volunteer("ann", "--fellowship", "aa", "--fellowship", "na")
    assert "Updated volunteer ann: AA, NA, the whole country." in out
    volunteer = Volunteer.objects.get(user__username="ann")
    assert set(volunteer.fellowships.all()) == {world["aa"], world["na"]}
    assert volunteer.areas == ""


def test_add_volunteer_refuses_an_unknown_fellowship_and_writes_nothing(world):
    with pytest.raises(CommandError, match="No fellowship nope. Choose from: aa, na"):
        add_volunteer("ann", "--fellowship", "aa", "--fellowship", "nope")
    assert not get_user_model().objects.filter(username="ann").exists()


def test_add_volunteer_refuses_a_postcode_area_that_is_not_one(world):
    with pytest.raises(CommandError, match="LS6, QQ: not a UK postcode area"):
        add_volunteer("ann", "--fellowship", "aa", "--area", "LS6", "--area", "QQ")
    assert not get_user_model().objects.filter(username="ann").exists()
    assert Fellowship.objects.count() == 2


def test_superusers_manage_volunteers_in_the_admin(admin_client, world):
    add_volunteer("ann", "--fellowship", "aa", "--area", "LS")
    assert admin_client.get(reverse("admin:staff_volunteer_add")).status_code == 200
    page = admin_client.get(reverse("admin:staff_volunteer_changelist"))
    assert "ann" in page.content.decode() and "LS" in page.content.decode()
    volunteer = Volunteer.objects.get()
    response = admin_client.post(
        reverse("admin:staff_volunteer_change", args=[volunteer.pk]),
        {"user": volunteer.user_id, "fellowships": [world["na"].pk], "areas": "bd, ls6"})
    assert "LS6: not a UK postcode area" in response.content.decode()
    admin_client.post(reverse("admin:staff_volunteer_change", args=[volunteer.pk]),
                      {"user": volunteer.user_id, "fellowships": [world["na"].pk],
                       "areas": "ls, bd"})
    volunteer.refresh_from_db()
    assert volunteer.areas == "BD LS"


def test_a_volunteer_reviews_only_their_fellowships_reports(client, world):
    from reports.models import Kind, Report

    ours = Report.objects.create(meeting=world["aa_leeds"], kind=Kind.CLOSED)
    theirs = Report.objects.create(meeting=world["na_leeds"], kind=Kind.CLOSED)
    aa = volunteer_client(client, "ann", "--fellowship", "aa")
    assert listed(aa, "reports_report") == {str(ours)}
    assert aa.get(reverse("admin:reports_report_change", args=[theirs.pk])).status_code == 404
    response = aa.post(reverse("admin:reports_report_change", args=[ours.pk]),
                       {"outcome": "close"})
    assert response.status_code == 302
    record = world["aa_leeds"].history.latest()
    assert record.history_change_reason == f"Report #{ours.pk}"
    assert record.history_user.username == "ann"
    changed = set(record.diff_against(record.prev_record).changed_fields)
    assert changed == {"status", "last_verified"}
