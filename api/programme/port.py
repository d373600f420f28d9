"""The chat's Programme port: a barrio's phases and its PDL's iniciativas, bound to the ChatService transaction."""

from datetime import date

from sqlalchemy import bindparam, select
from sqlmodel import Session

from api.programme.followers import is_following, set_following
from api.programme.ideas import propose
from api.programme.models import ProgrammePhase
from api.programme.pdl import iniciativas_of, report_hito
from api.programme.pdl_models import PdlIniciativa
from api.programme.phase_cache import PHASES
from api.programme.views import chat_view
from conversations.programme.phases import Phase
from conversations.programme.ports import Idea, IniciativaView, PhaseView

# The menu asks for the phases (is the barrio in Fase II?) on every render: kept for a while in the
# process (api/programme/phase_cache.py), read with a prebuilt Core statement, as on the rest of
# the chat's path (api/chat/rows.py).
_PHASES = (
    select(ProgrammePhase.phase, ProgrammePhase.starts_on, ProgrammePhase.ends_on)
    .where(ProgrammePhase.barrio_id == bindparam("barrio_id"))
    .order_by(ProgrammePhase.starts_on, ProgrammePhase.phase)  # type: ignore[arg-type]
)


class SqlProgramme:
    def __init__(self, session: Session) -> None:
        self.session = session

    def phases(self, barrio_id: int) -> list[PhaseView]:
        return PHASES.get(self.session.get_bind(), barrio_id, lambda: self._phases(barrio_id))

    def _phases(self, barrio_id: int) -> list[PhaseView]:
        rows = self.session.connection().execute(_PHASES, {"barrio_id": barrio_id})
        return [PhaseView(Phase(r.phase), r.starts_on, r.ends_on) for r in rows]

    def iniciativas(self, barrio_id: int) -> list[IniciativaView]:
        return [chat_view(self.session, row, with_hitos=False) for row in iniciativas_of(self.session, barrio_id)]

    def iniciativa(self, iniciativa_id: int) -> IniciativaView | None:
        row = self.session.get(PdlIniciativa, iniciativa_id)
        return None if row is None else chat_view(self.session, row)

    def following(self, iniciativa_id: int, member_id: str) -> bool:
        return is_following(self.session, iniciativa_id, member_id)

    def follow(self, iniciativa_id: int, member_id: str, on: bool) -> None:
        set_following(self.session, iniciativa_id, member_id, on)

    def propose(self, *, member_id: str, barrio_id: int, idea: Idea) -> int:
        return propose(self.session, member_id=member_id, barrio_id=barrio_id, idea=idea)

    def report_hito(self, iniciativa_id: int, text: str, on: date, member_id: str) -> bool:
        row = self.session.get(PdlIniciativa, iniciativa_id)
        assert row is not None  # the flow read it in this transaction
        return report_hito(self.session, row, text, on, reported_by=member_id)
