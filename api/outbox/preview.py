"""A message staff read before it goes to the vecinos: rendered in every language, with a version.

The version is a digest of the texts; sending names the version staff read, so what goes
out is exactly what they previewed: if anything changed since (answers, chosen questions),
the versions differ and nothing is sent (409) until staff preview again.
"""

import hashlib

from sqlmodel import Session, SQLModel

from api.barrios.models import Barrio
from api.kernel.errors import Conflict
from api.outbox.enqueue import RenderForAll, enqueue
from conversations.kernel.i18n import SUPPORTED, Translator


class ChangedSincePreview(Conflict):
    code = "changed_since_preview"  # what the console says, in its language


class Preview(SQLModel):
    version: str
    texts: dict[str, str]


def preview(render: RenderForAll, timezone: str) -> Preview:
    """The message in each supported language, and its version."""
    texts = {locale: render(Translator(locale, timezone)).text for locale in SUPPORTED}
    version = hashlib.sha256("\x00".join(texts[locale] for locale in SUPPORTED).encode()).hexdigest()[:16]
    return Preview(version=version, texts=texts)


def send_approved(session: Session, barrio: Barrio, *, kind: str, ref_id: int, render: RenderForAll,
                  approved: str) -> tuple[Preview, int]:
    """Queue the message to every vecino of the barrio if it is still the version staff approved.

    Returns what was sent and how many messages were queued (the caller commits).
    """
    shown = preview(render, barrio.timezone)
    if approved != shown.version:
        raise ChangedSincePreview(
            "the message changed since it was previewed (or was never previewed); preview it again")
    queued = enqueue(session, barrio=barrio, kind=kind, ref_id=ref_id, render=lambda t, _member: render(t))
    return shown, queued
