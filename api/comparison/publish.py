"""The vecinos' summary of a comparison: previewed by staff in every language, then sent as approved.

Preview and approval work as for every message staff read first (api/outbox/preview.py):
sending names the version previewed, so what goes out is exactly what staff read. Sending
needs the línea de salida closed, and sends once per vecino (the outbox ignores a repeat).
"""

from sqlmodel import Session, SQLModel

from api.barrios.models import Barrio
from api.comparison.models import Comparison, IndexComparison
from api.kernel.errors import Conflict
from api.outbox import preview as previewed
from api.outbox.enqueue import RenderForAll
from conversations.comparison.summary import Growth, summary_reply
from conversations.surveys.ports import SurveyStatus

KIND = "comparison_summary"


class SalidaOpen(Conflict):
    code = "salida_open"  # what the console says, in its language


class SummaryPreview(SQLModel):
    base_id: int
    salida_id: int
    version: str
    texts: dict[str, str]


class SummarySent(SQLModel):
    queued: int


def _growth(index: IndexComparison) -> Growth | None:
    if index.base.mean is None or index.salida.mean is None:
        return None  # withheld (too few respondents)
    clear = index.paired.ci_low > 0 if index.paired.ci_low is not None else True
    return Growth(index.dimension, index.base.mean, index.salida.mean, clear)


def _render(found: Comparison) -> RenderForAll:
    dimensions = [g for g in (_growth(d) for d in found.dimensions) if g is not None]
    overall = _growth(found.overall)
    return lambda t: summary_reply(t, dimensions, overall)


def preview(found: Comparison, barrio: Barrio) -> SummaryPreview:
    shown = previewed.preview(_render(found), barrio.timezone)
    return SummaryPreview(base_id=found.base.id, salida_id=found.salida.id, **shown.model_dump())


def send(session: Session, barrio: Barrio, found: Comparison, approved: str) -> SummarySent:
    if found.salida.status != SurveyStatus.CLOSED:
        raise SalidaOpen(f"survey {found.salida.id} is {found.salida.status}; close the línea de salida first")
    _, queued = previewed.send_approved(session, barrio, kind=KIND, ref_id=found.salida.id,
                                        render=_render(found), approved=approved)
    session.commit()
    return SummarySent(queued=queued)
