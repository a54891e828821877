"""How long kept search pages stay valid (issue 14): for bench_throughput.py's 200 varied
postcodes (10 miles) and its partner link, Search.unchanged_until at several times of a
week, in minutes, as the page cache keeps them (an hour at most). Before, every page
lasted until the end of its minute.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/DB_20K .venv/bin/python \\
        bench/bench_page_lifetimes.py

Reads a database bench_throughput.py filled (every postcode, the synthetic meetings);
writes nothing. Figures go in docs/benchmarks.md.
"""

import datetime
import statistics

import _django  # noqa: F401 (Django set up for the bench: bench/_django.py)
from bench_throughput import PARTNER_LINK, VARIED
from django.db.models import Value
from django.db.models.functions import MD5, Concat
from django.http import QueryDict

from meetings.models import Postcode
from meetings.schedule import LONDON
from meetings.search import page_of, run_search

# A Tuesday: the small hours, morning, midday, the evening peak, late.
TIMES = [datetime.datetime(2026, 12, 8, hour, minute, tzinfo=LONDON)
         for hour, minute in ((3, 0), (9, 5), (12, 30), (18, 45), (22, 10))]


def minutes_unchanged(query: str, now: datetime.datetime) -> float:
    search = run_search(QueryDict(query), now)
    page, _note = page_of(search, search.params.get("page"), strict=False)
    if not page.object_list and not search.place_not_found:  # as the view: the empty state
        search.nearest_beyond()
    return (search.unchanged_until() - now).total_seconds() / 60


def main() -> None:
    postcodes = list(
        Postcode.objects.annotate(shuffled=MD5(Concat("postcode", Value("rf14"))))
        .order_by("shuffled").values_list("postcode", flat=True)[:VARIED]
    )
    varied = [f"near={p.replace(' ', '+')}&within=10" for p in postcodes]
    partner = PARTNER_LINK.split("?", 1)[1]
    print("| time (UK) | 200 varied postcodes: minutes kept, median (quartiles; shortest) "
          "| the partner link |\n|---|---|---|")
    for now in TIMES:
        kept = sorted(minutes_unchanged(query, now) for query in varied)
        low, median, high = statistics.quantiles(kept, n=4)
        print(f"| {now:%a %H:%M} | {median:.0f} ({low:.0f}-{high:.0f}; {kept[0]:.1f}) "
              f"| {minutes_unchanged(partner, now):.0f} |")


if __name__ == "__main__":
    main()
