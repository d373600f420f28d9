"""Test data builders: ejecutores, barrios, members, surveys and answers, ballots and votes,
convocatorias and RSVPs, made through the product's own stores (never raw rows), the
chat service as the process builds it, and XLSForm workbooks as KoBoToolbox exports them.
"""

import io
import json
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import xlsxwriter
from sqlalchemy import Engine
from sqlmodel import Session, select

from api.ballots.models import Ballot, BallotCreate, IniciativaIn
from api.ballots.schedule import open_ballot, open_notice
from api.ballots.store import SqlBallots, create_ballot
from api.barrios.directory import SqlDirectory
from api.barrios.models import Barrio, BarrioCreate, Ejecutor
from api.barrios.store import create_barrio, create_ejecutor
from api.chat.service import Address, ChatService
from api.convocatorias.models import Convocatoria
from api.convocatorias.store import SqlConvocatorias
from api.kernel.config import Settings
from api.kernel.types import utcnow
from api.programme.alliance_models import ActorIn, ActorKind, AcuerdoIn, MesaIn
from api.programme.alliances import add_actor, add_acuerdo, add_mesa, link_actor
from api.programme.ideas import propose
from api.programme.pdl import add_iniciativa, report_hito
from api.programme.pdl_models import IniciativaFields, PdlHito
from api.programme.timeline import start_programme
from api.staff.models import StaffUser
from api.staff.store import add_staff
from api.surveys.models import Survey
from api.surveys.store import SqlSurveys, create_survey, move
from bot import main
from conversations.convocatorias.ports import Answer, Draft
from conversations.kernel.events import Event
from conversations.kernel.members import BarrioRef, Role
from conversations.kernel.replies import Reply
from conversations.programme.ports import Idea
from conversations.surveys.ports import SurveyStatus
from tests.fakes.ports import Chat, MemoryDirectory, memory_context

ADMIN_TOKEN = "admin-test-token-of-32-characters"
VECINA = Address("telegram", "77", "77")

# A short survey with one question of each kind the API tests need.
SMALL: dict[str, Any] = {
    "title": {"es": "Consulta corta", "en": "Short poll", "ht": "Ti ankèt"},
    "questions": [
        {"name": "color", "type": "select_one", "required": True, "label": {"es": "¿Color?", "en": "Colour?"},
         "choices": [{"name": "rojo", "label": {"es": "Rojo", "en": "Red"}},
                     {"name": "azul", "label": {"es": "Azul", "en": "Blue"}}]},
        {"name": "usos", "type": "select_multiple", "label": "¿Usos?",
         "choices": [{"name": "a", "label": "Plaza"}, {"name": "b", "label": "Sede"}]},
        {"name": "edad", "type": "integer", "label": "¿Edad?"},
        {"name": "nota", "type": "scale", "label": "¿Nota?"},
        {"name": "idea", "type": "text", "label": "¿Idea?"},
    ],
}


def make_ejecutor(session: Session, name: str = "ONG Prueba") -> tuple[Ejecutor, str]:
    return create_ejecutor(session, name=name)


def make_barrio(session: Session, ejecutor: Ejecutor, name: str = "Población La Esperanza") -> Barrio:
    data = BarrioCreate(name=name, comuna="La Pintana", region="Metropolitana")
    return create_barrio(session, ejecutor=ejecutor, data=data, default_timezone="America/Santiago")


def make_member(session: Session, barrio: Barrio, chat_id: str = "1", *, locale: str = "es",
                role: Role = Role.VECINO, channel: str = "telegram") -> str:
    """A member who consented (as the chat creates them); their pseudonymous id."""
    member_id = SqlDirectory(session, channel=channel, chat_id=chat_id).join(
        barrio_id=barrio.id or 0, role=role, locale=locale)
    session.commit()
    return member_id


def make_survey(session: Session, barrio: Barrio, definition: dict[str, Any] | None = None, *,
                status: SurveyStatus = SurveyStatus.OPEN, kind: str = "diagnostico") -> Survey:
    survey = create_survey(session, barrio=barrio, kind=kind, definition=definition or SMALL)
    if status != SurveyStatus.DRAFT:
        move(session, survey, SurveyStatus.OPEN)
    if status == SurveyStatus.CLOSED:
        move(session, survey, SurveyStatus.CLOSED)
    return survey


CAPACIDADES = {"questions": [
    {"name": "confia", "type": "scale", "dimension": "confianza_solidaridad",
     "label": {"es": "¿Confías en tus vecinos?", "en": "Do you trust your neighbours?"}},
    {"name": "asamblea", "type": "select_one", "label": "¿Fuiste a una asamblea?", "dimension": "accion_colectiva",
     "choices": [{"name": "si", "label": "Sí"}, {"name": "no", "label": "No"}]},
    {"name": "grupo", "type": "scale", "label": "¿Participas en un grupo?", "dimension": "grupos_redes"},
    {"name": "idea", "type": "text", "label": "¿Una idea para el barrio?"},
]}


def make_rounds(session: Session, barrio: Barrio, *, pairs: int = 12) -> tuple[Survey, Survey]:
    """A closed línea base and an open línea de salida of the same questions; `pairs` vecinos answered both (trust from
    3 to 4, assembly from no to yes for all but 3 who said yes twice), 3 more only the base. (base, salida)."""
    base = make_survey(session, barrio, {"title": "Línea base 2025", **CAPACIDADES}, status=SurveyStatus.CLOSED,
                       kind="linea_base")
    salida = make_survey(session, barrio, {"title": "Línea de salida 2027", **CAPACIDADES}, kind="linea_salida")
    for n in range(pairs + 3):
        member = make_member(session, barrio, f"rounds-{barrio.id}-{n}")
        make_answers(session, base, member, {"confia": 3, "asamblea": "si" if n >= pairs - 3 else "no", "grupo": 2,
                                             "idea": "plaza"})
        if n < pairs:
            make_answers(session, salida, member, {"confia": 4, "asamblea": "si", "grupo": 2 + n % 2})
    return base, salida


def make_answers(session: Session, survey: Survey, member_id: str, answers: dict[str, Any], *,
                 completed: bool = True) -> None:
    """The member's answers, stored as the chat stores them."""
    port = SqlSurveys(session, member_id)
    for question, value in answers.items():
        port.save(survey.id or 0, member_id, question, value)
    port.set_completed(survey.id or 0, member_id, completed)
    session.commit()


def make_ballot(session: Session, barrio: Barrio, *, opens_at: datetime | None = None,
                closes_at: datetime | None = None, method: str = "budget") -> Ballot:
    """A budget ballot over three iniciativas of $3.000.000 (scheduled until `opens_at`)."""
    opens = opens_at or utcnow()
    return create_ballot(session, barrio=barrio, data=BallotCreate(
        title="Prioricemos 2027", method=method, budget=3_000_000, opens_at=opens,
        closes_at=closes_at or opens + timedelta(days=7),
        iniciativas=[IniciativaIn(title="Huerto comunitario", ambito="huertos", cost=1_200_000),
                     IniciativaIn(title="Luminarias", ambito="habitabilidad", cost=1_500_000),
                     IniciativaIn(title="Plaza", ambito="habitabilidad", cost=2_500_000)],
    ))


def open_for_all(session: Session, ballot: Ballot) -> None:
    """Open a scheduled ballot and queue its opening notice in the same transaction (the job and the API
    queue it after committing, in batches: api.ballots.schedule.queue_opening)."""
    assert open_ballot(session, ballot, utcnow())
    barrio = session.get(Barrio, ballot.barrio_id)
    assert barrio is not None
    open_notice(session, ballot, barrio)


def make_vote(session: Session, ballot: Ballot, member_id: str, choice: tuple[int, ...] = (0,)) -> None:
    SqlBallots(session).cast(ballot.id or 0, member_id, choice, utcnow())
    session.commit()


def make_convocatoria(session: Session, author_id: str, *, starts_in: timedelta = timedelta(days=3),
                      title: str = "Asamblea") -> Convocatoria:
    """A convocatoria sent by the grupo motor member `author_id` (queued to every reachable vecino)."""
    view, _ = SqlConvocatorias(session).send(member_id=author_id, draft=Draft(
        title, utcnow() + starts_in, "Sede vecinal"))
    session.commit()
    found = session.get(Convocatoria, view.id)
    assert found is not None
    return found


def make_rsvp(session: Session, convocatoria: Convocatoria, member_id: str, answer: Answer = Answer.YES) -> None:
    SqlConvocatorias(session).set_answer(convocatoria.id or 0, member_id, answer)
    session.commit()


def make_programme(session: Session, barrio: Barrio, starts_on: date = date(2026, 9, 1)) -> dict[str, int | str]:
    """A programme started on `starts_on`, with an iniciativa (and a hito the grupo motor reported on it), an
    actor working with the barrio, a mesa, an acuerdo and a vecino's idea; the ids (and a phase and an
    activity) under their path parameters' names."""
    start_programme(session, barrio, starts_on)
    iniciativa = add_iniciativa(session, barrio, IniciativaFields(title="Huerto", ambito="huertos", cost=500_000,
                                                                  responsible="grupo motor"))
    report_hito(session, iniciativa, "Llegaron las semillas", starts_on)
    hito = session.exec(select(PdlHito.id).where(PdlHito.iniciativa_id == iniciativa.id)).one()
    ejecutor = session.get(Ejecutor, barrio.ejecutor_id)
    assert ejecutor is not None
    actor = add_actor(session, ejecutor, ActorIn(name="Municipalidad", kind=ActorKind.MUNICIPIO,
                                                 contact_name="Ana Pérez"))
    link_actor(session, actor, barrio, linked=True)
    mesa = add_mesa(session, barrio, MesaIn(held_on=starts_on, title="Mesa", actors=[actor.id or 0]))
    acuerdo = add_acuerdo(session, mesa, AcuerdoIn(text="Poda de árboles", actor_id=actor.id))
    proposer = make_member(session, barrio, "programme-proposer")
    idea = propose(session, member_id=proposer, barrio_id=barrio.id or 0, idea=Idea("Plaza", "Bancas", "habitabilidad"))
    session.commit()
    return {"iniciativa_id": iniciativa.id or 0, "actor_id": actor.id or 0, "mesa_id": mesa.id or 0,
            "acuerdo_id": acuerdo.id or 0, "idea_id": idea, "hito_id": hito, "phase": "fase_1",
            "activity": "insercion_territorial"}


def chat_service(engine: Engine, bot_username: str = "TestBot") -> ChatService:
    """The chat service as the process builds it (every feature), on the test database."""
    settings = Settings(_env_file=None, telegram_bot_username=bot_username)  # type: ignore[call-arg]
    return main.chat_service(settings, engine, lambda: bot_username)


def join(service: ChatService, code: str, first_update: int | None = 1, address: Address = VECINA,
         locale: str = "es") -> None:
    """A vecina joins through the chat: code, language, consent (Telegram update ids from `first_update`)."""
    ids = [None] * 3 if first_update is None else [first_update + n for n in range(3)]
    service.handle(address, Event.parse(f"/start {code}"), ids[0])
    service.handle(address, Event.button(f"join:{locale}:{code}"), ids[1])
    service.handle(address, Event.button(f"consent:yes:{locale}:{code}"), ids[2])


class Vecina:
    """A vecina in the chat: what she last saw, and pressing its buttons by label or by kind."""

    def __init__(self, service: ChatService, address: Address) -> None:
        self.service, self.address = service, address
        self.last: list[Reply] = []

    def send(self, event: Event) -> str:
        self.last = self.service.handle(self.address, event)
        return "\n".join(reply.text for reply in self.last)

    def say(self, text: str) -> str:
        return self.send(Event.parse(text))

    def labels(self) -> list[str]:
        return [button.label for row in self.last[-1].buttons for button in row]

    def press(self, label: str | None = None, *, kind: str | None = None) -> str:
        """The button showing `label` (✅ marks and "1. " numbers ignored), or whose data ends with `:kind`."""
        for row in self.last[-1].buttons:
            for button in row:
                if (label is not None and _shows(button.label, label)) or (
                        kind is not None and button.data.endswith(f":{kind}")):
                    return self.send(Event.button(button.data))
        raise AssertionError(f"no button {label or kind!r} among {self.labels()}")


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


# --- XLSForms -------------------------------------------------------------------------

LANGUAGES = {"es": "Español (es)", "ht": "Kreyòl (ht)", "en": "English (en)"}


def _by_language(row: dict[str, Any], column: str, value: Any) -> None:
    if isinstance(value, dict):
        for code, text in value.items():
            row[f"{column}::{LANGUAGES.get(code, code)}"] = text
    elif value:
        row[column] = value


def to_xlsform(definition: dict[str, Any], extra_survey_rows: list[dict[str, Any]] | None = None) -> bytes:
    """A JSON survey definition as KoBoToolbox would export it: .xlsx with survey, choices and settings sheets."""
    survey: list[dict[str, Any]] = [{"type": "start", "name": "start"}]
    choices: list[dict[str, Any]] = []
    _xlsform_rows(definition["questions"], survey, choices)
    survey.extend(extra_survey_rows or [])
    title = definition["title"]
    settings = [{"form_title": title["es"] if isinstance(title, dict) else title,
                 "default_language": LANGUAGES.get(definition.get("default_language", "es"), "es")}]
    return xlsform_workbook({"survey": survey, "choices": choices, "settings": settings})


def _xlsform_rows(questions: list[dict[str, Any]], survey: list[dict[str, Any]], choices: list[dict[str, Any]]) -> None:
    """Survey and choices rows of these questions; a group as begin_group ... end_group, a repeat as
    begin_repeat ... end_repeat."""
    for question in questions:
        kind = question["type"]
        row: dict[str, Any] = {"name": question["name"]}
        if kind in ("group", "repeat"):
            row["type"] = f"begin_{kind}"
        elif kind in ("select_one", "select_multiple"):
            row["type"] = f"{kind} {question['name']}_list"
            for choice in question["choices"]:
                choice_row = {"list_name": f"{question['name']}_list", "name": choice["name"]}
                _by_language(choice_row, "label", choice["label"])
                choices.append(choice_row)
        elif kind == "scale":
            row.update(type="range", parameters="start=1 end=5 step=1")
        else:
            row["type"] = kind
        for column in ("label", "hint", "constraint_message"):
            _by_language(row, column, question.get(column))
        row["required"] = "yes" if question.get("required") else ""
        for column in ("relevant", "constraint", "calculation", "repeat_count"):
            if question.get(column):
                row[column] = question[column]
        if question.get("sensitive"):
            row["sensitive"] = "yes"
        survey.append(row)
        if kind in ("group", "repeat"):
            _xlsform_rows(question["questions"], survey, choices)
            survey.append({"type": f"end_{kind}", "name": ""})


def xlsform_workbook(sheets: dict[str, list[dict[str, Any]]]) -> bytes:
    """An .xlsx with these sheets, each a list of rows (dicts of column -> value, headers as written)."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    for name, rows in sheets.items():
        sheet = workbook.add_worksheet(name)
        columns = list(dict.fromkeys(key for row in rows for key in row))
        sheet.write_row(0, 0, columns)
        for number, row in enumerate(rows, start=1):
            sheet.write_row(number, 0, [row.get(column, "") for column in columns])
    workbook.close()
    return buffer.getvalue()


STAFF_PASSWORD = "una clave bien larga"


# The corpus's household diagnóstico, written as KoBoToolbox exports forms: start/end metadata, a field-list
# group, cascading comuna → villa, a repeat for the household's members counted by an earlier answer, a
# calculation over the repeat, ${references} in labels and a note, or_other, a geopoint.
def _corpus_labels(es: str, ht: str, column: str = "label") -> dict[str, str]:
    return {f"{column}::Español (es)": es, f"{column}::Kreyòl (ht)": ht}


CORPUS_DIAGNOSTICO = xlsform_workbook({
    "survey": [
        {"type": "start", "name": "start"},
        {"type": "end", "name": "end"},
        {"type": "begin_group", "name": "datos", "appearance": "field-list", **_corpus_labels("Tu hogar", "Kay ou")},
        {"type": "select_one comuna", "name": "comuna", "required": "yes", **_corpus_labels("¿Comuna?", "Ki komin?")},
        {"type": "select_one villa", "name": "villa", "required": "yes", "choice_filter": "comuna=${comuna}",
         **_corpus_labels("¿Villa?", "Ki vil?")},
        {"type": "integer", "name": "personas", "required": "yes", "constraint": ". > 0 and . < 20",
         **_corpus_labels("¿Cuántas personas viven en tu hogar?", "Konbyen moun ki rete lakay ou?")},
        {"type": "end_group"},
        {"type": "begin_repeat", "name": "miembro", "repeat_count": "${personas}", **_corpus_labels("Persona", "Moun")},
        {"type": "text", "name": "nombre", "required": "yes", **_corpus_labels("¿Cómo se llama?", "Ki non li?")},
        {"type": "integer", "name": "edad", "required": "yes",
         **_corpus_labels("¿Qué edad tiene ${nombre}?", "Ki laj ${nombre} genyen?")},
        {"type": "end_repeat"},
        {"type": "calculate", "name": "suma_edades", "calculation": "sum(${edad})"},
        {"type": "select_one servicio or_other", "name": "servicio",
         **_corpus_labels("¿Qué servicio falta en ${villa}?", "Ki sèvis ki manke nan ${villa}?")},
        {"type": "geopoint", "name": "casa", "required": "yes",
         **_corpus_labels("¿Dónde está tu casa?", "Ki kote kay ou ye?")},
        {"type": "note", "name": "resumen",
         **_corpus_labels("${personas} personas en ${villa}; suman ${suma_edades} años.",
                   "${personas} moun nan ${villa}; yo gen ${suma_edades} an ansanm.")},
    ],
    "choices": [
        {"list_name": "comuna", "name": "lp", **_corpus_labels("La Pintana", "La Pintana")},
        {"list_name": "comuna", "name": "pa", **_corpus_labels("Puente Alto", "Puente Alto")},
        {"list_name": "villa", "name": "aromos", "comuna": "lp", **_corpus_labels("Los Aromos", "Los Aromos")},
        {"list_name": "villa", "name": "castillo", "comuna": "lp", **_corpus_labels("El Castillo", "El Castillo")},
        {"list_name": "villa", "name": "mena", "comuna": "pa", **_corpus_labels("Bajos de Mena", "Bajos de Mena")},
        {"list_name": "servicio", "name": "salud", **_corpus_labels("Salud", "Sante")},
        {"list_name": "servicio", "name": "transporte", **_corpus_labels("Transporte", "Transpò")},
    ],
    "settings": [{"form_title": "Diagnóstico corpus", "form_id": "corpus", "default_language": "Español (es)"}],
})


def make_staff(session: Session, ejecutor: Ejecutor, email: str = "ana@ong.cl", *, name: str = "Ana Pérez",
               password: str = STAFF_PASSWORD) -> StaffUser:
    """A staff user of the ejecutor, who logs in to the console with `password`."""
    return add_staff(session, ejecutor=ejecutor, name=name, email=email, password=password)


async def console_login(client: Any, email: str = "ana@ong.cl", password: str = STAFF_PASSWORD) -> Any:
    """Log in to the console through its login form (an httpx AsyncClient keeps the cookies); the answer."""
    page = await client.get("/consola/ingresar")
    return await client.post("/consola/ingresar", data={"email": email, "password": password,
                                                         "csrf": csrf_of(page.text)})


def csrf_of(html: str) -> str:
    """The CSRF token a console page's forms carry."""
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found is not None, "no form with a CSRF token on this page"
    return found.group(1)


def chart_of(html: str, canvas_id: str) -> dict[str, Any]:
    """The data a console chart is drawn from: the JSON island beside its canvas (web/charts.py)."""
    assert f'<canvas id="{canvas_id}"' in html, f"no chart {canvas_id} on this page"
    island = rf'<script type="application/json" id="{re.escape(canvas_id)}-data" class="chart-data">(.*?)</script>'
    found = re.search(island, html, re.S)
    assert found is not None, f"no data beside the chart {canvas_id}"
    return dict(json.loads(found.group(1)))


@dataclass
class TwoOrganisations:
    """Ours (staff ana@ong.cl) and another (staff otra@otra.cl), each with a barrio."""

    ours: Barrio
    theirs: Barrio


def two_organisations(session: Session) -> TwoOrganisations:
    ejecutor, _ = make_ejecutor(session, "ONG Nuestra")
    make_staff(session, ejecutor)
    other, _ = make_ejecutor(session, "ONG Otra")
    make_staff(session, other, "otra@otra.cl")
    return TwoOrganisations(ours=make_barrio(session, ejecutor), theirs=make_barrio(session, other, "Villa Ajena"))


def _shows(button: str, label: str) -> bool:
    """Whether a button shows `label` (a ✅ mark and a choice's "2. " number aside)."""
    return re.sub(r"^(✅ )?\d+\. ", "", button) == label


def press_through(service: ChatService, address: Address, first_update: int, command: str,
                  labels: list[str]) -> list[Any]:
    """A vecina sends `command`, then presses the buttons labelled `labels` in turn, as on her phone.

    Returns the last replies."""
    replies = service.handle(address, Event.parse(command), first_update)
    for n, label in enumerate(labels, start=1):
        found = [b.data for reply in replies for row in reply.buttons for b in row if _shows(b.label, label)]
        assert found, f"no button {label!r} in {replies}"
        replies = service.handle(address, Event.button(found[0]), first_update + n)
    return replies


def joined_chat(code: str = "K7MP2Q", barrio: str = "Villa Los Aromos", locale: str = "es",
                **ports: object) -> Chat:
    """A vecina's pure conversation over in-memory ports (surveys=..., ...), joined to the barrio of `code`
    in `locale`."""
    directory = MemoryDirectory(barrios={code: BarrioRef(id=1, name=barrio, role="vecino")})
    chat = Chat(lambda: memory_context(directory, **ports))
    chat.say(f"/start {code}")
    chat.press(f"join:{locale}:{code}")
    chat.press(f"consent:yes:{locale}:{code}")
    return chat
