"""Public pages answer GET and HEAD, and 405 to anything else; the JSON, CSV and calendar
endpoints answer their errors in JSON (503 while the database is down), never the HTML
error page."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from tests.factories import make_meeting

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["/", "/meetings/?near=LS6+1AA", "/meetings/print/?near=LS6+1AA",
         "/meetings/map/?near=LS6+1AA", "/embed/meetings/", "/partners/", "/fellowships/",
         "/fellowships/aa/", "/guides/", "/privacy/", "/healthz"]
MACHINE = ["/meetings.json", "/meetings.csv", "/meetings.ics", "/api/meeting-guide.json"]


@pytest.fixture
def strict_client():
    """As production: the CSRF check on, so a POST meets it first."""
    return Client(enforce_csrf_checks=True)


@pytest.mark.parametrize("path", PAGES + MACHINE)
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "trace"])
def test_other_methods_get_405_and_not_the_page(strict_client, fellowships, path, method):
    if method == "trace":
        response = strict_client.generic("TRACE", path)
    else:
        response = getattr(strict_client, method)(path)
    assert response.status_code == 405
    assert "GET" in response["Allow"] and "HEAD" in response["Allow"]
    assert b"meeting" not in response.content.lower() or path in MACHINE


@pytest.mark.parametrize("path", PAGES)
def test_pages_answer_get_and_head(client, fellowships, path):
    assert client.get(path).status_code == 200
    assert client.head(path).status_code == 200


@pytest.mark.parametrize("path", MACHINE)
def test_machine_endpoints_answer_a_cross_origin_preflight(client, path):
    response = client.options(path, HTTP_ORIGIN="https://gp.example",
                              HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET")
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response["Access-Control-Allow-Methods"]


@pytest.mark.parametrize("path", MACHINE)
def test_machine_endpoints_refuse_other_methods_in_json(strict_client, path):
    response = strict_client.post(path)
    assert response.status_code == 405
    assert response["Content-Type"] == "application/json"
    assert "GET" in json.loads(response.content)["error"]


def test_an_unknown_meeting_calendar_is_a_json_404(client, db):
    response = client.get("/meetings/no-such-meeting.ics")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content)["error"]


def test_a_known_meeting_calendar_still_answers(client, db):
    meeting = make_meeting()
    assert client.get(f"/meetings/{meeting.slug}.ics").status_code == 200


DATABASE_DOWN = """
import json, django
django.setup()
from django.test import Client
client = Client(HTTP_HOST="localhost")
out = {}
for path in %r:
    response = client.get(path)
    out[path] = [response.status_code, response["Content-Type"],
                 response.get("Retry-After"), json.loads(response.content)]
print(json.dumps(out))
"""


def test_machine_endpoints_answer_503_in_json_while_the_database_is_down():
    """A real server process whose database refuses connections (a closed port)."""
    paths = [*MACHINE, "/meetings/some-meeting.ics"]
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "recovery_finder.settings", "DEBUG": "0",
        "SECRET_KEY": "test-only", "DATABASE_URL": "postgres://postgres@127.0.0.1:9/nothing",
        "LOG_LEVEL": "CRITICAL",
    }
    env.pop("CACHE_URL", None)
    result = subprocess.run([sys.executable, "-c", DATABASE_DOWN % paths], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120, check=True)
    answers = json.loads(result.stdout.strip().splitlines()[-1])
    for path in paths:
        status, content_type, retry_after, body = answers[path]
        assert (status, content_type) == (503, "application/json"), path
        assert retry_after and "try again" in body["error"]
