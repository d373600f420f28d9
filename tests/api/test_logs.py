"""LOG_FORMAT=json: one JSON object per line, with only the fields the service chooses to log."""

import json
import logging

import pytest

from api.kernel.logs import configure_logging


def test_json_lines_carry_the_event_fields_and_nothing_else(capsys: pytest.CaptureFixture[str]) -> None:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        configure_logging("json")
        logging.getLogger("api.chat.service").info(
            "chat event text ok", extra={"update_id": 7, "member": "m1a2b3", "kind": "text", "chat_id": "555",
                                         "text": "mi dirección es..."})
        try:
            raise ValueError("boom")
        except ValueError:
            logging.getLogger("bot.application").exception("update %s failed", 8)
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    assert lines[0]["update_id"] == 7 and lines[0]["member"] == "m1a2b3" and lines[0]["level"] == "INFO"
    assert "chat_id" not in lines[0] and "text" not in lines[0] and "555" not in json.dumps(lines[0])
    assert lines[1]["message"] == "update 8 failed" and "ValueError: boom" in lines[1]["error"]
