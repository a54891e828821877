"""Real-browser tests: Debian's chromium driven by Playwright against a live server.

No browser is downloaded: Playwright launches the system binary by path. Run with
`pytest -m browser`; they are skipped if chromium is not installed.
"""

import datetime
import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the Django ORM calls made by
# fixtures are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
# The committed screenshots, rewritten only when asked: `SCREENSHOTS=docs make test`.
# Otherwise they are still taken (the same code runs) but into pytest's temporary directory,
# so a test run leaves the tree clean.
DOCS_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
PLACES = ["Hyde Park", "Kirkstall", "Meanwood", "Chapel Allerton", "Burley", "Woodhouse"]
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, but serving the collected static files.

    Its default handler looks files up with the finders, which know nothing of the hashed
    names our pages link to (tests run with DEBUG off, as production does).
    """
    from django.test.testcases import _StaticFilesHandler
    from pytest_django.live_server_helper import LiveServer

    addr = os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost"
    server = LiveServer(addr, start=False)
    server.thread.static_handler = _StaticFilesHandler
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"chromium not found at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-background-networking", "--disable-dev-shm-usage"],
        )
        yield browser
        browser.close()


@contextmanager
def recording_page(chromium, locale):
    """A fresh page (own cookies and cache) in a browser set to `locale`, that records console
    errors and requests."""
    context = chromium.new_context(viewport=DESKTOP, locale=locale,
                                   timezone_id="Europe/London")
    page = context.new_page()
    page.console_errors = []
    page.requested_urls = []
    page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
    page.on("request", lambda request: page.requested_urls.append(request.url))
    yield page
    context.close()


@pytest.fixture
def browser_page(chromium):
    with recording_page(chromium, "en-GB") as page:
        yield page


@pytest.fixture
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture
def site(live_server, transactional_db, place):
    """Real fellowships and a handful of meetings around LS6 1AA; returns useful objects."""
    from django.core.management import call_command

    from groups.models import Fellowship, Group
    from meetings.models import Format
    from tests.factories import make_meeting, make_venue

    call_command("loaddata", "fellowships", verbosity=0)
    restore_features_and_languages()
    leeds = place("LS6 1AA")
    aa = Fellowship.objects.get(slug="aa")
    smart = Fellowship.objects.get(slug="smart-recovery")
    na = Fellowship.objects.get(slug="na")

    def venue(miles: float, **fields):
        return make_venue(latitude=leeds.latitude + miles / 69.23, longitude=leeds.longitude,
                          **fields)

    group = Group.objects.create(fellowship=aa, name="Headingley Group",
                                 email="headingley@example.org")
    hall = venue(0.6, name="Quaker Meeting House", address_line1="188 Woodhouse Lane",
                 town="Leeds", postcode="LS2 9DX", step_free=True, hearing_loop=True,
                 directions="Use the side door on Clarendon Road; the room is on the left.")
    t = datetime.time
    main = make_meeting(name="Headingley Tuesday Night", fellowship=aa, group=group, weekday=1,
                        venue=hall, format=Format.HYBRID, online_url="https://example.org/j",
                        features=["newcomers", "speaker"], access="open",
                        last_verified=datetime.date(2024, 11, 20),
                        notes="Tea and coffee from 7pm. Newcomers very welcome.")
    for n, (fellowship, weekday, hour) in enumerate(
        [(smart, 2, 18), (na, 3, 19), (aa, 5, 11), (aa, 6, 10), (smart, 0, 12), (na, 4, 20)]
    ):
        make_meeting(name=f"{PLACES[n]} {fellowship.short_name}",
                     fellowship=fellowship, weekday=weekday, start_time=t(hour, 0),
                     end_time=t(hour + 1, 30), venue=venue(1 + n * 0.7, town="Leeds"),
                     features=["newcomers"] if n % 2 else ["women"])
    make_meeting(name="Online Lunchtime", fellowship=smart, weekday=2, format=Format.ONLINE,
                 start_time=t(12, 30))
    return {"url": live_server.url, "meeting": main, "fellowship": aa}


def restore_features_and_languages() -> None:
    """Features and languages come from a data migration; an earlier live-server test's
    flush empties those tables, so put them back the way the migration does."""
    import importlib

    from django.apps import apps

    importlib.import_module("meetings.migrations.0002_features_and_languages").add(apps, None)
    importlib.import_module("meetings.migrations.0009_welsh_feature_and_language_names").add(
        apps, None)


_screenshots: list[Path] = []


@pytest.fixture(scope="session", autouse=True)
def screenshots_directory(tmp_path_factory) -> Path:
    """Where save_screenshot writes: docs/screenshots with SCREENSHOTS=docs, else a
    temporary directory of this run."""
    wanted = os.environ.get("SCREENSHOTS", "")
    if wanted not in ("", "docs"):
        raise pytest.UsageError(f"SCREENSHOTS={wanted!r}: set it to docs or leave it unset")
    directory = DOCS_SCREENSHOTS if wanted else tmp_path_factory.mktemp("screenshots")
    _screenshots[:] = [directory]
    return directory


def save_screenshot(page, name: str) -> Path:
    """A full-page PNG named name.png (see screenshots_directory for where)."""
    directory = _screenshots[0]
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
