"""Test data builders."""

from sqlmodel import Session

from api.barrios.models import Barrio, BarrioCreate, Ejecutor
from api.barrios.store import create_barrio, create_ejecutor

ADMIN_TOKEN = "admin-test-token"


def make_ejecutor(session: Session, name: str = "ONG Prueba") -> tuple[Ejecutor, str]:
    return create_ejecutor(session, name=name)


def make_barrio(session: Session, ejecutor: Ejecutor, name: str = "Población La Esperanza") -> Barrio:
    data = BarrioCreate(name=name, comuna="La Pintana", region="Metropolitana")
    return create_barrio(session, ejecutor=ejecutor, data=data, default_timezone="America/Santiago")


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
