"""A demo ejecutor and barrio, created idempotently, so a newcomer has something to talk to."""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, select

from api.barrios.models import Barrio, BarrioCreate, Ejecutor
from api.barrios.store import create_barrio, deep_link
from api.kernel.feature import Seed
from api.kernel.security import hash_token, new_token

DEMO_EJECUTOR = "ONG Territorio Común (demo)"
DEMO_BARRIO = BarrioCreate(name="Villa Los Aromos", comuna="Lo Espejo", region="Metropolitana")


@dataclass(frozen=True)
class Demo:
    token: str
    barrio: Barrio

    def describe(self, bot_username: str) -> str:
        b = self.barrio
        return "\n".join([
            f"Demo ejecutor: {DEMO_EJECUTOR}",
            f"  API token (new on every run): {self.token}",
            f"Demo barrio: {b.name} ({b.comuna}, {b.region}), id {b.id}",
            f"  join code: {b.join_code}   link: {deep_link(bot_username, b.join_code)}",
            f"  grupo motor code: {b.motor_code}   link: {deep_link(bot_username, b.motor_code)}",
            f"Talk to it without Telegram:  accion-local chat --join {b.join_code}",
        ])


def ensure_demo(session: Session, *, timezone: str, seeds: Sequence[Seed] = ()) -> Demo:
    """Create the demo data if missing, then let each feature fill the barrio (`seeds`, idempotent);
    rotate the demo token (only its hash is stored)."""
    token = new_token()
    ejecutor = session.exec(select(Ejecutor).where(Ejecutor.name == DEMO_EJECUTOR)).first()
    if ejecutor is None:
        ejecutor = Ejecutor(name=DEMO_EJECUTOR, token_hash=hash_token(token))
    ejecutor.token_hash = hash_token(token)
    session.add(ejecutor)
    session.commit()
    session.refresh(ejecutor)
    barrio = session.exec(
        select(Barrio).where(Barrio.ejecutor_id == ejecutor.id, Barrio.name == DEMO_BARRIO.name)
    ).first()
    if barrio is None:
        barrio = create_barrio(session, ejecutor=ejecutor, data=DEMO_BARRIO, default_timezone=timezone)
    for seed in seeds:
        seed(session, barrio)
    return Demo(token=token, barrio=barrio)
