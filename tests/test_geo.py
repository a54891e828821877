"""Postcode and place-name parsing: plain functions, no database."""

import pytest

from meetings.postcodes import (
    normalise_district,
    normalise_postcode,
    normalise_sector,
    place_key,
    postcode_outward,
)


@pytest.mark.parametrize("typed", ["LS6 1AA", "ls61aa", " LS6  1AA ", "Ls6\t1aA", "ls6 1aa"])
def test_any_case_and_spacing_gives_one_postcode(typed: str):
    assert normalise_postcode(typed) == "LS6 1AA"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("sw1a1aa", "SW1A 1AA"), ("M11AE", "M1 1AE"), ("EC1A 1BB", "EC1A 1BB"), ("W1A0AX", "W1A 0AX")],
)
def test_every_outward_code_shape(typed: str, expected: str):
    assert normalise_postcode(typed) == expected


@pytest.mark.parametrize("typed", ["", "Leeds", "LS6", "LS6 1", "LS6 1A", "123 456", "LS6 1CA"])
def test_what_is_not_a_full_postcode(typed: str):
    # "LS6 1CA": C is never used in the inward code.
    assert normalise_postcode(typed) is None


def test_districts_and_sectors():
    assert normalise_district(" m1 ") == "M1"
    assert normalise_district("SW1A") == "SW1A"
    assert normalise_district("Leeds") is None
    assert normalise_sector("ls6  1") == "LS6 1"
    assert normalise_sector("LS61") is None  # that is the shape of a district


def test_outward_code_of_a_postcode():
    assert postcode_outward("SW1A 1AA") == "SW1A"
    assert postcode_outward("M1 1AE") == "M1"


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("Leeds", "leeds"),
        ("  HEBDEN   bridge ", "hebden bridge"),
        ("Saint Ives", "st ives"),
        ("St. Ives", "st ives"),
        ("Bo’ness", "boness"),
        ("Bo'ness", "boness"),
        ("Stoke-on-Trent", "stoke on trent"),
        ("Ynys Môn", "ynys mon"),
    ],
)
def test_place_names_match_however_they_are_typed(typed: str, key: str):
    assert place_key(typed) == key
