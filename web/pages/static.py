"""The console's own assets, served by us: nothing is fetched from a CDN.

Our stylesheet and chart script, and Chart.js as vendored in static/vendor/chartjs/ (its
README.txt says which version and how to update it). Only the files listed here are served;
each is cached an hour by the browser, then revalidated (FileResponse sends an ETag).
"""

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

from web.deps import PageNotFound

STATIC = Path(__file__).resolve().parent.parent / "static"
JAVASCRIPT = "text/javascript; charset=utf-8"
ASSETS = {
    "console.css": "text/css; charset=utf-8",
    "charts.js": JAVASCRIPT,
    "vendor/chartjs/chart.umd.js": JAVASCRIPT,
}

router = APIRouter()


@router.get("/static/{name:path}")
def asset(name: str) -> FileResponse:
    if name not in ASSETS:
        raise PageNotFound()
    return FileResponse(STATIC / name, media_type=ASSETS[name], headers={"Cache-Control": "max-age=3600"})
