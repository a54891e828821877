"""`load_fellowships`: the real UK fellowships, without trampling staff edits."""

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from groups.models import Fellowship, Philosophy

pytestmark = pytest.mark.django_db

NEW_IN_ISSUE_11 = {"overeaters-anonymous", "debtors-anonymous", "sex-addicts-anonymous"}


def load(*args, **options) -> str:
    from io import StringIO

    out = StringIO()
    call_command("load_fellowships", *args, stdout=out, **options)
    return out.getvalue()


def test_it_loads_the_real_uk_fellowships():
    load()
    slugs = set(Fellowship.objects.values_list("slug", flat=True))
    assert {"aa", "na", "smart-recovery", "al-anon", "alateen", "cocaine-anonymous",
            "lifering", "celebrate-recovery", "women-for-sobriety", "gamblers-anonymous",
            "marijuana-anonymous", "crystal-meth-anonymous", "families-anonymous",
            "recovery-dharma"} | NEW_IN_ISSUE_11 <= slugs
    assert Fellowship.objects.get(slug="smart-recovery").philosophy == Philosophy.SECULAR
    assert Fellowship.objects.get(slug="aa").helpline == "0800 9177 650"


def test_if_empty_keeps_what_staff_changed():
    load()
    Fellowship.objects.filter(slug="aa").update(helpline_hours="Staff-checked hours")
    load(if_empty=True)
    assert Fellowship.objects.get(slug="aa").helpline_hours == "Staff-checked hours"


@pytest.fixture
def database_before_issue_11(fellowships):
    """A live database loaded before the three new fellowships existed, which staff have
    since edited and added to (taking the next primary key the fixture would have used)."""
    Fellowship.objects.filter(slug__in=NEW_IN_ISSUE_11).delete()
    Fellowship.objects.filter(slug="lifering").update(
        website="https://lifering.org", description="Staff wording"
    )
    Fellowship.objects.filter(slug="aa").update(helpline_hours="Staff-checked hours")
    Fellowship.objects.create(
        pk=16, name="Local Recovery Café", slug="local-recovery-cafe", short_name="Café",
        philosophy=Philosophy.OTHER,
    )


def test_a_second_run_adds_the_missing_fellowships_and_changes_nothing_else(
    database_before_issue_11,
):
    output = load()
    assert set(Fellowship.objects.values_list("slug", flat=True)) >= NEW_IN_ISSUE_11
    assert "Added 3 fellowships" in output
    assert Fellowship.objects.get(slug="local-recovery-cafe").name == "Local Recovery Café"
    assert Fellowship.objects.get(slug="aa").helpline_hours == "Staff-checked hours"
    assert Fellowship.objects.get(slug="lifering").description == "Staff wording"
    assert Fellowship.objects.get(slug="overeaters-anonymous").addresses == ["food"]
    assert "Added 0 fellowships." in load()


def test_update_refreshes_only_the_named_fellowships_from_the_fixture(database_before_issue_11):
    output = load(update=["lifering"])
    lifering = Fellowship.objects.get(slug="lifering")
    assert lifering.website == "https://lifering.uk"
    assert lifering.description != "Staff wording"
    assert "Updated 1: lifering (description, website)" in output
    assert Fellowship.objects.get(slug="aa").helpline_hours == "Staff-checked hours"


def test_update_with_no_slug_refreshes_them_all(database_before_issue_11):
    load(update=[])
    assert Fellowship.objects.get(slug="aa").helpline_hours == "24 hours"
    assert Fellowship.objects.get(slug="lifering").website == "https://lifering.uk"


def test_an_unknown_slug_is_refused_before_anything_is_written(database_before_issue_11):
    with pytest.raises(CommandError, match="Not in fellowships.json: narnia-anonymous"):
        load(update=["lifering", "narnia-anonymous"])
    assert not Fellowship.objects.filter(slug__in=NEW_IN_ISSUE_11).exists()
    assert Fellowship.objects.get(slug="lifering").website == "https://lifering.org"


def test_a_dry_run_says_what_would_change_and_writes_nothing(database_before_issue_11):
    output = load(update=["lifering"], dry_run=True)
    assert "Would add 3 fellowships: overeaters-anonymous, debtors-anonymous, " \
           "sex-addicts-anonymous." in output
    assert "Would update 1: lifering (description, website)." in output
    assert "nothing was written" in output
    assert not Fellowship.objects.filter(slug__in=NEW_IN_ISSUE_11).exists()
    assert Fellowship.objects.get(slug="lifering").website == "https://lifering.org"


def test_a_fellowship_staff_added_under_another_slug_is_not_duplicated(database_before_issue_11):
    Fellowship.objects.create(
        name="Debtors Anonymous", slug="da-uk", short_name="DA", philosophy=Philosophy.TWELVE_STEP
    )
    output = load()
    assert Fellowship.objects.filter(name="Debtors Anonymous").count() == 1
    assert "Left out 1: debtors-anonymous (“Debtors Anonymous” is already here as da-uk)" in output


def test_each_helpline_says_where_and_when_it_was_checked(fellowships):
    for fellowship in fellowships.values():
        if fellowship.helpline:
            assert fellowship.helpline_source.startswith("https://"), fellowship.slug
            assert fellowship.helpline_checked == datetime.date(2026, 11, 26), fellowship.slug
        else:
            assert not fellowship.helpline_source and fellowship.helpline_checked is None
    # Only AA's number was read on its own website; the rest came from a directory.
    confirmed = {slug for slug, f in fellowships.items() if f.helpline_confirmed}
    assert confirmed == {"aa"}
