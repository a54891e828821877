"""In a real browser: another site can frame the embed, and no other page of ours."""

import http.server
import threading

import pytest

from meetings.models import Weekday
from tests.factories import make_meeting

pytestmark = pytest.mark.browser

PARTNER_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>A GP surgery</title></head>
<body>
  <h1>Support groups</h1>
  <iframe id="embed" title="Meetings" src="{base}/embed/meetings/?fellowship=aa"
          width="600" height="400"></iframe>
  <iframe id="page" title="Search page" src="{base}/meetings/?fellowship=aa"
          width="600" height="400"></iframe>
</body></html>
"""


@pytest.fixture
def partner_site(live_server):
    """A page on a second origin (another port) that frames our embed and our search page."""
    html = PARTNER_PAGE.format(base=live_server.url).encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(html)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture
def chromium_page():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox"]
        )
        page = browser.new_page()
        yield page
        browser.close()


@pytest.fixture
def meetings(transactional_db):
    from django.core.management import call_command

    from groups.models import Fellowship

    call_command("loaddata", "fellowships", verbosity=0)
    make_meeting(fellowship=Fellowship.objects.get(slug="aa"), name="Leeds Tuesday",
                 weekday=Weekday.TUESDAY)


def frame_text(page, frame_id: str) -> str:
    frame = page.query_selector(f"#{frame_id}").content_frame()
    if frame is None or frame.url.startswith("chrome-error:"):
        return ""
    return frame.evaluate("() => document.body ? document.body.innerText : ''")


def test_embed_loads_inside_another_sites_frame_and_the_search_page_does_not(
    meetings, partner_site, chromium_page, live_server
):
    chromium_page.goto(partner_site)
    embed = chromium_page.frame_locator("#embed")
    embed.locator("text=Leeds Tuesday").wait_for(timeout=10_000)
    assert "Leeds Tuesday" in frame_text(chromium_page, "embed")
    chromium_page.wait_for_load_state("load")  # both frames have finished, one way or another
    refused = chromium_page.query_selector("#page").content_frame()
    # Chromium replaces a frame it refuses with its own error page.
    assert refused.url.startswith("chrome-error:")
    assert "Leeds Tuesday" not in frame_text(chromium_page, "page")


def test_embed_links_open_in_a_new_tab(meetings, partner_site, chromium_page):
    chromium_page.goto(partner_site)
    link = chromium_page.frame_locator("#embed").locator("a", has_text="Leeds Tuesday")
    with chromium_page.context.expect_page() as new_tab:
        link.click()
    assert "/meetings/" in new_tab.value.url
    assert chromium_page.url == partner_site
