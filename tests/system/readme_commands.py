"""Runs the README's first commands in a checkout, as a newcomer types them, and prints what happened.

    unshare -n python readme_commands.py CHECKOUT BLOCKS.json

Run by tests/system/test_readme.py inside a network namespace of its own, so that the
server the README starts on 127.0.0.1:8000 meets no other process's port. Each block
runs in bash exactly as written, from the checkout; `<JOIN CODE>` is the code the
first block printed. Prints one JSON object: the server's output, /health's status,
/api/me's status with the printed token, and the chat's transcript.
"""

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

BASE = "http://127.0.0.1:8000"


def _status(path: str, token: str | None = None) -> int:
    request = urllib.request.Request(BASE + path, headers={"Authorization": f"Bearer {token}"} if token else {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _until_listening(server: subprocess.Popen[str], log: Path, deadline: float) -> None:
    while time.monotonic() < deadline and server.poll() is None:
        try:
            _status("/health")
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server did not answer /health:\n{log.read_text()}")


def main() -> None:
    checkout, serve, chat = Path(sys.argv[1]), *json.loads(Path(sys.argv[2]).read_text())
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)  # a new namespace's loopback starts down
    log = checkout / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen(["bash", "-c", serve], cwd=checkout, stdout=out, stderr=subprocess.STDOUT,
                                  text=True, start_new_session=True)
    try:
        _until_listening(server, log, time.monotonic() + 150)
        printed = log.read_text()
        code = re.search(r"join code: (\w+)", printed)
        token = re.search(r"API token: (\S+)", printed)
        if code is None or token is None:
            raise SystemExit(f"no join code or token printed:\n{printed}")
        transcript = subprocess.run(["bash", "-c", chat.replace("<JOIN CODE>", code.group(1))], cwd=checkout,
                                    input="1\n1\n/q\n", capture_output=True, text=True, timeout=60)
        print(json.dumps({"printed": printed, "health": _status("/health"), "me": _status("/api/me", token.group(1)),
                          "chat": transcript.stdout + transcript.stderr, "chat_exit": transcript.returncode}))
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=20)


if __name__ == "__main__":
    main()
