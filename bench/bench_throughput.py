"""Throughput of the public pages under production gunicorn, each as a share of what the
same server does with a static file (issue 14).

    createdb -h 127.0.0.1 -U postgres rf_bench_20k; createdb -h 127.0.0.1 -U postgres rf_bench_50k
    CACHE_URL=redis://127.0.0.1:6379/2 BENCH_PORT=8130 .venv/bin/python bench/bench_throughput.py \\
        20000=postgres://postgres@127.0.0.1:5432/rf_bench_20k \\
        50000=postgres://postgres@127.0.0.1:5432/rf_bench_50k

Each argument is a number of meetings and the database to hold them (DATABASE_URL when
none is named). A database already holding exactly that many bench meetings and every
postcode is kept (`--rebuild` empties it first); otherwise it is emptied and filled with
all of Great Britain's postcodes and the synthetic meetings of bench_search.py, then
ANALYZEd. Never point it at a database you want to keep.

For each size it starts gunicorn as the Dockerfile does (gunicorn.conf.py, DEBUG off, the
production settings of README and docs/deployment.md, CACHE_URL as with several hosts),
installs wrk if it is missing (apt-get), and drives each page for BENCH_SECONDS with wrk
(BENCH_CONNECTIONS connections), alternating with a static file served by the same server
in the same rounds, BENCH_ROUNDS times. Every request asks for gzip, as browsers do. Each
page's figure is its median requests per second over the rounds, divided by the median
of the static runs beside it: on a shared machine the ceiling moves, the share less so.

Pages: 200 varied postcodes (10 miles; a wrk Lua script walks the list), one repeated
partner link, /meetings/ (everything, soonest first), /meetings.json for one postcode, a
meeting's page, /healthz. It checks that HTML and JSON come gzipped, counts 5xx in the
access log (must be none), reads the server log for errors, counts worker restarts and
records each worker's resident memory.

`--recycling` (with one size) measures the workers instead: the CPU a new worker spends
starting, with and without preload_app (`--start-only` stops there); the static file's
rate with workers recycled every 2,000 requests, as configured, and never; and each
worker's memory over BENCH_MEMORY_MINUTES of searches with no recycling.

Figures go in docs/benchmarks.md ("Throughput"). Exits non-zero if a target is missed.
"""

import gzip
import http.client
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _django  # noqa: F401 (Django set up for the bench: bench/_django.py)

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("BENCH_PORT", "8130"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
VARIED = 200
# The first example of the URL contract (docs/partners.md): one link, asked again and again.
PARTNER_LINK = "/meetings/?near=LS6+1AA&within=5&day=today&time=evening"
PAGES = {
    "varied": "200 varied postcodes, 10 miles",
    "partner": "one repeated partner link",
    "all": "/meetings/ (every meeting, soonest first)",
    "json": "/meetings.json, one postcode",
    "meeting": "a meeting page",
    "healthz": "/healthz",
}
TARGETS_20K = {"varied": 0.10, "partner": 0.40, "all": 0.10}
AT_50K = 0.60  # of the page's 20,000 figure
MEMORY_MINUTES = int(os.environ.get("BENCH_MEMORY_MINUTES", "4"))
OUT = ROOT / "var" / "bench-throughput"


# --- The database (run in a child process, with that size's DATABASE_URL) ---------------

def prepare(size: int, rebuild: bool) -> dict:
    """Fill this process's database with `size` meetings unless it holds them already;
    answer the postcodes and the meeting page the runs will ask for."""
    from bench_search import build
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Value
    from django.db.models.functions import MD5, Concat

    from meetings.models import Meeting, Postcode

    call_command("migrate", verbosity=0)
    kept = (not rebuild and Meeting.objects.filter(source="bench").count() == size
            and Meeting.objects.count() == size and Postcode.objects.count() > 1_500_000)
    if not kept:
        started = time.perf_counter()
        call_command("flush", interactive=False, verbosity=0)
        call_command("migrate", verbosity=0)  # puts back the features the flush removed
        from importlib import import_module

        from django.apps import apps

        import_module("meetings.migrations.0002_features_and_languages").add(apps, None)
        call_command("loaddata", "fellowships", verbosity=0)
        call_command("load_postcodes", verbosity=0)
        build(size)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # whatever the commands do, the bench starts even
        print(f"Built {size:,} meetings and loaded every postcode in "
              f"{time.perf_counter() - started:.0f} s", file=sys.stderr)
    # Postcodes spread as people live (every postcode equally likely), so some searches
    # find nothing within 10 miles of the bench's towns and show the nearest beyond.
    postcodes = list(
        Postcode.objects.annotate(shuffled=MD5(Concat("postcode", Value("rf14"))))
        .order_by("shuffled").values_list("postcode", flat=True)[:VARIED]
    )
    meeting = Meeting.objects.listed().filter(source="bench").order_by("pk").first()
    return {"kept": kept, "postcodes": postcodes, "meeting": meeting.get_absolute_url(),
            "vendor": connection.vendor}


# --- The server ---------------------------------------------------------------------

def fetch(path: str) -> dict:
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    conn.request("GET", path, headers={"Host": "localhost", "Accept-Encoding": "gzip"})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return {"status": response.status, "encoding": response.getheader("Content-Encoding"),
            "type": response.getheader("Content-Type", ""), "bytes": len(body),
            "raw": len(gzip.decompress(body)) if response.getheader("Content-Encoding") == "gzip"
            else len(body)}


class Gunicorn:
    """gunicorn as the Dockerfile starts it, its log (access and errors) kept in a file."""

    def __init__(self, database_url: str, log: Path, **settings: str):
        env = os.environ | {
            "PORT": str(PORT), "DEBUG": "0", "DATABASE_URL": database_url,
            "ALLOWED_HOSTS": "localhost", "SECURE_COOKIES": "0",
            "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-not-secret"),
        } | settings
        self.database = database_url.rsplit("/", 1)[-1]
        self.log = log
        self.logged = 0  # bytes of log written before the server was told to stop
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "recovery_finder.wsgi:application",
             "--config", "gunicorn.conf.py", "--bind", f"127.0.0.1:{PORT}"],
            cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
        )
        for _ in range(300):
            try:
                if fetch("/healthz")["status"] == 200:
                    return
            except OSError:
                time.sleep(0.1)
        raise SystemExit(f"gunicorn did not start: see {log}")

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def cpu(self) -> tuple[dict[int, float], dict[int, float]]:
        """CPU seconds used so far by the workers, and by the PostgreSQL sessions of this
        database (processes titled "postgres: USER DATABASE ...")."""
        sessions = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    title = (entry / "cmdline").read_bytes().decode(errors="replace")
                except OSError:
                    continue
                if title.startswith("postgres: ") and f" {self.database} " in title:
                    sessions.append(int(entry.name))
        return cpu_seconds(self.workers()), cpu_seconds(sessions)

    def memory(self) -> dict[str, list[int]]:
        """Resident and shared-with-the-master memory of each worker (kB): with
        preload_app the code the master imported is shared copy-on-write."""
        rss, private = [], []
        for pid in self.workers():
            try:
                rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
            except OSError:
                continue
            fields = {line.split(":")[0]: int(line.split()[1])
                      for line in rollup.splitlines()[1:] if line.split()[-1] == "kB"}
            rss.append(fields["Rss"])
            private.append(fields["Private_Clean"] + fields["Private_Dirty"])
        return {"rss": rss, "private": private}

    def stop(self) -> None:
        self.logged = self.log.stat().st_size  # what shutting down logs is not the run's
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)

    def findings(self, so_far: bool = False) -> dict:
        text = self.log.read_bytes()[:None if so_far else self.logged].decode(errors="replace")
        statuses = re.findall(r'"GET \S+ HTTP/1\.1" (\d{3}) ', text)
        errors = [line for line in text.splitlines()
                  if re.search(r"\[(ERROR|CRITICAL)\]|Traceback|WORKER TIMEOUT", line)]
        return {
            "requests": len(statuses),
            "5xx": sum(1 for status in statuses if status.startswith("5")),
            "errors": errors,
            "restarts": text.count("Autorestarting worker"),
        }


# --- wrk ----------------------------------------------------------------------------

def wrk_path() -> str:
    found = shutil.which("wrk")
    if not found:
        print("Installing wrk (apt-get install -y wrk)...")
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True,
                       stdout=subprocess.DEVNULL)
        found = shutil.which("wrk")
    return found


def walk_script(paths: list[str], folder: Path) -> Path:
    """A wrk Lua script that asks for each path in turn (each wrk thread its own walk)."""
    script = folder / "walk.lua"
    listed = ",\n".join(json.dumps(p) for p in paths)  # JSON strings are Lua strings here
    script.write_text(
        f"local paths = {{\n{listed}\n}}\nlocal n = 0\n"
        "request = function()\n  n = n % #paths + 1\n"
        "  return wrk.format(nil, paths[n])\nend\n"
    )
    return script


def drive(wrk: str, path: str, script: Path | None = None, seconds: int = SECONDS) -> float:
    return measure(wrk, path, script, seconds)["rate"]


def measure(wrk: str, path: str, script: Path | None = None, seconds: int = SECONDS,
            server: "Gunicorn | None" = None) -> dict:
    """wrk's rate, and (given the server) the CPU time its workers and their database
    sessions spent per request: on a machine shared with other work the rate follows the
    neighbours' load, the CPU time much less."""
    command = [wrk, "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "-H", "Host: localhost",
               "-H", "Accept-Encoding: gzip"]
    if script:
        command += ["-s", str(script)]
    before = server.cpu() if server else ({}, {})
    output = subprocess.run(command + [f"http://127.0.0.1:{PORT}{path}"],
                            capture_output=True, text=True, check=True).stdout
    after = server.cpu() if server else ({}, {})
    done = max(int(re.search(r"(\d+) requests in", output).group(1)), 1)

    def spent(part: int) -> float:
        # Processes present at the end; a worker recycled meanwhile takes its CPU with it.
        return sum(seconds - before[part].get(pid, 0) for pid, seconds in after[part].items())

    return {"rate": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
            "workers_ms": spent(0) * 1000 / done, "database_ms": spent(1) * 1000 / done}


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    found = {}
    for pid in pids:
        try:  # utime and stime, the 14th and 15th fields, after the command's name
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        found[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return found


# --- The run ------------------------------------------------------------------------

def static_path() -> str:
    from django.contrib.staticfiles.storage import staticfiles_storage

    return staticfiles_storage.url("css/site.css")


def prepared(size: int, database_url: str, rebuild: bool) -> dict:
    env = os.environ | {"DATABASE_URL": database_url}
    child = subprocess.run([sys.executable, __file__, "--prepare", str(size)]
                           + (["--rebuild"] if rebuild else []),
                           env=env, capture_output=True, text=True)
    sys.stderr.write(child.stderr)
    if child.returncode:
        raise SystemExit(f"preparing {size} meetings failed")
    data = json.loads(child.stdout.strip().splitlines()[-1])
    print(f"Database: {data['vendor']}, {size:,} meetings "
          f"({'kept from an earlier run' if data['kept'] else 'built now'})")
    return data


def run(size: int, database_url: str, rebuild: bool, wrk: str) -> dict:
    data = prepared(size, database_url, rebuild)
    folder = Path(tempfile.mkdtemp(prefix="bench-throughput-"))
    varied = [f"/meetings/?near={p.replace(' ', '+')}&within=10" for p in data["postcodes"]]
    paths = {"varied": varied[0], "partner": PARTNER_LINK, "all": "/meetings/",
             "json": "/meetings.json?near=LS6+1AA&within=10", "meeting": data["meeting"],
             "healthz": "/healthz"}
    script = walk_script(varied, folder)
    static = static_path()
    OUT.mkdir(parents=True, exist_ok=True)
    server = Gunicorn(database_url, OUT / f"gunicorn-{size}.log")
    try:
        compressed = {}
        for name in ("varied", "partner", "all", "json", "meeting"):
            answer = fetch(paths[name])
            assert answer["status"] == 200, (name, answer)
            compressed[name] = answer
        for path in varied:  # every varied search answers, none with a 5xx
            assert fetch(path)["status"] < 500, path
        memory_before = server.memory()
        shares = {name: [] for name in PAGES}
        rates = {name: [] for name in PAGES}
        cpu = {name: [] for name in ["static", *PAGES]}
        ceilings = []
        for _round in range(ROUNDS):
            for name in PAGES:
                ceiling = measure(wrk, static, server=server)
                page = measure(wrk, paths[name], script if name == "varied" else None,
                               server=server)
                ceilings.append(ceiling["rate"])
                rates[name].append(page["rate"])
                shares[name].append(page["rate"] / ceiling["rate"])
                cpu["static"].append((ceiling["workers_ms"], ceiling["database_ms"]))
                cpu[name].append((page["workers_ms"], page["database_ms"]))
        memory_after = server.memory()
    finally:
        server.stop()
    findings = server.findings()
    result = {
        "size": size, "ceiling": statistics.median(ceilings),
        "ceiling_range": (min(ceilings), max(ceilings)),
        "rates": {name: statistics.median(values) for name, values in rates.items()},
        "shares": {name: statistics.median(values) for name, values in shares.items()},
        "share_ranges": {name: (min(v), max(v)) for name, v in shares.items()},
        "cpu_ms": {name: [statistics.median(part) for part in zip(*values, strict=True)]
                   for name, values in cpu.items()},
        "compressed": {name: (a["encoding"], a["bytes"], a["raw"])
                       for name, a in compressed.items()},
        "memory_before": memory_before, "memory_after": memory_after, **findings,
    }
    (OUT / f"result-{size}.json").write_text(json.dumps(result, indent=1))
    report(result)
    return result


def recycling(size: int, database_url: str, rebuild: bool, wrk: str) -> None:
    """What recycling workers costs: the static file's rate with workers recycled every
    2,000 requests (the old setting) with and without preload_app, with the setting in
    gunicorn.conf.py, and never; then each worker's memory while searches are served
    for a while with no recycling at all."""
    data = prepared(size, database_url, rebuild)
    static = static_path()
    OUT.mkdir(parents=True, exist_ok=True)
    configs = {"2,000, no preload": {"GUNICORN_PRELOAD": "off", "GUNICORN_MAX_REQUESTS": "2000"},
               "2,000, preload": {"GUNICORN_MAX_REQUESTS": "2000"},
               "gunicorn.conf.py": {}, "never": {"GUNICORN_MAX_REQUESTS": "0"}}
    rates = {name: [] for name in configs}
    for _round in range(ROUNDS):
        for name, settings in configs.items():
            server = Gunicorn(database_url, OUT / "gunicorn-recycling.log", **settings)
            try:
                for _ in range(20):
                    fetch(static)
                rates[name].append(drive(wrk, static))
            finally:
                server.stop()
            restarts = server.findings()["restarts"]
            print(f"  {name}: {rates[name][-1]:,.0f} req/s, {restarts} restarts")
    print("| workers recycled after | static file, req/s (median; range) |\n|---|---|")
    for name, values in rates.items():
        print(f"| {name} | {statistics.median(values):,.0f} "
              f"({min(values):,.0f}-{max(values):,.0f}) |")

    folder = Path(tempfile.mkdtemp(prefix="bench-throughput-"))
    varied = [f"/meetings/?near={p.replace(' ', '+')}&within=10" for p in data["postcodes"]]
    script = walk_script(varied, folder)
    server = Gunicorn(database_url, OUT / "gunicorn-memory.log", GUNICORN_MAX_REQUESTS="0")
    try:
        for minute in range(MEMORY_MINUTES):
            for path in ("/meetings/", "/meetings.json?near=LS6+1AA&within=10", data["meeting"]):
                drive(wrk, path, seconds=10)
            drive(wrk, varied[0], script, seconds=30)
            requests = server.findings(so_far=True)["requests"]
            rss = [kb / 1024 for kb in server.memory()["rss"]]
            print(f"  after {minute + 1} min, {requests:,} requests: workers resident "
                  f"{min(rss):.0f}-{max(rss):.0f} MB")
    finally:
        server.stop()


def worker_start(database_url: str) -> None:
    """The CPU a new worker spends starting and serving its first 50 static files, with
    and without preload_app: a worker is stopped, the master forks another."""
    static = static_path()
    OUT.mkdir(parents=True, exist_ok=True)
    for preload in ("on", "off"):
        spent = []
        server = Gunicorn(database_url, OUT / "gunicorn-start.log", WEB_CONCURRENCY="2",
                          GUNICORN_PRELOAD=preload, GUNICORN_MAX_REQUESTS="0")
        try:
            for _ in range(3):
                old = set(server.workers())
                os.kill(min(old), signal.SIGTERM)
                while not (new := set(server.workers()) - old):
                    time.sleep(0.1)
                time.sleep(3)  # booted, and idle
                pid = new.pop()
                booted = cpu_seconds([pid])[pid]
                for _ in range(50):
                    fetch(static)
                spent.append((booted, cpu_seconds([pid])[pid] - booted))
        finally:
            server.stop()
        print(f"  preload {preload}: a new worker's CPU to start "
              + ", ".join(f"{boot * 1000:.0f}" for boot, _ in spent)
              + " ms, then in its share of 50 static files "
              + ", ".join(f"{first * 1000:.0f}" for _, first in spent) + " ms")


def report(r: dict) -> None:
    low, high = r["ceiling_range"]
    print(f"static file ceiling: median {r['ceiling']:,.0f} req/s ({low:,.0f}-{high:,.0f})")
    cpu = r["cpu_ms"]
    print(f"| page ({r['size']:,} meetings, {CONNECTIONS} connections) | req/s | share of the "
          "static ceiling (range over rounds) | CPU per request: workers + database | "
          "static's CPU per request as a share of it |")
    print("|---|---|---|---|---|")
    workers, database = cpu["static"]
    static_cpu = workers + database
    print(f"| static file | {r['ceiling']:,.0f} | | {workers:.2f} + {database:.2f} ms | |")
    for name, label in PAGES.items():
        low, high = r["share_ranges"][name]
        workers, database = cpu[name]
        print(f"| {label} | {r['rates'][name]:,.0f} | {r['shares'][name]:.1%} "
              f"({low:.1%}-{high:.1%}) | {workers:.2f} + {database:.2f} ms | "
              f"{static_cpu / (workers + database):.1%} |")
    for name, (encoding, sent, raw) in r["compressed"].items():
        print(f"{PAGES[name]}: {encoding or 'NOT compressed'}, {sent / 1024:.1f} KB sent "
              f"({raw / 1024:.1f} KB)")
    mb = [kb / 1024 for kb in r["memory_after"]["rss"]]
    private = [kb / 1024 for kb in r["memory_after"]["private"]]
    before = [kb / 1024 for kb in r["memory_before"]["rss"]]
    print(f"workers: resident {min(before):.0f}-{max(before):.0f} MB after warming, "
          f"{min(mb):.0f}-{max(mb):.0f} MB at the end ({min(private):.0f}-{max(private):.0f} MB "
          f"of it private); {r['restarts']} restarts in {r['requests']:,} requests")
    print(f"5xx responses: {r['5xx']}; server log errors: {len(r['errors'])}")
    for line in r["errors"][:5]:
        print("  ", line)


def missed(results: dict[int, dict]) -> list[str]:
    failures = []
    for size, r in results.items():
        if r["5xx"]:
            failures.append(f"{r['5xx']} 5xx at {size:,}")
        if r["errors"]:
            failures.append(f"{len(r['errors'])} server log errors at {size:,}")
        for name in ("varied", "partner", "all", "json", "meeting"):
            if r["compressed"][name][0] != "gzip":
                failures.append(f"{name} not compressed at {size:,}")
    if 20_000 in results:
        shares = results[20_000]["shares"]
        failures += [f"{PAGES[name]} {shares[name]:.1%} < {target:.0%} at 20,000"
                     for name, target in TARGETS_20K.items() if shares[name] < target]
        for size, r in results.items():
            if size > 20_000:
                failures += [
                    f"{PAGES[name]} at {size:,} is {r['shares'][name] / shares[name]:.0%} of 20,000"
                    for name in PAGES if r["shares"][name] < AT_50K * shares[name]
                ]
    return failures


if __name__ == "__main__" and sys.argv[1:2] == ["--prepare"]:
    print(json.dumps(prepare(int(sys.argv[2]), "--rebuild" in sys.argv)))
elif __name__ == "__main__":
    from django.core.management import call_command

    rebuild = "--rebuild" in sys.argv
    sizes = {}
    for arg in [a for a in sys.argv[1:] if not a.startswith("--")] or ["20000"]:
        count, _, url = arg.partition("=")
        sizes[int(count)] = url or os.environ["DATABASE_URL"]
    call_command("collectstatic", interactive=False, verbosity=0)
    print("Machine:", _django.machine_reference(), f"; load average {os.getloadavg()[0]:.1f}")
    print("Cache:", os.environ.get("CACHE_URL") or "local memory, per process")
    wrk = wrk_path()
    if "--recycling" in sys.argv:
        size, url = next(iter(sizes.items()))
        prepared(size, url, rebuild)
        worker_start(url)
        if "--start-only" not in sys.argv:
            recycling(size, url, rebuild, wrk)
        sys.exit(0)
    results = {size: run(size, url, rebuild, wrk) for size, url in sizes.items()}
    failures = missed(results)
    print("All targets met." if not failures else "MISSED: " + "; ".join(failures))
    sys.exit(1 if failures else 0)
