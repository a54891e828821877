import logging
import re


class DropQueryString(logging.Filter):
    """Strip query strings from request log lines: searched postcodes are private."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and record.args:
            first = record.args[0]
            if isinstance(first, str) and "?" in first:
                method_path, _, rest = first.partition("?")
                protocol = rest.rsplit(" ", 1)[-1] if " " in rest else ""
                record.args = (f"{method_path} {protocol}".strip(), *record.args[1:])
        return True


# Gunicorn writes some lines before Django sees the request: "Invalid request from
# ip=203.0.113.7: Invalid HTTP request line: 'GET /meetings/?near=LS6+1AA ...'" and
# "Error handling request /meetings/?near=...". Who asked, and what, stays out of them.
_CLIENT = re.compile(r" from ip=\S+?(?=:? )")
_IPV4 = re.compile(r"(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?![\w.])")
_IPV6 = re.compile(r"(?<![\w:])(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}(?![\w:])"
                   r"|(?<![\w:])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4})*::[0-9A-Fa-f:.]*(?![\w:])")
_QUERY = re.compile(r"(?<=\S)\?[^\s'\"]+")


class PrivateServerLines(logging.Filter):
    """Client addresses and query strings out of every line of gunicorn's logs."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if message.startswith(("Listening at:", "Current configuration:")):
            return True  # the server's own addresses, which the operator needs to see
        private = _QUERY.sub("", _IPV6.sub("-", _IPV4.sub("-", _CLIENT.sub("", message))))
        if private != message:
            record.msg, record.args = private, ()
        return True
