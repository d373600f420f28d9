"""The job that copies the photos vecinos sent into the database, so that an ejecutor's download no
longer depends on Telegram keeping the file.

A photo answered is a `survey_photo` row, due at once, stored in the same transaction as the answer.
The job claims due rows with a conditional UPDATE that moves their next try a lease ahead (another
process, or this one after a crash or restart, finds them claimed until the lease ends, then tries
again), fetches each from the channel outside any transaction, and stores the bytes only if the row
still holds the same photo (the vecino may have sent another meanwhile). A failure that may pass
(network, Telegram's 5xx or 429) is tried again later, further apart each time; a photo the channel
no longer has, or that weighs more than the limit, is given up: its download answers 404.
"""

import logging
from datetime import datetime, timedelta

from sqlalchemy import Engine, select, update
from sqlmodel import Session

from api.kernel.channels import Channels, PhotoSource, Unavailable
from api.kernel.feature import Job
from api.surveys.models import SurveyPhoto

log = logging.getLogger(__name__)

BATCH = 20  # photos per run: a few MB each, fetched one after the other
LEASE = timedelta(minutes=5)  # how long a claimed photo waits before another try, should this one die
FIRST_RETRY = timedelta(minutes=1)  # doubled after each failure, up to LONGEST_WAIT
LONGEST_WAIT = timedelta(hours=6)
MAX_ATTEMPTS = 16  # about two days of tries through an outage


def photo_copier(channels: Channels) -> Job | None:
    """The surveys feature's photo job, when a channel that takes photos runs in this process."""
    source = channels.photos
    if source is None:
        return None

    def copy_photos(engine: Engine, now: datetime) -> None:
        copy_due(engine, source, now)

    return copy_photos


def copy_due(engine: Engine, source: PhotoSource, now: datetime, batch: int = BATCH) -> int:
    """Copy the photos due at `now` (at most `batch`); how many were stored."""
    stored = 0
    for photo_id, reference, attempts in _claim(engine, now, batch):
        try:
            fetched = source.fetch(reference)
        except Unavailable:
            wait = min(FIRST_RETRY * 2 ** (attempts - 1), LONGEST_WAIT)
            _settle(engine, photo_id, reference, next_attempt_at=now + wait if attempts < MAX_ATTEMPTS else None)
            continue
        if fetched is None:
            log.warning("photo %s given up: the channel no longer has it, or it weighs more than the limit", photo_id)
            _settle(engine, photo_id, reference, next_attempt_at=None)
            continue
        stored += _settle(engine, photo_id, reference, next_attempt_at=None, content=fetched.content,
                          content_type=fetched.content_type, size=len(fetched.content), fetched_at=now)
    return stored


def _claim(engine: Engine, now: datetime, batch: int) -> list[tuple[int, str, int]]:
    """(id, reference, attempts counting this one) of due photos this process now holds for a lease."""
    with Session(engine) as session:
        due = session.execute(
            select(SurveyPhoto.id, SurveyPhoto.reference, SurveyPhoto.attempts, SurveyPhoto.next_attempt_at)
            .where(SurveyPhoto.next_attempt_at <= now)  # type: ignore[arg-type,operator]
            .order_by(SurveyPhoto.next_attempt_at).limit(batch)  # type: ignore[arg-type]
        ).all()
        claimed = []
        for photo_id, reference, attempts, due_at in due:
            taken = session.execute(update(SurveyPhoto).where(
                SurveyPhoto.id == photo_id, SurveyPhoto.next_attempt_at == due_at,  # type: ignore[arg-type]
                SurveyPhoto.reference == reference,  # type: ignore[arg-type]
            ).values(next_attempt_at=now + LEASE, attempts=attempts + 1))
            if taken.rowcount == 1:  # else another process claimed it, or the vecino changed it
                claimed.append((photo_id, reference, attempts + 1))
        session.commit()
    return claimed


def _settle(engine: Engine, photo_id: int, reference: str, **values: object) -> int:
    """Write what became of one claimed photo, if it still holds the same one; 1 if it did."""
    with Session(engine) as session:
        done = session.execute(update(SurveyPhoto).where(
            SurveyPhoto.id == photo_id, SurveyPhoto.reference == reference,  # type: ignore[arg-type]
        ).values(**values))
        session.commit()
    return int(done.rowcount)
