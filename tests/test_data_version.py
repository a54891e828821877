"""data_version.current(): changes with any change to what listings show, and only then."""

import threading
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.urls import reverse

import data_version
from groups.models import Group
from meetings.demo import generator
from meetings.importers import run_import
from meetings.models import Feature, Language, Meeting, Status
from tests.factories import make_fellowship, make_meeting, make_venue, sign_in

SMALL_FEED = Path(__file__).parent / "data" / "meeting-guide-small.json"


@pytest.fixture
def meeting(db):
    return make_meeting(name="Calder Valley Serenity")


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_user("curator", is_staff=True, is_superuser=True)
    sign_in(client, user)  # with the second step the admin asks for
    return client


def changes(action) -> bool:
    before = data_version.current()
    action()
    return data_version.current() != before


def test_the_version_stays_put_while_nothing_changes(meeting):
    assert data_version.current() == data_version.current()
    Meeting.objects.listed().count()
    assert data_version.current() == data_version.current()


@pytest.mark.parametrize("model", ["meeting", "venue", "group", "fellowship"])
def test_saving_or_deleting_a_listing_changes_it(meeting, model):
    row = {
        "meeting": lambda: meeting,
        "venue": lambda: make_venue(name="Unused hall"),
        "group": lambda: Group.objects.create(fellowship=meeting.fellowship, name="Calder"),
        "fellowship": make_fellowship,
    }[model]()
    assert changes(row.save)
    assert changes(row.delete)


def test_features_and_languages_and_their_lists_change_it(meeting, fellowships):
    assert changes(lambda: meeting.features.add(Feature.objects.get(slug="women")))
    assert changes(lambda: meeting.languages.set(Language.objects.filter(code="cy")))
    assert changes(lambda: meeting.features.clear())
    feature = Feature.objects.get(slug="women")
    feature.name = "Women only"
    assert changes(feature.save)
    assert changes(lambda: Language.objects.create(code="xx", name="Test language"))


@pytest.mark.parametrize("action", ["mark_verified_today", "suspend", "reactivate"])
def test_each_admin_bulk_action_changes_it(staff_client, meeting, action):
    if action == "reactivate":
        Meeting.objects.filter(pk=meeting.pk).update(status=Status.SUSPENDED)
    assert changes(lambda: staff_client.post(reverse("admin:meetings_meeting_changelist"), {
        "action": action, "_selected_action": [meeting.pk],
    }))


def test_deleting_meetings_in_bulk_in_the_admin_changes_it(staff_client, meeting):
    assert changes(lambda: staff_client.post(reverse("admin:meetings_meeting_changelist"), {
        "action": "delete_selected", "_selected_action": [meeting.pk], "post": "yes",
    }))
    assert not Meeting.objects.exists()


def test_an_import_changes_it_and_a_dry_run_does_not(fellowships):
    data = SMALL_FEED.read_bytes()

    def run(**options):
        run_import(data, fmt="meeting-guide", source="small", fellowship=fellowships["aa"],
                   **options)

    assert not changes(lambda: run(dry_run=True))
    assert changes(run)


def test_demo_data_changes_it(fellowships):
    rows = [("LS6 1AA", "LS6", 53.8175, -1.5768), ("M1 1AA", "M1", 53.4808, -2.2426)]
    assert changes(lambda: generator.generate(rows, meetings=5, venues=2, seed=1))
    assert Meeting.objects.count() == 5


def test_a_change_rolled_back_leaves_it_as_it_was(meeting):
    before = data_version.current()
    with pytest.raises(RuntimeError), transaction.atomic():
        meeting.name = "Renamed"
        meeting.save()
        assert data_version.current() != before  # the writer sees its own change
        raise RuntimeError("staff cancelled")
    assert data_version.current() == before


def test_a_flushed_table_starts_a_new_version(meeting):
    from data_version.models import DataVersion

    before = data_version.current()
    DataVersion.objects.all().delete()
    assert data_version.current() != before


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor == "sqlite",
                    reason="needs a database server that other connections share")
def test_other_processes_see_the_new_version_when_the_change_commits():
    """Readers on another connection (another worker or host) see the version change
    together with the data, not before."""
    meeting = make_meeting(name="Before")
    seen = {}

    def read(label):
        def run():
            seen[label] = (data_version.current(), Meeting.objects.get(pk=meeting.pk).name)
            connection.close()
        thread = threading.Thread(target=run)
        thread.start()
        thread.join(timeout=10)

    read("start")
    with transaction.atomic():
        meeting.name = "After"
        meeting.save()
        read("during")
    read("after")
    assert seen["during"] == seen["start"]
    assert seen["after"][1] == "After" and seen["after"][0] != seen["start"][0]


def test_a_version_is_fit_for_keys_and_etags(meeting):
    version = data_version.current()
    assert version.isascii() and " " not in version and '"' not in version
    assert len(version) < 40
