"""The chat's Programme port: a barrio's phases and its PDL's iniciativas, bound to the ChatService transaction."""

from sqlmodel import Session

from api.programme.followers import is_following, set_following
from api.programme.pdl import iniciativas_of
from api.programme.pdl_models import PdlIniciativa
from api.programme.timeline import phases_of
from api.programme.views import chat_view
from conversations.programme.phases import Phase
from conversations.programme.ports import IniciativaView, PhaseView


class SqlProgramme:
    def __init__(self, session: Session) -> None:
        self.session = session

    def phases(self, barrio_id: int) -> list[PhaseView]:
        return [PhaseView(Phase(p.phase), p.starts_on, p.ends_on) for p in phases_of(self.session, barrio_id)]

    def iniciativas(self, barrio_id: int) -> list[IniciativaView]:
        return [chat_view(self.session, row, with_hitos=False) for row in iniciativas_of(self.session, barrio_id)]

    def iniciativa(self, iniciativa_id: int) -> IniciativaView | None:
        row = self.session.get(PdlIniciativa, iniciativa_id)
        return None if row is None else chat_view(self.session, row)

    def following(self, iniciativa_id: int, member_id: str) -> bool:
        return is_following(self.session, iniciativa_id, member_id)

    def follow(self, iniciativa_id: int, member_id: str, on: bool) -> None:
        set_following(self.session, iniciativa_id, member_id, on)
