"""The demo barrio's programme: started four months ago (so it is in Fase II, and only in it: Fase I ended a
month ago, Fase III starts in a month), a diagnóstico along the
five dimensions, a PDL with iniciativas in the three ámbitos (one of urgencia, under way, with a
hito; the grupo motor's huerto with a hito it reported, waiting for approval), two actors, a mesa
with an acuerdo and a contribution."""

from datetime import timedelta

from sqlmodel import Session

from api.barrios.models import Barrio, Ejecutor
from api.programme.alliance_models import ActorIn, ActorKind, AcuerdoIn, ContributionIn, ContributionKind, MesaIn
from api.programme.alliances import add_actor, add_acuerdo, add_contribution, add_mesa, link_actor
from api.programme.models import ActivityTick, Programme
from api.programme.pdl import add_hito, add_iniciativa, add_problem, move_status, report_hito
from api.programme.pdl_models import HitoIn, IniciativaFields, ProblemIn
from api.programme.timeline import barrio_today, start_programme, tick
from conversations.programme.phases import add_months

PROBLEMS = [
    ProblemIn(dimension="fisica", title="Pasajes oscuros y plaza deteriorada",
              objective="Recuperar los espacios públicos para que sean seguros de día y de noche",
              result="7 de cada 10 vecinos evitan salir de noche"),
    ProblemIn(dimension="social", title="Personas mayores solas y niños sin actividades en verano",
              objective="Crear espacios de encuentro entre generaciones"),
    ProblemIn(dimension="economica", title="Pocos ingresos y alto costo de los alimentos",
              objective="Producir alimentos en el barrio"),
    ProblemIn(dimension="medioambiental", title="Microbasurales en el sitio eriazo",
              objective="Convertir el sitio eriazo en un espacio verde"),
    ProblemIn(dimension="institucional", title="La junta de vecinos tiene poca participación",
              objective="Fortalecer la organización del barrio"),
]


def seed_programme(session: Session, barrio: Barrio) -> None:
    """Fill the demo barrio's programme once (it is skipped when the barrio already has one)."""
    if session.get(Programme, barrio.id) is not None:
        return
    today = barrio_today(barrio)
    start_programme(session, barrio, add_months(today, -4))
    for key in ("insercion_territorial", "instancias_multiactorales", "iniciativa_urgencia"):
        tick(session, barrio, key, ActivityTick(done=True, by="Equipo ejecutor", note="Demo"))
    problems = [add_problem(session, barrio, p) for p in PROBLEMS]
    luminarias = add_iniciativa(session, barrio, IniciativaFields(
        title="Luminarias en el pasaje Los Aromos", title_en="Street lights on Los Aromos alley",
        title_ht="Limyè nan pasaj Los Aromos", ambito="habitabilidad", urgencia=True, cost=1_500_000,
        fosis_amount=1_200_000, progress=60, responsible="Equipo ejecutor", problem_id=problems[0].id,
        description="Ocho luminarias LED solares donde hoy está oscuro de noche."))
    for to in ("priorizada", "aprobada", "en_ejecucion"):
        move_status(session, luminarias, to, by="demo")
    session.commit()
    add_hito(session, luminarias, HitoIn(on=today - timedelta(days=10), text="Llegaron las luminarias; se instalan "
                                         "las primeras cuatro."))
    huerto = add_iniciativa(session, barrio, IniciativaFields(
        title="Huerto comunitario en la sede", ambito="huertos", cost=1_200_000, fosis_amount=900_000,
        responsible="grupo motor", problem_id=problems[2].id,
        description="Camas de cultivo, riego por goteo y talleres."))
    report_hito(session, huerto, "Limpiamos el sitio y juntamos tierra de hoja para las camas.",
                today - timedelta(days=2))  # reported by the grupo motor: waits for staff approval
    for fields in (
        IniciativaFields(title="Escuela de verano para niñas y niños", ambito="bienestar", cost=900_000,
                         problem_id=problems[1].id, description="Talleres deportivos y artísticos en la sede."),
        IniciativaFields(title="Plaza de juegos recuperada", ambito="habitabilidad", cost=1_800_000,
                         problem_id=problems[0].id, description="Pintura, bancas y juegos reparados."),
    ):
        add_iniciativa(session, barrio, fields)
    ejecutor = session.get(Ejecutor, barrio.ejecutor_id)
    assert ejecutor is not None
    municipio = add_actor(session, ejecutor, ActorIn(
        name="Municipalidad de Lo Espejo, DIDECO", kind=ActorKind.MUNICIPIO,
        contact_name="Encargada de organizaciones comunitarias"))
    empresa = add_actor(session, ejecutor, ActorIn(name="Ferretería El Roble", kind=ActorKind.EMPRESA,
                                                   contact_name="Administrador del local"))
    for actor in (municipio, empresa):
        link_actor(session, actor, barrio, linked=True)
    mesa = add_mesa(session, barrio, MesaIn(held_on=today - timedelta(days=20), title="Mesa de trabajo del PDL",
                                            actors=[municipio.id or 0, empresa.id or 0]))
    add_acuerdo(session, mesa, AcuerdoIn(text="Retiro de microbasurales del sitio eriazo", actor_id=municipio.id,
                                         due_on=today + timedelta(days=30)))
    add_contribution(session, barrio, ContributionIn(
        actor_id=empresa.id or 0, iniciativa_id=huerto.id, kind=ContributionKind.IN_KIND, amount=350_000,
        description="Herramientas y madera para las camas de cultivo", on=today - timedelta(days=5)))
    add_contribution(session, barrio, ContributionIn(
        actor_id=municipio.id or 0, iniciativa_id=luminarias.id, kind=ContributionKind.MONEY, amount=300_000,
        description="Instalación eléctrica", on=today - timedelta(days=12)))
