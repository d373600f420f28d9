"""A minimal keep-alive HTTP/1.1 JSON poster for the load generator.

httpx spends more CPU per request than the servers under test do; on a 2-core machine
the generator would then measure itself. This client does only what the benchmark
needs: POST a JSON body on a persistent connection and read the status line and body.
"""

import asyncio
import json
from typing import Any


class Connection:
    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post_json(self, path: str, body: Any, headers: dict[str, str]) -> tuple[int, bytes]:
        """POST `body` as JSON; returns the status code and body (reconnects once if the server closed)."""
        payload = json.dumps(body).encode()
        head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        request = (f"POST {path} HTTP/1.1\r\nHost: {self.host}\r\nContent-Type: application/json\r\n"
                   f"Content-Length: {len(payload)}\r\n{head}\r\n").encode() + payload
        for attempt in range(2):
            try:
                if self.writer is None:
                    self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
                self.writer.write(request)
                return await self._response()
            except (ConnectionError, asyncio.IncompleteReadError):
                await self.close()
                if attempt:
                    raise
        raise AssertionError("unreachable")

    async def _response(self) -> tuple[int, bytes]:
        assert self.reader is not None
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionError("closed")
        status = int(status_line.split()[1])
        length, chunked = 0, False
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode().partition(":")
            if name.lower() == "content-length":
                length = int(value)
            elif name.lower() == "transfer-encoding" and "chunked" in value:
                chunked = True
        content = b""
        if chunked:
            while (size := int((await self.reader.readline()).strip() or b"0", 16)) > 0:
                content += (await self.reader.readexactly(size + 2))[:-2]
            await self.reader.readline()
        elif length:
            content = await self.reader.readexactly(length)
        return status, content

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.reader = self.writer = None
