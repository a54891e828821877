"""`manage.py seed_demo`: plausible, repeatable sample listings at real postcodes."""

import pytest
from django.core.management import call_command

from groups.models import Fellowship
from meetings.models import Feature, Format, Meeting, Postcode, Venue

pytestmark = pytest.mark.django_db


@pytest.fixture
def postcodes_for_some_towns():
    # Leeds, Halifax/Hebden Bridge, Cardiff and Edinburgh: real Code-Point Open areas.
    call_command("load_postcodes", areas="LS,HX,CF,EH", verbosity=0)


def snapshot() -> list[tuple]:
    return list(
        Meeting.objects.order_by("source_id").values_list(
            "source_id", "name", "fellowship__slug", "weekday", "start_time", "format",
            "venue__postcode", "venue__latitude",
        )
    )


def test_demo_meetings_sit_at_real_postcodes_in_real_towns(postcodes_for_some_towns):
    call_command("seed_demo", meetings=200, venues=60, seed=1, verbosity=0)
    assert Meeting.objects.count() == 200
    venues = Venue.objects.all()
    assert venues.count() == 60
    known = set(Postcode.objects.values_list("postcode", flat=True))
    for venue in venues:
        assert venue.postcode in known
        assert venue.town in {"Leeds", "Halifax", "Hebden Bridge", "Cardiff", "Edinburgh"}
        stored = Postcode.objects.get(postcode=venue.postcode)
        assert (venue.latitude, venue.longitude) == (stored.latitude, stored.longitude)


def test_every_fellowship_format_and_feature_is_represented(postcodes_for_some_towns):
    call_command("seed_demo", meetings=200, venues=60, seed=1, verbosity=0)
    assert set(Meeting.objects.values_list("fellowship", flat=True)) == set(
        Fellowship.objects.values_list("pk", flat=True)
    )
    assert set(Meeting.objects.values_list("format", flat=True)) == set(Format.values)
    used = set(Meeting.objects.values_list("features__slug", flat=True))
    assert set(Feature.objects.values_list("slug", flat=True)) <= used


def test_the_same_seed_gives_the_same_listings(postcodes_for_some_towns):
    call_command("seed_demo", meetings=80, venues=20, seed=5, verbosity=0)
    first = snapshot()
    call_command("seed_demo", meetings=80, venues=20, seed=5, replace=True, verbosity=0)
    assert snapshot() == first
    assert Meeting.objects.count() == 80


def test_a_different_seed_gives_different_listings(postcodes_for_some_towns):
    call_command("seed_demo", meetings=80, venues=20, seed=5, verbosity=0)
    first = snapshot()
    call_command("seed_demo", meetings=80, venues=20, seed=6, replace=True, verbosity=0)
    assert snapshot() != first


def test_if_empty_leaves_existing_listings_alone(postcodes_for_some_towns):
    call_command("seed_demo", meetings=30, venues=10, seed=1, verbosity=0)
    call_command("seed_demo", meetings=99, venues=10, seed=2, if_empty=True, verbosity=0)
    assert Meeting.objects.count() == 30


def test_every_demo_meeting_is_marked_as_a_sample(postcodes_for_some_towns):
    call_command("seed_demo", meetings=50, venues=10, seed=1, verbosity=0)
    assert set(Meeting.objects.values_list("source", flat=True)) == {Meeting.DEMO_SOURCE}


def test_it_refuses_kindly_without_postcodes():
    from django.core.management.base import CommandError

    Postcode.objects.all().delete()
    with pytest.raises(CommandError, match="load_postcodes"):
        call_command("seed_demo", meetings=10, venues=5, verbosity=0)


def test_pages_say_sample_listings_are_samples_as_soon_as_they_exist(
    client, postcodes_for_some_towns
):
    notice = "These are sample listings"
    assert notice not in client.get("/").content.decode()
    call_command("seed_demo", meetings=30, venues=10, seed=1, verbosity=0)
    assert notice in client.get("/").content.decode()
    assert notice in client.get("/meetings/").content.decode()


def test_demo_features_fit_their_fellowship(postcodes_for_some_towns):
    call_command("seed_demo", meetings=300, venues=60, seed=1, verbosity=0)
    # Secular AA groups are AA meetings with the atheist-agnostic feature, not a fellowship.
    secular_aa = Meeting.objects.filter(fellowship__slug="aa", features__slug="atheist-agnostic")
    assert secular_aa.exists()
    twelve_step_only = ["step-study", "tradition-study", "atheist-agnostic"]
    mismatched = Meeting.objects.exclude(fellowship__philosophy="twelve-step").filter(
        features__slug__in=twelve_step_only
    )
    assert list(mismatched.values_list("name", "fellowship__slug")) == []
    for slug in ["overeaters-anonymous", "debtors-anonymous", "sex-addicts-anonymous"]:
        assert Meeting.objects.filter(fellowship__slug=slug).exists(), slug
