"""Línea base vs línea de salida through the API: what an ejecutor reads and downloads."""

import csv
import io
import math
from typing import Any

import httpx
import openpyxl
import pytest
from sqlmodel import Session, select

from api.barrios.models import Barrio, Ejecutor, Member
from api.outbox.models import OutboxMessage
from api.surveys.models import Survey
from conversations.surveys.ports import SurveyStatus
from tests.factories import auth, make_answers, make_barrio, make_ejecutor, make_member, make_survey

YES_NO = [{"name": "si", "label": "Sí"}, {"name": "no", "label": "No"}]


def _definition(extra: str) -> dict[str, Any]:
    return {"title": f"Capacidades {extra}", "questions": [
        {"name": "confia", "type": "scale", "label": "¿Confías?", "dimension": "confianza_solidaridad"},
        {"name": "asamblea", "type": "select_one", "label": "¿Asamblea?", "choices": YES_NO,
         "dimension": "accion_colectiva"},
        {"name": "medio", "type": "select_one", "label": "¿Por dónde te enteras?", "choices": [
            {"name": "whatsapp", "label": "WhatsApp"}, {"name": "radio", "label": "Radio"},
            {"name": "mural", "label": "Diario mural"}]},
        {"name": "gr_conoce", "type": "scale", "label": "¿Conoces vecinos?"},  # dimension from the instrument
        {"name": "idea", "type": "text", "label": "¿Idea?"},
        {"name": extra, "type": "scale", "label": "¿Solo en una ronda?"},
    ]}


@pytest.fixture
def world(session: Session) -> dict[str, Any]:
    """12 vecinos answered both rounds, 3 only the línea base."""
    ejecutor, token = make_ejecutor(session)
    barrio = make_barrio(session, ejecutor)
    base = make_survey(session, barrio, _definition("vieja"), status=SurveyStatus.CLOSED, kind="linea_base")
    salida = make_survey(session, barrio, _definition("nueva"), kind="linea_salida")
    members = [make_member(session, barrio, str(n)) for n in range(15)]
    for n, member in enumerate(members[:12]):
        # asamblea: 8 went from no to yes, 1 from yes to no, 3 said yes twice
        before, after = ("no", "si") if n < 8 else ("si", "no") if n == 8 else ("si", "si")
        make_answers(session, base, member, {"confia": 3, "asamblea": before, "medio": "whatsapp", "idea": "plaza",
                                             **({"gr_conoce": 2} if n < 6 else {})})
        make_answers(session, salida, member, {"confia": 4, "asamblea": after,
                                               "medio": "radio" if n % 2 else "whatsapp",
                                               **({"gr_conoce": 3} if n < 6 else {})})
    for member in members[12:]:
        make_answers(session, base, member, {"confia": 3, "asamblea": "no"})
    return {"token": token, "barrio": barrio, "base": base, "salida": salida, "members": members}


async def _get(client: httpx.AsyncClient, world: dict[str, Any], suffix: str = "", **params: Any) -> httpx.Response:
    return await client.get(f"/api/barrios/{world['barrio'].id}/comparison{suffix}", params=params,
                            headers=auth(world["token"]))


def _by_name(found: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {q["name"]: q for q in found["questions"]}


async def test_paired_tests_per_question_with_holm(client: httpx.AsyncClient, world: dict[str, Any]) -> None:
    response = await _get(client, world)
    assert response.status_code == 200, response.text
    found = response.json()
    assert (found["base"]["id"], found["salida"]["id"]) == (world["base"].id, world["salida"].id)
    assert (found["respondents_base"], found["respondents_salida"], found["pairs"]) == (15, 12, 12)
    questions = _by_name(found)
    assert list(questions) == ["confia", "asamblea", "medio", "gr_conoce"]

    confia = questions["confia"]
    assert (confia["type"], confia["dimension"], confia["base"]["n"], confia["salida"]["n"]) == (
        "scale", "confianza_solidaridad", 15, 12)
    assert (confia["base"]["mean"], confia["salida"]["mean"], confia["change"]) == (3.0, 4.0, 1.0)
    assert [s["count"] for s in confia["base"]["shares"]] == [0, 0, 15, 0, 0]
    # 12 differences of +1: W- = 0; normal approximation with one group of 12 ties:
    # mean 39, variance 12*13*25/24 - (12^3 - 12)/48 = 126.75.
    paired = confia["paired"]
    assert (paired["test"], paired["n"], paired["statistic"], paired["effect_name"], paired["effect"]) == (
        "wilcoxon", 12, 0.0, "rank_biserial", 1.0)
    wilcoxon_p = math.erfc(39 / math.sqrt(126.75) / math.sqrt(2))
    assert paired["p_value"] == pytest.approx(wilcoxon_p)

    asamblea = questions["asamblea"]["paired"]  # 1 yes->no, 8 no->yes: exact, 2 * (1 + 9) / 2^9
    assert (asamblea["test"], asamblea["effect_name"], asamblea["effect"]) == (
        "mcnemar_exact", "risk_difference", pytest.approx(7 / 12, abs=1e-4))
    assert asamblea["p_value"] == pytest.approx(20 / 512)

    medio = questions["medio"]["paired"]  # all WhatsApp before, 6 moved to radio: d = 6, S = 6, chi-square 6
    assert (medio["test"], medio["statistic"], medio["df"]) == ("stuart_maxwell", 6.0, 1)
    # Holm over the three paired tests: 3p, 2p, then p kept monotone
    assert confia["paired"]["p_holm"] == pytest.approx(3 * wilcoxon_p)
    assert medio["p_holm"] == pytest.approx(2 * medio["p_value"])
    assert asamblea["p_holm"] == pytest.approx(20 / 512)

    few = questions["gr_conoce"]
    assert few["dimension"] == "grupos_redes"
    assert few["paired"]["test"] is None
    assert few["paired"]["not_tested"] == "fewer than 10 vecinos answered both rounds (6)"
    assert "fewer than 10" in confia["unpaired"]["not_tested"]
    assert {s["name"]: s["reason"] for s in found["skipped"]} == {
        "idea": "free text is not compared", "nueva": "not asked in the línea base",
        "vieja": "not asked in the línea de salida"}
    # the same reasons as codes, for the console (and any client) to word in its language
    assert (few["paired"]["not_tested_code"], confia["unpaired"]["not_tested_code"]) == ("few_pairs", "few_unpaired")
    assert (confia["unpaired"]["only_base"], confia["unpaired"]["only_salida"]) == (3, 0)
    assert confia["paired"]["not_tested_code"] is None
    assert {s["name"]: s["code"] for s in found["skipped"]} == {
        "idea": "free_text", "nueva": "not_in_base", "vieja": "not_in_salida"}


async def test_no_count_under_the_threshold_leaves_the_service(client: httpx.AsyncClient,
                                                                world: dict[str, Any]) -> None:
    # asamblea: base 4 yes of 15, salida 11 yes and 1 no of 12
    strict = _by_name((await _get(client, world)).json())["asamblea"]
    # 4 < 5 is withheld, and so is the 11 beside it: n = 15 minus 11 would give the 4 away
    assert [s["count"] for s in strict["base"]["shares"]] == [None, None]
    assert [s["percent"] for s in strict["salida"]["shares"]] == [None, None]
    assert strict["change"] is None
    assert strict["paired"]["statistic"] is None  # the exact test's statistic is a count of vecinos
    few = _by_name((await _get(client, world)).json())["gr_conoce"]
    assert (few["base"]["n"], few["base"]["mean"]) == (6, 2.0)  # 6 answered: at least 5, the mean is shown
    loose = _by_name((await _get(client, world, min_cell=3)).json())["asamblea"]
    assert [s["count"] for s in loose["base"]["shares"]] == [4, 11]
    assert [s["count"] for s in loose["salida"]["shares"]] == [None, None]  # the 1 "no", and its complement
    medio = _by_name((await _get(client, world, min_cell=3)).json())["medio"]
    assert [s["count"] for s in medio["salida"]["shares"]] == [6, 6, 0]  # zeros are not withheld
    assert (await _get(client, world, min_cell=1)).status_code == 422


async def test_dimension_index_and_its_change_with_a_confidence_interval(client: httpx.AsyncClient,
                                                                        world: dict[str, Any]) -> None:
    found = (await _get(client, world)).json()
    dimensions = {d["dimension"]: d for d in found["dimensions"]}
    assert list(dimensions) == ["grupos_redes", "confianza_solidaridad", "accion_colectiva"]  # the instrument's order
    trust = dimensions["confianza_solidaridad"]  # 3 -> 4 on the 1-5 scale: 50 -> 75 of 100
    assert (trust["label"], trust["items"], trust["base"]["mean"], trust["salida"]["mean"], trust["change"]) == (
        "Confianza y solidaridad", 1, 50.0, 75.0, 25.0)
    assert trust["paired"] == {"n": 12, "mean": 25.0, "ci_low": 25.0, "ci_high": 25.0}
    assert trust["unpaired"]["mean"] is None  # only 3 answered only the base
    action = dimensions["accion_colectiva"]  # yes = 100: base 4 of 15, salida 11 of 12
    assert action["base"]["mean"] == pytest.approx(round(400 / 15, 1))
    assert action["paired"]["n"] == 12 and action["paired"]["mean"] == pytest.approx(round(700 / 12, 1))
    assert action["paired"]["ci_low"] < action["paired"]["mean"] < action["paired"]["ci_high"]
    overall = found["overall"]
    assert (overall["dimension"], overall["items"], overall["paired"]["n"]) == ("overall", 3, 12)
    assert overall["base"]["ci_low"] <= overall["base"]["mean"] <= overall["base"]["ci_high"]


async def test_unpaired_rounds_of_different_vecinos(client: httpx.AsyncClient, session: Session) -> None:
    ejecutor, token = make_ejecutor(session)
    barrio = make_barrio(session, ejecutor)
    base = make_survey(session, barrio, _definition("x"), status=SurveyStatus.CLOSED, kind="linea_base")
    salida = make_survey(session, barrio, _definition("y"), kind="linea_salida")
    for n in range(10):
        make_answers(session, base, make_member(session, barrio, f"b{n}"), {"confia": 2, "asamblea": "no"})
        make_answers(session, salida, make_member(session, barrio, f"s{n}"),
                     {"confia": 4, "asamblea": "si" if n < 4 else "no"})
    found = _by_name((await client.get(f"/api/barrios/{barrio.id}/comparison",
                                       headers=auth(token))).json())
    confia = found["confia"]["unpaired"]
    assert (confia["test"], confia["n"], confia["effect"]) == ("mann_whitney", 20, 1.0)
    assert confia["p_value"] < 0.001
    asamblea = found["asamblea"]["unpaired"]  # [[0, 10], [4, 6]]: expected yes 2 per round, so Fisher
    assert asamblea["test"] == "fisher_exact"
    assert asamblea["p_value"] == pytest.approx(2 * 210 / 4845)  # both tails of the hypergeometric
    assert found["confia"]["paired"]["not_tested"] == "fewer than 10 vecinos answered both rounds (0)"


async def test_csv_and_excel_downloads(client: httpx.AsyncClient, world: dict[str, Any]) -> None:
    response = await _get(client, world, ".csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text.lstrip("\ufeff"))))
    assert [(r["section"], r["name"]) for r in rows] == [
        ("question", "confia"), ("question", "asamblea"), ("question", "medio"), ("question", "gr_conoce"),
        ("index", "grupos_redes"), ("index", "confianza_solidaridad"), ("index", "accion_colectiva"),
        ("index", "overall")]
    confia = rows[0]
    assert (confia["paired_test"], confia["paired_n"], confia["base_shares"].split(" | ")[2]) == (
        "wilcoxon", "12", "3: 15 (100.0%)")
    assert rows[3]["not_tested"].startswith("paired: fewer than 10 vecinos answered both rounds (6)")
    assert (rows[5]["base_mean"], rows[5]["salida_mean"], rows[5]["paired_change"]) == ("50.0", "75.0", "25.0")
    workbook = await _get(client, world, ".xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(workbook.content)).active
    assert sheet is not None
    table = list(sheet.iter_rows(values_only=True))
    assert table[0][:3] == ("section", "name", "label") and table[1][1] == "confia" and len(table) == 9


async def test_choosing_the_surveys(client: httpx.AsyncClient, session: Session, world: dict[str, Any]) -> None:
    barrio: Barrio = world["barrio"]
    later = make_survey(session, barrio, _definition("tardía"), kind="linea_salida")
    assert (await _get(client, world)).json()["salida"]["id"] == later.id  # the latest by default
    named = await _get(client, world, salida=world["salida"].id, base=world["base"].id)
    assert named.json()["pairs"] == 12
    same = await _get(client, world, base=world["base"].id, salida=world["base"].id)
    assert same.status_code == 422
    other = make_barrio(session, make_ejecutor(session, "Otra ONG")[0], "Ajeno")
    theirs = make_survey(session, other, _definition("z"), kind="linea_base")
    assert (await _get(client, world, base=theirs.id)).status_code == 404
    empty = make_barrio(session, session.get(Ejecutor, barrio.ejecutor_id), "Sin encuestas")  # type: ignore[arg-type]
    missing = await client.get(f"/api/barrios/{empty.id}/comparison", headers=auth(world["token"]))
    assert missing.status_code == 409 and "linea_base" in missing.json()["detail"]
    assert (await client.get(f"/api/barrios/{other.id}/comparison", headers=auth(world["token"]))).status_code == 404


async def test_a_vecino_who_deleted_their_data_drops_out(client: httpx.AsyncClient, session: Session,
                                                        world: dict[str, Any]) -> None:
    member = session.get(Member, world["members"][0])
    session.delete(member)
    session.commit()
    found = (await _get(client, world)).json()
    assert (found["pairs"], found["respondents_base"]) == (11, 14)
    assert session.get(Survey, world["base"].id) is not None


async def test_across_the_organisation_per_barrio_and_pooled(client: httpx.AsyncClient, session: Session,
                                                            world: dict[str, Any]) -> None:
    ejecutor = session.get(Ejecutor, world["barrio"].ejecutor_id)
    assert ejecutor is not None
    second = make_barrio(session, ejecutor, "Villa Dos")
    base = make_survey(session, second, _definition("a"), status=SurveyStatus.CLOSED, kind="linea_base")
    salida = make_survey(session, second, _definition("b"), kind="linea_salida")
    for n in range(6):
        member = make_member(session, second, f"dos-{n}")
        make_answers(session, base, member, {"confia": 2, "asamblea": "no"})
        make_answers(session, salida, member, {"confia": 3, "asamblea": "si"})
    make_barrio(session, ejecutor, "Sin rondas")
    theirs = make_barrio(session, make_ejecutor(session, "Otra ONG")[0], "Ajeno")
    make_survey(session, theirs, _definition("c"), kind="linea_base")
    make_survey(session, theirs, _definition("d"), kind="linea_salida")

    found = (await client.get("/api/comparison", headers=auth(world["token"]))).json()
    assert [(b["barrio_id"], b["pairs"]) for b in found["barrios"]] == [(world["barrio"].id, 12), (second.id, 6)]
    assert [(w["name"], w["code"]) for w in found["without_rounds"]] == [("Sin rondas", "no_linea_base")]
    pooled = found["pooled"]
    assert (pooled["barrios"], pooled["pairs"], pooled["respondents_base"]) == (2, 18, 21)
    confia = _by_name(pooled)["confia"]
    assert (confia["paired"]["n"], confia["base"]["n"], confia["salida"]["n"]) == (18, 21, 18)
    trust = {d["dimension"]: d for d in pooled["dimensions"]}["confianza_solidaridad"]
    assert trust["paired"]["mean"] == 25.0  # every pair went one step up the scale, in both barrios
    assert trust["base"]["mean"] == pytest.approx(round((15 * 50 + 6 * 25) / 21, 1))

    listing = await client.get("/api/comparison.csv", headers=auth(world["token"]))
    rows = list(csv.DictReader(io.StringIO(listing.text.lstrip("\ufeff"))))
    assert {r["barrio"] for r in rows} == {"Población La Esperanza", "Villa Dos", "pooled"}
    assert [r["name"] for r in rows if r["barrio"] == "pooled"][:2] == ["confia", "asamblea"]
    workbook = await client.get("/api/comparison.xlsx", headers=auth(world["token"]))
    assert workbook.status_code == 200


async def test_the_vecinos_summary_is_previewed_then_sent_as_approved(client: httpx.AsyncClient, session: Session,
                                                                     world: dict[str, Any]) -> None:
    url = f"/api/barrios/{world['barrio'].id}/comparison/summary"
    shown = (await client.get(url, headers=auth(world["token"]))).json()
    assert shown["texts"]["es"].splitlines()[2:] == [  # the largest gains first; ties in the instrument's order
        "Tu barrio creció en trabajo en conjunto: de 27 a 92 de 100.",
        "Tu barrio creció en participación en grupos y redes: de 25 a 50 de 100.",
        "Tu barrio creció en confianza entre vecinos: de 50 a 75 de 100.",
        "En general: de 38 a 77 de 100."]
    assert "Katye ou a grandi nan konfyans ant vwazen" in shown["texts"]["ht"]
    still_open = await client.post(url, params={"approved": shown["version"]}, headers=auth(world["token"]))
    assert still_open.status_code == 409 and "close the línea de salida" in still_open.json()["detail"]

    await client.post(f"/api/surveys/{world['salida'].id}/close", headers=auth(world["token"]))
    assert (await client.post(url, params={"approved": "not-what-we-showed"},
                              headers=auth(world["token"]))).status_code == 409
    sent = await client.post(url, params={"approved": shown["version"]}, headers=auth(world["token"]))
    assert sent.status_code == 200, sent.text
    assert sent.json() == {"queued": 15}
    again = await client.post(url, params={"approved": shown["version"]}, headers=auth(world["token"]))
    assert again.json() == {"queued": 0}  # once per vecino
    texts = {m.text for m in session.exec(select(OutboxMessage).where(OutboxMessage.kind == "comparison_summary"))}
    assert texts == {shown["texts"]["es"]}
