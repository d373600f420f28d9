"""Logging for the process: readable lines by default, one JSON object per line with LOG_FORMAT=json.

A chat event is logged with its update id and the member's pseudonym (`extra=`), never
the chat id or what the person wrote; only the fields named in FIELDS leave the record,
so nothing else attached to a record reaches the log by accident.
"""

import json
import logging
from datetime import UTC, datetime

FIELDS = ("update_id", "member", "kind", "outcome", "ms", "barrio_id", "ballot_id")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                line[name] = value
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def configure_logging(log_format: str = "text", level: int = logging.INFO) -> None:
    """The root logger's one handler, in the chosen format; libraries' chatter kept to warnings."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if log_format == "json" else logging.Formatter(TEXT_FORMAT))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for noisy in ("httpx", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
