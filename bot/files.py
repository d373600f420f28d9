"""Photos fetched from Telegram when an ejecutor downloads one: getFile, then the file itself.

The database keeps only a photo's file_id; this is the `PhotoSource` (api/surveys/photos.py)
the composition root wires when the bot runs.
"""

import logging

import httpx

from conversations.surveys.typed import MAX_PHOTO_MB

log = logging.getLogger(__name__)


class TelegramPhotos:
    def __init__(self, token: str, api_url: str = "https://api.telegram.org") -> None:
        self.token, self.api_url = token, api_url.rstrip("/")

    def fetch(self, reference: str) -> bytes | None:
        """The photo's bytes, or None when Telegram no longer has it or it is larger than a chat photo may be."""
        try:
            found = httpx.post(f"{self.api_url}/bot{self.token}/getFile", data={"file_id": reference}, timeout=10)
            body = found.json()
            result = body.get("result") or {}
            if not body.get("ok") or not result.get("file_path") or (result.get("file_size") or 0) > MAX_PHOTO_MB * 1e6:
                return None
            photo = httpx.get(f"{self.api_url}/file/bot{self.token}/{result['file_path']}", timeout=30)
            photo.raise_for_status()
        except (httpx.HTTPError, ValueError) as error:
            log.warning("a photo could not be fetched from Telegram: %s", type(error).__name__)
            return None
        return photo.content
