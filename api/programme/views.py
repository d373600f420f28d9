"""An iniciativa as the chat and the messages to vecinos show it (titles per language, hitos)."""

from sqlmodel import Session, select

from api.programme.pdl_models import PdlHito, PdlIniciativa
from conversations.programme.ports import Hito, IniciativaView
from conversations.programme.rules import by_grupo_motor


def chat_view(session: Session, row: PdlIniciativa, with_hitos: bool = True) -> IniciativaView:
    titles = {"es": row.title, **{k: v for k, v in (("ht", row.title_ht), ("en", row.title_en)) if v}}
    descriptions = {"es": row.description,
                    **{k: v for k, v in (("ht", row.description_ht), ("en", row.description_en)) if v}}
    hitos = tuple(Hito(h.on, h.text, h.photo_url) for h in hitos_of(session, row.id or 0)) if with_hitos else ()
    return IniciativaView(id=row.id or 0, barrio_id=row.barrio_id, titles=titles, descriptions=descriptions,
                          ambito=row.ambito, urgencia=row.urgencia, status=row.status, progress=row.progress,
                          cost=row.cost, hitos=hitos, by_motor=by_grupo_motor(row.responsible))


def hitos_of(session: Session, iniciativa_id: int, *, with_pending: bool = False) -> list[PdlHito]:
    """Newest first; those waiting for staff approval only when asked (staff see them, vecinos never)."""
    query = select(PdlHito).where(PdlHito.iniciativa_id == iniciativa_id)
    if not with_pending:
        query = query.where(PdlHito.pending == False)  # noqa: E712 (SQL, not Python)
    return list(session.exec(query.order_by(PdlHito.on.desc(), PdlHito.id.desc())).all())  # type: ignore[attr-defined]
