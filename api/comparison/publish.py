"""The vecinos' summary of a comparison: previewed by staff in every language, then sent as approved.

The preview carries a version (a digest of its texts); sending names that version, so what
goes out is exactly what staff read: if answers changed since the preview, the versions
differ and nothing is sent (409) until staff preview again. Sending needs the línea de
salida closed, and sends once per vecino (the outbox ignores a repeat).
"""

import hashlib

from sqlmodel import Session, SQLModel

from api.barrios.models import Barrio
from api.comparison.models import Comparison, IndexComparison
from api.kernel.errors import Conflict
from api.outbox.enqueue import enqueue
from conversations.comparison.summary import Growth, summary_reply
from conversations.kernel.i18n import SUPPORTED, Translator
from conversations.surveys.ports import SurveyStatus

KIND = "comparison_summary"


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


def _texts(found: Comparison, timezone: str) -> dict[str, str]:
    dimensions = [g for g in (_growth(d) for d in found.dimensions) if g is not None]
    overall = _growth(found.overall)
    return {locale: summary_reply(Translator(locale, timezone), dimensions, overall).text for locale in SUPPORTED}


def preview(found: Comparison, barrio: Barrio) -> SummaryPreview:
    texts = _texts(found, barrio.timezone)
    version = hashlib.sha256("\x00".join(texts[locale] for locale in SUPPORTED).encode()).hexdigest()[:16]
    return SummaryPreview(base_id=found.base.id, salida_id=found.salida.id, version=version, texts=texts)


def send(session: Session, barrio: Barrio, found: Comparison, approved: str) -> SummarySent:
    if found.salida.status != SurveyStatus.CLOSED:
        raise Conflict(f"survey {found.salida.id} is {found.salida.status}; close the línea de salida first")
    shown = preview(found, barrio)
    if approved != shown.version:
        raise Conflict("the summary changed since it was previewed (or was never previewed); preview it again")
    dimensions = [g for g in (_growth(d) for d in found.dimensions) if g is not None]
    overall = _growth(found.overall)
    queued = enqueue(session, barrio=barrio, kind=KIND, ref_id=found.salida.id,
                     render=lambda t, _member: summary_reply(t, dimensions, overall))
    session.commit()
    return SummarySent(queued=queued)
