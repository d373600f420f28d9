"""The console's own assets (one stylesheet), served by us: nothing is fetched from a CDN."""

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

from web.deps import PageNotFound

STATIC = Path(__file__).resolve().parent.parent / "static"
ASSETS = {"console.css": "text/css"}

router = APIRouter()


@router.get("/static/{name}")
def asset(name: str) -> FileResponse:
    if name not in ASSETS:
        raise PageNotFound()
    return FileResponse(STATIC / name, media_type=ASSETS[name], headers={"Cache-Control": "max-age=3600"})
