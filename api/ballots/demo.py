"""The demo barrio's ballot: a handful of iniciativas in the three ámbitos, budget method, open."""

from datetime import timedelta

from sqlmodel import Session, select

from api.ballots.models import Ballot, BallotCreate, IniciativaIn
from api.ballots.schedule import open_ballot
from api.ballots.store import create_ballot
from api.barrios.models import Barrio
from api.kernel.types import utcnow

DEMO_TITLE = "Priorización de iniciativas del Plan de Desarrollo Local"
DEMO_INICIATIVAS = [
    IniciativaIn(title="Huerto comunitario en la sede", ambito="huertos", cost=1_200_000,
                 description="Camas de cultivo, riego por goteo y talleres para la junta de vecinos."),
    IniciativaIn(title="Luminarias en el pasaje Los Aromos", ambito="habitabilidad", cost=1_500_000,
                 description="Ocho luminarias LED solares donde hoy está oscuro de noche."),
    IniciativaIn(title="Plaza de juegos recuperada", ambito="habitabilidad", cost=1_800_000,
                 description="Pintura, bancas y reparación de juegos en la plaza central."),
    IniciativaIn(title="Escuela de verano para niñas y niños", ambito="bienestar", cost=900_000,
                 description="Seis semanas de talleres deportivos y artísticos en la sede."),
    IniciativaIn(title="Encuentros de personas mayores", ambito="bienestar", cost=600_000,
                 description="Once mensual con actividades y traslado para quienes lo necesiten."),
]


def seed_ballot(session: Session, barrio: Barrio) -> None:
    """Create and open the demo ballot once (by title) in the demo barrio."""
    exists = session.exec(select(Ballot).where(Ballot.barrio_id == barrio.id, Ballot.title == DEMO_TITLE)).first()
    if exists is not None:
        return
    now = utcnow()
    data = BallotCreate(
        title=DEMO_TITLE, method="budget", budget=3_000_000, opens_at=now, closes_at=now + timedelta(days=14),
        description="Elijan juntos qué iniciativas financiar con los $3.000.000 del barrio.",
        iniciativas=DEMO_INICIATIVAS,
    )
    ballot = create_ballot(session, barrio=barrio, data=data)
    open_ballot(session, ballot, now)
    session.commit()
