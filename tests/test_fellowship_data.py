"""What each fellowship's own data says about it: whose addiction a family fellowship is
for (issue 11, point 8), the new fellowships and what they address (point 11), and where
each helpline was checked, which staff see and edit (point 10)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from groups.models import Addresses, Fellowship, Philosophy
from tests.factories import make_fellowship, sign_in

pytestmark = pytest.mark.django_db


# --- Whose addiction a family fellowship is for -------------------------------------------

@pytest.mark.parametrize(("slug", "audience"), [
    ("al-anon", "For families and friends affected by someone’s drinking"),
    ("alateen", "For families and friends affected by someone’s drinking"),
    ("gam-anon", "For families and friends affected by someone’s gambling"),
    ("families-anonymous", "For families and friends affected by someone’s drug use or drinking"),
    ("smart-recovery", "For families and friends affected by someone’s drinking or drug use"),
    ("celebrate-recovery", "For families and friends affected by someone’s addiction"),
])
def test_a_family_fellowship_says_whose_addiction_it_is_for(fellowships, slug, audience):
    assert fellowships[slug].family_audience == audience


def test_gam_anon_and_al_anon_can_be_told_apart(fellowships):
    assert fellowships["gam-anon"].family_audience != fellowships["al-anon"].family_audience


@pytest.mark.parametrize("slug", ["aa", "na", "gamblers-anonymous", "lifering",
                                  "overeaters-anonymous"])
def test_a_fellowship_not_for_families_has_no_family_audience(fellowships, slug):
    assert fellowships[slug].family_audience == ""


def test_the_words_follow_the_fellowships_data_when_staff_change_it():
    fellowship = make_fellowship(
        for_myself=False, for_family_and_friends=True,
        addresses=[Addresses.SOMEONE_ELSES_GAMBLING, Addresses.SOMEONE_ELSES_DRINKING,
                   Addresses.SOMEONE_ELSES_DRUG_USE],
    )
    assert fellowship.family_audience == (
        "For families and friends affected by someone’s gambling, drinking or drug use"
    )
    fellowship.addresses = [Addresses.DEBT]  # a family group that names only its members' debt
    assert fellowship.family_audience == "For families and friends affected by someone’s debt"
    fellowship.addresses = []
    assert fellowship.family_audience == "For families and friends"


# --- The new fellowships (point 11) -------------------------------------------------------

@pytest.mark.parametrize(("slug", "code", "label"), [
    ("overeaters-anonymous", "food", "Food and eating"),
    ("debtors-anonymous", "debt", "Debt and spending"),
    ("sex-addicts-anonymous", "sex", "Sex and sexual behaviour"),
])
def test_the_new_fellowships_say_what_they_address(client, fellowships, slug, code, label):
    fellowship = fellowships[slug]
    assert fellowship.addresses == [code]
    assert fellowship.philosophy == Philosophy.TWELVE_STEP
    fellowship.full_clean()  # the codes are known ones
    page = client.get(f"/fellowships/{slug}/").content.decode()
    assert label in page
    assert f'href="/meetings/?fellowship={slug}"' in page
    assert label in client.get("/fellowships/").content.decode()


def test_an_unknown_code_is_still_refused():
    with pytest.raises(ValidationError, match="Unknown codes: shopping"):
        make_fellowship(addresses=["food", "shopping"]).full_clean()


def test_secular_aa_is_not_a_fellowship_of_its_own(fellowships):
    assert not any("secular" in slug or "agnostic" in slug for slug in fellowships)


def test_a_partner_can_link_to_the_new_fellowships(client, fellowships):
    from tests.factories import make_meeting

    make_meeting(name="Tuesday Abstinence", fellowship=fellowships["overeaters-anonymous"])
    make_meeting(name="Thursday Serenity", fellowship=fellowships["aa"])
    names = [m["name"] for m in client.get(
        "/meetings.json?fellowship=overeaters-anonymous&fellowship=debtors-anonymous"
    ).json()["results"]]
    assert names == ["Tuesday Abstinence"]


# --- Where each helpline was checked ------------------------------------------------------

@pytest.fixture
def staff_client(client, django_user_model):
    sign_in(client, django_user_model.objects.create_user("curator", is_staff=True,
                                                          is_superuser=True))
    return client


def test_staff_see_where_and_when_each_helpline_was_checked(staff_client, fellowships):
    listing = staff_client.get(reverse("admin:groups_fellowship_changelist")).content.decode()
    assert "helpline on own site" in listing.lower()
    assert "Nov. 26, 2026" in listing or "26 Nov 2026" in listing
    page = staff_client.get(
        reverse("admin:groups_fellowship_change", args=[fellowships["na"].pk])
    ).content.decode()
    assert 'name="helpline_source"' in page and "https://lowears.co.uk/Services/Help" in page
    assert 'name="helpline_checked"' in page
    assert 'value="26/11/2026"' in page or 'value="2026-11-26"' in page


def test_staff_record_a_new_check_on_the_fellowships_own_site(staff_client, fellowships):
    na = fellowships["na"]
    assert not na.helpline_confirmed
    url = reverse("admin:groups_fellowship_change", args=[na.pk])
    form = {
        field: getattr(na, field) for field in
        ["name", "slug", "short_name", "philosophy", "description", "website", "email",
         "helpline", "helpline_hours"]
    } | {"addresses": '["drugs"]', "for_myself": "on",
         "helpline_source": "https://ukna.org/helpline", "helpline_checked": "2026-12-01"}
    response = staff_client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    na.refresh_from_db()
    assert na.helpline_checked.isoformat() == "2026-12-01"
    assert na.helpline_confirmed


def test_a_source_without_a_date_is_refused_with_a_reason():
    fellowship = make_fellowship(helpline="0300 000 0000", website="https://example.org",
                                 helpline_source="https://example.org/contact")
    with pytest.raises(ValidationError) as raised:
        fellowship.full_clean()
    assert "helpline_checked" in raised.value.message_dict


def test_a_directory_listing_does_not_count_as_confirmed():
    fellowship = Fellowship(helpline="0300 000 0000", website="https://www.example.org",
                            helpline_source="https://directory.example.com/example")
    assert not fellowship.helpline_confirmed
    fellowship.helpline_source = "https://help.example.org/phone"
    assert fellowship.helpline_confirmed


def test_the_partner_contract_lists_every_fellowship_slug(fellowships):
    from pathlib import Path

    docs = (Path(__file__).resolve().parents[1] / "docs" / "partners.md").read_text()
    row = next(line for line in docs.splitlines() if line.startswith("| `fellowship` |"))
    assert set(fellowships) <= set(row.split("`")[1::2])


def test_docs_sources_give_a_source_for_every_fellowship_and_list_unconfirmed_helplines(
    fellowships,
):
    from pathlib import Path

    sources = (Path(__file__).resolve().parents[1] / "docs" / "sources.md").read_text()
    for slug in fellowships:
        assert f"(`{slug}`)" in sources, slug
    table = sources[sources.index("## Helplines: where each was checked"):]
    table = table[:table.index("\n## ", 5)]
    for fellowship in fellowships.values():
        if fellowship.helpline:
            row = next(line for line in table.splitlines() if fellowship.helpline in line)
            assert row.endswith("| **yes** |" if fellowship.helpline_confirmed
                                else "| no: unconfirmed |"), row
