"""Production gunicorn settings; every value can be overridden from the environment."""

import multiprocessing
import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
max_requests = 2000
max_requests_jitter = 200
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
