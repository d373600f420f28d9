"""An organisation's first staff user, from the command line: the organisation is created if it is new."""

from sqlmodel import Session, select

from api.barrios.models import Ejecutor
from api.barrios.store import create_ejecutor
from api.staff.store import add_staff, check_password


def first_staff(session: Session, *, organisation: str, name: str, email: str, password: str) -> str:
    """Adds the user (to a new or existing ejecutor of that name) and says what was done."""
    check_password(password)  # before anything is created
    ejecutor = session.exec(select(Ejecutor).where(Ejecutor.name == organisation)).first()
    lines = []
    if ejecutor is None:
        ejecutor, token = create_ejecutor(session, name=organisation)
        lines.append(f"organisation {ejecutor.name!r} created (id {ejecutor.id}); its API token, shown once: {token}")
    user = add_staff(session, ejecutor=ejecutor, name=name, email=email, password=password)
    lines.append(f"staff user {user.email} added to {ejecutor.name!r} (id {user.id})")
    return "\n".join(lines)
