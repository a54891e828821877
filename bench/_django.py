"""Django set-up shared by the bench scripts: import it before anything from Django.

    import _django  # noqa: F401 (sets Django up)

bench/ is not a package: run as `.venv/bin/python bench/bench_X.py`, a script's own
directory is first on sys.path, so this module is found. It puts the project on sys.path,
turns DEBUG off as in production (no query log kept), gives a throwaway SECRET_KEY unless
one is set, and points DATABASE_URL at a temporary SQLite file unless one is given: the
bench scripts never touch the development database.
"""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recovery_finder.settings")
os.environ["DEBUG"] = "0"
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='bench-')}/bench.sqlite3"

import django  # noqa: E402

django.setup()


def machine_reference() -> str:
    """A fixed pure-Python workload, timed, so figures taken on different days can be
    compared: the development machine's speed varies from day to day and hour to hour
    (0.44 to 0.68 s within one hour on 27 November 2026)."""
    import platform
    import statistics
    import time

    def loop() -> float:
        start = time.perf_counter()
        total = 0
        for n in range(10_000_000):
            total += n
        return time.perf_counter() - start

    seconds = statistics.median(loop() for _ in range(3))
    return (f"{platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
            f"10 million additions in {seconds:.2f} s")
