"""gunicorn.conf.py: neither log names the client or what it searched for."""

import logging
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from recovery_finder.logs import PrivateServerLines

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def send(port: int, raw: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(raw)
        return sock.recv(65536)


@pytest.fixture
def gunicorn(tmp_path):
    port = free_port()
    env = os.environ | {"PORT": str(port), "WEB_CONCURRENCY": "1", "LOG_LEVEL": "INFO",
                        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
                        "SECRET_KEY": "tests-only-not-secret", "DEBUG": ""}
    out, err = tmp_path / "access.log", tmp_path / "error.log"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        server = subprocess.Popen(
            [str(GUNICORN), "recovery_finder.wsgi:application", "--config", "gunicorn.conf.py",
             "--bind", f"127.0.0.1:{port}"],
            cwd=ROOT, env=env, stdout=stdout, stderr=stderr)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        yield port, out, err
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)


def test_gunicorn_logs_no_client_address_and_no_query_string(gunicorn):
    port, access_log, error_log = gunicorn
    reply = send(port, b"GET /meetings/?near=LS6+1AA HTTP/1.1 extra\r\nHost: localhost\r\n\r\n")
    assert reply.startswith(b"HTTP/1.1 400")
    reply = send(port, b"GET /healthz?near=LS6+1AA HTTP/1.1\r\nHost: localhost\r\n"
                       b"Connection: close\r\n\r\n")
    assert reply.startswith(b"HTTP/1.1 ")
    time.sleep(0.5)  # let the worker write its lines
    logs = access_log.read_text() + error_log.read_text()
    assert "[WARNING] Invalid request: Invalid HTTP Version: 'HTTP/1.1 extra'" in logs
    assert '"GET /healthz HTTP/1.1" 200' in logs
    # The server's own address is said once, at start-up; no client's ever.
    server = f"127.0.0.1:{port}"
    assert "127.0.0.1" not in logs.replace(server, "")
    assert "LS6" not in logs and "near=" not in logs


@pytest.mark.parametrize(("message", "args", "written"), [
    ("Invalid request from ip=203.0.113.7: Invalid HTTP request line: %r",
     ("GET /meetings/?near=LS6+1AA HTTP/1.1 x",),
     "Invalid request: Invalid HTTP request line: 'GET /meetings/ HTTP/1.1 x'"),
    ("Invalid request from ip=2001:db8::7: Invalid HTTP Version %r", ("HTTP/9",),
     "Invalid request: Invalid HTTP Version 'HTTP/9'"),
    ("Error handling request %s", ("/meetings/?near=LS6%201AA&within=5",),
     "Error handling request /meetings/"),
    ("Worker (pid:%s) was sent SIGKILL! Perhaps out of memory?", (123,),
     "Worker (pid:123) was sent SIGKILL! Perhaps out of memory?"),
])
def test_the_filter_takes_out_addresses_and_query_strings(message, args, written):
    record = logging.LogRecord("gunicorn.error", logging.WARNING, "", 0, message, args, None)
    assert PrivateServerLines().filter(record)
    assert record.getMessage() == written
