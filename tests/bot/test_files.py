"""TelegramPhotos, the photo job's PhotoSource, against the Bot API at the HTTP seam: what it reads as a
photo, as gone for good (given up) and as a failure that may pass (tried again later)."""

import httpx
import pytest
import respx

from api.kernel.channels import Fetched, Unavailable
from bot.files import TelegramPhotos

API = "https://bot-api.test"
TOKEN = "123:ABC"
GET_FILE = f"{API}/bot{TOKEN}/getFile"
FILE = f"{API}/file/bot{TOKEN}/photos/file_7.jpg"
JPEG = b"\xff\xd8\xff\xe0" + b"x" * 500
WEBP = b"RIFF\x00\x00\x00\x00WEBPVP8 " + b"x" * 100


def _found(size: int) -> httpx.Response:
    return httpx.Response(200, json={"ok": True, "result": {"file_id": "f", "file_unique_id": "u", "file_size": size,
                                                            "file_path": "photos/file_7.jpg"}})


@pytest.mark.parametrize(("get_file", "download", "fetched"), [
    (_found(len(JPEG)), httpx.Response(200, content=JPEG, headers={"content-type": "application/octet-stream"}),
     Fetched(JPEG, "image/jpeg")),
    (_found(len(WEBP)), httpx.Response(200, content=WEBP), Fetched(WEBP, "image/webp")),
    (httpx.Response(400, json={"ok": False, "error_code": 400, "description": "Bad Request: invalid file_id"}),
     None, None),
    (_found(2_000_001), None, None),  # over the 2 MB limit: never downloaded
    (_found(0), httpx.Response(200, content=b"\xff\xd8\xff" + b"x" * 2_000_000), None),  # weighed once downloaded
    (_found(len(JPEG)), httpx.Response(404), None),
])
def test_a_photo_or_gone_for_good(get_file: httpx.Response, download: httpx.Response | None,
                                  fetched: Fetched | None) -> None:
    with respx.mock(assert_all_called=False) as router:
        router.post(GET_FILE).mock(return_value=get_file)
        downloaded = router.get(FILE).mock(return_value=download or httpx.Response(500))
        assert TelegramPhotos(TOKEN, API + "/", max_mb=2).fetch("f") == fetched
        assert downloaded.called == (download is not None)


@pytest.mark.parametrize(("get_file", "download"), [
    (httpx.Response(502, text="Bad Gateway"), None),
    (httpx.Response(429, json={"ok": False, "error_code": 429, "parameters": {"retry_after": 5}}), None),
    (httpx.Response(401, json={"ok": False, "error_code": 401, "description": "Unauthorized"}), None),  # a wrong token
    (httpx.ConnectError("down"), None),
    (_found(len(JPEG)), httpx.Response(503)),
    (_found(len(JPEG)), httpx.ReadTimeout("slow")),
])
def test_a_failure_that_may_pass_is_unavailable(get_file: httpx.Response | Exception,
                                                download: httpx.Response | Exception | None) -> None:
    with respx.mock(assert_all_called=False) as router:
        router.post(GET_FILE).mock(side_effect=[get_file])
        router.get(FILE).mock(side_effect=[download or httpx.Response(200, content=JPEG)])
        with pytest.raises(Unavailable):
            TelegramPhotos(TOKEN, API, max_mb=2).fetch("f")
