"""Stale listings: what nobody has checked for months, for staff and for visitors."""

import csv
import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from meetings.models import Format, Meeting, Status
from meetings.stale import months_before
from tests.factories import make_fellowship, make_meeting, sign_in

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def ago(days: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=days)


@pytest.fixture
def listings():
    aa = make_fellowship(name="Alcoholics Anonymous", short_name="AA", slug="aa-test")
    smart = make_fellowship(name="SMART Recovery", short_name="SMART", slug="smart-test")
    return {
        "fresh": make_meeting(name="Fresh", fellowship=aa, last_verified=ago(10)),
        "seven": make_meeting(name="Seven Months", fellowship=aa, last_verified=ago(213)),
        "two-years": make_meeting(name="Two Years", fellowship=aa, last_verified=ago(730)),
        "never": make_meeting(name="Never Checked", fellowship=smart, format=Format.ONLINE),
        "closed": make_meeting(name="Closed Long Ago", fellowship=smart, last_verified=ago(900),
                               status=Status.CLOSED),
    }


def names(queryset) -> set[str]:
    return set(queryset.values_list("name", flat=True))


@pytest.mark.parametrize("day, months, expected", [
    (datetime.date(2025, 8, 31), 6, datetime.date(2025, 2, 28)),
    (datetime.date(2024, 8, 31), 6, datetime.date(2024, 2, 29)),
    (datetime.date(2025, 3, 15), 12, datetime.date(2024, 3, 15)),
    (datetime.date(2025, 1, 10), 1, datetime.date(2024, 12, 10)),
])
def test_months_before_keeps_the_day_where_the_month_has_it(day, months, expected):
    assert months_before(day, months) == expected


def test_the_queryset_names_meetings_by_when_they_were_last_checked(listings):
    six_months_ago = months_before(TODAY, 6)
    assert names(Meeting.objects.not_checked_since(six_months_ago)) == {
        "Seven Months", "Two Years", "Closed Long Ago"}
    assert names(Meeting.objects.never_checked()) == {"Never Checked"}
    assert names(Meeting.objects.listed().stale(six_months_ago)) == {
        "Seven Months", "Two Years", "Never Checked"}


def test_counts_per_fellowship_in_one_query(listings, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = list(Meeting.objects.stale_counts(TODAY))
    assert [(r["fellowship__name"], r["over_6_months"], r["over_12_months"], r["never"])
            for r in rows] == [("Alcoholics Anonymous", 2, 1, 0), ("SMART Recovery", 1, 1, 1)]


@pytest.fixture
def staff_client(client, django_user_model):
    sign_in(client, django_user_model.objects.create_user(
        "curator", is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("value, shown", [
    ("6m", {"Seven Months", "Two Years", "Never Checked", "Closed Long Ago"}),
    ("12m", {"Two Years", "Never Checked", "Closed Long Ago"}),
    ("never", {"Never Checked"}),
])
def test_the_admin_meeting_list_filters_by_time_since_checked(staff_client, listings, value,
                                                               shown):
    html = staff_client.get(f"/admin/meetings/meeting/?unchecked={value}").content.decode()
    assert "By not checked for" in staff_client.get("/admin/meetings/meeting/").content.decode()
    assert {m.name for m in listings.values() if f">{m.name}<" in html} == shown


def test_the_admin_home_shows_stale_counts_per_fellowship(staff_client, listings):
    html = staff_client.get("/admin/").content.decode()
    assert "Listings to check" in html
    aa = listings["fresh"].fellowship
    row = html[html.index("<th scope=\"row\">Alcoholics Anonymous</th>"):]
    row = row[:row.index("</tr>")]
    assert f"unchecked=6m&amp;fellowship__id__exact={aa.pk}\">2</a>" in row
    assert f"unchecked=12m&amp;fellowship__id__exact={aa.pk}\">1</a>" in row
    # The links lead to the filtered meeting list, which accepts them.
    assert staff_client.get(f"/admin/meetings/meeting/?unchecked=6m&fellowship__id__exact="
                            f"{aa.pk}").status_code == 200


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("stale_listings", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_lists_stale_meetings_oldest_first(listings):
    out, _err = run("--months", "6")
    lines = out.splitlines()
    assert [line.split(": ")[1].split(",")[0] for line in lines[:-1]] == [
        "Never Checked", "Two Years", "Seven Months"]
    assert lines[0].startswith("never") and "/admin/meetings/meeting/" in lines[0]
    assert lines[-1].startswith("3 listed meetings not checked since")
    assert "(1 never checked)" in lines[-1]


def test_the_command_limits_to_a_fellowship_and_a_longer_age(listings):
    out, _err = run("--months", "12", "--fellowship", "aa-test")
    assert "Two Years" in out and "Seven Months" not in out and "Never Checked" not in out


def test_the_command_writes_csv_for_a_spreadsheet(listings):
    out, err = run("--months", "6", "--csv", "--base-url", "https://finder.example/")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [row["meeting"] for row in rows] == ["Never Checked", "Two Years", "Seven Months"]
    two_years = rows[1]
    assert two_years["fellowship"] == "Alcoholics Anonymous"
    assert two_years["last_checked"] == ago(730).isoformat()
    assert two_years["page_url"] == (
        f"https://finder.example/meetings/{listings['two-years'].slug}/")
    assert rows[0]["where"] == "Online" and rows[0]["last_checked"] == ""
    assert "3 listed meetings" in err  # the summary stays out of the file


def test_the_command_refuses_an_unknown_fellowship_or_age(listings):
    with pytest.raises(CommandError, match="No fellowship with the slug nope"):
        run("--fellowship", "nope")
    with pytest.raises(CommandError, match="--months must be 1 or more"):
        run("--months", "0")


# --- What visitors see ------------------------------------------------------------------

STALE_LINE = "Nobody has checked this listing for over a year."


def test_a_meeting_page_says_when_it_was_last_checked(client, listings):
    meeting = listings["fresh"]
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert f"Last checked {meeting.last_verified:%-d %B %Y}" in html
    assert STALE_LINE not in html


def test_a_meeting_unchecked_for_over_a_year_suggests_confirming_first(client, listings):
    html = client.get(listings["two-years"].get_absolute_url()).content.decode()
    assert STALE_LINE in html
    assert "Please confirm with Alcoholics Anonymous that it still meets before you travel" \
        in html


def test_a_listing_never_checked_is_stale_only_once_it_is_a_year_old(client, listings):
    meeting = listings["never"]
    assert STALE_LINE not in client.get(meeting.get_absolute_url()).content.decode()
    Meeting.objects.filter(pk=meeting.pk).update(
        created=timezone.now() - datetime.timedelta(days=400))
    assert STALE_LINE in client.get(meeting.get_absolute_url()).content.decode()
