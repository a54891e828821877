"""resolve_location: what a visitor types in "Postcode or town" -> a point on the map."""

import pytest

from meetings.geo import (
    PLACE_ALIASES,
    LocationError,
    UnknownPostcode,
    UnrecognisedLocation,
    resolve_location,
)
from meetings.models import Place
from meetings.postcodes import place_key, postcodes_within, prefixes_within
from tests.factories import make_meeting, make_venue

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def postcodes(gb_postcodes):
    """Real Code-Point Open postcodes for GEO_POSTCODE_AREAS, and every place."""


@pytest.mark.parametrize("typed", ["SW1A 1AA", "sw1a1aa", " SW1A  1AA ", "Sw1a 1aA"])
def test_a_full_postcode_in_any_case_and_spacing(typed: str):
    palace = resolve_location(typed)
    assert (palace.kind, palace.label) == ("postcode", "SW1A 1AA")
    assert palace.latitude == pytest.approx(51.501, abs=0.002)
    assert palace.longitude == pytest.approx(-0.1416, abs=0.002)
    assert palace.alternatives == ()


def test_a_district_is_the_centre_of_its_postcodes():
    manchester = resolve_location("m1")
    assert (manchester.kind, manchester.label) == ("district", "M1")
    assert manchester.latitude == pytest.approx(53.478, abs=0.01)
    assert manchester.longitude == pytest.approx(-2.236, abs=0.01)


def test_a_sector_is_the_centre_of_its_postcodes():
    headingley = resolve_location("ls6 1")
    assert (headingley.kind, headingley.label) == ("sector", "LS6 1")
    assert headingley.latitude == pytest.approx(53.81, abs=0.02)


def test_a_city():
    leeds = resolve_location("Leeds")
    assert (leeds.kind, leeds.label) == ("place", "Leeds, England")
    assert (leeds.latitude, leeds.longitude) == (
        pytest.approx(53.797, abs=0.01), pytest.approx(-1.548, abs=0.01)
    )
    assert leeds.query == "Leeds"


def test_a_town_of_two_words_typed_loosely():
    hebden = resolve_location("  hebden   BRIDGE ")
    assert hebden.label == "Hebden Bridge, England"
    assert hebden.latitude == pytest.approx(53.741, abs=0.01)


def test_st_ives_is_found_however_saint_is_written_and_the_other_one_is_offered():
    for typed in ["St Ives", "st. ives", "Saint Ives"]:
        found = resolve_location(typed)
        # The Cambridgeshire town is three times the size of the Cornish one.
        assert found.label == "St Ives, Cambridgeshire"
        assert [(a.label, a.query) for a in found.alternatives] == [
            ("St Ives, Cornwall", "St Ives, Cornwall")
        ]
    cornwall = resolve_location("St Ives, Cornwall")
    assert cornwall.label == "St Ives, Cornwall"
    assert cornwall.longitude == pytest.approx(-5.48, abs=0.02)
    assert cornwall.alternatives == ()


def test_an_ambiguous_name_uses_the_most_populous_and_offers_the_others():
    newport = resolve_location("Newport")
    assert newport.label == "Newport, Wales"
    assert newport.latitude == pytest.approx(51.588, abs=0.01)
    offered = [a.query for a in newport.alternatives]
    assert offered[:2] == ["Newport, Isle of Wight", "Newport, Telford and Wrekin"]
    assert len(offered) == 5
    for query in offered:
        other = resolve_location(query)
        assert other.label == query
        assert (other.latitude, other.longitude) != (newport.latitude, newport.longitude)


def test_name_and_nation_or_county_narrow_the_choice():
    assert resolve_location("Newport, Wales").label == "Newport, Wales"
    assert [a.query for a in resolve_location("Newport, Wales").alternatives] == [
        "Newport, Pembrokeshire"
    ]
    assert resolve_location("newport, essex").latitude == pytest.approx(51.98, abs=0.01)


def test_a_county_we_dont_know_is_ignored_rather_than_refused():
    found = resolve_location("Newport, Shropshire")
    assert found.label == "Newport, Wales"
    assert "Newport, Telford and Wrekin" in [a.query for a in found.alternatives]


def test_towns_in_northern_ireland():
    belfast = resolve_location("Belfast")
    assert belfast.label == "Belfast, Northern Ireland"
    assert belfast.latitude == pytest.approx(54.597, abs=0.01)
    assert resolve_location("enniskillen").label == "Enniskillen, Northern Ireland"


def test_something_that_is_neither_postcode_nor_place():
    with pytest.raises(UnrecognisedLocation) as raised:
        resolve_location("Narnia")
    assert "We don’t recognise “Narnia”" in raised.value.message
    assert "Check the spelling" in raised.value.message
    assert raised.value.kind == "unrecognised"


# Code-Point has LS6 1AA to LS6 1WD, and sectors LS6 1 to 4 and 9; no district LS77.
def test_a_new_postcode_is_found_near_its_sector():
    new = resolve_location("ls6 1zz")
    sector = resolve_location("LS6 1")
    assert (new.kind, new.label, new.approximate_for) == ("sector", "LS6 1", "LS6 1ZZ")
    assert new.approximate and not sector.approximate
    assert (new.latitude, new.longitude) == (sector.latitude, sector.longitude)


def test_a_new_postcode_in_a_new_sector_is_found_near_its_district():
    new = resolve_location("LS6 8AA")
    district = resolve_location("LS6")
    assert (new.kind, new.label, new.approximate_for) == ("district", "LS6", "LS6 8AA")
    assert (new.latitude, new.longitude) == (district.latitude, district.longitude)


def test_a_postcode_in_an_address_falls_back_to_its_sector_too():
    assert resolve_location("12 New Road, Leeds, LS6 1ZZ").label == "LS6 1"


def test_a_postcode_we_have_is_not_approximate():
    assert not resolve_location("LS6 1AA").approximate


@pytest.mark.parametrize("typed", ["ZZ99 9ZZ", "LS77 1AA", "IV1 1AA"])
def test_a_well_formed_postcode_whose_district_we_have_no_record_of(typed: str):
    with pytest.raises(UnknownPostcode) as raised:
        resolve_location(typed)
    assert f"We can’t find the postcode {typed}" in raised.value.message
    assert "may be new" in raised.value.message
    assert "typing the town" in raised.value.message
    # Only a BT postcode is from Northern Ireland, and it has its own message.
    assert "Northern Ireland" not in raised.value.message
    assert raised.value.kind == "unknown_postcode"


def test_a_northern_ireland_postcode_says_so_and_suggests_the_town():
    with pytest.raises(UnknownPostcode) as raised:
        resolve_location("bt1 5gs")
    assert "Northern Ireland" in raised.value.message
    assert "typing the town" in raised.value.message


def test_an_unknown_district_is_an_unknown_postcode():
    with pytest.raises(UnknownPostcode, match="QQ1"):
        resolve_location("QQ1")


def test_every_failure_is_a_location_error_with_a_message_for_the_visitor():
    for typed in ["", "   ", "!!!", "Narnia", "ZZ99 9ZZ", "x" * 500, "ZZ99 9ZZ; DROP TABLE",
                  "LS6 1AA or M1 1AE"]:
        with pytest.raises(LocationError) as raised:
            resolve_location(typed)
        assert isinstance(raised.value, ValueError)
        assert raised.value.message and raised.value.friendly


def test_the_messages_are_different_for_each_kind_of_failure():
    messages = set()
    for typed in ["Narnia", "ZZ99 9ZZ", "BT1 5GS"]:
        with pytest.raises(LocationError) as raised:
            resolve_location(typed)
        messages.add(raised.value.message.replace(typed, "…"))
    assert len(messages) == 3


def test_one_small_query_per_lookup(django_assert_num_queries):
    for typed in ["LS6 1AA", "LS6", "Leeds", "Newport", "LS6 1AA, Leeds", "Londonderry",
                  "Newcastle", "Caerdydd"]:
        with django_assert_num_queries(1):
            resolve_location(typed)


def test_a_town_with_a_district_takes_two_queries(django_assert_num_queries):
    with django_assert_num_queries(2):
        resolve_location("Leeds LS6")


# --- A postcode inside other text -------------------------------------------------------

@pytest.mark.parametrize(
    "typed",
    [
        "LS6 1AA, Leeds",
        "Leeds LS6 1AA",
        "Leeds, LS6 1AA",  # the postcode, not Leeds with a qualifier we don't know
        "12 Hyde Park Road, Leeds, LS6 1AA",
        "Flat 3, 12 Hyde Park Road, Headingley, Leeds LS6 1AA, UK",
        "ls61aa leeds",
        "leeds ls6 1aa",
        "LS6 1AA, ls61aa",  # the same postcode twice is still one
    ],
)
def test_a_full_postcode_inside_other_text_is_used_as_if_typed_alone(typed: str):
    alone = resolve_location("LS6 1AA")
    found = resolve_location(typed)
    assert (found.kind, found.label) == ("postcode", "LS6 1AA")
    assert (found.latitude, found.longitude) == (alone.latitude, alone.longitude)
    assert found.query == typed
    assert found.alternatives == ()


def test_text_after_a_postcode_is_harmless():
    found = resolve_location("LS6 1AA; DROP TABLE")
    assert (found.kind, found.label) == ("postcode", "LS6 1AA")


def test_an_unknown_postcode_inside_other_text_is_an_unknown_postcode():
    with pytest.raises(UnknownPostcode) as raised:
        resolve_location("1 High Street, Nowhere, ZZ99 9ZZ")
    assert "We can’t find the postcode ZZ99 9ZZ" in raised.value.message
    assert raised.value.query == "1 High Street, Nowhere, ZZ99 9ZZ"
    with pytest.raises(UnknownPostcode, match="Northern Ireland postcodes like BT1 5GS"):
        resolve_location("Belfast BT1 5GS")


@pytest.mark.parametrize("typed", ["LS6 1AA or M1 1AE", "Leeds, LS6 1AA, M1 1AE"])
def test_two_different_postcodes_are_not_guessed_between(typed: str):
    with pytest.raises(UnrecognisedLocation) as raised:
        resolve_location(typed)
    assert f"We don’t recognise “{typed}”" in raised.value.message


@pytest.mark.parametrize(
    ("typed", "kind", "label"),
    [
        ("Leeds LS6", "district", "LS6"),
        ("leeds ls6", "district", "LS6"),
        ("LS6, Leeds", "district", "LS6"),
        ("Leeds, LS6", "district", "LS6"),  # the district, not Leeds with a county we don't know
        ("Leeds LS6 1", "sector", "LS6 1"),
        ("LS6 1, Leeds", "sector", "LS6 1"),
        ("Manchester M1", "district", "M1"),
        ("St Ives TR26", "district", "TR26"),
    ],
)
def test_a_town_with_a_district_or_sector_is_that_district_or_sector(
    typed: str, kind: str, label: str
):
    alone = resolve_location(label)
    found = resolve_location(typed)
    assert (found.kind, found.label) == (kind, label)
    assert (found.latitude, found.longitude) == (alone.latitude, alone.longitude)
    assert found.query == typed


@pytest.mark.parametrize(
    "typed",
    [
        "Unit B2, 4th Floor, Leeds",  # B2 is a Birmingham district, but here it is a unit
        "Flat E1, Leeds",
        "Junction M1",
        "Leeds LS6 LS7",  # two districts are not guessed between
        "Leeds LS6 or M1",
    ],
)
def test_a_district_beside_words_that_are_not_a_town_is_not_guessed(typed: str):
    with pytest.raises(UnrecognisedLocation):
        resolve_location(typed)


def test_an_unknown_district_beside_a_town_is_an_unknown_postcode():
    with pytest.raises(UnknownPostcode, match="We can’t find the postcode QQ1"):
        resolve_location("Leeds QQ1")


def test_districts_and_sectors_are_picked_out_of_text():
    assert prefixes_within("Leeds LS6") == (["LS6"], "Leeds")
    assert prefixes_within("ls6 1, Leeds") == (["LS6 1"], "Leeds")
    assert prefixes_within("Leeds, LS6, West Yorkshire") == (["LS6"], "Leeds, West Yorkshire")
    assert prefixes_within("Leeds LS6 ls6") == (["LS6"], "Leeds")
    assert prefixes_within("Leeds LS6 M1") == (["LS6", "M1"], "Leeds")
    assert prefixes_within("Hebden Bridge") == ([], "Hebden Bridge")
    assert prefixes_within("Leeds 6") == ([], "Leeds 6")


def test_towns_with_a_qualifier_or_digits_are_still_towns():
    assert resolve_location("Newport, Isle of Wight").label == "Newport, Isle of Wight"
    assert resolve_location("St Ives, Cornwall").label == "St Ives, Cornwall"
    with pytest.raises(UnrecognisedLocation):
        resolve_location("Leeds 6")  # a district number is not a postcode, nor a town


def test_no_place_name_holds_a_postcode_or_district():
    """Why a postcode or district inside the text is looked up before the places: no place
    (alone or with its county or nation) would be mistaken for one."""
    places = Place.objects.values_list("name", "county", "nation")
    assert len(places) > 5000
    for name, county, nation in places:
        for typed in [name, f"{name}, {county}", f"{name}, {nation}"]:
            assert postcodes_within(typed) == [], typed
            assert prefixes_within(typed)[0] == [], typed


def test_the_search_page_finds_meetings_near_a_postcode_typed_with_its_town(client):
    leeds = resolve_location("LS6 1AA")
    make_meeting(name="Half a mile", venue=make_venue(
        latitude=leeds.latitude + 0.5 / 69.23, longitude=leeds.longitude))
    make_meeting(name="Fifteen miles", venue=make_venue(
        latitude=leeds.latitude + 15 / 69.23, longitude=leeds.longitude))
    response = client.get("/meetings/?near=LS6+1AA,+Leeds")
    assert response.status_code == 200
    assert not response.context["search"].errors
    assert [meeting.name for meeting in response.context["meetings"]] == ["Half a mile"]
    assert b"0.5 miles" in response.content
    assert response.context["search"].location.label == "LS6 1AA"
    assert "<title>Meetings near LS6 1AA" in response.content.decode()


# --- Other names for a place ------------------------------------------------------------

@pytest.mark.parametrize(
    "typed",
    ["Derry", "Londonderry", "londonderry", "Derry/Londonderry", "Derry-Londonderry",
     "Derry~Londonderry", "derry / londonderry", "Londonderry, Northern Ireland"],
)
def test_derry_whatever_it_is_called(typed: str):
    derry = resolve_location(typed)
    assert (derry.kind, derry.label) == ("place", "Derry, Northern Ireland")
    assert derry.latitude == pytest.approx(54.998, abs=0.01)
    assert derry.longitude == pytest.approx(-7.309, abs=0.01)
    assert derry.query == typed
    assert derry.alternatives == ()


@pytest.mark.parametrize(
    ("typed", "label"),
    [
        ("Hull", "Kingston upon Hull, England"),
        ("Southend", "Southend-on-Sea, England"),
        ("Leamington", "Royal Leamington Spa, England"),
        ("Leamington Spa", "Royal Leamington Spa, England"),
        ("Caerdydd", "Cardiff, Wales"),
        ("Abertawe", "Swansea, Wales"),
        ("Casnewydd", "Newport, Wales"),
        ("Wrecsam", "Wrexham, Wales"),
        ("Anglesey", "Llangefni, Wales"),
        ("Ynys Môn", "Llangefni, Wales"),
        ("ynys mon", "Llangefni, Wales"),
        ("Glaschu", "Glasgow, Scotland"),
        ("Hull, England", "Kingston upon Hull, England"),
    ],
)
def test_short_and_welsh_and_gaelic_names(typed: str, label: str):
    found = resolve_location(typed)
    assert (found.kind, found.label) == ("place", label)
    assert found.query == typed


def test_a_welsh_name_means_one_place_not_every_namesake_of_its_english_name():
    casnewydd = resolve_location("Casnewydd")
    assert casnewydd.latitude == pytest.approx(51.588, abs=0.01)
    assert casnewydd.alternatives == ()


def test_newcastle_is_newcastle_upon_tyne_and_the_other_newcastles_are_offered():
    newcastle = resolve_location("Newcastle")
    assert newcastle.label == "Newcastle upon Tyne, England"
    assert newcastle.latitude == pytest.approx(54.973, abs=0.01)
    assert [a.query for a in newcastle.alternatives] == [
        "Newcastle under Lyme, Staffordshire",
        "Newcastle, Newry, Mourne and Down",
    ]


def test_stoke_is_stoke_on_trent_and_the_hamlet_is_offered():
    stoke = resolve_location("Stoke")
    assert stoke.label == "Stoke-on-Trent, England"
    assert stoke.latitude == pytest.approx(53.004, abs=0.01)
    assert [a.query for a in stoke.alternatives] == ["Stoke, Cheshire West and Chester"]


@pytest.mark.parametrize("typed", ["Newcastle", "Stoke", "Newport", "St Ives"])
def test_every_alternative_offered_leads_to_itself(typed: str):
    chosen = resolve_location(typed)
    for alternative in chosen.alternatives:
        other = resolve_location(alternative.query)
        assert other.label.split(",")[0] == alternative.label.split(",")[0], alternative
        assert (other.latitude, other.longitude) != (chosen.latitude, chosen.longitude)
        assert other.alternatives == ()


def test_every_alias_leads_to_a_place_we_have():
    stored = dict(Place.objects.values_list("key", "name"))
    for alias, meant in PLACE_ALIASES.items():
        for text in meant:
            found = resolve_location(text)
            assert place_key(found.label.split(",")[0]) == place_key(text.split(",")[0]), alias
        # An alias that is also a place's name keeps that place on offer.
        if alias in stored:
            offered = [a.query for a in resolve_location(alias).alternatives]
            assert any(q.startswith(stored[alias] + ",") for q in offered), alias


# --- Misspelt towns -----------------------------------------------------------------------

@pytest.mark.parametrize(("typed", "meant"), [("Leds", "Leeds"), ("Manchestr", "Manchester"),
                                               ("Edinburg", "Edinburgh")])
def test_a_misspelt_town_gets_a_suggestion(typed: str, meant: str):
    with pytest.raises(UnrecognisedLocation) as raised:
        resolve_location(typed)
    assert raised.value.suggestions[0] == meant
    assert "Did you mean " + meant in raised.value.message
    assert resolve_location(meant).kind == "place"


@pytest.mark.parametrize("typed", ["Narnia", "LS6 1AA or M1 1AE", "x" * 500])
def test_no_suggestion_when_nothing_is_spelt_alike(typed: str):
    with pytest.raises(UnrecognisedLocation) as raised:
        resolve_location(typed)
    assert raised.value.suggestions == ()
    assert "Did you mean" not in raised.value.message


def test_a_suggestion_reads_only_the_places_sharing_the_first_letter():
    """Structural, not timed: a failed lookup reads places through the key index (a
    range on the first letter), never the whole table, however many places there are."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        with pytest.raises(UnrecognisedLocation) as raised:
            resolve_location("Manchestr")
    assert raised.value.suggestions[0] == "Manchester"
    place_reads = [q["sql"] for q in queries if 'FROM "meetings_place"' in q["sql"]]
    assert len(queries) <= 3 and place_reads
    for sql in place_reads:
        assert " WHERE " in sql and '"key"' in sql.split(" WHERE ", 1)[1], sql
    read = Place.objects.filter(key__gte="m", key__lt="n").count()
    assert 0 < read < Place.objects.count() / 5  # what the range reads: a letter's worth
