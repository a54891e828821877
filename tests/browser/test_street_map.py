"""The street map a visitor may ask for when MAP_TILES_URL is set, against a small tile
server started by the test: tiles come only from it, only once asked, and Leaflet from
our own static files."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

pytestmark = pytest.mark.browser

# The smallest valid PNG (one white pixel), served for every tile.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63f8ffff3f0005fe02fea7d6a4a30000000049454e44ae426082"
)


@pytest.fixture
def tile_server():
    asked: list[str] = []

    class Tiles(BaseHTTPRequestHandler):
        def do_GET(self):
            asked.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(PNG)))
            self.end_headers()
            self.wfile.write(PNG)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 8261), Tiles)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield "http://127.0.0.1:8261", asked
    server.shutdown()
    server.server_close()


def test_tiles_load_only_when_the_visitor_asks(site, browser_page, tile_server, settings):
    origin, asked = tile_server
    settings.MAP_TILES_URL = origin + "/{z}/{x}/{y}.png"
    settings.MAP_TILES_ATTRIBUTION = "Test tiles"
    page = browser_page

    page.goto(site["url"] + "/meetings/map/?near=LS6+1AA&within=5")
    assert asked == []
    assert all(u.startswith(site["url"] + "/") for u in page.requested_urls)

    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))  # uncaught in our script
    page.get_by_role("link", name="Show a street map instead").click()
    page.wait_for_selector(".leaflet-tile-loaded")
    assert errors == []
    assert asked and all(path.endswith(".png") for path in asked)
    others = [u for u in page.requested_urls if not u.startswith(site["url"] + "/")]
    assert others and all(u.startswith(origin + "/") for u in others)
    # Leaflet itself came from our static files.
    assert any("/static/vendor/leaflet/leaflet." in u for u in page.requested_urls)
    assert page.console_errors == []  # no Content-Security-Policy refusal
    # A venue marker has an accessible name, is in the tab order, and opens its meeting.
    marker = page.locator(".street-map__marker").first
    assert marker.get_attribute("aria-label").startswith("1: ")
    assert marker.get_attribute("tabindex") == "0"
    marker.click()
    page.wait_for_url("**" + site["meeting"].get_absolute_url())
