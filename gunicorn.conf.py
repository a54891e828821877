"""Production gunicorn settings; every value can be overridden from the environment."""

import gc
import multiprocessing
import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# Eight, so that feed requests waiting for their turn (meetings/feed_turns.py) leave
# threads for pages.
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# The app is imported once, in the master, and each worker is forked from it: a new
# worker starts in milliseconds, sharing the master's memory copy-on-write, instead of
# importing Django and the project again (about 0.5 s of CPU). A deployment starts new
# processes (a new container), so nothing relies on reloading code with HUP.
preload_app = os.environ.get("GUNICORN_PRELOAD", "on").lower() not in {"0", "off", "false", "no"}
# What the master has loaded (Django and the project, some 80,000 objects) lives as long
# as the worker: frozen before each fork (the gc module's advice for fork without exec),
# it is left out of the workers' garbage collections, which then walk only what requests
# make, and the pages holding it stay shared with the master.
def pre_fork(server, worker):
    gc.freeze()


def when_ready(server):
    if preload_app:
        # Django imports the URLconf, and with it every view, on a process's first
        # request: done here once, each worker is forked with it rather than paying for
        # it (and the first feed or page it serves being slower) on its own.
        from django.urls import resolve

        resolve("/")


# Workers are recycled after this many requests (spread by a tenth, so they do not all
# restart at once), as a guard against a slow leak: their memory stays flat under load
# (docs/benchmarks.md, "Throughput"). Every 2,000 cost a fifth to a third of the
# static ceiling.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "50000"))
max_requests_jitter = max_requests // 10
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
# %(U)s is the path without its query string, and no client address: searched
# postcodes and who searched never reach the logs.
access_log_format = '"%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
# Gunicorn's own error lines name the client ("Invalid request from ip=...") and the
# whole request line: both logs go through a filter that takes addresses and query
# strings out (recovery_finder/logs.py). Otherwise gunicorn's default layout.
_private = {"filters": ["private"], "formatter": "generic", "class": "logging.StreamHandler"}
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"private": {"()": "recovery_finder.logs.PrivateServerLines"}},
    "formatters": {"generic": {
        "format": "%(asctime)s [%(process)d] [%(levelname)s] %(message)s",
        "datefmt": "[%Y-%m-%d %H:%M:%S %z]",
    }},
    "handlers": {  # gunicorn's names: its defaults send the root logger to "console"
        "console": {**_private, "stream": "ext://sys.stdout"},
        "error_console": {**_private, "stream": "ext://sys.stderr"},
    },
    "root": {"level": "INFO", "handlers": ["console"]},
    "loggers": {
        "gunicorn.error": {"level": os.environ.get("LOG_LEVEL", "INFO"),
                           "handlers": ["error_console"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["console"], "propagate": False},
    },
}
