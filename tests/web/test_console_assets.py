"""Every asset of the console's chart pages and of /docs is ours: no page names another origin, and
the scripts they load are served as JavaScript and cached; each chart has its data and its table."""

import json
import re
from datetime import date

import httpx
from sqlmodel import Session

from api.ballots.schedule import open_ballot
from api.barrios.models import Ejecutor
from api.kernel.types import utcnow
from api.programme.alliance_models import ActorIn, ActorKind, ContributionIn, ContributionKind
from api.programme.alliances import add_actor, add_contribution, link_actor
from tests.factories import (
    SMALL,
    TwoOrganisations,
    make_answers,
    make_ballot,
    make_member,
    make_rounds,
    make_survey,
    make_vote,
)

_REFERENCE = re.compile(r'\b(?:src|href|action)="([^"]*)"')


def _chart_pages(session: Session, world: TwoOrganisations) -> list[str]:
    """Each console page that draws charts, with something to draw."""
    survey = make_survey(session, world.ours, SMALL)
    for n, (color, edad) in enumerate([("rojo", 20), ("azul", 45), ("rojo", 70)]):
        make_answers(session, survey, make_member(session, world.ours, str(n)), {"color": color, "edad": edad})
    ballot = make_ballot(session, world.ours)
    open_ballot(session, ballot, utcnow())
    session.commit()
    make_vote(session, ballot, make_member(session, world.ours, "9"), (0,))
    make_rounds(session, world.ours)
    ejecutor = session.get(Ejecutor, world.ours.ejecutor_id)
    assert ejecutor is not None
    actor = add_actor(session, ejecutor, ActorIn(name="Municipalidad", kind=ActorKind.MUNICIPIO))
    link_actor(session, actor, world.ours, linked=True)
    add_contribution(session, world.ours, ContributionIn(actor_id=actor.id or 0, kind=ContributionKind.IN_KIND,
                                                         amount=400_000, on=date(2026, 12, 1)))
    barrio = world.ours.id
    return [f"/consola/encuestas/{survey.id}", f"/consola/encuestas/{survey.id}?por=color",
            f"/consola/votaciones/{ballot.id}", f"/consola/barrios/{barrio}/comparacion", "/consola/comparacion",
            f"/consola/barrios/{barrio}/alianzas", "/consola/alianzas"]


def _is_ours(reference: str) -> bool:
    """A path on this server (or a fragment, or this page with another query); never another origin."""
    return reference.startswith(("/", "#", "?")) and not reference.startswith("//")


async def test_chart_pages_and_the_docs_load_nothing_from_elsewhere(browser: httpx.AsyncClient, session: Session,
                                                                    world: TwoOrganisations) -> None:
    pages = _chart_pages(session, world)
    loaded: set[str] = set()
    for path in [*pages, "/docs"]:
        page = await browser.get(path)
        assert page.status_code == 200, path
        references = _REFERENCE.findall(page.text)
        assert references, path
        foreign = [reference for reference in references if not _is_ours(reference)]
        assert not foreign, f"{path} names another origin: {foreign}"
        assert "http" not in page.headers["content-security-policy"], path  # 'self' and hashes only
        loaded |= set(re.findall(r'<script src="([^"]+)"', page.text))
        loaded |= set(re.findall(r'<link rel="stylesheet" href="([^"]+)"', page.text))
    assert {"/consola/static/vendor/chartjs/chart.umd.js", "/consola/static/charts.js",
            "/consola/static/console.css"} <= loaded
    for asset in loaded:
        served = await browser.get(asset)
        assert served.status_code == 200 and len(served.content) > 1000, asset
        assert b"://cdn" not in served.content and b"googleapis" not in served.content, asset


async def test_each_chart_has_its_data_and_points_to_its_table(browser: httpx.AsyncClient, session: Session,
                                                               world: TwoOrganisations) -> None:
    for path in _chart_pages(session, world):
        html = (await browser.get(path)).text
        canvases = re.findall(r'<canvas id="([^"]+)" role="img" aria-details="([^"]+)"\s+aria-label="([^"]+)"', html)
        assert canvases, f"no chart on {path}"
        assert "<svg" not in html  # the hand-drawn charts are gone
        for canvas, table, label in canvases:
            island = re.search(rf'<script type="application/json" id="{canvas}-data" class="chart-data">(.*?)</script>',
                               html, re.S)
            assert island is not None, canvas
            spec = json.loads(island.group(1))
            assert spec["labels"] and all(len(s["values"]) == len(spec["labels"]) for s in spec["series"]), canvas
            assert f'id="{table}"' in html, f"{canvas} points to a table that is not on {path}"
            assert label.startswith("Gráfico: ") and "tabla" in label
        assert html.count('<script src="/consola/static/charts.js" defer></script>') == 1


async def test_the_chart_scripts_are_served_as_javascript_and_cached(browser: httpx.AsyncClient) -> None:
    for name, holds in (("vendor/chartjs/chart.umd.js", b"Chart.js v4.6.1"), ("charts.js", b"Chart.getChart")):
        served = await browser.get(f"/consola/static/{name}")
        assert served.status_code == 200 and holds in served.content
        assert served.headers["content-type"] == "text/javascript; charset=utf-8"
        assert served.headers["cache-control"] == "max-age=3600" and served.headers["etag"]
    for unknown in ("vendor/chartjs/LICENSE.md", "vendor/chartjs/README.txt", "../console.py", "vendor%2F..%2Fx"):
        assert (await browser.get(f"/consola/static/{unknown}")).status_code == 404, unknown
