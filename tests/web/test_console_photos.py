"""The console's survey page offers the photos vecinos sent as one ZIP, named by respondent and question,
and says how many are not copied from Telegram yet."""

import io
import zipfile

import httpx
from sqlalchemy import Engine
from sqlmodel import Session

from api.kernel.channels import Fetched, Unavailable
from api.kernel.types import utcnow
from api.surveys.photo_copies import copy_due
from api.surveys.rows import respondent_id
from api.surveys.store import SqlSurveys
from tests.factories import TwoOrganisations, make_member, make_survey

FORM = {"title": "Microbasurales", "questions": [
    {"name": "foto", "type": "image", "label": "¿Tienes una foto?"},
    {"name": "nota", "type": "text", "label": "¿Algo más?"},
]}
JPEG = b"\xff\xd8\xff\xe0 una foto"


class Telegram:
    """Has the first photo; does not answer for the other."""

    def fetch(self, reference: str) -> Fetched | None:
        if reference == "AgAC-copied":
            return Fetched(JPEG, "image/jpeg")
        raise Unavailable("502")


async def test_the_survey_page_offers_the_stored_photos_as_a_zip(
        browser: httpx.AsyncClient, session: Session, engine: Engine, world: TwoOrganisations) -> None:
    survey = make_survey(session, world.ours, FORM)
    without = make_survey(session, world.ours, FORM)
    copied, pending = make_member(session, world.ours, "41"), make_member(session, world.ours, "42")
    for member, reference in ((copied, "AgAC-copied"), (pending, "AgAC-pending")):
        port = SqlSurveys(session, member)
        port.save(survey.id or 0, member, "foto", reference)
        port.keep_photo(survey.id or 0, member, "foto", reference)  # as the chat does
        session.commit()
    copy_due(engine, Telegram(), utcnow())

    page = (await browser.get(f"/consola/encuestas/{survey.id}")).text
    assert f'href="/consola/encuestas/{survey.id}/fotos.zip">Descargar 1 foto (ZIP)</a>' in page
    assert "1 foto aún no se copia desde Telegram; estará en el ZIP en cuanto se guarde." in page
    assert "fotos.zip" not in (await browser.get(f"/consola/encuestas/{without.id}")).text

    answer = await browser.get(f"/consola/encuestas/{survey.id}/fotos.zip")
    assert answer.headers["content-disposition"] == f'attachment; filename="encuesta-{survey.id}-fotos.zip"'
    files = zipfile.ZipFile(io.BytesIO(answer.content))
    assert {name: files.read(name) for name in files.namelist()} == {
        f"{respondent_id(survey.salt, copied)}_foto.jpg": JPEG}

    theirs = make_survey(session, world.theirs, FORM)
    assert (await browser.get(f"/consola/encuestas/{theirs.id}/fotos.zip")).status_code == 404
