"""Whole-directory feeds under production gunicorn: /api/meeting-guide.json, /meetings.csv
and /meetings.ics at 20,000 and 50,000 meetings.

    createdb -h 127.0.0.1 -U postgres DBNAME
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/DBNAME \\
    CACHE_URL=redis://127.0.0.1:6379/7 BENCH_PORT=8221 \\
        .venv/bin/python bench/bench_feeds.py 20000 50000

Uses its own database (the one DATABASE_URL names, emptied first; a temporary SQLite file
if none is given, though the figures that count are PostgreSQL's), never the development
one, and CACHE_URL as production does with several hosts (without it, each worker keeps
its own renderings and "cached" figures mix in uncached ones). For each size it loads the
synthetic meetings of bench_search.py, starts gunicorn with gunicorn.conf.py as production
does (5 workers x 2 threads), and measures over HTTP:

- each feed uncached (the data version bumped first, as a staff edit would; the median of
  five builds) and cached: time to the first and the last byte, gzipped as browsers and
  partners' HTTP libraries ask, and the cached feed raw;
- bytes raw and gzipped;
- a 304 for a client that has the feed;
- a 10-mile search alone, then while twelve clients fetch full feeds without pause
  (target: no more than 2x slower);
- every worker's peak resident memory (VmHWM) over the whole run.

Figures go in docs/benchmarks.md ("Feeds"). Exits non-zero if a target is missed.
"""

import http.client
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import _django  # noqa: F401 (Django set up for the bench: bench/_django.py)
from bench_search import build, install_resolver
from django.core.management import call_command
from django.db import connection

import data_version
from meetings.models import Meeting

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("BENCH_PORT", "8221"))
FEEDS = ["/api/meeting-guide.json", "/meetings.csv", "/meetings.ics"]
SEARCH = "/meetings/?near=LS6+1AA&within=10"
CLIENTS = 12
LOAD_SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", "20"))
# Builds per feed after a change: a single one on a shared virtual machine is as much the
# neighbours' figure as ours; the median is the one held to the target.
UNCACHED_RUNS = int(os.environ.get("BENCH_UNCACHED_RUNS", "5"))


def fetch(path: str, gzip: bool = True, headers: dict | None = None) -> dict:
    """One request: status, time to first and last byte (ms), body bytes."""
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
    sent = {"Host": "localhost", **({"Accept-Encoding": "gzip"} if gzip else {}),
            **(headers or {})}
    start = time.perf_counter()
    conn.request("GET", path, headers=sent)
    response = conn.getresponse()
    first = response.read(1)
    ttfb = time.perf_counter() - start
    size = len(first)
    while chunk := response.read(65536):
        size += len(chunk)
    total = time.perf_counter() - start
    result = {"status": response.status, "ttfb": ttfb * 1000, "ms": total * 1000,
              "retry_after": response.getheader("Retry-After"),
              "bytes": size, "etag": response.getheader("ETag"),
              "encoding": response.getheader("Content-Encoding")}
    conn.close()
    return result


class Gunicorn:
    def __init__(self):
        env = os.environ | {
            "PORT": str(PORT), "DEBUG": "0", "ALLOWED_HOSTS": "localhost",
            "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-not-secret"),
            "SECURE_COOKIES": "0", "LOG_LEVEL": "WARNING",
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "recovery_finder.wsgi", "-c", "gunicorn.conf.py",
             "--bind", f"127.0.0.1:{PORT}", "--access-logfile", "/dev/null"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )
        self.peaks: dict[int, int] = {}
        self.errors: list[str] = []
        threading.Thread(target=self._read_errors, daemon=True).start()
        for _ in range(300):
            try:
                if fetch("/healthz")["status"] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise SystemExit("gunicorn did not start")

    def _read_errors(self) -> None:
        for line in self.process.stderr:
            if "ERROR" in line or "Traceback" in line or "WORKER TIMEOUT" in line:
                self.errors.append(line.strip())

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def record_peaks(self) -> None:
        """Each worker's high-water mark of resident memory (kB), kept across restarts."""
        for pid in self.workers():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            for line in status.splitlines():
                if line.startswith("VmHWM:"):
                    self.peaks[pid] = max(self.peaks.get(pid, 0), int(line.split()[1]))

    def cpu_seconds(self) -> float:
        """CPU time (user and system) the workers have used so far: what a build costs
        whatever else the machine is doing, which wall times on a shared machine are not."""
        total = 0.0
        for pid in self.workers():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        return total

    def stop(self) -> None:
        self.record_peaks()
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


def seed(count: int) -> None:
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)  # puts back the features the flush removed
    from importlib import import_module

    from django.apps import apps

    import_module("meetings.migrations.0002_features_and_languages").add(apps, None)
    call_command("loaddata", "fellowships", verbosity=0)
    started = time.perf_counter()
    build(count)
    install_resolver()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"Built {Meeting.objects.count():,} meetings in {time.perf_counter() - started:.1f} s")


def feed_figures(server: Gunicorn) -> dict:
    figures = {}
    for path in FEEDS:
        builds = []
        for _ in range(UNCACHED_RUNS):
            data_version.bump()  # as a staff edit would: what was kept is no longer current
            cpu = server.cpu_seconds()
            uncached = fetch(path)
            uncached["cpu"] = server.cpu_seconds() - cpu
            assert uncached["status"] == 200 and uncached["encoding"] == "gzip", uncached
            builds.append(uncached)
        builds.sort(key=lambda build: build["ms"])
        uncached = builds[len(builds) // 2]  # the median build, with its first byte and CPU
        cached = [fetch(path) for _ in range(20)]  # from Redis, then each worker's copy
        raw = [fetch(path, gzip=False) for _ in range(3)]
        etag = cached[-1]["etag"]
        not_modified = [fetch(path, headers={"If-None-Match": etag}) for _ in range(10)]
        assert all(r["status"] == 304 for r in not_modified)
        unknown = fetch(path + "?utm_source=partner", headers={"If-None-Match": etag})
        assert unknown["status"] == 304, "an unknown parameter defeated the ETag"
        figures[path] = {
            "uncached_ms": uncached["ms"], "uncached_ttfb": uncached["ttfb"],
            "uncached_cpu": uncached["cpu"],
            "uncached_range": (builds[0]["ms"], builds[-1]["ms"]),
            "cached_ms": statistics.median(r["ms"] for r in cached),
            "cached_raw_ms": statistics.median(r["ms"] for r in raw),
            "not_modified_ms": statistics.median(r["ms"] for r in not_modified),
            "gzip_bytes": uncached["bytes"], "raw_bytes": raw[0]["bytes"],
        }
        server.record_peaks()
        f = figures[path]
        print(f"{path}: uncached {f['uncached_ms']:.0f} ms, median of {UNCACHED_RUNS} (range"
              f" {f['uncached_range'][0]:.0f}-{f['uncached_range'][1]:.0f} ms; first byte"
              f" {f['uncached_ttfb']:.0f} ms, {f['uncached_cpu']:.2f} s CPU in the workers); cached"
              f" {f['cached_ms']:.1f} ms gzipped, {f['cached_raw_ms']:.1f} ms raw;"
              f" 304 in {f['not_modified_ms']:.1f} ms; {f['raw_bytes'] / 1e6:.1f} MB raw, "
              f"{f['gzip_bytes'] / 1e6:.2f} MB gzipped")
    return figures


def search_times(runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        result = fetch(SEARCH)
        assert result["status"] == 200
        times.append(result["ms"])
    return times


def feed_clients(seconds: float) -> int:
    """CLIENTS threads fetching full feeds without pause for `seconds`; run in a process of
    its own, so that they do not hold the measuring process's interpreter lock."""
    stop = time.monotonic() + seconds
    fetched = []

    def client(n: int) -> None:
        while time.monotonic() < stop:
            result = fetch(FEEDS[(n + len(fetched)) % len(FEEDS)])
            assert result["status"] == 200, result
            fetched.append(1)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(fetched)


def under_load(server: Gunicorn) -> tuple[float, float, int]:
    for _ in range(5):
        fetch(SEARCH)
    alone = statistics.median(search_times(40))
    clients = subprocess.Popen(
        [sys.executable, __file__, "--feed-clients", str(LOAD_SECONDS)],
        stdout=subprocess.PIPE, text=True, env=os.environ | {"BENCH_PORT": str(PORT)},
    )
    time.sleep(1)  # let them start
    loaded = []
    stop = time.monotonic() + LOAD_SECONDS - 2
    while time.monotonic() < stop:
        loaded += search_times(5)
        server.record_peaks()
    fetched = int(clients.communicate(timeout=300)[0].split()[-1])
    return alone, statistics.median(loaded), fetched


def run(count: int) -> list[str]:
    seed(count)
    print("Load average before: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
    server = Gunicorn()
    try:
        fetch(SEARCH)
        figures = feed_figures(server)
        alone, loaded, fetched = under_load(server)
        print(f"10-mile search: {alone:.1f} ms alone, {loaded:.1f} ms while {CLIENTS} clients "
              f"fetched {fetched} full feeds in {LOAD_SECONDS:.0f} s ({loaded / alone:.2f}x)")
    finally:
        server.stop()
    print("Load average after: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
    peak = max(server.peaks.values()) / 1024
    print(f"worker peak RSS: {peak:.0f} MB (each: "
          f"{', '.join(f'{kb / 1024:.0f}' for kb in sorted(server.peaks.values()))} MB)")
    if server.errors:
        print("server errors:", *server.errors[:5], sep="\n  ")
    if count > 20_000:
        return []  # the targets are set at 20,000 meetings
    return [
        name for name, ok in [
            *[(f"{path} uncached < 1 s", f["uncached_ms"] < 1000) for path, f in figures.items()],
            *[(f"{path} cached < 20 ms", f["cached_ms"] < 20) for path, f in figures.items()],
            ("worker RSS < 150 MB", peak < 150),
            ("search under feed load <= 2x", loaded <= 2 * alone),
            ("no server errors", not server.errors),
        ] if not ok
    ]


if __name__ == "__main__" and sys.argv[1:2] == ["--feed-clients"]:
    print(feed_clients(float(sys.argv[2])))
elif __name__ == "__main__":
    call_command("collectstatic", interactive=False, verbosity=0)
    print("Machine:", _django.machine_reference())
    print("Cache:", os.environ.get("CACHE_URL") or "local memory, per process")
    sizes = [int(arg) for arg in sys.argv[1:]] or [20_000]
    missed = []
    for size in sizes:
        print(f"\n== {size:,} meetings")
        missed += run(size)
    print("All targets met." if not missed else f"MISSED: {', '.join(missed)}")
    sys.exit(1 if missed else 0)
