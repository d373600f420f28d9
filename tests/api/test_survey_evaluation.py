"""The chat's incremental evaluation against a full one, at every step of the corpus's household diagnóstico.

Each update works out which questions apply, the stale answers and each repeat's count from
the version of the answers before it (conversations/surveys/evaluation.py), and recalculates
only what a change reaches. A vecina answers the corpus form through the chat service and
changes her mind from the review (fewer people, another service, another comuna, more
people). After every message, what the chat's form holds for the stored answers is compared
with `Form.reference` (everything worked out again from those answers alone, nothing
remembered), the stored calculations with a recalculation of everything on a new form, and
what the chat shows (the question's label, "Pregunta N de M", or the review) with what the
reference says comes next. A caching bug shows as a difference at the step it happens.
"""

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, select

from api.barrios.models import Member
from api.chat.service import Address
from api.surveys.store import SqlSurveys, view
from api.surveys.xlsform import read_xlsform
from conversations.surveys.form import Form
from conversations.surveys.questions import split_key
from tests.factories import CORPUS_DIAGNOSTICO, Vecina, chat_service, join, make_barrio, make_ejecutor, make_survey


def _expected(form: Form, answers: Mapping[str, Any]) -> tuple[str, str] | None:
    """What the chat should show now by the reference: the first question without an answer (its progress line,
    '' for a note, and its label), or None for the review."""
    fresh = form.reference(answers)
    place = next((p for p in fresh.holding if form.key(p) not in answers), None)
    if place is None:
        return None
    question = form.questions[place.index]
    label = form.say(question.label, "es", fresh.seen(place))
    if question.type == "note":
        return "", label
    number = sum(1 for p in fresh.listed if form.order(p) <= form.order(place)) or 1
    return f"Pregunta {number} de {max(len(fresh.listed), number)}", label


def _check(engine: Engine, survey_id: int, member_id: str, form: Form, definition: dict[str, Any],
           shown: str) -> None:
    with Session(engine) as session:
        answers = SqlSurveys(session, member_id).answers(survey_id, member_id)
    kept, fresh = form.evaluation(answers), form.reference(answers)
    assert kept.walk == fresh.walk
    assert kept.holding == fresh.holding
    assert kept.listed == fresh.listed
    assert kept.vector == fresh.vector
    assert kept.stale == fresh.stale == ()  # and the chat forgot every answer that no longer stands
    assert [kept.instances(name) for name in form.repeats] == [fresh.instances(name) for name in form.repeats]
    given = {key: answer for key, answer in answers.items()
             if form.questions[form.index_of(split_key(key)[0])].type != "calculate"}
    calculated = {key: answer for key, answer in answers.items() if key not in given}
    assert calculated == Form.load(definition, "America/Santiago").recalculate(given, set(given))
    if "Tu respuesta actual" in shown:
        return  # «Cambiar» asks that question again, answered
    expected = _expected(form, answers)
    if expected is None:
        assert "Tus respuestas a «Diagnóstico corpus»" in shown, shown
        return
    progress, label = expected
    assert label in shown and progress in shown, (expected, shown)


def _change(ana: Vecina, question: str) -> str:
    """«Cambiar» under the review's line of `question`."""
    line = next(line for line in ana.last[-1].text.splitlines() if question in line)
    return ana.press(f"Cambiar {line.split('.')[0]}")


def test_every_step_of_the_corpus_diagnostico_matches_a_full_evaluation(engine: Engine) -> None:
    definition = read_xlsform(CORPUS_DIAGNOSTICO).definition
    with Session(engine) as session:
        barrio = make_barrio(session, make_ejecutor(session)[0])
        survey = make_survey(session, barrio, definition)
        survey_id, code, timezone = survey.id or 0, barrio.join_code, barrio.timezone
        form = view(survey, timezone).form  # the one the chat uses: parsed forms are shared
    service = chat_service(engine)
    ana = Vecina(service, Address("telegram", "81", "81"))
    join(service, code, None, ana.address, "es")
    ana.say("/encuestas")
    with Session(engine) as session:
        member_id = session.exec(select(Member.id).where(Member.barrio_id == barrio.id)).one()

    def check(shown: str) -> None:
        _check(engine, survey_id, member_id, form, definition, shown)

    steps = [
        lambda: ana.press("Diagnóstico corpus"), lambda: ana.press("La Pintana"), lambda: ana.press("El Castillo"),
        lambda: ana.say("2"), lambda: ana.say("Ana"), lambda: ana.say("40"), lambda: ana.say("Tomás"),
        lambda: ana.say("12"), lambda: ana.press("Otro"), lambda: ana.say("Seguridad"),
        lambda: ana.say("-33.45, -70.66"), lambda: ana.press(kind="ok"),
        lambda: _change(ana, "¿Cuántas personas"), lambda: ana.say("1"),  # the second member's answers go
        lambda: _change(ana, "¿Qué servicio falta"), lambda: ana.press("Salud"),  # "Seguridad" goes
        lambda: _change(ana, "¿Comuna?"), lambda: ana.press("Puente Alto"),  # El Castillo is not in it: asked again
        lambda: ana.press("Bajos de Mena"),
        lambda: _change(ana, "¿Cuántas personas"), lambda: ana.say("3"),  # two more members to name
        lambda: ana.say("Beto"), lambda: ana.say("30"), lambda: ana.say("Caro"), lambda: ana.say("70"),
        lambda: _change(ana, "¿Qué edad tiene Ana?"), lambda: ana.say("41"),  # the sum follows
    ]
    for step in steps:
        check(step())
    with Session(engine) as session:
        final = SqlSurveys(session, member_id).answers(survey_id, member_id)
    assert {key: final[key] for key in ("personas", "villa", "servicio", "suma_edades")} == {
        "personas": 3, "villa": "mena", "servicio": "salud", "suma_edades": 141}
    assert "servicio_other" not in final and {"nombre#3", "edad#3"} <= final.keys()
