"""The barrio's own console page shows the programme's timeline as a chart with today marked, once the
programme has dates (the same chart as the programme's page)."""

import re

import httpx
from sqlmodel import Session

from api.programme.timeline import barrio_today, start_programme
from conversations.programme.phases import add_months
from tests.factories import TwoOrganisations


async def test_the_barrio_page_charts_the_phases_with_today_marked(browser: httpx.AsyncClient, session: Session,
                                                                   world: TwoOrganisations) -> None:
    page = f"/consola/barrios/{world.ours.id}"
    assert 'class="timeline"' not in (await browser.get(page)).text  # no dates yet: no chart
    today = barrio_today(world.ours)
    start_programme(session, world.ours, add_months(today, -4))
    html = (await browser.get(page)).text
    bars = {phase: (float(x), float(x) + float(width)) for phase, x, width in re.findall(
        r'data-phase="(\w+)">.*?<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"', html, flags=re.S)}
    assert set(bars) == {"fase_1", "fase_2", "fase_3", "fase_4", "fase_5"}
    today_x = float(re.search(r'class="today" data-x="([\d.]+)"', html).group(1))  # type: ignore[union-attr]
    assert bars["fase_2"][0] < today_x < bars["fase_2"][1] and today_x < bars["fase_3"][0]
    assert 'class="phase active" data-phase="fase_2"' in html and f"Hoy {today.strftime('%d-%m-%Y')}" in html
