"""manage.py import_meetings from an http(s) URL, against a real HTTP server on 127.0.0.1."""

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from groups.models import Group
from meetings.models import Meeting, Venue

DATA = Path(__file__).parent / "data"
NOT_A_FEED = b"<!doctype html><title>Meetings</title><p>Our meetings list has moved.</p>"


class FeedServer:
    """Serves tests/data/NAME at /NAME (and an HTML page at /page.html); 404 otherwise.
    Keeps the path and headers of every request it was sent."""

    def __init__(self):
        self.requests: list[tuple[str, dict[str, str]]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests.append((self.path, dict(self.headers.items())))
                name = self.path.lstrip("/")
                if name == "page.html":
                    self.answer(200, "text/html", NOT_A_FEED)
                elif "/" not in name and (DATA / name).is_file():
                    kind = "application/json" if name.endswith(".json") else "text/csv"
                    self.answer(200, kind, (DATA / name).read_bytes())
                else:
                    self.answer(404, "text/plain", b"Not found")

            def answer(self, status: int, kind: str, body: bytes):
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):  # keep the test output quiet
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, name: str) -> str:
        return f"{self.base}/{name}"


@pytest.fixture
def feed_server(monkeypatch):
    # Where an http_proxy is set (some CI machines), loopback must still be reached directly.
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    server = FeedServer()
    server.thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()
    server.thread.join(timeout=5)


def import_source(source: str, *args: str) -> str:
    out = StringIO()
    call_command("import_meetings", source, *args, stdout=out)
    return out.getvalue()


def unused_port() -> int:
    """A loopback port nothing listens on (bound for a moment, then let go)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def plain(obj, *relations: str) -> dict:
    """An object's own values, without its id and timestamps, with the named relations
    as their plain values in turn: comparable between two imports."""
    values = {
        field.attname: getattr(obj, field.attname)
        for field in obj._meta.concrete_fields
        if not field.is_relation and field.name not in ("id", "created", "updated")
    }
    for name in relations:
        related = getattr(obj, name)
        values[name] = plain(related) if related is not None else None
    return values


def landed() -> list[dict]:
    """Every meeting, venue and group in the database, as plain values (no ids)."""
    meetings = []
    for meeting in Meeting.objects.select_related("fellowship", "group", "venue").order_by(
        "source_id", "weekday", "start_time"
    ):
        values = plain(meeting, "group", "venue")
        # The values last imported name the venue and group by id, which differ between two
        # imports on PostgreSQL (a rolled-back insert still uses up its id): compared above.
        imported = dict(values["imported_values"])
        assert (imported.pop("venue_id"), imported.pop("group_id")) == (
            meeting.venue_id, meeting.group_id)
        values["imported_values"] = imported
        values["fellowship"] = meeting.fellowship.slug
        values["features"] = sorted(meeting.features.values_list("slug", flat=True))
        values["languages"] = sorted(meeting.languages.values_list("code", flat=True))
        meetings.append(values)
    venues = sorted((plain(venue) for venue in Venue.objects.all()), key=repr)
    groups = sorted((plain(group) for group in Group.objects.all()), key=repr)
    return [meetings, venues, groups]


def nothing_written() -> bool:
    return not (Meeting.objects.exists() or Venue.objects.exists() or Group.objects.exists())


# A feed at a URL lands as the same file does from disk ----------------------------------

@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("meeting-guide-small.json", ["--fellowship", "aa"]),
        ("tsml-small.csv", ["--format", "csv", "--fellowship", "aa"]),
    ],
)
def test_a_feed_at_a_url_lands_exactly_as_the_same_file_from_disk(
    fellowships, feed_server, name, args
):
    args = [*args, "--source-name", "small"]
    with transaction.atomic():
        from_disk = import_source(str(DATA / name), *args)
        on_disk = landed()
        transaction.set_rollback(True)
    assert nothing_written()

    from_url = import_source(feed_server.url(name), *args)
    assert landed() == on_disk
    assert on_disk[0], "the feed brought no meetings"
    assert from_url == from_disk  # the same report

    # A second run from the URL, or from disk, finds nothing to change.
    again = import_source(feed_server.url(name), *args)
    assert "0 meetings new, 0 changed" in again and "unchanged, 0 closed" in again
    import_source(str(DATA / name), *args)
    assert landed() == on_disk


def test_the_url_is_the_source_unless_a_source_name_is_given(fellowships, feed_server):
    url = feed_server.url("meeting-guide-small.json")
    import_source(url, "--fellowship", "aa")
    assert set(Meeting.objects.values_list("source", flat=True)) == {url}


def test_the_request_says_who_is_asking(fellowships, feed_server):
    import_source(feed_server.url("meeting-guide-small.json"), "--fellowship", "aa")
    [(path, headers)] = feed_server.requests
    assert path == "/meeting-guide-small.json"
    assert headers["User-Agent"] == "recovery-finder"


# Failures: a clear message, and nothing written -----------------------------------------

def test_a_url_that_answers_404_fails_clearly_and_writes_nothing(fellowships, feed_server):
    url = feed_server.url("no-such-feed.json")
    with pytest.raises(CommandError, match=r"404") as failure:
        import_source(url, "--fellowship", "aa")
    assert url in str(failure.value)
    assert [path for path, _ in feed_server.requests] == ["/no-such-feed.json"]
    assert nothing_written()


def test_a_url_nothing_listens_at_fails_clearly_and_writes_nothing(fellowships, monkeypatch):
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    url = f"http://127.0.0.1:{unused_port()}/feed.json"
    with pytest.raises(CommandError, match=r"(?i)refused") as failure:
        import_source(url, "--fellowship", "aa")
    assert url in str(failure.value)
    assert nothing_written()


def test_a_url_that_answers_with_a_web_page_fails_clearly_and_writes_nothing(
    fellowships, feed_server
):
    with pytest.raises(CommandError, match="Not a Meeting Guide JSON feed"):
        import_source(feed_server.url("page.html"), "--fellowship", "aa")
    assert nothing_written()
