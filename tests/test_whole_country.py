"""Every postcode in Great Britain, loaded once: run by CI with WHOLE_COUNTRY=1 (about a minute)."""

import os
import time

import pytest
from django.core.management import call_command

from meetings.geo import resolve_location
from meetings.models import Postcode

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        os.environ.get("WHOLE_COUNTRY") != "1",
        reason="loads 1.7 million postcodes; CI runs it once with WHOLE_COUNTRY=1",
    ),
]


def test_every_gb_postcode_loads_and_the_famous_ones_resolve(capsys):
    started = time.perf_counter()
    call_command("load_postcodes")
    elapsed = time.perf_counter() - started
    print(f"\nLoaded {Postcode.objects.count():,} postcodes in {elapsed:.1f} s")

    assert 1_700_000 < Postcode.objects.count() < 1_800_000
    palace = resolve_location("sw1a1aa")
    assert palace.label == "SW1A 1AA"
    assert palace.latitude == pytest.approx(51.501, abs=0.003)
    assert palace.longitude == pytest.approx(-0.142, abs=0.003)
    for text, latitude, longitude in [
        ("M1", 53.48, -2.23),       # Manchester city centre
        ("Leeds", 53.80, -1.55),
        ("KW15 1", 58.98, -2.96),   # Kirkwall, Orkney
        ("TR26", 50.21, -5.48),     # St Ives, Cornwall
        ("ZE1 0AA", 60.15, -1.15),  # Lerwick, Shetland
    ]:
        place = resolve_location(text)
        assert (place.latitude, place.longitude) == (
            pytest.approx(latitude, abs=0.05), pytest.approx(longitude, abs=0.05)
        ), text
