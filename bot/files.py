"""Photos fetched from Telegram: getFile, then the file itself, against the configured Bot API URL.

This is the `PhotoSource` (api/kernel/channels.py) the composition root wires when the bot runs:
the surveys' photo job copies each photo through it, and a download of a photo not copied yet
fetches it through it at that moment.
"""

import logging

import httpx

from api.kernel.channels import Fetched, Unavailable

log = logging.getLogger(__name__)

_SIGNATURES = ((b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png"), (b"GIF8", "image/gif"))


class TelegramPhotos:
    def __init__(self, token: str, api_url: str = "https://api.telegram.org", max_mb: float = 10.0) -> None:
        self.token, self.api_url, self.max_bytes = token, api_url.rstrip("/"), int(max_mb * 1_000_000)

    def fetch(self, reference: str) -> Fetched | None:
        """The photo, or None when Telegram no longer has it or it weighs more than the limit; Unavailable when
        Telegram cannot be reached, asks to wait or refuses the bot (a later try, or a fixed token, may work)."""
        try:
            found = httpx.post(f"{self.api_url}/bot{self.token}/getFile", data={"file_id": reference}, timeout=10)
            if found.status_code == 400:  # "invalid file_id", "file is too big": for good
                return None
            body = found.json() if found.status_code == 200 else {}
            result = body.get("result") or {}
            if not body.get("ok") or not result.get("file_path"):  # a wrong token or URL, 429, 5xx: may pass
                raise Unavailable(f"getFile answered {found.status_code}")
            if (result.get("file_size") or 0) > self.max_bytes:
                return None
            photo = httpx.get(f"{self.api_url}/file/bot{self.token}/{result['file_path']}", timeout=30)
        except (httpx.HTTPError, ValueError) as error:
            log.warning("a photo could not be fetched from Telegram: %s", type(error).__name__)
            raise Unavailable(type(error).__name__) from error
        if photo.status_code == 404:  # getFile just named it, yet it is gone
            return None
        if photo.status_code != 200:
            raise Unavailable(f"the file download answered {photo.status_code}")
        if len(photo.content) > self.max_bytes:
            return None
        return Fetched(photo.content, content_type(photo.content, photo.headers.get("content-type", "")))


def content_type(content: bytes, said: str) -> str:
    """What the bytes are, read from their first bytes (Telegram's file server often says only octet-stream)."""
    for signature, kind in _SIGNATURES:
        if content.startswith(signature):
            return kind
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    said = said.split(";")[0].strip()
    return said if said.startswith("image/") else "application/octet-stream"
