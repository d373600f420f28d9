"""The barrio's page warns staff 30 days before its personal links are cut, on the day the phases give."""

from datetime import timedelta

import httpx
from sqlmodel import Session

from api.kernel.types import utcnow
from api.programme.models import PhaseDates
from api.programme.timeline import set_phase_dates, start_programme
from conversations.programme.phases import Phase, add_months
from tests.factories import TwoOrganisations


async def test_the_barrio_page_warns_when_the_last_phase_ended_almost_six_months_ago(
        browser: httpx.AsyncClient, session: Session, world: TwoOrganisations) -> None:
    barrio, url = world.ours, f"/consola/barrios/{world.ours.id}"
    started = add_months(utcnow().date(), -30)
    start_programme(session, barrio, started)  # Fase V ended 2 months ago: the cut is 4 months away
    assert 'id="retencion"' not in (await browser.get(url)).text
    ends = add_months(utcnow().date(), -6) + timedelta(days=20)
    set_phase_dates(session, barrio, Phase.FASE_5, PhaseDates(starts_on=started, ends_on=ends))
    page = (await browser.get(url)).text
    cut = add_months(ends, 6)
    assert 'id="retencion"' in page and f"El {cut:%d-%m-%Y} se cortan para siempre" in page
