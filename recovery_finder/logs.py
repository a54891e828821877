import logging


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
