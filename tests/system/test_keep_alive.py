"""An idle connection stays open longer than clients reuse one, on the server and on the fake Bot API.

httpx reuses an idle connection for up to 5 s (nginx's upstream keepalive, 60 s); a server that
closes it at the same moment resets the request the client has just sent on it (an
httpx.ReadError under load in tests/system/test_two_processes.py, a 502 behind nginx).
"""

import re
import socket
import time
from pathlib import Path

import pytest

from bench.fake_telegram import FakeTelegramServer
from bench.processes import ServeProcess, free_port

pytestmark = pytest.mark.slow

IDLE_SECONDS = 6  # longer than httpx keeps an idle connection, and than uvicorn's default keep-alive


def _ask(sock: socket.socket, request: bytes) -> bytes:
    """Send a request and read its whole response (headers, then Content-Length bytes of body): a
    response's body may come in a packet of its own, and must not be left for the next read."""
    sock.sendall(request)
    answer = b""
    while b"\r\n\r\n" not in answer:
        chunk = sock.recv(65536)
        assert chunk, "the server closed the connection"
        answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    length = re.search(rb"(?im)^content-length:\s*(\d+)", head)
    while length is not None and len(body) < int(length.group(1)):
        chunk = sock.recv(65536)
        assert chunk, "the server closed the connection"
        body += chunk
    return head + b"\r\n\r\n" + body


def test_idle_connections_outlive_the_clients_reuse(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'k.db'}"
    with FakeTelegramServer(free_port()) as fake, \
            ServeProcess(database_url=database, telegram_url=fake.url, log=tmp_path / "serve.log") as serve:
        calls = [(fake.url, b"POST /bot1:FAKE/getMe HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"),
                 (serve.url, b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")]
        sockets = []
        for url, request in calls:
            host, port = url.removeprefix("http://").split(":")
            sock = socket.create_connection((host, int(port)), timeout=10)
            sockets.append(sock)
            assert _ask(sock, request).startswith(b"HTTP/1.1 200")
        time.sleep(IDLE_SECONDS)
        for sock, (_, request) in zip(sockets, calls, strict=True):
            assert _ask(sock, request).startswith(b"HTTP/1.1 200")  # the same connection, reused
            sock.close()
