"""The first page: the organisation's barrios as cards."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.kernel.deps import SessionDep
from api.staff.overview import barrio_cards
from conversations.kernel.i18n import Translator
from web.deps import StaffDep
from web.templating import language, render

router = APIRouter()


@router.get("", response_class=HTMLResponse)
def overview(request: Request, staff: StaffDep, session: SessionDep) -> HTMLResponse:
    cards = barrio_cards(session, staff.ejecutor.id or 0)
    # Each barrio's next assembly in the barrio's own time zone.
    when = {card.id: Translator(language(request), card.timezone).datetime(card.next_convocatoria_at)
            for card in cards if card.next_convocatoria_at is not None}
    return render(request, "overview.html", staff=staff, cards=cards, when=when)
