"""Runs the README's shell blocks in a checkout, as a newcomer types them, and prints what happened.

    unshare -n python readme_commands.py CHECKOUT STEPS.json

Run by tests/system/test_readme.py inside a network namespace of its own, so that the
servers the README starts on 127.0.0.1:8000 meet no other process's port. STEPS.json holds
the blocks, chosen by the test; each runs in bash exactly as written, from the checkout,
in the README's order:

- `serve`: install and `serve --demo` (in the background, until /health answers);
- `chat`: the console chat, `<JOIN CODE>` being the code `serve` printed;
- then the demo server is stopped, as "Using the API" asks, and `api` runs: its segments
  (the block cut after each `# -> ...` line), the second with `al_...` being the
  ejecutor's token the first printed; the server its first segment starts keeps running;
- `backup`: the SQLite backup command, while that server runs;
- `bench`: benchmark command lines, each with the tiny sizes its block says to append.

Prints one JSON object with what each step printed and how it ended.
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


def _until_listening(alive, log: Path, deadline: float) -> None:
    while time.monotonic() < deadline and alive():
        try:
            _status("/health")
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server did not answer /health:\n{log.read_text()}")


def _stop(block: subprocess.Popen[str]) -> None:
    """SIGTERM to a block's process group (its bash and what that started in the background), until it is gone."""
    try:
        os.killpg(block.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + 20
    block.wait(timeout=20)
    while time.monotonic() < deadline:
        try:
            os.killpg(block.pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    raise SystemExit(f"{block.args} still runs 20 s after SIGTERM")


def _json_line(text: str) -> dict:
    """The last line of a segment's output that is a JSON object (the server logs around it)."""
    for line in reversed(text.splitlines()):
        if line.startswith('{"'):  # curl prints no newline: a log line may follow on the same line
            return json.JSONDecoder().raw_decode(line)[0]
    raise SystemExit(f"no JSON object printed:\n{text}")


def _segment(checkout: Path, script: str, name: str, groups: list[subprocess.Popen[str]]) -> str:
    """Runs one piece of a block in bash; what it leaves in the background stays in its group."""
    out = checkout / f"{name}.out"
    with out.open("w") as sink:
        shell = subprocess.Popen(["bash", "-c", script], cwd=checkout, stdout=sink, stderr=subprocess.STDOUT,
                                 text=True, start_new_session=True)
        groups.append(shell)
        returncode = shell.wait(timeout=90)
    printed = out.read_text()
    if returncode != 0:
        raise SystemExit(f"{name} exited {returncode}:\n{printed}")
    return printed


def main() -> None:
    checkout = Path(sys.argv[1])
    steps = json.loads(Path(sys.argv[2]).read_text())
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)  # a new namespace's loopback starts down
    ran: dict = {"seconds": {}}
    groups: list[subprocess.Popen[str]] = []
    started = time.monotonic()

    def lap(step: str) -> None:
        nonlocal started
        ran["seconds"][step] = round(time.monotonic() - started, 1)
        started = time.monotonic()

    try:
        log = checkout / "serve.log"
        with log.open("w") as out:
            server = subprocess.Popen(["bash", "-c", steps["serve"]], cwd=checkout, stdout=out,
                                      stderr=subprocess.STDOUT, text=True, start_new_session=True)
        groups.append(server)
        _until_listening(lambda: server.poll() is None, log, time.monotonic() + 150)
        lap("install and serve --demo")
        printed = log.read_text()
        code = re.search(r"join code: (\w+)", printed)
        token = re.search(r"API token: (\S+)", printed)
        if code is None or token is None:
            raise SystemExit(f"no join code or token printed:\n{printed}")
        transcript = subprocess.run(["bash", "-c", steps["chat"].replace("<JOIN CODE>", code.group(1))],
                                    cwd=checkout, input="1\n1\n/q\n", capture_output=True, text=True, timeout=60)
        ran |= {"printed": printed, "health": _status("/health"), "me": _status("/api/me", token.group(1)),
                "chat": transcript.stdout + transcript.stderr, "chat_exit": transcript.returncode}

        lap("chat")
        _stop(server)  # "stop any server on :8000 first"
        lap("stop the demo server")
        created, barrio = steps["api"]
        ejecutor = _json_line(_segment(checkout, created, "api-ejecutor", groups))
        ran["ejecutor"] = ejecutor
        ran["barrio"] = _json_line(_segment(checkout, barrio.replace("al_...", ejecutor["token"]),
                                            "api-barrio", groups))
        lap("Using the API")

        ran["backup"] = _segment(checkout, steps["backup"], "backup", groups)
        lap("SQLite backup")
        ran["bench"] = [_segment(checkout, line, f"bench-{number}", groups)
                        for number, line in enumerate(steps["bench"])]
        lap("quick benchmarks")
    finally:
        for group in groups:
            try:
                _stop(group)
            except (SystemExit, subprocess.TimeoutExpired) as error:  # still stop the others
                print(error, file=sys.stderr)
    lap("stop the API's server")
    print(json.dumps(ran))


if __name__ == "__main__":
    main()
