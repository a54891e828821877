"""/healthz tells a load balancer or Docker whether this host can serve pages."""

import pytest
from django.db import connection


@pytest.mark.django_db
def test_healthz_says_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor == "sqlite", reason="an in-memory SQLite database cannot be disconnected"
)
def test_healthz_says_unavailable_when_the_database_does_not(client, monkeypatch):
    # A real failure: the connection is pointed at a database that does not exist.
    connection.close()
    monkeypatch.setitem(connection.settings_dict, "NAME", "no_such_database_here")
    try:
        response = client.get("/healthz")
    finally:
        connection.close()
    assert response.status_code == 503
