"""A demo ejecutor and barrio, created idempotently, so a newcomer has something to talk to."""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, select

from api.barrios.models import Barrio, BarrioCreate, Ejecutor
from api.barrios.store import create_barrio, deep_link
from api.kernel.feature import Seed
from api.kernel.security import hash_token
from api.kernel.security import new_token as make_token

DEMO_EJECUTOR = "ONG Territorio Común (demo)"
DEMO_BARRIO = BarrioCreate(name="Villa Los Aromos", comuna="Lo Espejo", region="Metropolitana")


@dataclass(frozen=True)
class Demo:
    token: str | None  # None: the token printed before still works (only its hash is stored)
    barrio: Barrio
    replaced: bool = False  # a token existed and this one replaced it

    def describe(self, bot_username: str) -> str:
        b = self.barrio
        if self.token is None:
            token_line = ("  API token: unchanged, the one printed when the demo was first created still works"
                          " (`accion-local demo --new-token` replaces it)")
        elif self.replaced:
            token_line = f"  API token: {self.token}   (NEW: the token printed before no longer works)"
        else:
            token_line = f"  API token: {self.token}"
        return "\n".join([
            f"Demo ejecutor: {DEMO_EJECUTOR}",
            token_line,
            f"Demo barrio: {b.name} ({b.comuna}, {b.region}), id {b.id}",
            f"  join code: {b.join_code}   link: {deep_link(bot_username, b.join_code)}",
            f"  grupo motor code: {b.motor_code}   link: {deep_link(bot_username, b.motor_code)}",
            f"Talk to it without Telegram:  accion-local chat --join {b.join_code}",
        ])


def ensure_demo(session: Session, *, timezone: str, seeds: Sequence[Seed] = (), new_token: bool = False) -> Demo:
    """Create the demo data if missing, then let each feature fill the barrio (`seeds`, idempotent).

    The demo ejecutor's token is made with it and kept: running the demo again (`serve --demo`,
    then `demo` for the codes) must not revoke the token a newcomer just copied. Only its hash is
    stored, so it cannot be shown again; `new_token` replaces it, and says so.
    """
    token: str | None = None
    ejecutor = session.exec(select(Ejecutor).where(Ejecutor.name == DEMO_EJECUTOR)).first()
    replaced = ejecutor is not None and new_token
    if ejecutor is None or new_token:
        token = make_token()
        ejecutor = ejecutor or Ejecutor(name=DEMO_EJECUTOR, token_hash="")
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
    return Demo(token=token, barrio=barrio, replaced=replaced)
