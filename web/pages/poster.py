"""A printable A4 poster with the barrio's join (or grupo motor) link as a QR code, for the inserción territorial."""

import segno
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from api.barrios.models import Barrio
from api.barrios.store import deep_link
from api.kernel.deps import BotUsername, Id, SessionDep
from conversations.kernel.i18n import LANGUAGE_NAMES, Translator
from web.deps import StaffDep
from web.pages.owned import page_of
from web.templating import render

router = APIRouter()


def qr_svg(link: str) -> Markup:
    """The link as an inline SVG QR code (error correction Q: still readable on a creased, taped-up poster)."""
    # With a viewBox and no fixed size, the stylesheet sizes it (70 mm on paper) without clipping the quiet zone.
    svg = segno.make(link, error="q").svg_inline(border=4, dark="#000", light="#fff", omitsize=True)
    return Markup(svg)  # segno writes the SVG itself; nothing of the user's is in it but the encoded link


@router.get("/barrios/{barrio_id}/afiche", response_class=HTMLResponse)
def poster(request: Request, barrio_id: Id, staff: StaffDep, session: SessionDep, bot: BotUsername,
           codigo: str = "join") -> HTMLResponse:
    barrio = page_of(session, staff, Barrio, barrio_id)
    motor = codigo == "motor"
    code = barrio.motor_code if motor else barrio.join_code
    link = deep_link(bot, code)
    return render(request, "poster.html", staff=staff, barrio=barrio, link=link, code=code, motor=motor,
                  qr=qr_svg(link), instructions=[instructions(locale, barrio.name, motor) for locale in LANGUAGES])


LANGUAGES = ("es", "ht", "en")  # the poster is for vecinos: in the barrio's three languages, whatever the console's


def instructions(locale: str, barrio: str, motor: bool) -> tuple[str, str, list[str]]:
    """(language, heading, steps) of the poster in one language."""
    t = Translator(locale)
    heading = (t._("Grupo motor de {barrio}", barrio=barrio) if motor
               else t._("Vecinas y vecinos de {barrio}: ¡participe!", barrio=barrio))
    steps = [t._("Abra la cámara del teléfono y apunte al código."),
             t._("Se abre Telegram: toque «Iniciar»."),
             t._("Elija su idioma y acepte el aviso de privacidad.")]
    return LANGUAGE_NAMES[locale], heading, steps
